# Schedule 3 — Service Levels, Service Credits and Revenue Share
#
# Reseller Agreement between Nimbus Cloud SAS (the "Provider") and Helix
# Distribution Ltd (the "Reseller") dated 12 December 2025. This Schedule sets
# out how the service levels are measured, the service credits that are the
# Reseller's sole financial remedy for a service-level failure (clause 9.2), and
# the split of resale revenue (clause 6).
#
# Monthly figures are exported from the Provider's uptime monitor and ticketing
# system and from the Reseller's billing system; the shared spreadsheet is
# exported with ";" separators and decimal commas (examples/data/reseller_sla.csv).

contract "Nimbus Cloud Reseller Agreement" {
  id "RSA-2026-014"
  version "1.3"
  effective 2026-01-01 until 2027-12-31
  currency EUR
  language en
  # no calendar: business days are Monday to Friday (clause 1.4)

  party provider "Nimbus Cloud SAS" fr "Nimbus Cloud SAS (le Fournisseur)"
  party reseller "Helix Distribution Ltd" fr "Helix Distribution Ltd (le Revendeur)"

  # ------------------------------------------------ Part A — Monthly inputs
  measure minutes_scheduled "Scheduled service minutes in the month" fr "Minutes de service planifiées": number {
    owner provider
    source "Uptime monitor, excluding announced maintenance windows (clause 9.1)"
  }
  measure minutes_down "Minutes of unavailability" fr "Minutes d'indisponibilité": number {
    owner provider
    source "Uptime monitor, incidents confirmed on the status page"
  }
  measure p1_incidents "Priority-1 incidents" fr "Incidents de priorité 1": count {
    owner provider
    source "Ticketing system"
  }
  measure p1_late "Priority-1 incidents not acknowledged within 30 minutes" fr "Incidents P1 non pris en charge sous 30 minutes": count {
    owner provider
    source "Ticketing system"
  }
  measure tickets "Support tickets raised by the Reseller" fr "Tickets de support ouverts": count {
    owner reseller
    source "Ticketing system"
  }
  measure tickets_in_sla "Support tickets resolved within the resolution time" fr "Tickets résolus dans les délais": count {
    owner provider
    source "Ticketing system"
  }
  measure wholesale_fees "Wholesale fees invoiced to the Reseller" fr "Redevances de gros facturées au Revendeur": money {
    owner provider
    source "Provider invoices"
  }
  measure resale_revenue "Net resale revenue collected from end customers" fr "Chiffre d'affaires de revente encaissé": money {
    owner reseller
    source "Reseller billing export"
  }

  # ------------------------------------------------ Part B — Service levels
  kpi availability "Monthly availability" fr "Disponibilité mensuelle": percent = (minutes_scheduled - minutes_down) / minutes_scheduled {
    owner provider
    source "Uptime monitor"
    frequency monthly
    target 99.9%
  }

  # A month without any P1 incident is fully compliant (clause 9.3).
  kpi p1_on_time "P1 incidents acknowledged on time" fr "Incidents P1 pris en charge à temps": percent = if p1_incidents == 0 then 100% else (p1_incidents - p1_late) / p1_incidents {
    owner provider
    source "Ticketing system"
    frequency monthly
    target 100%
  }

  kpi ticket_sla "Tickets resolved within the resolution time" fr "Tickets résolus dans les délais": percent = tickets_in_sla / tickets {
    owner provider
    source "Ticketing system"
    frequency monthly
    target 92%
  }

  kpi credits_to_date "Service credits granted to date" fr "Avoirs de service cumulés": money = paid(provider, reseller, to date) {
    owner provider
    source "Computed from this Schedule"
    frequency monthly
  }

  kpi reseller_share_to_date "Reseller's revenue share to date" fr "Part du Revendeur cumulée": money = distributed(revenue_share, reseller, to date) {
    owner reseller
    source "Computed from this Schedule"
    frequency monthly
  }

  # ------------------------------------------------ Part C — Service credits
  # Availability credits are a percentage of the month's wholesale fees. Only
  # the first applicable line applies in a month.
  threshold availability_credit "Availability service credits" fr "Avoirs de disponibilité" {
    checked monthly
    when availability < 95% for 2 months: breach
      => pay 25% * wholesale_fees from provider to reseller "Service credit: 25% of monthly fees"
      => escalate disputes
    when availability < 99%: breach
      => pay 10% * wholesale_fees from provider to reseller "Service credit: 10% of monthly fees"
    when availability < 99.9%: watch
      => pay 5% * wholesale_fees from provider to reseller "Service credit: 5% of monthly fees"
    otherwise: ok
  }

  threshold response_credit "P1 response-time credit" fr "Avoir sur délai de prise en charge P1" {
    checked monthly
    when p1_on_time < 80%: breach
      => pay 1_500 EUR from provider to reseller "P1 response-time credit"
    when p1_on_time < 100%: watch
      => notify provider
    otherwise: ok
  }

  threshold support_quality "Support resolution quality" fr "Qualité de résolution du support" {
    checked monthly
    when ticket_sla < 85% for 3 months: breach
      => action "Provider to deliver a remediation plan within 15 business days (clause 9.4)"
      => notify provider, reseller
    when ticket_sla < 92%: watch
    otherwise: ok
  }

  # ------------------------------------------------ Part D — Revenue share
  # The first 200,000 EUR of resale revenue over the term is shared 75/25;
  # beyond it the Reseller's margin rises to 35% (volume accelerator, clause 6.3).
  waterfall revenue_share "Revenue share on resale" fr "Partage du chiffre d'affaires de revente" {
    distributes resale_revenue
    tier standard "Standard margin" fr "Marge standard" {
      split provider 75%, reseller 25%
      up to 200_000 EUR
    }
    tier accelerated "Accelerated margin" fr "Marge accélérée" {
      split provider 65%, reseller 35%
    }
  }

  # ------------------------------------------------ Part E — Governance
  committee review_board "Service Review Board" fr "Comité de revue du service" {
    member provider weight 1
    member reseller weight 1
    quorum 2 members
    meets monthly
    decision roadmap "Joint roadmap priorities" fr "Priorités de la feuille de route" requires majority
    decision credit_waiver "Waiver or deferral of service credits" fr "Renonciation aux avoirs" requires majority veto reseller
    decision sla_change "Change to the service levels" fr "Modification des niveaux de service" requires unanimity
  }

  escalation disputes "Dispute resolution" fr "Résolution des différends" {
    step account_managers "Account managers" fr "Responsables de compte" within 5 business days
    step executives "Executive sponsors" fr "Sponsors exécutifs" within 10 days
    step arbitration "Arbitration" fr "Arbitrage" final {
      institution "ICC"
      rules "ICC Arbitration Rules 2021"
      seat "Paris"
      arbitrators 1
      language en
    }
  }
}

