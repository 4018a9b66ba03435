"""parse_announcement over the MOFCOM text layouts (Chinese and English), and the patterns file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from spiders.mofcom import parse_announcement, parse_page

BEIJING = timezone(timedelta(hours=8))


def test_compact_issue_date_and_effective_date() -> None:
    text = (
        "来源:安全与管制局 类型:转载 分类:政策\n"
        "【发布单位】安全与管制局\n【发布文号】商务部 海关总署公告2025年第58号\n"
        "【发文日期】20251009\n"
        "（一）3A001.a 锂离子电池（参考海关商品编号：8507600010）。\n"
        "（二）人造石墨负极材料（参考海关商品编号：3801909010）。\n"
        "本公告自2025年11月8日起正式实施。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement == {
        "authority": "MOFCOM/GACC",
        "number": "2025-58",
        "title": None,
        "language": "zh",
        "issued_on": "2025-10-09",
        "effective_on": "2025-11-08",
        "items": [
            {"code": "3A001.a", "description": "锂离子电池", "hs_codes": ["8507600010"]},
            {"code": None, "description": "人造石墨负极材料", "hs_codes": ["3801909010"]},
        ],
        "suspends": [],
        "amends": [],
        "suspended_until": None,
    }


def test_title_number_and_published_time_when_labels_are_missing() -> None:
    published = datetime(2024, 12, 3, 11, 40, tzinfo=BEIJING)
    announcement = parse_announcement(
        "一、禁止两用物项对美国军事用户或军事用途出口。\n本公告自公布之日起正式实施。",
        title="商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告",
        language="zh",
        published=published,
    )
    assert announcement is not None
    assert (announcement["authority"], announcement["number"]) == ("MOFCOM", "2024-46")
    assert announcement["issued_on"] == announcement["effective_on"] == "2024-12-03"


def test_a_qa_citing_numbers_is_not_an_announcement() -> None:
    text = "答：经研究，决定暂停实施商务部 海关总署公告2025年第55号至第58号所列措施一年。"
    title = "商务部新闻发言人就暂停实施2025年10月9日公布的出口管制措施答记者问"
    assert parse_announcement(text, title=title, language="zh") is None


def test_amendment_is_listed_and_own_number_excluded() -> None:
    text = (
        "【发布文号】商务部公告2025年第80号\n【发文日期】2025年12月01日\n"
        "现对商务部公告2025年第80号、商务部公告2024年第46号第二条进行修改。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["amends"] == ["2024-46"]
    assert announcement["suspends"] == []


def test_english_suspension_and_gac_authority() -> None:
    text = (
        "[Issuing Unit] Security and Control Bureau [Issuing Document Number] MOFCOM and GAC "
        "Announcement No. 70 of 2025 [Issuing Date] November 7, 2025\n"
        "After study, it is decided to suspend the implementation of MOFCOM and GAC "
        "Announcements Nos. 55, 56, 57 and 58 of 2025 and MOFCOM Announcements Nos. 61 and 62 "
        "of 2025 until November 10, 2026.\n"
        "This announcement shall take effect from the date of promulgation."
    )
    announcement = parse_announcement(text, title=None, language="en")
    assert announcement is not None
    assert (announcement["authority"], announcement["number"]) == ("MOFCOM/GACC", "2025-70")
    assert announcement["suspends"] == [
        "2025-55",
        "2025-56",
        "2025-57",
        "2025-58",
        "2025-61",
        "2025-62",
    ]
    assert announcement["suspended_until"] == "2026-11-10"
    assert announcement["issued_on"] == announcement["effective_on"] == "2025-11-07"


def test_english_dated_effect() -> None:
    text = (
        "[Issuing Document Number] MOFCOM and GACC Announcement No. 23 of 2023 "
        "[Issuing Date] July 3, 2023\nII. This announcement shall take effect on August 1, 2023."
    )
    announcement = parse_announcement(text, title=None, language="en")
    assert announcement is not None
    assert announcement["authority"] == "MOFCOM/GACC"
    assert (announcement["issued_on"], announcement["effective_on"]) == (
        "2023-07-03",
        "2023-08-01",
    )


def test_page_parts() -> None:
    html = (
        '<html><head><meta charset="gb2312"></head><body><div class="location">首页</div>'
        '<div class="art-info"><span>来源:安全与管制局</span> <span>类型:原创</span></div>'
        '<div class="art-time">2025-04-04 18:00</div><h1 class="art-title">标题</h1>'
        '<div id="zoom"><p>【发布单位】安全与管制局</p><p>正文。</p></div>'
        '<div class="footer">主办单位</div></body></html>'
    )
    page = parse_page(html)
    assert page.title == "标题"
    assert page.info == "来源:安全与管制局 类型:原创"
    assert page.published_at == datetime(2025, 4, 4, 18, 0, tzinfo=BEIJING)
    assert page.text == "【发布单位】安全与管制局\n正文。"
