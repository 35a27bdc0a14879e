"""``pact lsp`` end to end: a pytest-lsp client talks JSON-RPC over stdio to the
installed ``pact lsp`` and asks for what an editor asks for, on the examples.

One server serves the whole module.  Documents that tests change are copies
in a temporary folder, so the tests do not depend on each other's edits.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsp_helpers import (  # noqa: E402
    EXAMPLES,
    apply_edits,
    marked,
    server_command,
    span_position,
    utf16_position,
)
from lsprotocol import types as lsp  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from pactlang.api import check_file, check_source  # noqa: E402
from pactlang.syntax.format import format_source  # noqa: E402

ALLIANCE = EXAMPLES / "alliance.pact"
ALLIANCE_TESTS = EXAMPLES / "alliance.test.pact"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.pact"))
WAIT_STEPS = 600  # × 0.05 s: the longest wait for diagnostics before a test fails

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=server_command()))
async def client(lsp_client: LanguageClient):
    params = lsp.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=EXAMPLES.parent.as_uri(),
    )
    result = await lsp_client.initialize_session(params)
    assert result.capabilities.position_encoding in (None, lsp.PositionEncodingKind.Utf16)
    yield
    await lsp_client.shutdown_session()


# ------------------------------------------------------------------ helpers


def doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


def pos(text: str, offset: int) -> lsp.Position:
    line, character = utf16_position(text, offset)
    return lsp.Position(line=line, character=character)


def rng(text: str, start: int, end: int) -> lsp.Range:
    return lsp.Range(start=pos(text, start), end=pos(text, end))


_UNPUBLISHED: list = []  # a marker: replaced by the client when the server publishes


async def publish(client: LanguageClient, uri: str, action: Callable[[], None]) -> list:
    """Do ``action`` and return the next diagnostics published for ``uri``."""
    client.diagnostics[uri] = _UNPUBLISHED
    action()
    for _ in range(WAIT_STEPS):
        got = client.diagnostics.get(uri)
        if got is not _UNPUBLISHED:
            return list(got or ())
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics published for {uri}")


async def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> list:
    """Open a document (once per session) and return its diagnostics."""
    opened: set[str] = client.__dict__.setdefault("opened_for_tests", set())
    if path.as_uri() in opened:
        return list(client.diagnostics.get(path.as_uri()) or ())
    opened.add(path.as_uri())
    text = path.read_text(encoding="utf-8") if text is None else text
    item = lsp.TextDocumentItem(uri=path.as_uri(), language_id="pact", version=1, text=text)
    params = lsp.DidOpenTextDocumentParams(text_document=item)
    return await publish(client, path.as_uri(), lambda: client.text_document_did_open(params))


async def change_doc(
    client: LanguageClient, uri: str, version: int, text: str, start: int, end: int, new: str
) -> list:
    """Replace ``text[start:end]`` with ``new`` (an incremental change)."""
    change = lsp.TextDocumentContentChangePartial(range=rng(text, start, end), text=new)
    params = lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[change],
    )
    return await publish(client, uri, lambda: client.text_document_did_change(params))


def expected_diagnostics(text: str, path: str) -> list[tuple[str, tuple, tuple, str]]:
    """What ``pact check`` reports, as (code, start, end, severity), from its line/col."""
    out = []
    for d in check_source(text, path).diagnostics:
        assert d.span is not None
        start = span_position(text, d.span.line, d.span.col)
        end = span_position(text, d.span.end_line, d.span.end_col)
        out.append((d.code, start, end, d.severity.value))
    return out


def shown(diags: list) -> list[tuple[str, tuple, tuple, str]]:
    names = {1: "error", 2: "warning", 3: "note"}
    return [
        (
            d.code,
            (d.range.start.line, d.range.start.character),
            (d.range.end.line, d.range.end.character),
            names[d.severity],
        )
        for d in diags
    ]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example contracts and their data, for tests that edit documents."""
    root = tmp_path_factory.mktemp("examples")
    shutil.copytree(EXAMPLES.parent / "data", root / "data")
    folder = root / "contracts"
    folder.mkdir()
    for p in EXAMPLE_FILES:
        shutil.copy(p, folder / p.name)
    return folder


