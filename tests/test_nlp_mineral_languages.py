"""Mineral names in the languages GDELT returns: read only in documents of that language."""

from __future__ import annotations

import json

import pytest

from minwatch.nlp import Extractor
from minwatch.nlp.base import load_data_file
from minwatch.nlp.minerals import FOREIGN_LANGUAGES


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# language, news sentence, minerals read in that language, minerals read as English
SENTENCES = [
    (
        "de",
        "China verschärft die Exportkontrollen für Antimon und Seltene Erden; "
        "der Antimonpreis stieg auf ein Rekordhoch.",
        ("antimony", "rare earth elements"),
        (),
    ),
    (
        "fr",
        "Les cours du cuivre et du nickel ont bondi mardi à Londres.",
        ("copper", "nickel"),
        ("nickel",),
    ),
    ("es", "Chile exportó más cobre y litio en octubre.", ("copper", "lithium"), ()),
    ("pt", "O preço do cobre e do nióbio subiu no Brasil.", ("copper", "niobium"), ()),
    (
        "it",
        "Le esportazioni di rame e di stagno dalla Bolivia sono calate.",
        ("copper", "tin"),
        (),
    ),
    ("ru", "Китай ограничил экспорт галлия и германия.", ("gallium", "germanium"), ()),
    (
        "ja",
        "中国はアンチモンとレアアースの輸出を規制した。",
        ("antimony", "rare earth elements"),
        (),
    ),
    (
        "ko",
        "중국이 희토류와 안티몬 수출을 통제했다.",
        ("antimony", "rare earth elements"),
        (),
    ),
]


@pytest.mark.parametrize(("language", "text", "expected", "_"), SENTENCES)
def test_minerals_in_document_language(
    extractor: Extractor, language: str, text: str, expected: tuple[str, ...], _: object
) -> None:
    assert extractor.extract(text, language=language).minerals == expected


@pytest.mark.parametrize(("language", "text", "_", "as_english"), SENTENCES)
def test_other_language_names_not_read_in_english(
    extractor: Extractor, language: str, text: str, _: object, as_english: tuple[str, ...]
) -> None:
    assert extractor.extract(text, language="en").minerals == as_english


def test_english_document_with_foreign_mineral_words(extractor: Extractor) -> None:
    text = "The Kupfer family sold Zinn Partners to Blei Holdings and Cobre Capital."
    assert extractor.extract(text, language="en").minerals == ()


def test_regional_language_codes(extractor: Extractor) -> None:
    text = "A produção de nióbio e de lítio cresceu."
    assert extractor.extract(text, language="pt-BR").minerals == ("lithium", "niobium")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # German: a first name, a "titan" of industry, a pencil, to stay
        ("de", "Wolfram Schmidt bleibt dabei: der Titan der Branche schreibt mit Bleistift.", ()),
        ("de", "Die Preise für Wolfram und Zinn sind gestiegen.", ("tin", "tungsten")),
        # French: money, "c'est nickel" (spotless), unleaded petrol
        ("fr", "Les ménages manquent d'argent, c'est nickel pour l'essence sans plomb.", ()),
        ("fr", "La mine produit du cuivre, du zinc et de l'argent.", ("copper", "silver", "zinc")),
        # Spanish: "indio" (a person), "plata" (money), unleaded
        ("es", "El líder indio dijo que no hay plata para gasolina sin plomo.", ()),
        ("es", "Bolivia produce estaño, plata e indio.", ("indium", "silver", "tin")),
        # Portuguese: "cobre" the verb, "grafite" graffiti, a silver medal
        ("pt", "O seguro cobre os custos do grafite no muro e da medalha de prata.", ()),
        # Italian: a pond, a silver medal
        ("it", "Le anatre nuotano nello stagno; lei ha vinto la medaglia d'argento.", ()),
        # Russian: Germany and India (capitalised), an athlete's silver
        ("ru", "Германия и Индия подписали соглашение, а спортсменка взяла серебро.", ()),
        # Japanese: Suzuki, a pencil, a bronze medal
        ("ja", "スズキの新車販売は好調で、鉛筆と銅メダルの需要も伸びた。", ()),
        # Korean: a frog, non-small-cell lung cancer
        ("ko", "개구리 연구가 비소세포폐암 치료에 쓰였다.", ()),
    ],
)
def test_homonyms_per_language(
    extractor: Extractor, language: str, text: str, expected: tuple[str, ...]
) -> None:
    assert extractor.extract(text, language=language).minerals == expected


