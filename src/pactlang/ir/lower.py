"""Lowering: a checked contract becomes the :class:`~pactlang.ir.nodes.Program` engines run.

This is the last reader of the AST for evaluation.  Each expression node gets
its checked type; calls of built-ins become their own nodes (windows, lags,
construct reads), dispatched once here through the registry of
:mod:`pactlang.kernel.builtins`; thresholds, committees, ladders and
waterfalls become the kernel's plans; the schedule of ``sema`` (what is
computed over the whole timeline, what month by month) becomes steps.
"""

from __future__ import annotations

from pactlang.base.money import minor_digits
from pactlang.base.types import Type
from pactlang.base.values import Duration
from pactlang.ir import nodes as ir
from pactlang.ir.models import committee_model, ladder_model, waterfall_plan
from pactlang.kernel.builtins import BUILTINS, WINDOW_FUNCS
from pactlang.kernel.contributions import ContributionPlan
from pactlang.kernel.run import Meta
from pactlang.kernel.thresholds import ActionPlan, RulePlan, ThresholdPlan
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

__all__ = ["LoweringError", "lower", "lower_expr"]

_NOT_PLAIN = (Type.DATE, Type.DURATION, Type.PERIOD)
_WINDOWS = (ast.DurationLit, ast.ToDate, ast.YearToDate)


class LoweringError(ValueError):
    """A construct the checked contract should not contain (sema reports these first)."""


def lower(cc: CheckedContract) -> ir.Program:
    """The program of a contract that checked without errors."""
    low = _Lowerer(cc)
    definitions: dict[str, ir.Definition] = {}
    for name, let in cc.lets.items():
        definitions[name] = low.definition(name, "let", let.value, let.span)
    for name, kpi in cc.kpis.items():
        definitions[name] = low.definition(name, "kpi", kpi.expr, kpi.span)
    parties = tuple(cc.parties)
    waterfalls = {
        name: ir.Waterfall(
            name,
            waterfall_plan(decl, parties, cap=low.expr),
            low.expr(decl.distributes),
            decl.span,
        )
        for name, decl in cc.waterfalls.items()
    }
    cadences = {n: c for n, c in cc.cadences.items() if n in cc.measures}
    meta = Meta(
        title=cc.title,
        id=cc.id,
        version=cc.version,
        currency=cc.currency,
        digits=minor_digits(cc.currency),
        language=cc.language,
        calendar=cc.calendar,
        effective=cc.effective,
        until=cc.until,
        measures=tuple(cc.measures),
        lets=tuple(cc.lets),
        kpis=tuple(cc.kpis),
        thresholds=tuple(cc.thresholds),
        ladders={n: ladder_model(d) for n, d in cc.escalations.items()},
        cadences=cadences,
        contributions=tuple(cc.contributions),
    )
    return ir.Program(
        path=cc.path,
        source=cc.source,
        meta=meta,
        parties=parties,
        measures={n: ir.Measure(n, Type(m.type.name), m.span) for n, m in cc.measures.items()},
        definitions=definitions,
        thresholds={n: low.threshold(d) for n, d in cc.thresholds.items()},
        waterfalls=waterfalls,
        committees={n: committee_model(d) for n, d in cc.committees.items()},
        steps=tuple(_step(cc, g.names, g.tasks) for g in cc.groups),
        contributions={n: low.contribution(d, parties) for n, d in cc.contributions.items()},
        cadences=cadences,
    )


def lower_expr(cc: CheckedContract, e: ast.Expr) -> ir.Expr:
    """One expression of the contract (or of a test block checked against it)."""
    return _Lowerer(cc).expr(e)


def _step(cc: CheckedContract, names: tuple[str, ...], tasks: tuple[tuple[str, int], ...]) -> ir.Step:
    def kind(name: str) -> str:
        if name in cc.thresholds:
            return "threshold"
        if name in cc.contributions:
            return "contribution"
        return "waterfall" if name in cc.waterfalls else "value"

    if not tasks:
        return ir.Whole(names[0], kind(names[0]))
    out = []
    for name, tier in tasks:
        k = kind(name)
        out.append(ir.Task("tier" if k == "waterfall" else k, name, tier))
    return ir.Recurrence(names, tuple(out))


