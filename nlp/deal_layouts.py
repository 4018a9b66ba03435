"""The deals a notice's layout states: awardee lists, tables (with "|" cells, record blocks or
columns aligned with spaces), a Chinese tender result's lots, "Label: value" notice blocks and
the contract value a notice states once for all its lines."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from spacy.tokens import Doc

from minwatch.nlp.amounts import TABLE_MONEY_HEADER, Table, parse_number, pipe_tables
from minwatch.nlp.base import (
    LIST_MARKER,
    AmountHit,
    MineralHit,
    OrgHit,
    PhraseTest,
    sentence_bounds,
    sentence_starts,
    text_of,
)
from minwatch.nlp.deal_drafts import (
    Draft,
    cue_phrases,
    main_mineral,
    pick_figure,
    unique,
    zh_cue_phrases,
)

# the columns of a table laid out with spaces: two or more spaces apart
_ALIGNED_CELL_SPLIT = re.compile(r"\s{2,}")
_QUANTITY_WORDS = r"(?:TONNES|TONS|TONNAGE|QUANTITY|VOLUME|MT|KG|LBS?)\b"
_QUANTITY_HEADER = re.compile(_QUANTITY_WORDS, re.I)
_ALIGNED_HEADER = re.compile(rf"(?im)^[ \t]*{_QUANTITY_WORDS}[^\n]*?\S[ \t]{{2,}}\S")
_QUANTITY_UNITS = {"kg": 0.001, "lb": 0.000453592, "lbs": 0.000453592}

# A notice's "Label: value" line ("Quantity: 1,500 kg", "Contract Award Dollar Amount: $...").
_FIELD_LINE = re.compile(r"^[ \t]*[A-Z][\w /()&.,'-]{0,48}:[ \t]*\S")

_PURITY = re.compile(r"\b(?:minimum|min\.?)\s+\d[\d.,]*\s?%", re.I)


class NoticeLayouts:
    """The layout readers of `minwatch_procurements` (a mixin: the component compiles the cue
    patterns they share, `cue_en` among them)."""

    cue_en: PhraseTest

    def compile_layouts(self, cues: dict[str, Any]) -> None:
        # "The awardees are:", "The agency selected the following companies:"
        self.awardee_lead = cue_phrases(cues["awardee_list_leads_en"])
        # "- Harbor Alloys, Dayton, Ohio (contract ...)": an item that opens on a name
        self.awardee_item = re.compile(
            LIST_MARKER + r"(?P<name>[A-Z][\w&.'’-]*(?:[ \t]+(?:[A-Z0-9][\w&.'’-]*"
            r"|(?:de|du|des|van|von|of|and|&)(?=[ \t]+[A-Z])))*"
            r"(?:,?[ \t]+(?:Inc|LLC|Ltd|Corp|Co|L\.P|LP)\.?)?)"
            r"(?=\s*(?:,|\(|$|\s+(?:through|at|of|in|for|to)\b))"
        )
        self.table_cue = cue_phrases(cues["table_cues_en"])
        # "标段一：", "包2：", "第三标段：": the heading of a lot in a Chinese tender result
        self.zh_lot = re.compile(
            r"^[ \t]*(?:标段|标包|包件?|第[一二三四五六七八九十\d]+(?:标段|包))"
            r"[一二三四五六七八九十\d]*[：:]",
            re.M,
        )
        self.zh_winner = re.compile(
            r"^[ \t]*(?:"
            + "|".join(cues["winner_labels_zh"])
            + r")[：:][ \t]*(?P<name>[^\n（(，,]+)",
            re.M,
        )
        self.contract_value_label = zh_cue_phrases(cues["contract_value_labels"])
        self.party_header = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in cues["table_party_headers_en"]) + r")\b",
            re.I,
        )
        self.value_labels = cue_phrases(cues["notice_value_labels"])
        self.quantity_labels = cue_phrases(cues["notice_quantity_labels"])
        self.quantity_reject = cue_phrases(cues["notice_quantity_reject"])
        self.rfi = PhraseTest(cues["call_for_offers_en"], hyphen_after=False)
        # Block headings: "Item 1.", "- CLIN 0001:", "Award 2", "Lot 2 - Yttrium oxide",
        # "Material 1:", "1) Cobalt metal ... 20,000 lbs", "(a) Contract Award Number":
        # a bullet may lead.
        self.item_line = re.compile(
            r"^[ \t]*(?:[-•*▪][ \t]*)?"
            r"(?:(?P<label>Item|CLIN|Line[ \t]+Item|Award|Lot|Material)[ \t]+(?:No\.?[ \t]*)?\d+\b"
            r"|\(?(?:\d{1,2}|[a-z])[.)](?!\d))"
            r"[^\n]*$",
            re.M | re.I,
        )

    def _awardee_list(
        self,
        doc: Doc,
        minerals: list[MineralHit],
        amounts: list[AmountHit],
        orgs: list[OrgHit],
    ) -> tuple[list[Draft], list[tuple[int, int]]]:
        """A multiple award listed one awardee an item: "The awardees are:" then "- A, City,
        State" and "- B, City, State". Each awardee is a line of the award's mineral (named in
        the lead-in or the paragraph before it, else the document's), with the figures its own
        item states; an awardee is a supplier of the document."""
        if doc.lang_ != "en":
            return [], []
        text = text_of(doc)
        starts = [*sentence_starts(doc), len(text)]
        sentences = [(lo, hi) for lo, hi in pairwise(starts) if text[lo:hi].strip()]
        drafts: list[Draft] = []
        spans: list[tuple[int, int]] = []
        main = main_mineral(minerals)
        for index, (lo, hi) in enumerate(sentences):
            lead = text[lo:hi]
            if not (lead.rstrip().endswith(":") and self.awardee_lead.search(lead)):
                continue
            items = []
            for item_lo, item_hi in sentences[index + 1 :]:
                found = self.awardee_item.match(text, item_lo, item_hi)
                if found is None:
                    break
                items.append((item_lo, item_hi, found.start("name"), found.end("name")))
            if len(items) < 2:
                continue
            paragraph = max(text.rfind("\n\n", 0, lo), 0)
            named = [m for m in minerals if paragraph <= m.start < hi]
            kinds = unique(c for m in named for c in m.canonicals) or ([main] if main else [])
            if len(kinds) != 1:
                continue  # several minerals: which awardee has which is not said
            for item_lo, item_hi, name_lo, name_hi in items:
                own = [
                    a
                    for a in amounts
                    if item_lo <= a.start < item_hi and not (a.unit_price or a.excluded)
                ]
                name = text[name_lo:name_hi]
                drafts.append(
                    Draft(
                        kinds[0],
                        pick_figure([a for a in own if a.kind == "money"]),
                        pick_figure([a for a in own if a.kind == "quantity"]),
                        [name],
                        text[item_lo:item_hi].strip(),
                        item_lo,
                        (item_lo, item_hi),
                        listed=True,
                    )
                )
                mention = next((o for o in orgs if o.start < name_hi and name_lo < o.end), None)
                if mention is None:
                    orgs.append(
                        OrgHit(name_lo, name_hi, name, "award_line", "supplier", name, True)
                    )
                elif mention.role in {None, "supplier", "other"}:
                    mention.role, mention.supplier = "supplier", True
                    mention.canonical = mention.canonical or name
                spans.append((item_lo, item_hi))
        orgs.sort(key=lambda o: o.start)
        return drafts, spans

    # -- tables ----------------------------------------------------------------------------
    def _tables(
        self,
        doc: Doc,
        minerals: list[MineralHit],
        amounts: list[AmountHit],
        orgs: list[OrgHit],
        notice: bool,
    ) -> tuple[list[Draft], list[tuple[int, int]]]:
        """One line per row of a pipe table of deals: a plan of acquisitions, a CLIN schedule,
        an award list ("Material | Unit | Maximum quantity | Estimated value"). A table is one
        of deals in a notice, or when its header or the caption lines above it carry a
        procurement cue ("Potential Acquisitions", "Awards"); a price or production table
        names no deal. A row's mineral is the first one in its cells, its mass the quantity
        cell (the revised figure of an amended one), its value the money cell of a value
        column (not a unit price), its supplier the cell of an awardee column."""
        text = text_of(doc)
        drafts: list[Draft] = []
        spans: list[tuple[int, int]] = []
        notice_suppliers = unique(o.canonical or o.text for o in orgs if o.supplier)
        for table in pipe_tables(text):
            # (the caption paragraph may stand apart from the table by a blank line)
            head_end = len(text[: table.start].rstrip("| \t\r\n"))
            caption_lo = max(0, text.rfind("\n\n", 0, head_end))
            caption = text[caption_lo : table.start] + " | ".join(table.header)
            if not (notice or self.cue_en.found_in(caption) or self.table_cue.search(caption)):
                continue
            party_column = next(
                (i for i, h in enumerate(table.header) if self.party_header.search(h)), None
            )
            rows: list[Draft] = []
            # "Company | U3O8 volume | Award value": rows of the one mineral the header names
            first_row = table.rows[0].start if table.rows else table.end
            headed = {m.canonicals for m in minerals if table.start <= m.start < first_row}
            for row in table.rows:
                in_row = [
                    m
                    for m in minerals
                    if row.start <= m.start < row.end
                    and table.column(m.start) != party_column
                    and not any(o.start <= m.start < o.end for o in orgs)
                ]
                if not in_row and len(headed) == 1:
                    in_row = [MineralHit(row.start, row.start, "", next(iter(headed)))]
                figures = [a for a in amounts if row.start <= a.start < row.end]
                masses = [a for a in figures if a.kind == "quantity" and not a.superseded]
                mass = next((a for a in masses if a.amended_to), None) or pick_figure(masses)
                money = pick_figure(
                    [
                        a
                        for a in figures
                        if a.kind == "money"
                        and a.usd
                        and not a.unit_price
                        and self._value_column(table, a)
                    ]
                )
                if not in_row or not (mass or money):
                    continue
                if party_column is not None:
                    cell = row.cells[party_column][2]
                    suppliers = [cell] if cell and cell not in {"-", "—", "N/A"} else []
                else:
                    suppliers = list(notice_suppliers) if len(notice_suppliers) == 1 else []
                for canonical in in_row[0].canonicals:
                    rows.append(
                        Draft(
                            canonical,
                            money,
                            mass,
                            suppliers,
                            text[row.start : row.end],
                            row.start,
                            (row.start, row.end),
                            # (two awardees' rows are two deals, though their figures agree)
                            listed=party_column is not None,
                        )
                    )
            if rows:
                drafts.extend(rows)
                spans.append((table.start, table.end))
        return drafts, spans

    def _aligned_tables(
        self, text: str, minerals: list[MineralHit]
    ) -> tuple[list[Draft], list[tuple[int, int]]]:
        """Award tables laid out in columns of spaces, as wire services print tender results:

            --Zinc ingot
            TONNES   SUPPLIER                     PRICE (FOB/T)
            2,000    Kelso Trading Corp           $142

        one line per row: the mineral of the heading above the header (or of the header), the
        mass of the quantity column in the header's unit, the seller of the party column
        ("SUPPLIER/PREMIUM" cells carry "Name/$79": the name is before the slash)."""
        drafts: list[Draft] = []
        spans: list[tuple[int, int]] = []
        if not _ALIGNED_HEADER.search(text):
            return drafts, spans  # (most texts: no line starts a column table)
        lines = list(re.finditer(r"[^\n]*", text))
        lines = [m for m in lines if m.end() > m.start()]
        index = 0
        while index < len(lines):
            header = lines[index]
            cells = _ALIGNED_CELL_SPLIT.split(header.group().strip())
            quantity = next((i for i, c in enumerate(cells) if _QUANTITY_HEADER.match(c)), None)
            party = next((i for i, c in enumerate(cells) if self.party_header.match(c)), None)
            index += 1
            if len(cells) < 2 or quantity is None or party is None:
                continue
            above = max(0, text.rfind("\n\n", 0, header.start()))
            near = [m for m in minerals if above <= m.start < header.end()]
            # (a heading "--Zinc ingot" the mineral reader left alone: a name it read
            # elsewhere in the text)
            heading = text[above : header.end()].lower()
            near = near or [m for m in minerals if m.text and m.text.lower() in heading]
            if not near:
                continue
            mineral = near[-1]
            factor = _QUANTITY_UNITS.get(cells[quantity].split()[0].lower(), 1.0)
            end = header.end()
            while index < len(lines):
                row = lines[index]
                if text[end : row.start()].count("\n") > 1:
                    break  # a blank line ends the table
                values = _ALIGNED_CELL_SPLIT.split(row.group().strip())
                if len(values) != len(cells) or not re.match(r"\d", values[quantity]):
                    break
                figure = re.fullmatch(r"\d[\d,]*(?:\.\d+)?", values[quantity])
                name = values[party].split("/")[0].strip()
                if figure and name:
                    at = row.start() + row.group().index(values[quantity])
                    tonnes = parse_number(figure.group()) * factor
                    mass = AmountHit(
                        "quantity",
                        at,
                        at + len(figure.group()),
                        figure.group(),
                        tonnes,
                        tonnes=tonnes,
                    )
                    for canonical in mineral.canonicals:
                        drafts.append(
                            Draft(
                                canonical,
                                None,
                                mass,
                                [name],
                                row.group(),
                                row.start(),
                                (row.start(), row.end()),
                                listed=True,
                            )
                        )
                end = row.end()
                index += 1
            if end > header.end():
                spans.append((header.start(), end))
        return drafts, spans

    def _zh_lots(
        self, doc: Doc, minerals: list[MineralHit], amounts: list[AmountHit]
    ) -> list[Draft]:
        """A Chinese award announcement (中标结果公告) lists one block per lot:
            标段二：钨精矿（WO3≥65%）
            采购数量：120吨
            中标人：云溪矿业有限责任公司
            中标金额：1860万元（含税）
        Each block is a line: the heading's mineral, the block's mass, its labelled value (not
        the unit price, 中标单价) and its winner. A block runs to the next heading or blank
        line."""
        text = text_of(doc)
        heads = list(self.zh_lot.finditer(text))
        drafts: list[Draft] = []
        for index, head in enumerate(heads):
            start = head.start()
            end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
            blank = text.find("\n\n", head.end(), end)
            end = blank if blank >= 0 else end
            line_end = text.find("\n", start, end)
            line_end = end if line_end < 0 else line_end
            named = [m for m in minerals if start <= m.start < line_end] or [
                m for m in minerals if start <= m.start < end
            ]
            if not named:
                continue
            figures = [a for a in amounts if start <= a.start < end and not a.unit_price]
            mass = pick_figure([a for a in figures if a.kind == "quantity" and not a.superseded])
            money = pick_figure([a for a in figures if a.kind == "money" and a.usd])
            winner = self.zh_winner.search(text, start, end)
            suppliers = [winner.group("name").strip()] if winner else []
            if not (mass or money):
                continue
            for canonical in named[0].canonicals:
                drafts.append(
                    Draft(canonical, money, mass, suppliers, text[start:end], start, (start, end))
                )
        return drafts

    def _contract_value(self, doc: Doc, drafts: list[Draft], amounts: list[AmountHit]) -> None:
        """An exchange filing states the contract's value under its own label ("● 合同金额：
        ...合同金额合计人民币9亿元（约合1.26亿美元）", "Contract value: US$18 million"), apart
        from the sentence that names the mineral and mass. A document with one line and no
        value for it takes the first dollar figure after that label, in the label's sentence."""
        if len(drafts) != 1 or drafts[0].usd is not None:
            return
        text = text_of(doc)
        for label in self.contract_value_label.finditer(text):
            _, hi = sentence_bounds(doc, label.start())
            money = [
                a
                for a in amounts
                if a.kind == "money"
                and label.end() <= a.start < hi
                and a.usd
                and not (a.unit_price or a.excluded or a.in_title)
            ]
            if money:
                drafts[0].usd = money[0]
                return

    @staticmethod
    def _value_column(table: Table, amount: AmountHit) -> bool:
        """Money in a column headed as a value ("Estimated value", "Award amount ($)"), not
        in one headed as a price per unit ("Unit price")."""
        column = table.column(amount.start)
        if column is None:
            return False
        header = table.header[column]
        if re.search(r"\b(?:unit|per)\b|/\s*(?:t|kg|lb|mt)\b", header, re.I):
            return False
        return bool(TABLE_MONEY_HEADER.search(header)) or not re.search(r"price", header, re.I)

    # -- notices ---------------------------------------------------------------------------
    def _notice(
        self,
        doc: Doc,
        minerals: list[MineralHit],
        amounts: list[AmountHit],
        orgs: list[OrgHit],
        tabled: bool = False,
    ) -> list[Draft]:
        suppliers = unique(o.canonical or o.text for o in orgs if o.supplier)
        body = [a for a in amounts if not a.in_title]
        values = [
            a for a in body if a.kind == "money" and not a.unit_price and a.usd and not a.superseded
        ]
        # An IDIQ's guaranteed minimum is never the line's value; its maximum is.
        values = [a for a in values if not a.minimum] or values
        value = (
            self._labelled(doc, values, self.value_labels)
            or next((a for a in values if a.bound == "upper"), None)
            or (values[0] if values else None)
        )
        drafts = self._notice_blocks(doc, minerals, body, values, orgs, suppliers)
        # Several CLINs of one material without their own quantities are one line.
        if (
            len({d.mineral for d in drafts}) == 1
            and all(d.tonnes is None for d in drafts)
            and len({tuple(d.suppliers) for d in drafts}) == 1
        ):
            drafts = []
        if drafts:
            # A notice-wide value prices a single-material notice, unless each award states
            # its own (a "total value" of the awards is their sum, not a line's value).
            if (
                value is not None
                and len({d.mineral for d in drafts}) == 1
                and not any(d.usd for d in drafts)
            ):
                for draft in drafts:
                    draft.usd = draft.usd or value
            return drafts
        if tabled:
            # the notice's table already gave one line per item
            return []
        masses = [a for a in body if a.kind == "quantity" and not a.superseded]
        labelled = [a for a in masses if not self._rejected_quantity(doc, a)]
        mass = (
            next((a for a in labelled if a.amended_to), None)
            or self._labelled(doc, labelled, self.quantity_labels)
            or (labelled[0] if labelled else (masses[0] if masses else None))
        )
        named = [m for m in minerals if m.in_title] or minerals[:1]
        for canonical in unique(c for m in named for c in m.canonicals):
            drafts.append(Draft(canonical, value, mass, list(suppliers), "", 0))
        return drafts

    def _notice_blocks(
        self,
        doc: Doc,
        minerals: list[MineralHit],
        body: list[AmountHit],
        values: list[AmountHit],
        orgs: list[OrgHit],
        suppliers: list[str],
    ) -> list[Draft]:
        """One draft per item, lot, CLIN or award block of a notice.

        A block runs from its heading line ("Award 2", "Lot 2 - Yttrium oxide", "CLIN 0002:",
        "Material 1:", "(b) Contract Award Number ...") to the next heading or the end of its
        paragraph, so the "Quantity:", "Award Amount:" and "Awardee:" lines under a heading
        belong to that block alone. A block naming no mineral ("(a)", "(b)" under "Item 3:
        Niobium ... The item went to two firms") takes the mineral of the heading above it in the
        same paragraph; that heading is then no line of its own.
        """
        text = text_of(doc)
        heads = list(self.item_line.finditer(text))
        spans: list[tuple[int, int, re.Match[str]]] = []
        for index, head in enumerate(heads):
            # The block is its heading line and the "Label: value" lines under it; a line of
            # prose ("The agency plans to award ...") or a blank line ends it.
            end = head.end()
            for line in re.finditer(r"\n([^\n]*)", text[head.end() :]):
                if not _FIELD_LINE.match(line.group(1)):
                    break
                end = head.end() + line.end()
            if index + 1 < len(heads):
                end = min(end, heads[index + 1].start())
            spans.append((head.start(), end, head))
        awardees = [o for o in orgs if o.supplier]
        notice_minerals = unique(c for m in minerals for c in m.canonicals)
        drafts: list[Draft] = []
        parents: set[int] = set()
        # The last heading that named a mineral but stated no figure or awardee of its own:
        # (paragraph start, mineral, draft index).
        previous: tuple[int, str, int] | None = None
        for start, end, head in spans:
            paragraph_start = text.rfind("\n\n", 0, start)
            # "Awardee: OSTRAND RARE EARTH LLC" names a company, not the block's mineral.
            in_block = [
                m
                for m in minerals
                if start <= m.start < end and not any(o.start <= m.start < o.end for o in orgs)
            ]
            masses = [
                a
                for a in body
                if a.kind == "quantity"
                and start <= a.start < end
                and not a.superseded
                and not self._rejected_quantity(doc, a)
            ]
            own_values = [a for a in values if start <= a.start < end]
            own_suppliers = unique(
                o.canonical or o.text for o in awardees if start <= o.start < end
            )
            figures = bool(masses or own_values or own_suppliers)
            if in_block:
                canonicals = unique(c for m in in_block[:1] for c in m.canonicals)
            elif figures and previous is not None and previous[0] == paragraph_start:
                canonicals = [previous[1]]
                parents.add(previous[2])
            elif own_suppliers and len(notice_minerals) == 1:
                # "Award 2 / Awardee: ... / Quantity: 18,000 MT" in a notice of one material:
                # each award block is a contract of that material
                canonicals = notice_minerals
            else:
                continue
            # A plain numbered line is an item only when it states the mineral's quantity.
            if head.group("label") is None and not figures:
                continue
            mass = (
                next((a for a in masses if a.amended_to), None)
                or self._labelled(doc, masses, self.quantity_labels)
                or (masses[0] if masses else None)
            )
            # "CLIN 0001: ... Estimated value: $3,480,000." prices that item alone.
            own_value = self._labelled(doc, own_values, self.value_labels) or (
                own_values[0] if own_values else None
            )
            if in_block:
                previous = None if figures else (paragraph_start, canonicals[0], len(drafts))
            for canonical in canonicals:
                drafts.append(
                    Draft(
                        canonical,
                        own_value,
                        mass,
                        own_suppliers or list(suppliers),
                        text[start:end].strip(),
                        start,
                    )
                )
        return [d for i, d in enumerate(drafts) if i not in parents]

    def _labelled(
        self, doc: Doc, hits: list[AmountHit], labels: re.Pattern[str]
    ) -> AmountHit | None:
        for hit in hits:
            if self._near(doc, hit, labels):
                return hit
        return None

    @staticmethod
    def _distance(doc: Doc, hit: AmountHit, pattern: re.Pattern[str]) -> int | None:
        """Characters between the closest preceding label on the hit's line and the hit."""
        line_start = text_of(doc).rfind("\n", 0, hit.start) + 1
        window = text_of(doc)[max(line_start, hit.start - 60) : hit.start]
        ends = [m.end() for m in pattern.finditer(window)]
        return len(window) - ends[-1] if ends else None

    def _near(self, doc: Doc, hit: AmountHit, pattern: re.Pattern[str]) -> bool:
        return self._distance(doc, hit, pattern) is not None

    def _rejected_quantity(self, doc: Doc, hit: AmountHit) -> bool:
        """A minimum order, a delivery lot or a drum size ("Minimum order quantity: 50 t",
        "packed in bags of 500 kg"), unless a sentence ends between that label and the figure
        ("purity minimum 99.9% Gd2O3. Total quantity: 4,000 kilograms")."""
        line_start = text_of(doc).rfind("\n", 0, hit.start) + 1
        window = text_of(doc)[max(line_start, hit.start - 60) : hit.start]
        # "minimum 99.2% Co" is a purity, not a minimum order
        window = _PURITY.sub(lambda m: " " * len(m.group()), window)
        ends = [m.end() for m in self.quantity_reject.finditer(window)]
        return bool(ends) and not re.search(r"[.;]\s", window[ends[-1] :])
