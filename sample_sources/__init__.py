"""Bundled sample copies of the real sources and the loopback server that serves them."""

from pathlib import Path

SAMPLE_ROOT = Path(__file__).resolve().parent
