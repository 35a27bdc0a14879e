"""``pact test``: running the ``test`` blocks of .pact files (LANGUAGE.md §10)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pactlang.base.types import Type
from pactlang.base.values import CONTEXT, Period
from pactlang.contract import CheckResult, Contract, UsageError, check_file
from pactlang.diagnostics import render_text
from pactlang.engine.evaluate import ContractProgram, Evaluation, EvaluationError
from pactlang.ir.models import event_model
from pactlang.kernel import committees as C
from pactlang.kernel.escalation import EscalationError, Event, Timeline
from pactlang.present.ballot_text import explain_record, explain_vote
from pactlang.present.show import show
from pactlang.sema.model import CheckedContract
from pactlang.sema.testblocks import threshold_named
from pactlang.syntax import ast
from pactlang.syntax.walk import source_text


@dataclass(slots=True)
class ExpectOutcome:
    line: int
    text: str
    passed: bool
    expected: str = ""
    actual: str = ""
    explanation: str = ""


@dataclass(slots=True)
class TestOutcome:
    path: str
    name: str
    line: int
    expects: list[ExpectOutcome] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and all(e.passed for e in self.expects)

    __test__ = False


def _literal(e: ast.Expr) -> Any:
    if isinstance(e, (ast.NumberLit, ast.PercentLit)):
        return e.value
    if isinstance(e, ast.MoneyLit):
        return e.amount
    if isinstance(e, ast.BoolLit):
        return e.value
    if isinstance(e, ast.MissingLit):
        return None
    if isinstance(e, ast.Unary) and e.op == "-":
        v = _literal(e.operand)
        return -v if isinstance(v, Decimal) else None
    raise UsageError(f"line {e.span.line}: data values must be literals")


def _test_data(
    test: ast.TestBlock, contract: Contract, base: Path
) -> dict[Period, dict[str, Any]]:
    rows: dict[Period, dict[str, Any]] = {}
    for block in test.data:
        if isinstance(block, ast.InlineData):
            for row in block.rows:
                cells = rows.setdefault(row.period.value, {})
                for cell in row.cells:
                    cells[cell.name.name] = _literal(cell.value)
        else:
            loaded = contract.read_data(base / block.path.value)
            for p, values in loaded.datasets.get(None, {}).items():
                rows.setdefault(p, {}).update(values)
    return rows


def run_test(
    test: ast.TestBlock, path: str, source: str, contract: Contract
) -> TestOutcome:
    out = TestOutcome(path, test.name.value, test.span.line)
    try:
        data = _test_data(test, contract, Path(path).parent)
        ev = contract.program.run(data)
    except (UsageError, EvaluationError, ValueError) as exc:
        out.error = str(exc)
        return out
    for exp in test.expects:
        out.expects.append(_expect(exp, ev, contract.checked, source))
    return out


def _expect(exp: ast.Expectation, ev: Evaluation, cc: CheckedContract, source: str) -> ExpectOutcome:
    from pactlang.present.explain import Explainer

    text = source_text(source, exp)
    line = exp.span.line
    try:
        if isinstance(exp, ast.ExpectValue):
            period = exp.at.value if exp.at else None
            actual = ev.expression(exp.expr, period)
            expected = ev.expression(exp.expected, None)
            tol = ev.expression(exp.within, None) if exp.within is not None else None
            if actual is None or expected is None:
                ok = actual is None and expected is None
            elif tol is not None:
                ok = abs(CONTEXT.subtract(actual, expected)) <= tol  # type: ignore[arg-type, operator]
            else:
                ok = actual == expected
            typ = cc.type_of(exp.expr)
            res = ExpectOutcome(line, text, bool(ok), show(expected, typ, cc.currency), show(actual, typ, cc.currency))
            if not ok:
                res.explanation = _explain_expr(Explainer(ev), ev, exp.expr, period)
            return res
        if isinstance(exp, ast.ExpectMissing) and exp.at is not None and (
            (named := threshold_named(cc, exp.expr)) is not None
        ):
            status = ev.status(named, exp.at.value)
            res = ExpectOutcome(line, text, status is None, "missing", str(status) if status else "missing")
            i = ev.index(exp.at.value)
            if status is not None and i is not None:
                res.explanation = Explainer(ev).status(named, i)
            return res
        if isinstance(exp, ast.ExpectMissing):
            period = exp.at.value if exp.at else None
            actual = ev.expression(exp.expr, period)
            res = ExpectOutcome(line, text, actual is None, "missing", show(actual, cc.type_of(exp.expr), cc.currency))
            if actual is not None:
                res.explanation = _explain_expr(Explainer(ev), ev, exp.expr, period)
            return res
        if isinstance(exp, ast.ExpectStatus):
            actual_s = ev.status(exp.threshold.name, exp.at.value)
            ok = actual_s == exp.status.name
            res = ExpectOutcome(line, text, ok, exp.status.name, str(actual_s) if actual_s else "missing")
            i = ev.index(exp.at.value)
            if not ok:
                res.explanation = (
                    Explainer(ev).status(exp.threshold.name, i) if i is not None else f"{exp.at.value} has no data"
                )
            return res
        if isinstance(exp, ast.ExpectVote):
            committee = ev.program.committee(exp.committee.name)
            ballot = {b.party.name: b.vote for b in exp.ballot}
            result = C.cast(committee, exp.decision.name, ballot, exp.round)
            ok = result.outcome == exp.outcome.name
            return ExpectOutcome(line, text, ok, exp.outcome.name, result.outcome, "" if ok else explain_vote(result))
        if isinstance(exp, ast.ExpectVotes):
            return _votes(exp, ev, line, text)
        if isinstance(exp, (ast.ExpectEscalationState, ast.ExpectEscalationDeadline)):
            events = tuple(event_model(e) for e in exp.events)
            tl = ev.program.timeline_of(exp.ladder.name, exp.opened.value, events)
            if isinstance(exp, ast.ExpectEscalationState):
                state = tl.state_on(exp.on.value)
                ok = state == exp.state.name
                return ExpectOutcome(
                    line, text, ok, exp.state.name, state,
                    "" if ok else _state_trace(ev, exp, events, tl),
                )
            deadline = tl.deadline_of(exp.step.name)
            ok = deadline == exp.date.value
            return ExpectOutcome(
                line, text, ok, str(exp.date.value), str(deadline) if deadline else "none",
                "" if ok else tl.explain(),
            )
    except (EvaluationError, EscalationError, C.CommitteeError, KeyError, ValueError) as exc:
        return ExpectOutcome(line, text, False, "", "error", f"{type(exc).__name__}: {exc}")
    return ExpectOutcome(line, text, False, "", "", "unsupported expectation")


def _state_trace(ev: Evaluation, exp: ast.ExpectEscalationState, events: tuple[Event, ...], tl: Timeline) -> str:
    """The trace of a failed state query: the timeline judged on the query date (the step
    running then `active`, later ones `not reached`), as `pact escalate --as-of` shows it.
    Events after that date are allowed in a test but not with an as-of date: then the plan."""
    try:
        judged = ev.program.timeline_of(exp.ladder.name, exp.opened.value, events, as_of=exp.on.value)
    except EscalationError:
        return tl.explain()
    return judged.explain()


def _votes(exp: ast.ExpectVotes, ev: Evaluation, line: int, text: str) -> ExpectOutcome:
    """Recorded votes in order: the last one's outcome, or ``deadlocked [on DATE]``."""
    committee = ev.program.committee(exp.committee.name)
    ballots = [
        (b.date.value, {e.party.name: e.vote for e in b.ballot}, b.round) for b in exp.ballots
    ]
    rec = C.record(committee, exp.decision.name, ballots)
    want = exp.outcome.name
    if want == "deadlocked":
        expected = "deadlocked" + (f" on {exp.on.value}" if exp.on is not None else "")
        first = rec.deadlocks[0] if rec.deadlocks else None
        ok = first is not None and (exp.on is None or first == exp.on.value)
        actual = f"deadlocked on {first}" if first is not None else f"not deadlocked ({rec.outcome})"
    else:
        expected, actual = want, str(rec.outcome)
        ok = rec.outcome == want
    return ExpectOutcome(line, text, ok, expected, actual, "" if ok else explain_record(rec))


