# Definitions over time (LANGUAGE.md §5): values that read their own earlier
# months, with the months worked out by hand in the test blocks.
contract "Definitions over time" {
  effective 2026-01-01
  currency EUR
  party provider "Provider"
  party client "Client"
  party lp "Limited partner"
  party gp "General partner"

  measure incidents "Incidents": count
  measure errors "Errors": count
  measure earned "Credits earned": money
  measure used "Credits used": money
  measure proceeds "Proceeds": money

  # a liability cap: the threshold reads what it paid itself in earlier months
  threshold sla "Service levels" {
    when incidents > 2 and (previous(paid(provider, client, to date)) otherwise 0 EUR) < 30_000 EUR: breach
      => pay 10_000 EUR from provider to client "Service credit"
    otherwise: ok
  }

  # a rollover balance, capped at 1,000 EUR
  let bank = min(1_000 EUR, (previous(bank) otherwise 0 EUR) + earned - used)

  # a cure period: a second month of errors is a breach unless the last one was ok
  threshold cure "Cure period" {
    when errors > 50: breach
    when errors > 10 and previous(status(cure)) != "ok": breach
    when errors > 10: watch
    otherwise: ok
  }

  # a private-equity catch-up whose cap reads an earlier tier through a let
  let pref_paid = distributed(fund.pref, to date)

  waterfall fund "Fund" {
    distributes proceeds
    tier pref "Preferred return" {
      pay lp up to 100_000 EUR
    }
    tier catchup "Catch-up" {
      pay gp up to 25% * pref_paid
    }
    tier "Carried interest" {
      split lp 80%, gp 20%
    }
  }
}

test "the liability cap stops the credits at 30,000 EUR" {
  data {
    2026-01: incidents = 5, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-02: incidents = 5, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-03: incidents = 5, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-04: incidents = 5, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-05: incidents = 1, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
  }
  # paid before each check: 0, 10,000, 20,000, 30,000 EUR
  expect sla at 2026-01 is breach
  expect sla at 2026-02 is breach
  expect sla at 2026-03 is breach
  expect sla at 2026-04 is ok
  expect sla at 2026-05 is ok
  expect paid(provider, client) at 2026-03 == 10_000 EUR
  expect paid(provider, client) at 2026-04 == 0 EUR
  expect paid(provider, client, to date) at 2026-05 == 30_000 EUR
}

test "the bank rolls over and is capped" {
  data {
    2026-01: incidents = 0, errors = 0, earned = 600 EUR, used = 100 EUR, proceeds = 0 EUR
    2026-02: incidents = 0, errors = 0, earned = 800 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-03: incidents = 0, errors = 0, earned = 0 EUR, used = 300 EUR, proceeds = 0 EUR
    2026-04: incidents = 0, errors = 0, used = 50 EUR, proceeds = 0 EUR
    2026-05: incidents = 0, errors = 0, earned = 10 EUR, used = 0 EUR, proceeds = 0 EUR
  }
  # January: min(1,000, 0 + 600 - 100) = 500
  expect bank at 2026-01 == 500 EUR
  # February: min(1,000, 500 + 800 - 0) = 1,000 (capped)
  expect bank at 2026-02 == 1_000 EUR
  # March: min(1,000, 1,000 + 0 - 300) = 700
  expect bank at 2026-03 == 700 EUR
  # April: `earned` is missing, so the balance is missing...
  expect bank at 2026-04 is missing
  # ... and May starts again from 0 (previous(bank) otherwise 0): 0 + 10 - 0 = 10
  expect bank at 2026-05 == 10 EUR
}

test "a second bad month is a breach unless the first was cured" {
  data {
    2026-01: incidents = 0, errors = 60, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-02: incidents = 0, errors = 20, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-03: incidents = 0, errors = 5, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-04: incidents = 0, errors = 20, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-05: incidents = 0, errors = 20, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
    2026-06: incidents = 0, errors = 8, earned = 0 EUR, used = 0 EUR, proceeds = 0 EUR
  }
  expect cure at 2026-01 is breach  # 60 > 50
  expect cure at 2026-02 is breach  # 20 > 10 and January was breach (not ok)
  expect cure at 2026-03 is ok      # 5
  expect cure at 2026-04 is watch   # 20 > 10, but March was ok: rule 3
  expect cure at 2026-05 is breach  # 20 > 10 and April was watch (not ok)
  expect cure at 2026-06 is ok      # 8
}

test "the catch-up is capped by a quarter of the preferred return paid" {
  data {
    2026-01: incidents = 0, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 60_000 EUR
    2026-02: incidents = 0, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 60_000 EUR
    2026-03: incidents = 0, errors = 0, earned = 0 EUR, used = 0 EUR, proceeds = 50_000 EUR
  }
  # January: pref pays lp 60,000; nothing flows on (catch-up cap 25% x 60,000 = 15,000)
  expect distributed(fund.pref) at 2026-01 == 60_000 EUR
  expect distributed(fund.catchup) at 2026-01 == 0 EUR
  # February: pref pays the last 40,000; pref_paid = 100,000, so the catch-up
  # may pay gp up to 25,000 and pays the 20,000 that flow on
  expect pref_paid at 2026-02 == 100_000 EUR
  expect distributed(fund.catchup) at 2026-02 == 20_000 EUR
  # March: pref is full; the catch-up pays its last 5,000; 45,000 are split 80/20
  expect distributed(fund.catchup) at 2026-03 == 5_000 EUR
  expect distributed(fund, lp) at 2026-03 == 36_000 EUR
  expect distributed(fund, gp) at 2026-03 == 14_000 EUR
  expect distributed(fund, gp, to date) at 2026-03 == 34_000 EUR
}
