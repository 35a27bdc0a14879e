"""Exact interval sets (pactlang.analysis.intervals).

The properties compare every set operation with the definition, point by point:
a set built from comparisons is checked against the comparisons themselves at
every endpoint, between endpoints and beyond them, so an off-by-one bound (open
instead of closed) fails.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlang.analysis.intervals import Domain, Interval, IntervalSet

PROPERTY = settings(
    max_examples=2000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 300,
    deadline=None,
)

OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

# A predicate is a small tree: ("cmp", op, c) | ("and", a, b) | ("or", a, b) | ("not", a)
Pred = tuple[object, ...]

constants = st.integers(-6, 6).map(lambda n: Decimal(n) / 2)


def preds() -> st.SearchStrategy[Pred]:
    leaf = st.tuples(st.just("cmp"), st.sampled_from(sorted(OPS)), constants)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.tuples(st.just("and"), inner, inner),
            st.tuples(st.just("or"), inner, inner),
            st.tuples(st.just("not"), inner),
        ),
        max_leaves=6,
    )


def holds(p: Pred, x: Decimal) -> bool:
    tag = p[0]
    if tag == "cmp":
        op, c = p[1], p[2]
        assert isinstance(op, str) and isinstance(c, Decimal)
        return OPS[op](x, c)
    if tag == "not":
        return not holds(p[1], x)  # type: ignore[arg-type]
    a, b = holds(p[1], x), holds(p[2], x)  # type: ignore[arg-type]
    return (a and b) if tag == "and" else (a or b)


def to_set(p: Pred) -> IntervalSet:
    tag = p[0]
    if tag == "cmp":
        return IntervalSet.compare(p[1], p[2])  # type: ignore[arg-type]
    if tag == "not":
        return to_set(p[1]).complement()  # type: ignore[arg-type]
    a, b = to_set(p[1]), to_set(p[2])  # type: ignore[arg-type]
    return a.intersection(b) if tag == "and" else a.union(b)


def samples(*sets: IntervalSet) -> list[Decimal]:
    """Every endpoint, the midpoints between them and points beyond both ends."""
    pts = sorted({e for s in sets for e in s.endpoints()} | {Decimal(0)})
    out = list(pts)
    out += [(a + b) / 2 for a, b in pairwise(pts)]
    out += [pts[0] - 1, pts[-1] + 1]
    return out


def assert_canonical(s: IntervalSet) -> None:
    for a, b in pairwise(s.intervals):
        assert a.high is not None and b.low is not None
        assert a.high < b.low or (a.high == b.low and not a.high_closed and not b.low_closed)


@PROPERTY
@given(preds())
def test_a_set_holds_exactly_the_values_of_its_predicate(p: Pred) -> None:
    s = to_set(p)
    assert_canonical(s)
    for x in samples(s) + [Decimal(n) / 4 for n in range(-16, 17)]:
        assert s.contains(x) == holds(p, x), (p, x, s.notation())


@PROPERTY
@given(preds(), preds())
def test_set_algebra_matches_the_definitions(p: Pred, q: Pred) -> None:
    a, b = to_set(p), to_set(q)
    union, inter, diff = a.union(b), a.intersection(b), a.difference(b)
    for s in (union, inter, diff, a.complement()):
        assert_canonical(s)
    for x in samples(a, b):
        assert union.contains(x) == (a.contains(x) or b.contains(x))
        assert inter.contains(x) == (a.contains(x) and b.contains(x))
        assert diff.contains(x) == (a.contains(x) and not b.contains(x))
        assert a.complement().contains(x) != a.contains(x)
    # canonical form: equal sets are equal objects
    assert a.union(b) == b.union(a)
    assert a.complement().complement() == a
    assert a.issubset(union) and inter.issubset(a)
    assert diff.is_empty == a.issubset(b)


def test_touching_intervals_merge_and_a_missing_point_splits() -> None:
    d = Decimal
    s = IntervalSet.compare("<", d(2)).union(IntervalSet.compare(">=", d(2)))
    assert s.is_full
    hole = IntervalSet.compare("<", d(2)).union(IntervalSet.compare(">", d(2)))
    assert len(hole.intervals) == 2 and not hole.contains(d(2))
    assert hole == IntervalSet.compare("!=", d(2))
    assert hole.complement() == IntervalSet.point(d(2))
    assert IntervalSet.compare("<", d(1)).intersection(IntervalSet.compare(">", d(1))).is_empty


def test_notation_and_json_keep_exact_bounds() -> None:
    s = IntervalSet.compare(">=", Decimal("0.05")).intersection(
        IntervalSet.compare("<", Decimal("0.10"))
    )
    assert s.notation() == "[0.05, 0.1)"
    assert s.to_json() == [{"low": "0.05", "low_closed": True, "high": "0.1", "high_closed": False}]
    assert IntervalSet.full().notation() == "(-inf, +inf)"
    assert IntervalSet.empty().notation() == "{}"


def test_empty_or_half_closed_infinite_intervals_are_rejected() -> None:
    with pytest.raises(ValueError):
        Interval(Decimal(2), True, Decimal(1), True)
    with pytest.raises(ValueError):
        Interval(Decimal(1), False, Decimal(1), True)
    with pytest.raises(ValueError):
        Interval(None, True, Decimal(1), True)


@PROPERTY
@given(preds())
def test_whole_number_domain_keeps_exactly_the_counts(p: Pred) -> None:
    s = to_set(p)
    dom = Domain(integers=True)
    r = dom.restrict(s)
    # canonical: closed whole bounds, runs separated by at least one missing number
    for iv in r.intervals:
        assert iv.low is not None and iv.low_closed and iv.low == iv.low.to_integral_value()
        assert iv.high is None or (iv.high_closed and iv.high == iv.high.to_integral_value())
    for a, b in pairwise(r.intervals):
        assert a.high is not None and b.low is not None and b.low > a.high + 1
    for n in range(-3, 12):
        assert r.contains(Decimal(n)) == (n >= 0 and s.contains(Decimal(n)))
    # every constant lies in [-3, 3]: beyond 3 the predicate no longer changes, so the
    # whole numbers 0..5 decide emptiness and coverage exactly
    counts = [s.contains(Decimal(n)) for n in range(6)]
    assert dom.is_empty(s) == (not any(counts))
    assert dom.covers(s) == all(counts)


def test_whole_number_domain_examples() -> None:
    d = Decimal
    dom = Domain(integers=True)
    between = IntervalSet.compare(">", d(2)).intersection(IntervalSet.compare("<", d(3)))
    assert dom.is_empty(between)
    assert not Domain().is_empty(between)
    assert dom.is_empty(IntervalSet.compare("<", d(0)))
    assert dom.restrict(IntervalSet.compare("<", d(5))) == IntervalSet(
        (Interval(d(0), True, d(4), True),)
    )
    assert dom.covers(IntervalSet.compare("<=", d(2)).union(IntervalSet.compare(">", d("2.5"))))
    assert not Domain().covers(
        IntervalSet.compare("<=", d(2)).union(IntervalSet.compare(">", d("2.5")))
    )
