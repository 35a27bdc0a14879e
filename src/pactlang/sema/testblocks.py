"""Checking ``test`` blocks against a contract (LANGUAGE.md §10).

- Data: a cell names a declared measure and gives a literal of the measure's
  type (money ``12 EUR``, a whole number ≥ 0 for a count, ``20%`` for a percent,
  ``true``/``false`` for a bool, ``missing`` for a blank); a month appears once
  per test and a measure once per row.  A data file exists, relative to the
  test file's folder, and is ``.csv`` or ``.json``.
- ``expect EXPR [at M] == V [within T]``: V and T have the dimension of EXPR;
  without ``at`` the expression must not change from month to month.
- ``expect T at M is S``: T a threshold; S one of ok, watch, breach, bonus, no-data.
- ``expect vote C.D {…} [round N] is O``: C a committee, D one of its decisions,
  each ballot entry a member (once), N ≥ 1, O one of passed, rejected, vetoed,
  no-quorum.
- ``expect escalation L …``: L a ladder; event and state steps are its steps;
  event and query dates not before the opening; a deadline is asked of a
  non-final step.
- Test names are unique in a file.
"""

from __future__ import annotations

from pathlib import Path

from pactlang.base.types import Type
from pactlang.diagnostics import Related, replace_with
from pactlang.kernel.timeline import is_report_month, report_months
from pactlang.sema.context import COMMITTEE, ESCALATION, MEASURE, THRESHOLD, Checker, closest
from pactlang.sema.model import CheckedContract
from pactlang.sema.resolve import collect
from pactlang.sema.typecheck import STATUS_WORDS, Typer
from pactlang.syntax import ast

OUTCOMES = ("passed", "rejected", "vetoed", "no-quorum")
DATA_SUFFIXES = (".csv", ".json")


def check_blocks(ck: Checker, tests: tuple[ast.TestBlock, ...]) -> None:
    typer = Typer(ck)
    names: dict[str, ast.TestBlock] = {}
    for t in tests:
        prev = names.get(t.name.value)
        if prev is not None:
            ck.bag.error(
                "E070",
                f'two tests are named "{t.name.value}"',
                t.name.span,
                help="give each test its own name",
                related=[Related(prev.name.span, "the first test with this name")],
            )
        else:
            names[t.name.value] = t
        _data(ck, typer, t)
        for e in t.expects:
            _expect(ck, typer, e)


# -------------------------------------------------------------------- data


def _data(ck: Checker, typer: Typer, t: ast.TestBlock) -> None:
    months: dict[object, ast.DataRow] = {}
    for block in t.data:
        if isinstance(block, ast.FileData):
            _data_file(ck, block)
            continue
        for row in block.rows:
            prev = months.get(row.period.value)
            if prev is not None:
                ck.bag.error(
                    "E071",
                    f'month {row.period.value} is given twice in test "{t.name.value}"',
                    row.period.span,
                    help="give each month's values on one line",
                    related=[Related(prev.period.span, "first given here")],
                )
            else:
                months[row.period.value] = row
            cells: dict[str, ast.DataCell] = {}
            for cell in row.cells:
                _reported(ck, row, cell)
                if cell.name.name in cells:
                    ck.bag.error(
                        "E071",
                        f"`{cell.name.name}` is given twice for {row.period.value}",
                        cell.name.span,
                        related=[Related(cells[cell.name.name].span, "first given here")],
                    )
                    continue
                cells[cell.name.name] = cell
                _cell(ck, typer, cell)


def _reported(ck: Checker, row: ast.DataRow, cell: ast.DataCell) -> None:
    """A measure reported quarterly or yearly has values only in the last month of
    each period (LANGUAGE.md §5 "Measure cadence")."""
    cadence = ck.cc.cadences.get(cell.name.name)
    if cadence is None or isinstance(cell.value, ast.MissingLit):
        return
    if not is_report_month(cadence, row.period.value):
        ck.bag.error(
            "E071",
            f"`{cell.name.name}` is reported {cadence}, {report_months(cadence)}: "
            f"{row.period.value} is not a report month",
            cell.span,
            help="give its value in the last month of the period; between reports the "
            "last report holds",
        )


