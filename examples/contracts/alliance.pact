# Annexe B — Performance, gouvernance et partage de la valeur
#
# Accord d'alliance stratégique entre ACME SAS et Orbis Industries SA.
# La présente annexe fait partie intégrante de l'accord-cadre du 15 décembre 2025.
# En cas de contradiction entre le texte de l'accord-cadre et la présente annexe,
# la présente annexe prévaut pour tout ce qui touche au calcul des indicateurs,
# des pénalités et des distributions.

contract "Alliance Solutions Durables" en "Sustainable Solutions Alliance" {
  id "ASD-2026-01"
  version "2.1"
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
  let penalty = 5_000 EUR
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
    when conversion < 8% for 3 months: breach
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
    decision budget "Ajustement des budgets" en "Budget adjustments" requires >= 2/3 of weight
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
      pay acme up to 300_000 EUR
      pay orbis up to 200_000 EUR
      pro rata
    }
    tier surplus "Partage du surplus" en "Sharing of the surplus" {
      split acme 60%, orbis 40%
    }
  }
}

# =====================================================================
# Tests de l'annexe (LANGUAGE.md §10). Chaque valeur attendue est calculée
# à la main ; le calcul figure en commentaire au-dessus de l'assertion.
# =====================================================================

test "trois mois sous le plancher déclenchent la pénalité" {
  data {
    2026-01: leads_total = 100, leads_won = 7
    2026-02: leads_total = 100, leads_won = 6
    2026-03: leads_total = 100, leads_won = 5
    2026-04: leads_total = 200, leads_won = 30
  }
  # 5 / 100 = 0,05 = 5 %
  expect conversion at 2026-03 == 5%
  # janvier : 7 % < 8 %, mais « for 3 months » porte sur 2025-11, 2025-12
  # (avant le terme : ne tiennent pas) et 2026-01 → règle 1 fausse ;
  # 7 % < 12 % → watch
  expect conversion_floor at 2026-01 is watch
  # février : 2025-12 avant le terme → règle 1 fausse ; 6 % < 12 % → watch
  expect conversion_floor at 2026-02 is watch
  # mars : 7 %, 6 %, 5 % tous < 8 % → breach
  expect conversion_floor at 2026-03 is breach
  # la règle 1 verse la pénalité de 5 000 EUR d'orbis à acme en mars
  expect paid(orbis, acme) at 2026-03 == 5_000 EUR
  # avril : 30 / 200 = 15 % ; règle 1 : 15 % < 8 % faux ; 15 % < 12 % faux ;
  # 15 % >= 25 % faux → otherwise ok
  expect conversion at 2026-04 == 15%
  expect conversion_floor at 2026-04 is ok
  # cumul des pénalités : seul mars a versé 5 000 EUR
  expect paid(orbis, acme, to date) at 2026-04 == 5_000 EUR
}

test "un mois absent donne no-data, sans effacer la suite" {
  data {
    2026-01: leads_total = 100, leads_won = 5
    2026-02: leads_total = 100, leads_won = 6
    2026-04: leads_total = 100, leads_won = 30
  }
  # mars absent des données → leads manquants → conversion manquante
  expect conversion at 2026-03 is missing
  # mars : règle 1 = et(5 % < 8 % vrai, 6 % < 8 % vrai, manquant) = manquant ;
  # règles 2 et 3 manquantes → aucune règle ne tient, une condition manquante
  # → no-data (et pas « ok »)
  expect conversion_floor at 2026-03 is no-data
  # avril : 30 / 100 = 30 % ; règle 1 = et(vrai, manquant, faux) = faux ;
  # 30 % < 12 % faux ; 30 % >= 25 % vrai → bonus
  expect conversion_floor at 2026-04 is bonus
  expect paid(acme, orbis) at 2026-04 == 10_000 EUR
}

test "la prime de performance n'est versée qu'une fois" {
  data {
    2026-01: leads_total = 100, leads_won = 25
    2026-02: leads_total = 100, leads_won = 30
  }
  # 25 / 100 = 25 % >= 25 % (borne incluse) → bonus, prime versée
  expect conversion_floor at 2026-01 is bonus
  expect paid(acme, orbis) at 2026-01 == 10_000 EUR
  # 30 % → bonus de nouveau, mais « once » : aucun second versement ;
  # cumul = 10 000 EUR
  expect conversion_floor at 2026-02 is bonus
  expect paid(acme, orbis, to date) at 2026-02 == 10_000 EUR
}

