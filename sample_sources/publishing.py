"""Publishing on a copy of the sample site while something polls it (tests, benches).

`copy_site` copies the bundled sample sources to a directory a `SampleServer(root=...)` can
serve; the other functions publish there what a real site would: a new row on top of the
Security and Control Bureau's list and its page, a new filing on the public inspection desk,
the published version of a filing in the Federal Register's documents.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from minwatch.sample_sources import SAMPLE_ROOT


def copy_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_ROOT, site, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return site


def mofcom_page(number: int, title: str, items: str) -> str:
    return textwrap.dedent(
        f"""\
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><title>{title}</title></head>
        <body>
        <div class="art-box">
          <div class="art-title">{title}
            <div class="art-info"><span>来源：安全与管制局</span> <span>类型：原创</span>
            <span>2026-03-02 17:00</span></div>
          </div>
          <div class="art-con art-con-gonggao"><span>【发布单位】安全与管制局</span>
          <span>【发布文号】商务部公告2026年第{number}号</span><span>【发文日期】2026年03月02日</span></div>
          <div ergodic="article" class="art-con art-con-bottonmLine">
            <p>根据《中华人民共和国出口管制法》有关规定，决定对下列物项实施出口管制：</p>
            {items}
            <p>本公告自公布之日起正式实施。</p>
          </div>
        </div>
        </body>
        </html>
        """
    )


def publish_mofcom(site: Path, number: int, slug: str, title: str, items: str) -> None:
    """A new row on top of the Security and Control Bureau's list, and its page."""
    page = site / "aqygzj" / "gzdt" / "art" / "2026" / f"art_{slug}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(mofcom_page(number, title, items), encoding="utf-8")
    index = site / "aqygzj" / "index.html"
    html = index.read_text(encoding="utf-8")
    row = (
        f'<li><a href="https://aqygzj.mofcom.gov.cn/gzdt/art/2026/art_{slug}.html" '
        f'target="_blank">{title}</a><span>2026-03-02</span></li>\n      '
    )
    marker = '<ul class="news-list">\n      '
    index.write_text(html.replace(marker, marker + row, 1), encoding="utf-8")


def file_on_public_inspection(site: Path, number: str, title: str, text: str) -> None:
    desk_path = site / "federal_register" / "public_inspection" / "current.json"
    desk = json.loads(desk_path.read_text(encoding="utf-8"))
    record = dict(desk["results"][0])  # 2026-04410: a BIS rule
    record |= {
        "document_number": number,
        "title": title,
        "subject_1": title,
        "filing_type": "special",
        "filed_at": "2026-03-05T21:15:00Z",
        "publication_date": "2026-03-06",
        "last_public_inspection_issue": "2026-03-05",
        "html_url": f"https://www.federalregister.gov/public-inspection/{number}/x",
        "json_url": f"https://www.federalregister.gov/api/v1/public-inspection-documents/{number}.json",
        "pdf_url": f"https://public-inspection.federalregister.gov/{number}.pdf",
        "raw_text_url": f"__BASE_URL__/federal_register/public_inspection/raw_text/{number}.txt",
    }
    (desk_path.parent / "raw_text" / f"{number}.txt").write_text(text, encoding="utf-8")
    desk["results"].insert(0, record)
    desk["count"] = len(desk["results"])
    desk_path.write_text(json.dumps(desk, indent=1), encoding="utf-8")


def publish_in_the_register(site: Path) -> None:
    """2026-04410, filed on the desk, appears in the Register: same dates, same items."""
    path = site / "federal_register" / "documents.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    template = next(r for r in payload["results"] if r["document_number"] == "2025-17288")
    filed = site / "federal_register" / "public_inspection" / "raw_text" / "2026-04410.txt"
    record = dict(template) | {
        "document_number": "2026-04410",
        "title": (
            "Implementation of Controls on Tungsten, Tellurium, and Bismuth Items; Additions "
            "to the Commerce Control List"
        ),
        "abstract": "BIS adds ECCN 1C998 (tungsten) and revises ECCN 1C999.",
        "html_url": "https://www.federalregister.gov/documents/2026/03/05/2026-04410/x",
        "pdf_url": "https://www.govinfo.gov/content/pkg/FR-2026-03-05/pdf/2026-04410.pdf",
        "publication_date": "2026-03-05",
        "effective_on": "2026-03-05",
        "raw_text_url": "__BASE_URL__/federal_register/full_text/text/2026/03/05/2026-04410.txt",
        "body_html_url": None,
        "citation": "91 FR 10250",
        "dates": "This rule is effective March 5, 2026.",
    }
    text = site / "federal_register" / "full_text" / "text" / "2026" / "03" / "05"
    text.mkdir(parents=True, exist_ok=True)
    (text / "2026-04410.txt").write_text(filed.read_text(encoding="utf-8"), encoding="utf-8")
    payload["results"].append(record)
    path.write_text(json.dumps(payload, indent=1), encoding="utf-8")


def without_broken_pages(site: Path) -> None:
    """Take the sample's deliberately broken pages off the lists a watcher polls (the Chinese
    list's missing No. 56, the bureau's truncated No. 70): failed pages are asked for again by
    every poll, so an idle poll's cost is measured without them as well."""
    listing_path = site / "mofcom" / "zwgk" / "zcfb" / "list_items.json"
    listing = json.loads(listing_path.read_text(encoding="utf-8"))
    listing["items"] = [i for i in listing["items"] if "第56号" not in i["title"]]
    listing_path.write_text(json.dumps(listing, ensure_ascii=False, indent=1), encoding="utf-8")
    index = site / "aqygzj" / "index.html"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    truncated = "art_8b1c4d5e6f7a4b8c1d2e3f4a5b6c7d83.html"
    index.write_text("".join(line for line in lines if truncated not in line), encoding="utf-8")