def _data_file(ck: Checker, block: ast.FileData) -> None:
    rel = block.path.value
    base = ck.base_dir if ck.base_dir is not None else Path(ck.bag.path).parent
    target = base / rel
    if Path(rel).suffix.lower() not in DATA_SUFFIXES:
        ck.bag.error(
            "E071",
            f'data file "{rel}" is neither .csv nor .json',
            block.path.span,
            help="data files are CSV (a `period` column and one column per measure) or JSON",
        )
        return
    if not target.is_file():
        ck.bag.error(
            "E071",
            f'data file "{rel}" not found (looked for {target.as_posix()})',
            block.path.span,
            help="the path is relative to the folder of the test file",
        )


def _literal(v: ast.Expr) -> bool:
    if isinstance(v, ast.Unary) and v.op == "-":
        return isinstance(v.operand, ast.NumberLit | ast.PercentLit | ast.MoneyLit)
    return isinstance(
        v, ast.NumberLit | ast.PercentLit | ast.MoneyLit | ast.BoolLit | ast.MissingLit
    )


def _cell(ck: Checker, typer: Typer, cell: ast.DataCell) -> None:
    kind = ck.lookup(cell.name, (MEASURE,), "measure", "a measure: data gives measures only")
    v = cell.value
    if not _literal(v):
        ck.bag.error(
            "E071",
            f"the value of `{cell.name.name}` must be written out",
            v.span,
            help="data cells hold literals such as `12`, `20%`, `1_500 EUR`, `true` or `missing`",
        )
        return
    typer.infer(v)
    if kind is None or isinstance(v, ast.MissingLit):
        return
    want = ck.cc.value_types.get(cell.name.name, Type.ERROR)
    negative = isinstance(v, ast.Unary)
    inner = v.operand if isinstance(v, ast.Unary) else v
    name = cell.name.name
    cur = ck.cc.currency
    problem: str | None = None
    hint: str | None = None
    if want is Type.MONEY:
        if not isinstance(inner, ast.MoneyLit):
            problem = f"`{name}` is money"
            if isinstance(inner, ast.NumberLit):
                hint = f"write `{'-' if negative else ''}{inner.text} {cur}`"
    elif want is Type.COUNT:
        if not (
            isinstance(inner, ast.NumberLit)
            and not negative
            and inner.value == inner.value.to_integral_value()
        ):
            problem = f"`{name}` is a count: a whole number, 0 or more"
    elif want is Type.NUMBER:
        if not isinstance(inner, ast.NumberLit):
            problem = f"`{name}` is a number"
    elif want is Type.PERCENT:
        if not isinstance(inner, ast.PercentLit):
            problem = f"`{name}` is a percent"
            if isinstance(inner, ast.NumberLit):
                hint = "write percents with `%`: `20%` is the value 0.20"
    elif want is Type.BOOL:
        if not isinstance(inner, ast.BoolLit):
            problem = f"`{name}` is true or false"
    if problem is not None:
        ck.bag.error("E071", f"{problem}; `{_show(v)}` does not fit", v.span, help=hint)


def _show(v: ast.Expr) -> str:
    if isinstance(v, ast.Unary):
        return "-" + _show(v.operand)
    if isinstance(v, ast.NumberLit):
        return v.text
    if isinstance(v, ast.PercentLit):
        return v.text + "%"
    if isinstance(v, ast.MoneyLit):
        return f"{v.text} {v.currency}"
    if isinstance(v, ast.BoolLit):
        return "true" if v.value else "false"
    return "missing"


# ------------------------------------------------------------- expectations


def threshold_named(cc: CheckedContract, expr: ast.Expr) -> str | None:
    """The threshold a bare name in ``expect NAME at PERIOD is missing`` names, if any."""
    if isinstance(expr, ast.Name) and len(expr.parts) == 1 and expr.head.name in cc.thresholds:
        return expr.head.name
    return None


