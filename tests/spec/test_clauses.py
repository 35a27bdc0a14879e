"""LANGUAGE.md §9b — clauses: the contract's words beside its logic, written as the spec implies
(clauses were implemented after these tests: their strict xfails are gone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec.spec_helpers import contract, diagnostics, pact, write

FR = '  effective 2026-01-01\n  currency EUR\n  language fr\n  party acme "ACME SAS"\n  party orbis "Orbis Industries SA"\n'

BODY = """
measure won "Leads convertis": count
measure leads "Leads": count
let floor "Plancher" en "Floor" = 5%
let penalty = 5_000 EUR
kpi conversion "Taux de conversion": percent = won / leads {
  owner orbis
  source "CRM"
  frequency monthly
}
threshold conversion_floor "Plancher de conversion" en "Conversion floor" {
  when conversion < floor for 3 months: breach
    => pay penalty from orbis to acme
  otherwise: ok
}
clause penalty_clause "8.1" "Pénalité de sous-performance" en "Underperformance penalty" {
  text "Si le taux de conversion reste sous {floor} trois mois de suite, {orbis} verse {penalty} à {acme}."
    en "If the conversion rate stays below {floor} for three months in a row, {orbis} pays {acme} {penalty}."
  governs conversion_floor
  non-binding
}
"""


def errors(tmp_path: Path, src: str) -> list[dict]:
    return [d for d in diagnostics(tmp_path, src) if d["severity"] == "error"]


def test_clause_checks(tmp_path: Path) -> None:
    assert errors(tmp_path, contract(BODY, header=FR)) == []


def test_annex_prints_the_clause_with_values_then_what_it_governs(tmp_path: Path) -> None:
    """{orbis} → the party's legal name; {penalty} → the constant, formatted in French; {floor} → 5 %;
    the clause number and label; then the governed threshold's table."""
    p = write(tmp_path, "c.pact", contract(BODY, header=FR))
    run = pact("render", p, "--lang", "fr", "--format", "md")
    assert run.exit_code == 0
    out = run.stdout
    assert "8.1" in out and "Pénalité de sous-performance" in out
    assert "Orbis Industries SA verse" in out
    assert "{" not in out.split("8.1", 1)[1].split("\n\n", 3)[0]
    assert out.index("Si le taux de conversion") < out.index(
        "Plancher de conversion", out.index("Si le taux de conversion")
    )


def test_english_annex_uses_the_translation(tmp_path: Path) -> None:
    p = write(tmp_path, "c.pact", contract(BODY, header=FR))
    run = pact("render", p, "--lang", "en", "--format", "md")
    assert run.exit_code == 0
    assert "Orbis Industries SA pays ACME SAS" in run.stdout


def test_label_insertion(tmp_path: Path) -> None:
    body = BODY.replace('text "Si le taux', 'text "{conversion_floor.label} : si le taux')
    p = write(tmp_path, "c.pact", contract(body, header=FR))
    run = pact("render", p, "--lang", "fr", "--format", "md")
    # French typography puts a no-break space before the colon (docs/rendering.md)
    out = run.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    assert run.exit_code == 0 and "Plancher de conversion : si le taux" in out


@pytest.mark.parametrize("name", ["unknown_name", "won"])
def test_unknown_or_monthly_value_in_braces_is_an_error_at_the_brace(
    tmp_path: Path, name: str
) -> None:
    """An unknown name, or a value that changes month by month (the measure `won`), is an error at the
    brace's line and column."""
    body = BODY.replace("verse {penalty}", "verse {" + name + "}")
    src = contract(body, header=FR)
    errs = errors(tmp_path, src)
    assert errs
    lines = src.splitlines()
    line_no = next(i for i, line in enumerate(lines, start=1) if "{" + name + "}" in line)
    col = lines[line_no - 1].index("{" + name + "}") + 1
    assert any(
        e["span"]["line"] == line_no and e["span"]["column"] in (col, col + 1) for e in errs
    ), errs


