"""Money in minor units: conversions and exact proportional allocation.

Every payout the engine makes is a whole number of the currency's minor unit
(cents for EUR, yen for JPY).  This module converts between exact decimals and
integer minor units and never rounds silently: an amount finer than the minor
unit is an error (:class:`MoneyError`), not a rounding.

:func:`largest_remainder` shares an integer number of minor units in
proportion to exact weights (Hamilton's method): each share gets the floor of
its exact quota, and the units left over go one each to the largest fractional
parts, ties to the earliest position.  All arithmetic is on integers and
:class:`fractions.Fraction`; binary floats are refused.

Note (documented, and tested): like every largest-remainder method it is not
*house monotone* (the "Alabama paradox"): a larger total can give one share
one unit less, e.g. weights 6/6/2 share 10 as 4/4/2 but 11 as 5/5/1.  Each
share always stays within one unit of its exact quota.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

__all__ = [
    "MAX_AMOUNT_DECIMALS",
    "MAX_AMOUNT_EXPONENT",
    "AmountError",
    "bounded_amount",
    "is_plain_amount",
    "MoneyError",
    "floor_minor",
    "format_units",
    "from_minor",
    "largest_remainder",
    "minor_digits",
    "to_minor",
]

_CODE_RE = re.compile(r"^[A-Z]{3}$")


class MoneyError(ValueError):
    """An amount that cannot be represented exactly in the currency's minor unit."""


_KNOWN_DIGITS: dict[str, int] = {}


def minor_digits(currency: str) -> int:
    """Digits of the currency's minor unit as ISO 4217 states them (EUR 2, JPY 0,
    KWD 3, HUF 2, IQD 3), from the ``iso4217`` package (the standard's own
    table); codes it does not list, or lists without a minor unit (gold, SDR…),
    take CLDR's digits via Babel.  CLDR differs from ISO 4217 for some codes
    (HUF, IDR, COP, IQD… have 0 digits there, for display): LANGUAGE.md §3
    says the minor unit is ISO 4217's."""
    known = _KNOWN_DIGITS.get(currency) if isinstance(currency, str) else None
    if known is not None:
        return known  # called for every amount of every payout: the fast path
    if not isinstance(currency, str) or not _CODE_RE.match(currency):
        raise MoneyError(f"unknown currency {currency!r} (expected an ISO 4217 code such as EUR)")
    digits = _cldr_digits(currency)
    if digits is None:
        raise MoneyError(f"unknown currency {currency!r} (expected an ISO 4217 code such as EUR)")
    _KNOWN_DIGITS[currency] = digits
    return digits


@lru_cache(maxsize=64)
def _cldr_digits(currency: str) -> int | None:
    from babel.numbers import get_currency_precision, is_currency  # loaded on first use

    if not is_currency(currency):
        return None
    iso = _iso_digits(currency)
    return iso if iso is not None else int(get_currency_precision(currency))


def _iso_digits(currency: str) -> int | None:
    """The ISO 4217 minor unit of ``currency`` (None: not listed, or no minor unit)."""
    from iso4217 import Currency  # loaded on first use

    member = Currency.__members__.get(currency)
    exponent = member.exponent if member is not None else None
    return int(exponent) if exponent is not None else None


#: Bounds of an amount typed by a user (``pact distribute --amount``), the same as
#: a number in a data file: below 10^31 in absolute value, at most 30 decimals.
MAX_AMOUNT_EXPONENT = 30
MAX_AMOUNT_DECIMALS = 30
#: Longest amount text accepted (before any conversion).
MAX_AMOUNT_TEXT = 100
#: Magnitudes beyond 10^±_EXACT_LIMIT are refused before any exact conversion
#: (a Fraction of 1e999999999 would need a billion digits).
_EXACT_LIMIT = 1000

_AMOUNT_RE = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


class AmountError(ValueError):
    """An amount typed by a user that is not a sensible number."""


def is_plain_amount(body: str) -> bool:
    """Whether ``body`` is a plain number: digits, a dot, an exponent."""
    return _AMOUNT_RE.match(body) is not None


