"""Explanations (LANGUAGE.md §11): how every value was computed, checkable by hand.

``conversion_floor at 2026-03 = breach: rule 1 (conversion < 5% for 3 months)
held in 2026-01 (4%), 2026-02 (3%), 2026-03 (2%); conversion at 2026-03 =
leads_won 2 / leads_total 100 = 2%``

Explanations read the lowered program (:mod:`pactlang.ir.nodes`), quote the
contract's own text through each node's span, and show the values the
evaluation computed.
"""

from __future__ import annotations

from pactlang.base.types import Type
from pactlang.base.values import Duration, Period, Value
from pactlang.engine.evaluate import Evaluation
from pactlang.ir import nodes as ir
from pactlang.kernel.thresholds import ActionEvent
from pactlang.present.show import show
from pactlang.syntax.walk import source_text

__all__ = ["Explainer"]

_WINDOWS = (ir.Window, ir.ToDate, ir.Lag)


class Explainer:
    def __init__(self, ev: Evaluation) -> None:
        self.ev = ev
        self.program = ev.ir
        self.source = self.program.source

    def _at(self, t: int | None, name: str | None = None) -> None:
        """Explain month ``t`` with the version in force then (an amended
        version before its amendment's month, for what it declares)."""
        program = self.ev.ir if t is None else self.ev.program_at(t).ir
        if name is not None and not (
            name in program.definitions or name in program.measures or name in program.thresholds
        ):
            program = self.ev.ir
        self.program = program
        self.source = program.source

    # -- helpers
    def text_of(self, node: object) -> str:
        return source_text(self.source, node)

    def show(self, value: Value, expr: ir.Expr | None = None, typ: Type | None = None) -> str:
        if typ is None and expr is not None:
            typ = expr.type
        return show(value, typ, self.program.currency)

    def value_at(self, expr: ir.Expr, t: int) -> Value:
        return self.ev.at(expr, t)

    def name_type(self, name: str) -> Type | None:
        d = self.program.definitions.get(name)
        if d is not None:
            return d.type
        m = self.program.measures.get(name)
        return m.type if m is not None else None

    # -- expressions
    def substituted(self, expr: ir.Expr, t: int) -> str:
        """The expression with each name followed by its value at month t."""
        if isinstance(expr, ir.Ref):
            v = self.ev.env.series[expr.name][t]
            return f"{expr.name} {self.show(v, expr)}"
        if isinstance(expr, ir.Arith):
            out = [self._operand(expr.operands[0], t)]
            for op, o in zip(expr.ops, expr.operands[1:], strict=True):
                out.append(op)
                out.append(self._operand(o, t))
            return " ".join(out)
        if isinstance(expr, ir.Compare):
            return f"{self._operand(expr.left, t)} {expr.op} {self._operand(expr.right, t)}"
        if isinstance(expr, ir.Logic):
            return f" {expr.op} ".join(self._operand(o, t) for o in expr.operands)
        if isinstance(expr, ir.Neg):
            return f"-{self._operand(expr.operand, t)}"
        if isinstance(expr, ir.Not):
            return f"not {self._operand(expr.operand, t)}"
        if isinstance(expr, ir.Call):
            value = self.show(self.value_at(expr, t), expr)
            return f"{expr.fn}({self._arguments(expr, t)}) {value}"
        if isinstance(expr, ir.Choose):
            value = self.show(self.value_at(expr, t), expr)
            return (
                f"(if {self.substituted(expr.cond, t)} then {self.substituted(expr.then, t)} "
                f"else {self.substituted(expr.else_, t)}) {value}"
            )
        if isinstance(expr, ir.Otherwise):
            value = self.show(self.value_at(expr, t), expr)
            return (
                f"({self._operand(expr.value, t)} otherwise {self._operand(expr.fallback, t)}) {value}"
            )
        if isinstance(expr, ir.Const):
            return self.text_of(expr)
        # windows, lags and reads of other constructs: as written, with the value
        return f"{self.text_of(expr)} {self.show(self.value_at(expr, t), expr)}"

    def _arguments(self, call: ir.Call, t: int) -> str:
        args = [self.substituted(a, t) for a in call.args]
        if call.digits is not None:
            args.append(str(call.digits))
        return ", ".join(args)

    def _operand(self, e: ir.Expr, t: int) -> str:
        s = self.substituted(e, t)
        if isinstance(e, ir.Arith | ir.Logic | ir.Compare):
            return f"({s})"
        return s

    def expression(self, expr: ir.Expr, t: int, typ: Type | None = None) -> str:
        """``substituted = result``; ``typ`` overrides how the result is shown
        (a KPI declared ``percent`` shows ``2%`` where its formula is a ratio)."""
        value = self.value_at(expr, t)
        result = self.show(value, expr, typ)
        if isinstance(expr, _WINDOWS):
            return self.call_detail(expr, t)
        if isinstance(expr, ir.Call):
            line = f"{expr.fn}({self._arguments(expr, t)}) = {result}"
        elif isinstance(
            expr, ir.Distributed | ir.Retained | ir.Paid | ir.Status | ir.Power | ir.Contributed
        ):
            return f"{self.text_of(expr)} = {result}"
        else:
            sub = self.substituted(expr, t)
            line = result if sub == result else f"{sub} = {result}"
        details = [self.call_detail(c, t) for c in ir.walk(expr) if isinstance(c, _WINDOWS)]
        if details:
            line += " [" + "; ".join(details) + "]"
        return line

    def call_detail(self, call: ir.Window | ir.ToDate | ir.Lag, t: int) -> str:
        """The months and values behind a window or lag."""
        months = self.ev.months
        inner = call.operand
        if isinstance(call, ir.Lag):
            n = call.months
            if t - n < 0:
                return f"{self.text_of(call)}: {months[t].shift(-n)} is before the first data month"
            v = self.value_at(inner, t - n)
            return f"{self.text_of(call)} = {self.text_of(inner)} at {months[t - n]} = {self.show(v, inner)}"
        if isinstance(call, ir.Window | ir.ToDate) and call.step > 1:
            return self._stepped_detail(call, t)
        if isinstance(call, ir.Window):
            first = t - call.months + 1
            if first < 0:
                return (
                    f"{self.text_of(call)}: the window starts at {months[t].shift(first - t)}, "
                    "before the first data month"
                )
        elif call.year:
            first = max(0, t - (months[t].month - 1))
        else:
            first = 0
        parts = ", ".join(
            f"{months[i]} {self.show(self.value_at(inner, i), inner)}" for i in range(first, t + 1)
        )
        return f"{self.text_of(call)} over {parts} = {self.show(self.value_at(call, t), call)}"

    def _stepped_detail(self, call: ir.Window | ir.ToDate, t: int) -> str:
        """A window over a value reported every ``step`` months: the reports it took."""
        months = self.ev.months
        inner = call.operand
        step = call.step
        start = self.ev.start
        last = t - (start + t + 1) % step
        if isinstance(call, ir.Window):
            picked = [last - k * step for k in range(call.months // step)][::-1]
            if picked[0] < 0:
                return (
                    f"{self.text_of(call)}: the report of {months[t].shift(picked[0] - t)} "
                    "is before the first data month"
                )
        else:
            a = max(0, t - (months[t].month - 1)) if call.year else 0
            picked = [i for i in range(a, t + 1) if (start + i + 1) % step == 0]
            if not picked:
                return f"{self.text_of(call)}: no report yet"
        parts = ", ".join(
            f"{months[i]} {self.show(self.value_at(inner, i), inner)}" for i in picked
        )
        return f"{self.text_of(call)} over the reports of {parts} = {self.show(self.value_at(call, t), call)}"

    # -- time-independent values
    def constant(self, expr: ir.Expr) -> str:
        """How a time-independent value is computed (a failing ``expect EXPR == V``
        without ``at``): the expression with its values, each constant it names by
        its definition, and voting power by the swings behind it."""
        x = Explainer(self.ev.program.constant_evaluation())
        lines: list[str] = []
        named: list[str] = []
        if isinstance(expr, ir.Ref):
            named.append(expr.name)  # its definition says it all
        elif isinstance(expr, ir.Power):
            return x.power(expr)
        else:
            lines.append(x.expression(expr, 0))
            for node in ir.walk(expr):
                if isinstance(node, ir.Ref) and node.name not in named:
                    named.append(node.name)
                elif isinstance(node, ir.Power):
                    lines.append(x.power(node))
        i = 0
        while i < len(named):  # the constants behind the constants, each once
            name = named[i]
            i += 1
            d = self.program.definitions.get(name)
            if d is None or d.expr is None:
                continue
            lines.append(f"{name} = {x.expression(d.expr, 0, d.type)}")
            for node in ir.walk(d.expr):
                if isinstance(node, ir.Ref) and node.name not in named:
                    named.append(node.name)
                elif isinstance(node, ir.Power):
                    lines.append(x.power(node))
        return "; ".join(lines)

    def power(self, node: ir.Power) -> str:
        """``banzhaf(c.d, p)`` or ``shapley(c.d, p)``: what the index counts."""
        from pactlang.kernel.power import power

        p = power(self.ev.program.committee(node.committee), node.decision, limit=0)
        m = p.member(node.party)
        head = f"{node.kind}({node.committee}.{node.decision}, {node.party})"
        assumed = f"rule {p.rule}, every member present voting yes or no"
        if not p.passable:
            return f"{head} = 0: no coalition can pass `{node.decision}` ({assumed})"
        if node.kind == "banzhaf":
            total = sum(x.swings for x in p.members)
            swings = ", ".join(f"{x.name} {x.swings}" for x in p.members)
            ratio = f"{m.swings}/{total}"
            value = ratio if str(m.banzhaf) == ratio else f"{ratio} = {m.banzhaf}"
            return (
                f"{head} = {value}: {node.party} swings {m.swings} of the {total} coalitions "
                f"a member's vote turns from losing to winning ({swings}; {assumed})"
            )
        return (
            f"{head} = {m.shapley}: the share of the orders in which members join "
            f"where {node.party}'s yes turns the coalition into a winning one ({assumed})"
        )

    # -- declarations
    def value(self, name: str, t: int) -> str:
        self._at(t, name)
        period = self.ev.months[t]
        v = self.ev.env.series[name][t]
        typ = self.name_type(name)
        d = self.program.definitions.get(name)
        if d is None:
            body = f"{self.show(v, typ=typ)} (measured)"
            cadence = self.program.cadences.get(name)
            if cadence is not None:
                step = 3 if cadence == "quarterly" else 12
                back = period.month % step
                if back:
                    report = period.shift(-back)
                    body = (
                        f"{self.show(v, typ=typ)} (reported {cadence}: the report of {report} "
                        "holds until the next one)"
                    )
        elif d.schedule is not None:
            entry = None
            for e in d.schedule:
                if e.start <= period:
                    entry = e
            if entry is None:
                body = f"missing (the schedule starts {d.schedule[0].start})"
            else:
                body = f"{self.show(v, typ=typ)} (schedule entry from {entry.start})"
        else:
            assert d.expr is not None
            body = self.expression(d.expr, t, typ)
        return f"{name} at {period} = {body}"

    def status(self, name: str, t: int) -> str:
        self._at(t, name)
        run = self.ev.thresholds[name]
        threshold = self.program.thresholds[name]
        period = self.ev.months[t]
        status = run.status[t]
        if not run.is_check[t]:
            last = next((i for i in range(t, -1, -1) if run.is_check[i]), None)
            if last is None:
                return f"{name} at {period} = missing: no check yet ({run.cadence})"
            return f"{name} at {period} = {status}: kept from the check of {self.ev.months[last]} ({run.cadence})"
        parts: list[str] = []
        names: list[str] = []
        for tr in run.traces(t):
            rule = threshold.rules[tr.rule - 1]
            desc = self.text_of(rule.cond)
            if rule.written is not None:
                desc += f" for {rule.written}"
            # `for N` that did not hold: each month says whether the condition held
            # then, so that an auditor sees which month broke the run (LANGUAGE.md §11)
            each = len(tr.months) > 1 and tr.value is not True
            shown = self._months_shown(rule.cond, tr.months, each=each)
            verdict = {True: "held", False: "did not hold", None: "was missing"}[tr.value]
            parts.append(f"rule {tr.rule} ({desc}) {verdict} {'over' if each else 'in'} {shown}")
            for node in ir.walk(rule.cond):
                if isinstance(node, ir.Ref) and node.name not in names and node.name in self.program.definitions:
                    names.append(node.name)
        decided = run.decided_by[t]
        if decided == 0:
            parts.append(
                "no rule held: otherwise" if threshold.has_otherwise else "no rule held: ok by default"
            )
        elif decided is None:
            parts.append("no rule held and a condition was missing: no-data")
        line = f"{name} at {period} = {status}: " + "; ".join(parts)
        for n in names:
            line += "; " + self.value(n, t)
        return line

    def _months_shown(
        self, cond: ir.Expr, used: tuple[tuple[Period, Value], ...], *, each: bool = False
    ) -> str:
        """Each month a rule looked at with the value it compared: ``2026-01 (4%)``
        against a literal written in the rule, both sides (``2026-01 (4 < 5)``)
        when the other side is itself a value that may change month by month.
        With ``each``, the condition's value that month too (``2026-01 (4%: true)``)."""
        cmp = cond if isinstance(cond, ir.Compare) else None
        fixed = cmp is not None and _literal(cmp.right)
        out = []
        for p, v in used:
            i = self.ev.index(p)
            if cmp is not None and i is not None:
                left = self.show(self.value_at(cmp.left, i), cmp.left)
                held = f": {self.show(v, typ=Type.BOOL)}" if each and v is not None else ""
                if fixed:
                    out.append(f"{p} ({left}{held})")
                else:
                    right = self.show(self.value_at(cmp.right, i), cmp.right)
                    out.append(f"{p} ({left} {cmp.op} {right}{held})")
            elif i is None:
                why = "before the term" if v is False else "no data"
                out.append(f"{p} ({why}: false)" if each and v is False else f"{p} ({why})")
            else:  # a compound condition: each value it read, then its verdict
                out.append(f"{p} ({self.substituted(cond, i)}: {self.show(v, typ=Type.BOOL)})")
        return ", ".join(out)

    def event(self, e: ActionEvent) -> str:
        t = self.ev.index(e.period)
        self._at(t, e.threshold)
        head = f"{e.period} {e.threshold} rule {e.rule if e.rule else 'otherwise'}"
        if e.kind == "pay":
            amount = _pay_amount(self.program.thresholds[e.threshold], e)
            amount_txt = self.show(e.amount, typ=Type.MONEY) if e.amount is not None else "nothing"
            line = f"{head}: pay {amount_txt} from {e.payer} to {e.payee}"
            if amount is not None and t is not None and not isinstance(amount, ir.Const):
                line += f" ({self.expression(amount, t)})"
            if e.once:
                line += " [once]"
            if e.note:
                line += f" — {e.note}"
            return line
        if e.kind == "escalate":
            return f"{head}: escalate {e.ladder}, dispute opened {e.opened} (last day of the month)"
        if e.kind == "notify":
            return f"{head}: notify {', '.join(e.parties)}"
        if e.kind == "terminate":
            end = f"the contract ends on {e.due}" if e.due else (e.note or "no end date")
            return f"{head}: terminate by {e.party}, {e.within} notice from {e.opened}: {end}"
        if e.kind == "suspend":
            return f"{head}: suspend {e.party} “{e.text}”"
        if e.kind == "oblige":
            due = f"due {e.due}" if e.due else (e.note or "no due date")
            return f"{head}: oblige {e.party} “{e.text}”, {due} ({e.within} after {e.opened})"
        return f"{head}: action “{e.text}”"


def _literal(e: ir.Expr) -> bool:
    """A number, percent, money, boolean, date or month written in the rule."""
    return isinstance(e, ir.Const) and e.value is not None and not isinstance(e.value, str | Duration)


def _pay_amount(threshold: ir.Threshold, e: ActionEvent) -> ir.Expr | None:
    plan = threshold.plan
    actions = plan.rules[e.rule - 1].actions if e.rule else plan.otherwise_actions
    for a in actions:
        if a.kind == "pay" and a.payer == e.payer and a.payee == e.payee:
            return threshold.amounts[a.slot]
    return None
