"""Landed raw items -> analysable documents (main text, notice fields, a content hash)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import trafilatura
from bs4 import BeautifulSoup, Tag
from pydantic import ValidationError

from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.names import display_name
from minwatch.spiders.urls import normalise_url

# Chrome that sits inside or around <article> on news sites and is never article text.
_CHROME_TAGS = ("nav", "aside", "footer", "script", "style", "noscript", "form", "button", "iframe")
_CHROME_CLASS = re.compile(
    r"(^|[\s_-])(share|social|related|cookie|consent|newsletter|subscribe|promo|advert|ad-|"
    r"ads|sidebar|breadcrumb|byline|author|meta|tags|comments?|"
    # Site furniture of templates without an <article> (a price box or ticker beside the
    # text, a footer that is a <div>): trafilatura keeps it when nothing marks the article.
    r"ticker|price|prices|foot|footer|masthead|widget|sharing|dateline)([\s_-]|$)",
    re.IGNORECASE,
)
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre", "td", "th")
# Shorter trafilatura output means it lost the article; the BeautifulSoup reading is used then.
MIN_MAIN_TEXT_CHARS = 200


@dataclass(frozen=True)
class Document:
    doc_id: str  # "sam:<noticeId>" for SAM; "web:<normalised url>" for articles
    source: str
    source_id: str
    kind: str
    url: str
    title: str | None
    published_at: datetime | None
    language: str
    fetched_at: datetime
    text: str
    content_hash: str  # stable across re-crawls of an unchanged document (no fetched_at)
    notice: dict[str, object] | None  # SAM only: NoticeRow fields except doc_id
    known_suppliers: tuple[str, ...]  # SAM awardee names
    # Export-control announcements parsed by their spider (MOFCOM, BIS): see ANNOUNCEMENT_KEYS.
    announcement: dict[str, object] | None = None


# The structured fields an export-control spider lands in `RawDocument.data["announcement"]`:
#   authority: "MOFCOM" | "MOFCOM/GACC" | "BIS"; number: "<year>-<n>" (e.g. "2025-18") or a
#   Federal Register document number; title; language: "zh" | "en"; issued_on / effective_on:
#   ISO dates or None (effective_on: when the main measures take effect, see the spider);
#   clauses (MOFCOM): [{"clause": "第一条第（一）项、第（二）项", "effective_on": ISO or None}]
#   for every effective-date clause, "本公告" / "This announcement" for the whole;
#   items: [{"code": "1C902.a", "description": str, "hs_codes": [str]}];
#   suspends / amends: ["<year>-<n>", ...] of the same authority; suspended_from /
#   suspended_until: the suspension's first and last day, ISO or None; suspensions (MOFCOM):
#   per target [{"announcement": "<year>-<n>", "clauses": ["2"], "suspended_from",
#   "suspended_until"}], clauses [] for the whole announcement (`suspends` still lists every
#   target); numbered_clauses (MOFCOM): the announcement's own top-level clause numbers
#   (["1", "2"] for "一、… 二、…"). Spiders of other families may leave out `clauses`,
#   `suspended_from`, `suspensions` and `numbered_clauses` (every target suspended whole).
ANNOUNCEMENT_KEYS = (
    "authority",
    "number",
    "title",
    "language",
    "issued_on",
    "effective_on",
    "clauses",
    "items",
    "suspends",
    "amends",
    "suspended_from",
    "suspended_until",
    "suspensions",
    "numbered_clauses",
)


class DocumentError(ValueError):
    """A raw item that cannot become a document; the message names source and source_id."""


# -- text extraction ------------------------------------------------------------------------
def _normalise_space(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _inline_text(block: Tag) -> str:
    # No separator: inline tags (<strong>$245M</strong>.) must not gain a space before the ".".
    return " ".join(block.get_text().split())


def html_fragment_to_text(html: str) -> str:
    """Text of an HTML fragment (a SAM description, a feed's content), one block per line."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "td", "th", "div", "blockquote"])
    if not blocks:
        return _normalise_space(soup.get_text(" "))
    parts: list[str] = []
    for block in blocks:
        # Only innermost blocks, so a <div><p>..</p></div> is not read twice.
        if block.find(["p", "li", "div", "h1", "h2", "h3", "h4", "blockquote", "td"]):
            continue
        text = _inline_text(block)
        if text:
            parts.append(("- " if block.name == "li" else "") + text)
    return _normalise_space("\n".join(parts))


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _CHROME_TAGS:
        return True
    attributes = " ".join(
        [*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")]
    )
    return bool(attributes.strip()) and _CHROME_CLASS.search(attributes) is not None


def extract_article_soup(html: str) -> str:
    """Hand-written reading: the blocks of <article> (or <main>/<body>) minus site chrome."""
    soup = BeautifulSoup(html, "lxml")
    container = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in list(container.find_all(True)):
        if not tag.decomposed and _is_chrome(tag):
            tag.decompose()
    # The headline is the document's title, not part of its text.
    for heading in container.find_all("h1"):
        heading.decompose()
    parts = [
        _inline_text(block)
        for block in container.find_all(_BLOCK_TAGS)
        if not block.find(_BLOCK_TAGS)
    ]
    return _normalise_space("\n\n".join(p for p in parts if p))


# Never removed as chrome, whatever their class says (a WordPress <body> names its template).
_NEVER_CHROME = ("html", "head", "body", "main", "article")


def without_chrome(html: str) -> str:
    """The page without the elements `_is_chrome` names, for trafilatura.

    trafilatura finds the article by itself where an <article> marks it; on templates with
    none (a brief in a <div>, an older theme) it keeps a price table or a <div> footer
    beside the text, and their prices and minerals would be read as the article's facts.
    """
    soup = BeautifulSoup(html, "lxml")
    for tag in list(soup.find_all(True)):
        if not tag.decomposed and tag.name not in _NEVER_CHROME and _is_chrome(tag):
            tag.decompose()
    return str(soup)


def extract_article_trafilatura(html: str) -> str:
    text = trafilatura.extract(
        without_chrome(html), include_comments=False, include_tables=True, favor_precision=True
    )
    return _normalise_space(text or "")


def extract_main_text(html: str) -> str:
    """Main text of a news page: trafilatura first, the <article> reading as fallback."""
    primary = extract_article_trafilatura(html)
    if len(primary) >= MIN_MAIN_TEXT_CHARS:
        return primary
    fallback = extract_article_soup(html)
    return fallback if len(fallback) > len(primary) else primary


# -- SAM notice fields --------------------------------------------------------------------
def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date_or_none(value: Any) -> date | None:
    text = _str_or_none(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _datetime_or_none(value: Any) -> datetime | None:
    text = _str_or_none(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _amount_or_none(value: Any) -> float | None:
    # The API sends the amount as a string ("245000000.00"), sometimes with "$" or commas.
    text = _str_or_none(value)
    if text is None:
        return None
    try:
        return float(text.replace("$", "").replace(",", ""))
    except ValueError:
        return None


def _active(value: Any) -> bool | None:
    text = (_str_or_none(value) or "").lower()
    return {"yes": True, "true": True, "no": False, "false": False}.get(text)


def notice_fields(record: Mapping[str, Any]) -> dict[str, object]:
    """NoticeRow fields (except doc_id) from a SAM opportunity record."""
    award = record.get("award") if isinstance(record.get("award"), dict) else {}
    assert isinstance(award, dict)
    awardee = award.get("awardee") if isinstance(award.get("awardee"), dict) else {}
    assert isinstance(awardee, dict)
    path_code = _str_or_none(record.get("fullParentPathCode"))
    set_aside = _str_or_none(record.get("typeOfSetAsideDescription")) or _str_or_none(
        record.get("typeOfSetAside")
    )
    return {
        "notice_id": str(record["noticeId"]),
        "solicitation_number": _str_or_none(record.get("solicitationNumber")),
        "notice_type": _str_or_none(record.get("type")),
        "base_type": _str_or_none(record.get("baseType")),
        "posted_date": _date_or_none(record.get("postedDate")),
        "response_deadline": _datetime_or_none(record.get("responseDeadLine")),
        "buyer": _str_or_none(record.get("fullParentPathName")),
        "office_code": path_code.split(".")[-1].strip() if path_code else None,
        "naics_code": _str_or_none(record.get("naicsCode")),
        "classification_code": _str_or_none(record.get("classificationCode")),
        "set_aside": set_aside,
        "active": _active(record.get("active")),
        "award_number": _str_or_none(award.get("number")),
        "award_date": _date_or_none(award.get("date")),
        "award_amount": _amount_or_none(award.get("amount")),
        "awardee_name": _str_or_none(awardee.get("name")),
        "awardee_uei": _str_or_none(awardee.get("ueiSAM")),
        "awardee_cage": _str_or_none(awardee.get("cageCode")),
        "ui_link": _str_or_none(record.get("uiLink")),
    }


def _notice_summary(notice: Mapping[str, object], awardee: str | None = None) -> list[str]:
    """The notice's fields labelled as SAM.gov's own notice page labels them.

    The extractor reads notices in that layout (a "Contract Opportunity Type:" line marks a
    notice, "Contractor Awarded Name:" its supplier), so both the API and the web form agree.
    """
    path = str(notice["buyer"] or "").split(".")
    amount = notice["award_amount"]
    labelled = [
        ("Notice ID", notice["solicitation_number"] or notice["notice_id"]),
        ("Contract Opportunity Type", notice["notice_type"]),
        ("Department/Ind. Agency", path[0] if path[0] else None),
        ("Sub-tier", path[1] if len(path) > 1 else None),
        ("Office", path[-1] if len(path) > 2 else None),
        ("Office Code", notice["office_code"]),
        ("Product Service Code", notice["classification_code"]),
        ("NAICS Code", notice["naics_code"]),
        ("Set Aside", notice["set_aside"]),
        ("Published Date", notice["posted_date"]),
        ("Response Date", notice["response_deadline"]),
        ("Award Number", notice["award_number"]),
        ("Award Date", notice["award_date"]),
        # In running text's case, so the company joins its news mentions; the API's own
        # spelling stays in notice.awardee_name.
        ("Contractor Awarded Name", awardee),
        ("Total Contract Value", f"${amount:,.2f}" if isinstance(amount, float) else None),
    ]
    return [f"{label}: {value}" for label, value in labelled if value not in (None, "")]


def _hash(title: str | None, text: str, notice: Mapping[str, object] | None) -> str:
    payload = json.dumps(
        {"title": title, "text": text, "notice": notice}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# -- raw -> document ------------------------------------------------------------------------
def _sam_document(raw: RawDocument) -> Document:
    record = raw.data
    if not isinstance(record, dict) or not record.get("noticeId"):
        raise DocumentError(f"{raw.source} {raw.source_id}: SAM record without data/noticeId")
    notice = notice_fields(record)
    description_html = record.get("description_html")
    description = html_fragment_to_text(description_html) if description_html else ""
    title = raw.title or _str_or_none(record.get("title"))
    # The title travels separately (the extractor reads it as the headline), so the text does
    # not repeat it.
    body = ["", "Description", "", description] if description else []
    api_name = notice["awardee_name"]
    awardee = display_name(api_name, description) if isinstance(api_name, str) else None
    text = "\n".join([*_notice_summary(notice, awardee), *body]).strip()
    return Document(
        doc_id=f"sam:{notice['notice_id']}",
        source=raw.source,
        source_id=raw.source_id,
        kind=raw.kind,
        url=raw.url,
        title=title,
        published_at=raw.published_at,
        language=raw.language,
        fetched_at=raw.fetched_at,
        text=text,
        content_hash=_hash(title, text, notice),
        notice=notice,
        known_suppliers=(awardee,) if isinstance(awardee, str) else (),
    )


def _feed_text(raw: RawDocument) -> str:
    data = raw.data or {}
    for candidate in (data.get("feed_content"), data.get("feed_summary"), raw.body):
        if isinstance(candidate, str) and candidate.strip():
            return html_fragment_to_text(candidate)
    return ""


_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return " ".join(folded.split()).rstrip(" .:;,!?-|")


def drop_leading_title(text: str, title: str | None) -> str:
    """`text` without its first line(s) when they are the title.

    A page's main text often starts with its headline, and the extractor puts the title in
    front of the text itself (`nlp.extractor.Extractor.extract(title=...)`): without this the
    headline is analysed twice and its minerals and amounts count twice. Case, spacing,
    curly quotes and a trailing stop do not matter; a headline wrapped over up to four lines
    is dropped whole. A text that does not start with the title is returned unchanged.
    """
    wanted = _comparable(title or "")
    if not wanted:
        return text
    lines = text.split("\n")
    seen = ""
    for index, line in enumerate(lines[:4]):
        if not line.strip():
            continue
        seen = f"{seen} {line}" if seen else line
        current = _comparable(seen)
        if current == wanted:
            return "\n".join(lines[index + 1 :]).strip()
        if not wanted.startswith(current):
            break
    return text


def document_from_raw(
    raw: RawDocument,
    text: str,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    announcement: dict[str, object] | None = None,
    hashed_fields: Mapping[str, object] | None = None,
    drop_title: bool = False,
    title_only: bool = False,
) -> Document:
    """The Document of a landed page or record: the one place that fills the common fields.

    `doc_id` defaults to the normalised URL identity ("web:..."); `title` to the landed one.
    With `drop_title` (text extracted from a page, which repeats its headline), the text
    loses a leading copy of the title (`drop_leading_title`); a text that was only its title
    leaves an empty text, the title being analysed once. With `title_only`, a record without
    any text (a discovery record whose page failed) is a document too; otherwise an empty
    `text` is a DocumentError. The content hash covers title, text and `hashed_fields`
    (default: the announcement), so an unchanged re-crawl hashes the same and a changed
    field makes a new version.
    """
    title = raw.title if title is None else title
    if not text and not (title_only and title):
        raise DocumentError(f"{raw.source} {raw.source_id}: no text could be extracted")
    if doc_id is None:
        identity = raw.source_id if "://" in raw.source_id else raw.url
        doc_id = f"web:{normalise_url(identity)}"
    if drop_title:
        text = drop_leading_title(text, title)
    hashed = announcement if hashed_fields is None else hashed_fields
    return Document(
        doc_id=doc_id,
        source=raw.source,
        source_id=raw.source_id,
        kind=raw.kind,
        url=raw.url,
        title=title,
        published_at=raw.published_at,
        language=raw.language,
        fetched_at=raw.fetched_at,
        text=text,
        content_hash=_hash(title, text, hashed),
        notice=None,
        known_suppliers=(),
        announcement=announcement,
    )


def _article_document(raw: RawDocument) -> Document:
    text = extract_main_text(raw.body) if raw.body else ""
    # A page whose article cannot be found still has the feed's own text.
    return document_from_raw(raw, text or _feed_text(raw), drop_title=True)


def _feed_entry_document(raw: RawDocument) -> Document:
    """A feed entry or discovery record landed because its page failed (`data.page_error`).

    A discovery record with no text of its own (GDELT publishes no excerpt) is its title.
    """
    data = raw.data or {}
    return document_from_raw(
        raw, _feed_text(raw), drop_title=True, title_only=bool(data.get("page_error"))
    )


# How each landed format becomes a document; a source family with its own format registers
# its converter here (`CONVERTERS["<format>"] = function`) from its own module.
CONVERTERS: dict[str, Callable[[RawDocument], Document]] = {
    "sam_opportunity": _sam_document,
    "article_html": _article_document,
    "feed_entry": _feed_entry_document,
}


def to_document(raw: RawDocument) -> Document:
    """The analysable document for a landed raw item; DocumentError if it cannot be one."""
    converter = CONVERTERS.get(raw.format)
    if converter is None:
        # Leaf modules register their formats when imported, and the registry imports a leaf
        # only when it is first asked for.
        from minwatch.spiders.registry import import_all_spiders

        import_all_spiders()
        converter = CONVERTERS.get(raw.format)
    if converter is None:
        raise DocumentError(f"{raw.source} {raw.source_id}: unknown format {raw.format!r}")
    return converter(raw)


def read_landing(path: Path) -> Iterator[RawDocument | FetchFailure]:
    """Stream a landing file; a corrupt line becomes a FetchFailure naming file and line."""
    path = Path(path)
    with path.open(encoding="utf-8", errors="replace") as landing:
        for line_number, line in enumerate(landing, start=1):
            if not line.strip():
                continue
            fields: Any = None
            try:
                fields = json.loads(line)
                if not isinstance(fields, dict):
                    raise ValueError(f"a JSON {type(fields).__name__}, not an object")
                if fields.get("type") == "error":
                    yield FetchFailure.model_validate(fields)
                else:
                    yield RawDocument.model_validate(fields)
            except (ValueError, ValidationError) as exc:
                reason = str(exc).splitlines()[0][:300]
                source = fields.get("source") if isinstance(fields, dict) else None
                yield FetchFailure(
                    source=str(source or path.parent.name or "unknown"),
                    url=path.resolve().as_uri(),
                    source_id=None,
                    error="corrupt_landing_line",
                    message=f"{path}:{line_number}: {reason}",
                    occurred_at=datetime.now(UTC),
                )