def bounded_amount(body: str, text: str | None = None) -> Decimal:
    """The plain number ``body`` (see :func:`is_plain_amount`), its magnitude checked
    on the text's own exponent before anything is computed: below 10^31 in
    absolute value and at most 30 decimal places, like the numbers of data files.
    Raises :class:`AmountError`, quoting ``text`` (default ``body``)."""
    shown = body if text is None else text
    if not _AMOUNT_RE.match(body):
        raise AmountError(f"`{shown}` is not an amount")
    too_large = f"`{shown}` is too large (amounts must be below 10^{MAX_AMOUNT_EXPONENT + 1})"
    too_fine = f"`{shown}` has too many decimal places (at most {MAX_AMOUNT_DECIMALS})"
    try:
        value = Decimal(body)
    except ArithmeticError:  # an exponent beyond what Decimal can hold at all
        raise AmountError(too_fine if "-" in body.lower().partition("e")[2] else too_large) from None
    if value and value.adjusted() > MAX_AMOUNT_EXPONENT:
        raise AmountError(too_large)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_AMOUNT_DECIMALS:
        raise AmountError(too_fine)
    return value


def _exact(amount: Decimal | int) -> Fraction:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"expected a Decimal or int amount, got {type(amount).__name__}")
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise MoneyError(f"amount {amount} is not a finite number")
        if amount and not -_EXACT_LIMIT <= amount.adjusted() <= _EXACT_LIMIT:
            raise MoneyError(f"amount {amount:.3e} is out of range")
    return Fraction(amount)


def to_minor(amount: Decimal | int, currency: str) -> int:
    """The amount as an integer number of minor units; never rounds.

    ``to_minor(Decimal("10.03"), "EUR") == 1003``; ``Decimal("10.005")`` in EUR
    raises :class:`MoneyError`.  Trailing zeros are fine (``10.030`` is 1003).
    """
    digits = minor_digits(currency)
    scaled = _exact(amount) * 10**digits
    if scaled.denominator != 1:
        raise MoneyError(
            f"{amount} {currency} has more decimals than the currency's minor unit allows "
            f"({digits})"
        )
    return scaled.numerator


def floor_minor(amount: Decimal | int, currency: str) -> int:
    """The largest whole number of minor units not above the amount (for caps)."""
    scaled = _exact(amount) * 10 ** minor_digits(currency)
    return scaled.numerator // scaled.denominator


def from_minor(units: int, currency: str) -> Decimal:
    """Minor units back to a Decimal with the currency's exponent (1003 EUR -> ``10.03``)."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise TypeError(f"expected an int number of minor units, got {type(units).__name__}")
    digits = minor_digits(currency)
    t = Decimal(units).as_tuple()
    # Rebuild with the currency exponent: exact for any size (no context rounding).
    return Decimal((t.sign, t.digits, -digits))


def format_units(units: int, currency: str) -> str:
    """Readable, exact text for minor units: ``100000000`` EUR -> ``1,000,000.00``."""
    digits = minor_digits(currency)
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**digits)
    text = f"{whole:,}"
    if digits:
        text += "." + str(frac).rjust(digits, "0")
    return sign + text


def largest_remainder(total: int, weights: Sequence[int | Fraction]) -> list[int]:
    """Share ``total`` minor units in proportion to ``weights`` (largest remainder).

    Each share is ``floor(total * w / sum(w))``; the units left over go one by
    one to the largest fractional parts, ties to the earliest position (callers
    order the weights by declaration).  Exact: integers and fractions only.

    ``total`` must be ``>= 0`` and the weights ``>= 0``; when every weight is zero
    only a zero total can be shared.
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("total must be an int number of minor units")
    if total < 0:
        raise ValueError(f"cannot share a negative total ({total})")
    exact: list[Fraction] = []
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, int | Fraction):
            raise TypeError(f"weights must be int or Fraction, got {type(w).__name__}")
        f = Fraction(w)
        if f < 0:
            raise ValueError(f"weights must not be negative ({w})")
        exact.append(f)
    # the same shares in whole numbers: every weight over a common denominator
    denominator = math.lcm(*(f.denominator for f in exact)) if exact else 1
    ints = [f.numerator * (denominator // f.denominator) for f in exact]
    weight_sum = sum(ints)
    if weight_sum == 0:
        if total == 0:
            return [0] * len(exact)
        raise ValueError(f"cannot share {total} over weights that are all zero")
    # quota_i = total * w_i / sum: its floor, and its fractional part as the
    # remainder over the same denominator (so remainders compare like fractions)
    shares = []
    remainders = []
    for w in ints:
        q, r = divmod(total * w, weight_sum)
        shares.append(q)
        remainders.append(r)
    left = total - sum(shares)
    # Sorting is stable: equal fractional parts keep their positional order.
    order = sorted(range(len(ints)), key=lambda i: -remainders[i])
    for i in order[:left]:
        shares[i] += 1
    return shares
