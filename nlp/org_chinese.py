"""Organisations in Chinese text and the part a Chinese sentence gives them: company names
ending in a Chinese corporate suffix, their "（以下简称…）" short forms, Latin-script names
glued to Han characters, and the frames that make a company the seller or the buyer
("向Y采购", "与Y签订…供货协议", "供方：").
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from minwatch.nlp.base import HAN, MineralHit, OrgHit, alternation, sentence_bounds, text_of
from minwatch.nlp.org_aliases import name_key

# Letters of Latin-script names, accented ones too ("Société", "Minière"), and their capitals
# (a "+" is of the name too: "T+Q", "Velda+")
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_CAPITAL = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_LATIN_WORD = rf"[{_CAPITAL}][{_LETTER}0-9&.'+-]*"
# nouns for any organisation, which say nothing of its trade
_GENERIC_ORG_NOUNS = frozenset({"企业", "公司", "集团", "厂商", "集團", "廠商"})
# "X发布公告称，", "X近日宣布，": the clause of an announcement, the next one its content
_ANNOUNCES = re.compile(
    r"(?:于?[^，。；]{0,8}?)?(?:发布|发出|披露)?(?:公告|宣布|表示|透露|称|指出)+(?:称)?"
)
# "下属两家公司已与Y签署硅料销售合同": the announcer sells through its units
_THROUGH_ITS_UNITS_SELLS = re.compile(
    r"[^，。；]{0,4}(?:旗下|下属|控股|全资)[^，。；]{0,12}?与[^，。；]{1,24}?(?:签订|签署|达成)"
    r"[^，。；]{0,20}?(?:销售|供货|供应)[^，。；]{0,6}?(?:合同|协议|订单)"
)
# "……。集团将于2027年向Y销售多晶硅": the announcer, referred to as the company or group, sells
_ANNOUNCER_SELLS = re.compile(
    r"(?:^|(?<=[\n，。；,：:]))(?:本?公司|本?集团)[^，。；]{0,30}?(?:向|为)"
    r"(?!本?公司|本?集团)[^，。；]{1,30}?(?:销售|供应|供货|出售)(?!商)"
)
# "出售给", "售予": sold to the one named after it
SOLD_TO_ZH = r"(?:出售|销售|供应|供货|卖|售)(?:给|予)"
# "将所产钨精矿的一半售予": goods put in the sentence's hands and sold to the one after 给/予
_SELLS_ITS_GOODS_TO = re.compile(rf"(?:把|将)[^，。；]{{1,30}}?{SOLD_TO_ZH}")
# what follows a company's name in a Chinese sentence: a verb, an adverb of time, a particle or
# a mark ("X已与", "X近日同", "X检修", "X宣布")
_AFTER_NAME_ZH = (
    r"已|正|将|与|和|同|在|于|於|的|是|为|向|宣布|表示|称|计划|拟|达成|签署|签订|签约|敲定"
    r"|近日|日前|此前|目前|今年|检修|停产|减产|增产|复产|公布|发布|预计|产量"
    r"|[，,。；;：:、\s（(]|$"
)
# an officer's title: "董事长", "总经理", "首席执行官" (the one who speaks, no company)
_OFFICER_TITLE = re.compile(
    r"董事长|副董事长|总经理|副总经理|总裁|副总裁|首席执行官|执行董事|主席|发言人|负责人|董事会|总监"
)
# "加工费", "销售价", "产量": a fee, a price or an amount, never a company's short name
_AMOUNT_NOUN_END = re.compile(r"[费价量率额税]$")
# a trade's words that end a site's name as often as a company's ("Kelso Mine")
_SITE_WORDS = frozenset({"mine", "refinery", "smelter"})

# "（以下简称“华钴”）", "(简称"卖方")", "(以下简称"公司"或"华钴")": one short form or
# several; a quoted one alone in the brackets ("（“华钴”）") is one too
# ("（以下统称X公司）": one short form for every party of the list before it)
_ZH_ALIAS = re.compile(
    # (or at the end of a list inside the brackets: "(A、B、C,以下合称“卖方”)")
    r"(?:[（(]|[，,](?=以下[简统合]称))(?:(?:以下)?(?P<kind>简称|统称|合称)(?P<aliases>[^（()）\n]{2,40})"
    rf"|(?P<quoted>[“\"「][{HAN}A-Za-z0-9]{{2,12}}[”\"」]))[）)]"
)
# what joins the parties of a list a side's term is defined for: "及", "和", "、", with the
# relation of the next one ("及控股孙公司")
_PARTY_JOINT = re.compile(r"[及和与、](?:[^，。；,;（(\s]{0,8}?公司)?")
_ZH_ALIAS_TERM = re.compile(r"[“\"「]?(?P<alias>[^“”\"「」、或和]{2,12})[”\"」]?")
# (a half-width comma before three digits and no more is a thousands separator: "1,500吨";
# before a date it ends a clause: "发布公告,2026年3月2日")
_CLAUSE_BEFORE = re.compile(r"[，；：;]|,(?!\d{3}(?!\d))")
_CLAUSE_AFTER = re.compile(r"[，。；;]|,(?!\d{3}(?!\d))")
_GLOSSES = re.compile(r"[（(][^（()）]*[）)]")
_GLOSS_AFTER = re.compile(r"\s*[（(][^（()）]{1,80}[）)]")
_WITH_PARTY = re.compile(r"\s*(?:[于在]?近日)?(?:与|和|同)")
# "由X提供…": supplied by X (not "由X提供资金": money)
_SUPPLIED_BY_AFTER = re.compile(
    r"\s*(?:[（(][^）)]{0,60}[）)])?\s*(?:向[^，。；]{2,20}?)?(?:提供|供应|供货)(?!资金|贷款|融资|担保)"
)
# "由X公司负责运营", "该矿由X矿业经营": run by the company named
_RUN_BY_BEFORE = re.compile(r"由(?:[^，。；,]{0,10}?(?:的|公司|企业))?$")
_RUNS_AFTER = re.compile(
    r"(?:公司|集团)?(?:在[^，。；,]{1,12})?(?:负责)?(?:运营|经营|开采|管理运营)"
)
_SITE_ZH = re.compile(r"项目|矿山|矿区|矿场|盐湖|盐滩|[^矿]矿(?![物石产业商企])")
_SOLD_TO_BEFORE_ZH = re.compile(r"(?:出售|销售|供应|供货|卖|交付)给[^，。；,]{0,24}$")
# "A在X的钴盐采购额将超过…": what A buys at X (its purchases from X), so X sells
_PURCHASES_AT_AFTER = re.compile(r"的[^，。；,]{0,12}?(?:采购|购买|进货)(?:量|额|金额|数量|规模)")
# "北岭县同X公司签订钒钛产业基地项目合同", "开发区与A、B等企业签约": a company
# signing a project with a local government invests in it (no goods change hands)
_GOVERNMENT_SIGNS_WITH = re.compile(
    r"(?:县|(?<![矿产地])区|市|旗|州|省|政府|管委会|园区)(?:人民政府)?(?:与|和|同)"
    r"(?:[^，。；]{0,60}?[、和及])?$"
)
_SIGNS_PROJECT_AFTER = re.compile(
    r"[^。；]{0,80}?签(?:约|订|署)[^。；]{0,40}?项目|[^。；]{0,40}?项目[^。；]{0,10}?签(?:约|订|署)"
)
# "仍为公司精矿的最大客户", "成为其买家": a customer by what the sentence calls it
_CUSTOMER_AFTER = re.compile(
    r"(?:[（(][^）)]{0,40}[）)])?(?:目前|现在|一直|仍|也|已)?(?:是|为|成为)[^，。；]{0,16}?"
    r"(?:客户|买家|买方|采购商)"
)
_FUNDS_AFTER = re.compile(r"\s*(?:[（(][^）)]{0,60}[）)])?\s*(?:提供|出)(?:资金|贷款|融资|担保)")
# what follows a list's member up to its clause's end: nothing, or the members after it
_LIST_REST = re.compile(r"(?:、[^，。；;,、]{2,30}?(?:公司|集团))*")
_BRACKETED_FULL = re.compile(
    rf"[{HAN}]{{0,8}}[（(](?P<full>{_LATIN_WORD}(?: {_LATIN_WORD}){{1,4}})"
    r"[,，;；)）]"
)
# a place's name ("云南省", "华东地区"): no company signs or sells under it
_PLACE_END = re.compile(r"[国省市州县]$|地区$")
# a mine, a project or a plant written onto a name ("Tolgoi矿", "Brisco项目"; not "矿业")
_SITE_AFTER = re.compile(r" ?(?:矿(?![业产企商])|矿山|矿区|矿床|项目|油田|冶炼厂|选矿厂)")
_MINE_ZH = r"(?:矿(?![业产企商石])|矿山|矿区|矿床|盐湖)"
# the words for who holds or runs a mine or project ("…矿的所有者", "…项目的运营方")
_SITE_HOLDERS_ZH = "所有者|拥有者|运营方|运营商|运营者|经营者"
# "拥有…锂矿的X", "X旗下的…矿山": who holds a mine produces from it (the sentence's clause
# only: "X所持…矿" is the words after the name up to the clause's end)
# ("…钨矿的拥有者X", "…项目的运营商——X": the mine's owner or operator by that name)
_MINE_OWNER_BEFORE = re.compile(
    rf"拥有[^，。；,]{{0,20}}?{_MINE_ZH}的$"
    rf"|(?:{_MINE_ZH}|项目)的(?:{_SITE_HOLDERS_ZH})(?:——|—)?$"
)
_MINE_OWNER_AFTER = re.compile(
    rf"(?:现|目前|已|还|亦|共)?(?:所持|旗下|所属|拥有)的?[^，。；,]{{0,16}}?{_MINE_ZH}"
    # ("A与B合资的X镍矿": each owner of a joint venture's mine)
    # (the mine right after it: "合资的南岭贸易公司进口镍矿" is a joint company that buys)
    rf"|(?:(?:与|和|同)[^，。；,]{{2,12}}?)?(?:共同|联合)?合资(?:建设|经营|开发|运营)?的"
    rf"[^，。；,公司进采购买]{{0,8}}?{_MINE_ZH}"
)
# "北岭锑矿目前由X运营": a mine held or run by X, in the passive
_MINE_HELD_BY_BEFORE = re.compile(rf"(?:{_MINE_ZH}|冶炼厂|选矿厂)[^，。；,]{{0,8}}?由$")
# "X的东岭(Eastridge)铜矿", "A的Y(Tarn)和B的Z(Orsa)铜矿": a named mine written as X's
_OWNED_SITE = (
    rf"的[^，。；,的]{{1,12}}?[（(][A-Za-z][^）)]{{0,40}}[）)]"
    # ("铜矿产量": the mine's output, not "矿产", mineral products)
    rf"(?:[和、][^，。；,]{{1,30}}?)?[{HAN}]{{0,2}}(?:矿产量|{_MINE_ZH})"
)
_OWNED_SITE_AFTER = re.compile(_OWNED_SITE)
# "X(Kelso)、Y和Z的产量增长": whose output the text reports produces
_OUTPUT_OF_AFTER = re.compile(
    r"(?:[（(][^）)]{0,40}[）)])?(?:[、和及与][^，。；,]{1,80}?)?的[^，。；,的]{0,4}?产量"
)
_HELD_AFTER = re.compile(r"\s*(?:[（(][^）)]{0,60}[）)])?\s*(?:持有|拥有|运营|经营|所有|负责|开采)")
_BARE_LEGAL_FORM = re.compile(r"(?:集团|股份|有限|责任|公司)+")
_PARTY_COMPANY = re.compile(rf"[{HAN}]{{2,12}}公司")
_LEGAL_FORM_END = re.compile(r"(?:有限(?:责任)?公司|集团公司)$")
# "该公司", "子公司", "其附属公司", "各有关公司", "本集团": a company referred to, no company's name
_REFERRING_COMPANY = re.compile(
    r"(?:其|该|本|我|各|两|此|上述|该等)?(?:全球|国内|国外|海外|境内|境外|其他|其它|多家|部分|一些)?"
    r"(?:间接)?(?:全资|控股|非全资)?"
    r"(?:附属|子|母|孙|分|总|下属|联营|合营|关联|参股|相关|有关)?(?:公司|集团)"
)
# "X锂精矿拍卖结果为…", "X本周拍卖": the goods the name auctions (not "参与拍卖", "竞拍": bids)
_AUCTIONS = re.compile(rf"(?:(?!参与|参加|竞)[{HAN}]){{0,8}}?(?<!竞)拍卖")
# "近来X矿业公司表示": a time adverb the company pattern runs into from the left
_TIME_LEAD = re.compile(r"^(?:近来|近來|近日|日前|目前|此前|随后|隨後|同时|同時|其中|另外|此外)")
# "与关联方X（…）、Y发生日常关联交易": dealings with a related party, which way unsaid
_RELATED_DEALINGS = re.compile(
    r"\s*(?:[（(][^）)]{0,40}[）)])?(?:[、和及][^，。；]{2,60}?)?\s*发生(?:日常)?关联交易"
)
# the category cell of a related-party table row: goods sold to the party ("way") or bought
_ROW_WAY = re.compile(
    r"\s*\|?\s*(?:(?P<way>向(?:其|关联人|关联方)(?:销售|出售|供应|提供))|(?:向|从)(?:其|关联人|关联方)(?:采购|购买|购入))"
)
# "…31日期间X": a period's word the date before a name leaves glued to it
_PERIOD_GLUED = re.compile(r"^(?:期间|之间|以来|至今|以后|之后|以前|之前)")
NOT_NAME_START_ZH = "日月年的在于与和及据称讯丨即由向"


# "该矿业公司", "这家锂业集团": a company named before, referred to by its kind
# (also glued to the words before it: "合同规定该锂业公司")
_REFERRED_BY_KIND = re.compile(rf"(?:该|此|这家)[{HAN}]{{1,4}}?(?:公司|集团)$")


def _referred_companies(text: str, found: list[OrgHit]) -> list[OrgHit]:
    """ "…与巴西矿业公司Kelso签署协议，该矿业公司将向Y供应镍": the company a phrase of its
    kind refers to is the one named last before it, in its sentence or the one before."""
    kept: list[OrgHit] = []
    for hit in sorted(found, key=lambda m: m.start):
        if not _REFERRED_BY_KIND.search(hit.text):
            kept.append(hit)
            continue
        earlier = [
            m
            for m in kept
            if m.end <= hit.start
            and text[m.end : hit.start].count("。") <= 1
            and not _REFERRED_BY_KIND.search(m.text)
        ]
        if earlier:
            named = earlier[-1]
            kept.append(OrgHit(hit.start, hit.end, named.text, named.source, aliases=[hit.text]))
    return kept


def _clause_from(text: str, start: int, sent_end: int) -> str:
    """The clause that starts at `start`: up to the next clause break or the sentence's end."""
    stop = _CLAUSE_AFTER.search(text, start, sent_end)
    return text[start : stop.start() if stop else sent_end]