def test_construct_that_no_clause_governs_is_a_warning(tmp_path: Path) -> None:
    """Reading chosen: the warning is given for a construct of a contract that has clauses (the one here
    governs the threshold, not the committee)."""
    body = (
        BODY
        + "committee board {\n  member acme weight 1\n  member orbis weight 1\n  quorum 2 members\n  decision d requires majority\n}\n"
    )
    diags = diagnostics(tmp_path, contract(body, header=FR))
    assert not [d for d in diags if d["severity"] == "error"]
    assert any(d["severity"] == "warning" and "board" in d["message"] for d in diags), diags


def test_missing_translation_is_a_warning_and_the_annex_says_so(tmp_path: Path) -> None:
    body = BODY.replace(
        '\n    en "If the conversion rate stays below {floor} for three months in a row, {orbis} pays {acme} {penalty}."',
        "",
    )
    src = contract(body, header=FR)
    assert not errors(tmp_path, src)
    p = write(tmp_path, "c.pact", src)
    run = pact("render", p, "--lang", "en", "--format", "md")
    assert run.exit_code == 0
    assert "warning" in run.stderr.lower()
    assert "Si le taux de conversion" in run.stdout  # the text that exists, flagged


# ---------------------------------------------------------------- audit: every kind of value, translations

KINDS = """
let floor = 5%
let penalty = 5_000 EUR
let rate = 10% from 2026-01, 15% from 2027-01
committee steering "Comité" {
  member acme weight 60
  member orbis weight 40
  quorum 2 members
  decision budget "Budget" requires >= 2/3 of weight
}
escalation disputes "Différends" {
  step managers "Chefs" within 10 business days
  step arb "Arbitrage" final
}
clause c1 "8.1" "Pénalité" en "Penalty" {
  text "Plancher {floor}, pénalité {penalty}, {orbis} paie {acme}; taux {rate}; règle {steering.budget}; délai {disputes.managers}."
    en "Floor {floor}, penalty {penalty}, {orbis} pays {acme}; rate {rate}; rule {steering.budget}; time {disputes.managers}."
  governs steering, disputes, floor, penalty, rate
}
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Floor 5%, penalty €5,000.00, Orbis Industries SA pays ACME SAS; rate 10% from January 2026, "
            "then 15% from January 2027; rule yes votes holding at least 2/3 of the total weight of all "
            "members; time 10 business days.",
        ),
        (
            "fr",
            "Plancher 5 %, pénalité 5 000,00 €, Orbis Industries SA paie ACME SAS; taux 10 % à compter "
            "de janvier 2026, puis 15 % à compter de janvier 2027; règle des voix pour représentant au "
            "moins 2/3 du total des droits de vote de tous les membres; délai 10 jours ouvrés.",
        ),
    ],
)
def test_every_time_independent_value_in_the_annex_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """§9b: `{name}` inserts a constant let, a schedule (as its table), a party (its legal name), a
    committee decision's rule, a ladder step's deadline — formatted in the annex's language."""
    src = contract(KINDS, header=FR)
    assert errors(tmp_path, src) == []
    p = write(tmp_path, "c.pact", src)
    run = pact("render", p, "--lang", lang, "--format", "md")
    assert run.exit_code == 0, run.stderr
    text = run.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    assert expected in text


def test_an_error_in_the_translation_is_at_its_own_line_and_column(tmp_path: Path) -> None:
    """The brace of `{per_month}` in the `en` line (a value that changes month by month) and of the
    unknown `{nope.label}`: errors at their braces, on the translation's line."""
    body = "measure leads: count\nlet per_month = leads * 2\n" + KINDS.replace(
        'en "Floor {floor},', 'en "Floor {per_month} {nope.label} {floor},'
    )
    src = contract(body, header=FR)
    lines = src.splitlines()
    line_no = next(i for i, t in enumerate(lines, 1) if "{per_month}" in t)
    got = {(e["span"]["line"], e["span"]["column"], e["code"]) for e in errors(tmp_path, src)}
    assert got == {
        (line_no, lines[line_no - 1].index("{per_month}") + 1, "E081"),
        (line_no, lines[line_no - 1].index("{nope.label}") + 1, "E080"),
    }
