"""Static analysis of threshold rules (``pact analyze``, LANGUAGE.md §6).

A rule condition that compares one expression — the *subject*, e.g.
``conversion`` — with constants, combined with ``and``/``or``/``not``, holds
for a set of values of the subject.  :class:`ConditionReader` computes that set
exactly (an :class:`~pactlang.analysis.intervals.IntervalSet`);
:func:`analyze_threshold` compares the sets of a threshold's rules.

What counts as a constant: a number, percent or money literal; ``-``, ``+``,
``*``, ``/`` of constants (folded with the evaluator's own decimal operations,
so the bounds are the ones the evaluator compares with); and a ``let`` whose
value is such a constant (not a schedule).  Two subjects are the same when they
are the same expression, written the same way up to spacing and number
spelling (``1_000`` = ``1000``); ``conversion`` and ``leads_won / leads_total``
are different subjects even when ``conversion`` is defined so.

A subject's values are all numbers, except a measure declared ``count``: data
files and test data only accept whole numbers ≥ 0 there, so the analysis uses
that domain for it.

Every finding is sound — it holds for every input — and a condition the reader
cannot turn into a set is skipped with a note, never guessed at:

* **can never hold** (warning): the set is empty;
* **unreachable** (warning): every value the rule matches is matched first by
  earlier rules *without* ``for`` on the same subject (a rule with ``for N``
  holds only after N checks, so it shadows nothing); also an unanalysable rule
  whose condition is the very same expression as an earlier rule without ``for``;
* **dead otherwise** (warning): the rules without ``for`` on one subject cover
  every value, so the ``otherwise`` line never applies (when the subject is
  missing those rules are missing and the status is ``no-data``);
* **only when missing** (note): a rule after such a covering set that tests
  something else can only apply in months where the covered subject is missing;
* **overlap** (note): a rule partly matched first by earlier rules without
  ``for``: it can apply only to the rest of its set;
* **gap** (note): values that no rule matches fall to ``otherwise`` (or the
  default ``ok``).  Computed only when every rule was analysed and they all
  test the same subject; values matched only by a rule with ``for`` are not
  gaps (they fall to ``otherwise`` only until the rule has held long enough).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Literal

from pactlang.analysis.findings import Finding
from pactlang.analysis.intervals import Domain, Interval, IntervalSet
from pactlang.base.types import Type
from pactlang.kernel.ops import ARITH, compare, neg
from pactlang.present.show import show
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast
from pactlang.syntax.walk import children, walk
from pactlang.syntax.walk import source_text as quote_source

__all__ = [
    "ConditionReader",
    "Condition",
    "NotAnalysable",
    "RuleAnalysis",
    "ThresholdAnalysis",
    "analyze_threshold",
    "describe_set",
    "expr_key",
    "source_text",
]

Unit = Literal["percent", "money", "number"]

#: Deepest condition the reader follows (conditions are short; this only bounds recursion).
MAX_DEPTH = 200


class NotAnalysable(Exception):
    """A condition the reader cannot turn into a set; the message says why."""


@dataclass(frozen=True, slots=True)
class _Const:
    value: Decimal
    unit: Unit


@dataclass(frozen=True, slots=True)
class Condition:
    """The values of ``subject`` for which a condition holds.  ``subject`` is
    ``None`` for a condition that does not depend on any value (``true``,
    ``5% < 10%``): then ``values`` is everything or nothing."""

    subject: ast.Expr | None
    key: Hashable | None
    values: IntervalSet
    units: tuple[Unit, ...]  # units of the constants compared with, in order met


def expr_key(expr: ast.Expr) -> Hashable:
    """A structural key of an expression that ignores spans and number spelling."""
    out: list[object] = []
    for node in walk(expr):
        out.append(type(node).__name__)
        out.append(len(children(node)))
        for f in fields(node):
            if f.name in ("span", "text"):
                continue
            v = getattr(node, f.name)
            if isinstance(v, ast.Ident):
                out.append(v.name)
            elif isinstance(v, tuple):
                if all(isinstance(x, ast.Ident) for x in v):
                    out.append(tuple(x.name for x in v))  # Name.parts
                elif all(isinstance(x, str) for x in v):
                    out.append(v)  # Arith.ops
                # else: operands and arguments, keyed through ``walk``
            elif isinstance(v, (str, int, bool, Decimal)) or v is None:
                out.append(v)
            elif not hasattr(v, "span"):
                out.append(str(v))  # dates and periods
    return tuple(out)


def source_text(cc: CheckedContract, node: object) -> str:
    """The source text of a node, spacing normalised (``?`` without a source)."""
    return quote_source(cc.source, node)


class ConditionReader:
    """Turns rule conditions of one contract into :class:`Condition` sets."""

    def __init__(self, cc: CheckedContract) -> None:
        self.cc = cc
        self._lets: dict[str, _Const | None] = {}

    def text(self, node: object) -> str:
        return source_text(self.cc, node)

    # -- constants

    def const(self, e: ast.Expr, depth: int = 0) -> _Const | None:
        """The value of a constant expression, or None when ``e`` is not one."""
        if depth > MAX_DEPTH:
            raise NotAnalysable("the condition is nested too deeply")
        if isinstance(e, ast.NumberLit):
            return _Const(e.value, "number")
        if isinstance(e, ast.PercentLit):
            return _Const(e.value, "percent")
        if isinstance(e, ast.MoneyLit):
            return _Const(e.amount, "money")
        if isinstance(e, ast.Unary) and e.op == "-":
            inner = self.const(e.operand, depth + 1)
            if inner is None:
                return None
            return _Const(_num(neg(inner.value), e, self), inner.unit)
        if isinstance(e, ast.Arith):
            parts = [self.const(o, depth + 1) for o in e.operands]
            if any(p is None for p in parts):
                return None
            consts = [p for p in parts if p is not None]
            acc = consts[0].value
            for op, c in zip(e.ops, consts[1:], strict=True):
                acc = _num(ARITH[op](acc, c.value), e, self)
            units = {c.unit for c in consts}
            unit: Unit = (
                "money"
                if "money" in units
                else "percent"
                if units == {"percent"} and set(e.ops) <= {"+", "-"}
                else "number"
            )
            return _Const(acc, unit)
        if isinstance(e, ast.Name) and len(e.parts) == 1:
            return self._let_const(e.head.name, depth)
        return None

    def _let_const(self, name: str, depth: int) -> _Const | None:
        if name in self._lets:
            return self._lets[name]
        let = self.cc.lets.get(name)
        self._lets[name] = None  # a cycle (sema reports it) is simply not a constant
        value: _Const | None = None
        if let is not None and not isinstance(let.value, ast.Schedule):
            value = self.const(let.value, depth + 1)
        self._lets[name] = value
        return value

    # -- conditions

    def read(self, cond: ast.Expr) -> Condition:
        """The set of subject values for which ``cond`` holds (:class:`NotAnalysable`)."""
        try:
            return self._read(cond, 0)
        except RecursionError:  # pragma: no cover - MAX_DEPTH stops well before
            raise NotAnalysable("the condition is nested too deeply") from None

    def _read(self, e: ast.Expr, depth: int) -> Condition:
        if depth > MAX_DEPTH:
            raise NotAnalysable("the condition is nested too deeply")
        if isinstance(e, ast.BoolLit):
            return Condition(None, None, IntervalSet.full() if e.value else IntervalSet.empty(), ())
        if isinstance(e, ast.Compare):
            return self._compare(e, depth)
        if isinstance(e, ast.Unary) and e.op == "not":
            inner = self._read(e.operand, depth + 1)
            return Condition(inner.subject, inner.key, inner.values.complement(), inner.units)
        if isinstance(e, ast.Logic):
            parts = [self._read(o, depth + 1) for o in e.operands]
            subject: ast.Expr | None = None
            key: Hashable | None = None
            for p in parts:
                if p.key is None:
                    continue
                if key is None:
                    subject, key = p.subject, p.key
                elif p.key != key:
                    raise NotAnalysable(
                        f"it tests both `{self.text(subject)}` and `{self.text(p.subject)}`"
                    )
            values = parts[0].values
            for p in parts[1:]:
                values = values.intersection(p.values) if e.op == "and" else values.union(p.values)
            units = tuple(u for p in parts for u in p.units)
            return Condition(subject, key, values, units)
        raise NotAnalysable("it is not a comparison of one expression with constants")

    def _compare(self, e: ast.Compare, depth: int) -> Condition:
        left = self.const(e.left, depth + 1)
        right = self.const(e.right, depth + 1)
        if left is not None and right is not None:
            held = compare(e.op, left.value, right.value)
            values = IntervalSet.full() if held else IntervalSet.empty()
            return Condition(None, None, values, (left.unit, right.unit))
        if left is None and right is None:
            return self._variable_compare(e)
        if right is not None:
            subject, op, c = e.left, e.op, right
        else:
            assert left is not None
            subject, op, c = e.right, _FLIP[e.op], left
        if isinstance(subject, (ast.Compare, ast.Logic, ast.BoolLit)) or (
            isinstance(subject, ast.Unary) and subject.op == "not"
        ):
            raise NotAnalysable("it compares a condition with a constant")
        return Condition(subject, expr_key(subject), IntervalSet.compare(op, c.value), (c.unit,))

    def _variable_compare(self, e: ast.Compare) -> Condition:
        for side in (e.right, e.left):
            if isinstance(side, ast.Name) and len(side.parts) == 1:
                let = self.cc.lets.get(side.head.name)
                if let is not None and isinstance(let.value, ast.Schedule):
                    raise NotAnalysable(
                        f"`{side.head.name}` is a schedule, not a constant "
                        "(its value changes over time)"
                    )
        raise NotAnalysable(
            f"it compares `{self.text(e.left)}` with `{self.text(e.right)}`, neither a constant"
        )


_FLIP: dict[str, ast.CompareOp] = {
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "==": "==",
    "!=": "!=",
}


def _num(v: object, e: ast.Expr, reader: ConditionReader) -> Decimal:
    if not isinstance(v, Decimal):
        raise NotAnalysable(f"`{reader.text(e)}` is always missing (a division by zero)")
    return v


# ----------------------------------------------------------------- describing sets


def _fmt(value: Decimal, unit: Unit, currency: str) -> str:
    typ = {"percent": Type.PERCENT, "money": Type.MONEY, "number": Type.NUMBER}[unit]
    return show(value, typ, currency)


def _describe_interval(iv: Interval, unit: Unit, currency: str) -> str:
    lo = None if iv.low is None else _fmt(iv.low, unit, currency)
    hi = None if iv.high is None else _fmt(iv.high, unit, currency)
    if lo is None and hi is None:
        return "any value"
    if lo is None:
        return f"{hi} or less" if iv.high_closed else f"below {hi}"
    if hi is None:
        return f"{lo} or more" if iv.low_closed else f"above {lo}"
    if iv.is_point:
        return f"exactly {lo}"
    if iv.low_closed:
        return f"from {lo} to {hi}" if iv.high_closed else f"from {lo} to below {hi}"
    return f"above {lo} up to {hi}" if iv.high_closed else f"above {lo} and below {hi}"


def describe_set(s: IntervalSet, unit: Unit, currency: str) -> str:
    """Plain words: ``below 8%``, ``from 12% to below 25%``, ``exactly 0, or 10 or more``."""
    if s.is_empty:
        return "no value"
    parts = [_describe_interval(iv, unit, currency) for iv in s.intervals]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + ", or " + parts[-1]


def _set_json(s: IntervalSet | None, unit: Unit, currency: str) -> object:
    if s is None:
        return None
    return {
        "intervals": s.to_json(),
        "notation": s.notation(),
        "text": describe_set(s, unit, currency),
    }


# --------------------------------------------------------------------- the analysis


@dataclass(frozen=True, slots=True)
class RuleAnalysis:
    """One rule.  ``matches`` is the set of subject values for which its condition
    holds (within the subject's domain), ``effective`` what is left of it after
    the earlier rules without ``for`` on the same subject; both ``None`` when the
    rule was not analysed (``skipped`` says why)."""

    index: int  # 1-based
    condition: str
    persistence: str | None  # "3 months"
    status: str
    line: int
    subject: str | None
    matches: IntervalSet | None
    effective: IntervalSet | None
    shadowed_by: tuple[int, ...]  # earlier rules without `for` that catch part of it
    unreachable: bool
    skipped: str | None
    unit: Unit  # how the subject's values are shown

    def describe(self, s: IntervalSet, currency: str) -> str:
        return describe_set(s, self.unit, currency)

    def to_json(self, currency: str) -> dict[str, object]:
        unit = self.unit
        return {
            "index": self.index,
            "condition": self.condition,
            "for": self.persistence,
            "status": self.status,
            "line": self.line,
            "subject": self.subject,
            "matches": _set_json(self.matches, unit, currency),
            "effective": _set_json(self.effective, unit, currency),
            "shadowed_by": list(self.shadowed_by),
            "unreachable": self.unreachable,
            "skipped": self.skipped,
        }


@dataclass(frozen=True, slots=True)
class ThresholdAnalysis:
    name: str
    label: str | None
    checked: str
    line: int
    subject: str | None  # when every analysed rule tests the same expression
    unit: Unit
    domain: Domain
    rules: tuple[RuleAnalysis, ...]
    otherwise: str  # the `otherwise` status, "ok" by default
    otherwise_declared: bool
    otherwise_dead: bool
    gaps: IntervalSet | None  # None: not computed (see gaps_note)
    gaps_note: str | None
    findings: tuple[Finding, ...]
    currency: str

    def describe(self, s: IntervalSet) -> str:
        return describe_set(s, self.unit, self.currency)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "checked": self.checked,
            "line": self.line,
            "subject": self.subject,
            "domain": self.domain.describe(),
            "rules": [r.to_json(self.currency) for r in self.rules],
            "otherwise": self.otherwise,
            "otherwise_declared": self.otherwise_declared,
            "otherwise_reachable": not self.otherwise_dead,
            "gaps": _set_json(self.gaps, self.unit, self.currency),
            "gaps_note": self.gaps_note,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(slots=True)
class _Read:
    rule: ast.Rule
    index: int
    cond: Condition | None
    skipped: str | None
    key: Hashable  # structural key of the whole condition


def _rules_text(indices: list[int]) -> str:
    if len(indices) == 1:
        return f"rule {indices[0]}"
    return "rules " + ", ".join(str(i) for i in indices[:-1]) + f" and {indices[-1]}"


def _persistence_text(p: ast.Persistence | None) -> str | None:
    if p is None:
        return None
    return f"{p.count} {p.unit}" + ("" if p.count == 1 else "s")


def _domain_of(cc: CheckedContract, subject: ast.Expr | None) -> Domain:
    if isinstance(subject, ast.Name) and len(subject.parts) == 1:
        m = cc.measures.get(subject.head.name)
        if m is not None and m.type.name == "count":
            return Domain(integers=True)
    return Domain()


def _unit_of(cc: CheckedContract, subject: ast.Expr | None, units: list[Unit]) -> Unit:
    if subject is not None:
        typ = cc.type_of(subject)
        if typ is Type.PERCENT:
            return "percent"
        if typ is Type.MONEY:
            return "money"
        if typ in (Type.NUMBER, Type.COUNT):
            return "number"
    return units[0] if units else "number"


def analyze_threshold(decl: ast.ThresholdDecl, reader: ConditionReader) -> ThresholdAnalysis:
    """Analyse one threshold; see the module docstring for what is reported."""
    cc = reader.cc
    tname = decl.name.name
    reads: list[_Read] = []
    for i, rule in enumerate(decl.rules, start=1):
        try:
            cond: Condition | None = reader.read(rule.cond)
            skipped = None
        except NotAnalysable as exc:
            cond, skipped = None, str(exc)
        reads.append(_Read(rule, i, cond, skipped, expr_key(rule.cond)))

    # the subjects tested, in order of appearance
    subjects: dict[Hashable, ast.Expr] = {}
    for r in reads:
        if r.cond is not None and r.cond.key is not None:
            subjects.setdefault(r.cond.key, r.cond.subject)  # type: ignore[arg-type]
    main_key = next(iter(subjects), None)
    main_subject = subjects.get(main_key) if main_key is not None else None
    units_of = {
        k: _unit_of(
            cc,
            s,
            [u for r in reads if r.cond is not None and r.cond.key == k for u in r.cond.units],
        )
        for k, s in subjects.items()
    }
    unit: Unit = units_of[main_key] if main_key is not None else "number"
    domains = {k: _domain_of(cc, s) for k, s in subjects.items()}
    main_domain = domains.get(main_key, Domain()) if main_key is not None else Domain()

    findings: list[Finding] = []
    otherwise_status = decl.otherwise.status.value if decl.otherwise else "ok"

    def label(r: _Read) -> str:
        p = _persistence_text(r.rule.persistence)
        return f"`{tname}` rule {r.index} (`{reader.text(r.rule.cond)}" + (
            f" for {p}`)" if p else "`)"
        )

    def add(kind: str, severity: Literal["warning", "note"], message: str, line: int) -> None:
        findings.append(Finding("thresholds", kind, severity, tname, message, line))

    def subj_text(key: Hashable) -> str:
        return reader.text(subjects[key])

    # running state: for each subject, the union of earlier rules without `for`
    covered: dict[Hashable, IntervalSet] = {}
    covered_by: dict[Hashable, list[tuple[int, IntervalSet]]] = {}
    always: _Read | None = None  # an earlier rule without `for` that holds whatever the data
    full_subject: Hashable | None = None  # a subject whose every value is caught already
    full_rules: list[int] = []
    seen_conditions: dict[Hashable, int] = {}  # condition key -> first rule without `for`
    analyses: list[RuleAnalysis] = []

    for r in reads:
        rule = r.rule
        line = rule.span.line
        cond = r.cond
        matches: IntervalSet | None = None
        effective: IntervalSet | None = None
        shadowed: list[int] = []
        unreachable = False
        subject_key = cond.key if cond is not None else None
        dom = domains.get(subject_key, Domain()) if subject_key is not None else Domain()

        if always is not None:
            unreachable = True
            add(
                "unreachable-rule",
                "warning",
                f"{label(r)} can never apply: rule {always.index} "
                f"(`{reader.text(always.rule.cond)}`) always holds",
                line,
            )
        elif cond is not None:
            matches = dom.restrict(cond.values)
            if subject_key is None or matches.is_empty:
                # a constant condition (true or false whatever the data), or none at all
                effective = matches
                if matches.is_empty:
                    if subject_key is None:
                        what = "its condition is always false"
                    elif dom.integers:
                        what = (
                            f"`{subj_text(subject_key)}` is a count (a whole number from 0) "
                            "and no such value satisfies it"
                        )
                    else:
                        what = f"no value of `{subj_text(subject_key)}` satisfies it"
                    add(
                        "impossible-condition",
                        "warning",
                        f"{label(r)} can never hold: {what}",
                        line,
                    )
            else:
                before = covered.get(subject_key, IntervalSet.empty())
                effective = dom.restrict(matches.difference(before))
                shadowed = [
                    i
                    for i, s in covered_by.get(subject_key, [])
                    if not dom.is_empty(s.intersection(matches))
                ]
                if effective.is_empty:
                    unreachable = True
                    if full_subject == subject_key and len(full_rules) == 1:
                        why = (
                            f"rule {full_rules[0]} holds for every value of "
                            f"`{subj_text(subject_key)}`"
                        )
                    else:
                        why = f"every value it matches is caught first by {_rules_text(shadowed)}"
                    add("unreachable-rule", "warning", f"{label(r)} can never apply: {why}", line)
                elif shadowed:
                    add(
                        "overlap",
                        "note",
                        f"{label(r)} is partly caught first by {_rules_text(shadowed)}: "
                        f"it can apply only to values of `{subj_text(subject_key)}` "
                        f"{describe_set(effective, units_of[subject_key], cc.currency)}",
                        line,
                    )
        elif r.key in seen_conditions:
            unreachable = True
            add(
                "unreachable-rule",
                "warning",
                f"{label(r)} can never apply: rule {seen_conditions[r.key]} has the same "
                "condition and is tried first",
                line,
            )
        else:
            add("not-analysed", "note", f"{label(r)} was not analysed: {r.skipped}", line)

        if (
            not unreachable
            and not (matches is not None and matches.is_empty)
            and full_subject is not None
            and subject_key != full_subject
            and always is None
        ):
            add(
                "only-when-missing",
                "note",
                f"{label(r)} can apply only in months where `{subj_text(full_subject)}` is "
                f"missing: {_rules_text(full_rules)} catch every value of it",
                line,
            )

        analyses.append(
            RuleAnalysis(
                index=r.index,
                condition=reader.text(rule.cond),
                persistence=_persistence_text(rule.persistence),
                status=rule.status.value,
                line=line,
                subject=reader.text(cond.subject) if cond is not None and cond.subject else None,
                matches=matches,
                effective=effective,
                shadowed_by=tuple(shadowed),
                unreachable=unreachable,
                skipped=r.skipped,
                unit=units_of[subject_key] if subject_key is not None else unit,
            )
        )

        # what this rule catches for the rules after it (only without `for`)
        if rule.persistence is not None or unreachable:
            continue
        seen_conditions.setdefault(r.key, r.index)
        if cond is None:
            continue
        if cond.key is None:
            if not cond.values.is_empty and always is None:
                always = r
            continue
        k = cond.key
        grown = covered.get(k, IntervalSet.empty()).union(cond.values)
        covered[k] = grown
        covered_by.setdefault(k, []).append((r.index, cond.values))
        if full_subject is None and domains[k].covers(grown):
            full_subject = k
            full_rules = [i for i, s in covered_by[k] if not domains[k].is_empty(s)]

    # the otherwise line
    otherwise_dead = always is not None or full_subject is not None
    if otherwise_dead and decl.otherwise is not None:
        if always is not None:
            why = f"rule {always.index} (`{reader.text(always.rule.cond)}`) always holds"
        else:
            assert full_subject is not None
            why = (
                f"{_rules_text(full_rules)} catch every value of `{subj_text(full_subject)}` "
                "(a month where it is missing gives no-data, not `otherwise`)"
            )
        add(
            "dead-otherwise",
            "warning",
            f"`{tname}`: `otherwise: {otherwise_status}` can never apply: {why}",
            decl.otherwise.span.line,
        )

    # gaps
    gaps: IntervalSet | None = None
    gaps_note: str | None = None
    if not reads:
        gaps_note = "the threshold has no rules"
    elif any(r.cond is None for r in reads):
        unread = [r.index for r in reads if r.cond is None]
        gaps_note = f"not computed: {_rules_text(unread)} could not be analysed"
    elif len(subjects) > 1:
        names = ", ".join(f"`{reader.text(s)}`" for s in subjects.values())
        gaps_note = f"not computed: the rules test different expressions ({names})"
    elif main_key is None:
        gaps_note = "not computed: no rule tests a value"
    else:
        union = IntervalSet.empty()
        for r in reads:
            assert r.cond is not None
            union = union.union(r.cond.values)
        gaps = main_domain.restrict(union.complement())
        if not gaps.is_empty:
            fall = (
                f"fall to `otherwise: {otherwise_status}`"
                if decl.otherwise is not None
                else "get the default status ok (there is no `otherwise`)"
            )
            add(
                "gap",
                "note",
                f"`{tname}`: values of `{reader.text(main_subject)}` "
                f"{describe_set(gaps, unit, cc.currency)} match no rule and {fall}",
                decl.span.line,
            )

    return ThresholdAnalysis(
        name=tname,
        label=decl.labels.get(),
        checked=decl.checked.value if decl.checked else "monthly",
        line=decl.span.line,
        subject=reader.text(main_subject)
        if main_subject is not None and len(subjects) == 1
        else None,
        unit=unit,
        domain=main_domain,
        rules=tuple(analyses),
        otherwise=otherwise_status,
        otherwise_declared=decl.otherwise is not None,
        otherwise_dead=otherwise_dead,
        gaps=gaps,
        gaps_note=gaps_note,
        findings=tuple(findings),
        currency=cc.currency,
    )
