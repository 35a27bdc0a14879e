"""Diagnostics: the one way every phase reports a problem.

Each phase appends :class:`Diagnostic` objects to a :class:`DiagnosticBag` and
carries on, so a file gets all its errors in one run.  Codes are stable and
documented in ``docs/diagnostics.md`` (a test keeps the two in sync).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pactlang.base.text import escape_controls, split_lines


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file: offsets are 0-based, lines and columns 1-based.

    ``end_line``/``end_col`` point one past the last character (exclusive).
    """

    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int

    def cover(self, other: Span) -> Span:
        first = self if self.start <= other.start else other
        last = self if self.end >= other.end else other
        return Span(first.start, last.end, first.line, first.col, last.end_line, last.end_col)


NO_SPAN = Span(0, 0, 1, 1, 1, 1)


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


# Stable codes. The text is the short title used in docs/diagnostics.md.
CODES: dict[str, str] = {
    # syntax
    "E001": "syntax error: unexpected token",
    "E002": "syntax error: unexpected character",
    "E003": "syntax error: unexpected end of file",
    "E004": "reserved keyword used as a name",
    "E005": "malformed literal",
    "E006": "expression nested too deeply",
    "E007": "input too large",
    "E008": "invalid string escape",
    "E009": "control character in a string",
    # names
    "E010": "undeclared name",
    "E011": "name declared twice",
    "E012": "name of the wrong kind",
    "E013": "unknown function",
    "E014": "wrong number of arguments",
    "E015": "unknown attribute",
    "E016": "duplicate header item",
    "E017": "missing header item",
    "E018": "name of a built-in function",
    "E019": "circular definition",
    # types
    "E020": "type mismatch",
    "E021": "money in another currency",
    "E022": "invalid operand types",
    "E023": "declared type does not accept the expression",
    "E024": "boolean condition expected",
    "E025": "invalid window or lag argument",
    "E026": "invalid attribute value",
    "E027": "type not allowed here",
    "E028": "invalid function argument",
    # thresholds, committees, ladders, waterfalls
    "E030": "invalid threshold rule",
    "E031": "escalate names no escalation ladder",
    "E032": "invalid persistence (`for N`)",
    "E033": "invalid check cadence",
    "E034": "invalid action",
    "E040": "invalid committee member",
    "E041": "veto by a non-member",
    "E042": "fraction out of range",
    "E043": "invalid quorum",
    "E044": "committee without members",
    "E045": "invalid committee setting",
    "E046": "invalid chair",
    "E047": "invalid deadlock clause",
    "E050": "invalid escalation ladder",
    "E051": "unknown calendar",
    "E060": "split keys do not total 100%",
    "E061": "waterfall cap cycle",
    "E062": "invalid waterfall tier",
    "E063": "invalid schedule",
    "E064": "invalid term",
    "E065": "invalid language",
    "E066": "unknown currency",
    # tests
    "E070": "invalid test",
    "E071": "test data problem",
    "E072": "tests-for target problem",
    # clauses and parties
    "E080": "unknown name in a clause text",
    "E081": "clause text quotes no time-independent value",
    "E082": "invalid clause",
    "E083": "invalid party particulars",
    "E084": "invalid amendment",
    "E085": "amended version not found or incompatible",
    # contributions
    "E090": "invalid contribution",
    # warnings
    "W001": "unused measure",
    "W002": "unused let",
    "W003": "rule can never apply",
    "W004": "committee without quorum rule",
    "W005": "KPI lacks owner, source, frequency or target",
    "W006": "missing translation",
    "W007": "unused declaration",
    "W008": "construct governed by no clause",
    "W009": "percent compared with a plain number",
    "W010": "bidirectional control character",
    "W011": "invisible character",
    "W012": "waterfall distributes a quarterly or yearly value",
}


