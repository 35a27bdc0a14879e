"""pactlang values → LSP types: ranges, diagnostics, locations, edits, completion items."""

from __future__ import annotations

from lsprotocol import types as lsp

from pactlang.diagnostics import Diagnostic, Severity, Span
from pactlang.lsp.completion import FUNCTION, KEYWORD, NAME, Candidate
from pactlang.lsp.document import Analysis, path_to_uri
from pactlang.lsp.positions import LineIndex, Pos

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.NOTE: lsp.DiagnosticSeverity.Information,
}

#: How names of each kind are drawn in completion lists.
COMPLETION_KINDS: dict[str, lsp.CompletionItemKind] = {
    "party": lsp.CompletionItemKind.Constant,
    "measure": lsp.CompletionItemKind.Field,
    "let": lsp.CompletionItemKind.Variable,
    "kpi": lsp.CompletionItemKind.Function,
    "threshold": lsp.CompletionItemKind.Event,
    "committee": lsp.CompletionItemKind.Class,
    "decision": lsp.CompletionItemKind.Method,
    "escalation": lsp.CompletionItemKind.Enum,
    "step": lsp.CompletionItemKind.EnumMember,
    "waterfall": lsp.CompletionItemKind.Struct,
    "contribution": lsp.CompletionItemKind.Struct,
    "tier": lsp.CompletionItemKind.Property,
}


def position(p: Pos) -> lsp.Position:
    return lsp.Position(line=p.line, character=p.character)


def lsp_range(lines: LineIndex, span: Span | None) -> lsp.Range:
    if span is None:
        start = end = Pos(0, 0)
    else:
        start, end = lines.span_range(span)
    return lsp.Range(start=position(start), end=position(end))


def location(an: Analysis, path: str, span: Span) -> lsp.Location:
    uri = an.uri if path == an.path else path_to_uri(path)
    return lsp.Location(uri=uri, range=lsp_range(an.lines(path), span))


def diagnostic(an: Analysis, d: Diagnostic) -> lsp.Diagnostic:
    """One diagnostic of ``pact check``, with the same code, span, message and help."""
    message = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
    span = d.span
    if d.path != an.path:
        # a diagnostic about another file (not produced today): shown at the top
        message = f"{d.path}: {message}"
        span = None
    related = []
    for r in d.related:
        rpath = r.path or d.path
        if rpath == an.path or an.source_of(rpath):
            related.append(
                lsp.DiagnosticRelatedInformation(
                    location=location(an, rpath, r.span), message=r.message
                )
            )
    return lsp.Diagnostic(
        range=lsp_range(an.lines(), span),
        severity=SEVERITY[d.severity],
        code=d.code,
        source="pact",
        message=message,
        related_information=related or None,
    )


def completion_item(c: Candidate) -> lsp.CompletionItem:
    if c.kind == NAME:
        kind = COMPLETION_KINDS.get(c.symbol_kind or "", lsp.CompletionItemKind.Variable)
        sort = "0"
    elif c.kind == FUNCTION:
        kind, sort = lsp.CompletionItemKind.Function, "1"
    elif c.kind == KEYWORD:
        kind, sort = lsp.CompletionItemKind.Keyword, "2"
    else:
        kind, sort = lsp.CompletionItemKind.EnumMember, "0"
    return lsp.CompletionItem(
        label=c.label, kind=kind, detail=c.detail or None, sort_text=f"{sort}{c.label}"
    )