# The names news writes besides the dictionary form: inflections and compounds, ore names,
# spellings of the other variety of the language.
NEWS_FORMS = [
    # German: "seltene Erden" in lower case, "Erdmetalle"; "Lanthanoide" is the group
    (
        "de",
        "Peking beschränkt die Ausfuhr seltener Erden; auch seltene Erdmetalle und Lanthanoide "
        "sind betroffen.",
        ("rare earth elements",),
    ),
    # compounds of Uran and Zinn, the genitive "Silberpreises"
    (
        "de",
        "Der Uranbergbau in Kasachstan und die Zinnminen Boliviens profitieren vom Anstieg des "
        "Silberpreises.",
        ("silver", "tin", "uranium"),
    ),
    # "Cobalt" and "Grafit" (the other spellings), ores: spodumene, galena
    (
        "de",
        "Gefragt sind Cobalt und Spodumen aus Australien, Grafit für Anoden und Bleiglanz "
        "aus Peru.",
        ("cobalt", "graphite", "lead", "lithium"),
    ),
    (
        "de",
        "Die Alu-Zölle der USA treffen auch Lieferanten von Kaliumchlorid.",
        ("aluminum", "potash"),
    ),
    # French: ores (spodumène, lépidolite, galène, pyrochlore, sphalérite, pentlandite), KCl
    (
        "fr",
        "Le projet extrait du spodumène et de la lépidolite, et la mine voisine produit de la "
        "galène.",
        ("lead", "lithium"),
    ),
    (
        "fr",
        "Les importations de chlorure de potassium et de pyrochlore ont augmenté.",
        ("niobium", "potash"),
    ),
    ("fr", "La sphalérite du gisement contient aussi de la pentlandite.", ("nickel", "zinc")),
    # Spanish: "cinc" and "volframio" (both in the RAE's dictionary), ores, KCl, "tántalo"
    ("es", "La mina produce cinc, galena y volframio.", ("lead", "tungsten", "zinc")),
    ("es", "Australia exporta espodumeno y Brasil exporta pirocloro.", ("lithium", "niobium")),
    (
        "es",
        "El precio del cloruro de potasio subió, igual que el del tántalo.",
        ("potash", "tantalum"),
    ),
    # Portuguese: Brazil's "espodumênio" and "tantálio", Portugal's petalite, ores
    (
        "pt",
        "A Sigma exporta concentrado de espodumênio e a mina vizinha produz petalita.",
        ("lithium",),
    ),
    ("pt", "O pirocloro de Araxá e a galena de Minas Gerais entram no plano.", ("lead", "niobium")),
    ("pt", "O tantálio e a esfalerita aparecem no relatório da agência.", ("tantalum", "zinc")),
    # Italian: "nickel" as the financial press writes it, ores, phosphate rock
    (
        "it",
        "Il prezzo del nickel è salito insieme a quello della calcopirite.",
        ("copper", "nickel"),
    ),
    ("it", "La miniera estrae spodumene e lepidolite in Portogallo.", ("lithium",)),
    (
        "it",
        "Le importazioni di pirocloro e di roccia fosfatica sono cresciute.",
        ("niobium", "phosphate"),
    ),
    # Russian: "медно-" compounds, "редких земель", ores, "платиноиды" (the group)
    ("ru", "Цены на литий и медно-никелевые руды выросли.", ("copper", "lithium", "nickel")),
    (
        "ru",
        "Экспорт плавикового шпата и редких земель из Китая сократился.",
        ("fluorspar", "rare earth elements"),
    ),
    (
        "ru",
        "Компания добывает сподумен, пирохлор и платиноиды.",
        ("lithium", "niobium", "platinum group metals"),
    ),
    # Japanese: spodumene (both names), silver futures, coking coal, monazite
    ("ja", "豪州産スポジュメンの価格が下落し、銀先物も売られた。", ("lithium", "silver")),
    (
        "ja",
        "粘結炭の輸入が増え、モナザイトからレアアースを回収する計画も進む。",
        ("metallurgical coal", "rare earth elements"),
    ),
    ("ja", "リシア輝石の調達先を広げる。", ("lithium",)),
    # Korean: tin and lead before a market word, silver's price, copper concentrate,
    # spodumene, coking coal; "구리 시장" is copper's market, not Guri's mayor
    ("ko", "국제 주석 가격이 급등했고 납 축전지 수요도 늘었다.", ("lead", "tin")),
    ("ko", "국제 은값이 오르자 동정광 수입도 늘었다.", ("copper", "silver")),
    ("ko", "포스코는 스포듀민과 점결탄을 수입한다.", ("lithium", "metallurgical coal")),
    ("ko", "런던 구리 시장은 약세를 보였다.", ("copper",)),
]