def _expect(ck: Checker, typer: Typer, e: ast.Expectation) -> None:
    if isinstance(e, ast.ExpectValue):
        t = typer.infer(e.expr)
        if e.at is None:
            _time_independent(ck, e.expr)
        te = typer.infer(e.expected)
        problem = typer.comparable("==", t, te, e.expr, e.expected)
        if problem is not None:
            ck.bag.error(
                "E070",
                f"the expected value is {te}, but the expression is {t}",
                e.expected.span,
                help=problem[2],
                fixes=typer.currency_fixes(t, te, None, e.expected),
            )
        if e.within is not None:
            tw = typer.infer(e.within)
            ok = (
                tw is Type.ERROR
                or t is Type.ERROR
                or (
                    (tw.is_numeric and t.is_numeric)
                    or (tw is t and t in (Type.MONEY, Type.DURATION))
                )
            )
            if not ok:
                ck.bag.error(
                    "E070",
                    f"the tolerance is {tw}, but the expression is {t}",
                    e.within.span,
                    help="a tolerance has the dimension of the value it bounds (e.g. `within 0.01 EUR`)",
                )
    elif isinstance(e, ast.ExpectMissing):
        if e.at is not None and threshold_named(ck.cc, e.expr) is not None:
            # `expect THRESHOLD at PERIOD is missing`: no check yet (LANGUAGE.md §6:
            # "missing before the first one")
            ck.lookup(e.expr.head, (THRESHOLD,), "threshold")  # type: ignore[union-attr]
            return
        typer.infer(e.expr)
        if e.at is None:
            _time_independent(ck, e.expr)
    elif isinstance(e, ast.ExpectStatus):
        ck.lookup(e.threshold, (THRESHOLD,), "threshold")
        word = e.status.name
        if word not in STATUS_WORDS:
            near = closest(word, STATUS_WORDS)
            ck.bag.error(
                "E070",
                f"`{word}` is not a status",
                e.status.span,
                help=f"did you mean `{near}`?"
                if near
                else "statuses are " + ", ".join(STATUS_WORDS),
                fixes=replace_with(e.status.span, near),
            )
    elif isinstance(e, ast.ExpectVote):
        _vote(ck, e)
    elif isinstance(e, ast.ExpectVotes):
        _votes(ck, e)
    elif isinstance(e, ast.ExpectEscalationState | ast.ExpectEscalationDeadline):
        _escalation(ck, e)


def _time_independent(ck: Checker, expr: ast.Expr) -> None:
    c = collect(ck, [expr], mark_used=False)
    if c.timed or any(d not in ck.cc.constants for d in c.deps):
        ck.bag.error(
            "E070",
            "this value changes from month to month: say at which month to check it",
            expr.span,
            help="write `expect EXPR at YYYY-MM == VALUE`",
        )


def _decision(
    ck: Checker, e: ast.ExpectVote | ast.ExpectVotes
) -> tuple[ast.CommitteeDecl | None, ast.DecisionDecl | None]:
    committee: ast.CommitteeDecl | None = None
    decision: ast.DecisionDecl | None = None
    if ck.lookup(e.committee, (COMMITTEE,), "committee") is not None:
        committee = ck.cc.committees[e.committee.name]
        names = [d.name.name for d in committee.decisions]
        decision = next((d for d in committee.decisions if d.name.name == e.decision.name), None)
        if decision is None:
            near = closest(e.decision.name, names)
            ck.bag.error(
                "E010",
                f"committee `{committee.name.name}` has no decision `{e.decision.name}`",
                e.decision.span,
                help=f"did you mean `{near}`?" if near else None,
                fixes=replace_with(e.decision.span, near),
                related=[ck.rel(committee.name.span, f"`{committee.name.name}` is declared here")],
            )
    return committee, decision


def _vote(ck: Checker, e: ast.ExpectVote) -> None:
    committee, _ = _decision(ck, e)
    _ballot(ck, committee, e.ballot)
    if e.round is not None and e.round < 1:
        ck.bag.error("E070", f"round {e.round}: rounds count from 1", e.span)
    _outcome(ck, e.outcome, OUTCOMES)


