# Annexe C — Indicateurs, gouvernance et partage des coûts
#
# Partenariat de co-innovation entre Verdant SAS et Lumen Industries SA, écrit
# d'après une fiche pratique sur les partenariats entre entreprises : des
# indicateurs partagés (chacun avec son responsable, sa source et sa fréquence),
# des seuils qui mènent à la renégociation ou à la sortie, un comité de pilotage
# (consensus, puis vote pondéré 60/40, vetos sur la marque et les données
# sensibles), une escalade chefs de projet → directions → médiation → arbitrage,
# un fonds de co-investissement qui rembourse les apports puis partage le
# surplus, un budget marketing financé à 60/40 et une task force à 50/50.

contract "Partenariat de co-innovation Verdant–Lumen" en "Verdant–Lumen co-innovation partnership" {
  id "VL-2026-03"
  version "1.0"
  effective 2026-01-01 until 2028-12-31
  currency EUR
  language fr
  calendar FR  # jours fériés français pour tous les délais

  party verdant "Verdant SAS"
  party lumen "Lumen Industries SA"

  # ------------------------------------------------ Article 3 — Données
  measure revenue "Chiffre d'affaires co-généré" en "Co-generated revenue": money {
    owner verdant
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
  }
  measure leads_total "Leads issus des campagnes conjointes" en "Leads from joint campaigns": count {
    owner lumen
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
  }
  measure leads_won "Leads convertis en commandes" en "Leads converted into orders": count {
    owner lumen
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
  }
  measure availability "Disponibilité de la plateforme commune" en "Availability of the joint platform": percent {
    owner lumen
    source "Supervision de la plateforme" en "Platform monitoring"
  }
  # enquête trimestrielle : une note en mars, juin, septembre et décembre
  measure csat "Satisfaction client (note sur 10)" en "Customer satisfaction (score out of 10)": number quarterly {
    owner verdant
    source "Enquête trimestrielle d'un institut indépendant" en "Quarterly survey by an independent institute"
  }
  measure taskforce_costs "Coûts engagés par la task force" en "Costs incurred by the task force": money {
    owner lumen
    source "Relevé mensuel des dépenses de la task force" en "Monthly statement of the task force's expenses"
  }
  measure proceeds "Produits distribuables du fonds de co-investissement" en "Distributable proceeds of the co-investment fund": money {
    owner verdant
    source "Relevé du compte du fonds" en "Statement of the fund's account"
  }

  # ------------------------------------------------ Article 4 — Valeurs convenues
  let revenue_target "Objectif de chiffre d'affaires sur trois mois" en "Three-month revenue target" = 300_000 EUR from 2026-01, 360_000 EUR from 2027-01
  let revenue_floor "Seuil de renégociation" en "Renegotiation floor" = 240_000 EUR
  let marketing_budget "Budget marketing mensuel" en "Monthly marketing budget" = 30_000 EUR from 2026-01, 36_000 EUR from 2027-01
  let penalty "Pénalité de conversion" en "Conversion penalty" = 5_000 EUR
  # après un manquement de la revue du chiffre d'affaires, les parts du budget
  # marketing passent de 60/40 à 50/50 pour la suite du contrat
  let renegotiated "Parts renégociées" en "Shares renegotiated" = (previous(renegotiated) otherwise false) or (previous(status(revenue_review)) == "breach" otherwise false)
  let verdant_marketing "Part de Verdant dans le budget marketing" en "Verdant's share of the marketing budget" = if renegotiated then 50% else 60%

  # ------------------------------------------------ Article 5 — Indicateurs
  kpi conversion "Taux de conversion des leads" en "Lead conversion rate": percent = leads_won / leads_total {
    owner lumen
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
    frequency monthly
    target 20%
  }
  kpi revenue_3m "Chiffre d'affaires co-généré sur trois mois" en "Co-generated revenue over three months": money = sum(revenue, 3 months) {
    owner verdant
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
    frequency monthly
    target 300_000 EUR
  }
  kpi uptime "Disponibilité de la plateforme" en "Platform availability": percent = availability {
    owner lumen
    source "Supervision de la plateforme" en "Platform monitoring"
    frequency monthly
    target 99.5%
  }
  kpi csat_avg "Satisfaction client sur deux trimestres" en "Customer satisfaction over two quarters": number = avg(csat, 2 quarters) {
    owner verdant
    source "Enquête trimestrielle d'un institut indépendant" en "Quarterly survey by an independent institute"
    frequency quarterly
    target 8
  }

  # ------------------------------------------------ Article 6 — Seuils et conséquences
  threshold conversion_floor "Plancher de conversion" en "Conversion floor" {
    when conversion < 8% for 3 months: breach
      => pay penalty from lumen to verdant "Pénalité de sous-performance (art. 6.1)" en "Underperformance penalty (art. 6.1)"
      => oblige lumen "Plan d'action commercial" en "Sales action plan" within 15 business days
    when conversion < 12%: watch
      => action "Revue commerciale conjointe" en "Joint sales review"
    otherwise: ok
  }

  threshold revenue_review "Revue du chiffre d'affaires" en "Revenue review" {
    when revenue_3m < revenue_floor for 3 months: breach
      => once action "Renégociation des parts du budget marketing (art. 6.2)" en "Renegotiation of the marketing budget shares (art. 6.2)"
      => notify verdant, lumen
    when revenue_3m < revenue_target: watch
      => notify verdant, lumen
    otherwise: ok
  }

  threshold service_level "Niveau de service de la plateforme" en "Platform service level" {
    when uptime < 95% for 3 months: breach
      => terminate by verdant notice 90 days
      => escalate disputes
    when uptime < 99%: watch
      => suspend lumen "Facturation des frais de plateforme" en "Invoicing of platform fees"
    otherwise: ok
  }

  threshold quality "Qualité perçue par les clients" en "Customer-perceived quality" {
    checked quarterly
    when csat < 6 for 2 quarters: breach
      => oblige verdant "Plan d'amélioration de la qualité" en "Quality improvement plan" within 30 days
      => escalate disputes
    when csat < 7: watch
      => action "Revue qualité au comité de pilotage" en "Quality review at the steering committee"
    otherwise: ok
  }

  # ------------------------------------------------ Article 7 — Gouvernance
  committee steering "Comité de pilotage" en "Steering committee" {
    member verdant weight 60
    member lumen weight 40
    quorum 2 members
    meets quarterly
    consensus 2 rounds
    chair verdant
    decision budget "Ajustement des budgets" en "Budget adjustments" requires majority deadlock after 2 escalate disputes
    decision brand "Usage de la marque Verdant" en "Use of the Verdant brand" requires majority veto verdant
    decision sensitive_data "Partage de données sensibles" en "Sharing of sensitive data" requires majority veto verdant, lumen
    decision exit "Sortie d'un partenaire" en "Exit of a partner" requires unanimity
  }

  committee taskforce "Task force technique" en "Technical task force" {
    member verdant weight 50
    member lumen weight 50
    quorum 2 members
    meets bimonthly
    chair lumen
    decision roadmap "Feuille de route technique" en "Technical roadmap" requires majority deadlock after 2 escalate disputes
  }

  # ------------------------------------------------ Article 8 — Différends
  escalation disputes "Résolution des différends" en "Dispute resolution" {
    step managers "Chefs de projet" en "Project managers" within 10 business days
    step executives "Directions générales" en "Chief executives" within 15 days
    step mediation "Médiation" en "Mediation" within 30 days {
      institution "CMAP"
      seat "Paris"
    }
    step arbitration "Arbitrage" en "Arbitration" final {
      institution "CCI" en "ICC"
      seat "Paris"
      language fr
      arbitrators 3
      rules "Règlement d'arbitrage de la CCI (2021)" en "ICC Arbitration Rules (2021)"
      law "droit français" en "French law"
    }
  }

  # ------------------------------------------------ Article 9 — Partage des coûts
  contribution marketing "Budget marketing commun" en "Joint marketing budget" {
    amount marketing_budget
    split verdant verdant_marketing, lumen 100% - verdant_marketing
  }
  contribution taskforce_funding "Financement de la task force" en "Funding of the task force" {
    amount taskforce_costs
    split verdant 50%, lumen 50%
  }
  # appels de fonds du fonds de co-investissement : 25 000 EUR par mois au
  # premier semestre 2026, rien ensuite
  contribution fund_calls "Appels de fonds du fonds de co-investissement" en "Capital calls of the co-investment fund" {
    amount 25_000 EUR from 2026-01, 0 EUR from 2026-07
    split verdant 60%, lumen 40%
  }

  # ------------------------------------------------ Article 10 — Fonds de co-investissement
  waterfall fund "Fonds de co-investissement" en "Co-investment fund" {
    distributes proceeds
    tier repay "Remboursement des apports" en "Repayment of contributions" {
      pay verdant up to contributed(fund_calls, verdant, to date)
      pay lumen up to contributed(fund_calls, lumen, to date)
    }
    tier surplus "Partage du surplus" en "Sharing of the surplus" {
      split verdant 60%, lumen 40%
    }
  }
}

