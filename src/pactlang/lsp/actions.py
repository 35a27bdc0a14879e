"""Edits: quick fixes for diagnostics with a known fix, and formatting.

**Quick fixes.**  A diagnostic carries the fixes its phase knows
(:class:`pactlang.diagnostics.Fix`: replace a span with a text), decided where
the diagnostic is made: a misspelt name with a close match (E010, E013, E015,
E066, E070), an amount written without its currency or in another currency
(E020, E021, E022).  Each becomes a ``quickfix`` code action on the
diagnostics that touch the requested range; the only fix of a diagnostic is
marked preferred (editors apply it with one key).

**Formatting** replaces the whole document with ``pact fmt``'s output, or
changes nothing when the text is already canonical.  A file that does not
parse is left as it is (``pact fmt`` refuses it too) and the server logs why.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from pactlang.lsp.convert import diagnostic, lsp_range, position
from pactlang.lsp.document import Analysis
from pactlang.syntax.format import FormatError, format_source


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def code_actions(an: Analysis, requested: lsp.Range) -> list[lsp.CodeAction]:
    out = []
    lines = an.lines()
    for d in an.result.diagnostics:
        if not d.fixes or d.path != an.path:
            continue
        shown = diagnostic(an, d)
        if not _overlaps(shown.range, requested):
            continue
        for fix in d.fixes:
            edit = lsp.TextEdit(range=lsp_range(lines, fix.span), new_text=fix.replacement)
            out.append(
                lsp.CodeAction(
                    title=f"{fix.title} ({d.code})",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=len(d.fixes) == 1,
                    edit=lsp.WorkspaceEdit(changes={an.uri: [edit]}),
                )
            )
    return out


def formatting(an: Analysis) -> list[lsp.TextEdit] | str:
    """The edits that put the document in the canonical layout; a message if it does not parse."""
    try:
        formatted = format_source(an.text, an.path)
    except FormatError as exc:
        return str(exc)
    if formatted == an.text:
        return []
    whole = lsp.Range(start=lsp.Position(line=0, character=0), end=position(an.lines().end()))
    return [lsp.TextEdit(range=whole, new_text=formatted)]
