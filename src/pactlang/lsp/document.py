"""One analysed version of a ``.pact`` document: diagnostics, names, positions.

:func:`analyse` runs the same front end as ``pact check``
(:func:`pactlang.api.check_source`: parse, the semantic passes, the test
blocks, and for a ``tests for`` file the contract under test, read from disk)
on the editor's text, then indexes its names (:mod:`.index`).  Every editor
feature reads an :class:`Analysis`; the server keeps one per open document
and version.

Paths: a ``file:`` URI is turned into a file-system path, so diagnostics,
``tests for`` and data paths resolve as they do for ``pact check``; any other
URI (an unsaved buffer) is checked under its URI, with relative paths resolved
from the current folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pactlang.api import CheckResult, check_source
from pactlang.diagnostics import Span
from pactlang.lsp.index import SymbolIndex, build_index
from pactlang.lsp.positions import UTF16, LineIndex, Pos
from pactlang.sema.model import CheckedContract


def uri_to_path(uri: str) -> str:
    """The file-system path of a ``file:`` URI; other URIs are returned unchanged."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return uri
    path = unquote(parts.path)
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]  # pragma: no cover - Windows drive letters
    return path


def path_to_uri(path: str) -> str:
    """The ``file:`` URI of a path (absolute paths only; others are returned unchanged)."""
    p = Path(path)
    if not p.is_absolute():
        return path
    return "file://" + quote(p.as_posix(), safe="/:")


@dataclass(slots=True)
class Analysis:
    """The checked document, its names and its position index."""

    uri: str
    version: int | None
    path: str
    text: str
    result: CheckResult
    index: SymbolIndex
    encoding: str = UTF16
    _lines: dict[str, LineIndex] = field(default_factory=dict)

    @property
    def contract(self) -> CheckedContract | None:
        return self.result.contract

    @property
    def is_tests_for(self) -> bool:
        return self.result.module.contract is None and self.result.module.tests_for is not None

    def lines(self, path: str | None = None) -> LineIndex:
        """The position index of this document, or of another file its symbols live in."""
        path = path or self.path
        got = self._lines.get(path)
        if got is None:
            got = LineIndex(self.source_of(path), self.encoding)
            self._lines[path] = got
        return got

    def source_of(self, path: str) -> str:
        if path == self.path:
            return self.text
        cc = self.contract
        if cc is not None and cc.path == path:
            return cc.source
        return ""

    def offset(self, line: int, character: int) -> int:
        return self.lines().offset(line, character)

    def range_of(self, span: Span, path: str | None = None) -> tuple[Pos, Pos]:
        return self.lines(path).span_range(span)


def analyse(uri: str, text: str, version: int | None = None, encoding: str = UTF16) -> Analysis:
    """Check ``text`` (the editor's content of ``uri``) and index its names."""
    path = uri_to_path(uri)
    result = check_source(text, path)
    index = build_index(result.module, result.contract, path)
    return Analysis(uri, version, path, text, result, index, encoding)