def _unglued(name: str) -> str:
    """The name without the date's "日" or the particle glued on its left ("日本" stays: a
    country's name, which the caller may cut)."""
    while name and name[0] in NOT_NAME_START_ZH and not name.startswith("日本"):
        name = name[1:]
    return name


# "与X自2017年起进行稀土精矿采购", "与X开展采购交易": buying from X (not "与X签订…供货")
_PURCHASE_AFTER = re.compile(r"[^，。；]{0,24}?(?:采购|购买|购入)")
# ("发生采购燃料、销售钢材": both ways, the first named first)
_SALE_WITH_AFTER = re.compile(
    r"(?:(?!采购|购买)[^，。；]){0,24}?(?:进行|开展|发生)(?:(?!采购|购买)[^，。；]){0,12}?"
    r"(?:销售|出售)"
)
_SALE_AFTER = re.compile(r"[^，。；]{0,24}?(?:供应|供货|销售|出售|签订|签署)")
# "将在2018年-2020年，为Y供应": will supply Y, though a clause break comes between
_WILL_SUPPLY_AFTER = re.compile(
    # ("X今后每年将向Y供应": words of time before the verb; "X在声明中称，将为Y供应": a
    # statement's verb)
    r"(?:[^，。；]{0,12}?(?:表示|声称|宣布|指出|称|公布|公告|披露)[，,：:]?)?"
    r"(?:未来|今后|将来|每年|明年|今年|预计|计划)*(?:将|拟|已|还|亦)[^。；]{0,30}?(?:为|向)(?:(?!采购|购买|购入|进口)[^。；]){1,20}?"
    r"(?:供应|供货|销售|出售)"
)
# "，X向Y提供含锂原料": the subject gives the goods to the one after 向 (not money or a
# service: "向Y提供资金", "提供技术支持")
_GIVES_TO_AFTER = re.compile(
    r"(?:每年|还|亦|也|则)?(?:向|为)[^，。；]{2,20}?(?:提供|供应|供货|销售|出售)"
    r"(?!资金|贷款|融资|担保|服务|技术|支持|动力)"
)
# what is given when no goods are: "提供动力", "提供资金支持"
_NO_GOODS_GIVEN = re.compile(
    r"(?:提供|供应)[^，。；]{0,6}?(?:动力|支持|保障|服务|帮助|资金|便利|机会|支撑|担保|贷款|融资|技术)"
)
# "证券简称：X", "股票简称:X", and a title "X:关于…的公告": a listed company's short name
# where the text labels it one
# "X昨日公告", "X近日披露": a day the text counts from its own date
_RELATIVE_DAY = "昨日|昨天|今日|今天|近日|日前|昨晚|当晚|当日"
_STOCK_SHORT_NAME = re.compile(
    rf"(?:(?:股票|证券|公司|A股)简称\s*[：:]\s*|^(?=[{HAN}]{{2,6}}[：:]关于))"
    rf"(?P<name>(?:\*?ST)?[{HAN}]{{2,6}})",
    re.M,
)
# "X依照合同约定，拟向Y采购更多原料": the subject that will buy, though a clause break comes
# between (a first clause of its own deal, "X为Y供应…，拟向Z采购", is no such subject)
_WILL_BUY_AFTER = re.compile(
    r"(?:(?!供应|供货|销售|出售|采购|购买|签订|签署|与|和)[^，。；]){0,30}[，,]\s*"
    r"(?:并|将|拟|计划|继续|预计)+[^，。；]{0,6}?(?:向|从)[^，。；]{1,20}?(?:采购|购买|购入|进口)"
)
_WITH_THEN_PURCHASE = re.compile(
    r"[^，。；]{0,6}?与(?:(?!供应|供货|销售|出售|签订|签署)[^，。；]){2,60}?(?:采购|购买|购入)"
)
_ALIAS_AFTER = re.compile(r"^\s*[(（]以下(?:简称|称)[^()（）]{0,40}[)）]")
# "X作为卖方与Y签订": the side a contract's party takes, in its own words
_SELLER_SIDES_ZH = frozenset({"卖方", "供方", "出卖方", "供货方"})
_SIDES_ZH = "卖方|供方|出卖方|供货方|买方|需方|采购方"
SIDE_TERMS_ZH = frozenset(_SIDES_ZH.split("|"))
_SIDE_ZH = rf"作为(?P<side>{_SIDES_ZH})"
_AS_PARTY_ZH = re.compile(rf"[^，。；]{{0,6}}?{_SIDE_ZH}")
_AS_PARTY_WITH_ZH = re.compile(rf"{_SIDE_ZH}与$")
# "推介并供应Y…所产的石墨": selling what another company produces (not "其…所产")
_AGENT_SALE = re.compile(
    r"[^，。；]{0,20}?(?:推销|代销|销售|供应)(?:(?!其|自有|本公司)[^，。；]){1,30}?所产"
)
# "已与买方Y签署": the party named by its side right before its name
_SIDE_BEFORE_ZH = re.compile(rf"(?:与|和|同)(?P<side>{_SIDES_ZH})$")
# "已与Y签署了协议。X将…向后者供应": the latter buys
_TO_THE_LATTER = re.compile(
    r"[^。，；]{0,12}?(?:协议|合同)[^。]{0,10}。[^。]{0,40}?向后者[^，。；]{0,8}?(?:供应|销售|出售|提供|交付)"
)
# "…有限公司(以下简称"X集团")之控股子公司": the name before is the subsidiaries' parent
# (also without the particle after a full name: "X股份有限公司控股子公司发布…公告"; a short
# name so written is often the text's own party, "持有江西X控股子公司Y的股份")
_PARENT_AFTER = re.compile(
    r"\s*(?:[(（][^()（）]{0,30}[)）])?\s*(?:[之的](?:全资|控股)?|(?<=公司)(?:全资|控股))[子孙]公司"
)


