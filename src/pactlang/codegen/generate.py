"""``pact compile``: a checked contract as a standalone Python module.

The generated module evaluates the contract month by month exactly as the
interpreter (:mod:`pactlang.engine.evaluate`) does, and returns the dict that
``pact eval --format json`` prints (``report.results.evaluation_dict``).  See
``docs/codegen.md`` for the design; in short:

* one loop over the months runs every construct in the dependency order of
  ``sema`` (``CheckedContract.order``); each let, KPI, threshold and waterfall is
  a block of straight-line Python in that loop, tagged with a string statement
  ``'alliance.pact:42 kpi conversion'`` naming its source line;
* expressions are evaluated eagerly, like the interpreter's column-wise
  closures, with missing values (None) tested inline; windows and lags keep
  their last months in local variables (a padded column past 8 months) or a
  running accumulator (``to date``); ``for N`` rules keep the conditions of
  the previous checks, those before the timeline being False before the term
  and None inside it;
* lets and KPIs that are the same every month are computed here, at compile
  time, with the engine's own value functions; voting power too;
* waterfalls, dispute timelines, rounding of payments and data files go through
  :mod:`pactlang.runtime`, which re-exports the engine's single-home semantics.

Code is built only as :mod:`ast` nodes (:mod:`pactlang.codegen.pyast`) and
printed with :func:`ast.unparse`; DSL names become identifiers through
:mod:`pactlang.codegen.names`; strings of the contract are only ever
:class:`ast.Constant` values.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pactlang.base.types import Type
from pactlang.base.values import CONTEXT, Period
from pactlang.codegen import pyast as P
from pactlang.codegen.names import mangle
from pactlang.kernel import ops as V
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast as A

__all__ = ["CodegenError", "generate_module"]

RUNTIME_VERSION = 1

#: windows up to this many months are unrolled; longer ones slice their column
UNROLL = 8
#: a chain of more operands than this is split into statements
CHAIN = 24

_STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}
_CHECK = {3: (3, 2), 12: (12, 11)}  # step → (modulus, remainder) of check months' indices
_GENERIC_OPS = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
_COMPARE: dict[str, type[ast.cmpop]] = {
    "<": ast.Lt,
    "<=": ast.LtE,
    ">": ast.Gt,
    ">=": ast.GtE,
    "==": ast.Eq,
    "!=": ast.NotEq,
}
_NOFOLD: Any = object()


class CodegenError(Exception):
    """A contract construct the code generator cannot compile."""


@dataclass(frozen=True, slots=True)
class Val:
    """A compiled expression: a node, and whether it may evaluate to None."""

    node: ast.expr
    nullable: bool = True

    @property
    def atomic(self) -> bool:
        return isinstance(self.node, ast.Name | ast.Constant)


@dataclass(slots=True)
class Scope:
    """Where statements go while one construct (or one cap) is compiled."""

    body: list[ast.stmt]
    reader: str  # the construct being compiled (visibility of paid())
    nested: bool = False  # inside a cap function: outer state needs `nonlocal`
    nonlocals: list[str] = field(default_factory=list)
    stateful: bool = False  # holds hidden columns or accumulators


def _plain(text: str) -> str:
    """Text safe to show in a docstring: printable ASCII without quotes or backslashes."""
    return re.sub(r"[^A-Za-z0-9 _.,:/()+=<>-]", "?", text)


def _value_json(value: Any) -> Any:
    from pactlang.present.show import json_value

    return json_value(value)


class ModuleGen:
    def __init__(self, cc: CheckedContract, source_name: str) -> None:
        from pactlang.base.money import minor_digits

        if cc.contract is None:  # pragma: no cover - api.load guarantees a contract
            raise CodegenError("the file holds no contract")
        self.cc = cc
        self.src = source_name
        self.doc_src = _plain(source_name)
        self.digits = minor_digits(cc.currency)
        self.count = 0
        self.consts: dict[tuple[str, str], str] = {}
        self.const_defs: list[ast.stmt] = []
        self.folded: dict[str, Any] = {}
        self.pad = 0  # months of history before the timeline every padded column holds
        self.value_of: dict[str, str] = {}  # measure/let/kpi → local with this month's value
        self.column_of: dict[str, str] = {}  # measure/let/kpi → its column
        self.hidden: list[str] = []  # hidden columns (None-padded)
        self.persist: list[str] = []  # condition columns of `for N` rules (term-padded)
        self.init: list[ast.stmt] = []  # before the month loop
        self.cell_defs: list[ast.stmt] = []  # threshold cells of the result, made per evaluation
        self.caps: list[ast.stmt] = []  # cap functions, defined before the loop
        self.post: list[ast.stmt] = []  # after the loop
        self.uses_month = False  # the loop needs `i`, the month index
        self.payers: dict[tuple[str, str], list[tuple[str, str, str]]] = {}  # pair → [(threshold, pm, pc)]
        self.scope: Scope = Scope([], "")
        self.fold_cache: dict[int, Any] = {}
        self.power_cache: dict[tuple[str, str, str, str], Decimal] = {}
        self.ladders_used: set[str] = set()
        self.order_index = {n: k for k, n in enumerate(cc.order)}

    # ------------------------------------------------------------ naming

    def fresh(self, prefix: str) -> str:
        """A numbered identifier (``x12``): letters and digits, never an underscore."""
        assert prefix.isalpha() and prefix.islower()
        self.count += 1
        return f"{prefix}{self.count}"

    def loc(self, node: Any) -> str:
        return f"{self.doc_src}:{node.span.line}"

    def doc(self, node: Any, what: str, name: str) -> ast.Expr:
        """The marker of a block: ``'alliance.pact:42 kpi conversion'``."""
        return P.docstring(f"{self.loc(node)} {what} {_plain(name)}")

    # ---------------------------------------------------------- constants

    def constant(self, value: Any) -> Val:
        """A value computed at compile time, as a literal or a module constant."""
        if value is None or isinstance(value, bool | str):
            return Val(P.const(value), nullable=value is None)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise CodegenError(f"cannot write the constant {value}")
            return Val(self._module_const("d", str(value), lambda: P.expr("Decimal(_T)", _T=P.const(str(value)))), False)
        if isinstance(value, datetime.date):
            return Val(
                self._module_const(
                    "date",
                    value.isoformat(),
                    lambda: P.expr(
                        "_rt.date(_Y, _M, _D)", _Y=P.const(value.year), _M=P.const(value.month), _D=P.const(value.day)
                    ),
                ),
                False,
            )
        if isinstance(value, Period):
            return Val(
                self._module_const(
                    "period",
                    str(value),
                    lambda: P.expr("_rt.Period(_Y, _M)", _Y=P.const(value.year), _M=P.const(value.month)),
                ),
                False,
            )
        if isinstance(value, V.Duration):
            return Val(
                self._module_const(
                    "duration",
                    f"{value.amount} {value.unit}",
                    lambda: P.expr("_rt.Duration(_N, _U)", _N=P.const(value.amount), _U=P.const(value.unit)),
                ),
                False,
            )
        raise CodegenError(f"cannot write a constant of type {type(value).__name__}")

    def _module_const(self, kind: str, key: str, build: Callable[[], ast.expr]) -> ast.Name:
        ident = self.consts.get((kind, key))
        if ident is None:
            ident = self.fresh("k")
            self.consts[(kind, key)] = ident
            self.const_defs.append(P.assign(ident, build()))
        return P.name(ident)

    def zero(self) -> ast.expr:
        return self.constant(V.ZERO).node

    # ------------------------------------------------------------ folding

    def fold(self, e: A.Expr) -> Any:
        """The value of an expression that is the same every month, else ``_NOFOLD``.

        Computed with the engine's value functions under the engine's context,
        so the constant is exactly what the interpreter computes each month."""
        key = id(e)
        if key not in self.fold_cache:
            try:
                with decimal.localcontext(CONTEXT):
                    self.fold_cache[key] = self._fold(e)
            except (ArithmeticError, TypeError, ValueError, AttributeError):
                self.fold_cache[key] = _NOFOLD
        return self.fold_cache[key]

    def _fold(self, e: A.Expr) -> Any:  # noqa: C901 - one case per node type
        if isinstance(e, A.NumberLit | A.PercentLit):
            return e.value
        if isinstance(e, A.MoneyLit):
            return e.amount
        if isinstance(e, A.StringLit | A.BoolLit | A.DateLit | A.PeriodLit):
            return e.value
        if isinstance(e, A.DurationLit):
            return V.Duration(e.amount, e.unit)
        if isinstance(e, A.MissingLit):
            return None
        if isinstance(e, A.Name):
            return self.folded.get(e.head.name, _NOFOLD) if len(e.parts) == 1 else _NOFOLD
        if isinstance(e, A.Unary):
            a = self.fold(e.operand)
            if a is _NOFOLD:
                return _NOFOLD
            return V.neg(a) if e.op == "-" else V.not3(a)
        if isinstance(e, A.Arith):
            vals = [self.fold(o) for o in e.operands]
            if any(v is _NOFOLD for v in vals):
                return _NOFOLD
            acc = vals[0]
            for op, v in zip(e.ops, vals[1:], strict=True):
                acc = V.ARITH[op](acc, v)
            return acc
        if isinstance(e, A.Logic):
            vals = [self.fold(o) for o in e.operands]
            if any(v is _NOFOLD for v in vals):
                return _NOFOLD
            return V.and3(vals) if e.op == "and" else V.or3(vals)
        if isinstance(e, A.Compare):
            a, b = self.fold(e.left), self.fold(e.right)
            if a is _NOFOLD or b is _NOFOLD:
                return _NOFOLD
            return V.compare(e.op, a, b)
        if isinstance(e, A.IfThenElse):
            c, a, b = self.fold(e.cond), self.fold(e.then), self.fold(e.else_)
            if _NOFOLD in (c, a, b):
                return _NOFOLD
            return None if c is None else (a if c else b)
        if isinstance(e, A.Otherwise):
            a, b = self.fold(e.value), self.fold(e.fallback)
            if a is _NOFOLD or b is _NOFOLD:
                return _NOFOLD
            return a if a is not None else b
        if isinstance(e, A.Call):
            return self._fold_call(e)
        return _NOFOLD

    def _fold_call(self, e: A.Call) -> Any:
        fn = e.func.name
        if fn in ("banzhaf", "shapley"):
            return self.power(e)
        if fn not in ("abs", "round", "min", "max") or _is_window(e):
            return _NOFOLD
        if fn == "round":
            v = self.fold(e.args[0])
            if v is _NOFOLD:
                return _NOFOLD
            return V.round_half_even(v, _int_literal(e.args[1]) if len(e.args) > 1 else 0)
        vals = [self.fold(a) for a in e.args]
        if any(v is _NOFOLD for v in vals):
            return _NOFOLD
        if fn == "abs":
            return None if vals[0] is None else abs(vals[0])
        if any(v is None for v in vals):
            return None
        return min(vals) if fn == "min" else max(vals)

    def power(self, e: A.Call) -> Decimal:
        """``banzhaf``/``shapley``: exact power from the engine, as the interpreter's decimal."""
        from pactlang.kernel import committees as C

        target, party_arg = e.args
        assert isinstance(target, A.Name) and isinstance(party_arg, A.Name)
        committee, decision = target.parts[0].name, target.parts[1].name
        party = party_arg.head.name
        key = (e.func.name, committee, decision, party)
        if key not in self.power_cache:
            c = C.Committee.from_decl(self.cc.committees[committee])
            f = C.banzhaf(c, decision, party) if e.func.name == "banzhaf" else C.shapley(c, decision, party)
            self.power_cache[key] = CONTEXT.divide(Decimal(f.numerator), Decimal(f.denominator))
        return self.power_cache[key]

    # --------------------------------------------------------- statements

    def emit(self, *stmts: ast.stmt) -> None:
        self.scope.body.extend(stmts)

    def atom(self, v: Val) -> Val:
        """``v`` as a name or a literal: a temporary when it is an expression."""
        if v.atomic:
            return v
        tmp = self.fresh("x")
        self.emit(P.assign(tmp, v.node))
        return Val(P.name(tmp), v.nullable)

    def state(self, ident: str) -> None:
        """``ident`` is state kept across months, assigned in the current scope."""
        self.scope.stateful = True
        if self.scope.nested and ident not in self.scope.nonlocals:
            self.scope.nonlocals.append(ident)

    # -------------------------------------------------------- expressions

    def compile(self, e: A.Expr) -> Val:
        folded = self.fold(e)
        if folded is not _NOFOLD:
            return self.constant(folded)
        if isinstance(e, A.Name):
            return self._name(e)
        if isinstance(e, A.Unary):
            return self._unary(e)
        if isinstance(e, A.Arith):
            return self._arith(e)
        if isinstance(e, A.Logic):
            return self._logic(e)
        if isinstance(e, A.Compare):
            return self._compare(e)
        if isinstance(e, A.IfThenElse):
            c, a, b = self.atom(self.compile(e.cond)), self.atom(self.compile(e.then)), self.atom(self.compile(e.else_))
            node: ast.expr = P.if_exp(c.node, a.node, b.node)
            if c.nullable:
                node = P.if_exp(P.is_none(c.node), P.const(None), node)
            return Val(node, c.nullable or a.nullable or b.nullable)
        if isinstance(e, A.Otherwise):
            a = self.atom(self.compile(e.value))
            if not a.nullable:
                return a  # the fallback is never used (and has no effect)
            b = self.atom(self.compile(e.fallback))
            return Val(P.expr("_A if _A is not None else _B", _A=a.node, _B=b.node), b.nullable)
        if isinstance(e, A.Call):
            return self._call(e)
        raise CodegenError(f"line {e.span.line}: cannot compile {type(e).__name__} here")

    def _name(self, e: A.Name) -> Val:
        name = e.head.name
        ident = self.value_of.get(name)
        if ident is None or len(e.parts) != 1:
            raise CodegenError(f"line {e.span.line}: `{e.dotted}` is not a value computed before this point")
        return Val(P.name(ident))

    def _unary(self, e: A.Unary) -> Val:
        a = self.atom(self.compile(e.operand))
        node: ast.expr
        if e.op == "-":
            node = ast.UnaryOp(op=ast.USub(), operand=a.node)
        else:
            node = ast.UnaryOp(op=ast.Not(), operand=a.node)
        if a.nullable:
            node = P.if_exp(P.is_none(a.node), P.const(None), node)
        return Val(node, a.nullable)

    def _arith(self, e: A.Arith) -> Val:
        ops = list(e.ops)
        vals = [self.atom(self.compile(o)) for o in e.operands]
        numeric = all(
            self.cc.type_of(o) not in (Type.DATE, Type.DURATION, Type.PERIOD) for o in e.operands
        )
        if not numeric:
            result = vals[0]
            for op, v in zip(ops, vals[1:], strict=True):
                result = self.atom(Val(P.call(P.attr("_rt", _GENERIC_OPS[op]), result.node, v.node)))
            return result
        # missing when any operand is missing or any divisor is zero (`not b` tests both)
        tests: list[ast.expr] = []
        for k, v in enumerate(vals):
            if k and ops[k - 1] == "/":
                if isinstance(v.node, ast.Constant) and v.node.value is None:
                    return Val(P.const(None))
                if v.nullable or not self._nonzero_const(v):
                    tests.append(ast.UnaryOp(op=ast.Not(), operand=v.node))
            elif v.nullable:
                tests.append(P.is_none(v.node))
        if len(vals) <= CHAIN:
            chain: ast.expr = vals[0].node
            for op, v in zip(ops, vals[1:], strict=True):
                chain = P.binop(chain, op, v.node)
            if not tests:
                return Val(chain, False)
            return Val(P.if_exp(P.any_of(tests), P.const(None), chain))
        # a long chain: statements of CHAIN operands each, skipped once a test holds
        guard: ast.expr | None = None
        if tests:
            guard = self.atom(Val(P.any_of(tests), False)).node
        acc: ast.expr = vals[0].node
        for k in range(0, len(ops), CHAIN):
            part: ast.expr = acc
            for op, v in zip(ops[k : k + CHAIN], vals[k + 1 : k + 1 + CHAIN], strict=True):
                part = P.binop(part, op, v.node)
            acc = self.atom(Val(part if guard is None else P.if_exp(guard, P.const(None), part))).node
        return Val(acc, guard is not None)

    def _nonzero_const(self, v: Val) -> bool:
        """Whether ``v`` is a module constant known to be a nonzero number."""
        if not isinstance(v.node, ast.Name):
            return False
        for (kind, key), ident in self.consts.items():
            if ident == v.node.id:
                return kind == "d" and Decimal(key) != 0
        return False

    def _logic(self, e: A.Logic) -> Val:
        vals = [self.atom(self.compile(o)) for o in e.operands]
        win, lose = (False, True) if e.op == "and" else (True, False)  # `and`: False wins
        missing_const = False
        live: list[Val] = []
        for v in vals:
            if isinstance(v.node, ast.Constant) and (v.node.value is None or isinstance(v.node.value, bool)):
                if v.node.value is win:
                    return Val(P.const(win), False)  # the other operands cannot change it
                if v.node.value is None:
                    missing_const = True
                continue  # the neutral constant
            live.append(v)
        if not live:
            return Val(P.const(None if missing_const else lose), missing_const)
        wins = P.any_of([P.is_const(v.node, win) for v in live])
        nulls = [P.is_none(v.node) for v in live if v.nullable]
        if missing_const:
            rest: ast.expr = P.const(None)
        elif nulls:
            rest = P.if_exp(P.any_of(nulls), P.const(None), P.const(lose))
        else:
            rest = P.const(lose)
        return Val(P.if_exp(wins, P.const(win), rest), missing_const or bool(nulls))

    def _compare(self, e: A.Compare) -> Val:
        a, b = self.atom(self.compile(e.left)), self.atom(self.compile(e.right))
        node: ast.expr = ast.Compare(left=a.node, ops=[_COMPARE[e.op]()], comparators=[b.node])
        tests = [P.is_none(v.node) for v in (a, b) if v.nullable]
        if isinstance(a.node, ast.Constant) and a.node.value is None or isinstance(b.node, ast.Constant) and b.node.value is None:
            return Val(P.const(None))
        if tests:
            return Val(P.if_exp(P.any_of(tests), P.const(None), node))
        return Val(node, False)

    # ------------------------------------------------------------ calls

    def _call(self, e: A.Call) -> Val:
        fn = e.func.name
        if _is_window(e):
            return self._window(e)
        if fn == "previous":
            return self._previous(e)
        if fn == "abs":
            a = self.atom(self.compile(e.args[0]))
            node: ast.expr = P.call(P.builtin("abs"), a.node)
            return Val(P.if_exp(P.is_none(a.node), P.const(None), node) if a.nullable else node, a.nullable)
        if fn == "round":
            a = self.atom(self.compile(e.args[0]))
            digits = _int_literal(e.args[1]) if len(e.args) > 1 else 0
            return Val(P.call(P.attr("_rt", "round_half_even"), a.node, P.const(digits)), a.nullable)
        if fn in ("min", "max"):
            vals = [self.atom(self.compile(a)) for a in e.args]
            node = P.call(P.builtin(fn), *(v.node for v in vals))
            tests = [P.is_none(v.node) for v in vals if v.nullable]
            return Val(P.if_exp(P.any_of(tests), P.const(None), node) if tests else node, bool(tests))
        if fn in ("distributed", "retained"):
            return self._distributed(e)
        if fn == "paid":
            return self._paid(e)
        if fn == "status":
            target = e.args[0]
            assert isinstance(target, A.Name)
            return Val(P.name(mangle("s", target.head.name)))
        raise CodegenError(f"line {e.span.line}: cannot compile a call of `{fn}`")

    def _source(self, inner: A.Expr) -> tuple[str, Val]:
        """The column a long window or lag reads, and this month's value.

        A measure, let or KPI has its own column; any other expression gets a
        hidden column, filled every month."""
        if isinstance(inner, A.Name) and len(inner.parts) == 1 and inner.head.name in self.column_of:
            name = inner.head.name
            return self.column_of[name], Val(P.name(self.value_of[name]))
        cur = self.atom(self.compile(inner))
        col = self.fresh("h")
        self.hidden.append(col)
        self.state(col)
        self.emit(*P.stmts("_H[u] = _V", _H=col, _V=cur.node))
        return col, cur

    def _rolling(self, count: int, cur: Val) -> list[str]:
        """``count`` locals holding the values of the ``count`` months before this
        one (oldest first; None before the timeline), and the statements that
        move them on by a month, emitted by :meth:`_roll` once they are read."""
        names = [self.fresh("r") for _ in range(count)]
        for r in names:
            self.init.append(P.assign(r, P.const(None)))
            self.state(r)
        return names

    def _roll(self, names: list[str], cur: Val) -> None:
        for older, newer in zip(names, names[1:], strict=False):
            self.emit(P.assign(older, P.name(newer)))
        self.emit(P.assign(names[-1], cur.node))

    def _window(self, e: A.Call) -> Val:
        func = e.func.name
        spec = e.args[1]
        if isinstance(spec, A.DurationLit):
            n = V.window_months(V.Duration(spec.amount, spec.unit))
            if n < 1:
                raise CodegenError(f"line {e.span.line}: a window spans at least 1 month")
            if n > UNROLL:
                col, cur = self._source(e.args[0])
                self.pad = max(self.pad, n - 1)
                helper = {"sum": "wsum", "avg": "wavg", "min": "wmin", "max": "wmax"}[func]
                return Val(P.expr(f"_rt.{helper}(_C[u - _N:u + 1])", _C=col, _N=P.const(n - 1)))
            cur = self.atom(self.compile(e.args[0]))
            if n == 1:
                items = [cur]
                names: list[str] = []
            else:
                names = self._rolling(n - 1, cur)
                items = [Val(P.name(r)) for r in names] + [cur]
            tests = [P.is_none(v.node) for v in items if v.nullable]
            total = _aggregate(func, [v.node for v in items], self.zero(), n)
            node = P.if_exp(P.any_of(tests), P.const(None), total) if tests else total
            if not names:
                return Val(node, bool(tests))
            value = self.fresh("x")
            self.emit(P.assign(value, node))  # computed before the locals move on
            self._roll(names, cur)
            return Val(P.name(value), bool(tests))
        # running windows: `to date` from the first month, `year to date` from January
        ytd = isinstance(spec, A.YearToDate)
        cur = self.atom(self.compile(e.args[0]))
        acc = self.fresh("a")
        self.state(acc)
        start: ast.expr = self.zero() if func in ("sum", "avg") else P.attr("_rt", "FIRST")
        self.init.append(P.assign(acc, start))
        if ytd:
            self.uses_month = True
            self.emit(*P.stmts("if i % 12 == 0:\n    _A = _S", _A=acc, _S=start))
        if func in ("sum", "avg"):
            self.emit(P.assign(acc, P.expr("None if _A is None or _V is None else _A + _V", _A=acc, _V=cur.node)))
            if func == "sum":
                return Val(P.name(acc))
            count = P.expr("min(t + 1, i % 12 + 1)") if ytd else P.expr("t + 1")
            return Val(P.expr("None if _A is None else _A / _K", _A=acc, _K=count))
        better = "_V < _A" if func == "min" else "_V > _A"
        self.emit(
            P.assign(
                acc,
                P.expr(
                    f"_V if _A is _rt.FIRST else (None if _A is None or _V is None else (_V if {better} else _A))",
                    _A=acc,
                    _V=cur.node,
                ),
            )
        )
        return Val(P.name(acc))

    def _previous(self, e: A.Call) -> Val:
        n = 1
        if len(e.args) > 1:
            d = e.args[1]
            assert isinstance(d, A.DurationLit)
            n = V.window_months(V.Duration(d.amount, d.unit))
        if n < 1:
            raise CodegenError(f"line {e.span.line}: `previous` looks at least 1 month back")
        if n > UNROLL:
            col, _ = self._source(e.args[0])
            self.pad = max(self.pad, n)
            return Val(P.subscript(P.name(col), P.offset("u", -n)))
        cur = self.atom(self.compile(e.args[0]))
        names = self._rolling(n, cur)
        value = self.fresh("x")
        self.emit(P.assign(value, P.name(names[0])))  # read before the locals move on
        self._roll(names, cur)
        return Val(P.name(value))

    def _distributed(self, e: A.Call) -> Val:
        target = e.args[0]
        assert isinstance(target, A.Name)
        fund = target.parts[0].name
        tier = target.parts[1].name if len(target.parts) > 1 else None
        party: str | None = None
        cumulative = False
        for a in e.args[1:]:
            if isinstance(a, A.ToDate):
                cumulative = True
            elif isinstance(a, A.Name):
                party = a.head.name
        self.uses_month = True
        missing = mangle("wa" if cumulative else "wm", fund)
        state = mangle("ws", fund)
        if e.func.name == "retained":
            fn = "w_retained_through" if cumulative else "w_retained"
            value = P.call(P.attr("_rt", fn), P.name(state), P.name("i"))
        else:
            fn = "w_paid_through" if cumulative else "w_paid"
            value = P.call(P.attr("_rt", fn), P.name(state), P.const(tier), P.const(party), P.name("i"))
        return Val(P.if_exp(P.name(missing), P.const(None), value))

    def _paid(self, e: A.Call) -> Val:
        payer, payee = e.args[0], e.args[1]
        assert isinstance(payer, A.Name) and isinstance(payee, A.Name)
        cumulative = len(e.args) > 2 and isinstance(e.args[2], A.ToDate)
        reader = self.order_index.get(self.scope.reader, len(self.order_index))
        visible = [
            (pm, pc)
            for thr, pm, pc in self.payers.get((payer.head.name, payee.head.name), [])
            if self.order_index[thr] < reader
        ]
        if not visible:
            return Val(self.zero(), False)
        parts = [P.name(pc if cumulative else pm) for pm, pc in visible]
        node: ast.expr = parts[0]
        for p in parts[1:]:
            node = P.binop(node, "+", p)
        return Val(node, False)

    # --------------------------------------------------------- constructs

    def construct_block(self, name: str) -> list[ast.stmt]:
        cc = self.cc
        self.scope = Scope([], name)
        if name in cc.lets:
            self._let(cc.lets[name])
        elif name in cc.kpis:
            self._kpi(cc.kpis[name])
        elif name in cc.thresholds:
            self._threshold(cc.thresholds[name])
        elif name in cc.waterfalls:
            self._waterfall(cc.waterfalls[name])
        return self.scope.body

    def _value_construct(self, name: str, value: Val) -> None:
        v = mangle("v", name)
        body = self.scope.body
        node = value.node
        if isinstance(node, ast.Name) and node.id.startswith("x"):
            # the value is a temporary of this block: give it the construct's name
            # instead of copying it (temporaries are assigned once)
            defs = [
                k
                for k, st in enumerate(body)
                if isinstance(st, ast.Assign) and isinstance(st.targets[0], ast.Name) and st.targets[0].id == node.id
            ]
            if len(defs) == 1:
                body[defs[0]:] = [_rename(st, node.id, v) for st in body[defs[0]:]]
                self.emit(*P.stmts("_C[u] = _V", _C=self.column_of[name], _V=v))
                return
        self.emit(P.assign(v, node))
        self.emit(*P.stmts("_C[u] = _V", _C=self.column_of[name], _V=v))

    def _let(self, decl: A.LetDecl) -> None:
        name = decl.name.name
        if name in self.folded or self.column_of.get(name) != mangle("c", name):
            return  # computed at compile time, or an alias of another column
        self.emit(self.doc(decl, "let", name))
        if isinstance(decl.value, A.Schedule):
            self.uses_month = True
            entries = [(e.start.value, self.atom(self.compile(e.value))) for e in decl.value.entries]
            # the latest entry (in the order written) whose month has come; missing before
            node: ast.expr = P.const(None)
            for start, val in entries:
                node = P.if_exp(P.expr("i >= _S", _S=P.const(start.year * 12 + start.month - 1)), val.node, node)
            self._value_construct(name, Val(node))
            return
        self._value_construct(name, self.compile(decl.value))

    def _kpi(self, decl: A.KpiDecl) -> None:
        name = decl.name.name
        if name in self.folded or self.column_of.get(name) != mangle("c", name):
            return
        self.emit(self.doc(decl, "kpi", name))
        self._value_construct(name, self.compile(decl.expr))

    # --------------------------------------------------------- thresholds

    def _threshold(self, decl: A.ThresholdDecl) -> None:
        name = decl.name.name
        cadence = decl.checked.value if decl.checked else "monthly"
        step = _STEP[cadence]
        s = mangle("s", name)
        self.emit(self.doc(decl, "threshold", name))
        # this month's payments by this threshold start at zero
        for entries in self.payers.values():
            for thr, pm, _ in entries:
                if thr == name:
                    self.emit(P.assign(pm, self.zero()))
                    self.state(pm)
        # conditions: computed every month like the interpreter's columns
        raw = [self.atom(self.compile(rule.cond)) for rule in decl.rules]
        # `for N`: combined with the N-1 checks before, at checks only
        combine: list[ast.stmt] = []
        conds: list[Val] = []
        for rule, cond in zip(decl.rules, raw, strict=True):
            count = rule.persistence.count if rule.persistence else 1
            if count > 1:
                conds.append(self._persist(cond, count, step, combine))
            else:
                conds.append(cond)
        # pay amounts: computed every month like the interpreter's columns
        amounts: dict[int, Val] = {}
        for any_rule in (*decl.rules, decl.otherwise):
            for action in any_rule.actions if any_rule is not None else ():
                if isinstance(action, A.PayAction):
                    amounts[id(action)] = self.atom(self.compile(action.amount))
        # the month's cell of the JSON result, one object per outcome (shared by
        # the months with that outcome); `check` False between checks
        cells = mangle("st", name)
        carry = mangle("cy", name)
        monthly = step == 1

        def cell(status: str | None, rule: int | None) -> list[ast.stmt]:
            """Statements recording an outcome at a check."""
            checked = self._cell(status, True, rule)
            out: list[ast.stmt] = [
                P.assign(s, P.const(status)),
                *P.stmts("_ST[t] = _C", _ST=cells, _C=checked),
            ]
            if not monthly:
                out.append(P.assign(carry, P.name(self._cell(status, False, rule))))
            return out

        outcomes: list[tuple[ast.expr | None, list[ast.stmt]]] = []
        for k, (rule, cond) in enumerate(zip(decl.rules, conds, strict=True)):
            test = P.is_const(cond.node, True)
            outcomes.append((test, [*cell(rule.status.value, k + 1), *self._actions(decl, k + 1, rule.actions, amounts)]))
        nulls = [P.is_none(c.node) for c in conds if c.nullable]
        if nulls:  # no rule held and a condition was missing
            outcomes.append((P.any_of(nulls), cell("no-data", None)))
        other_status = decl.otherwise.status.value if decl.otherwise else "ok"
        other_actions = decl.otherwise.actions if decl.otherwise else ()
        outcomes.append((None, [*cell(other_status, 0), *self._actions(decl, 0, other_actions, amounts)]))
        walk = list(combine) + _first_match(outcomes, self.fresh("dec"))
        if monthly:
            self.emit(*walk)
        else:
            self.uses_month = True
            modulus, rest = _CHECK[step]
            self.init.append(P.assign(carry, P.name(self._cell(None, False, None))))
            self.state(carry)
            self.emit(
                *P.stmts(
                    "if i % _M == _K:\n    _WALK\nelse:\n    _ST[t] = _CY",
                    _M=P.const(modulus),
                    _K=P.const(rest),
                    _WALK=walk,
                    _ST=cells,
                    _CY=carry,
                )
            )
        self.state(s)

    def _cell(self, status: str | None, check: bool, rule: int | None) -> str:
        """The (per evaluation) dict ``{"status", "check", "rule"}`` of one outcome."""
        key = ("cell", repr((status, check, rule)))
        ident = self.consts.get(key)
        if ident is None:
            ident = self.fresh("cell")
            self.consts[key] = ident
            self.cell_defs.append(
                P.assign(
                    ident,
                    P.dict_(
                        [
                            (P.const("status"), P.const(status)),
                            (P.const("check"), P.const(check)),
                            (P.const("rule"), P.const(rule)),
                        ]
                    ),
                )
            )
        return ident

    def _persist(self, cond: Val, count: int, step: int, out: list[ast.stmt]) -> Val:
        """``for N``: this check's condition and the N-1 checks before it, combined as
        the engine does (False wins, then missing); statements go to ``out``, which
        runs at checks only.  A check before the timeline counts as False before
        the term and as missing inside it (:func:`pactlang.runtime.persistence_start`)."""
        v = self.fresh("q")
        earlier = count - 1
        if earlier <= UNROLL:
            # the raw conditions of the previous checks, most recent first
            names = [self.fresh("w") for _ in range(earlier)]
            stores: list[ast.expr] = [P.store(w) for w in names]
            start: ast.expr = P.expr(
                "_rt.persistence_start(i0, _N, _S, START)", _N=P.const(earlier), _S=P.const(step)
            )
            if self.cc.effective is None:  # no term start: every check before the data is False
                stores, start = [P.store(w) for w in names], P.const(False)
                self.init.append(ast.Assign(targets=stores, value=start, lineno=0))
            else:
                self.init.append(
                    ast.Assign(targets=[ast.Tuple(elts=stores, ctx=ast.Store())], value=start, lineno=0)
                )
            for w in names:
                self.state(w)
            falses = P.any_of([P.is_const(P.name(w), False) for w in names])
            nones = P.any_of([P.is_none(P.name(w)) for w in names])
            out.extend(
                P.stmts(
                    "_V = _C\nif _V is not False:\n    if _F:\n        _V = False\n    elif _N:\n        _V = None",
                    _V=v,
                    _C=cond.node,
                    _F=falses,
                    _N=nones,
                )
            )
            for newer, older in reversed(list(zip(names, names[1:], strict=False))):
                out.append(P.assign(older, P.name(newer)))
            out.append(P.assign(names[0], cond.node))
            return Val(P.name(v))
        # many checks: a column of the raw condition, padded before the timeline
        col = self.fresh("pq")
        self.persist.append(col)
        self.pad = max(self.pad, earlier * step)
        self.emit(*P.stmts("_C[u] = _V", _C=col, _V=cond.node))
        x = self.fresh("x")
        out.extend(
            P.stmts(
                "_V = _COND\nif _V is not False:\n    _E = _C[u - _LO:u:_S]\n"
                "    if False in _E:\n        _V = False\n    elif None in _E:\n        _V = None",
                _V=v,
                _COND=cond.node,
                _E=x,
                _C=col,
                _LO=P.const(earlier * step),
                _S=P.const(step),
            )
        )
        return Val(P.name(v))

    def _actions(
        self, decl: A.ThresholdDecl, rule: int, actions: Sequence[A.Action], amounts: dict[int, Val]
    ) -> list[ast.stmt]:
        thr = decl.name.name
        tidx = P.const(list(self.cc.thresholds).index(thr))
        out: list[ast.stmt] = []
        for action in actions:
            once = P.const(action.once)
            fired: list[ast.stmt]
            if isinstance(action, A.PayAction):
                pair = (action.payer.name, action.payee.name)
                accs = [(pm, pc) for t, pm, pc in self.payers.get(pair, []) if t == thr]
                amount = amounts[id(action)]
                fired = P.stmts(
                    "amt, text, note = _rt.pay_amount(_RAW, _DIGITS)\n"
                    "pays.append((t, _TIDX, {'period': months[t], 'threshold': _THR, 'rule': _RULE, "
                    "'from': _FROM, 'to': _TO, 'amount': text, 'label': _LABEL, 'once': _ONCE, 'note': note}, None))",
                    _RAW=amount.node,
                    _DIGITS=P.const(self.digits),
                    _TIDX=tidx,
                    _THR=P.const(thr),
                    _RULE=P.const(rule),
                    _FROM=P.const(action.payer.name),
                    _TO=P.const(action.payee.name),
                    _LABEL=P.const(action.label.value if action.label else None),
                    _ONCE=once,
                )
                for pm, pc in accs:  # what paid(payer, payee) reads
                    fired.extend(P.stmts("if amt is not None:\n    _PM = _PM + amt\n    _PC = _PC + amt", _PM=pm, _PC=pc))
            elif isinstance(action, A.EscalateAction):
                self.uses_month = True
                self.ladders_used.add(action.ladder.name)
                fired = P.stmts(
                    "acts.append((t, _TIDX, {'period': months[t], 'threshold': _THR, 'rule': _RULE, "
                    "'kind': 'escalate', 'ladder': _LADDER, 'opened': _rt.last_day(i), 'parties': [], "
                    "'text': None, 'once': _ONCE}, _LADDER))",
                    _TIDX=tidx,
                    _THR=P.const(thr),
                    _RULE=P.const(rule),
                    _LADDER=P.const(action.ladder.name),
                    _ONCE=once,
                )
            elif isinstance(action, A.NotifyAction):
                fired = P.stmts(
                    "acts.append((t, _TIDX, {'period': months[t], 'threshold': _THR, 'rule': _RULE, "
                    "'kind': 'notify', 'ladder': None, 'opened': None, 'parties': _PARTIES, "
                    "'text': None, 'once': _ONCE}, None))",
                    _TIDX=tidx,
                    _THR=P.const(thr),
                    _RULE=P.const(rule),
                    _PARTIES=P.list_([P.const(p.name) for p in action.parties]),
                    _ONCE=once,
                )
            else:
                fired = P.stmts(
                    "acts.append((t, _TIDX, {'period': months[t], 'threshold': _THR, 'rule': _RULE, "
                    "'kind': 'action', 'ladder': None, 'opened': None, 'parties': [], "
                    "'text': _TEXT, 'once': _ONCE}, None))",
                    _TIDX=tidx,
                    _THR=P.const(thr),
                    _RULE=P.const(rule),
                    _TEXT=P.const(action.text.value),
                    _ONCE=once,
                )
            if action.once:
                flag = self.fresh("once")
                self.init.append(P.assign(flag, P.const(False)))
                self.state(flag)
                fired = P.stmts("if not _F:\n    _F = True\n    _BODY", _F=flag, _BODY=fired)
            out.extend(fired)
        return out

    # --------------------------------------------------------- waterfalls

    def _waterfall(self, decl: A.WaterfallDecl) -> None:
        fund = decl.name.name
        self.uses_month = True
        self.emit(self.doc(decl, "waterfall", fund))
        amount = self.atom(self.compile(decl.distributes))
        wm, wa, ws, wr, wp = (mangle(r, fund) for r in ("wm", "wa", "ws", "wr", "wp"))
        for ident in (wm, wa):
            self.state(ident)
        outer = self.scope
        # caps: one function each, called by the engine's distribute_month, tier by tier
        tiers: list[ast.expr] = []
        cap_fns: list[tuple[int, str, bool]] = []
        key = 0
        for index, tier in enumerate(decl.tiers):
            tname = tier.name.name if tier.name else None
            label = tier.labels.get()
            if tier.pays:
                lines = []
                for pay in tier.pays:
                    fn, stateful = self._cap_function(fund, index, tname, pay.party.name, pay.cap)
                    cap_fns.append((key, fn, stateful))
                    lines.append(P.tuple_([P.const(pay.party.name), P.const(key)]))
                    key += 1
                mode = tier.mode or "pro_rata"
                tiers.append(
                    P.tuple_([P.const(tname), P.const(label), P.const("capped"), P.const(mode), P.tuple_(lines), P.const(None)])
                )
            else:
                shares = [
                    P.tuple_([P.const(s.party.name), self.constant(s.share.value).node, P.const(s.share.text)])
                    for s in tier.splits
                ]
                cap_key: ast.expr = P.const(None)
                if tier.cap is not None:
                    fn, stateful = self._cap_function(fund, index, tname, None, tier.cap)
                    cap_fns.append((key, fn, stateful))
                    cap_key = P.const(key)
                    key += 1
                tiers.append(
                    P.tuple_([P.const(tname), P.const(label), P.const("split"), P.const(None), P.tuple_(shares), cap_key])
                )
        self.scope = outer
        plan = mangle("plan", fund)
        capof = mangle("capof", fund)
        self.init.extend(
            P.stmts(
                "_PLAN = _rt.waterfall_plan(_NAME, _LABEL, _PARTIES, _TIERS)\n"
                "_WS = _rt.waterfall_state(_PLAN, CURRENCY)\n"
                "_WM = False\n_WA = False\n_WR = []\n_WP = []",
                _PLAN=plan,
                _NAME=P.const(fund),
                _LABEL=P.const(decl.labels.get()),
                _PARTIES=P.tuple_([P.const(p) for p in self.cc.parties]),
                _TIERS=P.tuple_(tiers),
                _WS=ws,
                _WM=wm,
                _WA=wa,
                _WR=wr,
                _WP=wp,
            )
        )
        self.caps.extend(
            P.stmts(
                "_CAPOF = _rt.cap_dispatch(_CAPS)",
                _CAPOF=capof,
                _CAPS=P.dict_([(P.const(k), P.name(fn)) for k, fn, _ in cap_fns]),
            )
        )
        commit: list[ast.stmt] = [ast.Expr(value=P.call(P.name(fn))) for _, fn, stateful in cap_fns if stateful]
        missing_row = P.expr(
            "{'period': months[t], 'amount': None, 'tiers': [], 'paid': {}, 'retained': None}"
        )
        self.emit(
            *P.stmts(
                "if _AMT is None:\n"
                "    _WM = True\n    _WA = True\n    _WR.append(_MISSING)\n    _COMMIT\n"
                "else:\n"
                "    _WM = False\n"
                "    try:\n"
                "        d = _rt.distribute(_PLAN, _WS, i, _AMT, CURRENCY, _CAPOF)\n"
                "    except _rt.WaterfallInputError as exc:\n"
                "        _WP.append(_PREFIX + str(exc))\n"
                "        _WM = True\n        _WA = True\n        _WR.append(_MISSING)\n        _COMMIT\n"
                "    else:\n"
                "        _WR.append(_rt.waterfall_row(d))",
                _AMT=amount.node,
                _WM=wm,
                _WA=wa,
                _WR=wr,
                _WP=wp,
                _WS=ws,
                _PLAN=plan,
                _CAPOF=capof,
                _MISSING=missing_row,
                _PREFIX=P.const(f"waterfall `{fund}`: "),
                _COMMIT=commit or [ast.Pass()],
            )
        )
        self.post.extend(P.stmts("if _WP:\n    raise _rt.evaluation_error(_WP)", _WP=wp))

    def _cap_function(
        self, fund: str, index: int, tier: str | None, party: str | None, cap: A.Expr
    ) -> tuple[str, bool]:
        """A nested function computing one cap this month (``nonlocal`` for its state)."""
        fn = self.fresh("cap")
        self.scope = Scope([], fund, nested=True)
        value = self.compile(cap)
        body = self.scope.body
        where = f"tier {index + 1}" + (f" {tier}" if tier else "")
        whose = f"cap of {party}" if party else "cap of the tier"
        doc = self.doc(cap, f"{whose} in {where} of waterfall", fund)
        head: list[ast.stmt] = [doc]
        if self.scope.nonlocals:
            head.append(ast.Nonlocal(names=list(self.scope.nonlocals)))
        func = P.stmts("def _F():\n    _BODY\n    return _V", _F=fn, _BODY=[*head, *body], _V=value.node)
        self.caps.extend(func)
        return fn, self.scope.stateful

    # ------------------------------------------------------------- module

    def plan_values(self) -> None:
        """Which lets/KPIs are constants, which alias a column, and the others' names."""
        cc = self.cc
        for name in cc.measures:
            self.value_of[name] = mangle("v", name)
            self.column_of[name] = mangle("c", name)
        for name in cc.order:
            if name in cc.lets or name in cc.kpis:
                expr = cc.kpis[name].expr if name in cc.kpis else cc.lets[name].value
                if not isinstance(expr, A.Schedule):
                    value = self.fold(expr)
                    if value is not _NOFOLD:
                        self.folded[name] = value
                        self.fold_cache.clear()  # later folds may now see this name
                        continue
                    if (
                        isinstance(expr, A.Name)
                        and len(expr.parts) == 1
                        and expr.head.name in self.column_of
                    ):
                        target = expr.head.name
                        self.value_of[name] = self.value_of[target]
                        self.column_of[name] = self.column_of[target]
                        continue
                self.value_of[name] = mangle("v", name)
                self.column_of[name] = mangle("c", name)
        # payments each threshold makes, for the pairs paid(p, q) reads
        read = _paid_pairs(cc)
        for thr, decl in cc.thresholds.items():
            for rule in (*decl.rules, decl.otherwise):
                if rule is None:
                    continue
                for action in rule.actions:
                    if isinstance(action, A.PayAction):
                        pair = (action.payer.name, action.payee.name)
                        if pair not in read:
                            continue
                        entries = self.payers.setdefault(pair, [])
                        if not any(t == thr for t, _, _ in entries):
                            pm, pc = self.fresh("pm"), self.fresh("pc")
                            entries.append((thr, pm, pc))
                            self.init.append(P.assign(pc, self.zero()))
                            self.init.append(P.assign(pm, self.zero()))

    def build(self) -> ast.Module:
        cc = self.cc
        self.plan_values()
        loop: list[ast.stmt] = []
        for name in cc.order:
            loop.extend(self.construct_block(name))
        # which measures the loop reads
        read = {n for n in cc.measures if _mentions(loop + self.caps, self.value_of[n])}
        head: list[ast.stmt] = []
        if self.pad:
            head.append(P.assign("u", P.expr("t + _P", _P=P.const(self.pad))))
        if self.uses_month or _mentions(loop + self.caps, "i"):
            head.append(P.assign("i", P.expr("i0 + t")))
        zipped = [n for n in cc.measures if n in read] if not self.pad else []
        if not zipped:
            for n in cc.measures:
                if n in read:
                    head.append(P.assign(self.value_of[n], P.subscript(P.name(self.column_of[n]), P.name("u"))))
        body = head + loop
        if not self.pad:
            # no history: columns are indexed by t
            body = [_rename_u(s) for s in body]
            self.caps = [_rename_u(s) for s in self.caps]
        return self._module(body, zipped)

    def _module(self, loop_body: list[ast.stmt], zipped: list[str]) -> ast.Module:
        cc = self.cc
        measures = list(cc.measures)
        pad = P.const(self.pad)
        prologue: list[ast.stmt] = [
            P.docstring(f"Evaluate the contract of {self.doc_src} (line {cc.contract.span.line}) over monthly rows."),
            *P.stmts(
                "i0, n, rowlist, warnings = _rt.timeline(rows, START, END)\n"
                "months = _rt.month_labels(i0, n)"
            ),
        ]
        if measures:
            targets: list[ast.expr] = [P.store(self.column_of[m]) for m in measures]
            prologue.append(
                ast.Assign(
                    targets=[ast.Tuple(elts=targets, ctx=ast.Store())] if len(targets) > 1 else [targets[0]],
                    value=P.expr("_rt.measure_columns(rowlist, MEASURE_NAMES, _P)", _P=pad)
                    if len(targets) > 1
                    else P.expr("_rt.measure_columns(rowlist, MEASURE_NAMES, _P)[0]", _P=pad),
                    lineno=0,
                )
            )
            prologue.extend(
                P.stmts(
                    "if strict:\n    _rt.check_strict(months, MEASURE_NAMES, _COLS, _P, key)",
                    _COLS=P.list_([P.name(self.column_of[m]) for m in measures]),
                    _P=pad,
                )
            )
        # columns of lets and KPIs, hidden and persistence columns
        own = [
            self.column_of[n]
            for n in cc.order
            if (n in cc.lets or n in cc.kpis) and n not in self.folded and self.column_of[n] == mangle("c", n)
        ]
        for col in own + self.hidden:
            prologue.append(P.assign(col, P.expr("[None] * (n + _P)", _P=pad) if self.pad else P.expr("[None] * n")))
        for col in self.persist:
            prologue.append(P.assign(col, P.expr("_rt.persistence_pad(i0, _P, START) + [None] * n", _P=pad)))
        for name in cc.thresholds:
            prologue.extend(P.stmts("_ST = [None] * n\n_S = None", _ST=mangle("st", name), _S=mangle("s", name)))
        prologue.extend(P.stmts("pays = []\nacts = []"))
        prologue.extend(self.cell_defs)
        prologue.extend(self.init)
        prologue.extend(self.caps)
        loop = P.stmts(
            "with _rt.localcontext(_rt.CONTEXT):\n    for t in range(n):\n        _BODY", _BODY=loop_body or [ast.Pass()]
        )
        if zipped:
            # the months' measure values, read in step with the month
            for_loop = loop[0].body[0]  # type: ignore[attr-defined]
            assert isinstance(for_loop, ast.For)
            elts: list[ast.expr] = [P.store("t"), *(P.store(self.value_of[m]) for m in zipped)]
            for_loop.target = ast.Tuple(elts=elts, ctx=ast.Store())
            for_loop.iter = P.call(
                P.builtin("zip"), P.expr("range(n)"), *(P.name(self.column_of[m]) for m in zipped)
            )
        epilogue = list(self.post)
        epilogue.extend(self._result())
        body = prologue + loop + epilogue
        evaluate = P.stmts(
            "def evaluate(rows, key=None, *, strict=False):\n    _BODY", _BODY=body
        )
        return ast.Module(body=[*self._header(), *evaluate, *self._footer()], type_ignores=[])

    def _result(self) -> list[ast.stmt]:
        cc = self.cc
        out: list[ast.stmt] = []
        texts: dict[str, str] = {}

        def column_json(name: str) -> ast.expr:
            if name in self.folded:
                return P.expr("dict.fromkeys(months, _V)", _V=P.const(_value_json(self.folded[name])))
            col = self.column_of[name]
            if col not in texts:
                tx = self.fresh("tx")
                texts[col] = tx
                typ = cc.value_types.get(name, Type.ERROR)
                if name in cc.measures:
                    typ = Type(cc.measures[name].type.name)
                values: ast.expr = P.name(col)
                if self.pad:
                    values = P.expr("_C[_P:]", _C=col, _P=P.const(self.pad))
                if typ.is_numeric or typ is Type.MONEY:
                    # str(v) is the JSON text of a plain decimal; checked_texts verifies it
                    text = P.expr(
                        "_rt.checked_texts([None if v is None else str(v) for v in _VALUES], _C, _P)",
                        _VALUES=values,
                        _C=col,
                        _P=P.const(self.pad),
                    )
                else:
                    text = P.expr("_rt.texts(_C, _P)", _C=col, _P=P.const(self.pad))
                out.append(P.assign(tx, text))
            return P.expr("dict(zip(months, _T))", _T=texts[col])

        measures = P.dict_([(P.const(n), column_json(n)) for n in cc.measures])
        lets = P.dict_([(P.const(n), column_json(n)) for n in cc.lets])
        kpis = P.dict_([(P.const(n), column_json(n)) for n in cc.kpis])
        thresholds = []
        for name in cc.thresholds:
            thresholds.append((P.const(name), P.expr("dict(zip(months, _ST))", _ST=mangle("st", name))))
        # events in month order, thresholds in declaration order within a month
        declared = [n for n in cc.thresholds]
        ran = [n for n in cc.order if n in cc.thresholds]
        if ran != declared:
            out.extend(P.stmts("pays.sort(key=_rt.event_order)\nacts.sort(key=_rt.event_order)"))
        waterfalls = P.dict_([(P.const(n), P.name(mangle("wr", n))) for n in cc.waterfalls])
        # lists of events only where the contract has such actions
        kinds = {
            type(a)
            for th in cc.thresholds.values()
            for rule in (*th.rules, th.otherwise)
            if rule is not None
            for a in rule.actions
        }
        empty = P.expr("[]")
        payments = P.expr("[e for _, _, e, _ in pays]") if A.PayAction in kinds else empty
        actions = (
            P.expr("[e for _, _, e, _ in acts]")
            if kinds & {A.EscalateAction, A.NotifyAction, A.FreeAction}
            else empty
        )
        disputes = (
            P.expr(
                "[_rt.dispute(ladder, LADDERS[ladder], CALENDAR, LANGUAGE, e) "
                "for _, _, e, ladder in acts if ladder is not None]"
            )
            if A.EscalateAction in kinds
            else empty
        )
        out.extend(
            P.stmts(
                "return {'contract': dict(CONTRACT), 'key': key, 'months': list(months), "
                "'measures': _MEASURES, 'lets': _LETS, 'kpis': _KPIS, 'thresholds': _THRESHOLDS, "
                "'payments': _PAYMENTS, 'actions': _ACTIONS, 'waterfalls': _WATERFALLS, "
                "'disputes': _DISPUTES, 'warnings': warnings}",
                _MEASURES=measures,
                _LETS=lets,
                _KPIS=kpis,
                _THRESHOLDS=P.dict_(thresholds),
                _PAYMENTS=payments,
                _ACTIONS=actions,
                _WATERFALLS=waterfalls,
                _DISPUTES=disputes,
            )
        )
        return out

    def _header(self) -> list[ast.stmt]:
        cc = self.cc
        doc = (
            f"Contract module generated by `pact compile` from {self.doc_src}: do not edit.\n\n"
            "evaluate(rows, key=None, *, strict=False) evaluates the contract month by month\n"
            "over a mapping of months (Period or 'YYYY-MM') to rows of measure values and\n"
            "returns what `pact eval --format json` prints; main() does the same for a\n"
            "CSV or JSON data file: python this_module.py DATA [--by KEY] [--strict]\n"
        )
        ladders = []
        for lname in sorted(self.ladders_used):
            steps = [
                P.tuple_(
                    [
                        P.const(s.name.name),
                        P.const(s.within.amount if s.within else None),
                        P.const(s.within.unit if s.within else None),
                        P.const(s.final),
                    ]
                )
                for s in cc.escalations[lname].steps
            ]
            ladders.append((P.const(lname), P.tuple_(steps)))
        start = _month(cc.effective)
        end = _month(cc.until)
        return [
            P.docstring(doc),
            *P.stmts("from decimal import Decimal\n\nfrom pactlang import runtime as _rt"),
            *P.stmts("_rt.require(_V)", _V=P.const(RUNTIME_VERSION)),
            P.assign("SOURCE", P.const(self.src)),
            P.assign(
                "CONTRACT",
                P.dict_(
                    [
                        (P.const("title"), P.const(cc.title)),
                        (P.const("id"), P.const(cc.id)),
                        (P.const("version"), P.const(cc.version)),
                        (P.const("currency"), P.const(cc.currency)),
                        (P.const("effective"), P.const(cc.effective.isoformat() if cc.effective else None)),
                        (P.const("until"), P.const(cc.until.isoformat() if cc.until else None)),
                    ]
                ),
            ),
            P.assign(
                "MEASURES",
                P.tuple_([P.tuple_([P.const(n), P.const(m.type.name)]) for n, m in cc.measures.items()]),
            ),
            P.assign("MEASURE_NAMES", P.tuple_([P.const(n) for n in cc.measures])),
            P.assign("CURRENCY", P.const(cc.currency)),
            P.assign("CALENDAR", P.const(cc.calendar)),
            P.assign("LANGUAGE", P.const(cc.language)),
            P.assign("START", P.const(start)),
            P.assign("END", P.const(end)),
            P.assign("LADDERS", P.dict_(ladders)),
            *self.const_defs,
        ]

    def _footer(self) -> list[ast.stmt]:
        return P.stmts(
            "def check_strict(rows, key=None):\n"
            "    'Raise the EvaluationError of `pact eval --strict` if a measure value is missing.'\n"
            "    i0, n, rowlist, _ = _rt.timeline(rows, START, END)\n"
            "    columns = _rt.measure_columns(rowlist, MEASURE_NAMES, 0)\n"
            "    _rt.check_strict(_rt.month_labels(i0, n), MEASURE_NAMES, columns, 0, key)\n"
            "\n"
            "def main(argv=None):\n"
            "    'Print the JSON result for a data file: DATA [--by KEY] [--strict].'\n"
            "    return _rt.main(evaluate, check_strict, MEASURES, CURRENCY, CONTRACT['effective'], CONTRACT['until'], argv)\n"
            "\n"
            "if __name__ == '__main__':\n"
            "    raise SystemExit(main())\n"
        )