@dataclass(frozen=True, slots=True)
class Related:
    span: Span
    message: str
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    """A known fix: replace the source text of ``span`` with ``replacement``.

    ``title`` says what the fix does ("replace with `revenue`"); editors offer it
    as a quick fix (``pact lsp``).  The span is in the file of the diagnostic.
    """

    title: str
    span: Span
    replacement: str


def replace_with(span: Span, text: str | None) -> tuple[Fix, ...]:
    """The fix that writes ``text`` in place of ``span`` (none when ``text`` is None)."""
    if text is None:
        return ()
    return (Fix(f"replace with `{text}`", span, text),)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None
    path: str
    help: str | None = None
    related: tuple[Related, ...] = ()
    fixes: tuple[Fix, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
        }
        if self.span is not None:
            out["span"] = _span_json(self.span)
        if self.help:
            out["help"] = self.help
        if self.related:
            out["related"] = [
                {"message": r.message, "path": r.path or self.path, "span": _span_json(r.span)}
                for r in self.related
            ]
        return out


def _span_json(s: Span) -> dict[str, int]:
    return {
        "line": s.line,
        "column": s.col,
        "end_line": s.end_line,
        "end_column": s.end_col,
        "start": s.start,
        "end": s.end,
    }


@dataclass(slots=True)
class DiagnosticBag:
    """Collects diagnostics for one source file."""

    path: str
    items: list[Diagnostic] = field(default_factory=list)

    def error(
        self,
        code: str,
        message: str,
        span: Span | None,
        help: str | None = None,
        related: Iterable[Related] = (),
        fixes: Iterable[Fix] = (),
    ) -> Diagnostic:
        return self._add(code, Severity.ERROR, message, span, help, related, fixes)

    def warning(
        self,
        code: str,
        message: str,
        span: Span | None,
        help: str | None = None,
        related: Iterable[Related] = (),
        fixes: Iterable[Fix] = (),
    ) -> Diagnostic:
        return self._add(code, Severity.WARNING, message, span, help, related, fixes)

    def _add(
        self,
        code: str,
        severity: Severity,
        message: str,
        span: Span | None,
        help: str | None,
        related: Iterable[Related],
        fixes: Iterable[Fix] = (),
    ) -> Diagnostic:
        assert code in CODES, f"undocumented diagnostic code {code}"
        d = Diagnostic(code, severity, message, span, self.path, help, tuple(related), tuple(fixes))
        self.items.append(d)
        return d

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    if d.span is None:
        return (d.path, 0, 0, d.code)
    return (d.path, d.span.start, d.span.end, d.code)


# ---------------------------------------------------------------- rendering


def render_text(diags: Iterable[Diagnostic], sources: dict[str, str], color: bool = False) -> str:
    """Compiler-style text: ``path:line:col: error[E010]: …``, source line, caret, help."""
    out: list[str] = []
    lines: dict[str, list[str]] = {}  # each source split once, not once per diagnostic
    for d in sorted(diags, key=sort_key):
        source = sources.get(d.path)
        if source is not None and d.path not in lines:
            lines[d.path] = split_lines(source)
        out.append(_render_one(d, lines.get(d.path), color))
    return "\n".join(out)


