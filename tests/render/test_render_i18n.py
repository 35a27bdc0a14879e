"""Catalogues and locale-aware formatting."""

from __future__ import annotations

import datetime
import json
import re
import string
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest

from pactlang.base.values import Period
from pactlang.render.doc import code, text_of
from pactlang.render.i18n import LANGUAGES, Catalog, CatalogError, catalog, exact_decimal

NBSP, NNBSP = "\u00a0", "\u202f"


def _raw(lang: str) -> dict[str, object]:
    text = resources.files("pactlang.render").joinpath("locales", f"{lang}.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def _fields(value: object) -> set[str]:
    texts = [value] if isinstance(value, str) else list(value.values())  # type: ignore[union-attr]
    out: set[str] = set()
    for t in texts:
        out |= {f for _, f, _, _ in string.Formatter().parse(t) if f is not None}
    return out


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, fr = _raw("en"), _raw("fr")
    assert set(en) == set(fr)
    for key in en:
        if key.startswith("_"):
            continue
        assert type(en[key]) is type(fr[key]), key
        if key.startswith("list."):
            assert set(en[key]) == set(fr[key]) == {"2", "start", "middle", "end"}  # type: ignore[arg-type]
            continue
        assert _fields(en[key]) == _fields(fr[key]), key
        if isinstance(en[key], dict):
            assert {"one", "other"} <= set(en[key]) and {"one", "other"} <= set(fr[key]), key  # type: ignore[arg-type]


def test_every_key_the_code_uses_exists() -> None:
    """Static keys written in the renderer's code are all in the catalogues."""
    src = "".join(
        resources.files("pactlang.render").joinpath(f).read_text("utf-8")
        for f in ("layout.py", "words.py", "i18n.py")
    )
    used = set(re.findall(r'(?:\.t|\.r|\.tr|\.tp|\.has)\(\s*"([a-z_.\-]+)"', src))
    assert len(used) > 60
    for lang in LANGUAGES:
        data = _raw(lang)
        missing = sorted(k for k in used if k not in data)
        assert missing == [], (lang, missing)


def test_unknown_key_and_language_are_errors() -> None:
    with pytest.raises(CatalogError):
        catalog("en").t("no.such.key")
    with pytest.raises(CatalogError):
        Catalog("de")


@pytest.mark.parametrize(
    ("lang", "money", "percent", "date", "number"),
    [
        (
            "fr",
            f"300{NNBSP}000,00{NBSP}€",
            f"12,5{NBSP}%",
            f"1er{NBSP}janvier{NBSP}2026",
            f"1{NNBSP}000{NNBSP}000,25",
        ),
        ("en", "€300,000.00", "12.5%", f"January{NBSP}1,{NBSP}2026", "1,000,000.25"),
    ],
)
def test_babel_formats(lang: str, money: str, percent: str, date: str, number: str) -> None:
    c = catalog(lang)
    assert c.money(Decimal("300000"), "EUR") == money
    assert c.percent(Decimal("0.125")) == percent
    assert c.date(datetime.date(2026, 1, 1)) == date
    assert c.number(Decimal("1000000.25")) == number


def test_every_decimal_is_kept() -> None:
    c = catalog("en")
    assert c.percent(Decimal("0.99875")) == "99.875%"
    assert c.number(Decimal("0.000001")) == "0.000001"
    assert c.month(Period(2026, 3)) == f"March{NBSP}2026"
    assert catalog("fr").month(Period(2026, 4)) == f"avril{NBSP}2026"


@pytest.mark.parametrize("bad", [0.1, 12.5, True])
def test_floats_are_refused(bad: object) -> None:
    c = catalog("fr")
    with pytest.raises(TypeError):
        c.number(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        c.money(bad, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        c.percent(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "unit", "n", "text"),
    [
        ("fr", "day", 1, "1 jour"),
        ("fr", "day", 2, "2 jours"),
        ("fr", "business_day", 10, "10 jours ouvrés"),
        ("fr", "business_day", 1, "1 jour ouvré"),
        ("fr", "year", 1, "1 an"),
        ("en", "day", 1, "1 day"),
        ("en", "day", 0, "0 days"),
        ("en", "business_day", 10, "10 business days"),
        ("en", "month", 1, "1 month"),
        ("en", "quarter", 3, "3 quarters"),
    ],
)
def test_plurals(lang: str, unit: str, n: int, text: str) -> None:
    assert catalog(lang).t(f"duration.{unit}", n) == text


def test_french_plural_of_zero_is_singular() -> None:
    # CLDR: in French 0 and 1 take the singular
    assert catalog("fr").t("duration.day", 0) == "0 jour"
    assert catalog("fr").t("attr.arbitrators.value", 3) == "3 arbitres"


def test_ratios_are_exact() -> None:
    en = catalog("en")
    assert en.ratio(Fraction(3, 5)) == "60%"
    assert en.ratio(Fraction(1, 8)) == "12.5%"
    assert en.ratio(Fraction(1, 3)) == "1/3 (≈ 33.33%)"
    assert catalog("fr").ratio(Fraction(2, 3)) == f"2/3 (≈{NBSP}66,67{NBSP}%)"
    assert en.fraction(Fraction(67, 2)) == "33.5"
    assert en.fraction(Fraction(1, 3)) == "1/3"
    assert exact_decimal(Fraction(1, 3)) is None
    assert exact_decimal(Fraction(1, 40)) == Decimal("0.025")


def test_french_joins_apply_where_a_phrase_meets_the_text_only() -> None:
    fr = catalog("fr")
    assert text_of(fr.fill("la somme de {x}", {"x": "le montant"})) == "la somme du montant"
    assert text_of(fr.fill("la somme de {x}", {"x": "les montants"})) == "la somme des montants"
    assert text_of(fr.fill("à compter de {x}", {"x": "avril 2026"})) == "à compter d'avril 2026"
    assert (
        text_of(fr.fill("à compter de {x}", {"x": "janvier 2026"})) == "à compter de janvier 2026"
    )
    assert text_of(fr.fill("versé à {x}", {"x": "le rang"})) == "versé au rang"
    # a label never changes, even when it reads "de le": the join is at the edge only
    label = fr.quote("Part de le fonds")
    assert (
        text_of(fr.fill("la part de {x}", {"x": label}))
        == f"la part de «{NBSP}Part de le fonds{NBSP}»"
    )
    # "mode le" is not the word "de"
    assert text_of(fr.fill("mode {x}", {"x": "le test"})) == "mode le test"
    # English has no joins
    assert text_of(catalog("en").fill("of {x}", {"x": "le"})) == "of le"


def test_rich_placeholders_keep_their_kind() -> None:
    out = catalog("en").r("expr.ratio", a=code("a"), b=code("b"))
    assert [(s.text, s.kind) for s in out] == [
        ("the ratio of ", "text"),
        ("a", "code"),
        (" to ", "text"),
        ("b", "code"),
    ]


def test_lists_follow_cldr() -> None:
    en, fr = catalog("en"), catalog("fr")
    items = [code("a"), code("b"), code("c")]
    assert text_of(en.join(items)) == "a, b, and c"
    assert text_of(fr.join(items)) == "a, b et c"
    assert text_of(fr.join(items[:2], "or")) == "a ou b"
    assert text_of(en.join(items[:1])) == "a"
    assert en.join([]) == ()


def test_thirty_digit_amounts_are_formatted_whole() -> None:
    # found by scripts/fuzz_cli.py: Babel quantizes in the default 28-digit context
    # (decimal.InvalidOperation on the annex of a contract with a 30-digit constant)
    c = catalog("en")
    assert c.number(Decimal("123456789012345678901234567890.5")) == "123,456,789,012,345,678,901,234,567,890.5"
    assert c.number(Decimal("1E+30")) == "1,000,000,000,000,000,000,000,000,000,000"
    assert c.money(Decimal("999999999999999999999999999999.99"), "EUR") == "€999,999,999,999,999,999,999,999,999,999.99"
    assert c.percent(Decimal("123456789012345678901234567.891")) == "12,345,678,901,234,567,890,123,456,789.1%"
