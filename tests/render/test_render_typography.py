"""The typography of annexes (``render/typography.py``) and the catalogue's joins."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactlang.render.doc import Seg
from pactlang.render.i18n import catalog
from pactlang.render.typography import (
    NBSP,
    NNBSP,
    apostrophes,
    first_day,
    french_spaces,
    minus_sign,
    no_break_after_abbreviations,
    polish,
    polish_rich,
)


def test_apostrophes_are_typographic() -> None:
    assert apostrophes("l'étape d'arbitrage") == "l\u2019étape d\u2019arbitrage"
    assert apostrophes("the party's share") == "the party\u2019s share"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quorum : 2", f"Quorum{NBSP}: 2"),  # a no-break space before a colon
        ("a ; b", f"a{NNBSP}; b"),  # narrow no-break before ; ! ?
        ("vraiment ?", f"vraiment{NNBSP}?"),
        ("Attention !", f"Attention{NNBSP}!"),
        ("« Taux »", f"«{NNBSP}Taux{NNBSP}»"),
        ("«Taux»", f"«{NNBSP}Taux{NNBSP}»"),  # guillemets always get their spaces
        (f"«{NBSP}Taux{NBSP}»", f"«{NNBSP}Taux{NNBSP}»"),
        ("10:30", "10:30"),  # no space, no change
        ("https://example.org", "https://example.org"),
        ("a  ;", f"a{NNBSP};"),  # several spaces become one
    ],
)
def test_french_spaces(text: str, expected: str) -> None:
    assert french_spaces(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pénalité (art. 8.1)", f"Pénalité (art.{NBSP}8.1)"),
        ("Art. 12", f"Art.{NBSP}12"),
        ("RCS n° 851", f"RCS n°{NBSP}851"),
        ("voir § 3", f"voir §{NBSP}3"),
        ("un départ. 12", "un départ. 12"),  # not an abbreviation of the list
    ],
)
def test_no_break_after_abbreviations(text: str, expected: str) -> None:
    assert no_break_after_abbreviations(text) == expected


def test_minus_sign() -> None:
    assert minus_sign("-5\u202f000,00\xa0€") == "\u22125\u202f000,00\xa0€"
    assert minus_sign("-€5,000.00") == "\u2212€5,000.00"
    assert minus_sign("co-généré, 2026-01") == "co-généré, 2026-01"  # hyphens stay


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("d MMMM y", "d'er' MMMM y"),
        ("EEE d MMM", "EEE d'er' MMM"),
        ("dd/MM/y", "dd/MM/y"),  # a two-digit day is not written 1er
        ("d 'de' MMMM", "d'er' 'de' MMMM"),  # quoted literals are left alone
    ],
)
def test_first_day_pattern(pattern: str, expected: str) -> None:
    assert first_day(pattern) == expected


def test_dates_say_1er_in_french_only_and_never_break() -> None:
    fr, en = catalog("fr"), catalog("en")
    assert fr.date(datetime.date(2026, 1, 1)) == f"1er{NBSP}janvier{NBSP}2026"
    assert fr.date(datetime.date(2026, 1, 2)) == f"2{NBSP}janvier{NBSP}2026"
    assert fr.day(datetime.date(2026, 5, 1)) == f"ven.{NBSP}1er{NBSP}mai"
    assert en.date(datetime.date(2026, 1, 1)) == f"January{NBSP}1,{NBSP}2026"
    assert "er" not in en.day(datetime.date(2026, 5, 1))


def test_negative_numbers_have_a_minus_sign() -> None:
    assert catalog("fr").money(Decimal("-5000"), "EUR") == f"\u22125{NNBSP}000,00{NBSP}€"
    assert catalog("en").number(Decimal("-1.5")) == "\u22121.5"
    assert catalog("en").percent(Decimal("-0.125")) == "\u221212.5%"


def test_elision_before_a_quoted_label() -> None:
    c = catalog("fr")
    text = c.fill("la décision de {d}", {"d": c.quote("Ajustement des budgets")})
    assert "".join(s.text for s in text) == "la décision d'«\u00a0Ajustement des budgets\u00a0»"
    kept = c.fill("la décision de {d}", {"d": c.quote("Budget")})
    assert "".join(s.text for s in kept) == "la décision de «\u00a0Budget\u00a0»"
    assert "".join(s.text for s in c.fill("à compter de {m}", {"m": "avril 2026"})) == (
        "à compter d'avril 2026"
    )


@pytest.mark.parametrize(
    ("lang", "expected"), [("fr", "lors des tours 1 et 2"), ("en", "in rounds 1 and 2")]
)
def test_two_consensus_rounds_read_1_and_2(lang: str, expected: str) -> None:
    c = catalog(lang)
    assert expected in c.t("consensus.rule.two", 2, next="3")
    assert "1 à 2" not in c.t("consensus.rule.two", 2, next="3")


def test_polish_leaves_code_alone() -> None:
    rich = (Seg("l'indice : "), Seg("a'b : c", "code"), Seg(" ok ?"))
    out = polish_rich(rich, "fr")
    assert out[0].text == f"l\u2019indice{NBSP}: "
    assert out[1] == Seg("a'b : c", "code")
    assert out[2].text == f" ok{NNBSP}?"


_SPACE_CHARS = {" ", NBSP, NNBSP}


def _skeleton(text: str) -> str:
    """Text without its spaces, apostrophes read as '."""
    return "".join(c for c in text if c not in _SPACE_CHARS).replace("\u2019", "'")


@given(st.text(alphabet=st.sampled_from(list("ab :;!?«»'’.§n°12art( )\u00a0\u202f")), max_size=40))
def test_polish_changes_only_spaces_and_apostrophes(text: str) -> None:
    for lang in ("fr", "en"):
        out = polish(text, lang)
        assert _skeleton(out) == _skeleton(text)
        assert polish(out, lang) == out  # idempotent
    assert polish(text, "en") == apostrophes(text)  # English: apostrophes only
