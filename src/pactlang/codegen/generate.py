"""``pact compile``: a lowered program as a standalone Python module.

The generated module evaluates the contract exactly as the interpreter
(:mod:`pactlang.engine.evaluate`) does, because it does the same thing with
less machinery around it.  From the program of :mod:`pactlang.ir`:

* every expression a construct evaluates (a let's or KPI's value, a
  threshold rule's condition, a pay amount, a waterfall's amount and each of
  its caps) becomes one function ``f(run, lo, hi)`` returning the values of
  months ``lo .. hi-1``: straight-line calls of the kernel's column functions
  (:mod:`pactlang.kernel.series`), one temporary per node, each function
  named after its construct and tagged with its source line;
* constants (lets and KPIs that are the same every month, voting power) are
  computed here by the interpreter and written as literals;
* the plans of thresholds, waterfalls and ladders are written as
  constructor calls of the kernel's own plan classes;
* ``run()`` hands the functions to the kernel's :class:`~pactlang.kernel.run.Run`
  in the program's schedule — the driver the interpreter uses.

So no construct's semantics is written here: the generated code only says
*which* kernel functions to call on *which* columns.  Code is built only as
:mod:`ast` nodes (:mod:`pactlang.codegen.pyast`) and printed with
:func:`ast.unparse`; DSL names become identifiers through
:mod:`pactlang.codegen.names`; strings of the contract are only ever
:class:`ast.Constant` values.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import re
import typing
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pactlang.base.values import Duration, Period
from pactlang.codegen import pyast as P
from pactlang.codegen.names import mangle
from pactlang.engine.evaluate import ContractProgram
from pactlang.engine.expr import where
from pactlang.ir import nodes as ir
from pactlang.kernel.contributions import ContributionPlan
from pactlang.kernel.escalation import Ladder, Step
from pactlang.kernel.run import Meta
from pactlang.kernel.thresholds import ActionPlan, RulePlan, ThresholdPlan
from pactlang.kernel.waterfalls import CapLine, Share, Tier, WaterfallPlan
from pactlang.sema.model import CheckedContract

__all__ = ["RUNTIME_VERSION", "CodegenError", "generate_module"]

RUNTIME_VERSION = 4

#: the kernel's plain classes a module writes as constructor calls (runtime names)
_CLASSES: dict[type, str] = {
    ThresholdPlan: "ThresholdPlan",
    RulePlan: "RulePlan",
    ActionPlan: "ActionPlan",
    WaterfallPlan: "WaterfallPlan",
    Tier: "Tier",
    CapLine: "CapLine",
    Share: "Share",
    Ladder: "Ladder",
    Step: "Step",
    Meta: "Meta",
    ContributionPlan: "ContributionPlan",
}


_IR_EXPRS = typing.get_args(ir.Expr)


class CodegenError(Exception):
    """A contract construct the code generator cannot compile."""


def _plain(text: str) -> str:
    """Text safe to show in a docstring: printable ASCII without quotes or backslashes."""
    return re.sub(r"[^A-Za-z0-9 _.,:/()+=<>-]", "?", text)


def _rt(attr: str) -> ast.Attribute:
    return P.attr("_rt", attr)


def _call(attr: str, *args: ast.expr, **kwargs: ast.expr) -> ast.Call:
    return P.call(_rt(attr), *args, **kwargs)


class ModuleGen:
    def __init__(self, program: ContractProgram, source_name: str) -> None:
        self.interp = program
        self.p = program.ir
        # a portfolio is evaluated as one run (kernel.stack) unless the program cannot be
        self.stackable = ir.stack_blocker(program.ir) is None
        self.doc_src = _plain(source_name)
        self.count = 0
        self.consts: dict[tuple[str, str], str] = {}
        self.const_defs: list[ast.stmt] = []
        self.defs: list[ast.stmt] = []  # the range functions
        self.wraps: list[ast.stmt] = []  # `f = _rt.located(f, where)`
        self.plans: list[ast.stmt] = []
        self.caps: dict[int, str] = {}  # id(cap expression) -> its function
        self.body: list[ast.stmt] = []  # the function being written
        self.contributions: dict[str, tuple[str, list[str]]] = {}  # amount and key functions

    # ------------------------------------------------------------ naming

    def fresh(self, prefix: str) -> str:
        """A numbered identifier (``x12``): letters and digits, never an underscore."""
        assert prefix.isalpha() and prefix.islower()
        self.count += 1
        return f"{prefix}{self.count}"

    def marker(self, span: Any, what: str) -> str:
        """``'alliance.pact:42 kpi conversion'``: a block's source line."""
        return f"{self.doc_src}:{span.line} {_plain(what)}"

    # --------------------------------------------------------- constants

    def constant(self, value: Any) -> ast.expr:
        """A value known now: a literal, or a module constant built once."""
        if value is None or isinstance(value, bool | str | int):
            return P.const(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise CodegenError(f"cannot write the constant {value}")
            text = str(value)
            return self._module_const("d", text, lambda: _call("Decimal", P.const(text)))
        if isinstance(value, datetime.date):
            d = value
            return self._module_const(
                "date", d.isoformat(),
                lambda: _call("date", P.const(d.year), P.const(d.month), P.const(d.day)),
            )
        if isinstance(value, Period):
            p = value
            return self._module_const(
                "period", str(p), lambda: _call("Period", P.const(p.year), P.const(p.month))
            )
        if isinstance(value, Duration):
            u = value
            return self._module_const(
                "duration", f"{u.amount} {u.unit}",
                lambda: _call("Duration", P.const(u.amount), P.const(u.unit)),
            )
        if isinstance(value, Fraction):
            f = value
            return self._module_const(
                "fraction", str(f),
                lambda: _call("Fraction", P.const(f.numerator), P.const(f.denominator)),
            )
        raise CodegenError(f"cannot write a constant of type {type(value).__name__}")

    def _module_const(self, kind: str, key: str, build: Any) -> ast.Name:
        ident = self.consts.get((kind, key))
        if ident is None:
            ident = self.fresh("k")
            self.consts[(kind, key)] = ident
            self.const_defs.append(P.assign(ident, build()))
        return P.name(ident)

    def literal(self, obj: Any) -> ast.expr:
        """A kernel plan (or a value inside one) as an expression that rebuilds it."""
        if isinstance(obj, _IR_EXPRS):
            return P.name(self.caps[id(obj)])  # a waterfall's amount or cap: its function
        cls = _CLASSES.get(type(obj))
        if cls is not None:
            fields = {f.name: self.literal(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
            return _call(cls, **fields)
        if isinstance(obj, tuple):
            return P.tuple_([self.literal(x) for x in obj])
        if isinstance(obj, dict):
            return P.dict_([(self.literal(k), self.literal(v)) for k, v in obj.items()])
        return self.constant(obj)

    # ----------------------------------------------------- range functions

    def function(self, prefix_or_name: str, mark: str, expr: ir.Expr | None, *, schedule: Any = None) -> str:
        """A range function for ``expr`` (or a schedule); returns its name."""
        ident = prefix_or_name if "_" in prefix_or_name else self.fresh(prefix_or_name)
        self.body = [P.docstring(mark)]
        lo, hi = P.name("lo"), P.name("hi")
        if schedule is not None:
            starts = P.tuple_([self.constant(e.start) for e in schedule])
            values = P.list_([self.column(e.value, lo, hi) for e in schedule])
            result: ast.expr = _call(
                "scheduled", starts, values, P.subscript(P.attr("run", "months"), ast.Slice(lo, hi))
            )
            node = schedule[0]
        else:
            assert expr is not None
            result = self.column(expr, lo, hi)
            node = expr
        self.body.append(ast.Return(value=result))
        args = ast.arguments(
            posonlyargs=[], args=[ast.arg(arg=a) for a in ("run", "lo", "hi")], kwonlyargs=[],
            kw_defaults=[], defaults=[],
        )
        self.defs.append(ast.FunctionDef(name=ident, args=args, body=self.body, decorator_list=[], lineno=0))
        self.wraps.append(
            P.assign(ident, _call("located", P.name(ident), P.const(where(self.p, node))))
        )
        return ident

    def tmp(self, value: ast.expr) -> ast.Name:
        ident = self.fresh("x")
        self.body.append(P.assign(ident, value))
        return P.name(ident)

    def fixed(self, e: ir.Expr) -> ast.expr | None:
        """The node as one value for every month, when it is one."""
        if isinstance(e, ir.Const):
            return self.constant(e.value)
        if isinstance(e, ir.Ref) and e.name in self.interp.constants:
            return self.constant(self.interp.constants[e.name])
        if isinstance(e, ir.Power):
            return self.constant(self.interp._power(e.kind, e.committee, e.decision, e.party))
        return None

    def operand(self, e: ir.Expr, lo: ast.expr, hi: ast.expr) -> ast.expr:
        """Where a kernel function takes a series or one value for every month."""
        value = self.fixed(e)
        return value if value is not None else self.column(e, lo, hi)

    def column(self, e: ir.Expr, lo: ast.expr, hi: ast.expr) -> ast.expr:  # noqa: C901 - one case per node
        """The node's values for months ``lo .. hi-1``, as a list."""
        value = self.fixed(e)
        if value is not None:
            return self.tmp(ast.BinOp(P.list_([value]), ast.Mult(), ast.BinOp(hi, ast.Sub(), lo)))
        run = P.name("run")
        if isinstance(e, ir.Ref):
            series = P.subscript(P.attr("run", "series"), P.const(e.name))
            return self.tmp(_call("months_of", series, lo, hi))
        if isinstance(e, ir.Neg | ir.Not):
            return self.tmp(_call("neg" if isinstance(e, ir.Neg) else "not_", self.column(e.operand, lo, hi)))
        if isinstance(e, ir.Arith):
            acc = self.column(e.operands[0], lo, hi)
            for op, o in zip(e.ops, e.operands[1:], strict=True):
                if e.numeric:
                    acc = self.tmp(_call("numeric", P.const(op), acc, self.operand(o, lo, hi)))
                else:
                    acc = self.tmp(
                        _call("arith", P.const(op), acc, self.column(o, lo, hi), P.attr("run", "calendar"))
                    )
            return acc
        if isinstance(e, ir.Logic):
            cols = P.list_([self.column(o, lo, hi) for o in e.operands])
            return self.tmp(_call("and_" if e.op == "and" else "or_", cols))
        if isinstance(e, ir.Compare):
            left = self.column(e.left, lo, hi)
            if e.plain:
                return self.tmp(_call("compare", P.const(e.op), left, self.operand(e.right, lo, hi)))
            return self.tmp(_call("compare_any", P.const(e.op), left, self.column(e.right, lo, hi)))
        if isinstance(e, ir.Choose):
            c = self.column(e.cond, lo, hi)
            return self.tmp(_call("choose", c, self.operand(e.then, lo, hi), self.operand(e.else_, lo, hi)))
        if isinstance(e, ir.Otherwise):
            a = self.column(e.value, lo, hi)
            return self.tmp(_call("otherwise", a, self.operand(e.fallback, lo, hi)))
        if isinstance(e, ir.Window) and e.step > 1:
            count = e.months // e.step
            first = self.fresh("f")
            self.body.append(
                P.assign(first, _call("stepped_first", lo, P.const(count), P.const(e.step)))
            )
            vals = self.column(e.operand, P.name(first), hi)
            start = P.attr("run", "start")
            return self.tmp(
                _call(
                    "stepped", P.const(e.agg), vals, P.const(count), P.const(e.step),
                    P.name(first), lo, start,
                )
            )
        if isinstance(e, ir.Window):
            first = self.fresh("f")
            self.body.append(P.assign(first, _call("window_first", lo, P.const(e.months))))
            vals = self.column(e.operand, P.name(first), hi)
            return self.tmp(
                _call(
                    "trailing", P.const(e.agg), vals, P.const(e.months), P.name(first), lo,
                    P.attr("run", "segments"),
                )
            )
        if isinstance(e, ir.ToDate):
            vals = self.column(e.operand, P.const(0), hi)
            starts = P.attr("run", "year_starts") if e.year else P.const(None)
            if e.step > 1:
                start = P.attr("run", "start")
                return self.tmp(
                    _call("stepped_cumulative", P.const(e.agg), vals, P.const(e.step), lo, start, starts)
                )
            return self.tmp(_call("cumulative", P.const(e.agg), vals, lo, starts, P.attr("run", "segments")))
        if isinstance(e, ir.Lag):
            first, upper = self.fresh("f"), self.fresh("u")
            self.body.append(
                ast.Assign(
                    targets=[P.tuple_store([first, upper])],
                    value=_call("lag_bounds", lo, hi, P.const(e.months)),
                    lineno=0,
                )
            )
            vals = self.column(e.operand, P.name(first), P.name(upper))
            return self.tmp(
                _call("lag", vals, P.const(e.months), P.name(first), lo, hi, P.attr("run", "segments"))
            )
        if isinstance(e, ir.Call):
            args = P.list_([self.column(a, lo, hi) for a in e.args])
            return self.tmp(_call("scalar", P.const(e.fn), args, P.const(e.digits)))
        if isinstance(e, ir.Distributed):
            return self.tmp(
                _call(
                    "distributed", run, P.const(e.fund), P.const(e.tier), P.const(e.party),
                    P.const(e.to_date), lo, hi,
                )
            )
        if isinstance(e, ir.Retained):
            return self.tmp(_call("retained", run, P.const(e.fund), P.const(e.to_date), lo, hi))
        if isinstance(e, ir.Paid):
            return self.tmp(
                _call("paid", run, P.const(e.payer), P.const(e.payee), P.const(e.to_date), lo, hi)
            )
        if isinstance(e, ir.Status):
            return self.tmp(_call("status", run, P.const(e.threshold), lo, hi))
        if isinstance(e, ir.Contributed):
            return self.tmp(
                _call(
                    "contributed", run, P.const(e.contribution), P.const(e.party),
                    P.const(e.to_date), lo, hi,
                )
            )
        raise CodegenError(f"cannot compile {type(e).__name__}")  # pragma: no cover

    # ------------------------------------------------------------ the module

    def build(self) -> ast.Module:
        p = self.p
        values: dict[str, str] = {}
        for name, d in p.definitions.items():
            if name in self.interp.constants:
                continue
            mark = self.marker(d.span, f"{d.kind} {name}")
            if d.schedule is not None:
                values[name] = self.function(mangle("v", name), mark, None, schedule=d.schedule)
            else:
                values[name] = self.function(mangle("v", name), mark, d.expr)
        thresholds: dict[str, tuple[list[str], list[str]]] = {}
        for name, th in p.thresholds.items():
            conds = [
                self.function("cond", self.marker(r.span, f"threshold {name} rule {i + 1}"), c)
                for i, (r, c) in enumerate(zip(th.rules, th.conditions, strict=True))
            ]
            amounts = [
                self.function("pay", self.marker(a.span, f"threshold {name} pay {k + 1}"), a)
                for k, a in enumerate(th.amounts)
            ]
            thresholds[name] = (conds, amounts)
            self.plans.append(P.assign(mangle("plan", name), self.literal(th.plan)))
        waterfalls: dict[str, str] = {}
        for name, w in p.waterfalls.items():
            waterfalls[name] = self.function(
                mangle("amount", name), self.marker(w.span, f"waterfall {name}"), w.distributes
            )
            self.caps[id(w.distributes)] = waterfalls[name]
            for tier in w.plan.tiers:
                for line in tier.pays:
                    self._cap(line.cap, f"cap of {line.party} in tier {tier.index + 1} of {name}")
                if tier.cap is not None:
                    self._cap(tier.cap, f"cap of tier {tier.index + 1} of {name}")
            self.plans.append(P.assign(mangle("plan", name), self.literal(w.plan)))
        contributions: dict[str, tuple[str, list[str]]] = {}
        for name, c in p.contributions.items():
            mark = self.marker(c.span, f"contribution {name}")
            if c.schedule is not None:
                amount = self.function(mangle("called", name), mark, None, schedule=c.schedule)
            else:
                amount = self.function(mangle("called", name), mark, c.amount)
            keys = [
                self.function("key", self.marker(k.span, f"contribution {name} key {i + 1}"), k)
                for i, k in enumerate(c.keys)
            ]
            contributions[name] = (amount, keys)
            self.plans.append(P.assign(mangle("plan", name), self.literal(c.plan)))
        self.contributions = contributions
        self.plans.append(P.assign("META", self.literal(p.meta)))
        self.plans.append(
            P.assign(
                "MEASURES",
                P.tuple_([P.tuple_([P.const(m.name), P.const(m.type.value)]) for m in p.measures.values()]),
            )
        )
        run_body = self.schedule(values, thresholds, waterfalls)
        return self.module(run_body)

    def _cap(self, cap: ir.Expr, what: str) -> None:
        self.caps[id(cap)] = self.function("cap", self.marker(cap.span, what), cap)

    def schedule(
        self,
        values: dict[str, str],
        thresholds: dict[str, tuple[list[str], list[str]]],
        waterfalls: dict[str, str],
    ) -> list[ast.stmt]:
        """The body of ``run()``: the program's steps as calls of the kernel's driver."""
        p = self.p
        out: list[ast.stmt] = []
        r, n = P.name("r"), P.name("n")
        for step in p.steps:
            if isinstance(step, ir.Recurrence):
                tasks = []
                for task in step.tasks:
                    if task.kind == "value":
                        tasks.append(_call("Task", P.const("value"), P.const(task.name), fn=P.name(values[task.name])))
                    elif task.kind == "contribution":
                        amount, keys = self.contributions[task.name]
                        tasks.append(
                            _call(
                                "Task", P.const("contribution"), P.const(task.name),
                                plan=P.name(mangle("plan", task.name)),
                                amount=P.name(amount),
                                keys=P.tuple_([P.name(k) for k in keys]),
                            )
                        )
                    elif task.kind == "threshold":
                        conds, amounts = thresholds[task.name]
                        tasks.append(
                            _call(
                                "Task", P.const("threshold"), P.const(task.name),
                                plan=P.name(mangle("plan", task.name)),
                                conditions=P.tuple_([P.name(c) for c in conds]),
                                amounts=P.tuple_([P.name(a) for a in amounts]),
                            )
                        )
                    else:
                        tasks.append(
                            _call(
                                "Task", P.const("tier"), P.const(task.name), P.const(task.tier),
                                plan=P.name(mangle("plan", task.name)),
                                amount=P.name(waterfalls[task.name]), cap=_rt("identity"),
                            )
                        )
                ident = self.fresh("tasks")
                self.plans.append(P.assign(ident, P.tuple_(tasks)))
                out.append(P.docstring(f"{self.doc_src} recurrence of {_plain(', '.join(step.names))}"))
                out.append(ast.Expr(P.call(P.attr("r", "recur"), P.name(ident))))
                continue
            name = step.name
            if step.kind == "value":
                d = p.definitions[name]
                out.append(P.docstring(self.marker(d.span, f"{d.kind} {name}")))
                if name in self.interp.constants:
                    fill = P.call(P.attr("r", "fill_constant"), P.const(name), self.constant(self.interp.constants[name]))
                else:
                    fill = P.call(P.attr("r", "fill"), P.const(name), P.name(values[name]))
                out.append(ast.Expr(fill))
            elif step.kind == "contribution":
                c = p.contributions[name]
                amount, keys = self.contributions[name]
                out.append(P.docstring(self.marker(c.span, f"contribution {name}")))
                out.append(
                    ast.Expr(
                        P.call(
                            P.attr("r", "contribute"), P.name(mangle("plan", name)),
                            P.name(amount), P.tuple_([P.name(k) for k in keys]),
                        )
                    )
                )
            elif step.kind == "threshold":
                th = p.thresholds[name]
                conds, amounts = thresholds[name]
                out.append(P.docstring(self.marker(th.span, f"threshold {name}")))
                out.append(
                    ast.Expr(
                        P.call(
                            P.attr("r", "check"),
                            P.name(mangle("plan", name)),
                            P.list_([P.call(P.name(c), r, P.const(0), n) for c in conds]),
                            P.list_([P.call(P.name(a), r, P.const(0), n) for a in amounts]),
                        )
                    )
                )
            else:
                w = p.waterfalls[name]
                out.append(P.docstring(self.marker(w.span, f"waterfall {name}")))
                out.append(
                    ast.Expr(
                        P.call(
                            P.attr("r", "distribute"), P.name(mangle("plan", name)),
                            P.name(waterfalls[name]), _rt("identity"),
                        )
                    )
                )
        return out

    def module(self, run_body: list[ast.stmt]) -> ast.Module:
        src = self.doc_src
        doc = (
            f"Contract module generated by `pact compile` from {src}: do not edit.\n\n"
            "run(rows, key=None, *, strict=False) evaluates the contract month by month\n"
            "over a mapping of months (Period or YYYY-MM text) to rows of measure values\n"
            "and returns the evaluation; run_all(pairs) evaluates a portfolio of (key,\n"
            "rows) pairs; evaluate(...) returns what `pact eval --format\n"
            "json` prints; main() does the same for a CSV or JSON data file:\n"
            "python this_module.py DATA [--by KEY] [--strict]\n"
        )
        head = P.stmts(
            "from pactlang import runtime as _rt\n_rt.require(_V)\nSOURCE = _S\n",
            _V=P.const(RUNTIME_VERSION),
            _S=P.const(Path(self.p.path).name),
        )
        tail = P.stmts(
            '''
def steps(r):
    """The steps of the contract over a run of the kernel: one contract, or a whole portfolio."""
    n = r.n
    _BODY


def run(rows, key=None, *, strict=False):
    """Evaluate the contract over monthly rows: the finished Run of the kernel."""
    with _rt.localcontext(_rt.CONTEXT):
        r = _rt.Run(META, _rt.rows(rows), key, strict=strict)
        steps(r)
        return r.finish()


def run_all(datasets, *, strict=False):
    """Evaluate a portfolio, (key, rows) per contract: a Portfolio of the kernel (the
    whole table, and the run of each contract), evaluated as one run where it can be."""
    return _rt.run_all(META, datasets, _STACK, run, strict=strict)


def evaluate(rows, key=None, *, strict=False):
    """What `pact eval --format json` prints for the same rows."""
    return _rt.result(run(rows, key, strict=strict))


def check_strict(rows, key=None):
    """Raise the EvaluationError of `pact eval --strict` if a measure value is missing."""
    _rt.Run(META, _rt.rows(rows), key, strict=True)


def main(argv=None):
    """Print the JSON result for a data file: DATA [--by KEY] [--strict]."""
    return _rt.main(run, META, MEASURES, argv)


if __name__ == "__main__":
    raise SystemExit(main())
''',
            _BODY=run_body or [ast.Pass()],
            _STACK=P.name("steps") if self.stackable else P.const(None),
        )
        body: list[ast.stmt] = [
            P.docstring(doc), *head, *self.const_defs, *self.defs, *self.wraps, *self.plans, *tail,
        ]
        return ast.Module(body=body, type_ignores=[])


def generate_module(cc: CheckedContract, source_name: str | None = None) -> ast.Module:
    """The module's syntax tree (see :func:`pactlang.codegen.compile_module_source`)."""
    name = source_name if source_name is not None else Path(cc.path).name
    gen = ModuleGen(ContractProgram(cc), name)
    return ast.fix_missing_locations(gen.build())
