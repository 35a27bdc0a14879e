# Annex 2 — Distribution Waterfall, Investment Committee and Reporting
#
# Limited Partnership Agreement of Horizon Co-Investment Fund I SCSp, a
# single-asset-class co-investment vehicle alongside Meridian Partners' main fund.
# Contributed capital: 1,000,000 EUR (Anchor LP 600,000 EUR; Co-investor LP
# 400,000 EUR), fully drawn at closing on 2 January 2026.
#
# Distributions follow the European ("whole-fund") waterfall of clause 8.2:
#   (a) set-up costs, GP first then the Anchor LP's legal fees (in order);
#   (b) return of contributed capital to the LPs, pari passu;
#   (c) an 8% preferred return, simple and non-compounding, on contributed
#       capital, fixed in EUR below for the twelve-month holding period;
#   (d) a 100% catch-up to the GP until it holds 20% of (c) + (d);
#   (e) the balance 80/20 between the LPs (pro rata to commitments) and the GP.

contract "Horizon Co-Investment Fund I" {
  id "HCI-2026-03"
  version "1.0"
  effective 2026-01-01 until 2031-12-31
  currency EUR
  language en
  calendar FR  # the fund is administered in Paris (clause 1.3)

  party gp "Meridian Partners SAS" fr "Meridian Partners SAS (Associé commandité gérant)"
  party anchor "Caisse Atlantique de Retraite" fr "Caisse Atlantique de Retraite (investisseur de référence)"
  party coinvestor "Delorme Family Holding SA" fr "Holding familiale Delorme SA (co-investisseur)"

  # ------------------------------------------------ Monthly inputs (clause 10.1)
  measure proceeds "Net proceeds available for distribution" fr "Produits nets distribuables": money {
    owner gp
    source "Distribution notice of the fund administrator"
  }
  measure nav "Net asset value of the remaining portfolio" fr "Valeur liquidative du portefeuille restant": money {
    owner gp
    source "Administrator's monthly roll-forward of the quarterly valuation"
  }

  # ------------------------------------------------ Agreed amounts
  let anchor_commitment = 600_000 EUR
  let coinvestor_commitment = 400_000 EUR
  let total_commitments = anchor_commitment + coinvestor_commitment
  # liquidity plan of clause 12.4: minimum DPI at each quarter-end
  let dpi_floor = 0.30 from 2026-01, 0.70 from 2026-04, 0.90 from 2026-07

  # ------------------------------------------------ Reporting (clause 10.2)
  kpi lp_distributions "Distributions to the limited partners to date" fr "Distributions cumulées aux commanditaires": money = distributed(fund, anchor, to date) + distributed(fund, coinvestor, to date) {
    owner gp
    source "Fund administrator"
    frequency monthly
  }
  kpi dpi "Distributions to paid-in capital (DPI)" fr "Multiple distribué (DPI)": number = lp_distributions / total_commitments {
    owner gp
    source "Fund administrator"
    frequency quarterly
    target 1
  }
  kpi tvpi "Total value to paid-in capital, gross (TVPI)" fr "Multiple de valeur totale brut (TVPI)": number = (distributed(fund, to date) + nav) / total_commitments {
    owner gp
    source "Fund administrator"
    frequency quarterly
    target 1.5
  }
  kpi carry_to_date "Carried interest paid to the GP to date" fr "Intéressement versé au commandité": money = distributed(fund.catchup, gp, to date) + distributed(fund.carry, gp, to date) {
    owner gp
    source "Fund administrator"
    frequency quarterly
  }

  # ------------------------------------------------ Liquidity plan (clause 12.4)
  threshold distribution_pace "Pace of distributions" fr "Rythme des distributions" {
    checked quarterly
    when dpi < dpi_floor for 2 quarters: breach
      => action "LPs may appoint an independent sale adviser at the fund's cost (clause 12.5)"
      => notify anchor, coinvestor
    when dpi < dpi_floor: watch
      => notify anchor, coinvestor
    when dpi >= 1: bonus
      => once action "Contributed capital returned: release of the carried-interest escrow (clause 8.6)"
    otherwise: ok
  }

  # ------------------------------------------------ Distribution waterfall (clause 8.2)
  waterfall fund "Distribution waterfall" fr "Cascade de distribution" {
    distributes proceeds
    tier costs "Reimbursement of set-up costs" fr "Remboursement des frais de constitution" {
      pay gp up to 15_000 EUR
      pay anchor up to 5_000 EUR
      in order
    }
    tier capital "Return of contributed capital" fr "Remboursement des apports" {
      pay anchor up to anchor_commitment
      pay coinvestor up to coinvestor_commitment
      pro rata
    }
    tier pref "Preferred return (8%)" fr "Rendement prioritaire (8 %)" {
      pay anchor up to 8% * anchor_commitment
      pay coinvestor up to 8% * coinvestor_commitment
      pro rata
    }
    tier catchup "General partner catch-up (100%)" fr "Rattrapage du commandité (100 %)" {
      pay gp up to 25% * distributed(fund.pref, to date)
    }
    tier carry "Carried interest split (80/20)" fr "Partage de la plus-value (80/20)" {
      split anchor 48%, coinvestor 32%, gp 20%
    }
  }

  # ------------------------------------------------ Investment committee (clause 14)
  committee ic "Investment Committee" fr "Comité d'investissement" {
    member gp weight 50
    member anchor weight 30
    member coinvestor weight 20
    quorum 60% of weight
    meets quarterly
    decision follow_on "Follow-on investment in a portfolio company" fr "Réinvestissement dans une participation" requires >= 2/3 of weight
    decision new_deal "New co-investment" fr "Nouveau co-investissement" requires >= 2/3 of weight veto anchor
    decision related_party "Transaction with a related party of the GP" fr "Opération avec une partie liée au commandité" requires >= 2/3 of cast veto anchor, coinvestor
    decision exit_sale "Sale of a portfolio company" fr "Cession d'une participation" requires majority
    decision extension "Extension of the fund term" fr "Prorogation de la durée du fonds" requires unanimity
  }

  # ------------------------------------------------ Disputes (clause 19)
  escalation disputes "Dispute resolution" fr "Résolution des différends" {
    step lpac "Referral to the LP advisory committee" fr "Saisine du comité consultatif" within 20 business days
    step mediation "Mediation" fr "Médiation" within 45 days {
      institution "CMAP"
      seat "Paris"
    }
    step arbitration "Arbitration" fr "Arbitrage" final {
      institution "ICC"
      rules "ICC Arbitration Rules 2021"
      seat "Paris"
      arbitrators 3
      language en
    }
  }
}

