"""Formulas in words: every expression form, in French and English."""

from __future__ import annotations

import pytest

import pactlang
from pactlang.render.doc import text_of
from pactlang.render.i18n import catalog
from pactlang.render.model import build
from pactlang.render.words import Namer, Phraser, formula

HEADER = """contract "T" {
  currency EUR
  language LANG
  effective 2026-01-01
  party acme "ACME SAS" OTHER "ACME (t)"
  party orbis "Orbis" OTHER "Orbis"
  measure leads_won "Leads won" OTHER "Leads convertis": count
  measure leads_total "Leads total" OTHER "Leads issus des campagnes conjointes": count
  measure revenue "Revenue" OTHER "Chiffre d'affaires": money
  measure x "X" OTHER "X": number
  measure y "Y" OTHER "Y": number
  let floor = 300_000 EUR
  let sched = 1 from 2026-01, 2 from 2026-04
  kpi k "K" OTHER "K": KTYPE = EXPR
  threshold t "Gate" OTHER "Barrière" { when x < 1: breach }
  committee c "Board" OTHER "Conseil" { member acme weight 1 member orbis weight 1 decision d "Budget" OTHER "Budget" requires majority }
  waterfall fund "Fund" OTHER "Fonds" { distributes revenue tier first "First" OTHER "Premier" { pay acme up to 10 EUR } tier { split acme 50%, orbis 50% } }
}
"""


def phrase(expr: str, lang: str, ktype: str = "number") -> str:
    """The words of ``expr`` (a KPI of an English contract) in ``lang``: French
    uses the contract's French translations."""
    text = (
        HEADER.replace("LANG", "en")
        .replace("OTHER", "fr")
        .replace("KTYPE", ktype)
        .replace("EXPR", expr)
    )
    c = pactlang.loads(text, "t.pact")
    annex = build(c.checked)
    warnings: list[str] = []
    p = Phraser(catalog(lang), annex, Namer(lang, "en", warnings.append))
    # identifiers (code) are shown between backquotes, as in the Markdown annex
    words = "".join(
        f"`{seg.text}`" if seg.kind == "code" else seg.text
        for seg in p.words(c.checked.kpis["k"].expr)
    )
    assert warnings == []
    return words.replace("\u00a0", " ").replace("\u202f", " ")