test "chiffre d'affaires glissant et seuil de renégociation" {
  data {
    2026-01: revenue = 150_000 EUR
    2026-02: revenue = 160_000 EUR
    2026-03: revenue = 140_000 EUR
    2026-04: revenue = 90_000 EUR
    2026-05: revenue = 60_000 EUR
    2026-06: revenue = 80_000 EUR
  }
  # la fenêtre de février couvre 2025-12, avant le premier mois de données
  expect revenue_3m at 2026-02 is missing
  # février : règle 1 = et(2025-12 avant le terme = faux, janvier manquant,
  # février manquant) = faux ; règle 2 manquante → no-data
  expect revenue_review at 2026-02 is no-data
  # 150 000 + 160 000 + 140 000 = 450 000 EUR
  expect revenue_3m at 2026-03 == 450_000 EUR
  # 450 000 < 450 000 est faux (borne exclue) → ok
  expect revenue_review at 2026-03 is ok
  # avril : 160 000 + 140 000 + 90 000 = 390 000 < 450 000 → watch
  expect revenue_review at 2026-04 is watch
  # mai : 140 000 + 90 000 + 60 000 = 290 000 < 300 000 (1er mois) → watch
  expect revenue_3m at 2026-05 == 290_000 EUR
  expect revenue_review at 2026-05 is watch
  # juin : 90 000 + 60 000 + 80 000 = 230 000 ; règle 1 = et(avril 390 000 < 300 000 faux,
  # vrai, vrai) = faux → watch
  expect revenue_review at 2026-06 is watch
  # l'objectif suit l'échéancier : 450 000 EUR en 2026
  expect revenue_floor at 2026-06 == 450_000 EUR
}

test "satisfaction client : moyenne, tolérance et contrôle trimestriel" {
  data {
    2026-01: csat = 8.2
    2026-02: csat = 7.9
    2026-03: csat = 7.6
    2026-04: csat = 7.0
    2026-05: csat = 6.8
    2026-06: csat = 7.1
  }
  # (8,2 + 7,9 + 7,6) / 3 = 23,7 / 3 = 7,9
  expect csat_avg at 2026-03 == 7.9
  # (7,0 + 6,8 + 7,1) / 3 = 20,9 / 3 = 6,9666… ; |6,9666… − 6,97| = 0,0033 ≤ 0,01
  expect csat_avg at 2026-06 == 6.97 within 0.01
  # contrôle de mars : 7,9 n'est ni < 6, ni < 7,5, ni >= 8,5 → ok
  expect csat_quality at 2026-03 is ok
  # entre deux contrôles, le statut du dernier contrôle (mars) demeure
  expect csat_quality at 2026-05 is ok
  # contrôle de juin : 6,97 < 6 pour 2 trimestres ? non (6,97 ≥ 6) ; 6,97 < 7,5 → watch
  expect csat_quality at 2026-06 is watch
}

test "fonds d'innovation : remboursement puis partage 60/40" {
  data {
    2026-01: proceeds = 150_000 EUR
    2026-02: proceeds = 200_000 EUR
    2026-03: proceeds = 250_000 EUR
  }
  # janvier : plafonds restants 300 000 / 200 000 ; 150 000 au prorata
  # → acme 150 000 × 3/5 = 90 000 ; orbis 150 000 × 2/5 = 60 000
  expect distributed(fund, acme) at 2026-01 == 90_000 EUR
  expect distributed(fund, orbis) at 2026-01 == 60_000 EUR
  # février : restants 210 000 / 140 000 (somme 350 000) ; 200 000 au prorata
  # → acme 200 000 × 210/350 = 120 000 ; orbis 80 000
  expect distributed(fund.repay, acme) at 2026-02 == 120_000 EUR
  # mars : restants 90 000 / 60 000 = 150 000 < 250 000 → palier 1 soldé ;
  # surplus 250 000 − 150 000 = 100 000 → acme 60 000, orbis 40 000
  expect distributed(fund.repay, acme, to date) at 2026-03 == 300_000 EUR
  expect distributed(fund.repay, orbis, to date) at 2026-03 == 200_000 EUR
  expect distributed(fund.surplus, orbis) at 2026-03 == 40_000 EUR
  # acme en mars : 90 000 (palier 1) + 60 000 (surplus) = 150 000
  expect distributed(fund, acme) at 2026-03 == 150_000 EUR
  # total distribué : 150 000 + 200 000 + 250 000 = 600 000 ; rien n'est retenu
  expect distributed(fund, to date) at 2026-03 == 600_000 EUR
  expect retained(fund) at 2026-03 == 0 EUR
}

test "fonds d'innovation : arrondi au centime par la méthode du plus fort reste" {
  data {
    2026-01: proceeds = 100_000.01 EUR
  }
  # prorata 3/5 – 2/5 de 10 000 001 centimes : acme 6 000 000,6 ; orbis 4 000 000,4
  # parties entières 6 000 000 + 4 000 000 = 10 000 000 → 1 centime à attribuer
  # au plus fort reste (0,6 > 0,4) : acme 60 000,01 EUR ; orbis 40 000,00 EUR
  expect distributed(fund, acme) at 2026-01 == 60_000.01 EUR
  expect distributed(fund, orbis) at 2026-01 == 40_000 EUR
}