# ======================================================================
# Tests (LANGUAGE.md §10). Every expected value is computed by hand from
# the semantics of the waterfall; the arithmetic is written above it.
# ======================================================================

test "catch-up cap counts the preferred return paid in the same month" {
  data {
    2026-01: proceeds = 1_020_000 EUR
    2026-02: proceeds = 200_000 EUR
  }
  # January: costs 15 000 (gp) + 5 000 (anchor) = 20 000; capital 1 000 000 pro rata
  # 600 000 / 400 000 → both caps reached, nothing left
  expect distributed(fund.capital, anchor) at 2026-01 == 600_000 EUR
  expect distributed(fund.pref) at 2026-01 == 0 EUR
  # February, 200 000: pref 48 000 + 32 000 = 80 000; catch-up cap
  # 25% × 80 000 (pref to date, February included) = 20 000 → gp 20 000;
  # carry 200 000 − 80 000 − 20 000 = 100 000 → 48 000 / 32 000 / 20 000
  expect distributed(fund.pref) at 2026-02 == 80_000 EUR
  expect distributed(fund.catchup, gp) at 2026-02 == 20_000 EUR
  expect distributed(fund.carry, coinvestor) at 2026-02 == 32_000 EUR
  # carried interest: 20 000 + 20 000 = 40 000 = 20% of the 200 000 profit
  expect carry_to_date at 2026-02 == 40_000 EUR
  # anchor to date: 5 000 + 600 000 + 48 000 + 48 000 = 701 000
  expect distributed(fund, anchor, to date) at 2026-02 == 701_000 EUR
}

test "set-up costs are paid in order, GP first" {
  data {
    2026-01: proceeds = 10_000 EUR
    2026-02: proceeds = 10_000 EUR
  }
  # January: in order → gp takes 10 000 of its 15 000 cap, anchor nothing
  expect distributed(fund.costs, gp) at 2026-01 == 10_000 EUR
  expect distributed(fund.costs, anchor) at 2026-01 == 0 EUR
  # February: gp 5 000 (cap reached), then anchor 5 000 (cap reached); capital gets 0
  expect distributed(fund.costs, gp) at 2026-02 == 5_000 EUR
  expect distributed(fund.costs, anchor) at 2026-02 == 5_000 EUR
  expect distributed(fund.capital) at 2026-02 == 0 EUR
}

