"""Exact sets of numbers: finite unions of intervals with ``Decimal`` endpoints.

The threshold analysis of ``pact analyze`` turns a rule condition such as
``conversion < 5% or conversion >= 25%`` into the set of values of
``conversion`` for which it holds, and then compares the sets of the rules of a
threshold (shadowing, overlaps, gaps).  Endpoints are exact decimals and each
bound is open or closed; ``None`` stands for -∞ (a low end) or +∞ (a high end),
which are always open.

An :class:`IntervalSet` is kept in a canonical form: its intervals are
non-empty, sorted, pairwise disjoint and not touching (``[1, 2) ∪ [2, 3]`` is
stored as ``[1, 3]``; ``(1, 2) ∪ (2, 3)`` stays two intervals, since 2 is not
in it).  Two sets are therefore equal exactly when they hold the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal

from pactlang.base.values import CONTEXT

__all__ = ["Interval", "IntervalSet", "Domain", "CompareOp"]

CompareOp = Literal["<", "<=", ">", ">=", "==", "!="]

# Sort keys of bounds.  A low end -∞ sorts first; at the same value a closed low
# end ("[a") starts before an open one ("(a").  A high end +∞ sorts last; at the
# same value an open high end ("a)") stops before a closed one ("a]").
_LoKey = tuple[int, Decimal, int]
_HiKey = tuple[int, Decimal, int]
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Interval:
    """One non-empty interval.  ``low``/``high`` ``None`` = unbounded on that side."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    def __post_init__(self) -> None:
        if self.low is None and self.low_closed:
            raise ValueError("-∞ cannot be a closed bound")
        if self.high is None and self.high_closed:
            raise ValueError("+∞ cannot be a closed bound")
        if not _nonempty(self.low, self.low_closed, self.high, self.high_closed):
            raise ValueError("empty interval")

    def contains(self, x: Decimal) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        return not (
            self.high is not None and (x > self.high or (x == self.high and not self.high_closed))
        )

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high

    def to_json(self) -> dict[str, object]:
        return {
            "low": None if self.low is None else _dec(self.low),
            "low_closed": self.low_closed,
            "high": None if self.high is None else _dec(self.high),
            "high_closed": self.high_closed,
        }

    def notation(self) -> str:
        """Mathematical notation with plain decimals: ``[0.05, 0.1)``, ``(-inf, 3]``."""
        lo = "(-inf" if self.low is None else ("[" if self.low_closed else "(") + _dec(self.low)
        hi = "+inf)" if self.high is None else _dec(self.high) + ("]" if self.high_closed else ")")
        return f"{lo}, {hi}"


def _dec(d: Decimal) -> str:
    """An exact decimal string without exponent or trailing zeros (``0.05``, ``300000``)."""
    if d == 0:
        return "0"
    return format(d.normalize(CONTEXT), "f")


def _whole_hull(iv: Interval) -> Interval | None:
    """The whole numbers of a bounded-below interval as ``[first, last]`` (``last``
    ``None`` when unbounded above), or None when it holds none."""
    assert iv.low is not None
    first = iv.low.to_integral_value(rounding=ROUND_CEILING)
    if first == iv.low and not iv.low_closed:
        first += 1
    if iv.high is None:
        return Interval(first, True, None, False)
    last = iv.high.to_integral_value(rounding=ROUND_FLOOR)
    if last == iv.high and not iv.high_closed:
        last -= 1
    return Interval(first, True, last, True) if first <= last else None


def _nonempty(lo: Decimal | None, lo_c: bool, hi: Decimal | None, hi_c: bool) -> bool:
    if lo is None or hi is None:
        return True
    return lo < hi or (lo == hi and lo_c and hi_c)


def _lo_key(iv: Interval) -> _LoKey:
    if iv.low is None:
        return (0, _ZERO, 0)
    return (1, iv.low, 0 if iv.low_closed else 1)


def _hi_key(iv: Interval) -> _HiKey:
    if iv.high is None:
        return (2, _ZERO, 0)
    return (1, iv.high, 1 if iv.high_closed else 0)


def _joins(a: Interval, b: Interval) -> bool:
    """Whether ``b`` (starting no earlier than ``a``) overlaps or touches ``a``."""
    if a.high is None or b.low is None:
        return True
    if b.low < a.high:
        return True
    return b.low == a.high and (a.high_closed or b.low_closed)


