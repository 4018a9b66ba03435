"""Where names end in a coordination: one rule for the model's entities and the rules' names."""

from __future__ import annotations

import pytest

from minwatch.nlp.names import NameWords


def names_in(text: str, *, drop_places: bool = True) -> list[str]:
    words = NameWords.load()
    return [text[a:b] for a, b in words.coordinated(text, 0, len(text), drop_places=drop_places)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # two names: the word after "and" begins a new one
        (
            "Harwick Metal Mining and Orvane Nickel",
            ["Harwick Metal Mining", "Orvane Nickel"],
        ),
        ("Rio Verde and Calloway Chemicals Company", ["Rio Verde", "Calloway Chemicals Company"]),
        # one name: a trade's word carries it on past the "and"
        ("Harbor Mining and Refining Co", ["Harbor Mining and Refining Co"]),
        # one name: a trade's word before "and", a legal form ending the whole
        ("Tessaly Alloys and Castings Inc.", ["Tessaly Alloys and Castings Inc."]),
        ("Corvo Tin and Wolfram (Portugal) S.A.", ["Corvo Tin and Wolfram (Portugal) S.A."]),
        # "&" joins the words of one name
        ("Pell & Sons", ["Pell & Sons"]),
        # a bracketed short form belongs to the first name, a possessive to neither
        ("Harlow Graphite (HGL) and Pell Carbon's", ["Harlow Graphite", "Pell Carbon"]),
        # a dangling "and" is no part of a name
        ("Fallowmere Smelting and", ["Fallowmere Smelting"]),
        # a place coordinated with a company is no name
        ("Canada and Northgate Metals Corp.", ["Northgate Metals Corp."]),
    ],
)
def test_coordinated_names(text: str, names: list[str]) -> None:
    assert names_in(text) == names


def test_the_end_of_a_comma_list_splits_unless_a_trade_word_follows() -> None:
    words = NameWords.load()
    text = "from Pellam, Harwick Metal Mining and Orvane"
    start = text.index("Harwick")
    assert [text[a:b] for a, b in words.coordinated(text, start, len(text))] == [
        "Harwick Metal Mining",
        "Orvane",
    ]
    # in a list a mineral's word begins the next name; a trade's word still carries it on
    text = "A Energy, B Energy and Uranium Royalty Corp"
    start = text.index("B Energy")
    assert [text[a:b] for a, b in words.coordinated(text, start, len(text))] == [
        "B Energy",
        "Uranium Royalty Corp",
    ]


def test_a_place_is_kept_when_asked() -> None:
    assert names_in("Canada and Northgate Metals Corp.", drop_places=False) == [
        "Canada",
        "Northgate Metals Corp.",
    ]


@pytest.mark.parametrize(
    ("text", "model_name", "name"),
    [
        # the short form spells the words after the model's name: they belong to it
        ("Far Ridge Copper (FRC) has signed", "Far Ridge", "Far Ridge Copper"),
        ("Harlow Nickel Kwinana (HNK) will build", "Harlow Nickel", "Harlow Nickel Kwinana"),
        # a short form of other words leaves the name as it was
        ("Far Ridge Copper (ASX) said", "Far Ridge", "Far Ridge"),
    ],
)
def test_a_name_runs_through_the_words_its_short_form_spells(
    text: str, model_name: str, name: str
) -> None:
    assert text[: NameWords.through_short_form(text, 0, len(model_name))] == name


def test_a_short_form_between_two_names_keeps_them_apart() -> None:
    from minwatch.nlp import Extractor

    text = (
        "The department announced awards of $6.4 million and $8.3 million to Canadian companies "
        "Harwick Minerals Limited (Harwick) and Orvane Metals, Inc. (Orvane) to expand cobalt "
        "and graphite production."
    )
    assert set(Extractor().extract(text).suppliers) == {
        "Harwick Minerals Limited",
        "Orvane Metals, Inc.",
    }


def test_a_bracket_the_model_ran_into_is_no_part_of_the_name() -> None:
    assert names_in("Prospect Metals (Prospect") == ["Prospect Metals"]
