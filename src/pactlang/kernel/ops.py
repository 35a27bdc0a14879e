"""Runtime values and the elementary operations on them (LANGUAGE.md §4–5).

A value is a ``Decimal`` (numbers, counts, percents as fractions, money), a
``bool``, a ``datetime.date``, a :class:`~pactlang.base.values.Period`, a ``str``
(text and statuses), a :class:`Duration`, or ``None`` — *missing*.

Arithmetic runs under :data:`pactlang.base.values.CONTEXT` (28 digits, half-even):
the engine's entry points install it with ``decimal.localcontext``.

Every operation here is total: a missing operand or a division by zero gives
missing, never an exception.  These functions are shared by the interpreter
(column-wise), the explanation printer and the code generator's runtime.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from pactlang.base.values import ROUNDING, Period


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: str  # day | business_day | month | quarter | year

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit}{'' if self.amount == 1 else 's'}"


Value: TypeAlias = Decimal | bool | datetime.date | Period | str | Duration | None

ZERO = Decimal(0)


def add(a: Value, b: Value) -> Value:
    if a is None or b is None:
        return None
    if isinstance(a, datetime.date) and isinstance(b, Duration):
        return add_duration(a, b)
    if isinstance(a, Duration) and isinstance(b, datetime.date):
        return add_duration(b, a)
    return a + b  # type: ignore[operator, return-value]


def sub(a: Value, b: Value) -> Value:
    if a is None or b is None:
        return None
    if isinstance(a, datetime.date) and isinstance(b, datetime.date):
        return Duration((a - b).days, "day")
    if isinstance(a, datetime.date) and isinstance(b, Duration):
        return add_duration(a, Duration(-b.amount, b.unit))
    return a - b  # type: ignore[operator, return-value]


def mul(a: Value, b: Value) -> Value:
    if a is None or b is None:
        return None
    return a * b  # type: ignore[operator, return-value]


def div(a: Value, b: Value) -> Value:
    if a is None or b is None or not b:
        return None
    return a / b  # type: ignore[operator, return-value]


def neg(a: Value) -> Value:
    if a is None:
        return None
    return -a  # type: ignore[operator, return-value]


ARITH = {"+": add, "-": sub, "*": mul, "/": div}


def compare(op: str, a: Value, b: Value) -> bool | None:
    if a is None or b is None:
        return None
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator, return-value]
    if op == "<=":
        return a <= b  # type: ignore[operator, return-value]
    if op == ">":
        return a > b  # type: ignore[operator, return-value]
    return a >= b  # type: ignore[operator, return-value]


def and3(values: list[Value]) -> bool | None:
    """Three-valued ``and``: false wins, then missing, then true."""
    missing = False
    for v in values:
        if v is False:
            return False
        if v is None:
            missing = True
    return None if missing else True


def or3(values: list[Value]) -> bool | None:
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


def add_duration(d: datetime.date, dur: Duration) -> datetime.date:
    if dur.unit == "day":
        return d + datetime.timedelta(days=dur.amount)
    if dur.unit == "business_day":
        # without a calendar: weekends only (the engine passes calendars where it can)
        step = 1 if dur.amount >= 0 else -1
        left = abs(dur.amount)
        cur = d
        while left:
            cur += datetime.timedelta(days=step)
            if cur.weekday() < 5:
                left -= 1
        return cur
    months = dur.amount * {"month": 1, "quarter": 3, "year": 12}[dur.unit]
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    import calendar

    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(d.day, last))


def round_half_even(value: Value, digits: int) -> Value:
    if value is None:
        return None
    assert isinstance(value, Decimal)
    return value.quantize(Decimal(1).scaleb(-digits), context=ROUNDING)


def window_months(d: Duration) -> int:
    return d.amount * {"month": 1, "quarter": 3, "year": 12}.get(d.unit, 1)
