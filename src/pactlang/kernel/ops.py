"""The elementary operations on one value (LANGUAGE.md §4–5).

Values are those of :mod:`pactlang.base.values` (``None`` is *missing*).
Arithmetic runs under :data:`pactlang.base.values.CONTEXT` (28 digits,
half-even): the engines' entry points install it with ``decimal.localcontext``.

Every operation is total on well-typed operands: a missing operand or a
division by zero gives missing, never an exception.  What can still raise is
an exponent overflow of the decimal context or a date beyond year 9999; the
engines turn those into evaluation errors that name the expression.

These are the scalar forms; :mod:`pactlang.kernel.series` applies them to
columns of months, with fast paths for plain numbers.
"""

from __future__ import annotations

import calendar as _calendar
import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.values import ROUNDING, ZERO, Duration, Value

__all__ = [
    "ARITH",
    "ZERO",
    "add",
    "add_duration",
    "and3",
    "compare",
    "div",
    "mul",
    "neg",
    "not3",
    "or3",
    "order_key",
    "round_half_even",
    "sub",
]

_MONTHS = {"month": 1, "quarter": 3, "year": 12}
#: The kind of a duration: days, business days, and months (quarters and years are months).
_KIND = {"day": "day", "business_day": "business_day", "month": "month", "quarter": "month", "year": "month"}


def add(a: Value, b: Value, cal: BusinessCalendar | None = None) -> Value:
    if a is None or b is None:
        return None
    if isinstance(a, datetime.date) and isinstance(b, Duration):
        return add_duration(a, b, cal)
    if isinstance(a, Duration) and isinstance(b, datetime.date):
        return add_duration(b, a, cal)
    if isinstance(a, Duration) and isinstance(b, Duration):
        return _duration_sum(a, b, 1)
    return a + b  # type: ignore[operator, return-value]


def sub(a: Value, b: Value, cal: BusinessCalendar | None = None) -> Value:
    if a is None or b is None:
        return None
    if isinstance(a, datetime.date) and isinstance(b, datetime.date):
        return Duration((a - b).days, "day")
    if isinstance(a, datetime.date) and isinstance(b, Duration):
        return add_duration(a, Duration(-b.amount, b.unit), cal)
    if isinstance(a, Duration) and isinstance(b, Duration):
        return _duration_sum(a, b, -1)
    return a - b  # type: ignore[operator, return-value]


def mul(a: Value, b: Value, cal: BusinessCalendar | None = None) -> Value:
    if a is None or b is None:
        return None
    return a * b  # type: ignore[operator, return-value]


def div(a: Value, b: Value, cal: BusinessCalendar | None = None) -> Value:
    if a is None or b is None or not b:
        return None
    return a / b  # type: ignore[operator, return-value]


def neg(a: Value) -> Value:
    if a is None:
        return None
    if isinstance(a, Duration):
        return Duration(-a.amount, a.unit)
    return -a  # type: ignore[operator, return-value]


ARITH = {"+": add, "-": sub, "*": mul, "/": div}


def _duration_key(d: Duration) -> tuple[str, int]:
    """A duration as (kind, amount in its smallest unit): ``1 quarter`` is ``("month", 3)``."""
    return _KIND[d.unit], d.amount * _MONTHS.get(d.unit, 1)


def _duration_sum(a: Duration, b: Duration, sign: int) -> Duration:
    if a.unit == b.unit:
        return Duration(a.amount + sign * b.amount, a.unit)
    (ka, na), (kb, nb) = _duration_key(a), _duration_key(b)
    if ka != kb:  # the type checker refuses this; kept total for the engines
        raise ValueError(f"cannot combine {a} and {b}: days and months do not mix")
    return Duration(na + sign * nb, "month")


def order_key(v: Value) -> Any:
    """What ``min``/``max`` compare: a duration by its amount in its smallest unit
    (``1 quarter`` is 3 months; the type checker keeps days and months apart)."""
    return _duration_key(v)[1] if isinstance(v, Duration) else v


def compare(op: str, a: Value, b: Value) -> bool | None:
    if a is None or b is None:
        return None
    x: Any = a
    y: Any = b
    if isinstance(a, Duration) and isinstance(b, Duration):
        (ka, x), (kb, y) = _duration_key(a), _duration_key(b)
        if ka != kb:
            raise ValueError(f"cannot compare {a} and {b}: days and months do not mix")
    if op == "==":
        return bool(x == y)
    if op == "!=":
        return bool(x != y)
    if op == "<":
        return bool(x < y)
    if op == "<=":
        return bool(x <= y)
    if op == ">":
        return bool(x > y)
    return bool(x >= y)


def and3(values: Sequence[Value]) -> bool | None:
    """Three-valued ``and``: false wins, then missing, then true."""
    missing = False
    for v in values:
        if v is False:
            return False
        if v is None:
            missing = True
    return None if missing else True


def or3(values: list[Value]) -> bool | None:
    """Three-valued ``or``: true wins, then missing, then false."""
    missing = False
    for v in values:
        if v is True:
            return True
        if v is None:
            missing = True
    return None if missing else False


def not3(a: Value) -> bool | None:
    if a is None:
        return None
    return not a


def add_duration(d: datetime.date, dur: Duration, cal: BusinessCalendar | None = None) -> datetime.date:
    """``d + dur``: calendar days; business days skipping weekends and, with a
    calendar, its public holidays (LANGUAGE.md §5 "Calendars in expressions");
    months, quarters and years keep the day of the month, clamped to the
    month's last day (31 January + 1 month = 28 or 29 February)."""
    if dur.unit == "day":
        return d + datetime.timedelta(days=dur.amount)
    if dur.unit == "business_day":
        return (cal or _WEEKENDS).shift_business_days(d, dur.amount)
    months = dur.amount * _MONTHS[dur.unit]
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"{d} + {dur} is past the year 9999")
    last = _calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(d.day, last))


_WEEKENDS = BusinessCalendar()


def round_half_even(value: Value, digits: int) -> Value:
    if value is None:
        return None
    assert isinstance(value, Decimal)
    return value.quantize(Decimal(1).scaleb(-digits), context=ROUNDING)