def _style(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _render_one(d: Diagnostic, source: list[str] | None, color: bool) -> str:
    sev_color = {"error": "1;31", "warning": "1;33", "note": "1;36"}[d.severity.value]
    head = _style(f"{d.severity.value}[{d.code}]", sev_color, color)
    path = _shown(d.path)
    if d.span is None:
        lines = [f"{path}: {head}: {_shown(d.message)}"]
    else:
        lines = [f"{path}:{d.span.line}:{d.span.col}: {head}: {_shown(d.message)}"]
        if source is not None:
            lines.extend(_excerpt(source, d.span, color, sev_color))
    for r in d.related:
        where = _shown(r.path or d.path)
        lines.append(f"  note: {_shown(r.message)} at {where}:{r.span.line}:{r.span.col}")
        rel_src = source if (r.path is None or r.path == d.path) else None
        if rel_src is not None:
            lines.extend(_excerpt(rel_src, r.span, color, "1;36"))
    if d.help:
        lines.append(f"  = help: {_shown(d.help)}")
    return "\n".join(lines)


def _shown(text: str) -> str:
    """Text for a terminal: control, bidirectional and invisible characters escaped."""
    return escape_controls(text, newlines=False)


#: Characters of a source line shown before and after a span (and of a span itself,
#: twice that) in an excerpt.
_CONTEXT = 100


def _excerpt(src_lines: list[str], span: Span, color: bool, caret_color: str) -> list[str]:
    """The span's source line and a caret line under it.

    ``src_lines`` are split exactly where the parser counts lines (``\n``,
    ``\r\n``, a lone ``\r``: :func:`~pactlang.base.text.split_lines`);
    characters that must not reach a terminal raw are shown escaped (``\x1b``,
    ``\u202e``) and the carets stay under the same characters."""
    if not 1 <= span.line <= len(src_lines):
        return []
    raw = src_lines[span.line - 1]
    start = min(max(span.col - 1, 0), len(raw))
    if span.end_line == span.line:
        end = max(span.end_col - 1, start + 1)
    else:
        end = len(raw)
    end = min(end, len(raw))

    def shown(part: str) -> str:
        return _shown(part.expandtabs(1))

    # a very long line is cut around the span (a minified file, a huge literal)
    head = tail = ""
    if start > _CONTEXT:
        head, raw, end, start = "…", raw[start - _CONTEXT :], end - start + _CONTEXT, _CONTEXT
    if end - start > 2 * _CONTEXT:
        end = start + 2 * _CONTEXT
    if len(raw) > end + _CONTEXT:
        raw, tail = raw[: end + _CONTEXT], "…"
    before, inside = head + shown(raw[:start]), shown(raw[start:end])
    text = before + inside + shown(raw[end:]) + tail
    gutter = f"{span.line:>4} | "
    caret = " " * len(before) + "^" * max(len(inside), 1)
    return [
        gutter + text,
        " " * (len(gutter) - 2) + "| " + _style(caret, caret_color, color),
    ]


def render_json(diags: Iterable[Diagnostic]) -> str:
    items = [d.to_json() for d in sorted(diags, key=sort_key)]
    errors = sum(1 for i in items if i["severity"] == "error")
    warnings = sum(1 for i in items if i["severity"] == "warning")
    doc = {"diagnostics": items, "errors": errors, "warnings": warnings}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_sarif(diags: Iterable[Diagnostic], tool_version: str) -> str:
    """SARIF 2.1.0 log for code-scanning services."""
    diags = sorted(diags, key=sort_key)
    used = sorted({d.code for d in diags})
    rules = [
        {
            "id": code,
            "name": CODES[code],
            "shortDescription": {"text": CODES[code]},
            "helpUri": f"https://pactlang.invalid/docs/diagnostics#{code.lower()}",
        }
        for code in used
    ]
    index = {code: i for i, code in enumerate(used)}
    results = []
    for d in diags:
        level = {"error": "error", "warning": "warning", "note": "note"}[d.severity.value]
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": level,
            "message": {"text": d.message + (f" (help: {d.help})" if d.help else "")},
        }
        loc: dict[str, object] = {"artifactLocation": {"uri": d.path.replace("\\", "/")}}
        if d.span is not None:
            loc["region"] = {
                "startLine": d.span.line,
                "startColumn": d.span.col,
                "endLine": d.span.end_line,
                "endColumn": max(d.span.end_col, d.span.col + 1)
                if d.span.end_line == d.span.line
                else d.span.end_col,
            }
        result["locations"] = [{"physicalLocation": loc}]
        if d.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": {"uri": (r.path or d.path).replace("\\", "/")},
                        "region": {"startLine": r.span.line, "startColumn": r.span.col},
                    },
                }
                for i, r in enumerate(d.related)
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pact",
                        "informationUri": "https://pactlang.invalid",
                        "version": tool_version,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False)
