# Contrat de distribution — Annexe 2 : objectifs, remises, gouvernance.
#
# Chaque construction est régie par un article rédigé en français et en anglais :
# les mots que les parties négocient et la logique que l'outil calcule sont dans
# le même fichier, et `pact check` vérifie qu'ils se répondent.

contract "Contrat de distribution Maison Verte" en "Maison Verte distribution agreement" {
  id "MV-DN-2026"
  version "1.0"
  effective 2026-01-01 until 2027-12-31
  currency EUR
  language fr
  calendar FR
  signed at "Lille" on 2025-12-15

  party supplier "Maison Verte" en "Maison Verte" {
    legal_name "Maison Verte SAS"
    legal_form "société par actions simplifiée au capital de 250 000 €"
      en "simplified joint-stock company with a share capital of €250,000"
    office "14 rue Nationale, 59000 Lille, France"
    registration "RCS Lille Métropole 851 234 567"
    represented_by "Claire Dumont" "Présidente" en "President"
  }
  party distributor "Distribunord" en "Distribunord" {
    legal_name "Distribunord SARL"
    legal_form "société à responsabilité limitée au capital de 80 000 €"
      en "limited liability company with a share capital of €80,000"
    office "3 avenue de la Gare, 62000 Arras, France"
    registration "RCS Arras 903 456 789"
    represented_by "Marc Leroy" "Gérant" en "Managing Director"
  }

  # ------------------------------------------------------------ données
  measure sales "Ventes nettes du distributeur" en "Distributor's net sales": money {
    owner distributor
    source "Relevé mensuel des ventes (EDI)" en "Monthly sales statement (EDI)"
  }
  measure returns "Retours de produits" en "Product returns": money {
    owner distributor
    source "Relevé mensuel des retours (EDI)" en "Monthly returns statement (EDI)"
  }
  measure marketing_pool "Budget marketing disponible" en "Available marketing budget": money {
    owner supplier
    source "Comptabilité du fournisseur" en "Supplier's accounts"
  }

  # ------------------------------------------------------------ valeurs
  let sales_target "Objectif de ventes mensuel" en "Monthly sales target" = 80_000 EUR from 2026-01, 95_000 EUR from 2027-01
  let floor_amount "Plancher mensuel de ventes" en "Monthly sales floor" = 50_000 EUR
  let alert_amount "Seuil d'alerte des ventes" en "Sales alert level" = 60_000 EUR
  let rebate_rate "Taux de la remise de volume" en "Volume rebate rate" = 3%
  let returns_ceiling "Plafond du taux de retours" en "Return rate ceiling" = 5%

  # --------------------------------------------------------- indicateurs
  kpi sales_3m "Ventes sur trois mois glissants" en "Sales over three rolling months": money = sum(sales, 3 months) {
    owner distributor
    source "Relevé mensuel des ventes (EDI)" en "Monthly sales statement (EDI)"
    frequency monthly
  }
  kpi return_rate "Taux de retours" en "Return rate": percent = returns / sales {
    owner distributor
    source "Relevés mensuels des ventes et des retours (EDI)" en "Monthly sales and returns statements (EDI)"
    frequency monthly
    target 3%
  }

  # --------------------------------------------------------------- seuils
  threshold sales_floor "Plancher de ventes" en "Sales floor" {
    checked monthly
    when sales < floor_amount for 3 months: breach
      => action "Réexamen de l'exclusivité territoriale par le comité commercial" en "Review of the territorial exclusivity by the sales committee"
    when sales < alert_amount: watch
      => notify supplier, distributor
    otherwise: ok
  }

  threshold volume_rebate "Remise de volume" en "Volume rebate" {
    checked quarterly
    when sales_3m >= 3 * sales_target: bonus
      => pay rebate_rate * sales_3m from supplier to distributor "Remise de volume trimestrielle" en "Quarterly volume rebate"
    otherwise: ok
  }

  threshold returns_control "Contrôle des retours" en "Returns control" {
    checked monthly
    when return_rate > returns_ceiling for 2 months: breach
      => escalate disputes
      => notify supplier, distributor
    when return_rate > returns_ceiling: watch
      => action "Analyse conjointe des causes de retour sous 10 jours" en "Joint analysis of the causes of returns within 10 days"
    otherwise: ok
  }

  # ---------------------------------------------------------- gouvernance
  committee board "Comité commercial" en "Sales committee" {
    member supplier weight 1
    member distributor weight 1
    quorum 2 members
    meets quarterly
    decision range "Évolution de la gamme distribuée" en "Change of the product range" requires unanimity
    decision prices "Prix de revente conseillés" en "Recommended resale prices" requires >= 1/2 of weight veto supplier
    decision campaigns "Campagnes marketing nationales" en "National marketing campaigns" requires >= 1/2 of weight
  }

  escalation disputes "Résolution des différends" en "Dispute resolution" {
    step managers "Responsables commerciaux" en "Sales managers" within 10 business days
    step directors "Directions générales" en "Senior management" within 15 days
    step mediation "Médiation" en "Mediation" within 30 days {
      institution "Centre de médiation du barreau de Lille" en "Mediation Centre of the Lille Bar"
      seat "Lille"
    }
    step court "Tribunal de commerce de Lille" en "Lille Commercial Court" final {
      seat "Lille"
    }
  }

  # ------------------------------------------------------------ marketing
  waterfall marketing "Fonds marketing commun" en "Joint marketing fund" {
    distributes marketing_pool
    tier local "Actions locales du distributeur" en "Distributor's local campaigns" {
      pay distributor up to 24_000 EUR
    }
    tier national "Campagnes nationales" en "National campaigns" {
      split supplier 70%, distributor 30%
    }
  }

  # -------------------------------------------------------------- articles
  clause purpose "1" "Objet" en "Purpose" {
    text "{supplier} confie à {distributor}, qui l'accepte, la distribution exclusive de ses produits dans les départements du Nord et du Pas-de-Calais."
      en "{supplier} appoints {distributor}, which accepts, as the exclusive distributor of its products in the Nord and Pas-de-Calais departments."
    text "La présente annexe fixe les données que les parties échangent, les objectifs de ventes, la remise de volume, le contrôle des retours, la gouvernance, le fonds marketing commun et la résolution des différends."
      en "This annex sets out the data the parties exchange, the sales targets, the volume rebate, the control of returns, the governance, the joint marketing fund and the resolution of disputes."
  }

  clause reporting "2" "Données mensuelles" en "Monthly data" {
    text "Au plus tard le 10 de chaque mois, {distributor} transmet à {supplier} ses ventes nettes et ses retours du mois précédent, et {supplier} communique le budget marketing disponible. Une donnée non transmise est manquante : elle n'est jamais assimilée à zéro."
      en "By the 10th of each month, {distributor} sends {supplier} its net sales and returns for the previous month, and {supplier} states the available marketing budget. Data not sent is missing: it is never taken as zero."
    governs sales, returns, marketing_pool
  }

  clause targets "3" "Objectifs de ventes" en "Sales targets" {
    text "L'objectif de ventes mensuel est de {sales_target}."
      en "The monthly sales target is {sales_target}."
    text "Si les ventes d'un mois sont inférieures à {alert_amount}, chaque partie en est avisée. Si elles restent inférieures à {floor_amount} pendant trois mois consécutifs, le comité commercial réexamine l'exclusivité territoriale (article {governance})."
      en "If a month's sales are below {alert_amount}, each party is notified. If they stay below {floor_amount} for three consecutive months, the sales committee reviews the territorial exclusivity (clause {governance})."
    governs sales_target, alert_amount, floor_amount, sales_3m, sales_floor
  }

  clause rebate "4" "Remise de volume" en "Volume rebate" {
    text "Lorsque les ventes d'un trimestre civil atteignent au moins trois fois l'objectif de ventes mensuel, {supplier} verse à {distributor} une remise égale à {rebate_rate} des ventes du trimestre."
      en "When the sales of a calendar quarter reach at least three times the monthly sales target, {supplier} pays {distributor} a rebate of {rebate_rate} of the quarter's sales."
    governs rebate_rate, volume_rebate
  }

  clause returns_clause "5" "Retours de produits" en "Product returns" {
    text "Le taux de retours ne doit pas dépasser {returns_ceiling} ; l'objectif est de le maintenir sous 3 %. Un dépassement donne lieu à une analyse conjointe ; un dépassement pendant deux mois consécutifs ouvre la procédure de l'article {disputes_clause}."
      en "The return rate must not exceed {returns_ceiling}; the aim is to keep it under 3%. An excess leads to a joint analysis; an excess in two consecutive months opens the procedure of clause {disputes_clause}."
    governs returns_ceiling, return_rate, returns_control
  }

  clause governance "6" "Comité commercial" en "Sales committee" {
    text "Le comité commercial réunit {supplier} et {distributor} chaque trimestre. L'évolution de la gamme distribuée requiert {board.range} ; les prix de revente conseillés requièrent {board.prices}, {supplier} disposant d'un droit de veto ; les campagnes nationales requièrent {board.campaigns}."
      en "The sales committee brings {supplier} and {distributor} together every quarter. A change of the product range requires {board.range}; recommended resale prices require {board.prices}, {supplier} holding a veto; national campaigns require {board.campaigns}."
    governs board
  }

  clause fund "7" "Fonds marketing commun" en "Joint marketing fund" {
    text "Le budget marketing disponible finance d'abord les actions locales de {distributor}, dans la limite de 24 000 € sur la durée du contrat, puis les campagnes nationales, réparties entre les parties à raison de 70 % et 30 %."
      en "The available marketing budget first funds the local campaigns of {distributor}, up to €24,000 over the term of the contract, then the national campaigns, shared between the parties 70% and 30%."
    governs marketing
  }

  clause disputes_clause "8" "Résolution des différends" en "Dispute resolution" {
    text "Tout différend est soumis d'abord aux responsables commerciaux, qui disposent de {disputes.managers}, puis aux directions générales ({disputes.directors}), puis à une médiation de {disputes.mediation}. À défaut d'accord, le {disputes.court.label} est seul compétent."
      en "Any dispute goes first to the sales managers, who have {disputes.managers}, then to senior management ({disputes.directors}), then to a mediation of {disputes.mediation}. Failing agreement, the {disputes.court.label} has sole jurisdiction."
    governs disputes
  }

  clause outlook "9" "Perspectives" en "Outlook" {
    text "Les parties envisagent d'étendre la distribution à la Belgique à compter de 2027 et en discuteront de bonne foi au sein du comité commercial."
      en "The parties intend to extend the distribution to Belgium from 2027 and will discuss it in good faith in the sales committee."
    non-binding
  }
}

