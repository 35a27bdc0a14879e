"""The kernel's first-match decisions against the rule read straight from
LANGUAGE.md §6: at a check, a rule's ``for N`` condition is the three-valued
``and`` of its values at the last N checks (checks before the timeline do not
hold before the term, and are missing inside it); the first rule whose
condition holds decides; none holds and one is missing: no-data; none: the
``otherwise`` status."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pactlang.base.values import Period
from pactlang.kernel import thresholds as T

TRI = st.sampled_from([True, False, None])
CADENCE = {1: "monthly", 3: "quarterly", 12: "yearly"}


def oracle(
    conds: list[list[bool | None]], persistences: list[int], step: int, first: int, term_start: int | None, t: int
) -> int | None:
    missing = False
    for r, (cond, k) in enumerate(zip(conds, persistences, strict=True), start=1):
        vals = []
        for j in range(k):
            i = t - j * step
            if i >= 0:
                vals.append(cond[i])
            else:
                inside = term_start is not None and first + i >= term_start
                vals.append(None if inside else False)
        if False in vals:
            continue
        if None in vals:
            missing = True
            continue
        return r
    return None if missing else 0


@st.composite
def thresholds(draw: st.DrawFn) -> tuple[T.ThresholdPlan, list[list[bool | None]], list[Period], int | None]:
    step = draw(st.sampled_from([1, 3, 12]))
    # beyond six condition values in all the kernel does not tabulate the decisions: both ways
    wide = draw(st.booleans())
    persistences = draw(
        st.lists(st.integers(2, 4), min_size=3, max_size=6) if wide else st.lists(st.integers(1, 3), max_size=3)
    )
    n = draw(st.integers(1, 40))
    start = Period(draw(st.integers(2020, 2022)), draw(st.integers(1, 12)))
    months = [Period.from_index(start.index + i) for i in range(n)]
    conds = [draw(st.lists(TRI, min_size=n, max_size=n)) for _ in persistences]
    term_start = draw(st.none() | st.integers(start.index - 30, start.index + 3))
    rules = tuple(T.RulePlan(k, f"s{r}", ()) for r, k in enumerate(persistences, start=1))
    plan = T.ThresholdPlan("t", CADENCE[step], rules, "ok")
    return plan, conds, months, term_start


@settings(max_examples=300, deadline=None)
@given(thresholds(), st.data())
def test_decisions_follow_the_rule(case: tuple[T.ThresholdPlan, list[list[bool | None]], list[Period], int | None],
                                   data: st.DataObject) -> None:
    plan, conds, months, term_start = case
    n = len(months)
    whole = T.start(plan, months, conds, [], term_start, 2)
    T.walk(whole, 0, n)
    persistences = [r.persistence for r in plan.rules]
    status_of = {None: T.NO_DATA, 0: "ok"} | {r: f"s{r}" for r in range(1, len(persistences) + 1)}
    current: str | None = None
    decided: int | None = None
    for t, p in enumerate(months):
        if T.is_check_month(plan.step, p.month):
            decided = oracle(conds, persistences, plan.step, months[0].index, term_start, t)
            current = status_of[decided]
            assert whole.is_check[t]
        else:
            assert not whole.is_check[t]
        assert whole.decided_by[t] == decided, t
        assert whole.status[t] == current, t
    # walking in pieces (month by month, as a threshold that reads its own past) gives the same
    cut = data.draw(st.integers(0, n))
    pieces = T.start(plan, months, conds, [], term_start, 2)
    T.walk(pieces, 0, cut)
    for t in range(cut, n):
        T.walk(pieces, t, t + 1)
    assert (pieces.status, pieces.decided_by, pieces.is_check) == (whole.status, whole.decided_by, whole.is_check)