class _Lowerer:
    def __init__(self, cc: CheckedContract) -> None:
        self.cc = cc
        self.memo: dict[int, ir.Expr] = {}

    def type_of(self, e: object) -> Type:
        return self.cc.type_of(e)

    # ------------------------------------------------------------ definitions

    def definition(
        self, name: str, kind: str, value: ast.Expr | ast.Schedule, span: object
    ) -> ir.Definition:
        typ = self.cc.value_types.get(name, Type.ERROR)
        constant = name in self.cc.constants
        if isinstance(value, ast.Schedule):
            entries = tuple(
                ir.ScheduleEntry(e.start.value, self.expr(e.value), e.span) for e in value.entries
            )
            return ir.Definition(name, kind, typ, None, entries, constant, value.span)
        return ir.Definition(name, kind, typ, self.expr(value), None, constant, value.span)

    def contribution(self, decl: ast.ContributionDecl, parties: tuple[str, ...]) -> ir.Contribution:
        plan = ContributionPlan(
            decl.name.name, tuple(k.party.name for k in decl.keys), parties, decl.labels.get()
        )
        keys = tuple(self.expr(k.share) for k in decl.keys)
        amount = decl.amount
        if isinstance(amount, ast.Schedule):
            entries = tuple(
                ir.ScheduleEntry(e.start.value, self.expr(e.value), e.span) for e in amount.entries
            )
            return ir.Contribution(decl.name.name, plan, None, entries, keys, decl.span)
        if amount is None:
            raise LoweringError(f"contribution {decl.name.name} has no amount")
        return ir.Contribution(decl.name.name, plan, self.expr(amount), None, keys, decl.span)

    def threshold(self, decl: ast.ThresholdDecl) -> ir.Threshold:
        amounts: list[ir.Expr] = []

        def actions(items: tuple[ast.Action, ...]) -> tuple[ActionPlan, ...]:
            out = []
            for a in items:
                if isinstance(a, ast.PayAction):
                    out.append(
                        ActionPlan(
                            "pay",
                            a.once,
                            payer=a.payer.name,
                            payee=a.payee.name,
                            label=a.label.value if a.label else None,
                            slot=len(amounts),
                        )
                    )
                    amounts.append(self.expr(a.amount))
                elif isinstance(a, ast.EscalateAction):
                    out.append(ActionPlan("escalate", a.once, ladder=a.ladder.name))
                elif isinstance(a, ast.NotifyAction):
                    out.append(ActionPlan("notify", a.once, parties=tuple(p.name for p in a.parties)))
                elif isinstance(a, ast.TerminateAction):
                    notice = Duration(a.notice.amount, a.notice.unit)
                    out.append(ActionPlan("terminate", a.once, party=a.party.name, within=notice))
                elif isinstance(a, ast.SuspendAction):
                    out.append(
                        ActionPlan("suspend", a.once, party=a.party.name, text=a.text.value)
                    )
                elif isinstance(a, ast.ObligeAction):
                    within = Duration(a.within.amount, a.within.unit)
                    out.append(
                        ActionPlan(
                            "oblige", a.once, party=a.party.name, text=a.text.value, within=within
                        )
                    )
                else:
                    out.append(ActionPlan("action", a.once, text=a.text.value))
            return tuple(out)

        rules = []
        sources = []
        for r in decl.rules:
            p = r.persistence
            written = Duration(p.count, p.unit) if p is not None else None
            rules.append(RulePlan(p.count if p is not None else 1, r.status.value, actions(r.actions)))
            sources.append(ir.RuleSource(self.expr(r.cond), written, r.span))
        other = decl.otherwise
        plan = ThresholdPlan(
            name=decl.name.name,
            cadence=decl.checked.value if decl.checked else "monthly",
            rules=tuple(rules),
            otherwise_status=other.status.value if other else "ok",
            otherwise_actions=actions(other.actions) if other else (),
        )
        return ir.Threshold(
            decl.name.name,
            plan,
            tuple(s.cond for s in sources),
            tuple(amounts),
            tuple(sources),
            other is not None,
            decl.span,
        )

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Expr) -> ir.Expr:
        key = id(e)
        got = self.memo.get(key)
        if got is None:
            got = self._expr(e)
            self.memo[key] = got
        return got

    def _expr(self, e: ast.Expr) -> ir.Expr:
        t = self.type_of(e)
        span = e.span
        if isinstance(e, ast.NumberLit | ast.PercentLit):
            return ir.Const(e.value, t, span)
        if isinstance(e, ast.MoneyLit):
            return ir.Const(e.amount, t, span)
        if isinstance(e, ast.StringLit | ast.BoolLit | ast.DateLit | ast.PeriodLit):
            return ir.Const(e.value, t, span)
        if isinstance(e, ast.DurationLit):
            return ir.Const(Duration(e.amount, e.unit), t, span)
        if isinstance(e, ast.MissingLit):
            return ir.Const(None, t, span)
        if isinstance(e, ast.Name):
            return ir.Ref(e.head.name, t, span)
        if isinstance(e, ast.Unary):
            inner = self.expr(e.operand)
            return ir.Neg(inner, t, span) if e.op == "-" else ir.Not(inner, t, span)
        if isinstance(e, ast.Arith):
            numeric = all(self.type_of(o) not in _NOT_PLAIN for o in e.operands)
            operands = tuple(self.expr(o) for o in e.operands)
            return ir.Arith(tuple(e.ops), operands, numeric, t, span)
        if isinstance(e, ast.Logic):
            return ir.Logic(e.op, tuple(self.expr(o) for o in e.operands), t, span)
        if isinstance(e, ast.Compare):
            plain = Type.DURATION not in (self.type_of(e.left), self.type_of(e.right))
            return ir.Compare(e.op, self.expr(e.left), self.expr(e.right), plain, t, span)
        if isinstance(e, ast.IfThenElse):
            return ir.Choose(self.expr(e.cond), self.expr(e.then), self.expr(e.else_), t, span)
        if isinstance(e, ast.Otherwise):
            return ir.Otherwise(self.expr(e.value), self.expr(e.fallback), t, span)
        if isinstance(e, ast.Call):
            return self.call(e, t)
        raise LoweringError(f"cannot lower {type(e).__name__}")

    def call(self, e: ast.Call, t: Type) -> ir.Expr:
        fn = e.func.name
        builtin = BUILTINS.get(fn)
        if builtin is None:
            raise LoweringError(f"unknown function {fn}")
        span = e.span
        args = e.args
        if fn in WINDOW_FUNCS and len(args) == 2 and isinstance(args[1], _WINDOWS):
            spec = args[1]
            step = self.cc.window_steps.get(id(spec), 1)
            if isinstance(spec, ast.DurationLit):
                months = Duration(spec.amount, spec.unit).months or 1
                return ir.Window(fn, self.expr(args[0]), months, t, span, step)
            year = isinstance(spec, ast.YearToDate)
            return ir.ToDate(fn, self.expr(args[0]), year, t, span, step)
        if builtin.kind == "lag":
            months = 1
            if len(args) > 1 and isinstance(args[1], ast.DurationLit):
                months = Duration(args[1].amount, args[1].unit).months or 1
            return ir.Lag(self.expr(args[0]), months, t, span)
        if builtin.kind == "scalar":
            digits = None
            operands = args
            if fn == "round":
                digits = _whole(args[1])
                operands = args[:1]
            return ir.Call(fn, tuple(self.expr(a) for a in operands), digits, t, span)
        to_date = bool(args) and isinstance(args[-1], ast.ToDate)
        if fn == "distributed":
            target = _name(args[0])
            party = next((a.head.name for a in args[1:] if isinstance(a, ast.Name)), None)
            tier = target.parts[1].name if len(target.parts) > 1 else None
            return ir.Distributed(target.head.name, tier, party, to_date, t, span)
        if fn == "retained":
            return ir.Retained(_name(args[0]).head.name, to_date, t, span)
        if fn == "paid":
            return ir.Paid(_name(args[0]).head.name, _name(args[1]).head.name, to_date, t, span)
        if fn == "status":
            return ir.Status(_name(args[0]).head.name, t, span)
        if fn == "contributed":
            party = next((a.head.name for a in args[1:] if isinstance(a, ast.Name)), None)
            return ir.Contributed(_name(args[0]).head.name, party, to_date, t, span)
        if fn in ("banzhaf", "shapley"):
            target = _name(args[0])
            return ir.Power(
                fn, target.parts[0].name, target.parts[1].name, _name(args[1]).head.name, t, span
            )
        raise LoweringError(f"cannot lower a call of {fn}")


def _name(e: ast.Expr) -> ast.Name:
    if not isinstance(e, ast.Name):
        raise LoweringError("expected a name")
    return e


def _whole(e: ast.Expr) -> int:
    if isinstance(e, ast.NumberLit):
        return int(e.value)
    if isinstance(e, ast.Unary) and e.op == "-" and isinstance(e.operand, ast.NumberLit):
        return -int(e.operand.value)
    raise LoweringError("round() needs a whole number of digits")