# -------------------------------------------------------------- diagnostics


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
async def test_examples_get_the_diagnostics_of_pact_check(
    client: LanguageClient, path: Path
) -> None:
    diags = await open_doc(client, path)
    assert [d.code for d in diags] == [d.code for d in check_file(path).diagnostics]
    assert shown(diags) == expected_diagnostics(path.read_text(encoding="utf-8"), str(path))


BROKEN = """contract "Cassé" {
  currency EUR
  effective 2026-01-01 until 2026-12-31
  party acme "ACME 🚀"
  party orbis "Orbis"
  measure revenue "Chiffre d'affaires co-généré 🚀": money
  kpi growth "Croissance 🚀": money = revenue + 5000
  let x "Coût 🚀" = revnue * 2
  threshold t "Seuil" {
    when growth < 10 USD: breach => pay 5 EUR from acmee to orbis
    otherwise: ok
  }
}
"""


async def test_errors_have_the_codes_spans_and_help_of_pact_check(
    client: LanguageClient, workdir: Path
) -> None:
    path = workdir / "broken.pact"
    path.write_text(BROKEN, encoding="utf-8")
    diags = await open_doc(client, path)
    assert shown(diags) == expected_diagnostics(BROKEN, str(path))
    codes = [d.code for d in diags]
    assert {"E010", "E021", "E022"} <= set(codes)
    undeclared = next(d for d in diags if "revnue" in d.message)
    assert undeclared.source == "pact"
    assert undeclared.message.endswith("help: did you mean `revenue`?")
    assert undeclared.related_information  # `revenue` is declared here
    related = undeclared.related_information[0].location
    start = BROKEN.index("revenue")
    assert related.range == rng(BROKEN, start, start + len("revenue"))


async def test_diagnostics_follow_typing(client: LanguageClient, workdir: Path) -> None:
    path = workdir / "typing.pact"
    text = (EXAMPLES / "alliance.pact").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert await open_doc(client, path) == []
    uri = path.as_uri()
    at = text.index("leads_won / leads_total")
    # type an undeclared name over `leads_won`
    diags = await change_doc(client, uri, 2, text, at, at + len("leads_won"), "leads_wonn")
    edited = text[:at] + "leads_wonn" + text[at + len("leads_won") :]
    assert shown(diags) == expected_diagnostics(edited, str(path))
    e010 = next(d for d in diags if d.code == "E010")
    assert e010.range == rng(edited, at, at + len("leads_wonn"))
    # and fix it again
    diags = await change_doc(client, uri, 3, edited, at, at + len("leads_wonn"), "leads_won")
    assert diags == []


# -------------------------------------------------------------------- hover


async def hover_at(client: LanguageClient, path: Path, text: str, offset: int) -> lsp.Hover | None:
    return await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc(path.as_uri()), position=pos(text, offset))
    )


async def test_hover_on_a_kpi(client: LanguageClient) -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE)
    at = text.index("conversion <")  # a use in a threshold
    h = await hover_at(client, ALLIANCE, text, at + 2)
    assert h is not None and isinstance(h.contents, lsp.MarkupContent)
    value = h.contents.value
    assert h.range == rng(text, at, at + len("conversion"))
    words = " ".join(value.split())  # French quotes are followed by a narrow no-break space
    assert "**KPI** `conversion` — `percent`" in value
    assert "- fr: Taux de conversion des leads" in value
    assert "- en: Lead conversion rate" in value
    assert "```pact\nkpi conversion " in value and "= leads_won / leads_total {" in value
    assert "*In words (fr):* Le rapport entre « Leads convertis en commandes »" in words
    assert "*In words (en):* The ratio of “Leads converted into orders”" in words
    assert "depends on `leads_total`, `leads_won`" in value


async def test_hover_on_a_measure_a_party_and_a_function(client: LanguageClient) -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE)
    h = await hover_at(client, ALLIANCE, text, text.index("revenue, 3 months"))
    assert h is not None
    assert "**measure** `revenue` — `money` (an amount in EUR)" in h.contents.value
    assert "- en: Co-generated revenue" in h.contents.value
    h = await hover_at(client, ALLIANCE, text, text.index("orbis to acme") + 1)
    assert h is not None and "**party** `orbis`" in h.contents.value
    h = await hover_at(client, ALLIANCE, text, text.index("sum(revenue"))
    assert h is not None and "**built-in function** `sum`" in h.contents.value
    assert await hover_at(client, ALLIANCE, text, text.index("contract")) is None


