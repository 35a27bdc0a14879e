"""Threshold analysis: unreachable rules, overlaps, gaps, impossible conditions.

The fixture ``thresholds.pact`` states in comments what each threshold holds;
the values below were worked out by hand from the rules.  The property at the
end runs the real evaluator on random thresholds and checks that every claim of
the analysis holds month by month (the analysis must never make a false claim).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactlang.analysis import analyze
from pactlang.analysis.intervals import Interval, IntervalSet
from pactlang.analysis.thresholds import ThresholdAnalysis
from pactlang.api import load, loads
from pactlang.base.values import Period

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


def threshold(name: str) -> ThresholdAnalysis:
    report = analyze(load(FIXTURES / "thresholds.pact"))
    return next(t for t in report.thresholds if t.name == name)


def kinds(t: ThresholdAnalysis) -> list[tuple[str, str]]:
    return [(f.kind, f.severity) for f in t.findings]


def below(x: str, closed: bool = False) -> IntervalSet:
    return IntervalSet((Interval(None, False, D(x), closed),))


def above(x: str, closed: bool = False) -> IntervalSet:
    return IntervalSet((Interval(D(x), closed, None, False),))


def between(lo: str, lo_closed: bool, hi: str, hi_closed: bool) -> IntervalSet:
    return IntervalSet((Interval(D(lo), lo_closed, D(hi), hi_closed),))


# ------------------------------------------------------------------- fixture


def test_tiers_unreachable_overlap_impossible_and_gap() -> None:
    t = threshold("tiers")
    assert t.subject == "conversion"
    r1, r2, r3, r4, r5, r6 = t.rules
    # rule 1 uses the let `floor` = 8% and has `for 3 months`: it shadows nothing
    assert r1.matches == below("0.08") and r1.persistence == "3 months"
    assert r2.matches == below("0.10") and r2.shadowed_by == () and not r2.unreachable
    # rule 3 (< 5%) lies inside rule 2 (< 10%)
    assert r3.unreachable and r3.shadowed_by == (2,)
    # rule 4 (<= 12% or > 40%): what is left after rule 2 is [10%, 12%] ∪ (40%, +∞)
    assert r4.shadowed_by == (2,) and not r4.unreachable
    assert r4.effective == between("0.10", True, "0.12", True).union(above("0.40"))
    # rule 5: < 5% and > 10% is empty
    assert r5.matches is not None and r5.matches.is_empty
    # rule 6: >= 25% and not > 40% = [25%, 40%]
    assert r6.matches == between("0.25", True, "0.40", True)
    # nothing matches (12%, 25%): it falls to `otherwise: ok`
    assert t.gaps == between("0.12", False, "0.25", False)
    assert kinds(t) == [
        ("unreachable-rule", "warning"),
        ("overlap", "note"),
        ("impossible-condition", "warning"),
        ("gap", "note"),
    ]
    messages = [f.message for f in t.findings]
    assert "rule 3 (`conversion < 5%`) can never apply" in messages[0]
    assert "caught first by rule 2" in messages[0]
    assert "from 10% to 12%, or above 40%" in messages[1]
    assert "above 12% and below 25%" in messages[3] and "`otherwise: ok`" in messages[3]
    assert all(f.line for f in t.findings)


def test_rules_covering_every_value_kill_the_otherwise() -> None:
    t = threshold("exhaustive")
    assert t.otherwise_dead and t.subject is None  # two subjects: conversion, revenue
    assert kinds(t) == [("only-when-missing", "note"), ("dead-otherwise", "warning")]
    assert "`conversion` is missing" in t.findings[0].message
    assert t.gaps is None and t.gaps_note and "different expressions" in t.gaps_note
    assert t.rules[2].unit == "money" and t.rules[0].unit == "percent"


def test_constants_on_the_left_folded_sums_and_an_always_true_rule() -> None:
    t = threshold("money_rules")
    r1, r2, r3, r4 = t.rules
    assert r1.matches == below("50000")  # 50_000 EUR > revenue
    assert r2.matches == below("60000") and r2.effective == between("50000", True, "60000", False)
    assert r3.matches is not None and r3.matches.is_full and r3.subject is None
    assert r4.unreachable
    assert t.otherwise_dead and not t.otherwise_declared
    # no `otherwise` line, so nothing to call dead: only the unreachable rule 4
    assert kinds(t) == [("overlap", "note"), ("unreachable-rule", "warning")]
    assert "rule 3 (`true`) always holds" in t.findings[1].message


def test_unanalysable_rules_are_skipped_with_a_note_but_repeats_are_found() -> None:
    t = threshold("mixed")
    r1, r2, r3 = t.rules
    assert r1.matches is None and r1.skipped is not None and "schedule" in r1.skipped
    assert r2.unreachable  # the same condition as rule 1, which has no `for`
    assert r3.skipped is not None and "both `conversion` and `revenue`" in r3.skipped
    assert kinds(t) == [
        ("not-analysed", "note"),
        ("unreachable-rule", "warning"),
        ("not-analysed", "note"),
    ]
    assert t.gaps is None and t.gaps_note is not None


def test_a_count_measure_takes_whole_values_from_zero() -> None:
    t = threshold("counts")
    assert t.domain.integers
    r1, r2, r3, r4 = t.rules
    assert r1.matches is not None and r1.matches.is_empty  # tickets < 0
    assert r2.matches is not None and r2.matches.is_empty  # 2 < tickets < 3
    assert r3.matches == between("0", True, "10", True)
    assert r4.matches == above("11", True)
    assert t.otherwise_dead  # rules 3 and 4 take every count
    assert kinds(t) == [("impossible-condition", "warning"), ("impossible-condition", "warning")]


def test_persistent_rules_do_not_shadow_and_are_not_gaps() -> None:
    src = """contract "c" {
      currency EUR
      party a "A"
      measure x "X": number { owner a }
      threshold t "T" {
        when x < 5 for 2 months: breach
        when x < 5: watch
        otherwise: ok
      }
    }"""
    report = analyze(loads(src))
    t = report.thresholds[0]
    assert not t.rules[1].unreachable and t.rules[1].shadowed_by == ()
    assert t.gaps == above("5", True)
    assert [f.kind for f in t.findings] == ["gap"]


def test_the_alliance_example_has_a_gap_only() -> None:
    report = analyze(load(FIXTURES / "spec_alliance.pact"))
    (t,) = report.thresholds
    assert t.gaps == between("0.10", True, "0.25", False)
    assert [f.kind for f in t.findings] == ["gap"]
    assert "from 10% to below 25%" in t.findings[0].message


# -------------------------------------------------- soundness against the engine

PROPERTY = settings(
    max_examples=300 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

OPS = ["<", "<=", ">", ">=", "==", "!="]
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
constants = st.integers(-4, 4)


def conditions() -> st.SearchStrategy[str]:
    leaf = st.builds(
        lambda op, c, left: f"{c} {FLIP[op]} x" if left else f"x {op} {c}",
        st.sampled_from(OPS),
        constants,
        st.booleans(),
    ) | st.sampled_from(["true", "false"])
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, b: f"({a} and {b})", inner, inner),
            st.builds(lambda a, b: f"({a} or {b})", inner, inner),
            st.builds(lambda a: f"not ({a})", inner),
        ),
        max_leaves=4,
    )


rules = st.lists(
    st.tuples(conditions(), st.sampled_from([None, 2]), st.sampled_from(["watch", "breach"])),
    min_size=1,
    max_size=4,
)


@PROPERTY
@given(rules, st.booleans())
def test_every_claim_holds_in_the_evaluator(
    rule_specs: list[tuple[str, int | None, str]], with_otherwise: bool
) -> None:
    lines = [
        f"    when {cond}{f' for {n} months' if n else ''}: {status}"
        for cond, n, status in rule_specs
    ]
    if with_otherwise:
        lines.append("    otherwise: bonus")
    src = (
        'contract "p" {\n  effective 2026-01-01\n  currency EUR\n  party a "A"\n'
        '  measure x "X": number { owner a }\n  threshold t "T" {\n'
        + "\n".join(lines)
        + "\n  }\n}\n"
    )
    contract = loads(src)
    t = analyze(contract).thresholds[0]
    # each month one value: every constant, the points between and beyond, twice over
    # so that `for 2 months` rules can hold
    points = [D(n) for n in range(-5, 6)] + [D(n) + D("0.5") for n in range(-5, 5)]
    values = points + points[::-1] + points
    months = [Period(2026, 1).shift(i) for i in range(len(values))]
    ev = contract.evaluate({p: {"x": v} for p, v in zip(months, values, strict=True)})
    run = ev.thresholds["t"]
    for i, v in enumerate(values):
        decided = run.decided_by[i]
        assert decided is not None  # x is never missing
        if decided == 0:
            assert not t.otherwise_dead, (src, v)
        else:
            # the rule that fired is reachable and the value is in what reaches it
            rule = t.rules[decided - 1]
            assert not rule.unreachable, (src, v)
            assert rule.effective is not None and rule.effective.contains(v), (src, v)
        if t.gaps is not None and t.gaps.contains(v):
            assert decided == 0, (src, v)
    for r in t.rules:
        if r.effective is not None and r.matches is not None:
            assert r.effective.issubset(r.matches)
