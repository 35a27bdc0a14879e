"""``pact lsp``: the language server, on standard input and output (pygls).

The server keeps the text of open documents (incremental sync) and analyses
each version once, on demand (:mod:`.document`); every feature reads that
analysis.  Diagnostics are published when a document opens, when it is
saved, and :data:`DEBOUNCE_SECONDS` after the last change while typing (a
burst of keystrokes is checked once); they are the diagnostics of ``pact
check``: same codes, spans, messages and help.  Saving a contract re-checks
the open files that test it (``tests for`` files read the contract from disk).

Features: diagnostics, hover, go to definition, find references, document
highlights, rename (with prepare), document symbols (outline), completion
(trigger character ``.``), formatting and quick fixes.  Positions are
converted in the encoding negotiated with the client (UTF-16 unless the client
prefers UTF-8 or UTF-32).

Logging goes to standard error; standard output carries only the protocol.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from pactlang.api import UsageError, read_source
from pactlang.base.version import __version__
from pactlang.lsp import navigation
from pactlang.lsp.actions import code_actions, formatting
from pactlang.lsp.completion import candidates
from pactlang.lsp.convert import completion_item, diagnostic, location, lsp_range
from pactlang.lsp.document import Analysis, analyse, path_to_uri, uri_to_path
from pactlang.lsp.hover import hover
from pactlang.lsp.positions import ENCODINGS, UTF16
from pactlang.lsp.symbols import document_symbols

DEBOUNCE_SECONDS = 0.2

log = logging.getLogger("pactlang.lsp")


class PactLanguageServer(LanguageServer):
    """The pygls server with the analyses of the documents it knows."""

    def __init__(self) -> None:
        super().__init__(
            "pact", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental
        )
        self.analyses: dict[str, Analysis] = {}  # uri -> analysis of its latest version
        self.last_with_contract: dict[str, Analysis] = {}  # uri -> for completion names
        self.on_disk: dict[str, tuple[int, Analysis]] = {}  # path -> (mtime, analysis)

    # ------------------------------------------------------------ analyses

    @property
    def encoding(self) -> str:
        try:
            enc = self.workspace.position_encoding
        except RuntimeError:  # before initialization
            return UTF16
        value = str(getattr(enc, "value", enc) or UTF16)
        return value if value in ENCODINGS else UTF16

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the current text of ``uri`` (computed once per version)."""
        doc = self.workspace.get_text_document(uri)
        text = doc.source
        got = self.analyses.get(uri)
        if (
            got is None
            or got.version != doc.version
            or got.text != text
            or got.encoding != self.encoding
        ):
            got = analyse(uri, text, doc.version, self.encoding)
            self.analyses[uri] = got
            if got.contract is not None:
                self.last_with_contract[uri] = got
        return got

    def open_uris(self) -> dict[str, str]:
        """Resolved path -> URI of every open ``file:`` document."""
        out = {}
        for uri in list(self.workspace.text_documents):
            path = uri_to_path(uri)
            if path != uri:
                out[str(Path(path).resolve())] = uri
        return out

    # navigation.Files
    def analysis_of(self, path: str) -> Analysis | None:
        uri = self.open_uris().get(str(Path(path).resolve()))
        if uri is not None:
            return self.analysis(uri)
        try:
            mtime = Path(path).stat().st_mtime_ns
        except OSError:
            return None
        cached = self.on_disk.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        text = self.text_of(path)
        if text is None:
            return None
        got = analyse(path_to_uri(str(Path(path).resolve())), text, None, self.encoding)
        self.on_disk[path] = (mtime, got)
        return got

    def text_of(self, path: str) -> str | None:
        uri = self.open_uris().get(str(Path(path).resolve()))
        if uri is not None:
            return self.workspace.get_text_document(uri).source
        try:
            return read_source(path).text
        except UsageError:
            return None

    def open_paths(self) -> Iterable[str]:
        return list(self.open_uris())

    # --------------------------------------------------------- diagnostics

    def publish(self, uri: str) -> None:
        an = self.analysis(uri)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=uri,
                version=an.version,
                diagnostics=[diagnostic(an, d) for d in an.result.diagnostics],
            )
        )

    def log(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Info, message=message))


server = PactLanguageServer()


def _offset(an: Analysis, pos: lsp.Position) -> int:
    return an.offset(pos.line, pos.character)