# ---------------------------------------------------- definition, references


async def test_definition_in_the_same_file(client: LanguageClient) -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE)
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=doc(ALLIANCE.as_uri()), position=pos(text, text.index("penalty from"))
        )
    )
    assert isinstance(got, lsp.Location)
    decl = text.index("let penalty") + len("let ")
    assert got.uri == ALLIANCE.as_uri()
    assert got.range == rng(text, decl, decl + len("penalty"))


async def test_definition_from_a_test_file_goes_to_the_contract(client: LanguageClient) -> None:
    tests = ALLIANCE_TESTS.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE_TESTS)
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=doc(ALLIANCE_TESTS.as_uri()),
            position=pos(tests, tests.index("conversion_floor at")),
        )
    )
    contract = ALLIANCE.read_text(encoding="utf-8")
    decl = contract.index("threshold conversion_floor") + len("threshold ")
    assert isinstance(got, lsp.Location)
    assert got.uri == ALLIANCE.as_uri()
    assert got.range == rng(contract, decl, decl + len("conversion_floor"))


async def test_references_cover_the_contract_and_its_tests(client: LanguageClient) -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    tests = ALLIANCE_TESTS.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE)
    got = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=doc(ALLIANCE.as_uri()),
            position=pos(text, text.index("kpi conversion") + 5),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert got is not None
    by_file: dict[str, list[lsp.Range]] = {}
    for loc in got:
        by_file.setdefault(loc.uri, []).append(loc.range)
    assert set(by_file) == {ALLIANCE.as_uri(), ALLIANCE_TESTS.as_uri()}
    for uri, source in ((ALLIANCE.as_uri(), text), (ALLIANCE_TESTS.as_uri(), tests)):
        import re

        starts = [m.start() for m in re.finditer(r"\bconversion\b", source)]
        # every `conversion` outside comments and strings is a reference
        code = [s for s in starts if "#" not in source[source.rfind("\n", 0, s) : s]]
        code = [s for s in code if source[:s].count('"') % 2 == 0]
        assert sorted(by_file[uri], key=lambda r: (r.start.line, r.start.character)) == [
            rng(source, s, s + len("conversion")) for s in code
        ]


# ------------------------------------------------------------------- rename


async def test_rename_edits_the_contract_and_its_tests(
    client: LanguageClient, workdir: Path
) -> None:
    contract = workdir / "alliance.pact"
    tests = workdir / "alliance.test.pact"
    text = contract.read_text(encoding="utf-8")
    await open_doc(client, contract)
    at = text.index("threshold conversion_floor") + len("threshold ")
    prepared = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(text_document=doc(contract.as_uri()), position=pos(text, at))
    )
    assert prepared == rng(text, at, at + len("conversion_floor"))
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=doc(contract.as_uri()), position=pos(text, at), new_name="conv_floor"
        )
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {contract.as_uri(), tests.as_uri()}
    new_text = apply_edits(text, list(edit.changes[contract.as_uri()]))
    new_tests = apply_edits(tests.read_text(encoding="utf-8"), list(edit.changes[tests.as_uri()]))
    contract.write_text(new_text, encoding="utf-8")
    tests.write_text(new_tests, encoding="utf-8")
    assert check_file(contract).ok and check_file(tests).ok
    assert "expect conv_floor at 2026-05 is breach" in new_tests


@pytest.mark.parametrize(
    "new_name,why",
    [
        ("threshold", "reserved keyword"),
        ("Penalty", "is not a name"),
        ("sum", "built-in function"),
        ("bonus_amount", None),
        ("performance_bonus", "already the name of another declaration"),
    ],
)
async def test_rename_refuses_bad_names(
    client: LanguageClient, new_name: str, why: str | None
) -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE)
    params = lsp.RenameParams(
        text_document=doc(ALLIANCE.as_uri()),
        position=pos(text, text.index("let penalty") + 5),
        new_name=new_name,
    )
    if why is None:
        assert await client.text_document_rename_async(params) is not None
        return
    with pytest.raises(JsonRpcException, match=why):
        await client.text_document_rename_async(params)


