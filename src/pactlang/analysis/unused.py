"""Unused declarations for ``pact analyze``.

Measures and lets that nothing uses are semantic analysis's warnings (W001,
W002, and W007 should it report other unused declarations): they are taken
from the contract's diagnostics, not computed again.  This module adds what
sema does not say:

* a **party** that appears nowhere (no owner, payment, notification, committee
  seat, veto, waterfall tier or expression names it) — a warning;
* a **committee without decisions** (nothing to vote on) — a warning;
* a **KPI** that no threshold, waterfall, KPI or let uses — a note: a KPI is
  an output in its own right (evaluated and rendered), it is only "not used by
  any rule";
* an **escalation ladder** that no threshold rule escalates to — a note: a
  dispute ladder also applies to disputes the parties open by hand
  (``pact escalate``).

Only the contract counts as a use; ``test`` blocks do not (a value only a test
looks at is not part of the agreement), as for sema's W001/W002.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pactlang.analysis.findings import Finding, Severity
from pactlang.diagnostics import Diagnostic
from pactlang.sema.clauses import TextRef, pieces
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast
from pactlang.syntax.walk import walk

__all__ = ["references", "unused_findings", "SEMA_CODES"]

#: sema's unused-declaration warnings, reused as they are.
SEMA_CODES = {"W001": "unused-measure", "W002": "unused-let", "W007": "unused-declaration"}

# attribute keys whose value is a word of the language, not a reference
_NOT_REFERENCES = frozenset({"language"})


def _names_in(expr: ast.Expr) -> Iterator[str]:
    for node in walk(expr):
        if isinstance(node, ast.Name):
            yield node.head.name


def _attrs(attrs: Sequence[ast.Attr]) -> Iterator[str]:
    for a in attrs:
        if a.key.name not in _NOT_REFERENCES and not isinstance(a.value, ast.FreqValue):
            yield from _names_in(a.value)


def _actions(actions: Sequence[ast.Action]) -> Iterator[str]:
    for act in actions:
        if isinstance(act, ast.PayAction):
            yield from _names_in(act.amount)
            yield act.payer.name
            yield act.payee.name
        elif isinstance(act, ast.EscalateAction):
            yield act.ladder.name
        elif isinstance(act, ast.NotifyAction):
            yield from (p.name for p in act.parties)


def _decl_refs(d: ast.Decl) -> Iterator[str]:
    """Every name a declaration refers to (with repeats)."""
    if isinstance(d, ast.MeasureDecl):
        yield from _attrs(d.attrs)
    elif isinstance(d, ast.LetDecl):
        if isinstance(d.value, ast.Schedule):
            for entry in d.value.entries:
                yield from _names_in(entry.value)
        else:
            yield from _names_in(d.value)
    elif isinstance(d, ast.KpiDecl):
        yield from _names_in(d.expr)
        yield from _attrs(d.attrs)
    elif isinstance(d, ast.ThresholdDecl):
        for rule in d.rules:
            yield from _names_in(rule.cond)
            yield from _actions(rule.actions)
        if d.otherwise is not None:
            yield from _actions(d.otherwise.actions)
    elif isinstance(d, ast.CommitteeDecl):
        for m in d.members:
            yield m.party.name
        for dec in d.decisions:
            yield from (v.name for v in dec.vetoes)
    elif isinstance(d, ast.EscalationDecl):
        for step in d.steps:
            yield from _attrs(step.attrs)
    elif isinstance(d, ast.ClauseDecl):
        # a clause that governs a construct, or quotes a name in its text, uses it
        yield from (n.name for n in d.governs)
        for t in d.texts:
            for text in (t.text, *(tr.text for tr in t.translations)):
                for piece in pieces(text.value)[0]:
                    if isinstance(piece, TextRef):
                        yield piece.parts[0]
    elif isinstance(d, ast.WaterfallDecl):
        yield from _names_in(d.distributes)
        for tier in d.tiers:
            for pay in tier.pays:
                yield pay.party.name
                yield from _names_in(pay.cap)
            for share in tier.splits:
                yield share.party.name
            if tier.cap is not None:
                yield from _names_in(tier.cap)


def references(contract: ast.Contract) -> dict[str, set[str]]:
    """For each declared name, the names of the declarations that refer to it
    (itself excluded; header items count under ``""``)."""
    used_by: dict[str, set[str]] = {}
    for d in contract.decls:
        ident = getattr(d, "name", None)
        owner = ident.name if isinstance(ident, ast.Ident) else ""
        for ref in _decl_refs(d):
            if ref != owner:
                used_by.setdefault(ref, set()).add(owner)
    return used_by


_BACKTICKED = re.compile(r"`([a-z_][a-z0-9_]*)`")


def _sema_findings(cc: CheckedContract, diagnostics: Sequence[Diagnostic]) -> list[Finding]:
    by_span = {d.name.span: n for n, d in cc.measures.items()}
    by_span.update({d.name.span: n for n, d in cc.lets.items()})
    out: list[Finding] = []
    for diag in diagnostics:
        kind = SEMA_CODES.get(diag.code)
        if kind is None:
            continue
        name = by_span.get(diag.span) if diag.span is not None else None
        if name is None:
            m = _BACKTICKED.search(diag.message)
            name = m.group(1) if m else ""
        line = diag.span.line if diag.span is not None else None
        out.append(Finding("unused", kind, "warning", name, f"{diag.message} [{diag.code}]", line))
    return out


def unused_findings(cc: CheckedContract, diagnostics: Sequence[Diagnostic]) -> list[Finding]:
    """The unused-declaration findings: sema's first, then the others in declaration order."""
    out = _sema_findings(cc, diagnostics)
    used_by = references(cc.contract)
    rule_users = set(cc.thresholds) | set(cc.waterfalls) | set(cc.kpis) | set(cc.lets)
    for d in cc.contract.decls:
        found: tuple[str, Severity, str, str] | None = None
        if isinstance(d, ast.PartyDecl):
            if not used_by.get(d.name.name):
                found = (
                    "unused-party",
                    "warning",
                    d.name.name,
                    f"party `{d.name.name}` appears nowhere in the contract: no owner, payment, "
                    "notification, committee, veto, waterfall tier or expression names it",
                )
        elif isinstance(d, ast.KpiDecl):
            if not used_by.get(d.name.name, set()) & rule_users:
                found = (
                    "kpi-not-used-by-rules",
                    "note",
                    d.name.name,
                    f"KPI `{d.name.name}` is not used by any threshold, waterfall, KPI or let: "
                    "it is computed and reported, but no rule depends on it",
                )
        elif isinstance(d, ast.EscalationDecl):
            if not used_by.get(d.name.name, set()) & set(cc.thresholds):
                found = (
                    "ladder-never-escalated",
                    "note",
                    d.name.name,
                    f"no threshold rule escalates to ladder `{d.name.name}`: it is only opened "
                    "by hand (`pact escalate`)",
                )
        elif isinstance(d, ast.CommitteeDecl) and not d.decisions:
            found = (
                "committee-without-decisions",
                "warning",
                d.name.name,
                f"committee `{d.name.name}` has no decisions: there is nothing for it to vote on",
            )
        if found is not None:
            kind, severity, name, message = found
            out.append(Finding("unused", kind, severity, name, message, d.span.line))
    return out