# ----------------------------------------------------------------- sync


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PactLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: PactLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    await asyncio.sleep(DEBOUNCE_SECONDS)
    if uri not in ls.workspace.text_documents:
        return  # closed meanwhile
    if ls.workspace.get_text_document(uri).version != version:
        return  # a later change publishes
    ls.publish(uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PactLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    saved = str(Path(uri_to_path(params.text_document.uri)).resolve())
    ls.on_disk.pop(saved, None)
    ls.publish(params.text_document.uri)
    for path, uri in ls.open_uris().items():
        if path == saved:
            continue
        text = ls.workspace.get_text_document(uri).source
        if navigation.tests_for_target(path, text) == saved:
            ls.analyses.pop(uri, None)  # its contract changed on disk
            ls.publish(uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PactLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.analyses.pop(uri, None)
    ls.last_with_contract.pop(uri, None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


# ------------------------------------------------------------- features


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PactLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    an = ls.analysis(params.text_document.uri)
    got = hover(an, _offset(an, params.position))
    if got is None:
        return None
    text, span = got
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
        range=lsp_range(an.lines(), span),
    )


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def on_definition(ls: PactLanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    an = ls.analysis(params.text_document.uri)
    place = navigation.definition(an, _offset(an, params.position), ls)
    if place is None:
        return None
    return location(place.analysis, place.path, place.span)


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def on_references(ls: PactLanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    an = ls.analysis(params.text_document.uri)
    places = navigation.references(
        an, _offset(an, params.position), ls, params.context.include_declaration
    )
    return [location(p.analysis, p.path, p.span) for p in places]


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
def on_highlight(
    ls: PactLanguageServer, params: lsp.DocumentHighlightParams
) -> list[lsp.DocumentHighlight]:
    an = ls.analysis(params.text_document.uri)
    sym = navigation.symbol_at(an, _offset(an, params.position))
    if sym is None:
        return []
    return [
        lsp.DocumentHighlight(
            range=lsp_range(an.lines(), o.span),
            kind=lsp.DocumentHighlightKind.Write if o.is_def else lsp.DocumentHighlightKind.Read,
        )
        for o in an.index.of(sym.key)
    ]


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def on_prepare_rename(ls: PactLanguageServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
    an = ls.analysis(params.text_document.uri)
    span = navigation.prepare_rename(an, _offset(an, params.position))
    return None if span is None else lsp_range(an.lines(), span)


@server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
def on_rename(ls: PactLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
    an = ls.analysis(params.text_document.uri)
    try:
        places = navigation.rename(an, _offset(an, params.position), params.new_name, ls)
    except navigation.RenameError as exc:
        raise JsonRpcException(str(exc), code=lsp.LSPErrorCodes.RequestFailed) from None
    changes: dict[str, list[lsp.TextEdit]] = {}
    for p in places:
        loc = location(p.analysis, p.path, p.span)
        changes.setdefault(loc.uri, []).append(
            lsp.TextEdit(range=loc.range, new_text=params.new_name)
        )
    return lsp.WorkspaceEdit(changes=changes)


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def on_symbols(
    ls: PactLanguageServer, params: lsp.DocumentSymbolParams
) -> list[lsp.DocumentSymbol]:
    return document_symbols(ls.analysis(params.text_document.uri))


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["."]))
def on_completion(ls: PactLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri = params.text_document.uri
    an = ls.analysis(uri)
    named = an if an.contract is not None else ls.last_with_contract.get(uri, an)
    cc = named.contract
    items = candidates(
        an.text,
        _offset(an, params.position),
        named.index.symbols,
        cc.value_types if cc is not None else {},
    )
    return lsp.CompletionList(is_incomplete=False, items=[completion_item(c) for c in items])


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def on_formatting(
    ls: PactLanguageServer, params: lsp.DocumentFormattingParams
) -> list[lsp.TextEdit] | None:
    an = ls.analysis(params.text_document.uri)
    got = formatting(an)
    if isinstance(got, str):
        ls.log(got)
        return None
    return got


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
)
def on_code_action(ls: PactLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    return code_actions(ls.analysis(params.text_document.uri), params.range)


def serve() -> None:
    """Run the server on standard input and output until the client exits."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="pact lsp: %(message)s")
    server.start_io()
