"""Golden files: every example (and the every-form fixture) in md and html, fr and en.

Regenerate after an intended change with ``PACT_UPDATE_GOLDEN=1 pytest tests/render``
and review the diff like any other change.
"""

from __future__ import annotations

import pytest
from render_helpers import CONTRACTS, GOLDEN, check_golden, load

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


def test_missing_translations_warn_once_each_and_keep_the_original_label() -> None:
    # alliance is written in French; its parties have no English label
    r = render_full(load("alliance"), lang="en", fmt="md")
    text = r.data.decode()
    assert "ACME SAS" in text and "Orbis Industries SA" in text
    party_warnings = [w for w in r.warnings if w.startswith("party ")]
    assert sorted(party_warnings) == [
        'party `acme` has no `en` translation; the fr label "ACME SAS" is used',
        'party `orbis` has no `en` translation; the fr label "Orbis Industries SA" is used',
    ]
    assert len(r.warnings) == len(set(r.warnings))
    # every label the contract translates is shown translated
    assert "Lead conversion rate" in text and "Taux de conversion des leads" not in text


def test_no_warning_in_the_contract_language() -> None:
    for name in CONTRACTS:
        c = load(name)
        assert render_full(c, fmt="html").warnings == ()
