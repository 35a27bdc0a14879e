"""Dimensions (LANGUAGE.md §4): which types mix, and what an operator gives.

The rules the type checker (:mod:`pactlang.sema.typecheck`) applies, as plain
functions of :class:`~pactlang.base.types.Type`.
"""

from __future__ import annotations

from pactlang.base.types import Type

NUMBER, COUNT, PERCENT, MONEY = Type.NUMBER, Type.COUNT, Type.PERCENT, Type.MONEY
BOOL, DATE, PERIOD, DURATION = Type.BOOL, Type.DATE, Type.PERIOD, Type.DURATION
TEXT, STATUS, ERROR = Type.TEXT, Type.STATUS, Type.ERROR

STATUS_WORDS = ("ok", "watch", "breach", "bonus", "no-data")
ORDERED = frozenset({NUMBER, COUNT, PERCENT, MONEY, DATE, PERIOD, DURATION})
WINDOW_UNITS = ("month", "quarter", "year")


def dim(t: Type) -> str:
    """The dimension of a type: number-likes share one."""
    return "number" if t.is_numeric else t.value


def same_dim(a: Type, b: Type) -> bool:
    return a is ERROR or b is ERROR or dim(a) == dim(b)


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches, or None when their dimensions differ."""
    if a is ERROR:
        return b
    if b is ERROR or a is b:
        return a
    if a.is_numeric and b.is_numeric:
        return NUMBER
    return None


def accepts(declared: Type, actual: Type) -> bool:
    """Whether a value declared ``declared`` may hold an expression of type ``actual``."""
    if declared is ERROR or actual is ERROR:
        return True
    if declared in (NUMBER, PERCENT):
        return actual.is_numeric
    return declared is actual


def binop(op: str, a: Type, b: Type) -> Type | None:
    """The type of ``a op b``, or None when the operation has no meaning."""
    if a is ERROR or b is ERROR:
        return ERROR
    na, nb = a.is_numeric, b.is_numeric
    if op in ("+", "-"):
        if na and nb:
            if a is b and not (op == "-" and a is COUNT):
                return a
            return NUMBER
        if a is b and a is MONEY:
            return a
        # durations of one kind add and subtract (the type checker checks the
        # kinds: days and months do not mix, see `duration_kind`)
        if a is DURATION and b is DURATION:
            return DURATION
        if a is DATE and b is DURATION:
            return DATE
        if op == "+" and a is DURATION and b is DATE:
            return DATE
        if op == "-" and a is DATE and b is DATE:
            return DURATION
        return None
    if op == "*":
        if na and nb:
            return COUNT if a is COUNT and b is COUNT else NUMBER
        if (a is MONEY and nb) or (na and b is MONEY):
            return MONEY
        return None
    # "/"
    if na and nb:
        return NUMBER
    if a is MONEY and nb:
        return MONEY
    if a is MONEY and b is MONEY:
        return NUMBER
    return None


#: the kind of a duration unit: durations of one kind compare and add; quarters
#: and years are months; a business day is not a fixed number of days
DURATION_KINDS = {
    "day": "day",
    "business_day": "business_day",
    "month": "month",
    "quarter": "month",
    "year": "month",
}
KIND_WORDS = {"day": "days", "business_day": "business days", "month": "months"}


def mixed_durations(a: str | None, b: str | None) -> str | None:
    """Why durations of kinds ``a`` and ``b`` do not mix (None when they do, or a
    kind is unknown)."""
    if a is None or b is None or a == b:
        return None
    if "month" in (a, b):
        return "days and months do not mix: a month has 28 to 31 days"
    return "days and business days do not mix: a business day is not a fixed number of days"