CASES: list[tuple[str, str, str, str]] = [
    # expression, kpi type, French, English
    (
        "leads_won / leads_total",
        "percent",
        "le rapport entre « Leads convertis » et « Leads issus des campagnes conjointes »",
        "the ratio of “Leads won” to “Leads total”",
    ),
    (
        "sum(revenue, 3 months)",
        "money",
        "la somme de « Chiffre d'affaires » sur les 3 derniers mois",
        "the sum of “Revenue” over the last 3 months",
    ),
    (
        "avg(x, 1 month)",
        "number",
        "la moyenne de « X » sur le dernier mois",
        "the average of “X” over the last month",
    ),
    (
        "min(x, 2 quarters)",
        "number",
        "la plus faible valeur de « X » sur les 2 derniers trimestres",
        "the lowest value of “X” over the last 2 quarters",
    ),
    (
        "max(x, 1 year)",
        "number",
        "la plus forte valeur de « X » sur la dernière année",
        "the highest value of “X” over the last year",
    ),
    (
        "sum(revenue, to date)",
        "money",
        "la somme de « Chiffre d'affaires » depuis le début du contrat",
        "the sum of “Revenue” since the start of the term",
    ),
    (
        "sum(revenue, year to date)",
        "money",
        "la somme de « Chiffre d'affaires » depuis le début de l'année civile",
        "the sum of “Revenue” since the start of the calendar year",
    ),
    (
        "previous(x)",
        "number",
        "la valeur de « X » le mois précédent",
        "the value of “X” in the previous month",
    ),
    (
        "previous(x, 12 months)",
        "number",
        "la valeur de « X » 12 mois plus tôt",
        "the value of “X” 12 months earlier",
    ),
    ("x + y", "number", "la somme de « X » et « Y »", "the sum of “X” and “Y”"),
    ("x - y + 2", "number", "« X » moins « Y » plus 2", "“X” minus “Y” plus 2"),
    ("x * y", "number", "le produit de « X » par « Y »", "“X” multiplied by “Y”"),
    ("x / 4", "number", "le quotient de « X » par 4", "“X” divided by 4"),
    ("25% * revenue", "money", "25 % de « Chiffre d'affaires »", "25% of “Revenue”"),
    ("-x", "number", "l'opposé de « X »", "minus “X”"),
    (
        "x otherwise 0",
        "number",
        "« X » ou, à défaut de valeur, 0",
        "“X” or, where it has no value, 0",
    ),
    (
        "if x > 1 then x else y",
        "number",
        "« X » si « X » dépasse 1, et sinon « Y »",
        "“X” if “X” is greater than 1, and otherwise “Y”",
    ),
    ("x < y", "bool", "« X » n'atteint pas « Y »", "“X” is less than “Y”"),
    ("x <= y", "bool", "« X » ne dépasse pas « Y »", "“X” is at most “Y”"),
    ("x >= 12.5%", "bool", "« X » atteint au moins 12,5 %", "“X” is at least 12.5%"),
    ("x == y", "bool", "« X » vaut « Y »", "“X” equals “Y”"),
    ("x != y", "bool", "« X » diffère d'« Y »", "“X” differs from “Y”"),
    (
        "x > 1 and not (y > 2 or y < 1)",
        "bool",
        "« X » dépasse 1 et il n'est pas vrai que (« Y » dépasse 2 ou « Y » n'atteint pas 1)",
        "“X” is greater than 1 and it is not the case that (“Y” is greater than 2 or “Y” is less than 1)",
    ),
    ("abs(x)", "number", "la valeur absolue de « X »", "the absolute value of “X”"),
    (
        "round(x, 2)",
        "number",
        "la valeur de « X » arrondie à 2 décimales",
        "“X” rounded to 2 decimal places",
    ),
    (
        "round(x, 1)",
        "number",
        "la valeur de « X » arrondie à 1 décimale",
        "“X” rounded to 1 decimal place",
    ),
    (
        "min(x, y, 4)",
        "number",
        "la plus petite des valeurs suivantes : « X », « Y » et 4",
        "the smallest of “X”, “Y”, and 4",
    ),
    (
        "revenue - floor",
        "money",
        "« Chiffre d'affaires » moins 300 000,00 €",
        "“Revenue” minus €300,000.00",
    ),
    ("x - sched", "number", "« X » moins `sched`", "“X” minus `sched`"),
    (
        "distributed(fund, acme, to date)",
        "money",
        "le montant cumulé versé depuis le début du contrat à « ACME (t) » par « Fonds »",
        "the total paid since the start of the term to “ACME SAS” by “Fund”",
    ),
    (
        "25% * distributed(fund.first, to date)",
        "money",
        "25 % du montant cumulé distribué depuis le début du contrat par le rang « Premier » de « Fonds »",
        "25% of the total distributed since the start of the term by tier “First” of “Fund”",
    ),
    (
        "distributed(fund) + retained(fund)",
        "money",
        "la somme des termes suivants : le montant distribué dans le mois par « Fonds » ; "
        "et le montant retenu dans le mois par « Fonds »",
        "the sum of the following: the amount distributed in the month by “Fund”; "
        "and the amount retained in the month by “Fund”",
    ),
    (
        "paid(orbis, acme)",
        "money",
        "le montant versé dans le mois par « Orbis » à « ACME (t) » en application des seuils",
        "the amount paid in the month by “Orbis” to “ACME SAS” under the thresholds",
    ),
    (
        'status(t) == "breach"',
        "bool",
        "le statut de « Barrière » vaut « manquement »",
        "the status of “Gate” equals “breach”",
    ),
    (
        "banzhaf(c.d, acme)",
        "number",
        "l'indice de Banzhaf d'« ACME (t) » pour la décision « Budget » de « Conseil »",
        "the Banzhaf index of “ACME SAS” for the decision “Budget” of “Board”",
    ),
    (
        "shapley(c.d, orbis)",
        "number",
        "l'indice de Shapley–Shubik d'« Orbis » pour la décision « Budget » de « Conseil »",
        "the Shapley–Shubik index of “Orbis” for the decision “Budget” of “Board”",
    ),
]


@pytest.mark.parametrize(("expr", "ktype", "fr", "en"), CASES, ids=[c[0] for c in CASES])
def test_words(expr: str, ktype: str, fr: str, en: str) -> None:
    assert phrase(expr, "fr", ktype) == fr
    assert phrase(expr, "en", ktype) == en


def test_a_missing_translation_warns_and_keeps_the_label() -> None:
    text = HEADER.replace("LANG", "en").replace("OTHER", "fr").replace("KTYPE", "number")
    text = text.replace('measure y "Y" fr "Y"', 'measure y "Y"')
    c = pactlang.loads(text.replace("EXPR", "x + y + y"), "t.pact")
    warnings: list[str] = []
    p = Phraser(catalog("fr"), build(c.checked), Namer("fr", "en", warnings.append))
    words = text_of(p.words(c.checked.kpis["k"].expr)).replace("\u00a0", " ")
    assert words == "la somme de « X », « Y » et « Y »"
    assert warnings == ['measure `y` has no `fr` translation; the en label "Y" is used']


@pytest.mark.parametrize(
    ("expr", "printed"),
    [
        ("leads_won / leads_total", "leads_won / leads_total"),
        ("(x - y) / x", "(x - y) / x"),
        ("sum(x, 3 months)", "sum(x, 3 months)"),
        ("x otherwise 0", "x otherwise 0"),
        ("if x > 1 then x else -y", "if x > 1 then x else -y"),
    ],
)
def test_formula_is_the_contract_notation(expr: str, printed: str) -> None:
    text = HEADER.replace("LANG", "en").replace("OTHER", "fr").replace("KTYPE", "number")
    c = pactlang.loads(text.replace("EXPR", expr), "t.pact")
    assert formula(c.checked.kpis["k"].expr) == printed