@pytest.mark.parametrize(("language", "text", "expected"), NEWS_FORMS)
def test_news_forms_per_language(
    extractor: Extractor, language: str, text: str, expected: tuple[str, ...]
) -> None:
    assert extractor.extract(text, language=language).minerals == expected


# Ordinary words that begin with, contain or are a mineral's name: no mineral is read, or only
# the one the sentence names.
ORDINARY_WORDS = [
    # German: a relay's silver medal, Platini, Nickelsdorf; the mine's tin is read
    (
        "de",
        "Die Staffel holte Silber, Michel Platini jubelte in Nickelsdorf, der Zinnbergbau boomt.",
        ("tin",),
    ),
    # the planet, a copper IUD, tin soldiers
    (
        "de",
        "Die Sonde flog am Uranus vorbei; im Museum lag eine Kupferspirale neben Zinnsoldaten.",
        (),
    ),
    # a Linux distribution, a record's platinum status
    ("de", "Das Team testet mit Kali Linux, ob der Platin-Status des Albums echt ist.", ()),
    # French: the "years of lead", the torment of Tantalus, a plumb wall, a leaden sun
    ("fr", "Les années de plomb ont marqué l'Italie, un vrai supplice de Tantale.", ()),
    ("fr", "Le mur n'est plus à plomb sous ce soleil de plomb, loin de la vallée du silicium.", ()),
    # Spanish: "cobre" the verb (to charge), the years of lead, Silicon Valley, Tantalus
    ("es", "Que nadie diga que el banco no cobre comisiones; fueron años de plomo.", ()),
    ("es", "Las empresas del Valle del Silicio viven un suplicio de Tántalo.", ()),
    # Portuguese: Brazil's years of lead, Silicon Valley, heavy criticism, Tantalus
    ("pt", "Nos anos de chumbo, ninguém falava do Vale do Silício.", ()),
    ("pt", "O técnico levou chumbo grosso da torcida, um suplício de Tântalo.", ()),
    # Italian: Berlin's Silver Bear, an athlete's silver, a leaden blanket
    ("it", "Il film ha vinto l'Orso d'argento a Berlino.", ()),
    ("it", "L'atleta ha conquistato l'argento sotto una cappa di piombo.", ()),
    # Russian: Erbil, Silicon Valley, Platini, the towns Boksitogorsk and Apatity, the Bronze
    # Horseman, the planet Uranus, hydrofluoric acid (not fluorspar)
    ("ru", "В Эрбиле открылась выставка стартапов из Кремниевой долины.", ()),
    ("ru", "Мишель Платини посетил Бокситогорск и Апатиты.", ()),
    (
        "ru",
        "Туристы фотографировались у Медного всадника, а астрологи ждут, когда Уран войдёт в "
        "Близнецы.",
        (),
    ),
    ("ru", "На заводе произошла утечка плавиковой кислоты.", ()),
    # Japanese: tritium, Wuxi, selenium, unleaded petrol, Shirokanedai, cobalt blue, a label
    ("ja", "処理水に含まれるトリチウムの濃度は基準を下回った。", ()),
    ("ja", "無錫の工場でセレニウムのサプリと無鉛ガソリンを扱う。", ()),
    ("ja", "白金台のカフェでコバルトブルーの器とプラチナムの新譜が話題に。", ()),
    # Korean: "도망간" (ran away), "정비소" (a garage), the Russian Federation, tritium, Guri
    # city, selenium, the state chairman (주석), Korea Zinc (a company, no mention of zinc)
    ("ko", "경찰을 피해 도망간 용의자가 정비소에 숨었다.", ()),
    ("ko", "러시아연방 정부는 트리튬 배출을 우려했고 구리시는 반대 성명을 냈다.", ()),
    ("ko", "시진핑 국가주석이 셀레늄 연구소를 찾았다.", ()),
    ("ko", "고려아연 경영권 분쟁이 길어지고 있다.", ()),
]