def _explain_expr(x: Any, ev: Evaluation, expr: ast.Expr, period: Period | None) -> str:
    if period is None:
        return x.constant(ev.program.lowered(expr))
    i = ev.index(period)
    if i is None:
        return f"{period} is outside the evaluated months ({_range(ev)})"
    if isinstance(expr, ast.Name) and len(expr.parts) == 1 and expr.head.name in ev.env.series:
        return str(x.value(expr.head.name, i))
    return f"at {period}: {x.expression(ev.program.lowered(expr), i)}"


def _range(ev: Evaluation) -> str:
    if not ev.months:
        return "no data months"
    return f"{ev.months[0]} to {ev.months[-1]}"


# ---------------------------------------------------------------- running


def collect(path: str) -> tuple[CheckResult, Contract | None]:
    res = check_file(path)
    if not res.ok or res.contract is None:
        return res, None
    contract = Contract(res.path, res.source, res.module, res.contract, res.diagnostics)
    contract._program = ContractProgram(res.contract)
    return res, contract


def run_paths(paths: list[str], keyword: str | None, fmt: str, color: bool = False) -> int:
    import click

    from pactlang.base.text import escape_controls

    outcomes: list[TestOutcome] = []
    unrun: list[tuple[str, str, str]] = []  # (path, why, the diagnostics): files whose tests did not run
    for p in paths:
        try:
            res, contract = collect(p)
        except UsageError as exc:
            click.echo(f"error: {escape_controls(str(exc))}", err=True)
            unrun.append((p, str(exc), ""))
            continue
        if contract is None:
            plain = render_text(res.diagnostics, {res.path: res.source}, False)
            why = "does not check; its tests were not run"
            click.echo(render_text(res.diagnostics, {res.path: res.source}, True) if color else plain, err=True)
            click.echo(f"{escape_controls(res.path)}: {why}", err=True)
            unrun.append((res.path, why, plain))
            continue
        for test in res.module.tests:
            if keyword and keyword not in test.name.value:
                continue
            outcomes.append(run_test(test, res.path, res.source, contract))
    passed = sum(1 for o in outcomes if o.passed)
    failed = len(outcomes) - passed
    if fmt == "json":
        click.echo(json.dumps(_json(outcomes, passed, failed, unrun), indent=2, sort_keys=True, ensure_ascii=False))
    elif fmt == "junit":
        click.echo(_junit(outcomes, passed, failed, unrun))
    else:
        for o in outcomes:
            click.echo(_text(o, color))
        click.echo(f"{passed} passed, {failed} failed")
    if unrun:
        return 2
    return 1 if failed else 0