# =====================================================================
# Tests (LANGUAGE.md §10). Chaque valeur attendue est calculée à la main ;
# le calcul figure en commentaire au-dessus de l'assertion.
# =====================================================================

test "remise de volume trimestrielle" {
  data "../data/distribution.csv"
  # T1 : 78 000 + 85 500 + 92 000 = 255 500 ≥ 3 × 80 000 = 240 000 → prime
  expect sales_3m at 2026-03 == 255_500 EUR
  expect volume_rebate at 2026-03 is bonus
  # remise : 3 % × 255 500 = 7 665 EUR, versée par le fournisseur au distributeur
  expect paid(supplier, distributor) at 2026-03 == 7_665 EUR
  # T2 : 58 000 + 55 000 + 61 000 = 174 000 < 240 000 → conforme
  expect volume_rebate at 2026-06 is ok
  # T4 : 83 000 + 88 000 + 96 000 = 267 000 ; 3 % = 8 010 EUR
  expect paid(supplier, distributor) at 2026-12 == 8_010 EUR
  # cumul sur l'année : 7 665 + 8 010 = 15 675 EUR
  expect paid(supplier, distributor, to date) at 2026-12 == 15_675 EUR
}

test "plancher de ventes" {
  data "../data/distribution.csv"
  # avril : 58 000 < 60 000 → vigilance (un seul mois sous 50 000 ? non : 58 000 ≥ 50 000)
  expect sales_floor at 2026-04 is watch
  # juillet : 49 000 < 50 000, mais mai (55 000) et juin (61 000) ne le sont pas → vigilance
  expect sales_floor at 2026-07 is watch
  # septembre : juillet 49 000, août 47 500, septembre 48 200, tous < 50 000 → manquement
  expect sales_floor at 2026-09 is breach
  # octobre : 83 000 ≥ 60 000 → conforme
  expect sales_floor at 2026-10 is ok
}

