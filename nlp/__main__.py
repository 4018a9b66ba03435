"""`python -m nlp FILE...`: print one evaluation JSON object per document file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from minwatch.nlp import Extractor, eval_record, parse_header


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    extractor = Extractor()
    for path in args.files:
        headers, body = parse_header(path.read_text(encoding="utf-8"))
        facts = extractor.extract(
            body, language=headers.get("Language", "en"), title=headers.get("Title")
        )
        name = path.name[:-4] if path.name.endswith(".txt") else path.name
        sys.stdout.write(json.dumps(eval_record(name, facts), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
