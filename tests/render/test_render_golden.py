"""Golden files: every example (and the every-form fixture) in md and html, fr and en.

Regenerate after an intended change with ``PACT_UPDATE_GOLDEN=1 pytest tests/render``
and review the diff like any other change.
"""

from __future__ import annotations

import pytest
from render_helpers import CONTRACTS, GOLDEN, check_golden, load

from pactlang.api import loads
from pactlang.render import render, render_full


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_golden(name: str, lang: str, fmt: str) -> None:
    data = render(load(name), lang=lang, fmt=fmt)
    check_golden(GOLDEN / f"{name}.{lang}.{fmt}", data)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("name", "lang"), [("alliance", "fr"), ("forms", "en")])
def test_golden_with_notes(name: str, lang: str, fmt: str) -> None:
    """`pact render --notes`: the negotiator's notes (voting power, call-outs)."""
    data = render(load(name), lang=lang, fmt=fmt, notes=True)
    check_golden(GOLDEN / f"{name}.{lang}.notes.{fmt}", data)


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_default_language_is_the_contracts(name: str) -> None:
    c = load(name)
    default = render_full(c, fmt="md")
    assert default.lang == c.checked.language
    assert default.data == render(c, lang=c.checked.language, fmt="md")


MISSING = """contract "Accord" en "Agreement" {
  currency EUR
  language fr
  party acme "ACME SAS"
  party orbis "Orbis SA"
  measure leads "Leads" en "Leads": count
  measure won "Leads gagnés": count {
    source "CRM partagé"
  }
  kpi conversion "Conversion" en "Conversion": percent = won / leads {
    owner acme
    source "CRM partagé"
    frequency monthly
  }
  threshold floor "Plancher" en "Floor" {
    when conversion < 5%: breach
      => pay 1_000 EUR from orbis to acme "Pénalité"
      => action "Revue commerciale" en "Sales review"
    otherwise: ok
  }
}
"""


def test_missing_translations_warn_once_each_and_keep_the_original_text() -> None:
    """One warning per untranslated text, however many times the annex shows it and
    whatever it is called; a party's label (its legal name) is not warned about."""
    r = render_full(loads(MISSING, "missing.pact"), lang="en", fmt="md")
    text = r.data.decode()
    assert sorted(r.warnings) == [
        'a payment label has no `en` translation; the fr label "Pénalité" is used',
        'measure `won` has no `en` translation; the fr label "Leads gagnés" is used',
        # the same text for the measure and the KPI: one warning
        'the source of measure `won` has no `en` translation; the fr label "CRM partagé" '
        "is used",
    ]
    # the measure's label is shown in the data table and in the KPI's formula in words
    assert text.count("Leads gagnés") >= 2
    assert "Agreement" in text and "Sales review" in text and "ACME SAS" in text


def test_translated_texts_are_used() -> None:
    r = render_full(load("alliance"), lang="en", fmt="md")
    text = r.data.decode()
    assert r.warnings == ()
    assert "# Annex — Sustainable Solutions Alliance" in text
    assert "Shared CRM (monthly export)" in text and "CRM partagé" not in text
    assert "Underperformance penalty (art. 8.1)" in text
    assert "Governing law: French law" in text


def test_no_warning_in_the_contract_language() -> None:
    for name in CONTRACTS:
        c = load(name)
        assert render_full(c, fmt="html").warnings == ()