# ======================================================================
# Tests (LANGUAGE.md §10). Expected values are computed by hand; the
# arithmetic is written above each expectation.
# ======================================================================

test "availability credits step up with the outage" {
  data {
    2026-04: minutes_scheduled = 43_200, minutes_down = 43.2, wholesale_fees = 12_000 EUR
    2026-05: minutes_scheduled = 44_640, minutes_down = 60, wholesale_fees = 12_000 EUR
    2026-06: minutes_scheduled = 43_200, minutes_down = 500, wholesale_fees = 12_000 EUR
    2026-07: minutes_scheduled = 44_640, minutes_down = 3_000, wholesale_fees = 12_000 EUR
    2026-08: minutes_scheduled = 44_640, minutes_down = 2_400, wholesale_fees = 12_000 EUR
  }
  # April: (43 200 − 43.2) / 43 200 = 43 156.8 / 43 200 = 0.999 = 99.9% exactly;
  # 99.9% < 99.9% is false → ok, no credit
  expect availability at 2026-04 == 99.9%
  expect availability_credit at 2026-04 is ok
  # May: (44 640 − 60) / 44 640 = 0.998655…; < 99.9% → watch, credit 5% × 12 000 = 600
  expect availability_credit at 2026-05 is watch
  expect paid(provider, reseller) at 2026-05 == 600 EUR
  # June: 42 700 / 43 200 = 0.988425… < 99% → breach, credit 10% × 12 000 = 1 200
  expect availability at 2026-06 == 98.84% within 0.01%
  expect availability_credit at 2026-06 is breach
  expect paid(provider, reseller) at 2026-06 == 1_200 EUR
  # July: 41 640 / 44 640 = 0.932795… < 95%, but June (98.84%) was not → rule 1
  # false; rule 2 → breach, 10% credit = 1 200
  expect paid(provider, reseller) at 2026-07 == 1_200 EUR
  # August: 42 240 / 44 640 = 0.946236… < 95% for July and August → rule 1:
  # breach, credit 25% × 12 000 = 3 000 (and the dispute ladder is opened)
  expect availability_credit at 2026-08 is breach
  expect paid(provider, reseller) at 2026-08 == 3_000 EUR
  # credits to date: 0 + 600 + 1 200 + 1 200 + 3 000 = 6 000
  expect credits_to_date at 2026-08 == 6_000 EUR
}

test "missing monitoring data gives no-data, not a free month" {
  data {
    2026-01: minutes_scheduled = 44_640, minutes_down = 3_000, wholesale_fees = 12_000 EUR
    2026-02: minutes_scheduled = 40_320, wholesale_fees = 12_000 EUR
    2026-03: minutes_scheduled = 44_640, minutes_down = 3_000, wholesale_fees = 12_000 EUR
  }
  # February: minutes_down absent → availability missing
  expect availability at 2026-02 is missing
  # rule 1: and(January 93.28% < 95% true, February missing) = missing;
  # rules 2 and 3 missing → no-data (no credit is computed)
  expect availability_credit at 2026-02 is no-data
  # March: rule 1: and(February missing, March true) = missing → does not hold;
  # rule 2: 93.28% < 99% → breach with the 10% credit
  expect availability_credit at 2026-03 is breach
  expect paid(provider, reseller) at 2026-03 == 1_200 EUR
}

