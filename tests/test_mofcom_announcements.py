"""parse_announcement over the MOFCOM text layouts (Chinese and English), and the patterns file."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.spiders.mofcom import (
    Language,
    clean_title,
    datetime_in,
    parse_announcement,
    parse_page,
)

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
        "clauses": [{"clause": "本公告", "effective_on": "2025-11-08"}],
        "items": [
            {"code": "3A001.a", "description": "锂离子电池", "hs_codes": ["8507600010"]},
            {"code": None, "description": "人造石墨负极材料", "hs_codes": ["3801909010"]},
        ],
        "suspends": [],
        "amends": [],
        "suspended_from": None,
        "suspended_until": None,
        "suspensions": [],
        "numbered_clauses": [],
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


# -- clause-level effective dates ------------------------------------------------------------
NO_61_HEAD = (
    "【发布单位】安全与管制局\n【发布文号】商务部公告2025年第61号\n【发文日期】2025年10月09日\n"
    "一、境外组织和个人出口下列物项，应当取得两用物项出口许可证件：\n"
    "（一）境外生产的含有原产于中国的稀土物项价值比例达到0.1%及以上的稀土永磁材料；\n"
    "（二）使用原产于中国的稀土相关技术在境外生产的上述物项；\n"
    "（三）原产于中国的上述物项。\n"
)


def test_main_measures_named_after_a_whole_announcement_clause() -> None:
    # The whole announcement from publication, "其中" its main measures later.
    text = NO_61_HEAD + (
        "五、本公告自公布之日起正式实施。其中，第一条第（一）项、第（二）项自2025年12月1日起实施。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["clauses"] == [
        {"clause": "本公告", "effective_on": "2025-10-09"},
        {"clause": "第一条第（一）项、第（二）项", "effective_on": "2025-12-01"},
    ]
    assert announcement["effective_on"] == "2025-12-01"


def test_a_subject_before_the_comma_and_a_clause_naming_nothing() -> None:
    text = NO_61_HEAD + (
        "第一条第（一）项、第（二）项规定的措施，自2025年12月1日起施行；"
        "经国务院批准，其余措施自即日起生效。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["clauses"] == [
        {"clause": "第一条第（一）项、第（二）项", "effective_on": "2025-12-01"},
        {"clause": "其余措施", "effective_on": "2025-10-09"},
    ]
    plain = parse_announcement(
        "【发布文号】商务部公告2025年第62号\n【发文日期】2025年10月09日\n"
        "经国务院批准，自2025年11月8日起实施。",
        title=None,
        language="zh",
    )
    assert plain is not None
    assert plain["clauses"] == [{"clause": "本公告", "effective_on": "2025-11-08"}]


# -- suspension spans ----------------------------------------------------------------------
def test_suspension_span_after_a_comma_and_effect_by_zhixing() -> None:
    text = (
        "【发布文号】商务部 海关总署公告2025年第70号\n【发文日期】2025年11月07日\n"
        "经研究，决定暂停实施商务部 海关总署公告2025年第55号、第56号、第57号、第58号，"
        "商务部公告2025年第61号、第62号所列措施，至2026年11月10日。\n"
        "本公告自公布之日起执行。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["suspends"] == [
        "2025-55",
        "2025-56",
        "2025-57",
        "2025-58",
        "2025-61",
        "2025-62",
    ]
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-07",
        "2026-11-10",
    )
    assert announcement["effective_on"] == "2025-11-07"


def test_suspension_span_before_the_verb() -> None:
    # The wording reported for the November 2025 notices: span first, verb last, and the
    # clause of an earlier announcement that is suspended.
    text = (
        "【发布文号】商务部公告2025年第72号\n【发文日期】2025年11月09日\n"
        "经批准，自即日起至2026年11月27日，商务部公告2024年第46号"
        "（《关于加强相关两用物项对美国出口管制的公告》）第二款暂停实施。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["suspends"] == ["2024-46"]
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-09",
        "2026-11-27",
    )
    # No effect clause of its own: it takes effect when the suspension starts, never at its end.
    assert (announcement["clauses"], announcement["effective_on"]) == ([], "2025-11-09")


def test_the_day_the_measures_resume_ends_the_suspension() -> None:
    text = (
        "【发布文号】商务部 海关总署公告2025年第70号\n【发文日期】2025年11月07日\n"
        "决定暂停实施商务部 海关总署公告2025年第55号、第56号所列措施，"
        "自2026年11月10日起恢复实施。\n"
        "本公告自公布之日起执行。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-07",
        "2026-11-10",
    )
    assert announcement["effective_on"] == "2025-11-07"
    english = parse_announcement(
        "[Issuing Document Number] MOFCOM and GAC Announcement No. 70 of 2025 "
        "[Issuing Date] November 7, 2025\n"
        "The measures of MOFCOM and GAC Announcements Nos. 55 and 56 of 2025 are suspended and "
        "shall be implemented from November 10, 2026.",
        title=None,
        language="en",
    )
    assert english is not None
    # The measures' return is the suspension's end, not the day No. 70 takes effect.
    assert (english["suspended_from"], english["suspended_until"]) == ("2025-11-07", "2026-11-10")
    assert english["clauses"] == [] and english["effective_on"] == "2025-11-07"


def test_a_dated_suspension_start_is_not_an_effective_date() -> None:
    text = (
        "【发布文号】商务部 海关总署公告2025年第70号\n【发文日期】2025年11月07日\n"
        "自2025年11月10日起至2026年11月10日，暂停实施商务部 海关总署公告2025年第55号、"
        "56号、57号、58号。\n本公告自公布之日起施行。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["suspends"] == ["2025-55", "2025-56", "2025-57", "2025-58"]
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-10",
        "2026-11-10",
    )
    assert announcement["effective_on"] == "2025-11-07"


def test_english_suspension_taking_effect_on_a_date_until_a_date() -> None:
    text = (
        "[Issuing Document Number] MOFCOM Announcement No. 72 of 2025 [Issuing Date] "
        "November 9, 2025\n"
        "The suspension of Article 2 of MOFCOM Announcement No. 46 of 2024 shall take effect on "
        "November 10, 2025 and last until November 27, 2026."
    )
    announcement = parse_announcement(text, title=None, language="en")
    assert announcement is not None
    assert announcement["suspends"] == ["2024-46"]
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-10",
        "2026-11-27",
    )
    assert announcement["effective_on"] == "2025-11-10"


def test_english_suspension_from_a_date_until_a_date() -> None:
    text = (
        "[Issuing Document Number] MOFCOM and GAC Announcement No. 70 of 2025 "
        "[Issuing Date] November 7, 2025\n"
        "The implementation of MOFCOM and GAC Announcements Nos. 55, 56, 57 and 58 of 2025 is "
        "suspended from November 10, 2025 until November 10, 2026. This announcement shall "
        "come into force on the date of promulgation."
    )
    announcement = parse_announcement(text, title=None, language="en")
    assert announcement is not None
    assert announcement["suspends"] == ["2025-55", "2025-56", "2025-57", "2025-58"]
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-10",
        "2026-11-10",
    )
    assert announcement["clauses"] == [
        {"clause": "This announcement", "effective_on": "2025-11-07"}
    ]


# -- suspensions of some clauses ------------------------------------------------------------
NO_72_ZH = "【发布文号】商务部公告2025年第72号\n【发文日期】2025年11月09日\n"
NO_72_EN = (
    "[Issuing Document Number] MOFCOM Announcement No. 72 of 2025 [Issuing Date] November 9, 2025\n"
)
CLAUSE_2_OF_46 = [
    {
        "announcement": "2024-46",
        "clauses": ["2"],
        "suspended_from": "2025-11-09",
        "suspended_until": "2026-11-27",
    }
]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "zh",
            NO_72_ZH + "经批准，自即日起至2026年11月27日，商务部公告2024年第46号"
            "（《关于加强相关两用物项对美国出口管制的公告》）第二款暂停实施。",
        ),
        (
            "zh",
            NO_72_ZH + "经研究，决定自公布之日起暂停实施《商务部关于加强相关两用物项对美国"
            "出口管制的公告》（商务部公告2024年第46号）第二款，至2026年11月27日。\n"
            "商务部公告2024年第46号第一款继续实施。\n本公告自公布之日起执行。",
        ),
        ("zh", NO_72_ZH + "商务部公告2024年第46号公告第二条自即日起暂停实施，至2026年11月27日。"),
        (
            "en",
            NO_72_EN + "After study, it is decided to suspend the implementation of Article 2 of "
            "MOFCOM Announcement No. 46 of 2024 from the date of promulgation until "
            "November 27, 2026. Article 1 of MOFCOM Announcement No. 46 of 2024 continues to "
            "be implemented.",
        ),
        (
            "en",
            NO_72_EN + "The second paragraph of MOFCOM Announcement No. 46 of 2024 is suspended "
            "with immediate effect until November 27, 2026.",
        ),
        (
            "en",
            NO_72_EN + "Article II of the Announcement on Strengthening Export Control of "
            "Relevant Dual-use Items to the United States (MOFCOM Announcement No. 46 of 2024) "
            "is suspended from November 9, 2025 until November 27, 2026.",
        ),
    ],
)
def test_a_suspension_of_one_clause_names_the_clause(language: Language, text: str) -> None:
    announcement = parse_announcement(text, title=None, language=language)
    assert announcement is not None
    # `suspends` keeps every target, as its readers expect; `suspensions` says which clauses.
    assert announcement["suspends"] == ["2024-46"]
    assert announcement["suspensions"] == CLAUSE_2_OF_46
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-09",
        "2026-11-27",
    )


def test_whole_and_clause_suspensions_in_one_sentence() -> None:
    english = parse_announcement(
        NO_72_EN + "The implementation of MOFCOM and GAC Announcements Nos. 55 and 56 of 2025 and "
        "Article 2 of MOFCOM Announcement No. 46 of 2024 is suspended until November 27, 2026.",
        title=None,
        language="en",
    )
    assert english is not None
    assert [(s["announcement"], s["clauses"]) for s in english["suspensions"]] == [
        ("2025-55", []),
        ("2025-56", []),
        ("2024-46", ["2"]),
    ]
    chinese = parse_announcement(
        NO_72_ZH + "决定暂停实施商务部 海关总署公告2025年第55号所列措施，"
        "商务部公告2025年第61号第一条第（一）项、第（二）项，至2026年11月10日。",
        title=None,
        language="zh",
    )
    assert chinese is not None
    assert chinese["suspends"] == ["2025-55", "2025-61"]
    assert [(s["announcement"], s["clauses"]) for s in chinese["suspensions"]] == [
        ("2025-55", []),
        ("2025-61", ["1(1)", "1(2)"]),
    ]


def test_a_whole_suspension_names_no_clause_and_keeps_its_span() -> None:
    text = (
        "【发布文号】商务部 海关总署公告2025年第70号\n【发文日期】2025年11月07日\n"
        "经研究，决定暂停实施商务部 海关总署公告2025年第55号、第56号，"
        "商务部公告2025年第61号所列措施，至2026年11月10日。\n本公告自公布之日起执行。"
    )
    announcement = parse_announcement(text, title=None, language="zh")
    assert announcement is not None
    assert announcement["suspensions"] == [
        {
            "announcement": key,
            "clauses": [],
            "suspended_from": "2025-11-07",
            "suspended_until": "2026-11-10",
        }
        for key in ("2025-55", "2025-56", "2025-61")
    ]


def test_an_announcement_numbers_its_own_clauses() -> None:
    no_46 = SAMPLE_ROOT / "mofcom/zwgk/zcfb/art/2024/art_7c1d9e3f5a2b4c8d8e0f1a3b5c7d9e2f.html"
    page = parse_page(no_46.read_text(encoding="utf-8"))
    announcement = parse_announcement(
        page.full_text, title=page.title, language="zh", published=page.published_at
    )
    assert announcement is not None and announcement["numbered_clauses"] == ["1", "2"]
    english = parse_announcement(
        "[Issuing Document Number] MOFCOM and GAC Announcement No. 33 of 2024 "
        "[Issuing Date] August 15, 2024\nI. Antimony-related items\n(1) Antimony ores.\n"
        "1. Metal gallium.\nII. This announcement shall take effect on September 15, 2024.",
        title=None,
        language="en",
    )
    assert english is not None and english["numbered_clauses"] == ["1", "2"]


# -- page templates --------------------------------------------------------------------------
def test_title_and_time_from_the_title_element_when_the_metas_are_missing() -> None:
    # The current template's page without its <meta> tags: .art-title holds the title and the
    # 来源/类型/time line, and there is no .art-time.
    html = SAMPLE_ROOT / "mofcom/zwgk/zcfb/art/2025/art_3e5a7c9b1d2f4a6c8e0b2d4f6a8c1e3b.html"
    text = re.sub(r'<meta name="(?:ArticleTitle|PubDate)"[^>]*>\n', "", html.read_text("utf-8"))
    assert "ArticleTitle" not in text and "art-time" not in text
    page = parse_page(text)
    assert page.title == "商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定"
    assert page.published_at == datetime(2025, 10, 9, 9, 0, tzinfo=BEIJING)
    assert page.info == "来源：安全与管制局 类型：原创 2025-10-09 09:00"


def test_older_chinese_template_with_artitle_and_arsource() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>商务部_中华人民共和国商务部</title></head><body>'
        '<div class="position">当前位置：首页 &gt; 政策发布</div>'
        '<div id="artitle">商务部公告2019年第8号 关于公布出口许可证管理货物目录的公告</div>'
        '<table id="arsource"><tr><td align="center">2019-01-02 09:30</td></tr></table>'
        '<div class="artCon"><p>【发布文号】商务部公告2019年第8号</p><p>正文。</p></div>'
        "</body></html>"
    )
    page = parse_page(html)
    assert (page.body_selector, page.title) == (
        ".artCon",
        "商务部公告2019年第8号 关于公布出口许可证管理货物目录的公告",
    )
    assert page.published_at == datetime(2019, 1, 2, 9, 30, tzinfo=BEIJING)
    assert page.text == "【发布文号】商务部公告2019年第8号\n正文。"


def test_title_cleaning_and_stated_times() -> None:
    assert (
        clean_title(
            "商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定 来源：安全与管制局 "
            "类型：原创 2025-10-09 09:00"
        )
        == "商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定"
    )
    assert clean_title("商务部公告2024年第46号_中华人民共和国商务部") == "商务部公告2024年第46号"
    assert clean_title("MOFCOM Announcement No. 61 of 2025 Source: MOFCOM Date: 2025-10-09") == (
        "MOFCOM Announcement No. 61 of 2025"
    )
    # A title that names a date keeps it.
    assert clean_title("关于暂停实施2025年10月9日公布的出口管制措施的公告") == (
        "关于暂停实施2025年10月9日公布的出口管制措施的公告"
    )
    assert datetime_in("<script>parseToData(1760015400000,1)</script>") == datetime(
        2025, 10, 9, 21, 10, tzinfo=BEIJING
    )
    assert datetime_in("发布时间：2023年7月3日") == datetime(2023, 7, 3, tzinfo=BEIJING)
    assert datetime_in("Updated: October 9, 2025") == datetime(2025, 10, 9, tzinfo=BEIJING)
    assert datetime_in("来源：安全与管制局 类型：原创") is None
