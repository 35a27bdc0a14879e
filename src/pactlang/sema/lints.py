"""Pass 7: warnings — things that are valid but probably not what the author meant.

- W001 / W002: a measure / let that no expression of the contract uses (tests
  do not count: a value only a test looks at is not part of the agreement).
- W003: a threshold rule (or the ``otherwise``) placed after a rule whose
  condition is literally ``true`` without ``for``: it can never apply.
- W004: a committee without a quorum rule.
- W005: a KPI that does not state its owner, source or frequency (LANGUAGE.md §5:
  a contract should state them for every KPI).
"""

from __future__ import annotations

from pactlang.diagnostics import Related
from pactlang.sema.context import Checker
from pactlang.syntax import ast


def warnings(ck: Checker) -> None:
    cc = ck.cc
    for name, m in cc.measures.items():
        if name not in ck.used:
            ck.bag.warning(
                "W001",
                f"measure `{name}` is never used",
                m.name.span,
                help="use it in a KPI, let, threshold or waterfall, or remove it",
            )
    for name, let in cc.lets.items():
        if name not in ck.used:
            ck.bag.warning(
                "W002",
                f"let `{name}` is never used",
                let.name.span,
                help="use it in an expression, or remove it",
            )
    for t in cc.contract.decls:
        if isinstance(t, ast.ThresholdDecl):
            _unreachable(ck, t)
        elif isinstance(t, ast.CommitteeDecl) and t.quorum is None and t.members:
            ck.bag.warning(
                "W004",
                f"committee `{t.name.name}` has no quorum rule: any attendance can decide",
                t.name.span,
                help="add `quorum N members` or `quorum X% of weight`",
            )
        elif isinstance(t, ast.KpiDecl):
            keys = {a.key.name for a in t.attrs}
            missing = [k for k in ("owner", "source", "frequency") if k not in keys]
            if missing:
                ck.bag.warning(
                    "W005",
                    f"KPI `{t.name.name}` does not state its {_join(missing)}",
                    t.name.span,
                    help="a contract should state each KPI's owner, data source and frequency: "
                    + "; ".join(_EXAMPLE[k] for k in missing),
                )


_EXAMPLE = {
    "owner": "`owner PARTY`",
    "source": '`source "…"`',
    "frequency": "`frequency monthly`",
}


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _unreachable(ck: Checker, t: ast.ThresholdDecl) -> None:
    always: ast.Rule | None = None
    for rule in t.rules:
        if always is not None:
            ck.bag.warning(
                "W003",
                f"this rule of `{t.name.name}` can never apply: an earlier rule always holds",
                rule.cond.span,
                help="rules are tried in order; move this rule up or remove it",
                related=[Related(always.cond.span, "this condition is always true")],
            )
        elif isinstance(rule.cond, ast.BoolLit) and rule.cond.value and rule.persistence is None:
            always = rule
    if always is not None and t.otherwise is not None:
        ck.bag.warning(
            "W003",
            f"the `otherwise` of `{t.name.name}` can never apply: an earlier rule always holds",
            t.otherwise.span,
            help="remove the `otherwise` line or the always-true rule",
            related=[Related(always.cond.span, "this condition is always true")],
        )
