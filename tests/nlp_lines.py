"""The procurement lines of extracted facts as a test compares them: (mineral, suppliers, usd,
tonnes), sorted."""

from __future__ import annotations


def deal_lines(facts: object) -> list[tuple[str, tuple[str, ...], float | None, float | None]]:
    return sorted(
        (p.mineral, p.suppliers, p.usd, p.tonnes)
        for p in facts.procurements  # type: ignore[attr-defined]
    )