@dataclass(frozen=True, slots=True)
class IntervalSet:
    """A finite union of intervals in canonical form (see the module docstring)."""

    intervals: tuple[Interval, ...] = ()

    # -- construction

    @classmethod
    def of(cls, intervals: list[Interval] | tuple[Interval, ...]) -> IntervalSet:
        """The union of any intervals (overlapping, touching, unsorted)."""
        items = sorted(intervals, key=_lo_key)
        out: list[Interval] = []
        for iv in items:
            if out and _joins(out[-1], iv):
                last = out[-1]
                hi = last if _hi_key(last) >= _hi_key(iv) else iv
                out[-1] = Interval(last.low, last.low_closed, hi.high, hi.high_closed)
            else:
                out.append(iv)
        return cls(tuple(out))

    @classmethod
    def empty(cls) -> IntervalSet:
        return cls(())

    @classmethod
    def full(cls) -> IntervalSet:
        return cls((Interval(None, False, None, False),))

    @classmethod
    def point(cls, x: Decimal) -> IntervalSet:
        return cls((Interval(x, True, x, True),))

    @classmethod
    def compare(cls, op: CompareOp, x: Decimal) -> IntervalSet:
        """The values ``v`` with ``v OP x``."""
        if op == "<":
            return cls((Interval(None, False, x, False),))
        if op == "<=":
            return cls((Interval(None, False, x, True),))
        if op == ">":
            return cls((Interval(x, False, None, False),))
        if op == ">=":
            return cls((Interval(x, True, None, False),))
        if op == "==":
            return cls.point(x)
        return cls.point(x).complement()

    # -- queries

    @property
    def is_empty(self) -> bool:
        return not self.intervals

    @property
    def is_full(self) -> bool:
        return len(self.intervals) == 1 and self.intervals[0] == Interval(None, False, None, False)

    def contains(self, x: Decimal) -> bool:
        return any(iv.contains(x) for iv in self.intervals)

    def issubset(self, other: IntervalSet) -> bool:
        return self.difference(other).is_empty

    def endpoints(self) -> list[Decimal]:
        """Every finite endpoint, sorted (for tests and sampling)."""
        pts = {e for iv in self.intervals for e in (iv.low, iv.high) if e is not None}
        return sorted(pts)

    # -- algebra

    def union(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet.of(self.intervals + other.intervals)

    def intersection(self, other: IntervalSet) -> IntervalSet:
        out: list[Interval] = []
        i = j = 0
        a, b = self.intervals, other.intervals
        while i < len(a) and j < len(b):
            x, y = a[i], b[j]
            lo = x if _lo_key(x) >= _lo_key(y) else y
            hi = x if _hi_key(x) <= _hi_key(y) else y
            if _nonempty(lo.low, lo.low_closed, hi.high, hi.high_closed):
                out.append(Interval(lo.low, lo.low_closed, hi.high, hi.high_closed))
            if _hi_key(x) <= _hi_key(y):
                i += 1
            else:
                j += 1
        return IntervalSet(tuple(out))

    def complement(self) -> IntervalSet:
        out: list[Interval] = []
        low: Decimal | None = None  # start of the current gap (None: -∞)
        low_closed = False
        for iv in self.intervals:
            if iv.low is not None:  # canonical form: the gap before ``iv`` is not empty
                out.append(Interval(low, low_closed, iv.low, not iv.low_closed))
            if iv.high is None:
                return IntervalSet(tuple(out))
            low, low_closed = iv.high, not iv.high_closed
        out.append(Interval(low, low_closed, None, False))
        return IntervalSet(tuple(out))

    def difference(self, other: IntervalSet) -> IntervalSet:
        return self.intersection(other.complement())

    def to_json(self) -> list[dict[str, object]]:
        return [iv.to_json() for iv in self.intervals]

    def notation(self) -> str:
        if not self.intervals:
            return "{}"
        return " ∪ ".join(iv.notation() for iv in self.intervals)


@dataclass(frozen=True, slots=True)
class Domain:
    """The values an expression can take: all numbers, or the whole numbers ≥ 0
    (``integers``; a measure of type ``count``)."""

    integers: bool = False

    @property
    def values(self) -> IntervalSet:
        if self.integers:
            return IntervalSet.compare(">=", Decimal(0))
        return IntervalSet.full()

    def restrict(self, s: IntervalSet) -> IntervalSet:
        """``s`` within the domain.  For whole numbers the result is canonical too:
        closed whole-number bounds, intervals holding no whole number dropped, and
        consecutive runs joined (``[0, 2] ∪ [3, 10]`` is ``[0, 10]``)."""
        inside = s.intersection(self.values)
        if not self.integers:
            return inside
        out: list[Interval] = []
        for iv in inside.intervals:
            hull = _whole_hull(iv)
            if hull is None:
                continue
            if (
                out
                and out[-1].high is not None
                and hull.low is not None
                and hull.low <= out[-1].high + 1
            ):
                out[-1] = Interval(out[-1].low, True, hull.high, hull.high_closed)
            else:
                out.append(hull)
        return IntervalSet(tuple(out))

    def is_empty(self, s: IntervalSet) -> bool:
        return self.restrict(s).is_empty

    def covers(self, s: IntervalSet) -> bool:
        """Whether ``s`` holds every value of the domain."""
        return self.restrict(s.complement()).is_empty

    def describe(self) -> str:
        return "whole numbers from 0" if self.integers else "all numbers"
