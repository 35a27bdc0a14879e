"""LANGUAGE.md §2 and §3 — a file, declarations, labels and translations, the header."""

from __future__ import annotations

from pathlib import Path

import pytest

import pactlang
from spec.spec_helpers import contract, diagnostics, error_codes, evaluate, pact, write


def test_a_name_declared_twice_points_at_both_places(tmp_path: Path) -> None:
    src = contract('measure revenue "R": money\nlet revenue = 5\nlet v = revenue')
    errs = [d for d in diagnostics(tmp_path, src) if d["severity"] == "error"]
    assert errs
    dup = errs[0]
    lines = src.splitlines()
    first = next(i for i, line in enumerate(lines, start=1) if "measure revenue" in line)
    second = next(i for i, line in enumerate(lines, start=1) if "let revenue" in line)
    places = {dup["span"]["line"], *(r["span"]["line"] for r in dup.get("related", []))}
    assert {first, second} <= places, dup


def test_an_undeclared_name_is_an_error(tmp_path: Path) -> None:
    errs = [
        d
        for d in diagnostics(tmp_path, contract("let v = nothing_here + 1"))
        if d["severity"] == "error"
    ]
    assert errs and "nothing_here" in errs[0]["message"]


def test_a_second_contract_block_is_an_error(tmp_path: Path) -> None:
    src = contract("let a = 1") + contract("let b = 2", title="Second")
    run = pact("check", write(tmp_path, "two.pact", src))
    assert run.exit_code == 1


@pytest.mark.parametrize("text", ["", "# only a comment\n"], ids=["empty", "comment"])
def test_a_file_without_a_contract_is_an_error(tmp_path: Path, text: str) -> None:
    """§2: "A file holds one `contract` block" (a `tests for` file aside): a file
    with nothing in it holds none, so `pact check` reports an error (exit 1)
    instead of "0 error(s)", and the API refuses it with that diagnostic."""
    run = pact("check", "--format", "json", write(tmp_path, "empty.pact", text))
    assert run.exit_code == 1
    assert [d["severity"] for d in run.json["diagnostics"]] == ["error"]
    with pytest.raises(pactlang.PactError) as exc:
        pactlang.loads(text)
    assert exc.value.diagnostics


def test_declaration_order_is_free(tmp_path: Path) -> None:
    src = contract('let v = w * 2\nlet w = x + 1\nmeasure x "X": number')
    doc = evaluate(tmp_path, src, {"2026-01": {"x": "1"}})
    assert doc["lets"]["v"]["2026-01"] == "4"


def test_labels_and_translations_in_the_annex(tmp_path: Path) -> None:
    """The first label is in the contract's language; `en "…"` is its English translation."""
    header = '  currency EUR\n  language fr\n  party acme "ACME SAS"\n'
    src = contract(
        'measure leads "Leads issus des campagnes" en "Leads from campaigns": count\n'
        'kpi conv "Taux de conversion" en "Conversion rate": percent = leads / leads {\n'
        '  owner acme\n  source "CRM partagé"\n  frequency monthly\n}',
        header=header,
    )
    c = write(tmp_path, "c.pact", src)
    fr = pact("render", c, "--lang", "fr")
    en = pact("render", c, "--lang", "en")
    assert fr.exit_code == 0 and en.exit_code == 0
    assert "Taux de conversion" in fr.stdout and "Conversion rate" not in fr.stdout
    assert "Conversion rate" in en.stdout and "Leads from campaigns" in en.stdout


def test_kpi_facts_are_rendered_in_the_annex(tmp_path: Path) -> None:
    """§5: the annex states for every KPI its calculation, data source, frequency and owner."""
    src = contract(
        'measure won "Won": count\nmeasure leads "Leads": count\n'
        'kpi conv "Conversion": percent = won / leads {\n  owner orbis\n  source "Shared CRM export"\n  frequency monthly\n  target 20%\n}'
    )
    run = pact("render", write(tmp_path, "c.pact", src), "--lang", "en")
    assert run.exit_code == 0
    out = run.stdout
    assert "Shared CRM export" in out and "Orbis SA" in out and "20" in out
    assert "Won" in out and "Leads" in out


def test_language_defaults_to_english(tmp_path: Path) -> None:
    src = contract('measure x "Visits": count\nlet v = x')
    run = pact("render", write(tmp_path, "c.pact", src))
    assert run.exit_code == 0
    assert "Visits" in run.stdout


def test_unknown_currency_or_language_is_an_error(tmp_path: Path) -> None:
    assert error_codes(tmp_path, contract("let v = 1", header="  currency XYZ\n"))
    assert error_codes(tmp_path, contract("let v = 1", header="  currency EUR\n  language de\n"))


def test_until_before_effective_is_an_error(tmp_path: Path) -> None:
    assert error_codes(
        tmp_path,
        contract("let v = 1", header="  effective 2026-06-01 until 2026-01-31\n  currency EUR\n"),
    )


def test_step_attributes_are_rendered(tmp_path: Path) -> None:
    src = contract(
        'escalation disputes {\n  step mediation within 30 days { institution "CMAP" seat "Paris" }\n  step arbitration final { institution "CCI" arbitrators 3 }\n}'
    )
    run = pact("render", write(tmp_path, "c.pact", src), "--lang", "en")
    assert run.exit_code == 0
    assert "CMAP" in run.stdout and "CCI" in run.stdout and "Paris" in run.stdout