async def test_nothing_to_rename_on_a_keyword(client: LanguageClient) -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    await open_doc(client, ALLIANCE)
    got = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(
            text_document=doc(ALLIANCE.as_uri()), position=pos(text, text.index("threshold"))
        )
    )
    assert got is None


# ------------------------------------------------------------------ symbols


async def test_document_symbols_outline_the_contract(client: LanguageClient) -> None:
    await open_doc(client, ALLIANCE)
    got = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=doc(ALLIANCE.as_uri()))
    )
    assert got is not None
    root, *tests_blocks = [s for s in got if isinstance(s, lsp.DocumentSymbol)]
    assert all(t.kind == lsp.SymbolKind.Module for t in tests_blocks)
    assert root.name == "Alliance Solutions Durables" and root.kind == lsp.SymbolKind.Namespace
    by_name = {s.name: s for s in root.children or []}
    assert by_name["conversion"].kind == lsp.SymbolKind.Function
    assert by_name["conversion"].detail == "KPI: percent — Taux de conversion des leads"
    assert by_name["acme"].kind == lsp.SymbolKind.Object
    assert [c.name for c in by_name["steering"].children or []] == [
        "budget",
        "scope",
        "brand",
        "data_sharing",
        "exit",
    ]
    assert [c.name for c in by_name["disputes"].children or []][-1] == "arbitration"
    assert [c.kind for c in by_name["fund"].children or []] == [lsp.SymbolKind.Property] * 2
    tests = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=doc(ALLIANCE_TESTS.as_uri()))
    )
    assert tests and all(s.kind == lsp.SymbolKind.Module for s in tests)


# --------------------------------------------------------------- completion


async def complete(client: LanguageClient, path: Path, text: str, offset: int) -> list[str]:
    got = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=doc(path.as_uri()), position=pos(text, offset))
    )
    assert got is not None
    items = got.items if isinstance(got, lsp.CompletionList) else got
    return [i.label for i in items]


async def test_completion_while_typing(client: LanguageClient, workdir: Path) -> None:
    path = workdir / "completion.pact"
    original = ALLIANCE.read_text(encoding="utf-8")
    end = original.index("  # ------------------------------------------------ Article 9")
    snippet = '  threshold t "T" {\n    when conversion < 5%: ‸\n  }\n'
    text, offset = marked(original[:end] + snippet + original[end:])
    path.write_text(text, encoding="utf-8")
    await open_doc(client, path)
    assert await complete(client, path, text, offset) == ["ok", "watch", "breach", "bonus"]
    # a half-written payment: the file does not parse, the names are still known
    text2, offset2 = marked(original[:end] + "  threshold t \"T\" {\n    when conversion < 5%: breach => pay penalty from ‸" + original[end:])
    await change_doc(client, path.as_uri(), 2, text, 0, len(text), text2)
    assert await complete(client, path, text2, offset2) == ["acme", "orbis"]
    labels = await complete(client, path, text2, text2.index("conversion < 5%"))
    assert {"conversion", "revenue", "sum", "if"} <= set(labels)


# --------------------------------------------------------------- formatting


async def test_formatting_is_pact_fmt(client: LanguageClient, workdir: Path) -> None:
    path = workdir / "messy.pact"
    messy = 'contract   "M" {\n currency EUR\n  measure  revenue "R":money\n let x=revenue*2   # note\n}\n'
    path.write_text(messy, encoding="utf-8")
    await open_doc(client, path)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=doc(path.as_uri()), options=options)
    )
    assert edits
    assert apply_edits(messy, list(edits)) == format_source(messy)
    canonical = workdir / "canonical.pact"
    shutil.copy(ALLIANCE, canonical)
    await open_doc(client, canonical)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=doc(canonical.as_uri()), options=options)
    )
    assert edits is not None and list(edits) == []  # the examples are canonical (pact fmt --check passes on them)
    broken = workdir / "unparsable.pact"
    broken.write_text('contract "B" {\n  let = \n}\n', encoding="utf-8")
    await open_doc(client, broken)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=doc(broken.as_uri()), options=options)
    )
    assert not edits


