"""Translation catalogues and locale-aware formatting for annexes.

Every fixed word of an annex comes from a JSON catalogue in
``pactlang/render/locales/<lang>.json`` (a flat mapping of keys to texts; a
plural text is an object keyed by CLDR plural category, ``one``/``other``…).
Numbers, money, percentages and dates are formatted by Babel from exact
``Decimal`` values (never floats), so ``fr`` gives ``300 000,00 €``,
``12,5 %`` and ``1 janvier 2026`` and ``en`` gives ``€300,000.00``, ``12.5%``
and ``January 1, 2026``.

Texts with placeholders are filled either as plain strings (:meth:`Catalog.t`)
or as rich text (:meth:`Catalog.r`), where a placeholder may receive a rich
fragment (a quoted label, an identifier in code).  Language-specific joins
(French ``de le`` → ``du``, ``de avril`` → ``d'avril``; the ``_joins`` of
the catalogue: the end of the text before, a regular expression matched at the
start of the placeholder's text, and what replaces both) are applied where a placeholder meets the
surrounding text, never inside a user's label.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import json
import re
import string
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from babel import Locale
from babel.dates import format_date, format_skeleton, match_skeleton
from babel.numbers import format_decimal, format_percent, get_currency_name

from pactlang.base.money import minor_digits
from pactlang.base.values import CONTEXT, Period
from pactlang.render import typography as typo
from pactlang.render.doc import Rich, Seg, concat, plain

__all__ = ["LANGUAGES", "Catalog", "CatalogError", "catalog", "exact_decimal"]

#: Languages an annex can be rendered in.
LANGUAGES: tuple[str, ...] = ("en", "fr")

_FORMATTER = string.Formatter()


class CatalogError(LookupError):
    """A catalogue or a key that does not exist."""


def exact_decimal(x: Fraction | int | Decimal, max_places: int = 28) -> Decimal | None:
    """``x`` as an exact Decimal, or None when its decimal expansion does not end
    within ``max_places`` places (``1/3``)."""
    if isinstance(x, Decimal):
        return x
    f = Fraction(x)
    den = f.denominator
    for places in range(max_places + 1):
        if (10**places) % den == 0:
            scaled = f.numerator * (10**places // den)
            return Decimal(scaled).scaleb(-places, CONTEXT)
    return None


@lru_cache(maxsize=8)
def _load(lang: str) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise CatalogError(f"no annex catalogue for language {lang!r} (languages: en, fr)")
    text = resources.files("pactlang.render").joinpath("locales", f"{lang}.json").read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise CatalogError(f"catalogue {lang}.json is not an object")
    return data


class Catalog:
    """Texts and formats of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.data = _load(lang)
        self.locale = Locale.parse(lang)
        joins = self.data.get("_joins", [])
        self._joins: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
            (str(j["left"]), re.compile(str(j["right"])), str(j["into"])) for j in joins
        )

    # ---------------------------------------------------------------- texts

    def raw(self, key: str) -> Any:
        try:
            return self.data[key]
        except KeyError:
            raise CatalogError(f"catalogue {self.lang}.json has no key {key!r}") from None

    def has(self, key: str) -> bool:
        return key in self.data

    def _pick(self, key: str, n: int | None) -> str:
        entry = self.raw(key)
        if isinstance(entry, str):
            return entry
        if isinstance(entry, dict):
            if n is None:
                raise CatalogError(f"catalogue key {key!r} is a plural and needs a count")
            form = self.locale.plural_form(abs(n))
            text = entry.get(form, entry.get("other"))
            if not isinstance(text, str):
                raise CatalogError(f"catalogue key {key!r} has no {form!r} or 'other' form")
            return text
        raise CatalogError(f"catalogue key {key!r} is not a text")

    def t(self, key: str, n: int | None = None, /, **kw: object) -> str:
        """The text of ``key`` with its placeholders filled (``{n}`` is the count)."""
        template = self._pick(key, n)
        values = dict(kw)
        if n is not None and "n" not in values:
            values["n"] = self.number(n)
        return template.format(**values)

    def r(self, key: str, n: int | None = None, /, **kw: Rich | str) -> Rich:
        """Like :meth:`t`, as rich text: placeholders may be rich fragments."""
        template = self._pick(key, n)
        values: dict[str, Rich | str] = dict(kw)
        if n is not None and "n" not in values:
            values["n"] = self.number(n)
        return self.fill(template, values)

    def fill(self, template: str, values: Mapping[str, Rich | str]) -> Rich:
        out: list[Seg] = []
        for literal, field, _spec, _conv in _FORMATTER.parse(template):
            if literal:
                out.extend(plain(literal))
            if field is None:
                continue
            if field not in values:
                raise CatalogError(f"text {template!r} needs a value for {{{field}}}")
            value = values[field]
            frag = plain(value) if isinstance(value, str) else value
            self._join(out, frag)
        return concat(tuple(out))

    def _join(self, out: list[Seg], frag: Rich) -> None:
        """Append ``frag``, applying the language's joins where it meets the text before."""
        if frag and out and out[-1].kind == "text" and frag[0].kind == "text":
            left, right = out[-1].text, frag[0].text
            for end, start, joined in self._joins:
                m = start.match(right)
                if m and left.endswith(end) and _word_start(left, end):
                    out[-1] = Seg(left[: len(left) - len(end)] + joined)
                    frag = (Seg(right[m.end() :]),) + frag[1:]
                    break
        out.extend(frag)

    def quote(self, text: Rich | str) -> Rich:
        """A label between the language's quotation marks."""
        return self.r("quote", text=text)

    def join(self, items: Sequence[Rich], kind: str = "standard") -> Rich:
        """``A, B and C`` / ``A, B et C`` (CLDR list patterns); ``kind`` is ``standard``,
        ``or``, or a pattern set of the catalogue (``list.<kind>``, e.g. ``compound``:
        items that are phrases themselves, separated by semicolons)."""
        parts = [i for i in items]
        if not parts:
            return ()
        if len(parts) == 1:
            return parts[0]
        key = f"list.{kind}"
        patterns = self.data[key] if key in self.data else self.locale.list_patterns[kind]
        if len(parts) == 2:
            return self.fill(cast(str, patterns["2"]), {"0": parts[0], "1": parts[1]})
        acc = self.fill(cast(str, patterns["end"]), {"0": parts[-2], "1": parts[-1]})
        for i in range(len(parts) - 3, -1, -1):
            key = "start" if i == 0 else "middle"
            acc = self.fill(cast(str, patterns[key]), {"0": parts[i], "1": acc})
        return acc

    def capitalize(self, rich: Rich) -> Rich:
        if rich and rich[0].kind == "text" and rich[0].text:
            first = rich[0].text
            return (Seg(first[0].upper() + first[1:]),) + rich[1:]
        return rich

    # -------------------------------------------------------------- formats

    def number(self, value: Decimal | int) -> str:
        exact = _exact(value)
        with _room_for(exact):
            text = format_decimal(exact, locale=self.locale, decimal_quantization=False)
        return typo.minus_sign(text)

    def money(self, value: Decimal | int, currency: str) -> str:
        """The locale's currency pattern with the currency's ISO 4217 minor unit
        (``minor_digits``; Babel alone would use CLDR's, 0 for HUF)."""
        exact = _exact(value)
        digits = minor_digits(currency)
        pattern = copy.copy(self.locale.currency_formats["standard"])
        pattern.frac_prec = (digits, digits)
        with _room_for(exact):
            return typo.minus_sign(
                pattern.apply(exact, self.locale, currency=currency, currency_digits=False)
            )

    def percent(self, value: Decimal | int) -> str:
        """``Decimal("0.125")`` → ``12.5%`` / ``12,5 %`` (every decimal kept)."""
        exact = _exact(value)
        with _room_for(exact * 100):
            text = format_percent(exact, locale=self.locale, decimal_quantization=False)
        return typo.minus_sign(text)

    def _date(self, d: datetime.date, pattern: str) -> str:
        if d.day == 1 and self.lang == "fr":
            pattern = typo.first_day(pattern)
        return typo.no_break_date(format_date(d, pattern, locale=self.locale))

    def date(self, d: datetime.date) -> str:
        """``1er janvier 2026`` / ``January 1, 2026``, on one line."""
        return self._date(d, self.locale.date_formats["long"].pattern)

    def day(self, d: datetime.date) -> str:
        """A day without its year: ``jeu. 1er janv.`` / ``Thu, Jan 1``."""
        skeleton = match_skeleton("MMMEd", self.locale.datetime_skeletons)
        assert skeleton is not None
        return self._date(d, self.locale.datetime_skeletons[skeleton].pattern)

    def month(self, p: Period) -> str:
        text = format_skeleton("yMMMM", datetime.date(p.year, p.month, 1), locale=self.locale)
        return typo.no_break_date(text)

    def ratio(self, x: Fraction) -> str:
        """A share: an exact percentage when it has one, else the fraction and an
        approximate percentage (``1/3 (≈ 33.33%)``)."""
        pct = exact_decimal(x * 100, max_places=4)
        if pct is not None:
            return self.percent(pct.scaleb(-2, CONTEXT))
        approx = CONTEXT.divide(Decimal(x.numerator), Decimal(x.denominator)).quantize(
            Decimal("0.0001"), context=CONTEXT
        )
        return self.t(
            "ratio.approx", fraction=f"{x.numerator}/{x.denominator}", percent=self.percent(approx)
        )

    def fraction(self, x: Fraction) -> str:
        """An exact weight or share: a decimal when finite, else ``2/3``."""
        d = exact_decimal(x)
        if d is not None:
            return self.number(d)
        return f"{x.numerator}/{x.denominator}"

    def currency_name(self, code: str) -> str:
        return get_currency_name(code, locale=self.locale)

    def language_name(self, code: str) -> str:
        name = self.locale.languages.get(code)
        return str(name) if name else code

    def country_name(self, code: str) -> str:
        name = self.locale.territories.get(code)
        return str(name) if name else code


def _exact(value: Decimal | int) -> Decimal:
    """Only exact values are formatted: a binary float is a bug, never an input."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"annexes format exact numbers (Decimal or int), not {type(value).__name__}"
        )
    return Decimal(value)


def _room_for(value: Decimal) -> AbstractContextManager[decimal.Context]:
    """A decimal context with enough digits for Babel to quantize ``value``
    exactly (the default 28 digits fail on 30-digit amounts, which the
    language allows)."""
    t = value.as_tuple()
    exponent = t.exponent if isinstance(t.exponent, int) else 0
    need = len(t.digits) + max(exponent, 0) + 8
    return decimal.localcontext(prec=max(decimal.getcontext().prec, need))


def _word_start(left: str, end: str) -> bool:
    """Whether ``end`` starts a word in ``left`` (``de`` in ``… de``, not in ``mode``)."""
    cut = len(left) - len(end)
    return cut == 0 or not left[cut - 1].isalnum()


@lru_cache(maxsize=4)
def catalog(lang: str) -> Catalog:
    return Catalog(lang)
