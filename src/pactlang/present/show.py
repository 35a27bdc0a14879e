"""Plain-text formatting of runtime values for explanations and tables.

Exact by default (an auditor must be able to recompute every number); the
``places`` argument rounds for display only, half-even.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from pactlang.base.types import Type
from pactlang.base.values import CONTEXT, ROUNDING, Period
from pactlang.kernel.ops import Duration, Value


def plain(d: Decimal) -> str:
    """A decimal without exponent; integral values without a fractional part;
    a zero without a sign (``round(-0.001, 2)`` is ``-0.00`` to Python, 0 to a reader)."""
    if d == d.to_integral_value():
        text = format(d.quantize(Decimal(1), context=ROUNDING), "f")
    else:
        text = format(d, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text[1:] if text == "-0" else text


def show(value: Value, typ: Type | None = None, currency: str | None = None, places: int | None = None) -> str:
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value == 0:
            value = abs(value)  # no negative zero: the JSON's text has none either
        if typ is Type.PERCENT:
            pct = CONTEXT.multiply(value, Decimal(100))
            if places is not None:
                pct = pct.quantize(Decimal(1).scaleb(-places), context=ROUNDING)
            return plain(pct) + "%"
        if typ is Type.MONEY:
            digits = _digits(currency)
            q = value.quantize(Decimal(1).scaleb(-digits), context=ROUNDING)
            text = _group(format(q, "f")) if q == value else _group(plain(value))
            return f"{text} {currency}" if currency else text
        if places is not None and value != value.to_integral_value():
            value = value.quantize(Decimal(1).scaleb(-places), context=ROUNDING)
        return plain(value)
    if isinstance(value, (datetime.date, Period, Duration)):
        return str(value)
    return str(value)


def _group(text: str) -> str:
    """Thousands separators (comma) on the integer part: ``1234567.50`` → ``1,234,567.50``."""
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    whole, _, frac = body.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + ("." + frac if frac else "")


def _digits(currency: str | None) -> int:
    if not currency:
        return 2
    from pactlang.base.money import minor_digits

    try:
        return minor_digits(currency)
    except ValueError:
        return 2


def json_value(value: Value) -> object:
    """JSON form: decimals as exact strings, booleans as booleans, missing as null."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return format(abs(value) if value == 0 else value, "f")
    return str(value)