# =====================================================================
# Tests (LANGUAGE.md §10) ; chaque valeur attendue est calculée à la main.
# =====================================================================

test "budget marketing : appels à 60/40, puis 50/50 après un manquement" {
  data {
    2026-01: revenue = 60_000 EUR
    2026-02: revenue = 70_000 EUR
    2026-03: revenue = 80_000 EUR
    2026-04: revenue = 70_000 EUR
    2026-05: revenue = 60_000 EUR
    2026-06: revenue = 100_000 EUR
  }
  # 30 000 EUR par mois, 60/40 : Verdant 18 000, Lumen 12 000
  expect contributed(marketing, verdant) at 2026-01 == 18_000 EUR
  expect contributed(marketing, lumen) at 2026-01 == 12_000 EUR
  # trois mois glissants : mars 210 000, avril 220 000, mai 210 000 < 240 000
  expect revenue_review at 2026-05 is breach
  # le manquement de mai renégocie les parts à compter de juin : 15 000 / 15 000
  expect verdant_marketing at 2026-05 == 60%
  expect verdant_marketing at 2026-06 == 50%
  expect contributed(marketing, verdant) at 2026-06 == 15_000 EUR
  # juin : 230 000 < 240 000 encore, mais les parts restent 50/50 (renégociées)
  expect contributed(marketing, verdant, to date) at 2026-06 == 105_000 EUR
  expect contributed(marketing, to date) at 2026-06 == 180_000 EUR
}