# ------------------------------------------------------------- quick fixes


async def test_quick_fix_writes_the_amount_with_its_currency(
    client: LanguageClient, workdir: Path
) -> None:
    path = workdir / "fixme.pact"
    path.write_text(BROKEN, encoding="utf-8")
    diags = await open_doc(client, path)
    e022 = next(d for d in diags if d.code == "E022")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=doc(path.as_uri()),
            range=e022.range,
            context=lsp.CodeActionContext(diagnostics=[e022]),
        )
    )
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, lsp.CodeAction)]
    assert "write the amount with its currency (E022)" in titles
    action = next(
        a for a in actions if isinstance(a, lsp.CodeAction) and a.title.endswith("(E022)")
    )
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred
    assert action.edit is not None and action.edit.changes is not None
    fixed = apply_edits(BROKEN, list(action.edit.changes[path.as_uri()]))
    assert "revenue + 5000 EUR" in fixed
    assert "E022" not in {d.code for d in check_source(fixed, str(path)).diagnostics}
    # every diagnostic with a known fix gets its action: fix them all, the errors are gone
    everything = lsp.Range(start=lsp.Position(line=0, character=0), end=pos(BROKEN, len(BROKEN)))
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=doc(path.as_uri()),
            range=everything,
            context=lsp.CodeActionContext(diagnostics=diags),
        )
    )
    assert actions is not None
    edits = [e for a in actions if isinstance(a, lsp.CodeAction) for e in a.edit.changes[path.as_uri()]]  # type: ignore[union-attr]
    all_fixed = apply_edits(BROKEN, edits)
    assert [d for d in check_source(all_fixed, str(path)).diagnostics if d.is_error] == []


# ---------------------------------------------------- positions in UTF-16


async def test_positions_after_accents_and_emoji(client: LanguageClient, workdir: Path) -> None:
    """A line with "Chiffre d'affaires co-généré" and an emoji before the names."""
    path = workdir / "unicode.pact"
    text = (
        'contract "Unicode" {\n  currency EUR\n'
        '  measure revenue "Chiffre d\'affaires co-généré 🚀" en "Revenue": money\n'
        '  let doubled "Chiffre d\'affaires co-généré 🚀🚀" = revenue * 2 + revenu\n'
        "}\n"
    )
    path.write_text(text, encoding="utf-8")
    diags = await open_doc(client, path)
    typo = text.index("revenu\n")
    e010 = next(d for d in diags if d.code == "E010")
    assert e010.range == rng(text, typo, typo + len("revenu"))
    # the emoji count 2 UTF-16 units: the ranges below would be off by 2 otherwise
    assert e010.range.start.character == len(text[text.rfind("\n", 0, typo) + 1 : typo]) + 2
    use = text.index("revenue * 2")
    h = await hover_at(client, path, text, use)
    assert h is not None and h.range == rng(text, use, use + len("revenue"))
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=doc(path.as_uri()), position=pos(text, use + 6))
    )
    decl = text.index("measure revenue") + len("measure ")
    assert isinstance(got, lsp.Location) and got.range == rng(text, decl, decl + len("revenue"))


# ------------------------------------------------------------------ saving


async def test_saving_a_contract_rechecks_the_open_files_that_test_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLES.parent / "data", tmp_path / "data")
    folder = tmp_path / "contracts"
    folder.mkdir()
    contract, tests = folder / "alliance.pact", folder / "alliance.test.pact"
    shutil.copy(ALLIANCE, contract)
    shutil.copy(ALLIANCE_TESTS, tests)
    assert await open_doc(client, tests) == []
    text = contract.read_text(encoding="utf-8")
    await open_doc(client, contract)
    # the contract is saved with a ladder's step renamed: its test file names a step no more
    renamed = text.replace("managers", "leads")
    contract.write_text(renamed, encoding="utf-8")
    await change_doc(client, contract.as_uri(), 2, text, 0, len(text), renamed)
    params = lsp.DidSaveTextDocumentParams(text_document=doc(contract.as_uri()))
    diags = await publish(client, tests.as_uri(), lambda: client.text_document_did_save(params))
    assert {d.code for d in diags} == {"E010"}
    assert all("has no step `managers`" in d.message for d in diags)