test "contrôle des retours" {
  data "../data/distribution.csv"
  # avril : 3 600 / 58 000 = 0,0620… > 5 % ; mars 2 500 / 92 000 = 2,7 % ne l'est pas → vigilance
  expect return_rate at 2026-04 == 0.0620689655 within 0.0000000001
  expect returns_control at 2026-04 is watch
  # mai : 3 300 / 55 000 = 6 % > 5 %, deux mois de suite → manquement, procédure ouverte
  expect return_rate at 2026-05 == 6%
  expect returns_control at 2026-05 is breach
  # juin : 1 800 / 61 000 = 2,95 % → conforme
  expect returns_control at 2026-06 is ok
}

test "fonds marketing commun" {
  data "../data/distribution.csv"
  # janvier à avril : 5 000 + 5 000 + 8 000 + 4 000 = 22 000 vont aux actions locales (plafond 24 000)
  expect distributed(marketing.local, distributor, to date) at 2026-04 == 22_000 EUR
  # mai : 4 000 ; 2 000 complètent le plafond, 2 000 passent au rang national :
  # fournisseur 70 % = 1 400, distributeur 30 % = 600
  expect distributed(marketing.local, distributor) at 2026-05 == 2_000 EUR
  expect distributed(marketing.national, supplier) at 2026-05 == 1_400 EUR
  expect distributed(marketing.national, distributor) at 2026-05 == 600 EUR
  # décembre : 9 000 entièrement au rang national → 6 300 / 2 700
  expect distributed(marketing, supplier) at 2026-12 == 6_300 EUR
}

test "comité commercial" {
  # gamme : unanimité ; un « non » suffit à rejeter
  expect vote board.range { supplier yes, distributor no } is rejected
  # prix : au moins la moitié des droits de vote, veto du fournisseur
  expect vote board.prices { supplier no, distributor yes } is vetoed
  expect vote board.prices { supplier yes, distributor no } is passed
  # campagnes : 1 voix sur 2 = 1/2 ≥ 1/2 → adopté
  expect vote board.campaigns { supplier no, distributor yes } is passed
}

test "procédure de résolution des différends" {
  # ouverte le jeudi 30 avril 2026 ; 1er mai (vendredi), 8 mai (vendredi) et 14 mai
  # (Ascension) sont fériés : 10 jours ouvrés = 4, 5, 6, 7, 11, 12, 13, 15, 18 et
  # 19 mai → mardi 19 mai
  expect escalation disputes opened 2026-04-30 deadline managers == 2026-05-19
  # directions : 19 mai + 15 jours = 3 juin (mercredi, ouvré)
  expect escalation disputes opened 2026-04-30 deadline directors == 2026-06-03
}