def _votes(ck: Checker, e: ast.ExpectVotes) -> None:
    """``expect vote C.D { DATE: … } is OUTCOME [on DATE]``: recorded votes in date order;
    ``deadlocked`` only for a decision with a ``deadlock`` clause, ``on`` only with it."""
    committee, decision = _decision(ck, e)
    prev: ast.DatedBallot | None = None
    for b in e.ballots:
        _ballot(ck, committee, b.ballot)
        if b.round is not None and b.round < 1:
            ck.bag.error("E070", f"round {b.round}: rounds count from 1", b.span)
        if prev is not None and b.date.value < prev.date.value:
            ck.bag.error(
                "E070",
                f"the votes are listed in date order: {b.date.value} comes after {prev.date.value}",
                b.date.span,
                related=[Related(prev.date.span, f"{prev.date.value} is given here")],
            )
        prev = b
    _outcome(ck, e.outcome, (*OUTCOMES, "deadlocked"))
    word = e.outcome.name
    if word == "deadlocked" and decision is not None and decision.deadlock is None:
        ck.bag.error(
            "E070",
            f"`{e.committee.name}.{e.decision.name}` has no deadlock clause: it is never deadlocked",
            e.outcome.span,
            help="add `deadlock after N escalate LADDER` to the decision",
            related=[ck.rel(decision.name.span, "the decision is declared here")],
        )
    if e.on is not None and word != "deadlocked":
        ck.bag.error(
            "E070",
            "`on DATE` says when a deadlock opens its dispute: it goes with `is deadlocked`",
            e.on.span,
            help=f"write `is {word}` alone, or `is deadlocked on DATE`",
        )


def _outcome(ck: Checker, outcome: ast.Ident, words: tuple[str, ...]) -> None:
    if outcome.name not in words:
        near = closest(outcome.name, words)
        ck.bag.error(
            "E070",
            f"`{outcome.name}` is not a vote outcome",
            outcome.span,
            help=f"did you mean `{near}`?" if near else "outcomes are " + ", ".join(words),
            fixes=replace_with(outcome.span, near),
        )


def _ballot(
    ck: Checker, committee: ast.CommitteeDecl | None, entries: tuple[ast.BallotEntry, ...]
) -> None:
    members = {m.party.name for m in committee.members} if committee else set()
    seen: dict[str, ast.BallotEntry] = {}
    for b in entries:
        p = b.party.name
        if p in seen:
            ck.bag.error(
                "E070",
                f"`{p}` votes twice in this ballot",
                b.party.span,
                related=[Related(seen[p].span, "first vote here")],
            )
            continue
        seen[p] = b
        if committee is None:
            continue
        if p not in members:
            if ck.kind.get(p) is None and p not in ck.broken:
                near = closest(p, sorted(members))
                ck.bag.error(
                    "E010",
                    f"undeclared party `{p}`",
                    b.party.span,
                    help=f"did you mean `{near}`?" if near else None,
                    fixes=replace_with(b.party.span, near),
                )
            else:
                ck.bag.error(
                    "E070",
                    f"`{p}` is not a member of committee `{committee.name.name}`",
                    b.party.span,
                    help="members are " + ", ".join(f"`{m}`" for m in sorted(members)),
                )


def _escalation(ck: Checker, e: ast.ExpectEscalationState | ast.ExpectEscalationDeadline) -> None:
    ladder: ast.EscalationDecl | None = None
    if ck.lookup(e.ladder, (ESCALATION,), "escalation ladder") is not None:
        ladder = ck.cc.escalations[e.ladder.name]
    steps = {s.name.name: s for s in ladder.steps} if ladder else {}

    def step(ident: ast.Ident) -> ast.StepDecl | None:
        if ladder is None:
            return None
        s = steps.get(ident.name)
        if s is None:
            near = closest(ident.name, list(steps))
            ck.bag.error(
                "E010",
                f"ladder `{ladder.name.name}` has no step `{ident.name}`",
                ident.span,
                help=f"did you mean `{near}`?" if near else None,
                fixes=replace_with(ident.span, near),
                related=[ck.rel(ladder.name.span, f"`{ladder.name.name}` is declared here")],
            )
        return s

    for ev in e.events:
        step(ev.step)
        if ev.date.value < e.opened.value:
            ck.bag.error(
                "E070",
                f"this event ({ev.date.value}) is before the dispute is opened ({e.opened.value})",
                ev.date.span,
                related=[Related(e.opened.span, "opened here")],
            )
    if isinstance(e, ast.ExpectEscalationState):
        if e.state.name != "resolved":
            step(e.state)
        if e.on.value < e.opened.value:
            ck.bag.error(
                "E070",
                f"the dispute is not open yet on {e.on.value} (opened {e.opened.value})",
                e.on.span,
            )
    else:
        s = step(e.step)
        if s is not None and s.final:
            ck.bag.error(
                "E070",
                f"step `{s.name.name}` is final and has no deadline",
                e.step.span,
                help="ask for the deadline of an earlier step",
            )
