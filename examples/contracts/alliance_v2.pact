# Annexe B — Performance, gouvernance et partage de la valeur
# Version consolidée après l’avenant n° 1 (applicable à compter de juillet 2026)
#
# Accord d'alliance stratégique entre ACME SAS et Orbis Industries SA.
# La présente annexe fait partie intégrante de l'accord-cadre du 15 décembre 2025.
# En cas de contradiction entre le texte de l'accord-cadre et la présente annexe,
# la présente annexe prévaut pour tout ce qui touche au calcul des indicateurs,
# des pénalités et des distributions.

contract "Alliance Solutions Durables" en "Sustainable Solutions Alliance" {
  id "ASD-2026-01-A1"
  amends "ASD-2026-01" from 2026-07
  version "2.2"
  effective 2026-01-01 until 2028-12-31
  currency EUR
  language fr
  calendar FR  # jours fériés français (art. 9 — computation des délais)

  # ------------------------------------------------------------------ Parties
  party acme "ACME SAS"
  party orbis "Orbis Industries SA"

  # --------------------------------------------- Article 5 — Données mensuelles
  # Chaque partie transmet ses données au plus tard le 10 du mois suivant.
  measure revenue "Chiffre d'affaires co-généré" en "Co-generated revenue": money {
    owner acme
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
  }
  measure leads_total "Leads issus des campagnes conjointes" en "Leads from joint campaigns": count {
    owner orbis
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
  }
  measure leads_won "Leads convertis en commandes" en "Leads converted into orders": count {
    owner orbis
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
  }
  measure csat "Satisfaction client (note de 0 à 10)" en "Customer satisfaction (score 0 to 10)": number {
    owner orbis
    source "Enquête mensuelle menée par un institut indépendant" en "Monthly survey by an independent institute"
  }
  measure proceeds "Produits distribuables du fonds d'innovation" en "Distributable proceeds of the innovation fund": money {
    owner acme
    source "Relevé du compte séquestre du fonds" en "Statement of the fund's escrow account"
  }

  # ------------------------------------------------ Article 6 — Valeurs convenues
  let revenue_floor = 450_000 EUR from 2026-01, 500_000 EUR from 2027-01  # objectif sur trois mois glissants
  let renegotiation_floor = 300_000 EUR
  let penalty = 7_500 EUR
  let performance_bonus = 10_000 EUR

  # ---------------------------------------- Article 7 — Indicateurs de performance
  kpi conversion "Taux de conversion des leads" en "Lead conversion rate": percent = leads_won / leads_total {
    owner orbis
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
    frequency monthly
    target 20%
  }

  kpi revenue_3m "Chiffre d'affaires co-généré sur trois mois glissants" en "Co-generated revenue, rolling three months": money = sum(revenue, 3 months) {
    owner acme
    source "CRM partagé (export mensuel)" en "Shared CRM (monthly export)"
    frequency monthly
    target 450_000 EUR
  }

  kpi csat_avg "Satisfaction client moyenne sur trois mois" en "Average customer satisfaction over three months": number = avg(csat, 3 months) {
    owner orbis
    source "Enquête mensuelle menée par un institut indépendant" en "Monthly survey by an independent institute"
    frequency quarterly
    target 8
  }

  # --------------------------------------- Article 8 — Seuils, pénalités et primes

  # 8.1 Plancher de conversion. Trois mois consécutifs sous 8 % constituent un
  # manquement : pénalité forfaitaire et ouverture de la procédure de l'article 10.
  threshold conversion_floor "Plancher de conversion" en "Conversion floor" {
    checked monthly
    when conversion < 6% for 3 months: breach
      => pay penalty from orbis to acme "Pénalité de sous-performance (art. 8.1)" en "Underperformance penalty (art. 8.1)"
      => escalate disputes
    when conversion < 12%: watch
      => action "Plan d'action commercial renforcé sous 15 jours" en "Reinforced sales action plan within 15 days"
    when conversion >= 25%: bonus
      => once pay performance_bonus from acme to orbis "Prime de performance (art. 8.1, versée une seule fois)" en "Performance bonus (art. 8.1, paid once)"
    otherwise: ok
  }

  # 8.2 Clause de renégociation. Trois mois de suite sous 300 000 EUR glissants
  # ouvrent la renégociation des objectifs ; sous l'objectif, simple vigilance.
  threshold revenue_review "Revue du chiffre d'affaires co-généré" en "Co-generated revenue review" {
    checked monthly
    when revenue_3m < renegotiation_floor for 3 months: breach
      => action "Renégociation des objectifs commerciaux (art. 8.2)" en "Renegotiation of the sales targets (art. 8.2)"
      => notify acme, orbis
    when revenue_3m < revenue_floor: watch
      => notify acme, orbis
    otherwise: ok
  }

  # 8.3 Qualité de service, appréciée à la fin de chaque trimestre civil.
  threshold csat_quality "Qualité perçue par les clients" en "Customer-perceived quality" {
    checked quarterly
    when csat_avg < 6 for 2 quarters: breach
      => escalate disputes
    when csat_avg < 7.5: watch
      => action "Revue qualité conjointe au prochain comité de pilotage" en "Joint quality review at the next steering committee"
    when csat_avg >= 8.5: bonus
      => once action "Étude de cas client publiée conjointement" en "Customer case study published jointly"
    otherwise: ok
  }

  # ------------------------------------------------ Article 9 — Gouvernance
  committee steering "Comité de pilotage" en "Steering committee" {
    member acme weight 60
    member orbis weight 40
    quorum 2 members
    meets quarterly
    consensus 2 rounds  # deux tours de recherche du consensus avant la règle de vote
    decision budget "Ajustement des budgets" en "Budget adjustments" requires >= 3/5 of weight
    decision scope "Évolution du périmètre" en "Change of scope" requires majority
    decision brand "Usage de la marque ACME" en "Use of the ACME brand" requires majority veto acme
    decision data_sharing "Partage de données sensibles" en "Sharing of sensitive data" requires majority veto acme, orbis
    decision exit "Sortie d'un partenaire" en "Exit of a partner" requires unanimity
  }

  # --------------------------------- Article 10 — Résolution des différends
  escalation disputes "Résolution des différends" en "Dispute resolution" {
    step managers "Chefs de projet" en "Project managers" within 10 days
    step executives "Directions générales" en "Chief executives" within 10 business days
    step mediation "Médiation" en "Mediation" within 30 days {
      institution "CMAP"
      seat "Paris"
    }
    step arbitration "Arbitrage" en "Arbitration" final {
      institution "CCI"
      seat "Paris"
      arbitrators 3
      language fr
      law "droit français" en "French law"
    }
  }

  # ------------------------------- Article 11 — Fonds d'innovation conjoint
  # Les produits du fonds remboursent d'abord les apports initiaux (au prorata
  # des montants restant dus), puis le surplus est partagé 60/40.
  waterfall fund "Fonds d'innovation conjoint" en "Joint innovation fund" {
    distributes proceeds
    tier repay "Remboursement des apports initiaux" en "Repayment of initial contributions" {
      pay acme up to 350_000 EUR
      pay orbis up to 200_000 EUR
      pro rata
    }
    tier surplus "Partage du surplus" en "Sharing of the surplus" {
      split acme 60%, orbis 40%
    }
  }
}