# ------------------------------------------------------------------ helpers


def _paid_pairs(cc: CheckedContract) -> set[tuple[str, str]]:
    """The (payer, payee) pairs some ``paid(p, q)`` of the contract reads."""
    from pactlang.syntax.walk import walk

    roots: list[A.Expr] = []
    for let in cc.lets.values():
        if isinstance(let.value, A.Schedule):
            roots.extend(e.value for e in let.value.entries)
        else:
            roots.append(let.value)
    roots.extend(k.expr for k in cc.kpis.values())
    for th in cc.thresholds.values():
        for rule in (*th.rules, th.otherwise):
            if rule is None:
                continue
            if isinstance(rule, A.Rule):
                roots.append(rule.cond)
            roots.extend(a.amount for a in rule.actions if isinstance(a, A.PayAction))
    for w in cc.waterfalls.values():
        roots.append(w.distributes)
        for tier in w.tiers:
            roots.extend(p.cap for p in tier.pays)
            if tier.cap is not None:
                roots.append(tier.cap)
    pairs: set[tuple[str, str]] = set()
    for root in roots:
        for node in walk(root):
            if isinstance(node, A.Call) and node.func.name == "paid" and len(node.args) >= 2:
                payer, payee = node.args[0], node.args[1]
                if isinstance(payer, A.Name) and isinstance(payee, A.Name):
                    pairs.add((payer.head.name, payee.head.name))
    return pairs