# the company noun a Chinese text writes onto a Latin name ("KMX矿业公司", "Tarn公司")
# (written onto it: "SQM 公司" with a space keeps the name apart; "由X公司运营", operated by
# company X, is no party's frame and leaves the Latin name as it is)
_HAN_COMPANY_TAIL = re.compile(
    r"(?:矿业公司|矿业集团|公司|集团|矿业)(?=[^\u4e00-\u9fff]|[与和、签发表的在已将于]|$)"
)


class ChineseReader:
    """The Chinese name patterns and frames of the data files, compiled once per pipeline.
    `en_company` is the English suffix-name pattern, rebounded for Han neighbours; names of
    `role_names` (agencies, exchanges) are no candidates."""

    def __init__(
        self,
        orgs: dict[str, Any],
        supplier_cues: dict[str, Any],
        en_company: re.Pattern[str],
        role_names: dict[str, str],
        industry_words: list[str],
        legal_forms: list[str],
    ) -> None:
        cues = supplier_cues
        self.role_names = role_names
        # ("香港交易及结算所有限公司": a name the role list knows is read whole, though a
        # breaking character "及" is inside it)
        self.role_names_zh = sorted(
            (n for n in role_names if re.search(f"[{HAN}]", n)), key=len, reverse=True
        )
        # a state reserve buys for its stockpile and sells from it ("储备局投放储备铜"): unlike
        # the other agencies it is a candidate where it sells (as a buyer it would stand between
        # a purchase's lines and their sellers), and keeps its buying role unless a sale frame
        # has it sell
        # ("国储" is no part of "中国储备…": a Han character before it must not make a word)
        reserves = [n for n in self.role_names_zh if role_names[n] == "buyer"]
        self.reserve_agency = re.compile(
            rf"(?<![中全美各本两我])(?:{'|'.join(reserves)})(?!备)" if reserves else r"(?!x)x"
        )
        # "储备局去年曾拍卖储备锑", "据储备局公告，下月起出售…"
        self.reserve_sale = re.compile(
            rf"[^。；]{{0,20}}?(?:{alternation(cues['agency_sale_zh']['verbs'])})"
        )
        zh_suffixes = "|".join(orgs["zh_company_suffixes"])
        self.company = re.compile(rf"[{HAN}（）()]{{2,40}}?(?:{zh_suffixes})")
        # "Harlow资源有限公司": a Latin name, then a trade's word and a legal form, is one name
        trades = "|".join(orgs["zh_short_name_ends"])
        self.han_legal_tail = re.compile(rf"(?:{trades}){{0,2}}(?:{zh_suffixes})")
        self.breakers = orgs["zh_name_prefix_breakers"]
        # in Chinese text a Han character is a word character too: "采购自Tarrant Lithium
        # Limited等" has its Latin name glued to Han characters on both sides
        # limited by Latin letters and digits, and made of them: "KMX拥有Brandt的合资公司Ostland
        # Mining SA" is Han text between Latin words, not one long name
        self.en_company_in_zh = re.compile(
            en_company.pattern.replace(r"(?<![\w])(?<!\w-)", r"(?<![A-Za-z0-9])")
            .replace(r"(?![\w])", r"(?![A-Za-z0-9])")
            .replace(r"\w", r"A-Za-z0-9_\u00c0-\u024f")
        )
        self.seller_cues = list(cues["seller_cues_zh"])
        self.buyer_cues = list(cues["buyer_cues_zh"])
        self.cue_idioms = re.compile("|".join(map(re.escape, cues["seller_cue_idioms_zh"])))
        self.from_marker = re.compile(
            "(?:" + "|".join(cues["seller_marker_before_zh"]) + r")[^，。；]{0,3}$"
        )
        self.relations = frozenset(cues["zh_relation_prefixes"])
        self.relation_prefixes = sorted(
            cues["zh_relation_prefixes"] + cues["zh_words_before_names"], key=len, reverse=True
        )

        def label(names: list[str]) -> re.Pattern[str]:
            return re.compile("(?:" + "|".join(names) + r")\s*[：:]\s*$")

        self.buyer_label = label(cues["buyer_labels_zh"])
        self.seller_label = label(cues["seller_labels_zh"])
        self.counterparty_label = label(cues["counterparty_labels_zh"])
        self.owner_label = label(cues["owner_labels_zh"])
        counterparty = "(?:" + "|".join(cues["counterparty_labels_zh"]) + "|对方)"
        # "公司拟向合同对方分批供应…": which way the goods go between issuer and counterparty
        self.to_counterparty = re.compile(
            rf"向{counterparty}[^，。；]{{0,8}}?(?P<verb>{'|'.join(cues['seller_cues_zh'])}"
            rf"|{'|'.join(cues['buyer_cues_zh'])})"
        )
        ends = "|".join(sorted(orgs["zh_short_name_ends"], key=len, reverse=True))
        short = rf"[{HAN}]{{0,4}}?(?:{ends})"
        # the frames that make a short name (证券简称) a company's: a stock code after it, an
        # announcement it issues, the counterparties of an agreement it signs
        self.short_name = re.compile(
            # (a code with its exchange: "（沪:688005）", "(03750)", "（证券代码：600111）")
            # (after a particle too: "拥有…矿的X（600123）", "据X昨日公告")
            rf"(?:(?<![{HAN}])|(?<=[的与和及据由向除从]))(?P<name>{short})(?=[（(](?:股票代码|证券代码|沪|深|京|港|SH|SZ|HK)?"
            rf"[：:]?\s*\d{{5,6}}"
            # (an adverb before the verb: "X随后发布公告称…")
            rf"|(?:\d{{1,2}}月\d{{1,2}}日|{_RELATIVE_DAY})?(?:晚间|晚)?"
            rf"(?:(?:专门|正式|随即|随后|同时|同日|也|亦)?发布)?(?:公告|公布|披露))"
            rf"|(?:与|和|同)(?P<parties>[{HAN}、]{{2,80}}?)(?=(?:[于在]近日|近日|共同|重新|再次|续)?签[署订])"
            # (a clause that opens on it and supplies: "X将在2019年起，为Y供应…")
            # (only right after a clause's punctuation: "2027年起X将…" is no name "起X")
            rf"|(?<=[。，,；：:！？、—“”\s])(?P<seller>{short})(?={_WILL_SUPPLY_AFTER.pattern})"
            # (a clause's subject "…公司", its gloss after it, signing with another: "，澳大利亚X
            # 公司（X Ltd），与Y签署")
            rf"|(?<=[。，,；：:\s])(?P<subject>[{HAN}]{{2,30}}?公司)(?=(?:[（(][^（()）]{{1,60}}[）)])?"
            rf"[，,]?(?:[于在]?近日)?(?:与|和|同)[^。；]{{2,80}}?签[署订])"
        )
        # a name of any ending where it opens a line or clause and a stock code or a dated
        # announcement follows: "东辰美3月2日晚间公告", "，星锂（301234.SZ）"
        self.bare_short_name = re.compile(
            rf"(?:^|(?<=[\n。；，,、：:“\s丨|｜]))(?P<name>(?:\*?ST)?[{HAN}]{{2,4}})"
            rf"(?=[（(](?:股票代码|证券代码|沪|深|京|港|SH|SZ|HK)?[：:]?\s*\d{{5,6}}"
            rf"|\d{{1,2}}月\d{{1,2}}日(?:晚间|晚)?(?:发布)?公告)",
            re.M,
        )
        # the seller a buying or selling frame names, whatever its ending: "从X购买",
        # "，X销售给Y"
        self.framed_seller = re.compile(
            rf"(?:从|向)(?P<source>[{HAN}]{{3,8}}?)(?:购买|采购|购入)"
            rf"|(?:^|(?<=[\n。；，]))(?P<seller>[{HAN}]{{3,6}}?)(?:销售给|供应给|出售给|供货给)"
            # ("约定由X向Y提供…": the one a contract has provide the goods)
            rf"|(?<=由)(?P<provider>[{HAN}]{{3,8}}?)向[^，。；]{{2,20}}?(?:提供|供应|供货|销售|出售)",
            re.M,
        )
        self.short_name_member = re.compile(rf"^{short}$")
        countries = "|".join(cues["zh_countries_before_latin"])
        self.place = re.compile(rf"^(?:{countries})|{_PLACE_END.pattern}")
        self.country_prefix = re.compile(rf"^(?:{countries})(?:的)?")
        # "蒙古X集团(KMX)", "，Y(Orvane)宣布": a Han name glossed by its Latin one (not
        # a mine's or a project's: "东岭(Eastridge)锡矿")
        self.connective = re.compile(rf"^(?:{alternation(cues['zh_connectives'])})")
        # "尽管X的东岭(Eastridge)铜矿产量增长": the holder of a named mine, whatever its ending
        self.site_owner = re.compile(
            rf"(?:^|(?<=[\n。；，,、：:“\s和]))(?P<name>[{HAN}]{{2,12}}?)(?={_OWNED_SITE})"
        )
        # (or right after a producer noun: "锡生产企业Y(Orvane)的产量")
        after_producer = "".join(f"|(?<={n})" for n in cues["zh_producer_nouns"])
        self.glossed_name = re.compile(
            rf"(?:^|(?<=[\n。；，,、：:“—\s]){after_producer})(?:(?:{countries})(?:的)?)?"
            rf"(?P<name>[{HAN}]{{2,8}}?)[（(](?P<gloss>[{_CAPITAL}][{_LETTER}&.' -]{{1,40}})[)）]"
            # (where the name ends: "X（Kelso）冶金厂" runs on into a longer one)
            rf"(?=[^{HAN}]|[与和、签发表的在已将于计是为称宣透等周昨今近日当])"
        )
        nouns = "|".join(cues["zh_org_nouns_before_latin"])
        # "秘鲁矿企", "刚果国营矿企": a country and a noun for a kind of company, no name;
        # the name the text writes right after it ("秘鲁矿企塔兰特已与...") is the company's
        of_a_country = rf"(?:(?:{countries})(?:的)?(?:国有|国营|私营|大型)?|国有|国营)"
        # (and "韩国大型贸易公司": a kind of trade's company, as a legal ending reads it)
        self.descriptor_only = re.compile(rf"{of_a_country}(?:{nouns}|贸易公司|商社|貿易公司)")
        # "秘鲁国营矿企（Kelso）": the name in brackets after a descriptor is the company's
        self.descriptor_latin = re.compile(
            rf"{of_a_country}(?:{nouns})[（(](?P<name>{_LATIN_WORD}(?: {_LATIN_WORD})*)[)）]"
        )
        # (a trade's noun, not "企业" or "公司" alone: "日本企业联合投资" names no company)
        trade_nouns = alternation(
            n for n in cues["zh_org_nouns_before_latin"] if n not in _GENERIC_ORG_NOUNS
        )
        # (not a clause the descriptor opens: "澳大利亚矿业公司位于昆士兰的项目")
        openers = alternation([*cues["zh_clause_openers"], *self.breakers])
        self.descriptor_name = re.compile(
            rf"{of_a_country}(?:{trade_nouns})(?!{openers})"
            rf"(?P<name>[{HAN}]{{2,8}}?)(?={_AFTER_NAME_ZH})(?![（(][A-Za-z])"
        )
        miners = [n for n in cues["zh_producer_nouns"] if "冶炼" not in n]
        self.miner_before = re.compile(rf"(?:{alternation(miners)})(?:——|—)?$")
        # "X同加拿大矿商Y签订钴合作协议": the party that signs with a miner buys
        # from it
        self.with_miner_after = re.compile(
            rf"^[^，。；]{{0,8}}?(?:与|和|同)(?:{countries})?(?:的)?(?:国有|国营|私营)?"
            r"(?:矿企|矿商|矿业公司|矿业企业)"
        )
        # "国营矿企（Kelso）": a noun for the kind of company, with a word or two before it
        self.org_noun_end = re.compile(rf"^[{HAN}]{{0,2}}(?:{nouns})$")
        # "矿商X（Tarrant）": a noun for the kind of company is no part of the name
        self.org_noun_start = re.compile(f"^(?:{alternation(cues['zh_org_nouns_before_latin'])})")
        # "X作为卖方与买方Y签署供货合同": the parties of a contract, named by their sides
        self.contract_side = re.compile(
            rf"(?P<name>[{HAN}]{{3,8}}?)(?=作为(?:{_SIDES_ZH}))"
            rf"|(?:与|和|同)(?:{_SIDES_ZH})(?P<other>[{HAN}]{{3,10}}?)(?=(?:订立|签订|签署|签定))"
        )
        # "由东辰矿业与法国西江合资建设的南岭镍矿", "A和B合资的X公司": the two owners of a
        # joint venture, each a company whatever its ending where one ends as companies do
        self.joint_owners = re.compile(
            rf"(?:^|(?<=[\n。；，,、：:“—\s由]))(?P<first>[{HAN}]{{2,10}}?)(?:与|和|同)"
            rf"(?P<second>[{HAN}]{{2,10}}?)(?:共同|联合)?合资(?:建设|经营|开发|运营|成立|组建)?的"
        )
        relations = "|".join(
            ["全资子公司", "控股子公司", "子公司", "全资附属", "附属公司", "孙公司"]
        )
        # "全资附属X矿业於去年…": a subsidiary's short name after the word for it (and a
        # listed company's: "上市公司X金属董事长")
        self.subsidiary_name = re.compile(
            rf"(?:{relations}|上市公司|上柜公司|挂牌公司)(?P<name>[{HAN}]{{2,8}}?(?:{ends}))"
            rf"(?=[於于在已将与和向为的，,。；\s]|$|总经理|董事长|总裁|副总)"
        )
        producers = "|".join(cues["zh_producer_nouns"])
        # the goods a producer noun is written after, by their last word ("铁矿石" in
        # "最大的铁矿石供应商", "电池" in "电池生产商"); "头号生产商" names none
        self.goods_before_noun = re.compile(
            rf"[{HAN}]{{0,4}}(?:{alternation(cues['zh_goods_word_ends'])})$"
        )
        # "电池生产企业X", "电池生产企业X同": a maker of goods (that may hold no mineral of the
        # text: see `_made_by`) named right before, or as the subject of the clause
        maker = (
            rf"(?P<goods>[{HAN}]{{0,4}}(?:{alternation(cues['zh_goods_word_ends'])}))"
            rf"(?:{producers})"
        )
        self.maker_before = re.compile(rf"{maker}(?:——|—)?$")
        self.maker_then_with = re.compile(rf"{maker}[^，。；]{{1,40}}?(?:与|和|同)$")
        # "头号生产商东辰集团的", "矿企西江矿业已": a short name right after a producer noun
        # (one glossed by its Latin name is read with the gloss)
        self.producer_noun_in = re.compile(rf"(?:{producers})")
        self.producer_noun_name = re.compile(
            # (or set off by a dash: "第二大钨冶炼商——X钨业计划…")
            # ("锂生产商之一X锂业": one of the producers so named)
            rf"(?:{producers})(?:之一)?(?:——|—)?(?P<name>[{HAN}]{{1,6}}?(?:{ends}))"
            rf"(?={_AFTER_NAME_ZH})(?![（(][A-Za-z])"
        )
        # "X是国内主要的负极材料生产企业", "Y作为主要生产商之一": what the sentence calls it
        # (the noun heads the predicate: "运费是矿山承担的成本" calls the cost no miner)
        self.producer_after = re.compile(
            rf"(?:是|为|作为)[^，。；,]{{0,14}}?(?:{producers})(?=[，。；,、：:\s）)]|之一|$)"
        )
        # (a name opening its clause so called is a company's, whatever its ending)
        self.producer_predicate = re.compile(
            rf"(?:^|(?<=[\n。；，,：:“\s]))(?P<name>[{HAN}]{{2,8}}?)(?={self.producer_after.pattern})",
            re.M,
        )
        listed = "|".join(cues["zh_company_list_nouns"])
        # "A、B和C等中国企业": a list closed by 等 and a noun for companies
        self.company_list = re.compile(
            rf"(?P<list>[{HAN}]{{2,8}}(?:、[{HAN}]{{2,8}})+(?:[和及][{HAN}]{{2,8}})?)"
            rf"等[{HAN}]{{0,4}}?(?:{listed})"
        )
        self.trade_words = tuple(w for w in orgs["zh_short_name_ends"] if w != "公司")
        zh_nouns = "|".join(cues["zh_org_nouns_before_latin"])
        # "蒙古矿企Orvane Gold", "日本电池企业Kiyomi Cells": a Latin name right after a zh noun
        self.latin_name = re.compile(rf"(?:{zh_nouns})(?P<name>{_LATIN_WORD}(?: {_LATIN_WORD})*)")
        latin = rf"{_LATIN_WORD}(?: {_LATIN_WORD}){{0,3}}"
        # "据Ivanhoe Mines发布", "与Orsa Resources签约": a Latin name ending on its trade's
        # word (no legal form, no Chinese noun) is a company's
        self.industry_words = frozenset(w.casefold() for w in industry_words)
        trades = alternation(w for w in industry_words if w not in _SITE_WORDS)
        # (the name goes on over more trade words and a legal form: "X Exploration and Mining
        # Limitada", "X Metal Co")
        more = alternation([*industry_words, *legal_forms])
        self.trade_latin = re.compile(
            rf"(?<![{_LETTER}0-9])(?P<name>(?:{_LATIN_WORD} ){{1,3}}(?i:{trades})"
            rf"(?:(?: and| &)? (?i:{more})\.?)*)(?![{_LETTER}0-9])"
        )
        countries = "|".join(cues["zh_countries_before_latin"])
        self.framed_latin = re.compile(
            rf"(?:{countries}) ?(?P<name>{latin})(?![{_LETTER}0-9])"
            rf"|(?<![{_LETTER}0-9])(?P<named>{latin}) ?"
            r"(?=(?:矿业|能源|资源|金属|化工|国际|控股)?(?:公司|集团))"
            # "对手Kelso Minerals （KMX.AX）": a Latin name with its listing after it
            rf"|(?<![{_LETTER}0-9])(?P<listed>{latin}) ?"
            r"(?=[（(](?:[A-Z]{2,8}[:：] ?)?[A-Z0-9]{1,6}(?:\.[A-Z]{1,3})?[)）])"
            # "合同规定由KMX供应钨精矿": the party a deal has supply the goods
            rf"|(?<=由)(?P<supplying>{latin}) ?(?=提供|供应|供货)"
            # "…矿区的经营者——Kelso Tin称": a mine's owner or operator by that name
            rf"|(?<=[矿山区目]的)(?:{_SITE_HOLDERS_ZH})(?:——|—)? ?"
            rf"(?P<operator>{latin})(?![{_LETTER}0-9])"
        )
        # "5月24日Kelso锂精矿拍卖结果为…": a Latin name that auctions its goods sells them
        self.latin_auction = re.compile(
            # (not an auction's platform after its ordinal: "第九次BMX锂精矿拍卖")
            rf"(?<![{_LETTER}0-9次])(?P<name>{latin})(?={_AUCTIONS.pattern})"
        )
        # "冶炼厂，包括东铝和Kelso": the members a producer noun lists are producers, whatever
        # their ending and script
        # (a member may carry its Latin gloss: "X资源公司（X Resources）"; and the list may say
        # where they come from: "包括来自加拿大的X、Y")
        member = rf"(?:[{HAN}]{{2,12}}?|{latin})(?:[（(][A-Za-z][^（()）]{{0,39}}[）)])?"
        self.producer_list = re.compile(
            rf"(?:{producers})[，,]?(?:包括|例如|比如|如)(?:来自[{HAN}]{{2,6}}?的)?"
            rf"(?P<list>{member}(?:[、和及与]{member})+)(?=[，。；,;）)\s]|等|$)"
        )
        # "即使A、B和C三家工厂恢复生产": names counted as works that make or stop making
        self.counted_producers = re.compile(
            rf"(?<![{HAN}])(?:即便|即使|其中|目前|此外|包括|如果|若)?(?P<list>[{HAN}]{{2,6}}?(?:[、和及与][{HAN}]{{2,6}}?)+)等?"
            r"[两二三四五六七八九十\d]+家(?:[^，。；]{0,4}?(?:企业|公司|工厂|厂|厂商|生产商))"
            r"(?=[^，。；]{0,6}?(?:复产|生产|停产|减产|投产|开工|检修|产量|日产|月产|年产))"
        )

    def _producer_lists(
        self, text: str, start: int = 0, end: int | None = None
    ) -> list[re.Match[str]]:
        """The lists of producers: after a producer noun ("冶炼厂，包括A和B") or counted as
        works that produce ("A、B和C三家工厂恢复生产")."""
        end = len(text) if end is None else end
        return [
            *self.producer_list.finditer(text, start, end),
            *self.counted_producers.finditer(text, start, end),
        ]

    def _a_place(self, name: str) -> bool:
        """ "马来西亚", "云南省": a place; "印尼X矿业", a company named with its country, and
        "X科技苏州", a company's unit named with its city, are not."""
        found = self.place.search(name)
        return (
            found is not None
            and not (found.start() == 0 and self.short_name_member.match(name[found.end() :]))
            # ("东辰科技苏州": a company's unit named by its city after the company's name)
            and not any(self.short_name_member.match(name[:-k]) for k in (2, 3) if len(name) > k)
        )

    def _breaker_cut(self, name: str) -> int:
        """Where the phrase before a name ends: its last breaking character ("与", "向", "，"),
        except a "和" inside the name itself ("四川和平矿业…", "东和资源…": a trade word follows
        within a character, as no name after a joining "和" begins)."""
        for at in sorted((i for i, ch in enumerate(name) if ch in self.breakers), reverse=True):
            rest = name[at + 1 :]
            if name[at] == "和" and any(rest[k:].startswith(self.trade_words) for k in (0, 1)):
                continue
            return at
        return -1

    def _after_relation(self, name: str) -> str:
        """The name after the last relation word inside a phrase read up to a frame
        ("旗下子公司X作为卖方": X)."""
        for prefix in self.relation_prefixes:
            at = name.rfind(prefix)
            if at >= 0 and len(name) - at - len(prefix) >= 3:
                return name[at + len(prefix) :]
        return name

    def _past_producer_noun(self, name: str) -> str:
        """The name after a producer noun written before it ("锑生产企业塔兰特" is 塔兰特), where
        two characters or more are left."""
        noun = self.producer_noun_in.search(name)
        return name[noun.end() :] if noun is not None and len(name) - noun.end() >= 2 else name

    def _past_country(self, name: str) -> str:
        country = self.country_prefix.match(name)
        rest = name[country.end() :] if country else name
        # ("鲁里塔尼亚国家原子能公司": a state company is named with its country)
        national = rest.startswith(("国家", "国营", "国有"))
        company = self.short_name_member.match(rest) or _PARTY_COMPANY.fullmatch(rest)
        return rest if country and not national and company else name

    def _unconnected(self, name: str) -> str:
        """The name after a clause's connective ("尽管X…": X)."""
        connective = self.connective.match(name)
        return (
            name[connective.end() :] if connective and len(name) - connective.end() >= 2 else name
        )

    def _past_relation(self, name: str) -> str:
        for prefix in self.relation_prefixes:
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                return name[len(prefix) :]
        return name

    def _short_names(
        self, text: str, found: list[OrgHit], minerals: list[MineralHit]
    ) -> list[OrgHit]:
        """Short names the frames make companies', and every later mention of each."""
        names: set[str] = {m.group("name") for m in self.bare_short_name.finditer(text)}
        # two characters make a name only where the text glosses them with a name-shaped Latin
        # word ("东铝（Eastal）周三称"), not a code ("铜价(LME)")
        two_character: set[str] = set()
        names.update(m.group("name") for m in _STOCK_SHORT_NAME.finditer(text))
        # (a frame's name is a company's where the text names it again: "今年产量独家供应给"
        # is a clause, not a name; "从X的" ends before its particle)
        for match in self.framed_seller.finditer(text):
            name = (
                match.group("source") or match.group("seller") or match.group("provider")
            ).removesuffix("的")
            # (a country or a province sells nothing here: "从马来西亚购买" buys its goods)
            if self._a_place(name) or _REFERRING_COMPANY.fullmatch(name) or name in self.relations:
                continue
            # (a name ending as companies' do needs no second mention: "向印尼X矿业采购")
            if text.count(name) >= 2 or self.short_name_member.match(name):
                names.add(self._past_relation(name))
        for match in self.site_owner.finditer(text):
            name = self._unconnected(match.group("name"))
            if len(name) >= 3 and not self._a_place(name):
                names.add(name)
        for match in self.glossed_name.finditer(text):
            name = self._past_producer_noun(
                self._unconnected(self._past_relation(match.group("name")))
            )
            noun = self.org_noun_start.match(name)
            if noun is not None:
                name = name[noun.end() :]
            # ("国营矿企（Kelso）": a noun for its kind, with the Latin name its only name)
            if (
                len(name) >= 2
                and not self.place.search(name)
                and not self.org_noun_end.search(name)
            ):
                names.add(name)
                if len(name) == 2 and re.search("[a-z]", match.group("gloss")):
                    two_character.add(name)
        for match in self.contract_side.finditer(text):
            names.add(self._after_relation(match.group("name") or match.group("other")))
        for match in self.subsidiary_name.finditer(text):
            names.add(match.group("name"))
        for match in self.joint_owners.finditer(text):
            owners = [self._past_relation(match.group(g)) for g in ("first", "second")]
            if any(self.short_name_member.match(self._past_country(o)) for o in owners):
                # (a country before an owner is its origin: "法国西江" owns as "西江"; and
                # China too where the other is told by its country: "中国东辰与法国西江")
                countries = [self.country_prefix.match(o) for o in owners]
                countries = [
                    country or (re.match("中国", owner) if countries[1 - i] else None)
                    for i, (owner, country) in enumerate(zip(owners, countries, strict=True))
                ]
                for owner, country in zip(owners, countries, strict=True):
                    if country and len(owner) - country.end() >= 2:
                        owner = owner[country.end() :]
                    if not self._a_place(owner) and not _REFERRING_COMPANY.fullmatch(owner):
                        names.add(owner)
        for match in self.producer_noun_name.finditer(text):
            # ("电池生产商X", "铁矿石供应商X": a maker or seller of goods that are no mineral of
            # the text's is no seller here; "头号生产商X", "镍生产商X" are)
            goods = self.goods_before_noun.search(text, max(0, match.start() - 10), match.start())
            other_goods = goods is not None and not any(
                goods.start() <= m.start < match.start() for m in minerals
            )
            if not self._a_place(match.group("name")) and not other_goods:
                names.add(match.group("name"))
        for match in self.short_name.finditer(text):
            if match.group("subject"):
                # ("北美第二大锂矿商加拿大X公司": its trade's noun is no part of the name)
                name = self._past_producer_noun(self._past_relation(match.group("subject")))
                # (nor its country: "澳大利亚X公司" signs as "X公司"; a subsidiary referred to,
                # "其下属子公司", or a list, "X及其子公司", is no name)
                name = self._past_country(name)
                if (
                    len(name) >= 4
                    and not _REFERRING_COMPANY.fullmatch(name)
                    and not name.endswith(("子公司", "下属公司"))
                    and not re.search("[及和、]", name)
                ):
                    names.add(name)
                continue
            if match.group("name") or match.group("seller"):
                names.add(match.group("name") or match.group("seller"))
                continue
            parties = re.split("[、和及]", match.group("parties"))
            # ("与关联方X重新签订": the relation is no part of the name; nor is the country
            # before a short name: "和法国X集团签署")
            parties = [self._past_country(self._past_relation(p)) for p in parties]
            # (a party "…公司" of any length: "与西江北美公司签署" names a company)
            named = [
                p for p in parties if self.short_name_member.match(p) or _PARTY_COMPANY.fullmatch(p)
            ]
            names.update(named)
            if len(named) >= 2:
                # "与东辰铝业、华锐五矿、南岭稀土和西江有色签订": the members of one list of
                # signing parties are all companies, whatever the ending of each
                names.update(
                    p
                    for p in parties
                    if 3 <= len(p) <= 8
                    and not _PLACE_END.search(p)
                    and not _REFERRING_COMPANY.fullmatch(p)
                )
        for match in self.producer_predicate.finditer(text):
            name = self._past_relation(match.group("name"))
            # (a name of another ending only where the text names it again: "X虽然是…" and
            # "令公司成为…" run on into words that are no name)
            if not self.place.search(name) and (
                self.short_name_member.match(name) or text.count(name) >= 2
            ):
                names.add(name)
        for match in self._producer_lists(text):
            for member in re.split("[、和及与]", _GLOSSES.sub("", match.group("list"))):
                if not member[:1].isascii() and not self.place.search(member):
                    names.add(member)
                    if len(member) == 2:
                        two_character.add(member)
        for match in self.company_list.finditer(text):
            members = [
                self._past_relation(p.lstrip(NOT_NAME_START_ZH))
                for p in re.split("[、和及]", match.group("list"))
            ]
            # (one member ending as companies' names end says the list is of companies)
            if any(self.short_name_member.match(p) for p in members):
                names.update(
                    p
                    for p in members
                    if 3 <= len(p) <= 8
                    and not self.place.search(p)
                    and not _REFERRING_COMPANY.fullmatch(p)
                )
        # a date's "日", a separator "丨" or a preposition glued on the left is no part of it
        # ("日本X公司": but "日本" is a country, no date's "日")
        names = {_unglued(n) for n in names}
        # ("目前北辰铝业(600999)为…": a time adverb glued on the left)
        names = {
            n[lead.end() :] if (lead := _TIME_LEAD.match(n)) and len(n) - lead.end() >= 3 else n
            for n in names
        }
        # ("…12月31日期间X向Y销售": the period's word glued after its date)
        names = {_PERIOD_GLUED.sub("", n) for n in names}
        names = {
            n
            for n in names
            if (len(n) >= 3 or n in two_character)
            and name_key(n) not in self.role_names
            and not _REFERRING_COMPANY.fullmatch(n)
            and not _AMOUNT_NOUN_END.search(n)
        }
        added: list[OrgHit] = []
        for name in sorted(names, key=len, reverse=True):
            for hit in re.finditer(re.escape(name), text):
                start, end = hit.span()
                if any(m.start < end and start < m.end for m in (*found, *added)):
                    continue
                added.append(OrgHit(start, end, name, "zh_short"))
        return added

    def mentions(self, doc: Doc) -> list[OrgHit]:
        text = text_of(doc)
        found: list[OrgHit] = []
        for match in self.company.finditer(text):
            start = match.start()
            name = match.group()
            cut = self._breaker_cut(name)
            # "（记者张三）北方…有限公司": a bracket closed before any opens ends a phrase
            closing = [name.find(ch) for ch in "）)" if ch in name]
            opening = [name.find(ch) for ch in "（(" if ch in name]
            if closing and (not opening or min(closing) < min(opening)):
                cut = max(cut, min(closing))
            elif opening and not closing:
                cut = max(cut, max(opening))  # "X（东辰矿业公司": the bracket opens the name
            known = next((n for n in self.role_names_zh if text.endswith(n, 0, match.end())), None)
            if known is not None and len(known) > len(name) - cut - 1:
                cut = len(name) - len(known) - 1
            if cut >= 0:
                start += cut + 1
                name = name[cut + 1 :]
            # "控股股东关联方江陵钢联股份有限公司": a relation phrase is no part of the name
            # (the last of them: "上述议案已经X有限公司审议" names X)
            cuts = [
                at + len(prefix)
                for prefix in self.relation_prefixes
                if (at := name.rfind(prefix)) >= 0 and len(name) - at - len(prefix) > 4
            ]
            if cuts:
                start += max(cuts)
                name = name[max(cuts) :]
            # ("近来X矿业公司表示": a time adverb glued before the name)
            adverb = _TIME_LEAD.match(name)
            if adverb is not None and len(name) - adverb.end() >= 4:
                start += adverb.end()
                name = name[adverb.end() :]
            if self.descriptor_only.fullmatch(name):
                continue  # (the name written after it is read below)
            # ("加拿大钨矿商X矿业公司": a producer's noun, with its country and goods before
            # it, describes the company named after it)
            cut_at = max(
                (n.end() for n in self.producer_noun_in.finditer(name) if len(name) - n.end() >= 4),
                default=0,
            )
            start, name = start + cut_at, name[cut_at:]
            # "（于开曼群岛注册成立之有限公司）": what kind of company the one named before
            # is; a particle opens no name
            particles = len(name) - len(name.lstrip("之的"))
            start, name = start + particles, name[particles:]
            # ("企业类型：股份有限公司": a legal form alone names no company)
            if len(name) > 4 and not _BARE_LEGAL_FORM.fullmatch(name):
                # "X铝业公司", "X进出口公司": a name with no legal form sells, like a short name,
                # only where a sentence says so
                legal = _LEGAL_FORM_END.search(name) is not None
                found.append(OrgHit(start, match.end(), name, "rule" if legal else "zh_short"))
        for match in self.reserve_agency.finditer(text):
            agency = OrgHit(match.start(), match.end(), match.group(), "gazetteer")
            if self.reserve_sells(doc, agency) and not any(
                m.start < agency.end and agency.start < m.end for m in found
            ):
                found.append(agency)
        for match in self.descriptor_name.finditer(text):
            start, end = match.span("name")
            if (
                not self._a_place(match.group("name"))
                # ("一家国营矿企董事长称": the descriptor's officer speaks)
                and not _OFFICER_TITLE.match(match.group("name"))
                and not any(m.start < end and start < m.end for m in found)
            ):
                found.append(OrgHit(start, end, match.group("name"), "zh_short"))
        # ("（以下统称东辰公司）": a defined short form, read with its owner below)
        found = [m for m in found if not m.text.startswith(("以下", "简称", "统称", "合称"))]
        # "经X股份有限公司股东大会审议": a word glued on the left of a name the text also
        # writes alone is no part of it
        alone = {m.text for m in found}
        for hit in found:
            # (three characters only as a date's period: "…31日期间X", not a province's name)
            glued = next(
                (
                    k
                    for k in (1, 2, 3)
                    if hit.text[k:] in alone and (k < 3 or _PERIOD_GLUED.match(hit.text[1:]))
                ),
                None,
            )
            if glued is not None:
                hit.start += glued
                hit.text = hit.text[glued:]
        names = list(found)
        for match in _ZH_ALIAS.finditer(text):
            # the short form of the name right before it ("《协议》(以下简称"本协议")" names a
            # document, not the last company)
            owner = next(
                (
                    m
                    for m in names
                    if m.end <= match.start() and not text[m.end : match.start()].strip()
                ),
                None,
            )
            if owner is None:
                continue
            # "A及控股孙公司B（以下简称"卖方"）": a side's term names every party of the list
            owners = [owner]
            while True:
                joined = next(
                    (
                        m
                        for m in names
                        if m.end <= owners[-1].start
                        and _PARTY_JOINT.fullmatch(text, m.end, owners[-1].start)
                    ),
                    None,
                )
                if joined is None:
                    break
                owners.append(joined)
            for term in _ZH_ALIAS_TERM.finditer(match.group("aliases") or match.group("quoted")):
                short = term.group("alias")
                owner.aliases.append(short)
                if short in SIDE_TERMS_ZH or match.group("kind") in ("统称", "合称"):
                    for other in owners[1:]:
                        other.aliases.append(short)
                for alias in re.finditer(re.escape(short), text):
                    # ("公司" inside another full name is no mention of this one)
                    inside = any(m.start <= alias.start() < m.end for m in names)
                    if alias.start() > match.end() and not inside:
                        found.append(OrgHit(alias.start(), alias.end(), alias.group(), "rule"))
        found.extend(self._short_names(text, found, doc._.minwatch_minerals or []))
        # Latin-script names in a Chinese text: "锂矿企业Tarrant Resources Limited", and later
        # the short form "向Tarrant采购".
        latin: list[OrgHit] = []
        for match in self.en_company_in_zh.finditer(text):
            latin.append(OrgHit(match.start(), match.end(), match.group(), "rule"))
        for match in (*self.latin_name.finditer(text), *self.descriptor_latin.finditer(text)):
            start, end = match.span("name")
            if not any(m.start < end and start < m.end for m in latin):
                latin.append(OrgHit(start, end, match.group("name").strip(" ."), "rule"))
        # a Latin name the text frames as a company: "智利 Orvane 公司" (its legal noun after it)
        # or "澳洲 Tarrant Resources" (its country before it); it sells only where a sentence
        # says so
        for match in self.framed_latin.finditer(text):
            group = next(
                g for g in ("name", "named", "listed", "operator", "supplying") if match.group(g)
            )
            start, end = match.span(group)
            # "加拿大Kelso矿业公司(Kelso Mining Corp,TSX:KMC)": the English name in the bracket
            # after its Chinese one is the name in full
            full = _BRACKETED_FULL.match(text, end)
            if full and full.group("full").split()[0] == match.group(group).split()[0]:
                start, end = full.span("full")
            if not any(m.start < end and start < m.end for m in latin):
                latin.append(OrgHit(start, end, text[start:end], "zh_latin"))
        for match in self.producer_list.finditer(text):
            at = match.start("list")
            for member in re.split("([、和及与])", match.group("list")):
                if member[:1].isascii() and member.strip():
                    start, end = at, at + len(member)
                    if not any(m.start < end and start < m.end for m in latin):
                        latin.append(OrgHit(start, end, member, "zh_latin"))
                at += len(member)
        for match in (*self.trade_latin.finditer(text), *self.latin_auction.finditer(text)):
            start, end = match.span("name")
            if not any(m.start < end and start < m.end for m in latin):
                latin.append(OrgHit(start, end, match.group("name"), "zh_latin"))
        # "巴西的KMX矿业公司", "Tarn公司": a Latin name with no legal form of its own takes the
        # Chinese company noun written onto it (not one ending on its trade's word, which is
        # the whole name already: "Kelso Minerals公司" is Kelso Minerals)
        for index, hit in enumerate(latin):
            tail = self.han_legal_tail.match(text, hit.end) or _HAN_COMPANY_TAIL.match(
                text, hit.end
            )
            if (
                tail
                and not self.en_company_in_zh.fullmatch(hit.text)
                and hit.text.split()[-1].casefold() not in self.industry_words
            ):
                end = tail.end()
                latin[index] = OrgHit(hit.start, end, text[hit.start : end], hit.source)
                latin[index].aliases.append(hit.text)  # "KMX" alone is this company
        # "从蒙古的Tavan Tolgoi矿购买": a Latin name written onto a mine or project is a site's
        latin = [hit for hit in latin if not _SITE_AFTER.match(text, hit.end)]
        for hit in list(latin):
            first = _HAN_COMPANY_TAIL.split(hit.text.split()[0])[0]
            if len(first) < (3 if first.isupper() else 4) or name_key(first) in self.role_names:
                continue
            for match in re.finditer(rf"(?<![A-Za-z]){re.escape(first)}(?![A-Za-z])", text):
                if not any(
                    m.start <= match.start() < m.end for m in latin
                ) and not _SITE_AFTER.match(text, match.end()):
                    tail = _HAN_COMPANY_TAIL.match(text, match.end())
                    end = tail.end() if tail else match.end()
                    mention = OrgHit(match.start(), end, text[match.start() : end], "rule")
                    mention.aliases.append(first)
                    latin.append(mention)
        title_end = doc._.minwatch_title_end
        found.extend(
            m for m in latin if m.start >= title_end and name_key(m.text) not in self.role_names
        )
        # "华锐锂业有限公司（Huarui Lithium Limited）": one company under both names
        # (and "Kelso（塔兰特矿业公司）": a Latin short form glossed by its Chinese name)
        ends = {m.end: m for m in found if not m.text[:1].isascii()}
        starts = {m.start: m for m in found if not m.text[:1].isascii()}
        for hit in latin:
            han = ends.get(hit.start - 1) if text[hit.start - 1 : hit.start] in "（(" else None
            if han is None and text[hit.end : hit.end + 1] in ("（", "("):
                han = starts.get(hit.end + 1)
            if han is not None and hit.start > 0:
                hit.aliases.append(han.text)
                han.aliases.append(hit.text)
        return _referred_companies(text, found)

    def canonical(self, cluster: list[OrgHit]) -> str | None:
        """A Chinese name glossed by its Latin one, or the reverse: the first given in full in
        one script ("东辰材料公司(Dongchen Materials)" and "DCM（东辰材料公司）" by the Chinese,
        "X资源公司(X Resources)" by the Latin: a name mixing scripts renders one of them, as a
        Chinese name led by its country, "鲁里塔尼亚东辰公司", describes before it names; so
        where the text also names it without the country, that name is the one). Otherwise
        None where the cluster has no name in each script."""
        han = [
            m
            for m in cluster
            if m.start >= 0
            and not re.search("[A-Za-z]", m.text)
            and not self.country_prefix.match(m.text)
            and not _BARE_LEGAL_FORM.fullmatch(m.text)
        ]
        latin = [
            m
            for m in cluster
            if m.start >= 0 and not re.search(f"[{HAN}]", m.text) and len(m.text.split()) >= 2
        ]
        if not latin:
            # "澳大利亚X锂业公司", then "X锂业公司": the country describes the company the text
            # goes on to name without it
            bare = {m.text for m in han}
            for mention in sorted(cluster, key=lambda m: m.start):
                country = self.country_prefix.match(mention.text) if mention.start >= 0 else None
                if country is not None and mention.text[country.end() :] in bare:
                    return mention.text[country.end() :]
            return None
        if not han:
            return None
        best_han = max(han, key=lambda m: (len(m.text), -m.start))
        best_latin = max(latin, key=lambda m: (len(m.text.split()), -m.start))
        first_han = min(m.start for m in han if m.text == best_han.text)
        first_latin = min(m.start for m in latin if m.text == best_latin.text)
        return best_han.text if first_han < first_latin else best_latin.text.strip(" ,")

    @staticmethod
    def _row_way(text: str, row_start: int) -> str | None:
        """Which way the goods of a related-party table row go ("sells", "buys"), by the
        category in its first cell or in the nearest row above that has one."""
        while row_start >= 0:
            row_end = text.find("\n", row_start)
            row = text[row_start : len(text) if row_end < 0 else row_end]
            if "|" not in row:
                return None
            first = row.split("|")[0].strip()
            if first:
                category = _ROW_WAY.match(first)
                if category is None:
                    return None
                return "sells" if category.group("way") else "buys"
            if row_start == 0:
                return None
            row_start = text.rfind("\n", 0, row_start - 1) + 1
        return None

    def reserve_sells(self, doc: Doc, mention: OrgHit) -> bool:
        """A reserve agency as the subject of a release from its stock ("国储已经抛售"), not
        the one sold to ("向国储出售")."""
        if mention.start < doc._.minwatch_title_end:
            return False
        text = text_of(doc)
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        return not re.search(r"[向给为对]$", text[sent_start : mention.start]) and bool(
            self.reserve_sale.match(text, mention.end, sent_end)
        )

    @staticmethod
    def _made_by(doc: Doc, pattern: re.Pattern[str], before: str, offset: int) -> bool:
        """Whether the words before a party ("日本电池生产企业X同", `before` starting at
        `offset`) name a maker of goods that hold no mineral of the text."""
        maker = pattern.search(before)
        return maker is not None and not any(
            offset + maker.start("goods") <= h.start < offset + maker.end("goods")
            for h in doc._.minwatch_minerals or []
        )

    def evidence(self, doc: Doc, mention: OrgHit) -> str | None:
        """The part a Chinese sentence gives the company: "向Y采购" and "与Y签订…采购协议"
        make Y the seller and the subject the buyer; "X与Y签订…供货协议" and "X…挂牌价" make X
        the seller."""
        if mention.start < doc._.minwatch_title_end or mention.start < 0:
            return None
        text = text_of(doc)
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        # (web pages often write half-width commas: "签署协议,每年向X供应")
        breaks = [m.end() for m in _CLAUSE_BEFORE.finditer(text, sent_start, mention.start)]
        clause_start = max([sent_start, *breaks])
        before = text[clause_start : mention.start]
        # (a gloss in brackets right after the name is no clause break: "X（X Ltd, ASX: XL）")
        gloss = _GLOSS_AFTER.match(text, mention.end, sent_end)
        stop = _CLAUSE_AFTER.search(text, gloss.end() if gloss else mention.end, sent_end)
        after = text[mention.end : stop.start() if stop else sent_end]
        # "X（X Ltd），与Y签署…": a comma between the glossed subject and its clause
        if (
            gloss is not None
            and stop is not None
            and stop.start() == gloss.end()
            and text[stop.start()] in "，,"
            and _WITH_PARTY.match(text, stop.end())
        ):
            after = _clause_from(text, stop.end(), sent_end)
            stop = None
        # "A、B，本月与Y签署…购买合同": a member of a list that is the subject of the next
        # clause is read with that clause, as its last member is
        in_list = bool(after) or text[mention.start - 1 : mention.start] == "、"
        if stop and text[stop.start()] in "，," and in_list and _LIST_REST.fullmatch(after):
            after = _clause_from(text, stop.end(), sent_end)
        # "X晚间公告，下属公司与Y签署…销售合同": X sells through its units
        if stop and _ANNOUNCES.fullmatch(after):
            announced = _clause_from(text, stop.end(), sent_end)
            # (the announcement's own paragraph: a later one may be any party's story)
            paragraph = text.find("\n", stop.end())
            told = min(paragraph if paragraph >= 0 else len(text), stop.end() + 300)
            if _THROUGH_ITS_UNITS_SELLS.match(announced) or _ANNOUNCER_SELLS.search(
                text, stop.end(), told
            ):
                return "seller"
            # "X发布公告称，已与Y签订协议，将所产钨精矿的一半售予Y": the announcer sells its
            # own goods to Y (not where they are sold to X itself)
            given = _SELLS_ITS_GOODS_TO.search(text, stop.end(), sent_end)
            if given is not None and not text.startswith(mention.text, given.end()):
                return "seller"
        line = text[text.rfind("\n", 0, mention.start) + 1 : mention.start]
        # a table row of related-party dealings: "向其出售产品 | 东辰 | …" sells to the
        # party in the row, "从关联人购买原料 | 东辰 | …" buys from it (a row with its first
        # cell empty is of the category above)
        if "|" in line:
            row_way = self._row_way(text, mention.start - len(line))
            if row_way == "sells":
                return "buyer"
            if row_way == "buys":
                # ("从关联人购买原料 | 东辰 | 蒸汽": a row of no mineral's goods)
                row_end = text.find("\n", mention.start)
                row_end = len(text) if row_end < 0 else row_end
                in_row = any(
                    mention.start - len(line) <= m.start < row_end
                    for m in doc._.minwatch_minerals or []
                )
                return "seller" if in_row else "other_goods"
        if self.buyer_label.search(line):
            return "buyer"
        if self.seller_label.search(line):
            return "seller"
        if self.owner_label.search(line):
            return "parent"
        if self.counterparty_label.search(line):
            way = self.to_counterparty.search(text)
            if way is not None:
                return "buyer" if way.group("verb") in self.seller_cues else "seller"
        # "X将向客户推介并供应Y拟建项目所产石墨": goods another produces, sold on by an agent
        if _AGENT_SALE.match(after):
            return "agent"
        # "日本电池生产企业X同Y续签…供应合同": a maker of goods that hold no mineral of the
        # text buys the mineral, whatever the agreement is called
        if self._made_by(doc, self.maker_before, before, clause_start):
            return "buyer"
        if (
            self.with_miner_after.match(after)
            and not self.miner_before.search(before)
            and any(sent_start <= h.start < sent_end for h in doc._.minwatch_minerals or [])
        ):
            return "buyer"
        # "X仍为公司精矿的最大客户": what the sentence calls it, a customer
        if _CUSTOMER_AFTER.match(after):
            return "buyer"
        # "X是国内主要的负极材料生产企业": what X does, which a deal's own frame may outrank
        # ("X将每年从Y购买": in this deal X buys)
        if self.producer_after.match(text, mention.end, sent_end) or any(
            m.start("list") <= mention.start < m.end("list")
            for m in self._producer_lists(text, sent_start, sent_end)
        ):
            return "producer"
        # "其中一座由X公司负责运营": the one a mine or a project is run by produces (the
        # site may be named in the sentence before: "两座锂盐湖…。其中一座由X经营")
        if _RUN_BY_BEFORE.search(before) and _RUNS_AFTER.match(after):
            lead = max(text.rfind("。", 0, max(0, sent_start - 1)) + 1, sent_start - 120, 0)
            if _SITE_ZH.search(text, lead, sent_end) and any(
                lead <= h.start < sent_end for h in doc._.minwatch_minerals or []
            ):
                return "producer"
        # "X近日作为卖方与Y签订…": the parties' own words for their sides
        side = _AS_PARTY_ZH.match(text, mention.end)
        if side is not None:
            return "seller" if side.group("side") in _SELLER_SIDES_ZH else "buyer"
        party = _AS_PARTY_WITH_ZH.search(before)
        if party is not None:
            return "buyer" if party.group("side") in _SELLER_SIDES_ZH else "seller"
        named_side = _SIDE_BEFORE_ZH.search(before)
        if named_side is not None:
            return "seller" if named_side.group("side") in _SELLER_SIDES_ZH else "buyer"
        # "已与Y签署了协议。X将…向后者供应": the latter, the party named last, buys
        if _TO_THE_LATTER.match(text, mention.end):
            return "buyer"
        if _AUCTIONS.match(after):
            return "seller"
        # "今年与关联方X发生日常关联交易不超过…": a related party's yearly cap, which way the
        # goods go unsaid
        # (each party of a list: "与关联方A（…）、B（…）发生")
        if re.search(
            r"(?:与|和|同)(?:关联方|关联人)?(?:[^，。；]{2,60}?[、和及])?$", before
        ) and _RELATED_DEALINGS.match(_ALIAS_AFTER.sub("", text[mention.end : sent_end], count=1)):
            return "related_party"
        # "将钨精矿出售给国内主要的钨生产商之一X": the one sold to buys, whatever the words
        # describing it between
        if _SOLD_TO_BEFORE_ZH.search(before):
            return "buyer"
        # "合同规定由X供应钨精矿": the party a deal has supply the goods; "由X提供资金",
        # the money
        if before.endswith("由") and _SUPPLIED_BY_AFTER.match(after):
            return "seller"
        if _FUNDS_AFTER.match(after) or (
            _GOVERNMENT_SIGNS_WITH.search(before)
            and _SIGNS_PROJECT_AFTER.match(text, mention.end, sent_end)
        ):
            return "funder"
        if _GIVES_TO_AFTER.match(after):
            return "seller"
        # "X将在2018年至2020年，为Y供应…": the subject that will supply, across the comma
        if _WILL_SUPPLY_AFTER.match(text, mention.end, sent_end):
            return "seller"
        if len(before) <= 2 and _WILL_BUY_AFTER.match(text, mention.end, sent_end):
            return "buyer"
        # "A和B同为X之控股子公司": X owns both parties; a parent is no party to their deal
        if _PARENT_AFTER.match(text, mention.end):
            return "parent"
        # "A在X的采购量": A's purchases at X
        if before.endswith("在") and _PURCHASES_AT_AFTER.match(after):
            return "seller"
        # "钴精矿大部分采购自X", "进口自X": bought from X
        if re.search("(?:" + "|".join(self.buyer_cues) + r")(?:自|于)$", before):
            return "seller"
        if self.from_marker.search(before) and any(c in after[:12] for c in self.buyer_cues):
            return "seller"
        # "每年向X供应10万吨", "为X提供锂精矿": supplied to X, X buys
        # (also past the owner of the one supplied: "向东辰旗下X和Y供应")
        if (
            re.search(
                r"(?:向|为|给|对)(?:[^，。；]{0,3}|[^，。；]{1,8}?(?:旗下|下属|所属))$", before
            )
            and any(c in after[:20] for c in [*self.seller_cues, "提供"])
            # ("可为X的新厂提供资金支持": support given, no goods)
            and not _NO_GOODS_GIVEN.search(after[:30])
        ):
            return "buyer"
        agreement = re.search(
            r"(?:签订|签署|达成|续签)(?P<kind>[^，。；]{0,20}?)(?:协议|合同|合约|订单)", after
        )
        # "电池生产企业X同Y续签…供应合同": the one a maker of other goods signs with sells
        if (
            re.search("[与和同]$", before)
            and agreement
            and self._made_by(doc, self.maker_then_with, before, clause_start)
        ):
            return "seller"
        # an agreement's name says whose side it is written from ("采购合作协议" may be the
        # buyer's name for a deal its seller announces): weaker than a verb's frame
        if re.search("[与和同]", before) and agreement:
            kind = agreement.group("kind")
            # ("同秘鲁矿商Y签订…锌精矿供货合同": the miner the subject signs with sells,
            # whatever the agreement is called, as the subject buys in with_miner_after)
            if self.miner_before.search(before):
                return "producer"
            if any(c in kind for c in self.buyer_cues):
                return "seller_by_agreement"
            if any(c in kind for c in self.seller_cues):
                return "buyer_by_agreement"
        dealt_with = before.endswith(("与", "和"))
        # "公司与X多年来开展钼精矿销售": the subject sells to X
        if dealt_with and _SALE_WITH_AFTER.match(after):
            return "buyer"
        # "公司与X自2017年起进行稀土精矿采购": the subject buys from X
        purchase = _PURCHASE_AFTER.match(after)
        if dealt_with and purchase and not _SALE_AFTER.match(after):
            # "与X发生纯碱采购业务": goods named before the verb that hold no mineral of
            # the text are another trade's; X sells those, not the minerals
            goods = _ALIAS_AFTER.sub("", after[: purchase.end()], count=1)
            named = re.sub(r"^(?:[^，。；]{0,12}?(?:发生|进行|开展))", "", goods)[:-2]
            if re.search(f"[{HAN}]{{2}}", named) and not any(
                mention.end <= h.start < mention.end + purchase.end()
                for h in doc._.minwatch_minerals or []
            ):
                return "other_goods"
            return "seller"
        if re.match(r"^[^，。；]{0,6}与", after) and agreement:
            kind = agreement.group("kind")
            if any(c in kind for c in self.buyer_cues):
                return "buyer_by_agreement"
            if any(c in kind for c in self.seller_cues):
                return "seller_by_agreement"
        if re.search(r"(?:向|从|自)[^，。；]{1,30}?(?:" + "|".join(self.buyer_cues) + ")", after):
            return "buyer"
        # "子公司X(以下简称"Y")与Z开展锰矿石采购交易": the subject buys from the party after 与
        if _WITH_THEN_PURCHASE.match(_ALIAS_AFTER.sub("", after, count=1)):
            return "buyer"
        # ("依照X的要求进行供货": X's request, not X's deliveries)
        said = self.cue_idioms.sub("", after[:20])
        if not after.startswith("的") and any(c in said for c in self.seller_cues):
            # ("X今年被暂停供货": the one whose deliveries were stopped buys)
            first = min(said.find(c) for c in self.seller_cues if c in said)
            if re.search("被[^，。；]{0,3}$", said[:first]):
                return "buyer"
            return "seller"
        # "与秘鲁矿企X签署加工费协议": a miner by the noun before its name, where no
        # frame gives the deal's sides (a smelter's noun says nothing of selling ore)
        if self.miner_before.search(before):
            return "producer"
        # (weaker than any deal's frame above: an owner of a mine may buy in this sentence)
        if (
            _MINE_OWNER_BEFORE.search(before)
            or _MINE_OWNER_AFTER.match(after)
            or _OWNED_SITE_AFTER.match(after)
            or _OUTPUT_OF_AFTER.match(after)
            or (_MINE_HELD_BY_BEFORE.search(before) and _HELD_AFTER.match(text, mention.end))
        ):
            return "producer"
        return None
