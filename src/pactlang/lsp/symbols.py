"""Document symbols (the outline): the contract, its declarations, their parts, the tests.

The contract is the root; its named declarations are its children, in
source order, and a committee's decisions, a ladder's steps and a
waterfall's tiers are theirs.  ``test`` blocks follow the contract (or stand
alone in a ``tests for`` file).  Each symbol's detail is its kind, its type
for values, and its label in the contract's language.

LSP symbol kinds (what editors draw as icons):

=================  ============
contract           Namespace
party              Object
measure            Field
let                Constant
KPI                Function
threshold          Event
committee          Class
decision           Method
escalation ladder  Enum
step               EnumMember
waterfall          Struct
tier               Property
clause             String
test block         Module
=================  ============
"""

from __future__ import annotations

from lsprotocol import types as lsp

from pactlang.diagnostics import Span
from pactlang.lsp.convert import lsp_range
from pactlang.lsp.document import Analysis
from pactlang.lsp.index import DECISION, STEP, TIER
from pactlang.syntax import ast

KINDS: dict[str, lsp.SymbolKind] = {
    "contract": lsp.SymbolKind.Namespace,
    "party": lsp.SymbolKind.Object,
    "measure": lsp.SymbolKind.Field,
    "let": lsp.SymbolKind.Constant,
    "kpi": lsp.SymbolKind.Function,
    "threshold": lsp.SymbolKind.Event,
    "committee": lsp.SymbolKind.Class,
    DECISION: lsp.SymbolKind.Method,
    "escalation": lsp.SymbolKind.Enum,
    STEP: lsp.SymbolKind.EnumMember,
    "waterfall": lsp.SymbolKind.Struct,
    "contribution": lsp.SymbolKind.Struct,
    TIER: lsp.SymbolKind.Property,
    "clause": lsp.SymbolKind.String,
    "test": lsp.SymbolKind.Module,
}

_DECL_KIND: dict[type, str] = {
    ast.PartyDecl: "party",
    ast.MeasureDecl: "measure",
    ast.LetDecl: "let",
    ast.KpiDecl: "kpi",
    ast.ThresholdDecl: "threshold",
    ast.CommitteeDecl: "committee",
    ast.EscalationDecl: "escalation",
    ast.WaterfallDecl: "waterfall",
    ast.ClauseDecl: "clause",
    ast.ContributionDecl: "contribution",
}


def document_symbols(an: Analysis) -> list[lsp.DocumentSymbol]:
    module = an.result.module
    out: list[lsp.DocumentSymbol] = []
    if module.contract is not None:
        c = module.contract
        children = [s for d in c.decls if (s := _decl(an, d)) is not None]
        out.append(
            _symbol(an, c.title.value, "contract", c.span, c.title.span, "contract", children)
        )
    for t in module.tests:
        out.append(_symbol(an, t.name.value, "test", t.span, t.name.span, "test"))
    return out


def _symbol(
    an: Analysis,
    name: str,
    kind: str,
    span: Span,
    name_span: Span,
    detail: str,
    children: list[lsp.DocumentSymbol] | None = None,
) -> lsp.DocumentSymbol:
    lines = an.lines()
    return lsp.DocumentSymbol(
        name=name or "(untitled)",
        kind=KINDS[kind],
        range=lsp_range(lines, span),
        selection_range=lsp_range(lines, name_span),
        detail=detail,
        children=children or None,
    )


def _detail(an: Analysis, kind: str, key: str, labels: ast.Labels | None) -> str:
    detail = {"kpi": "KPI", "escalation": "escalation ladder"}.get(kind, kind)
    cc = an.contract
    t = cc.value_types.get(key) if cc is not None and "." not in key else None
    if t is not None and kind in ("measure", "let", "kpi"):
        detail += f": {t}"
    if labels is not None and labels.primary is not None:
        detail += f" — {labels.primary.value}"
    return detail


def _decl(an: Analysis, d: ast.Decl) -> lsp.DocumentSymbol | None:
    kind = _DECL_KIND.get(type(d))
    if kind is None:
        return None  # header items (id, currency, …) are not symbols
    name: ast.Ident = d.name  # type: ignore[union-attr]
    labels: ast.Labels = d.labels  # type: ignore[union-attr]
    children: list[lsp.DocumentSymbol] = []
    if isinstance(d, ast.CommitteeDecl):
        for dec in d.decisions:
            key = f"{name.name}.{dec.name.name}"
            detail = _detail(an, DECISION, key, dec.labels)
            children.append(_symbol(an, dec.name.name, DECISION, dec.span, dec.name.span, detail))
    elif isinstance(d, ast.EscalationDecl):
        for step in d.steps:
            key = f"{name.name}.{step.name.name}"
            detail = _detail(an, STEP, key, step.labels)
            children.append(_symbol(an, step.name.name, STEP, step.span, step.name.span, detail))
    elif isinstance(d, ast.WaterfallDecl):
        for i, tier in enumerate(d.tiers, 1):
            if tier.name is not None:
                tname, tspan = tier.name.name, tier.name.span
            else:
                tname, tspan = f"tier {i}", tier.span
            detail = _detail(an, TIER, f"{name.name}.{tname}", tier.labels)
            children.append(_symbol(an, tname, TIER, tier.span, tspan, detail))
    detail = _detail(an, kind, name.name, labels)
    if isinstance(d, ast.ClauseDecl):  # the clause's number as the contract prints it
        detail = detail.replace("clause", f"clause {d.number.value}", 1)
    return _symbol(an, name.name, kind, d.span, name.span, detail, children)
