"""The English annex of every example contract is in English: no French is left.

Two checks, each able to fail on its own: no French-only letter or word (a list
of common French words that are not English), and no fixed text of the French
catalogue (its placeholders taken out) that the English catalogue does not
share.  Party labels and the proper names of a party's particulars (legal
name, registered office, registration, representative) are the same in every
language, and are left out of both checks; a legal form and a capacity are
translated like any other text.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from render_helpers import EXAMPLES, load, md_text

from pactlang.api import Contract
from pactlang.api import load as load_file
from pactlang.render import render_full

FRENCH_LETTERS = frozenset("éèêëàâçîïôûùœÉÈÊÀÂÇÎÔÛ«»")
FRENCH_WORDS = frozenset(
    """
    le la les un une des du de au aux et ou est sont pour par avec sans dans sur sous
    mois jours jour ouvrés ouvré année trimestre trimestrielle mensuelle annuelle
    montant versé versée appelé chiffre affaires partagé partagée données donnée
    comité décision décisions seuil seuils pénalité prime contrat partie parties
    plan revue qualité fonds apports surplus budget marketing enquête relevé
    renégociation médiation arbitrage directions chefs projet droit français
    satisfaction client clients note disponibilité plateforme facturation frais
    """.split()
) - {
    # English words too
    "budget", "marketing", "satisfaction", "plan", "note", "client", "clients", "projet",
    "parties", "surplus", "prime", "revue", "arbitrage", "pour", "sans",
}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)  # Pas-de-Calais is one word


def _catalogue(lang: str) -> dict[str, object]:
    text = resources.files("pactlang.render").joinpath("locales", f"{lang}.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _texts(v)]
    return []


def _fragments(lang: str) -> set[str]:
    """The fixed pieces of a catalogue's texts: placeholders cut out, at least 12 letters."""
    out: set[str] = set()
    for key, value in _catalogue(lang).items():
        if key.startswith("_"):
            continue
        for text in _texts(value):
            for piece in re.split(r"\{[^}]*\}", text):
                piece = piece.strip(" .,:;()\u00a0\u202f")
                if len(piece) >= 12:
                    out.add(piece)
    return out


FRENCH_ONLY_FRAGMENTS = sorted(_fragments("fr") - _fragments("en"))


#: every example contract (its test files aside)
EXAMPLE_CONTRACTS = sorted(
    p.stem for p in EXAMPLES.glob("*.pact") if not p.name.endswith(".test.pact")
)


def example(name: str) -> Contract:
    return load_file(EXAMPLES / f"{name}.pact")


def test_every_example_is_checked() -> None:
    assert {"alliance", "alliance_v2", "distribution", "partnership"} <= set(EXAMPLE_CONTRACTS)


def english_annex(name: str) -> str:
    contract = example(name)
    rendered = render_full(contract, lang="en", fmt="md")
    text = md_text(rendered.data.decode("utf-8"))
    for party in contract.checked.parties.values():
        if party.labels.primary is not None:
            text = text.replace(party.labels.primary.value, " ")
        for key in ("legal_name", "office", "registration", "represented_by"):
            item = party.item(key)
            if item is not None:
                text = text.replace(item.value.value, " ")
    return text


def test_the_checks_know_french() -> None:
    """Guards against vacuous checks: the French annex fails both."""
    french = md_text(render_full(load("alliance"), lang="fr", fmt="md").data.decode("utf-8"))
    assert FRENCH_LETTERS & set(french)
    assert FRENCH_WORDS & {w.lower() for w in _WORD.findall(french)}
    assert any(f in french for f in FRENCH_ONLY_FRAGMENTS)
    assert len(FRENCH_ONLY_FRAGMENTS) > 100


@pytest.mark.parametrize("name", EXAMPLE_CONTRACTS)
def test_english_annex_has_no_french_letter_or_word(name: str) -> None:
    text = english_annex(name)
    letters = sorted(FRENCH_LETTERS & set(text))
    assert not letters, f"{name}: French letters in the English annex: {letters}"
    words = sorted(FRENCH_WORDS & {w.lower() for w in _WORD.findall(text)})
    assert not words, f"{name}: French words in the English annex: {words}"


@pytest.mark.parametrize("name", EXAMPLE_CONTRACTS)
def test_english_annex_has_no_text_of_the_french_catalogue(name: str) -> None:
    text = english_annex(name)
    found = [f for f in FRENCH_ONLY_FRAGMENTS if f in text]
    assert not found, f"{name}: French catalogue texts in the English annex: {found[:5]}"


@pytest.mark.parametrize("name", EXAMPLE_CONTRACTS)
def test_english_annex_warns_of_no_missing_translation(name: str) -> None:
    assert render_full(example(name), lang="en", fmt="md").warnings == ()
