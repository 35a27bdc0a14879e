"""Explanations (LANGUAGE.md §11): how every value was computed, checkable by hand.

``conversion_floor at 2026-03 = breach: rule 1 (conversion < 5% for 3 months)
held in 2026-01 (4%), 2026-02 (3%), 2026-03 (2%); conversion at 2026-03 =
leads_won 2 / leads_total 100 = 2%``
"""

from __future__ import annotations

from pactlang.base.types import Type
from pactlang.base.values import Period
from pactlang.engine.evaluate import Evaluation
from pactlang.engine.expr import is_window_call
from pactlang.kernel.ops import Duration, Value, window_months
from pactlang.kernel.thresholds import ActionEvent
from pactlang.present.show import show
from pactlang.syntax import ast
from pactlang.syntax.walk import source_text, walk


class Explainer:
    def __init__(self, ev: Evaluation) -> None:
        self.ev = ev
        self.cc = ev.contract
        self.source = self.cc.source

    # -- helpers
    def text_of(self, node: object) -> str:
        return source_text(self.source, node)

    def show(self, value: Value, expr: ast.Expr | None = None, typ: Type | None = None) -> str:
        if typ is None and expr is not None:
            typ = self.cc.type_of(expr)
        return show(value, typ, self.cc.currency)

    def value_at(self, expr: ast.Expr, t: int) -> Value:
        return self.ev.program.compiler.compile(expr)(self.ev.env, t, t + 1)[0]

    def name_type(self, name: str) -> Type | None:
        return self.cc.value_types.get(name)

    # -- expressions
    def substituted(self, expr: ast.Expr, t: int) -> str:
        """The expression with each name followed by its value at month t."""
        if isinstance(expr, ast.Name):
            if len(expr.parts) == 1 and expr.head.name in self.ev.env.series:
                v = self.ev.env.series[expr.head.name][t]
                return f"{expr.head.name} {self.show(v, expr)}"
            return expr.dotted
        if isinstance(expr, ast.Arith):
            out = [self._operand(expr.operands[0], t)]
            for op, o in zip(expr.ops, expr.operands[1:], strict=True):
                out.append(op)
                out.append(self._operand(o, t))
            return " ".join(out)
        if isinstance(expr, ast.Compare):
            return f"{self._operand(expr.left, t)} {expr.op} {self._operand(expr.right, t)}"
        if isinstance(expr, ast.Logic):
            return f" {expr.op} ".join(self._operand(o, t) for o in expr.operands)
        if isinstance(expr, ast.Unary):
            sep = " " if expr.op == "not" else ""
            return f"{expr.op}{sep}{self._operand(expr.operand, t)}"
        if isinstance(expr, ast.Call):
            value = self.show(self.value_at(expr, t), expr)
            if is_window_call(expr) or expr.func.name == "previous" or expr.func.name not in _SCALAR:
                return f"{self.text_of(expr)} {value}"
            args = ", ".join(self.substituted(a, t) for a in expr.args)
            return f"{expr.func.name}({args}) {value}"
        if isinstance(expr, ast.IfThenElse):
            value = self.show(self.value_at(expr, t), expr)
            return (
                f"(if {self.substituted(expr.cond, t)} then {self.substituted(expr.then, t)} "
                f"else {self.substituted(expr.else_, t)}) {value}"
            )
        if isinstance(expr, ast.Otherwise):
            value = self.show(self.value_at(expr, t), expr)
            return (
                f"({self._operand(expr.value, t)} otherwise {self._operand(expr.fallback, t)}) {value}"
            )
        return self.text_of(expr)

    def _operand(self, e: ast.Expr, t: int) -> str:
        s = self.substituted(e, t)
        if isinstance(e, (ast.Arith, ast.Logic, ast.Compare)):
            return f"({s})"
        return s

    def expression(self, expr: ast.Expr, t: int, typ: Type | None = None) -> str:
        """``substituted = result``; ``typ`` overrides how the result is shown
        (a KPI declared ``percent`` shows ``2%`` where its formula is a ratio)."""
        value = self.value_at(expr, t)
        result = self.show(value, expr, typ)
        if isinstance(expr, ast.Call):
            detail = self.call_detail(expr, t)
            if detail is not None:
                return detail
            if expr.func.name in _SCALAR:
                args = ", ".join(self.substituted(a, t) for a in expr.args)
                line = f"{expr.func.name}({args}) = {result}"
                details = [d for d in (self.call_detail(c, t) for c in _calls(expr)) if d]
                return line + (" [" + "; ".join(details) + "]" if details else "")
            return f"{self.text_of(expr)} = {result}"
        sub = self.substituted(expr, t)
        line = result if sub == result else f"{sub} = {result}"
        details = [d for d in (self.call_detail(c, t) for c in _calls(expr)) if d]
        if details:
            line += " [" + "; ".join(details) + "]"
        return line

    def call_detail(self, call: ast.Call, t: int) -> str | None:
        """The months and values behind a window or lag."""
        months = self.ev.months
        if is_window_call(call) or call.func.name == "previous":
            inner = call.args[0]
            fn = self.ev.program.compiler.compile(inner)
            if call.func.name == "previous":
                n = 1
                if len(call.args) > 1 and isinstance(call.args[1], ast.DurationLit):
                    d = call.args[1]
                    n = window_months(_dur(d))
                if t - n < 0:
                    return f"{self.text_of(call)}: {months[t].shift(-n)} is before the first data month"
                v = fn(self.ev.env, t - n, t - n + 1)[0]
                return f"{self.text_of(call)} = {self.text_of(inner)} at {months[t - n]} = {self.show(v, inner)}"
            spec = call.args[1]
            if isinstance(spec, ast.DurationLit):
                first = t - window_months(_dur(spec)) + 1
                if first < 0:
                    return (
                        f"{self.text_of(call)}: the window starts at {months[t].shift(first - t)}, "
                        "before the first data month"
                    )
            elif isinstance(spec, ast.YearToDate):
                first = max(0, t - (months[t].month - 1))
            else:
                first = 0
            vals = fn(self.ev.env, first, t + 1)
            parts = ", ".join(
                f"{months[first + i]} {self.show(v, inner)}" for i, v in enumerate(vals)
            )
            return f"{self.text_of(call)} over {parts} = {self.show(self.value_at(call, t), call)}"
        return None

    # -- declarations
    def value(self, name: str, t: int) -> str:
        period = self.ev.months[t]
        v = self.ev.env.series[name][t]
        typ = self.name_type(name)
        if name in self.cc.kpis:
            body = self.expression(self.cc.kpis[name].expr, t, typ)
        elif name in self.cc.lets:
            let = self.cc.lets[name]
            if isinstance(let.value, ast.Schedule):
                entry = None
                for e in let.value.entries:
                    if e.start.value <= period:
                        entry = e
                if entry is None:
                    body = f"missing (the schedule starts {let.value.entries[0].start.value})"
                else:
                    body = f"{self.show(v, typ=typ)} (schedule entry from {entry.start.value})"
            else:
                body = self.expression(let.value, t, typ)
        else:
            body = f"{self.show(v, typ=typ)} (measured)"
        return f"{name} at {period} = {body}"

    def status(self, name: str, t: int) -> str:
        run = self.ev.thresholds[name]
        decl = self.cc.thresholds[name]
        period = self.ev.months[t]
        status = run.status[t]
        if not run.is_check[t]:
            last = next((i for i in range(t, -1, -1) if run.is_check[i]), None)
            if last is None:
                return f"{name} at {period} = missing: no check yet ({run.cadence})"
            return f"{name} at {period} = {status}: kept from the check of {self.ev.months[last]} ({run.cadence})"
        traces = run.traces(t)
        parts: list[str] = []
        names: list[str] = []
        for tr in traces:
            rule = decl.rules[tr.rule - 1]
            desc = self.text_of(rule.cond)
            if rule.persistence:
                p = rule.persistence
                desc += f" for {p.count} {p.unit}{'s' if p.count != 1 else ''}"
            shown = self._months_shown(rule.cond, tr.months)
            verdict = {True: "held", False: "did not hold", None: "was missing"}[tr.value]
            parts.append(f"rule {tr.rule} ({desc}) {verdict} in {shown}")
            for n in _names(rule.cond):
                if n not in names and (n in self.cc.kpis or n in self.cc.lets):
                    names.append(n)
        decided = run.decided_by[t]
        if decided == 0:
            parts.append("no rule held: otherwise" if decl.otherwise else "no rule held: ok by default")
        elif decided is None:
            parts.append("no rule held and a condition was missing: no-data")
        line = f"{name} at {period} = {status}: " + "; ".join(parts)
        for n in names:
            line += "; " + self.value(n, t)
        return line

    def _months_shown(self, cond: ast.Expr, used: tuple[tuple[Period, Value], ...]) -> str:
        """Each month a rule looked at with the value it compared: ``2026-01 (4%)``
        against a literal written in the rule, both sides (``2026-01 (4 < 5)``)
        when the other side is itself a value that may change month by month."""
        cmp = cond if isinstance(cond, ast.Compare) else None
        fixed = cmp is not None and isinstance(cmp.right, _LITERALS)
        out = []
        for p, v in used:
            i = self.ev.index(p)
            if cmp is not None and i is not None:
                left = self.show(self.value_at(cmp.left, i), cmp.left)
                if fixed:
                    out.append(f"{p} ({left})")
                else:
                    right = self.show(self.value_at(cmp.right, i), cmp.right)
                    out.append(f"{p} ({left} {cmp.op} {right})")
            elif i is None:
                out.append(f"{p} ({'before the term' if v is False else 'no data'})")
            else:
                out.append(f"{p} ({self.show(v, typ=Type.BOOL)})")
        return ", ".join(out)

    def event(self, e: ActionEvent) -> str:
        t = self.ev.index(e.period)
        head = f"{e.period} {e.threshold} rule {e.rule if e.rule else 'otherwise'}"
        if e.kind == "pay":
            decl = self.cc.thresholds[e.threshold]
            action = _find_pay(decl, e)
            amount_txt = self.show(e.amount, typ=Type.MONEY) if e.amount is not None else "nothing"
            line = f"{head}: pay {amount_txt} from {e.payer} to {e.payee}"
            if action is not None and t is not None and not isinstance(action.amount, ast.MoneyLit):
                line += f" ({self.expression(action.amount, t)})"
            if e.once:
                line += " [once]"
            if e.note:
                line += f" — {e.note}"
            return line
        if e.kind == "escalate":
            return f"{head}: escalate {e.ladder}, dispute opened {e.opened} (last day of the month)"
        if e.kind == "notify":
            return f"{head}: notify {', '.join(e.parties)}"
        return f"{head}: action “{e.text}”"


def _dur(d: ast.DurationLit) -> Duration:
    return Duration(d.amount, d.unit)


def _find_pay(decl: ast.ThresholdDecl, e: ActionEvent) -> ast.PayAction | None:
    rules = [*decl.rules]
    actions = rules[e.rule - 1].actions if e.rule else (decl.otherwise.actions if decl.otherwise else ())
    for a in actions:
        if isinstance(a, ast.PayAction) and a.payer.name == e.payer and a.payee.name == e.payee:
            return a
    return None


_LITERALS = (ast.NumberLit, ast.PercentLit, ast.MoneyLit, ast.BoolLit, ast.DateLit, ast.PeriodLit)
_SCALAR = frozenset({"abs", "round", "min", "max"})


def _names(expr: ast.Expr) -> list[str]:
    return [n.head.name for n in walk(expr) if isinstance(n, ast.Name)]


def _calls(expr: ast.Expr) -> list[ast.Call]:
    return [
        n
        for n in walk(expr)
        if isinstance(n, ast.Call) and (is_window_call(n) or n.func.name == "previous")
    ]
