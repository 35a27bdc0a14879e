"""The public API of semantic analysis: what `check` fills in, and how it reports."""

from __future__ import annotations

import datetime
from pathlib import Path

from sema_gen import big_contract

from pactlang.diagnostics import Diagnostic
from pactlang.sema import CheckedContract, Type, check, check_tests, check_tests_for
from pactlang.syntax import ast
from pactlang.syntax.parser import parse_source

FIXTURES = Path(__file__).parent / "fixtures"


def run(text: str, path: str = "contract.pact") -> tuple[CheckedContract | None, list[Diagnostic]]:
    parsed = parse_source(text, path)
    cc, diags = check(parsed.module, path, parsed.broken_names)
    return cc, parsed.diagnostics + diags


def errors(diags: list[Diagnostic]) -> list[tuple[int, str]]:
    return [(d.span.line if d.span else 0, d.code) for d in diags if d.is_error]


def spec_example() -> tuple[CheckedContract, list[Diagnostic]]:
    path = FIXTURES / "spec_example.pact"
    cc, diags = run(path.read_text(encoding="utf-8"), str(path))
    assert cc is not None
    return cc, diags


# ---------------------------------------------------------------- the spec


def test_spec_example_has_no_errors() -> None:
    _, diags = spec_example()
    assert errors(diags) == []


def test_spec_example_header_and_tables() -> None:
    cc, _ = spec_example()
    assert cc.title == "Alliance Solutions Durables"
    assert (cc.id, cc.version) == ("ASD-2026-01", "2.1")
    assert cc.effective == datetime.date(2026, 1, 1)
    assert cc.until == datetime.date(2028, 12, 31)
    assert (cc.currency, cc.language, cc.calendar) == ("EUR", "fr", None)
    assert list(cc.parties) == ["acme", "orbis"]
    assert list(cc.measures) == ["revenue", "leads_total", "leads_won", "proceeds"]
    assert list(cc.lets) == ["target_growth"]
    assert list(cc.kpis) == ["conversion"]
    assert list(cc.thresholds) == ["conversion_floor"]
    assert list(cc.committees) == ["steering"]
    assert list(cc.escalations) == ["disputes"]
    assert list(cc.waterfalls) == ["fund"]
    assert cc.kind_of("steering") == "committee"


def test_spec_example_types_and_order() -> None:
    cc, _ = spec_example()
    assert cc.value_types == {
        "revenue": Type.MONEY,
        "leads_total": Type.COUNT,
        "leads_won": Type.COUNT,
        "proceeds": Type.MONEY,
        "target_growth": Type.PERCENT,
        "conversion": Type.PERCENT,  # the declaration says percent
    }
    kpi = cc.kpis["conversion"]
    assert cc.type_of(kpi.expr) is Type.NUMBER  # count ÷ count
    rules = cc.thresholds["conversion_floor"].rules
    assert all(cc.type_of(r.cond) is Type.BOOL for r in rules)
    pay = rules[0].actions[0]
    assert isinstance(pay, ast.PayAction)
    assert cc.type_of(pay.amount) is Type.MONEY
    tier = cc.waterfalls["fund"].tiers[0]
    assert cc.type_of(tier.pays[0].cap) is Type.MONEY
    assert set(cc.order) == {"target_growth", "conversion", "conversion_floor", "fund"}
    assert cc.depends["conversion"] == {"leads_won", "leads_total"}
    assert cc.depends["conversion_floor"] == {"conversion"}
    assert cc.depends["fund"] == {"proceeds"}
    assert cc.order.index("conversion") < cc.order.index("conversion_floor")
    # test expressions are typed too
    expect = cc.module.tests[0].expects[0]
    assert isinstance(expect, ast.ExpectValue)
    assert cc.type_of(expect.expr) is Type.PERCENT


# ------------------------------------------------------------ reporting


THREE_MISTAKES = """\
contract "Three mistakes" {
  currency EUR
  party acme "ACME"
  measure revenue "Revenue": money
  measure leads "Leads": count
  kpi k "K": money = revenue + 5 {
    owner acme source "CRM" frequency monthly
  }
  threshold t {
    when k < 5%: breach
    when leeds > 3: watch
  }
}
"""


def test_three_distinct_mistakes_give_three_diagnostics_at_their_lines() -> None:
    _, diags = run(THREE_MISTAKES)
    assert errors(diags) == [(6, "E022"), (10, "E020"), (11, "E010")]
    by_code = {d.code: d for d in diags}
    assert "money" in by_code["E022"].message and "number" in by_code["E022"].message
    assert by_code["E022"].help == "write the amount with its currency: `5 EUR`"
    assert by_code["E020"].message == "cannot compare money with percent"
    assert by_code["E010"].message == "undeclared name `leeds`"
    assert by_code["E010"].help == "did you mean `leads`?"


