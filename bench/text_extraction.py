"""Which main-text extractor gets the article paragraphs without the site chrome?

Compares trafilatura with the hand-written BeautifulSoup <article> reader on every bundled
sample article page. Reference paragraphs: the <p> elements of the page's <article> that are
not inside its header, footer, aside or an ad slot. Chrome markers: strings that only appear
in navigation, share buttons, cookie banners, related lists, promos and footers.

    PYTHONPATH=. .venv/bin/python bench/text_extraction.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.spiders.documents import extract_article_soup, extract_article_trafilatura

CHROME_MARKERS = (
    "We use cookies",
    "Accept all",
    "Share on",
    "Related articles",
    "All rights reserved",
    "Sample content for the minwatch project",
    "Advertisement",
    "Subscribe",
    "Book now",
    "Posted in",
    "Privacy policy",
    "Get the daily critical minerals briefing",
    "early-bird passes",
)


def sample_pages() -> list[Path]:
    pages = sorted((SAMPLE_ROOT / "news" / "articles").glob("*/index.html"))
    return pages + sorted((SAMPLE_ROOT / "trade").glob("*/*/*.html"))


def reference_paragraphs(html: str) -> list[str]:
    article = BeautifulSoup(html, "lxml").find("article")
    if article is None:
        return []
    paragraphs = []
    for p in article.find_all("p"):
        if p.find_parent(["header", "footer", "aside", "figure"]) or p.find_parent(
            class_=lambda c: bool(c) and ("ad-" in c or "share" in c)
        ):
            continue
        if any("tags" in c for c in p.get("class") or []):
            continue
        text = " ".join(p.get_text(" ", strip=True).split())
        if len(text) > 40:
            paragraphs.append(text)
    return paragraphs


def score(extract: Callable[[str], str], html: str) -> tuple[float, int, bool, bool]:
    text = " ".join(extract(html).split())
    reference = reference_paragraphs(html)
    found = [p for p in reference if p[:80] in text]
    recall = len(found) / len(reference) if reference else 1.0
    leaks = sum(marker in text for marker in CHROME_MARKERS)
    first = bool(reference) and reference[0][:80] in text
    last = bool(reference) and reference[-1][:80] in text
    return recall, leaks, first, last


def main() -> None:
    extractors: dict[str, Callable[[str], str]] = {
        "trafilatura": extract_article_trafilatura,
        "bs4-article": extract_article_soup,
    }
    totals: dict[str, list[float]] = {name: [0.0, 0.0, 0.0, 0.0] for name in extractors}
    pages = sample_pages()
    print(f"{'page':58} {'extractor':12} recall leaks first last")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for name, extract in extractors.items():
            started = time.perf_counter()
            recall, leaks, first, last = score(extract, html)
            totals[name][3] += time.perf_counter() - started
            totals[name][0] += recall
            totals[name][1] += leaks
            totals[name][2] += first and last
            label = str(page.relative_to(SAMPLE_ROOT))[-58:]
            print(f"{label:58} {name:12} {recall:6.2f} {leaks:5d} {first!s:5} {last!s:5}")
    print()
    for name, (recall_sum, leak_sum, both_ends, seconds) in totals.items():
        print(
            f"{name:12} mean recall {recall_sum / len(pages):.3f}  chrome leaks {leak_sum:.0f}  "
            f"first+last paragraph on {both_ends:.0f}/{len(pages)} pages  {seconds * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
