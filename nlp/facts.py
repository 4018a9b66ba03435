"""Facts the extractor returns: plain frozen dataclasses, no spaCy objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

MentionKind = Literal["mineral", "money", "quantity", "organization"]
# "upper": "up to $X"; "approx": "about X"; "low"/"high": the ends of a range "X-Y".
Bound = Literal["exact", "upper", "approx", "low", "high"]


@dataclass(frozen=True)
class Mention:
    kind: MentionKind
    text: str  # the surface text as it appears in the document
    start: int  # character offsets into the analysed text
    end: int
    sentence: str
    canonical: str | None = None  # mineral canonical name, or organisation name resolved
    usd: float | None = None  # money normalised to US dollars
    tonnes: float | None = None  # mass normalised to metric tonnes
    currency: str | None = None  # ISO code as stated ("USD", "CNY"...)
    bound: Bound = "exact"
    role: str | None = None  # organisations: "supplier", "buyer", "regulator", "media", "other"


@dataclass(frozen=True)
class ProcurementLine:
    mineral: str
    usd: float | None = None
    tonnes: float | None = None
    suppliers: tuple[str, ...] = ()
    usd_is_upper_bound: bool = False
    sentence: str | None = None


@dataclass(frozen=True)
class ExportControlFacts:
    authority: str | None  # "MOFCOM", "MOFCOM/GACC", "BIS"
    number: str | None  # "2026年第7号" / "No. 7 of 2026" normalised to "2026-7"
    title: str | None
    issued_on: str | None  # ISO date
    effective_on: str | None  # ISO date
    minerals: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentFacts:
    extractor_version: str
    minerals: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()  # every mineral / money / quantity / organisation mention
    suppliers: tuple[str, ...] = ()
    procurements: tuple[ProcurementLine, ...] = ()
    export_control: ExportControlFacts | None = None
    language: str = "en"
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def money(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind == "money")

    @property
    def quantities(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind == "quantity")
