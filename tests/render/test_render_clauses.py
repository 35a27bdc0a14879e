"""Annexes of contracts with clauses, parties' particulars and signatures; the
annex meant for signature versus the negotiator's notes; rule numbers, holidays
and payments as the issue asked for them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from render_helpers import Page, docx_text, load, md_text, spaced

import pactlang
from pactlang.base.values import Period
from pactlang.render import render, render_full

CLAUSED = """\
contract "Accord" {
  currency EUR
  language fr
  effective 2026-01-01 until 2027-06-30
  signed at "Lille" on 2025-12-15
  party acme "ACME" en "ACME" {
    legal_name "ACME SAS"
    represented_by "Jeanne Martin" "Présidente" en "President"
  }
  party orbis "Orbis" en "Orbis"
  measure sales "Ventes" en "Sales": money
  let target "Objectif" en "Target" = 80_000 EUR from 2026-01, 90_000 EUR from 2027-01
  let rate "Taux" en "Rate" = 3%
  let fee "Frais fixes" en "Fixed fee" = 1_250.5 EUR
  let fee_twice = fee * 2
  threshold prize "Prime" en "Bonus" {
    when sales >= target: bonus
      => pay fee from acme to orbis "Prime fixe"
  }
  committee board "Comité" en "Committee" {
    member acme weight 60
    member orbis weight 40
    quorum 2 members
    decision budget "Budget" en "Budget" requires >= 2/3 of weight
  }
  escalation disputes "Différends" en "Disputes" {
    step managers "Responsables" en "Managers" within 10 business days
    step court "Tribunal" en "Court" final
  }
  clause pay_clause "4.1" "Rémunération" en "Remuneration" {
    text "{orbis} reçoit {fee} (soit {fee_twice} pour deux), plus {rate} ; objectif : {target}."
      en "{orbis} receives {fee} ({fee_twice} for two), plus {rate}; target: {target}."
    text "Le budget requiert {board.budget} ; {disputes.managers} pour les {disputes.managers.label} ; voir l'article {gov} et {{accolades}}."
    governs sales, rate, fee, fee_twice, prize
  }
  clause gov "5" "Gouvernance" en "Governance" {
    text "{acme} et {orbis} se réunissent."
      en "{acme} and {orbis} meet."
    governs board, prize
    non-binding
  }
}
"""


@pytest.fixture(scope="module")
def claused() -> pactlang.Contract:
    c = pactlang.loads(CLAUSED, "claused.pact")
    return c


def md(contract: object, lang: str = "fr", notes: bool = False) -> str:
    return spaced(md_text(render(contract, lang=lang, fmt="md", notes=notes).decode()))  # type: ignore[arg-type]


def test_clause_words_with_values_formatted(claused: pactlang.Contract) -> None:
    text = md(claused)
    assert "## 4.1 Rémunération" in text
    assert (
        "Orbis reçoit 1 250,50 € (soit 2 501,00 € pour deux), plus 3 % ; objectif : "
        "80 000,00 € à compter de janvier 2026, puis 90 000,00 € à compter de janvier 2027."
    ) in text
    # a decision's rule, a step's time limit and label, a clause number, literal braces
    assert "Le budget requiert des voix pour représentant au moins 2/3 du total" in text
    assert "10 jours ouvrés pour les Responsables" in text
    assert "voir l’article 5 et {accolades}." in text
    en = md(claused, "en")
    assert "Orbis receives €1,250.50 (€2,501.00 for two), plus 3%; target: €80,000.00" in en


def test_a_quoted_schedule_gets_its_table_and_governed_tables_follow(
    claused: pactlang.Contract,
) -> None:
    text = md(claused)
    clause = text.split("## 4.1 Rémunération")[1].split("## 5 Gouvernance")[0]
    # the schedule is quoted but governed by no clause: its table follows the paragraph
    assert "Valeurs d’« Objectif » :" in clause
    assert "| À compter de | Valeur |" in clause
    # the governed measure and lets, then the threshold under its own heading
    assert "Données mensuelles visées par cet article :" in clause
    assert "| `fee` | Frais fixes | 1 250,50 € |" in clause
    assert "### Prime" in clause


def test_a_construct_governed_twice_is_set_out_once(claused: pactlang.Contract) -> None:
    text = md(claused)
    gov = text.split("## 5 Gouvernance")[1].split("\n## ")[0]
    assert "Les modalités de « Prime » sont précisées (article 4.1)." in gov
    assert text.count("### Prime") == 1


def test_ungoverned_constructs_and_non_binding_clauses(claused: pactlang.Contract) -> None:
    text = md(claused)
    other = text.split("## Autres dispositions")[1].split("\n## ")[0]
    assert "`target`" in other  # governed by no clause
    assert "### Différends" in other
    assert "Clause non contraignante" in text.split("## 5 Gouvernance")[1]
    # the contents list the clauses by their own numbers
    assert "- 4.1 Rémunération" in text and "- 5 Gouvernance" in text


def test_untranslated_text_is_said_and_warned(claused: pactlang.Contract) -> None:
    r = render_full(claused, "en", "md")
    assert (
        r.warnings.count(
            "text 2 of clause `pay_clause` has no `en` translation; the fr text is used"
        )
        == 1
    )
    text = spaced(md_text(r.data.decode()))
    # the original paragraph, with its values in its own language
    assert (
        "*[Not translated; French version:]* Le budget requiert des voix pour représentant "
        "au moins 2/3 du total des droits de vote de tous les membres ; 10 jours ouvrés pour "
        "les Responsables ;"
    ) in text


def test_clause_number_is_a_link_in_html(claused: pactlang.Contract) -> None:
    html = render(claused, fmt="html").decode()
    assert '<a class="xref" href="#clause-gov">5</a>' in html
    assert '<section id="clause-pay_clause" class="level-2 n-own">' in html


def test_particulars_and_signatures_in_every_format(claused: pactlang.Contract) -> None:
    text = md(claused)
    assert "**ACME SAS**" in text and "Jeanne Martin, Présidente" in text
    assert "Fait à Lille, le 15 décembre 2025, en 2 exemplaires originaux" in text
    assert "| Pour ACME SAS | Pour Orbis |" in text
    page = Page(render(claused, fmt="html").decode())
    assert "Pour ACME SAS" in page.text and ("div", "class", "signatures") in page.attrs
    doc = spaced(docx_text(render(claused, lang="en", fmt="docx")))
    assert "For ACME SAS" in doc and "Jeanne Martin" in doc and "President" in doc
    assert "Signed at Lille on December 15, 2025, in 2 original copies" in doc


def test_unstated_signature_place_and_date_are_left_blank() -> None:
    text = md(load("alliance"))
    assert "Fait à ____________________, le ____________________, en 2 exemplaires" in (
        text.replace("\\_", "_")
    )


def test_notes_only_with_notes() -> None:
    alliance = load("alliance")
    signing = md(alliance)
    for word in ("Veto non stipulé", "Un seul membre décide", "Banzhaf", "Notes de négociation"):
        assert word not in signing, word
    notes = md(alliance, notes=True)
    assert "Veto non stipulé" in notes and "Indice de Banzhaf" in notes
    assert "Version de travail avec les notes de négociation" in notes


def test_notes_say_which_rules_never_apply() -> None:
    c = pactlang.loads(
        """contract "T" {
  currency EUR
  measure m "M": number
  threshold t "T" {
    when m > 10: watch
    when m > 20: breach
    when m <= 10: ok
    otherwise: bonus
  }
}
""",
        "t.pact",
    )
    assert "ne s’applique jamais" not in md(c, "fr")
    notes = md(c, "fr", notes=True)
    assert "La règle 2 de « T » ne s’applique jamais" in notes
    assert "sa ligne « Sinon » ne s’applique que lorsqu’une condition" in notes


def test_otherwise_is_named_not_numbered() -> None:
    alliance = load("alliance")
    text = md(alliance)
    assert "| Sinon | *Dans tous les autres cas* |" in text
    assert "| 4 | *Dans tous les autres cas*" not in text
    assert "| Otherwise | *In all other cases* |" in md(alliance, "en")
    # `pact eval` reports the same line as rule 0
    ev = alliance.evaluate(
        {Period(2026, 1): {"leads_total": Decimal(100), "leads_won": Decimal(15)}}
    )
    assert ev.thresholds["conversion_floor"].decided_by[0] == 0


def test_payments_are_named_by_amount() -> None:
    c = pactlang.loads(
        """contract "P" {
  currency EUR
  party a "A"
  party b "B"
  measure m "M": number
  let penalty "Pénalité" = 5_000 EUR
  threshold t "T" {
    when m > 1: breach
      => pay penalty from a to b
  }
}
""",
        "p.pact",
    )
    assert "« A » verse 5 000,00 € à « B »" in md(c, "fr")


def test_holidays_cover_the_whole_term() -> None:
    text = md(load("alliance"))
    assert "Jours fériés de 2026 à 2028, pour information :" in text
    assert "| Jour férié | 2026 | 2027 | 2028 |" in text
    assert "| Lundi de Pâques | lun. 6 avr. | lun. 29 mars | lun. 17 avr. |" in text
    open_ended = pactlang.loads(
        'contract "O" {\n  currency EUR\n  effective 2026-01-01\n  calendar FR\n'
        '  escalation d "D" {\n    step a "A" within 5 days\n    step b "B" final\n  }\n}\n',
        "o.pact",
    )
    text = md(open_ended)
    assert "Jours fériés en 2026, pour information (le contrat n’a pas de terme" in text
    assert "| 1er janvier 2026 | Jour de l’an |" in text


def test_heading_with_its_only_construct_is_not_repeated() -> None:
    text = md(load("alliance"))
    assert "## 7. Résolution des différends" in text
    assert "### 7.1 Résolution des différends" not in text
    assert "### 7.1 Computation des délais" in text
    assert "(section 7)" in text  # the escalation's cross-reference follows


def test_reading_rules_of_thresholds_are_stated_once() -> None:
    text = md(load("alliance"))
    assert text.count("le statut est « données manquantes »") == 1
