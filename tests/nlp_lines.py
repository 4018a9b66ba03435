"""Extracted facts as a test compares them: the procurement lines as (mineral, suppliers, usd,
tonnes), sorted; the suppliers in the order the extractor gives them."""

from __future__ import annotations


def deal_lines(facts: object) -> list[tuple[str, tuple[str, ...], float | None, float | None]]:
    return sorted(
        (p.mineral, p.suppliers, p.usd, p.tonnes)
        for p in facts.procurements  # type: ignore[attr-defined]
    )


def suppliers_of(facts: object) -> list[str]:
    return list(facts.suppliers)  # type: ignore[attr-defined]