@pytest.mark.parametrize(("language", "text", "expected"), ORDINARY_WORDS)
def test_ordinary_words_per_language(
    extractor: Extractor, language: str, text: str, expected: tuple[str, ...]
) -> None:
    assert extractor.extract(text, language=language).minerals == expected


# Russian names in -ий are listed whole (their stems begin other words: Скандинавия, родился,
# Индия), so every case is listed: nom./acc. -ий, gen. -ия, dat. -ию, instr. -ием, prep. -ии.
RUSSIAN_CASES = [
    ("thulium", "тулий", "тулия", "тулию", "тулием", "тулии"),
    ("europium", "европий", "европия", "европию", "европием", "европии"),
    ("scandium", "скандий", "скандия", "скандию", "скандием", "скандии"),
    ("samarium", "самарий", "самария", "самарию", "самарием", "самарии"),
    ("rhodium", "родий", "родия", "родию", "родием", "родии"),
    ("silicon", "кремний", "кремния", "кремнию", "кремнием", "кремнии"),
]


@pytest.mark.parametrize(("canonical", "forms"), [(c, forms) for c, *forms in RUSSIAN_CASES])
def test_russian_names_are_read_in_every_case(
    extractor: Extractor, canonical: str, forms: list[str]
) -> None:
    nominative, genitive, dative, instrumental, prepositional = forms
    sentences = [
        f"Китай ограничил экспорт товаров, связанных с металлом {nominative}.",
        f"Цены на оксид {genitive} выросли.",
        f"Спрос по {dative} снизился.",
        f"Ограничения коснулись товаров, связанных с {instrumental}.",
        f"Речь идёт о {prepositional} и других металлах.",
    ]
    for sentence in sentences:
        assert extractor.extract(sentence, language="ru").minerals == (canonical,), sentence


def test_russian_place_names_are_not_read_as_minerals(extractor: Extractor) -> None:
    text = "Туристы из Скандии ехали по Самарии, а потом вернулись к Рутении и Индию не видели."
    assert extractor.extract(text, language="ru").minerals == ()


def test_table_has_every_language_on_every_line() -> None:
    entries = load_data_file("minerals.jsonl")
    assert len(entries) == 64
    for entry in entries:
        for language in FOREIGN_LANGUAGES:
            assert isinstance(entry[language], list), (entry["canonical"], language)
        # context only narrows names the line lists
        for language, forms in entry.get("context", {}).items():
            listed = {f.rstrip("-").casefold() for f in entry[language]}
            assert set(forms) <= listed, (entry["canonical"], language, set(forms) - listed)
    json.dumps(entries, ensure_ascii=False)  # the table stays plain JSON


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ferromanganese, High Carbon", True),
        ("Chrome Metal for the National Defense Stockpile", True),
        ("Titanium Sponge", True),
        ("Spodumene Concentrate Sources Sought", True),
        ("Lead Paint Abatement Services", False),  # lead needs a context the title lacks
        ("Tree Removal Services", False),  # "REE" keeps its case
    ],
)
def test_sam_relevance_reads_the_gazetteer(title: str, expected: bool) -> None:
    """One mineral vocabulary: SAM.gov's relevance filter reads the English names of
    minerals.jsonl."""
    from minwatch.spiders.vocabulary import names_mineral

    assert names_mineral(title) is expected