def _mark(ok: bool, color: bool) -> str:
    word = "PASS" if ok else "FAIL"
    if color:
        return f"\x1b[{'32' if ok else '1;31'}m{word}\x1b[0m"
    return word


def _text(o: TestOutcome, color: bool) -> str:
    from pactlang.base.text import escape_controls

    lines = [f"{_mark(o.passed, color)} {escape_controls(o.path)}:{o.line} {escape_controls(o.name, newlines=False)}"]
    if o.error:
        lines.append(f"    error: {o.error}")
    for e in o.expects:
        if e.passed:
            continue
        lines.append(f"    line {e.line}: {e.text}")
        lines.append(f"      expected: {e.expected}")
        lines.append(f"      actual:   {e.actual}")
        if e.explanation:
            for ln in e.explanation.splitlines():
                lines.append(f"      because:  {ln}")
    return "\n".join(lines)


def _json(outcomes: list[TestOutcome], passed: int, failed: int, unrun: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "passed": passed,
        "failed": failed,
        "errors": [{"path": path, "message": why, "diagnostics": text} for path, why, text in unrun],
        "tests": [
            {
                "path": o.path,
                "name": o.name,
                "line": o.line,
                "passed": o.passed,
                "error": o.error,
                "expectations": [
                    {
                        "line": e.line,
                        "text": e.text,
                        "passed": e.passed,
                        "expected": e.expected,
                        "actual": e.actual,
                        "explanation": e.explanation,
                    }
                    for e in o.expects
                ],
            }
            for o in outcomes
        ],
    }


def _junit(outcomes: list[TestOutcome], passed: int, failed: int, unrun: list[tuple[str, str, str]]) -> str:
    """JUnit XML, well-formed whatever the names hold: characters XML 1.0 cannot
    carry (controls, U+FFFE…) are written as visible escapes (``\x1b``) first.
    A file whose tests did not run is a suite with one ``error`` test case, so
    that a CI system shows it."""
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr as xml_quoteattr

    from pactlang.base.text import escape_controls

    def escape(text: str) -> str:
        return xml_escape(escape_controls(text))

    def quoteattr(text: str) -> str:
        return xml_quoteattr(escape_controls(text))

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites tests="{len(outcomes) + len(unrun)}" failures="{failed}" errors="{len(unrun)}">',
    ]
    for path, why, text in unrun:
        out.append(f'  <testsuite name={quoteattr(path)} tests="1" failures="0" errors="1">')
        out.append(f"    <testcase classname={quoteattr(path)} name=\"(the file)\">")
        out.append(f"      <error message={quoteattr(why)}>{escape(text or why)}</error>")
        out.append("    </testcase>")
        out.append("  </testsuite>")
    by_file: dict[str, list[TestOutcome]] = {}
    for o in outcomes:
        by_file.setdefault(o.path, []).append(o)
    for path, items in by_file.items():
        fails = sum(1 for o in items if not o.passed)
        out.append(f"  <testsuite name={quoteattr(path)} tests=\"{len(items)}\" failures=\"{fails}\">")
        for o in items:
            out.append(f"    <testcase classname={quoteattr(path)} name={quoteattr(o.name)}>")
            if not o.passed:
                msg = o.error or "; ".join(f"line {e.line}: expected {e.expected}, got {e.actual}" for e in o.expects if not e.passed)
                body = _text(o, False)
                out.append(f"      <failure message={quoteattr(msg)}>{escape(body)}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out)


_ = Type