# =====================================================================
# Tests de l'avenant (docs/language.md, « Amendments ») : avant juillet 2026,
# la version modifiée (alliance.pact, ASD-2026-01) s'applique ; à compter de
# juillet 2026, la présente version, avec les cumuls acquis.
# =====================================================================

test "l'avenant s'applique à compter de juillet 2026, les cumuls sont conservés" {
  data {
    2026-04: leads_total = 100, leads_won = 7, proceeds = 0 EUR
    2026-05: leads_total = 100, leads_won = 7, proceeds = 250_000 EUR
    2026-06: leads_total = 100, leads_won = 7, proceeds = 0 EUR
    2026-07: leads_total = 100, leads_won = 7, proceeds = 0 EUR
    2026-08: leads_total = 100, leads_won = 5, proceeds = 0 EUR
    2026-09: leads_total = 100, leads_won = 5, proceeds = 300_000 EUR
    2026-10: leads_total = 100, leads_won = 5, proceeds = 0 EUR
  }
  # juin (version modifiée) : 7 %, 7 %, 7 % < 8 % → breach, pénalité de 5 000 EUR
  expect conversion_floor at 2026-06 is breach
  expect paid(orbis, acme) at 2026-06 == 5_000 EUR
  # juillet (présente version) : 7 % < 6 % faux → règle 1 fausse ; 7 % < 12 % → watch
  expect conversion_floor at 2026-07 is watch
  # septembre : juillet 7 % ≥ 6 % → règle 1 fausse → watch
  expect conversion_floor at 2026-09 is watch
  # octobre : août, septembre, octobre à 5 % < 6 % → breach, pénalité de 7 500 EUR
  expect conversion_floor at 2026-10 is breach
  expect paid(orbis, acme) at 2026-10 == 7_500 EUR
  # cumul des pénalités sur les deux versions : 5 000 + 7 500
  expect paid(orbis, acme, to date) at 2026-10 == 12_500 EUR
  # mai (version modifiée) : plafonds 300 000 / 200 000, 250 000 au prorata
  # → acme 150 000, orbis 100 000
  expect distributed(fund.repay, acme) at 2026-05 == 150_000 EUR
  # septembre (présente version) : plafond d'acme porté à 350 000, dont 150 000
  # déjà remboursés → restants 200 000 / 100 000 = 300 000 → tout au palier 1
  expect distributed(fund.repay, acme) at 2026-09 == 200_000 EUR
  expect distributed(fund.repay, orbis) at 2026-09 == 100_000 EUR
  expect distributed(fund.repay, acme, to date) at 2026-09 == 350_000 EUR
  expect distributed(fund.surplus, to date) at 2026-09 == 0 EUR
}

test "comité de pilotage : après l'avenant, acme adopte seul les budgets" {
  # >= 3/5 of weight : 60 ≥ 3/5 × 100 → acme seul gagne ; orbis n'a plus de veto
  expect banzhaf(steering.budget, acme) == 1
  expect banzhaf(steering.budget, orbis) == 0
  expect vote steering.budget { acme yes, orbis no } round 3 is passed
}
