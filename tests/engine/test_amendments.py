"""Amendments (docs/language.md §16): `amends "ID" from MONTH`, the amended
version found next to the file, and evaluation switching at that month with
cumulative things carried across."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import pactlang
from pactlang.base.values import Period
from pactlang.report.results import evaluation_dict, explanation_lines

V1 = textwrap.dedent(
    """\
    contract "Demo" {
      id "D-1"
      effective 2026-01-01 until 2026-12-31
      currency EUR
      party a "A"
      party b "B"
      measure m "M": number
      measure cash "Cash": money
      let fee = 100 EUR
      kpi twice "Twice": number = 2 * m
      threshold t "T" {
        when m < 8 for 2 months: breach
          => pay fee from a to b "Fee"
        when m > 20: bonus
          => once pay 50 EUR from b to a "Bonus"
        otherwise: ok
      }
      threshold q "Q" {
        checked quarterly
        when m < 8: watch
        otherwise: ok
      }
      threshold gone "Gone" {
        when m < 100: watch
          => pay 1 EUR from a to b "Gone"
      }
      waterfall fund {
        distributes cash
        tier repay {
          pay a up to 300 EUR
          pay b up to 200 EUR
        }
        tier rest {
          split a 50%, b 50%
        }
      }
    }
    """
)

V2 = (
    V1.replace('id "D-1"', 'id "D-1-A1"\n  amends "D-1" from 2026-04')
    .replace("when m < 8 for 2 months: breach", "when m < 5 for 2 months: breach")
    .replace("let fee = 100 EUR", "let fee = 150 EUR")
    .replace('kpi twice "Twice": number = 2 * m', 'kpi twice "Twice": number = 3 * m\n  kpi thrice "Thrice": number = sum(m, 3 months)')
    .replace("pay a up to 300 EUR", "pay a up to 400 EUR")
    .replace("once pay 50 EUR from b to a", "once pay 70 EUR from b to a")
    .replace(
        '  threshold gone "Gone" {\n    when m < 100: watch\n      => pay 1 EUR from a to b "Gone"\n  }\n', ""
    )
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


MONTHS = {  # month: (m, cash)
    "2026-01": ("25", "0"),
    "2026-02": ("7", "250"),
    "2026-03": ("7", "0"),
    "2026-04": ("6", "0"),
    "2026-05": ("4", "300"),
    "2026-06": ("4", "0"),
    "2026-07": ("30", "0"),
}


@pytest.fixture
def versions(tmp_path: Path) -> tuple[pactlang.Contract, pactlang.Contract]:
    write(tmp_path, "v1.pact", V1)
    write(tmp_path, "v2.pact", V2)
    return pactlang.load(tmp_path / "v1.pact"), pactlang.load(tmp_path / "v2.pact")


def data() -> dict[Period, dict[str, object]]:
    return {Period.parse(k): {"m": Decimal(m), "cash": Decimal(c)} for k, (m, c) in MONTHS.items()}


def test_the_amended_version_is_found_by_its_id(versions: tuple[pactlang.Contract, pactlang.Contract]) -> None:
    v1, v2 = versions
    assert v2.checked.amended is not None and v2.checked.amended.id == "D-1"
    assert v1.checked.amended is None


def test_values_switch_at_the_month(versions: tuple[pactlang.Contract, pactlang.Contract]) -> None:
    _, v2 = versions
    ev = v2.evaluate(data())
    # before April: 2 * m (the amended version); from April: 3 * m
    assert [ev.value("twice", Period(2026, i)) for i in (3, 4)] == [Decimal(14), Decimal(18)]
    # a KPI only the amending version has is computed from the first month,
    # so its window is full at the switch
    assert ev.value("thrice", Period(2026, 3)) == Decimal(39)
    assert ev.value("thrice", Period(2026, 4)) == Decimal(20)


def test_thresholds_go_on_across_the_switch(versions: tuple[pactlang.Contract, pactlang.Contract]) -> None:
    _, v2 = versions
    ev = v2.evaluate(data())
    status = [ev.status("t", Period(2026, i)) for i in range(1, 8)]
    # Jan bonus (25 > 20); Feb 7, Jan 25: for 2 months not held → ok; Mar 7, 7 < 8 → breach (v1);
    # Apr 6: v2 `m < 5 for 2 months` reads March (7) with the new condition → ok; May 4, Apr 6 → ok;
    # Jun 4, May 4 → breach; Jul 30 → bonus, but the bonus was paid once already (in January)
    assert status == ["bonus", "ok", "breach", "ok", "ok", "breach", "bonus"]
    pays = [(str(e.period), e.label, e.amount) for e in ev.payments]
    assert pays == [
        ("2026-01", "Bonus", Decimal("50.00")),
        ("2026-01", "Gone", Decimal("1.00")),
        ("2026-02", "Gone", Decimal("1.00")),
        ("2026-03", "Fee", Decimal("100.00")),
        ("2026-03", "Gone", Decimal("1.00")),
        ("2026-06", "Fee", Decimal("150.00")),
    ]
    # payments to date count both versions' payments
    assert sum(ev.paid[("a", "b")]) == Decimal("253.00")
    doc = evaluation_dict(ev)
    assert sorted(doc["thresholds"]) == ["q", "t"]  # `gone` is history: its payments stay in the ledger
    assert {p["label"] for p in doc["payments"]} == {"Bonus", "Gone", "Fee"}


def test_a_status_between_checks_is_kept_across_the_switch(
    versions: tuple[pactlang.Contract, pactlang.Contract],
) -> None:
    _, v2 = versions
    ev = v2.evaluate(data())
    # q is quarterly: March (7 < 8) is watch, kept in April and May, checked again in June
    assert [ev.status("q", Period(2026, i)) for i in (3, 4, 5, 6)] == ["watch", "watch", "watch", "watch"]


def test_waterfall_caps_are_lifetime_caps_across_the_switch(
    versions: tuple[pactlang.Contract, pactlang.Contract],
) -> None:
    _, v2 = versions
    ev = v2.evaluate(data())
    fund = ev.waterfalls["fund"]
    feb = fund.distributions[1]
    may = fund.distributions[4]
    assert feb is not None and may is not None
    # February (v1): 250 pro rata to 300/200 → a 150, b 100
    assert (feb.paid(party="a"), feb.paid(party="b")) == (Decimal("150.00"), Decimal("100.00"))
    # May (v2): a's cap is 400, 150 paid → 250 left; b 100 left; 300 pro rata 250/100
    # → a 214.29, b 85.71 (largest remainder)
    assert may.paid(tier=0, party="a") + may.paid(tier=0, party="b") == Decimal("300.00")
    assert may.paid(tier=0, party="a") == Decimal("214.29")
    assert fund.state.paid_to_date[0] == [15000 + 21429, 10000 + 8571]


def test_explanations_use_the_version_in_force(versions: tuple[pactlang.Contract, pactlang.Contract]) -> None:
    _, v2 = versions
    lines = explanation_lines(v2.evaluate(data()))
    assert "t at 2026-03 = breach: rule 1 (m < 8 for 2 months) held in 2026-02 (7), 2026-03 (7)" in lines
    assert any(line.startswith("t at 2026-04 = ok: rule 1 (m < 5 for 2 months) did not hold") for line in lines)
    assert "twice at 2026-03 = 2 * m 7 = 14" in lines or any(
        line.startswith("twice at 2026-03 = 2 * m") for line in lines
    )


def test_data_before_the_switch_only(versions: tuple[pactlang.Contract, pactlang.Contract]) -> None:
    v1, v2 = versions
    early = {p: r for p, r in data().items() if p < Period(2026, 4)}
    a = evaluation_dict(v1.evaluate(early))
    b = evaluation_dict(v2.evaluate(early))
    assert a["thresholds"]["t"] == b["thresholds"]["t"]
    assert a["payments"] == b["payments"]


def test_data_after_the_switch_only(versions: tuple[pactlang.Contract, pactlang.Contract], tmp_path: Path) -> None:
    _, v2 = versions
    late = {p: r for p, r in data().items() if p >= Period(2026, 4)}
    (tmp_path / "alone").mkdir()
    alone = pactlang.load(write(tmp_path / "alone", "v2.pact", V2.replace('  amends "D-1" from 2026-04\n', "")))
    assert evaluation_dict(v2.evaluate(late))["thresholds"] == evaluation_dict(alone.evaluate(late))["thresholds"]


def test_a_chain_of_amendments_switches_twice(tmp_path: Path) -> None:
    write(tmp_path, "v1.pact", V1)
    write(tmp_path, "v2.pact", V2)
    v3 = V2.replace('id "D-1-A1"', 'id "D-1-A2"').replace('amends "D-1" from 2026-04', 'amends "D-1-A1" from 2026-06')
    v3 = v3.replace("number = 3 * m", "number = 4 * m")
    write(tmp_path, "v3.pact", v3)
    ev = pactlang.load(tmp_path / "v3.pact").evaluate(data())
    assert [ev.value("twice", Period(2026, i)) for i in (3, 4, 6)] == [Decimal(14), Decimal(18), Decimal(16)]


def test_a_data_file_may_hold_the_measures_of_both_versions(tmp_path: Path) -> None:
    write(tmp_path, "v1.pact", V1)
    v2 = V2.replace('  measure cash "Cash": money\n', '  measure cash "Cash": money\n  measure extra "Extra": number\n')
    write(tmp_path, "v2.pact", v2)
    csv = write(tmp_path, "d.csv", "period,m,cash,extra\n2026-03,7,0,1\n2026-04,6,0,2\n")
    ev = pactlang.load(tmp_path / "v2.pact").evaluate(csv)
    assert ev.value("extra", Period(2026, 4)) == Decimal(2)


# ----------------------------------------------------------------- errors


def codes(path: Path) -> list[str]:
    return [d.code for d in pactlang.check_file(path).diagnostics if d.is_error]


def test_no_contract_with_that_id(tmp_path: Path) -> None:
    p = write(tmp_path, "v2.pact", V2)
    assert codes(p) == ["E085"]


def test_two_contracts_with_that_id(tmp_path: Path) -> None:
    write(tmp_path, "v1.pact", V1)
    write(tmp_path, "v1bis.pact", V1)
    p = write(tmp_path, "v2.pact", V2)
    res = pactlang.check_file(p)
    assert [d.code for d in res.diagnostics if d.is_error] == ["E085"]
    assert "several contracts" in res.diagnostics[-1].message


def test_another_currency(tmp_path: Path) -> None:
    write(tmp_path, "v1.pact", V1.replace("currency EUR", "currency USD").replace(" EUR", " USD"))
    p = write(tmp_path, "v2.pact", V2)
    assert codes(p) == ["E085"]


def test_a_measure_of_another_type(tmp_path: Path) -> None:
    write(tmp_path, "v1.pact", V1)
    p = write(tmp_path, "v2.pact", V2.replace('measure m "M": number', 'measure m "M": count'))
    assert codes(p) == ["E085"]


def test_amendments_in_a_circle(tmp_path: Path) -> None:
    a = V1.replace('id "D-1"', 'id "D-1"\n  amends "D-1-A1" from 2026-02')
    write(tmp_path, "v1.pact", a)
    p = write(tmp_path, "v2.pact", V2)
    assert "E085" in codes(p)


def test_the_amended_version_has_errors(tmp_path: Path) -> None:
    write(tmp_path, "v1.pact", V1.replace("2 * m", "2 * undeclared"))
    p = write(tmp_path, "v2.pact", V2)
    res = pactlang.check_file(p)
    assert [d.code for d in res.diagnostics if d.is_error] == ["E085"]
    assert "error(s)" in res.diagnostics[-1].message


@pytest.mark.parametrize(
    "line,message",
    [
        ('amends "D-1-A1" from 2026-04', "amends itself"),
        ('amends " D-1" from 2026-04', "surrounding spaces"),
        ('amends "D-1" from 2026-01', "never apply"),
        ('amends "D-1" from 2027-01', "after the term"),
    ],
)
def test_invalid_amendments(tmp_path: Path, line: str, message: str) -> None:
    write(tmp_path, "v1.pact", V1)
    p = write(tmp_path, "v2.pact", V2.replace('amends "D-1" from 2026-04', line))
    res = pactlang.check_file(p)
    errors = [d for d in res.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["E084"]
    assert message in errors[0].message


def test_format_keeps_the_amendment() -> None:
    from pactlang.syntax.format import format_source

    out = format_source(V2, "v2.pact")
    assert '  amends "D-1" from 2026-04\n' in out
    assert format_source(out, "v2.pact") == out


CONTRIBUTING = textwrap.dedent(
    """\
    contract "Shares" {
      id "S-1"
      effective 2026-01-01 until 2026-12-31
      currency EUR
      party a "A"
      party b "B"
      measure costs "Costs": money
      contribution task "Task force" {
        amount costs
        split a 60%, b 40%
      }
      let a_to_date = contributed(task, a, to date)
    }
    """
)


def test_a_contribution_goes_on_across_the_switch(tmp_path: Path) -> None:
    """The ledger is one: calls before the switch under the old split, from it
    under the new one, and `contributed(…, to date)` sums both."""
    write(tmp_path, "s1.pact", CONTRIBUTING)
    v2 = CONTRIBUTING.replace('id "S-1"', 'id "S-1-A1"\n  amends "S-1" from 2026-03').replace(
        "split a 60%, b 40%", "split a 50%, b 50%"
    )
    write(tmp_path, "s2.pact", v2)
    rows = {Period(2026, m): {"costs": Decimal(100)} for m in range(1, 5)}
    ev = pactlang.load(tmp_path / "s2.pact").evaluate(rows)
    calls = [ev.contributions["task"].calls[t] for t in range(4)]
    assert [c.of("a") if c else None for c in calls] == [Decimal(60), Decimal(60), Decimal(50), Decimal(50)]
    assert ev.value("a_to_date", Period(2026, 4)) == Decimal(220)
    doc = evaluation_dict(ev)
    assert [m["calls"]["a"] for m in doc["contributions"]["task"]] == ["60.00", "60.00", "50.00", "50.00"]