test "task force à 50/50 : un centime au plus fort reste, un mois sans coûts n'appelle rien" {
  data {
    2026-01: taskforce_costs = 12_345.67 EUR
    2026-02: taskforce_costs = missing
  }
  # 1 234 567 centimes / 2 = 617 283,5 → 617 284 pour Verdant (citée en premier)
  expect contributed(taskforce_funding, verdant) at 2026-01 == 6_172.84 EUR
  expect contributed(taskforce_funding, lumen) at 2026-01 == 6_172.83 EUR
  expect contributed(taskforce_funding) at 2026-02 is missing
}

test "fonds : les apports sont remboursés, puis le surplus partagé à 60/40" {
  data {
    2026-01: proceeds = 0 EUR
    2026-02: proceeds = 0 EUR
    2026-03: proceeds = 100_000 EUR
  }
  # apports à fin mars : 3 × 25 000 = 75 000 (Verdant 45 000, Lumen 30 000)
  expect contributed(fund_calls, verdant, to date) at 2026-03 == 45_000 EUR
  expect distributed(fund.repay, verdant) at 2026-03 == 45_000 EUR
  expect distributed(fund.repay, lumen) at 2026-03 == 30_000 EUR
  # surplus 25 000 → 15 000 / 10 000
  expect distributed(fund.surplus, verdant) at 2026-03 == 15_000 EUR
  expect retained(fund) at 2026-03 == 0 EUR
}

test "enquête trimestrielle : la note tient jusqu'au relevé suivant" {
  data {
    2026-03: csat = 7.5
    2026-04: availability = 99.9%
    2026-06: csat = 5.5
    2026-09: csat = 5.8
  }
  # avril et mai reprennent la note de mars ; la fenêtre compte des relevés
  expect csat at 2026-05 == 7.5
  expect csat_avg at 2026-06 == 6.5
  expect quality at 2026-06 is watch
  # septembre : 5,5 puis 5,8 sous 6 deux trimestres de suite → manquement
  expect quality at 2026-09 is breach
  expect quality at 2026-08 is watch
}

test "disponibilité : trois mois sous 95 % mettent fin au contrat après 90 jours de préavis" {
  data {
    2026-01: availability = 94%
    2026-02: availability = 93.5%
    2026-03: availability = 94.2%
    2026-04: availability = 99.9%
    2026-07: availability = 99.9%
  }
  expect service_level at 2026-02 is watch
  expect service_level at 2026-03 is breach
  # préavis du 31 mars + 90 jours = 29 juin (lundi) : le contrat prend fin en juin,
  # juillet n'est plus évalué
  expect uptime at 2026-06 is missing
  expect uptime at 2026-07 is missing
  expect uptime at 2026-04 == 99.9%
}

test "comité de pilotage : consensus, vetos et blocage" {
  # tours 1 et 2 : consensus ; tour 3 : majorité des voix exprimées
  expect vote steering.budget { verdant yes, lumen no } is rejected
  expect vote steering.budget { verdant yes, lumen no } round 3 is passed
  expect vote steering.brand { verdant no, lumen yes } round 3 is vetoed
  expect vote steering.sensitive_data { verdant yes, lumen no } round 3 is vetoed
  expect vote steering.exit { verdant yes, lumen abstain } round 3 is rejected
  # deux votes consécutifs sans adoption : le différend est ouvert au second
  expect vote steering.budget {
    2026-03-12: verdant yes, lumen no
    2026-06-11: verdant no, lumen yes
  } is deadlocked on 2026-06-11
  expect vote steering.budget {
    2026-03-12: verdant yes, lumen no
    2026-06-11: verdant yes, lumen no round 3
  } is passed
}

test "task force : la voix prépondérante de la présidence" {
  # 50 oui contre 50 non : Lumen préside, son vote l'emporte
  expect vote taskforce.roadmap { verdant yes, lumen no } is rejected
  expect vote taskforce.roadmap { verdant no, lumen yes } is passed
  # Lumen décide donc seule : tout son pouvoir de vote, aucun pour Verdant
  expect banzhaf(taskforce.roadmap, lumen) == 1
  expect banzhaf(taskforce.roadmap, verdant) == 0
  # sans adoption deux fois de suite, le différend s'ouvre
  expect vote taskforce.roadmap {
    2026-02-10: verdant yes, lumen no
    2026-04-14: verdant yes, lumen no
  } is deadlocked on 2026-04-14
  # le différend suit l'échelle : chefs de projet 10 jours ouvrés à partir du
  # 14 avril 2026 (lundi de Pâques le 6, hors délai) → 28 avril
  expect escalation disputes opened 2026-04-14 deadline managers == 2026-04-28
}