test "carry split to the cent by the largest remainder" {
  data {
    2026-01: proceeds = 1_120_000 EUR
    2026-02: proceeds = 0.05 EUR
  }
  # January fills costs 20 000, capital 1 000 000, pref 80 000, catch-up 20 000
  expect distributed(fund.catchup) at 2026-01 == 20_000 EUR
  expect distributed(fund.carry) at 2026-01 == 0 EUR
  # February, 5 cents to the carry tier: 48% → 2.4, 32% → 1.6, 20% → 1.0 cents;
  # floors 2 + 1 + 1 = 4, one cent to the largest remainder (0.6, coinvestor)
  expect distributed(fund, anchor) at 2026-02 == 0.02 EUR
  expect distributed(fund, coinvestor) at 2026-02 == 0.02 EUR
  expect distributed(fund, gp) at 2026-02 == 0.01 EUR
}

test "the 2026 distributions (administrator's data)" {
  data "../data/coinvest_fund.json"
  # March, 250 000: costs 15 000 gp then 5 000 anchor; 230 000 to capital pro rata
  # 600 000 : 400 000 → anchor 138 000, coinvestor 92 000
  expect distributed(fund.costs) at 2026-03 == 20_000 EUR
  expect distributed(fund.capital, anchor) at 2026-03 == 138_000 EUR
  expect distributed(fund.capital, coinvestor) at 2026-03 == 92_000 EUR
  # LP distributions to date: 5 000 + 138 000 + 92 000 = 235 000; DPI 235 000 / 1 000 000
  expect dpi at 2026-03 == 0.235
  # June, 400 000: remaining capital 462 000 : 308 000 (sum 770 000)
  # → anchor 400 000 × 462/770 = 240 000, coinvestor 160 000
  expect distributed(fund, anchor) at 2026-06 == 240_000 EUR
  expect lp_distributions at 2026-06 == 635_000 EUR
  # TVPI June: (250 000 + 400 000 + NAV 492 000) / 1 000 000 = 1.142
  expect tvpi at 2026-06 == 1.142
  # August: NAV absent from the administrator's file → TVPI missing
  expect tvpi at 2026-08 is missing
  # September, 400 000: capital remaining 222 000 + 148 000 = 370 000 (caps reached);
  # 30 000 to pref pro rata 48 000 : 32 000 → 18 000 / 12 000; catch-up cap
  # 25% × 30 000 = 7 500 but nothing is left
  expect distributed(fund.capital, anchor, to date) at 2026-09 == 600_000 EUR
  expect distributed(fund.pref, anchor) at 2026-09 == 18_000 EUR
  expect distributed(fund.catchup) at 2026-09 == 0 EUR
  # November, 120 000: pref remaining 30 000 + 20 000 = 50 000; catch-up cap
  # 25% × 80 000 = 20 000; carry 120 000 − 50 000 − 20 000 = 50 000 → 24 000 / 16 000 / 10 000
  expect distributed(fund.pref, coinvestor) at 2026-11 == 20_000 EUR
  expect distributed(fund.catchup, gp) at 2026-11 == 20_000 EUR
  expect distributed(fund.carry, gp) at 2026-11 == 10_000 EUR
  # December, 300 000, all carry: 144 000 / 96 000 / 60 000
  expect distributed(fund, gp) at 2026-12 == 60_000 EUR
  # year: gp 15 000 + 20 000 + 10 000 + 60 000 = 105 000;
  # anchor 5 000 + 138 000 + 240 000 + 222 000 + 18 000 + 30 000 + 24 000 + 144 000 = 821 000;
  # coinvestor 92 000 + 160 000 + 148 000 + 12 000 + 20 000 + 16 000 + 96 000 = 544 000;
  # total 1 470 000 = 250 000 + 400 000 + 400 000 + 120 000 + 300 000
  expect distributed(fund, gp, to date) at 2026-12 == 105_000 EUR
  expect distributed(fund, anchor, to date) at 2026-12 == 821_000 EUR
  expect distributed(fund, coinvestor, to date) at 2026-12 == 544_000 EUR
  expect retained(fund) at 2026-12 == 0 EUR
  # carried interest 20 000 + 10 000 + 60 000 = 90 000 = 20% of the 450 000 profit
  expect carry_to_date at 2026-12 == 90_000 EUR
  # DPI December: (821 000 + 544 000) / 1 000 000 = 1.365
  expect dpi at 2026-12 == 1.365
}