def test_duplicate_points_at_both_declarations() -> None:
    _, diags = run('contract "D" {\n  currency EUR\n  party a "A"\n  party a "B"\n}\n')
    (d,) = [d for d in diags if d.code == "E011"]
    assert d.span is not None and d.span.line == 4
    assert [r.span.line for r in d.related] == [3]


def test_all_errors_of_a_file_are_reported() -> None:
    lines = ['contract "Many" {', "  currency EUR"]
    lines += [f"  let v{i} = missing_{i} + 1" for i in range(50)]
    lines.append("}")
    _, diags = run("\n".join(lines) + "\n")
    assert [c for _, c in errors(diags)] == ["E010"] * 50


def test_names_of_broken_declarations_are_not_reported_again() -> None:
    text = 'contract "B" {\n  currency EUR\n  let a = 1 +\n  let b = a * 2\n  let c = b + zz\n}\n'
    _, diags = run(text)
    codes = errors(diags)
    assert (4, "E010") not in codes  # `a` had a syntax error
    assert (5, "E010") in codes


def test_deeply_nested_expression_does_not_crash() -> None:
    text = 'contract "Deep" {\n  currency EUR\n  let x = ' + "-" * 3000 + "1\n}\n"
    cc, diags = run(text)
    assert cc is not None
    assert [c for _, c in errors(diags)] == ["E006"]


def test_a_file_without_contract_checks_to_none() -> None:
    path = FIXTURES / "tests_for_ok.test.pact"
    parsed = parse_source(path.read_text(encoding="utf-8"), str(path))
    cc, diags = check(parsed.module, str(path))
    assert cc is None and diags == []


def test_check_tests_against_a_separately_loaded_contract() -> None:
    contract_path = FIXTURES / "private_equity.pact"
    cc, diags = run(contract_path.read_text(encoding="utf-8"), str(contract_path))
    assert cc is not None and errors(diags) == []
    tests_path = FIXTURES / "tests_for_names.test.pact"
    parsed = parse_source(tests_path.read_text(encoding="utf-8"), str(tests_path))
    own = check_tests(parsed.module, cc, str(tests_path))
    assert {d.path for d in own} == {str(tests_path)}
    undeclared = [d for d in own if d.code == "E010"]
    assert undeclared and all(r.path == str(contract_path) for d in undeclared for r in d.related)
    expect = parsed.module.tests[0].expects[1]
    assert isinstance(expect, ast.ExpectValue)
    assert cc.type_of(expect.expr) is Type.MONEY


def test_check_tests_for_loads_the_contract() -> None:
    path = FIXTURES / "tests_for_ok.test.pact"
    parsed = parse_source(path.read_text(encoding="utf-8"), str(path))
    cc, diags = check_tests_for(parsed.module, str(path))
    assert cc is not None and cc.title == "Fonds de co-investissement"
    assert diags == []
    assert cc.order.index("fund") < cc.order.index("carry_share") < cc.order.index("carry_check")


def test_data_file_paths_are_relative_to_base_dir(tmp_path: Path) -> None:
    (tmp_path / "q1.csv").write_text("period,m\n", encoding="utf-8")
    text = (
        'contract "D" {\n  currency EUR\n  measure m "M": number\n  let x = m\n}\n'
        'test "file" {\n  data "q1.csv"\n  expect x at 2026-01 == 1\n}\n'
    )
    parsed = parse_source(text, "elsewhere/c.pact")
    _, diags = check(parsed.module, "elsewhere/c.pact", base_dir=tmp_path)
    assert errors(diags) == []
    _, diags = check(parsed.module, "elsewhere/c.pact")
    assert errors(diags) == [(7, "E071")]


def test_constants_can_be_expected_without_a_month() -> None:
    text = (
        'contract "C" {\n  currency EUR\n  measure m "M": money\n'
        "  let a = 100 EUR\n  let b = a * 2\n  let c = m + b\n}\n"
    )
    cc, diags = run(text)
    assert cc is not None
    assert cc.constants == {"a", "b"}


# ------------------------------------------------------------ performance


def test_a_10000_line_contract_checks_clean() -> None:
    # functional only: the time it takes is measured by benchmarks/bench_limits.py
    text = big_contract(834)
    assert text.count("\n") >= 10_000
    parsed = parse_source(text, "big.pact")
    assert parsed.diagnostics == []
    cc, diags = check(parsed.module, "big.pact")
    assert diags == []
    assert cc is not None and len(cc.order) == 834 * 4
