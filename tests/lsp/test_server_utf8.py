"""A client that prefers UTF-8 positions gets them (LSP 3.17 position encodings)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsp_helpers import server_command  # noqa: E402
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

TEXT = (
    'contract "Unicode" {\n  currency EUR\n'
    '  measure revenue "Chiffre d\'affaires co-généré 🚀": money\n'
    '  let doubled "Coût 🚀" = revenue * 2\n'
    "}\n"
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=server_command()))
async def client(lsp_client: LanguageClient):
    caps = lsp.ClientCapabilities(
        general=lsp.GeneralClientCapabilities(
            position_encodings=[lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16]
        )
    )
    result = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=caps))
    assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_positions_in_utf8_bytes(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "unicode.pact"
    path.write_text(TEXT, encoding="utf-8")
    item = lsp.TextDocumentItem(uri=path.as_uri(), language_id="pact", version=1, text=TEXT)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
    use = TEXT.index("revenue * 2")
    line_start = TEXT.rfind("\n", 0, use) + 1
    byte_col = len(TEXT[line_start:use].encode("utf-8"))
    line = TEXT[:use].count("\n")
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=lsp.TextDocumentIdentifier(uri=path.as_uri()),
            position=lsp.Position(line=line, character=byte_col + 1),
        )
    )
    decl = TEXT.index("measure revenue") + len("measure ")
    decl_col = len(TEXT[TEXT.rfind("\n", 0, decl) + 1 : decl].encode("utf-8"))
    assert isinstance(got, lsp.Location)
    assert got.range.start == lsp.Position(line=2, character=decl_col)
    assert got.range.end == lsp.Position(line=2, character=decl_col + len("revenue"))
    # and the hover range of the use, after "Coût 🚀" (2 + 4 bytes more than characters)
    h = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=path.as_uri()),
            position=lsp.Position(line=line, character=byte_col),
        )
    )
    assert h is not None and h.range is not None
    assert h.range.start == lsp.Position(line=line, character=byte_col)
    assert byte_col == (use - line_start) + 1 + 3