test "liquidity plan statuses over 2026" {
  data "../data/coinvest_fund.json"
  # March check: DPI 0.235 < floor 0.30; rule 1 needs 2 quarters (Dec 2025 is
  # before the term) → false; rule 2 → watch
  expect distribution_pace at 2026-03 is watch
  # kept until the next check
  expect distribution_pace at 2026-05 is watch
  # June check: DPI 0.635 < floor 0.70, and March held too → breach
  expect distribution_pace at 2026-06 is breach
  expect distribution_pace at 2026-08 is breach
  # September check: DPI 1.035 ≥ floor 0.90; 1.035 >= 1 → bonus
  expect distribution_pace at 2026-09 is bonus
  # December check: DPI 1.365 → bonus (the escrow release fired once, in September)
  expect distribution_pace at 2026-12 is bonus
}

test "investment committee votes" {
  # full attendance; 3 × 80 = 240 ≥ 2 × 100 = 200 → passed
  expect vote ic.new_deal { gp yes, anchor yes, coinvestor no } is passed
  # the anchor's veto
  expect vote ic.new_deal { gp yes, anchor no, coinvestor yes } is vetoed
  # the anchor absent: present 70 ≥ 60% of 100 (quorum met); 3 × 70 = 210 ≥ 200
  # → passed: an absent veto holder does not veto
  expect vote ic.new_deal { gp yes, anchor absent, coinvestor yes } is passed
  # 3 × 50 = 150 < 200 → rejected
  expect vote ic.follow_on { gp yes, anchor no, coinvestor no } is rejected
  # present 50 < 60 → no-quorum
  expect vote ic.follow_on { gp yes, anchor absent, coinvestor absent } is no-quorum
  # >= 2/3 of cast: coinvestor abstains, cast 80, 3 × 80 = 240 ≥ 160 → passed
  expect vote ic.related_party { gp yes, anchor yes, coinvestor abstain } is passed
  expect vote ic.related_party { gp yes, anchor yes, coinvestor no } is vetoed
  # majority of cast: 50 of 100 is not more than 50% → rejected
  expect vote ic.exit_sale { gp yes, anchor no, coinvestor no } is rejected
  expect vote ic.extension { gp yes, anchor yes, coinvestor abstain } is rejected
}

test "investment committee voting power" {
  # follow_on, >= 2/3 of weight (67 of 100): winning coalitions {gp, anchor} 80,
  # {gp, coinvestor} 70, {gp, anchor, coinvestor} 100; {anchor, coinvestor} 50 loses.
  # Swings: gp in all three (3), anchor in {gp, anchor} (1), coinvestor in
  # {gp, coinvestor} (1) → Banzhaf 3/5, 1/5, 1/5
  expect banzhaf(ic.follow_on, gp) == 3 / 5
  expect banzhaf(ic.follow_on, anchor) == 1 / 5
  # Shapley: in each of the 6 arrival orders the pivot is the member whose arrival
  # first reaches 67: g-a-c → a, g-c-a → c, a-g-c → g, a-c-g → g, c-g-a → g,
  # c-a-g → g → gp 4/6 = 2/3, anchor 1/6, coinvestor 1/6
  expect shapley(ic.follow_on, gp) == 2 / 3 within 0.000001
  expect shapley(ic.follow_on, coinvestor) == 1 / 6 within 0.000001
  # unanimity: each of the three is pivotal once → 1/3 each
  expect banzhaf(ic.extension, coinvestor) == 1 / 3 within 0.000001
}

test "dispute ladder with French public holidays" {
  # opened Friday 30 October 2026; 20 business days, skipping Wednesday 11 November
  # (Armistice): Nov 2, 3, 4, 5, 6, 9, 10, 12, 13, 16, 17, 18, 19, 20, 23, 24, 25,
  # 26, 27, 30 → 30 November (it would be 27 November without the holiday)
  expect escalation disputes opened 2026-10-30 deadline lpac == 2026-11-30
  expect escalation disputes opened 2026-10-30 on 2026-11-27 is lpac
  # mediation starts 30 November; + 45 days = 14 January 2027 (a Thursday)
  expect escalation disputes opened 2026-10-30 deadline mediation == 2027-01-14
  expect escalation disputes opened 2026-10-30 on 2027-01-14 is arbitration
  # the LPAC declares its referral failed on 6 November: mediation starts that day
  expect escalation disputes opened 2026-10-30 with lpac failed 2026-11-06 on 2026-11-06 is mediation
  # 6 November + 45 days = Monday 21 December 2026
  expect escalation disputes opened 2026-10-30 with lpac failed 2026-11-06 deadline mediation == 2026-12-21
}
