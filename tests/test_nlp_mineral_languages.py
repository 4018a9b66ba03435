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