test "comité de pilotage : votes" {
  # tour 1 (consensus 2 rounds) : il faut le oui de tous les présents ; orbis vote non
  expect vote steering.budget { acme yes, orbis no } is rejected
  expect vote steering.budget { acme yes, orbis yes } is passed
  # tour 3, règle >= 2/3 of weight : 3 × 60 = 180 < 2 × 100 = 200 → rejeté
  expect vote steering.budget { acme yes, orbis no } round 3 is rejected
  # abstention : la base reste le poids total (100) → 180 < 200 → rejeté
  expect vote steering.budget { acme yes, orbis abstain } round 3 is rejected
  # majorité (> 50 % des voix exprimées) : tour 2 encore en consensus → rejeté
  expect vote steering.scope { acme yes, orbis no } round 2 is rejected
  # tour 3 : 60 > 50 % de 100 exprimés → adopté
  expect vote steering.scope { acme yes, orbis no } round 3 is passed
  # tour 3 : acme s'abstient ; exprimés = 40, oui = 40 > 20 → adopté
  # (quorum : 2 membres présents, l'abstention compte comme présence)
  expect vote steering.scope { acme abstain, orbis yes } round 3 is passed
  # veto d'acme sur l'usage de sa marque : un « non » d'acme → vetoed
  expect vote steering.brand { acme no, orbis yes } round 3 is vetoed
  # veto d'orbis sur le partage de données, même face à 60 % de oui
  expect vote steering.data_sharing { acme yes, orbis no } round 3 is vetoed
  # la sortie exige l'unanimité : une abstention suffit à la faire échouer
  expect vote steering.exit { acme yes, orbis abstain } round 3 is rejected
  expect vote steering.exit { acme yes, orbis yes } round 3 is passed
  # quorum de 2 membres : orbis absent → no-quorum
  expect vote steering.budget { acme yes, orbis absent } is no-quorum
}

test "comité de pilotage : pouvoir de vote" {
  # budget, >= 2/3 of weight : 60 seul < 66,67 ; 40 seul < 66,67 ; 100 gagne.
  # Seule coalition gagnante {acme, orbis}, où chacun est pivot une fois
  # → Banzhaf normalisé 1/2 chacun ; Shapley : le second arrivé est pivot,
  # dans 1 ordre sur 2 pour chacun → 1/2 chacun. Orbis a donc un veto de fait.
  expect banzhaf(steering.budget, orbis) == 1 / 2
  expect banzhaf(steering.budget, acme) == 1 / 2
  expect shapley(steering.budget, orbis) == 1 / 2
  # périmètre, majorité : acme (60 > 50) gagne seul ; coalitions gagnantes
  # {acme}, {acme, orbis} ; acme pivot dans les deux, orbis dans aucune
  # → Banzhaf acme 2/2 = 1, orbis 0 (acme est dictateur sur cette décision)
  expect banzhaf(steering.scope, acme) == 1
  expect banzhaf(steering.scope, orbis) == 0
  expect shapley(steering.scope, orbis) == 0
  # sortie, unanimité : comme le budget, 1/2 chacun
  expect banzhaf(steering.exit, orbis) == 1 / 2
}

test "procédure de résolution des différends, calendrier français" {
  # ouverture samedi 4 juillet 2026. Étape 1 : 10 jours calendaires
  # → 14 juillet (mardi, fête nationale, férié) → reporté au mercredi 15 juillet
  expect escalation disputes opened 2026-07-04 deadline managers == 2026-07-15
  expect escalation disputes opened 2026-07-04 on 2026-07-14 is managers
  expect escalation disputes opened 2026-07-04 on 2026-07-15 is executives
  # étape 2 : débute le 15 juillet ; 10 jours ouvrés après : 16, 17, 20, 21, 22,
  # 23, 24, 27, 28, 29 juillet → 29 juillet
  expect escalation disputes opened 2026-07-04 deadline executives == 2026-07-29
  # étape 3 : débute le 29 juillet ; + 30 jours = 28 août (vendredi, ouvré)
  expect escalation disputes opened 2026-07-04 deadline mediation == 2026-08-28
  expect escalation disputes opened 2026-07-04 on 2026-08-28 is arbitration
  # échec constaté des chefs de projet le mercredi 8 juillet : l'étape 2 débute
  # le 8 ; 10 jours ouvrés : 9, 10, 13, (14 férié), 15, 16, 17, 20, 21, 22, 23
  # → 23 juillet
  expect escalation disputes opened 2026-07-04 with managers failed 2026-07-08 deadline executives == 2026-07-23
  # règlement amiable au niveau des directions le 20 juillet
  expect escalation disputes opened 2026-07-04 with managers failed 2026-07-08, executives resolved 2026-07-20 on 2026-07-21 is resolved
  # ouverture mardi 15 décembre 2026 : + 10 jours = vendredi 25 décembre (Noël,
  # férié) → samedi, dimanche → lundi 28 décembre
  expect escalation disputes opened 2026-12-15 deadline managers == 2026-12-28
}