test "P1 response credit" {
  data {
    2026-01: p1_incidents = 0, p1_late = 0
    2026-02: p1_incidents = 5, p1_late = 1
    2026-03: p1_incidents = 4, p1_late = 1
  }
  # no P1 incident: the if-branch gives 100% → ok
  expect p1_on_time at 2026-01 == 100%
  expect response_credit at 2026-01 is ok
  # (5 − 1) / 5 = 80%; 80% < 80% false; 80% < 100% → watch, no credit
  expect p1_on_time at 2026-02 == 80%
  expect response_credit at 2026-02 is watch
  # (4 − 1) / 4 = 75% < 80% → breach, flat credit of 1 500
  expect response_credit at 2026-03 is breach
  expect paid(provider, reseller) at 2026-03 == 1_500 EUR
}

test "revenue share: largest remainder, ties to the first-declared party" {
  data {
    2026-01: resale_revenue = 18_450.30 EUR
    2026-02: resale_revenue = 18_450.35 EUR
  }
  # January, 1 845 030 cents: provider 75% = 1 383 772.5, reseller 25% = 461 257.5;
  # floors 1 383 772 + 461 257 = 1 845 029 → one cent left, remainders 0.5 and 0.5
  # tie → provider (declared first): 13 837.73 and 4 612.57
  expect distributed(revenue_share, provider) at 2026-01 == 13_837.73 EUR
  expect distributed(revenue_share, reseller) at 2026-01 == 4_612.57 EUR
  # February, 1 845 035 cents: 1 383 776.25 and 461 258.75; floors sum 1 845 034,
  # one cent to the larger remainder (0.75, reseller): 13 837.76 and 4 612.59
  expect distributed(revenue_share, provider) at 2026-02 == 13_837.76 EUR
  expect distributed(revenue_share, reseller) at 2026-02 == 4_612.59 EUR
  # nothing passes the last tier
  expect retained(revenue_share) at 2026-02 == 0 EUR
}

test "revenue share: the volume accelerator starts part-way through a month" {
  data {
    2026-01: resale_revenue = 150_000 EUR
    2026-02: resale_revenue = 80_000 EUR
  }
  # January: 150 000 within the 200 000 tier cap → 112 500 / 37 500
  expect distributed(revenue_share.standard, reseller) at 2026-01 == 37_500 EUR
  # February: standard tier has 200 000 − 150 000 = 50 000 left → 37 500 / 12 500;
  # the other 30 000 goes to the accelerated tier → 19 500 / 10 500
  expect distributed(revenue_share.standard) at 2026-02 == 50_000 EUR
  expect distributed(revenue_share.accelerated, reseller) at 2026-02 == 10_500 EUR
  # reseller in February: 12 500 + 10 500 = 23 000; to date 37 500 + 23 000 = 60 500
  expect distributed(revenue_share, reseller) at 2026-02 == 23_000 EUR
  expect reseller_share_to_date at 2026-02 == 60_500 EUR
}

test "service review board votes" {
  # majority = more than 50% of the votes cast: 1 yes of 2 cast is not a majority
  expect vote review_board.roadmap { provider yes, reseller no } is rejected
  # an abstention: cast = 1, yes = 1 > 0.5 → passed
  expect vote review_board.roadmap { provider yes, reseller abstain } is passed
  # the Reseller's veto on waiving its own credits
  expect vote review_board.credit_waiver { provider yes, reseller no } is vetoed
  expect vote review_board.sla_change { provider yes, reseller yes } is passed
  expect vote review_board.sla_change { provider yes, reseller abstain } is rejected
  # quorum of 2 members
  expect vote review_board.roadmap { provider yes, reseller absent } is no-quorum
  # equal weights, majority of cast: only {provider, reseller} wins → 1/2 each
  expect banzhaf(review_board.roadmap, provider) == 1 / 2
  expect shapley(review_board.roadmap, reseller) == 1 / 2
}

test "dispute ladder without a holiday calendar" {
  # opened Wednesday 8 July 2026; 5 business days: 9, 10, 13, 14, 15 July.
  # No calendar is declared, so 14 July (a French holiday) counts as a business day.
  expect escalation disputes opened 2026-07-08 deadline account_managers == 2026-07-15
  # executives start 15 July; + 10 days = Saturday 25 July → Monday 27 July
  expect escalation disputes opened 2026-07-08 deadline executives == 2026-07-27
  expect escalation disputes opened 2026-07-08 on 2026-07-26 is executives
  expect escalation disputes opened 2026-07-08 on 2026-07-27 is arbitration
  # the account managers settle on 10 July
  expect escalation disputes opened 2026-07-08 with account_managers resolved 2026-07-10 on 2026-07-10 is resolved
}
