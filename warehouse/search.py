"""Full-text search over the warehouse's documents: BM25 ranking with DuckDB's `fts` extension.

The extension comes from the `duckdb-extension-fts` package, loaded by its file path (nothing is
downloaded; DuckDB checks its signature). The index is built in memory from the warehouse,
opened read-only, at each search: the published warehouse stays untouched and the index can
never be stale. That costs a second or so per few thousand documents (docs/schema.md says when
to keep an index instead).

Chinese is written without spaces, and the extension's tokenizer splits on them: each CJK
character is indexed as a token of its own, and a query's characters likewise, so "锑矿" finds
texts with 锑 and 矿 and the phrase filter below keeps those with "锑矿" itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from minwatch.warehouse.lake import load_extension

_CJK = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")
# What the index keeps of a text: letters, digits and CJK characters; the rest splits tokens.
# (the CJK ranges as characters: the extension's regular expressions know no \u escapes)
_IGNORE = "(\\.|[^a-z0-9\u3400-\u9fff\uf900-\ufaff])+"
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Hit:
    doc_id: str
    source: str
    title: str | None
    url: str
    published_at: datetime | None
    score: float
    snippet: str
    minerals: tuple[str, ...]
    deals: tuple[str, ...]


def _tokens(text: str) -> str:
    """The text as the index reads it: CJK characters set apart as words."""
    return _CJK.sub(r" \1 ", text)


def _snippet(text: str, query: str) -> str:
    """The text around the query's first occurrence (or its first word's), on one line."""
    flat = " ".join(text.split())
    words = [w for w in re.split(r"\s+", query.strip()) if w]
    at = -1
    for needle in [query.strip(), *words]:
        at = flat.casefold().find(needle.casefold())
        if at >= 0:
            break
    if at < 0:
        return flat[:SNIPPET_CHARS]
    start = max(0, at - SNIPPET_CHARS // 3)
    end = min(len(flat), start + SNIPPET_CHARS)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def search(
    db: Path,
    query: str,
    *,
    sources: tuple[str, ...] = (),
    since: date | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Documents matching every word of `query` (and, for several words, the phrase itself),
    ranked by BM25, with a snippet and the facts extracted from each."""
    if not query.strip():
        raise ValueError("an empty query matches nothing; give a word or a phrase")
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET autoinstall_known_extensions = false")
        load_extension(con, "fts")
        con.execute(f"ATTACH '{str(db).replace(chr(39), chr(39) * 2)}' AS wh (READ_ONLY)")
        rows = con.execute(
            "SELECT doc_id, coalesce(title, ''), text FROM wh.document"
            + (" WHERE source IN (SELECT unnest(?))" if sources else "")
            + (" AND" if sources and since else " WHERE" if since else "")
            + (" coalesce(published_at, first_seen_at)::DATE >= ?" if since else ""),
            [p for p in ([list(sources)] if sources else []) + ([since] if since else [])],
        ).fetchall()
        con.execute("CREATE TABLE corpus (doc_id VARCHAR PRIMARY KEY, title VARCHAR, body VARCHAR)")
        con.executemany(
            "INSERT INTO corpus VALUES (?, ?, ?)",
            [(doc_id, _tokens(title), _tokens(text)) for doc_id, title, text in rows],
        )
        if not rows:
            return []
        con.execute(
            "PRAGMA create_fts_index('corpus', 'doc_id', 'title', 'body', "
            f"stemmer = 'none', stopwords = 'english', ignore = '{_IGNORE}', "
            "strip_accents = 0, lower = 1, overwrite = 1)"
        )
        phrase = " ".join(query.split())
        ranked = con.execute(
            """
            SELECT d.doc_id, d.source, d.title, d.url, d.published_at, d.text, r.score
            FROM (
                SELECT doc_id, fts_main_corpus.match_bm25(doc_id, ?) AS score
                FROM corpus
            ) AS r
            JOIN wh.document AS d USING (doc_id)
            WHERE r.score IS NOT NULL
              AND (
                  strpos(lower(d.text), lower(?)) > 0
                  OR strpos(lower(coalesce(d.title, '')), lower(?)) > 0
              )
            ORDER BY r.score DESC, d.doc_id
            LIMIT ?
            """,
            [_tokens(phrase), phrase, phrase, limit],
        ).fetchall()
        hits = []
        for doc_id, source, title, url, published, text, score in ranked:
            minerals = con.execute(
                "SELECT DISTINCT canonical FROM wh.mention WHERE doc_id = ? AND kind = 'mineral' "
                "ORDER BY 1",
                [doc_id],
            ).fetchall()
            deals = con.execute(
                "SELECT mineral, usd, tonnes, suppliers FROM wh.procurements WHERE doc_id = ? "
                "ORDER BY mineral",
                [doc_id],
            ).fetchall()
            hits.append(
                Hit(
                    doc_id=doc_id,
                    source=source,
                    title=title,
                    url=url,
                    published_at=published,
                    score=float(score),
                    snippet=_snippet(text, phrase),
                    minerals=tuple(m for (m,) in minerals if m),
                    deals=tuple(_deal(*deal) for deal in deals),
                )
            )
        return hits
    finally:
        con.close()


def _deal(mineral: str, usd: float | None, tonnes: float | None, suppliers: list[str]) -> str:
    parts = [mineral]
    if usd:
        parts.append(f"${usd:,.0f}")
    if tonnes:
        parts.append(f"{tonnes:,.1f} t")
    if suppliers:
        parts.append("from " + ", ".join(suppliers))
    return " ".join(parts)