def _is_window(e: A.Call) -> bool:
    return (
        e.func.name in ("sum", "avg", "min", "max")
        and len(e.args) == 2
        and isinstance(e.args[1], A.DurationLit | A.ToDate | A.YearToDate)
    )


def _int_literal(e: Any) -> int:
    if isinstance(e, A.NumberLit):
        return int(e.value)
    if isinstance(e, A.Unary) and e.op == "-" and isinstance(e.operand, A.NumberLit):
        return -int(e.operand.value)
    raise CodegenError("round() needs a whole number of digits")


def _first_match(outcomes: list[tuple[ast.expr | None, list[ast.stmt]]], dec: str) -> list[ast.stmt]:
    """``if T1: B1 elif T2: B2 … else: B`` (the last outcome has no test).

    A long chain is written as flat statements instead (``dec`` numbers the
    outcome), so no nesting grows with the number of rules."""
    if len(outcomes) <= 64:
        node: list[ast.stmt] = outcomes[-1][1]
        for test, body in reversed(outcomes[:-1]):
            assert test is not None
            node = [ast.If(test=test, body=body, orelse=node)]
        return node
    out: list[ast.stmt] = [P.assign(dec, P.const(0))]
    for k, (test, _) in enumerate(outcomes[:-1], 1):
        assert test is not None
        out.extend(P.stmts("if not _D and _T:\n    _D = _K", _D=dec, _T=test, _K=P.const(k)))
    for k, (_, body) in enumerate(outcomes[:-1], 1):
        out.extend(P.stmts("if _D == _K:\n    _BODY", _D=dec, _K=P.const(k), _BODY=body))
    out.extend(P.stmts("if not _D:\n    _BODY", _D=dec, _BODY=outcomes[-1][1]))
    return out


