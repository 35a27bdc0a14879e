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
ORDERED = frozenset({NUMBER, COUNT, PERCENT, MONEY, DATE, PERIOD})
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
        # durations only move dates: the engine has no duration arithmetic
        # (a month and 30 days do not compare), so nothing else is accepted
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
