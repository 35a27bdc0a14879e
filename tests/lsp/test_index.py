"""The index of names: every occurrence names its symbol, every symbol is defined once."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import EXAMPLES

from pactlang.lsp.document import analyse
from pactlang.lsp.hover import FUNCTIONS, hover
from pactlang.lsp.index import FUNCTION
from pactlang.sema.context import BUILTINS

FILES = sorted(EXAMPLES.glob("*.pact"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_occurrence_spells_its_symbol(path: Path) -> None:
    an = analyse(path.as_uri(), path.read_text(encoding="utf-8"))
    assert an.index.occurrences
    for occ in an.index.occurrences:
        written = an.text[occ.span.start : occ.span.end]
        if occ.kind == FUNCTION:
            assert written == occ.key
        else:
            assert written == an.index.symbols[occ.key].name


@pytest.mark.parametrize(
    "path", [p for p in FILES if not p.name.endswith(".test.pact")], ids=lambda p: p.name
)
def test_every_symbol_of_a_contract_is_defined_once_in_it(path: Path) -> None:
    an = analyse(path.as_uri(), path.read_text(encoding="utf-8"))
    defs = [o.key for o in an.index.occurrences if o.is_def]
    assert sorted(defs) == sorted(an.index.symbols)
    # and most are used: a contract with only declarations would test nothing
    used = {o.key for o in an.index.occurrences if not o.is_def}
    assert len(used) > len(an.index.symbols) // 2


def test_a_tests_for_file_names_the_contract_declarations() -> None:
    path = EXAMPLES / "alliance.test.pact"
    an = analyse(path.as_uri(), path.read_text(encoding="utf-8"))
    assert an.is_tests_for and an.result.ok
    kinds = {an.index.symbols[o.key].kind for o in an.index.occurrences if o.kind != FUNCTION}
    assert {"kpi", "threshold", "party", "escalation", "step", "tier"} <= kinds
    assert not any(o.is_def for o in an.index.occurrences)
    target = str(EXAMPLES / "alliance.pact")
    assert {an.index.symbols[o.key].path for o in an.index.occurrences if o.kind != FUNCTION} == {
        target
    }


def test_lookup_at_the_start_inside_and_just_after_a_name() -> None:
    text = 'contract "C" {\n  measure revenue "R": money\n  let x = revenue * 2\n}\n'
    an = analyse("untitled:C", text)
    start = text.index("revenue * 2")
    for offset in (start, start + 3, start + len("revenue")):
        occ = an.index.at(offset)
        assert occ is not None and occ.key == "revenue" and not occ.is_def
    assert an.index.at(text.index("* 2") + 1) is None  # between the operator and the number
    assert an.index.at(text.index("let")) is None  # a keyword


def test_undeclared_names_have_no_occurrence() -> None:
    text = 'contract "C" {\n  measure revenue "R": money\n  let x = revnue * 2\n}\n'
    an = analyse("untitled:C", text)
    assert "E010" in [d.code for d in an.result.diagnostics]
    assert an.index.at(text.index("revnue")) is None


def test_every_built_in_function_has_a_hover_text() -> None:
    assert set(FUNCTIONS) == BUILTINS


def test_hover_over_an_expression_shows_its_type() -> None:
    text = 'contract "C" {\n  currency EUR\n  measure revenue "R": money\n  let x = revenue * 2\n}\n'
    an = analyse("untitled:C", text)
    got = hover(an, text.index("* 2"))
    assert got is not None
    assert got[0].startswith("`revenue * 2` — `money` (an amount in EUR)")
    assert hover(an, text.index("2\n")) is None  # a literal: nothing to add


def test_clause_references_are_occurrences_with_what_they_insert() -> None:
    """`{board.prices}` in a clause text names the committee and its decision at their
    own columns inside the string; hover says what the reference inserts; `governs`
    names are references too (so rename and find-references reach clause texts)."""
    path = EXAMPLES / "distribution.pact"
    text = path.read_text(encoding="utf-8")
    an = analyse(path.as_uri(), text)
    at = text.index("{board.prices}")
    head = an.index.at(at + 1)
    part = an.index.at(at + len("{board.") + 1)
    assert head is not None and head.key == "board" and head.quote == ""
    assert part is not None and part.key == "board.prices" and part.quote == "rule"
    assert text[part.span.start : part.span.end] == "prices"
    shown = hover(an, part.span.start)
    assert shown is not None
    assert "*In this clause text, inserts:* (fr) des voix pour représentant au moins 1/2" in (
        shown[0]
    )
    rate = an.index.at(text.index("{rebate_rate}") + 1)
    assert rate is not None and rate.quote == "value"
    assert "(fr) 3\u00a0%; (en) 3%" in hover(an, rate.span.start)[0]  # type: ignore[index]
    label = an.index.at(text.index("{disputes.court.label}") + len("{disputes.") + 1)
    assert label is not None and label.key == "disputes.court" and label.quote == "label"
    # every use of `rebate_rate`: its `governs` line and the texts in both languages
    uses = [o for o in an.index.of("rebate_rate") if not o.is_def]
    assert len(uses) >= 4
    clause = next(o for o in an.index.occurrences if o.is_def and o.key == "rebate")
    assert an.index.symbols[clause.key].kind == "clause"