def _aggregate(func: str, items: Sequence[ast.expr], zero: ast.expr, n: int) -> ast.expr:
    if func in ("min", "max"):
        return P.call(P.builtin(func), *items) if len(items) > 1 else items[0]
    total: ast.expr = zero
    for item in items:
        total = P.binop(total, "+", item)
    if func == "avg":
        return P.binop(total, "/", P.const(n))
    return total


def _month(d: datetime.date | None) -> int | None:
    return None if d is None else d.year * 12 + d.month - 1


def _mentions(stmts: Sequence[ast.stmt], ident: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == ident for s in stmts for n in ast.walk(s))


class _Rename(ast.NodeTransformer):
    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id == self.old:
            return ast.Name(id=self.new, ctx=node.ctx)
        return node


def _rename(s: ast.stmt, old: str, new: str) -> ast.stmt:
    out = _Rename(old, new).visit(s)
    assert isinstance(out, ast.stmt)
    return out


class _RenameU(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id == "u":
            return ast.Name(id="t", ctx=node.ctx)
        return node


def _rename_u(s: ast.stmt) -> ast.stmt:
    out = _RenameU().visit(s)
    assert isinstance(out, ast.stmt)
    return out


def generate_module(cc: CheckedContract, source_name: str | None = None) -> ast.Module:
    """The module's syntax tree (see :func:`pactlang.codegen.compile_module_source`)."""
    name = source_name if source_name is not None else Path(cc.path).name
    gen = ModuleGen(cc, name)
    return ast.fix_missing_locations(gen.build())
