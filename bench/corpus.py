"""A seeded corpus of N realistic documents in the sources' real formats, for the benchmarks.

`generate_corpus(root, n_docs)` writes a directory that `sample_sources.server.SampleServer`
serves like the bundled samples: a WordPress RSS 2.0 feed with its article pages (the
`mining_com` family), an Atom feed with its article pages (`trade_atom`) and SAM.gov
opportunities with their notice descriptions (`sam_gov`). Pages carry the chrome real news
sites carry (cookie banner, navigation, price ticker, share buttons, ad slots, related
links), so text extraction does the work it does at night. About a third of the news is
off-topic (gold, coal, copper earnings), as on the real feeds.

    .venv/bin/python bench/corpus.py /tmp/corpus --docs 1000
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_ROBOTS = REPO / "sample_sources" / "robots.txt"
BASE = "__BASE_URL__"  # SampleServer replaces it with its own URL

# Share of each family in a corpus (the rest is RSS): news dominates a real night.
ATOM_SHARE = 0.45
SAM_SHARE = 0.10
OFF_TOPIC_SHARE = 0.35
# Every date falls in the year before the night, inside the flow's first-run lookback.
DEFAULT_NIGHT = date(2026, 11, 27)
SPAN_DAYS = 300

FEED_PATHS = {"mining_com": "/news/mining_feed.xml", "trade_atom": "/news/trade_atom.xml"}

MINERALS = [
    ("antimony", "antimony ingot"),
    ("cobalt", "cobalt cathode"),
    ("gallium", "gallium metal"),
    ("germanium", "germanium dioxide"),
    ("graphite", "flake graphite"),
    ("lithium", "lithium carbonate"),
    ("nickel", "nickel sulphate"),
    ("tungsten", "ammonium paratungstate"),
    ("rare earths", "NdPr oxide"),
    ("scandium", "scandium oxide"),
    ("tin", "tin ingot"),
    ("tellurium", "tellurium metal"),
    ("bismuth", "bismuth metal"),
    ("niobium", "ferroniobium"),
]
COMPANIES = [
    "Northvale Graphite Inc.",
    "Sable Ridge Lithium Ltd",
    "Kestrel Nickel Corp.",
    "Bolt Creek Tungsten LLC",
    "Atlantic Minor Metals Inc.",
    "Harbor Antimony Company",
    "Appalachian Critical Metals",
    "Prairie Antimony Works",
    "Cedar Cell Batteries",
    "Hanbit Cathode Co.",
    "Auralis Battery Materials",
    "Copperline Germanium",
]
PLACES = ["Nevada", "Quebec", "Western Australia", "Finland", "Idaho", "Tennessee", "Ontario"]
ANALYSTS = ["Maya Lindgren", "Tomas Rieder", "Aiko Tanaka", "Grace Mensah", "Luis Ortega"]
AUTHORS = ["Priya Raman", "Daniel Ferreira", "Sarah Okonkwo", "Marcus Hale", "Elena Varga"]

ON_TOPIC = [
    "{company} said on {weekday} it had signed a five-year offtake agreement for up to "
    "{tonnes:,} tonnes a year of {product} with a buyer in {place}.",
    "The Defense Logistics Agency has awarded {company} a contract worth up to ${musd} million "
    "for {product} to be delivered to the National Defense Stockpile.",
    "Prices for {product} rose to ${price:,} per tonne in Rotterdam this week, according to "
    "assessments published on {weekday}.",
    "China exported {small} tonnes of {mineral} in the first nine months of the year, customs "
    "data showed, down {pct}% from a year earlier after export licensing began.",
    "{company} plans to spend ${musd} million on a processing plant in {place} with capacity "
    "of {tonnes:,} tonnes a year of {product}.",
    "“Buyers are paying for security of supply, not just for metal,” said {analyst}, an "
    "analyst at Harbourside Metals Research.",
    "The Department of Energy offered a ${musd} million loan to support {mineral} refining "
    "in {place}, the largest such commitment this year.",
    "Traders said spot parcels of {small} tonnes of {product} changed hands at a premium to "
    "the published range.",
    "DLA Strategic Materials issued a request for information seeking {small} tonnes of "
    "{product}, with responses due within 30 days.",
    "Inventories of {mineral} held by consumers in Japan and Korea cover about {days} days of "
    "consumption, the industry group estimated.",
]
OFF_TOPIC = [
    "Spot gold rose {pct}% to a record ${price:,} an ounce as central banks kept buying.",
    "Three miners were injured in a roof fall at an underground coal mine in {place}, state "
    "regulators said on {weekday}.",
    "{company2} reported quarterly copper output of {tonnes:,} tonnes, in line with guidance.",
    "The regulator issued {days} citations after the inspection and ordered ventilation "
    "repairs before work resumes.",
    "Exchange-traded funds backed by gold added {small} tonnes of holdings in the month.",
    "Shares of {company2} fell {pct}% after the company cut its annual production forecast.",
    "The union said talks on a new wage agreement would continue next {weekday}.",
    "Thermal coal prices at Newcastle eased to ${musd} a tonne on weaker demand from utilities.",
]
OFF_TOPIC_COMPANIES = ["Goldhaven Resources", "Redrock Copper", "Blue Ridge Coal Co.", "Orion Gold"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
NOTICE_TYPES = ["Solicitation", "Sources Sought", "Award Notice", "Presolicitation"]
NAICS = ["331410", "331492", "212290", "325180"]


@dataclass(frozen=True)
class Corpus:
    """What was generated: counts by family (the crawl lands one document each)."""

    root: Path
    n_docs: int
    counts: dict[str, int]
    night: date

    @property
    def feed_paths(self) -> dict[str, str]:
        return dict(FEED_PATHS)


def _fill(rng: random.Random, template: str, topic: tuple[str, str]) -> str:
    mineral, product = topic
    return template.format(
        company=rng.choice(COMPANIES),
        company2=rng.choice(OFF_TOPIC_COMPANIES),
        mineral=mineral,
        product=product,
        place=rng.choice(PLACES),
        weekday=rng.choice(WEEKDAYS),
        tonnes=rng.randrange(500, 60000, 100),
        small=rng.randrange(2, 900),
        musd=rng.randrange(5, 600),
        price=rng.randrange(900, 60000, 50),
        pct=rng.randrange(2, 40),
        analyst=rng.choice(ANALYSTS),
        days=rng.randrange(20, 120),
    )


def _paragraphs(rng: random.Random, off_topic: bool, topic: tuple[str, str]) -> list[str]:
    templates = OFF_TOPIC if off_topic else ON_TOPIC
    return [
        " ".join(_fill(rng, rng.choice(templates), topic) for _ in range(rng.randint(2, 3)))
        for _ in range(rng.randint(4, 7))
    ]


def _title(rng: random.Random, off_topic: bool, topic: tuple[str, str], serial: int) -> str:
    if off_topic:
        subject = rng.choice(["Gold", "Coal", "Copper", "Mine safety"])
        return f"{subject} update {serial}: {rng.choice(OFF_TOPIC_COMPANIES)} and the market"
    return f"{rng.choice(COMPANIES)} and the {topic[0]} market, report {serial}"


def _chrome_header(rng: random.Random) -> str:
    ticks = "".join(
        f'<span class="tick">{name} ${rng.randrange(10, 20000):,} '
        f'<em class="up">+{rng.randrange(1, 9)}.{rng.randrange(10)}%</em></span>\n'
        for name in ("Gold", "Copper", "Nickel", "Cobalt", "Lithium carbonate")
    )
    menu = "".join(
        f'<li><a href="/category/{c.lower()}/">{c}</a></li>\n'
        for c in ("Gold", "Copper", "Lithium", "Rare-Earths", "Battery-Metals", "Markets", "Jobs")
    )
    return (
        '<div id="cookie-notice" class="cookie-banner" role="dialog"><p>We use cookies to '
        "personalise content and ads and to analyse our traffic.</p>"
        '<button type="button">Accept all</button></div>\n'
        '<header id="masthead" class="site-header"><div class="site-branding">'
        '<a href="/">Critical Metals Daily</a></div>\n'
        f'<nav id="site-navigation" class="main-navigation"><ul class="menu">\n{menu}</ul></nav>\n'
        f'<div class="price-ticker">\n{ticks}</div></header>\n'
    )


def _related(rng: random.Random, links: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<li><a href="{BASE}{path}">{html.escape(title)}</a></li>\n'
        for path, title in rng.sample(links, min(3, len(links)))
    )
    return f'<aside class="related-posts"><h2>Related articles</h2><ul>\n{items}</ul></aside>\n'


def _wordpress_page(
    rng: random.Random, title: str, when: datetime, author: str, paragraphs: list[str], path: str
) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    ad = (
        '<div class="ad-slot ad-inline"><span class="ad-label">Advertisement</span>'
        '<a href="/advertise/">Price data from $99 a month - start your free trial</a></div>'
    )
    middle = len(paragraphs) // 2
    parts = body.split("\n")
    body = "\n".join([*parts[:middle], ad, *parts[middle:]])
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{html.escape(title)} - Critical Metals Daily</title>\n"
        f'<link rel="canonical" href="{BASE}{path}">\n'
        f'<meta property="article:published_time" content="{when.isoformat()}">\n'
        '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>\n'
        f'</head>\n<body class="single single-post">\n{_chrome_header(rng)}'
        '<div id="content" class="site-content">\n'
        '<nav class="breadcrumbs"><a href="/">Home</a> &raquo; <a href="/news/">News</a></nav>\n'
        '<main id="main" class="site-main">\n<article class="post type-post">\n'
        f'<header class="entry-header"><h1 class="entry-title">{html.escape(title)}</h1>\n'
        f'<div class="entry-meta"><span class="byline">By {author}</span> '
        f'<time class="entry-date" datetime="{when.isoformat()}">{when:%B %d, %Y}</time>'
        "</div></header>\n"
        '<div class="share-buttons"><a class="share-x" href="#">Share on X</a> '
        '<a class="share-linkedin" href="#">Share on LinkedIn</a></div>\n'
        f'<div class="entry-content">\n{body}\n</div>\n'
        '<footer class="entry-footer"><span class="cat-links">Posted in News</span></footer>\n'
        "</article>\n"
    )


def _page_tail(rng: random.Random, related: list[tuple[str, str]]) -> str:
    return (
        f"{_related(rng, related)}</main></div>\n"
        '<footer class="site-footer"><p>&copy; 2026 Critical Metals Daily. All rights '
        'reserved.</p><a href="/privacy-policy/">Privacy</a></footer>\n'
        '<div class="newsletter-signup"><form><input type="email"></form></div>\n'
        "</body>\n</html>\n"
    )


def _trade_page(title: str, when: datetime, author: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">\n'
        f"<title>{html.escape(title)} | Strategic Metals Trade Journal</title></head>\n<body>\n"
        '<div class="site-top"><a href="/trade/">Strategic Metals Trade Journal</a>'
        '<nav class="topnav"><a href="/trade/markets/">Markets</a> '
        '<a href="/trade/policy/">Policy</a> <a href="/trade/search">Search</a></nav></div>\n'
        '<div class="subscribe-promo">Subscribe for full price assessments.</div>\n'
        f'<main><article><h1>{html.escape(title)}</h1>\n<p class="meta">{author} | '
        f'{when:%d %B %Y %H:%M} UTC</p>\n<div class="article-body">\n{body}\n</div>\n'
        '<div class="tags">Tags: metals, markets</div></article>\n'
        '<aside class="sidebar"><h3>Most read</h3><ul><li>Prices this week</li>'
        "<li>Policy tracker</li></ul></aside></main>\n"
        "<footer><p>Strategic Metals Trade Journal</p></footer>\n</body>\n</html>\n"
    )


def _rss(items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
        '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/">\n<channel>\n'
        "\t<title>Critical Metals Daily</title>\n"
        f'\t<atom:link href="{BASE}{FEED_PATHS["mining_com"]}" rel="self" '
        'type="application/rss+xml" />\n'
        f"\t<link>{BASE}/news/</link>\n"
        "\t<description>Critical minerals, battery metals and mining news</description>\n"
        "\t<language>en-US</language>\n\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        + "".join(items)
        + "</channel>\n</rss>\n"
    )


def _rss_item(title: str, path: str, author: str, when: datetime, post_id: int, lead: str) -> str:
    return (
        f"\t<item>\n\t\t<title>{html.escape(title)}</title>\n"
        f"\t\t<link>{BASE}{path}</link>\n"
        f"\t\t<dc:creator><![CDATA[{author}]]></dc:creator>\n"
        f"\t\t<pubDate>{format_datetime(when)}</pubDate>\n"
        "\t\t<category><![CDATA[Critical Minerals]]></category>\n"
        f'\t\t<guid isPermaLink="false">{BASE}/?p={post_id}</guid>\n'
        f"\t\t<description><![CDATA[<p>{lead} [&#8230;]</p>]]></description>\n\t</item>\n"
    )


def _atom(entries: list[str], updated: datetime) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        "  <title>Strategic Metals Trade Journal</title>\n"
        '  <link rel="self" type="application/atom+xml" '
        f'href="{BASE}{FEED_PATHS["trade_atom"]}"/>\n'
        f'  <link rel="alternate" type="text/html" href="{BASE}/trade/"/>\n'
        "  <id>tag:strategicmetalstrade.example,2025:feed</id>\n"
        f"  <updated>{updated:%Y-%m-%dT%H:%M:%SZ}</updated>\n" + "".join(entries) + "</feed>\n"
    )


def _atom_entry(title: str, path: str, author: str, when: datetime, lead: str) -> str:
    stamp = f"{when:%Y-%m-%dT%H:%M:%SZ}"
    return (
        f'  <entry>\n    <title type="text">{html.escape(title)}</title>\n'
        f'    <link rel="alternate" type="text/html" href="{BASE}{path}"/>\n'
        f"    <id>tag:strategicmetalstrade.example,{when:%Y-%m-%d}:{path}</id>\n"
        f"    <updated>{stamp}</updated>\n    <published>{stamp}</published>\n"
        f"    <author><name>{author}</name></author>\n"
        f'    <summary type="text">{html.escape(lead)}</summary>\n  </entry>\n'
    )


def _notice(rng: random.Random, serial: int, posted: date) -> tuple[dict[str, object], str]:
    _, product = rng.choice(MINERALS)
    notice_id = hashlib.md5(f"bench-notice-{serial}".encode()).hexdigest()
    notice_type = rng.choice(NOTICE_TYPES)
    year = posted.year % 100
    solicitation = f"SP8000-{year:02d}-{'D' if notice_type == 'Award Notice' else 'R'}-{serial:04d}"
    award = None
    if notice_type == "Award Notice":
        award = {
            "date": posted.isoformat(),
            "number": solicitation,
            "amount": f"{rng.randrange(1, 500) * 1_000_000:.2f}",
            "awardee": {
                "name": rng.choice(COMPANIES).upper(),
                "location": {"city": {"name": "COLUMBUS"}, "state": {"name": "OH"}},
                "ueiSAM": f"BENCH{serial:07d}",
                "cageCode": f"{serial % 100000:05d}",
            },
        }
    record: dict[str, object] = {
        "noticeId": notice_id,
        "title": f"{notice_type}: {product} for the National Defense Stockpile ({serial})",
        "solicitationNumber": solicitation,
        "fullParentPathName": "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA STRATEGIC "
        "MATERIALS.DCSO COLUMBUS DIVISION 3",
        "fullParentPathCode": "097.97AS.DLA STRATEGIC MATERIALS.SP8000",
        "postedDate": posted.isoformat(),
        "type": notice_type,
        "baseType": notice_type,
        "archiveType": "auto15",
        "archiveDate": (posted + timedelta(days=45)).isoformat(),
        "typeOfSetAsideDescription": None,
        "typeOfSetAside": None,
        "responseDeadLine": None if award else f"{posted + timedelta(days=30)}T16:00:00-05:00",
        "naicsCode": (naics := rng.choice(NAICS)),
        "naicsCodes": [naics],
        "classificationCode": "9650",
        "active": "Yes",
        "award": award,
        "pointOfContact": [
            {
                "fax": None,
                "type": "primary",
                "email": "contracting@example.mil",
                "phone": "614-692-0000",
                "title": None,
                "fullName": rng.choice(ANALYSTS),
            }
        ],
        "description": f"{BASE}/prod/opportunities/v1/noticedesc?noticeid={notice_id}",
        "organizationType": "OFFICE",
        "officeAddress": {
            "zipcode": "43218",
            "city": "Columbus",
            "countryCode": "USA",
            "state": "OH",
        },
        "uiLink": f"https://sam.gov/workspace/contract/opp/{notice_id}/view",
        "links": [
            {
                "rel": "self",
                "href": f"{BASE}/prod/opportunities/v2/search?noticeid={notice_id}&limit=1",
            }
        ],
        "resourceLinks": None,
    }
    tonnes = rng.randrange(5, 8000)
    description = (
        f"<p>The Defense Logistics Agency (DLA) by and through DCSO-C3 is issuing "
        f"<strong>{solicitation}</strong> for {product} for the National Defense Stockpile.</p>\n"
        f"<p>The Government anticipates a firm-fixed-price, indefinite-delivery/indefinite-"
        f"quantity contract with a five-year ordering period and a maximum of "
        f"${rng.randrange(2, 500)},000,000.00.</p>\n<ul>\n"
        f"<li>CLIN 0001: {product}, minimum 99.9% purity.</li>\n"
        f"<li>Estimated maximum quantity: up to {tonnes:,} metric tons over five years.</li>\n"
        "<li>Delivery: DLA Strategic Materials depot, FOB destination.</li>\n</ul>\n"
    )
    return record, json.dumps({"description": description})


def generate_corpus(
    root: Path, n_docs: int, *, seed: int = 7, night: date = DEFAULT_NIGHT
) -> Corpus:
    """Write a corpus of `n_docs` documents under `root` (replacing what was there)."""
    if n_docs < 3:
        raise ValueError(f"a corpus needs at least 3 documents (one per family), got {n_docs}")
    rng = random.Random(seed)
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    (root / "news" / "articles").mkdir(parents=True)
    (root / "sam_gov" / "descriptions").mkdir(parents=True)
    shutil.copyfile(SAMPLE_ROBOTS, root / "robots.txt")

    n_sam = max(1, round(n_docs * SAM_SHARE))
    n_atom = max(1, round(n_docs * ATOM_SHARE))
    n_rss = n_docs - n_sam - n_atom
    newest = datetime.combine(night, datetime.min.time(), tzinfo=UTC) - timedelta(hours=6)
    # Feeds list newest first; spacing the entries evenly over the span keeps dates distinct.
    step = timedelta(days=SPAN_DAYS) / max(n_rss, n_atom, n_sam)

    rss_items: list[str] = []
    rss_links: list[tuple[str, str]] = []
    for i in range(n_rss):
        when = newest - step * i
        topic = rng.choice(MINERALS)
        off_topic = rng.random() < OFF_TOPIC_SHARE
        title = _title(rng, off_topic, topic, i)
        slug = f"bench-{i:05d}-{topic[0].replace(' ', '-')}"
        path = f"/news/articles/{slug}/"
        author = rng.choice(AUTHORS)
        paragraphs = _paragraphs(rng, off_topic, topic)
        page = _wordpress_page(rng, title, when, author, paragraphs, path)
        related = rss_links[-10:] or [(path, title)]
        (root / path.strip("/")).mkdir(parents=True)
        (root / path.strip("/") / "index.html").write_text(
            page + _page_tail(rng, related), encoding="utf-8"
        )
        rss_items.append(_rss_item(title, path, author, when, 1_200_000 + i, paragraphs[0]))
        rss_links.append((path, title))
    (root / FEED_PATHS["mining_com"].strip("/")).write_text(_rss(rss_items), encoding="utf-8")

    atom_entries = []
    for i in range(n_atom):
        when = newest - step * i
        topic = rng.choice(MINERALS)
        off_topic = rng.random() < OFF_TOPIC_SHARE
        title = _title(rng, off_topic, topic, i)
        path = f"/trade/{when:%Y/%m}/bench-{i:05d}.html"
        page_file = root / path.strip("/")
        page_file.parent.mkdir(parents=True, exist_ok=True)
        paragraphs = _paragraphs(rng, off_topic, topic)
        author = rng.choice(AUTHORS)
        page_file.write_text(_trade_page(title, when, author, paragraphs), encoding="utf-8")
        atom_entries.append(_atom_entry(title, path, author, when, paragraphs[0]))
    (root / FEED_PATHS["trade_atom"].strip("/")).write_text(
        _atom(atom_entries, newest), encoding="utf-8"
    )

    records = []
    for i in range(n_sam):
        record, description = _notice(rng, i, (newest - step * i).date())
        records.append(record)
        (root / "sam_gov" / "descriptions" / f"{record['noticeId']}.json").write_text(
            description, encoding="utf-8"
        )
    opportunities = {"totalRecords": len(records), "opportunitiesData": records}
    (root / "sam_gov" / "opportunities.json").write_text(
        json.dumps(opportunities, indent=1), encoding="utf-8"
    )
    counts = {"mining_com": n_rss, "trade_atom": n_atom, "sam_gov": n_sam}
    return Corpus(root=root, n_docs=n_docs, counts=counts, night=night)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = generate_corpus(args.root, args.docs, seed=args.seed)
    print(json.dumps({"root": str(corpus.root), "counts": corpus.counts}))


if __name__ == "__main__":
    main()
