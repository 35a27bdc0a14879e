"""The command line (CLI.md): ``pact eval``, ``pact test`` and ``pact schema``.

Everything runs in-process through click's ``CliRunner`` on
:func:`pactlang.cli.main`; stdout and stderr are checked separately.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from pactlang.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "examples" / "contracts"
DATA = ROOT / "examples" / "data"
ALLIANCE = str(CONTRACTS / "alliance.pact")
ALLIANCE_CSV = str(DATA / "alliance.csv")
PORTFOLIO_CSV = str(DATA / "alliance_portfolio.csv")
DATA_FIXTURES = ROOT / "tests" / "engine" / "data_fixtures"
ANSI = re.compile(r"\x1b\[")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": None})


def no_float(text: str) -> Any:
    raise AssertionError(
        f"a JSON number with a fraction in the output: {text} (decimals must be strings)"
    )


def parse_json(text: str) -> Any:
    return json.loads(text, parse_float=no_float)


def assert_user_error(result: Result, *fragments: str) -> None:
    """Exit 2, a message on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


# ---------------------------------------------------------------- pact eval


def test_eval_text_output() -> None:
    result = run("eval", ALLIANCE, "--data", ALLIANCE_CSV)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Alliance Solutions Durables" in out
    assert not ANSI.search(out)  # not a terminal: no colour
    for month in range(1, 13):
        assert f"2026-{month:02d}" in out
    # the ledger shows the three payments of README's table, in EUR
    assert "Payments ledger" in out
    assert out.count("5,000.00 EUR") == 2
    assert out.count("10,000.00 EUR") == 1
    assert "Waterfall fund" in out


def test_eval_json_is_valid_sorted_and_exact() -> None:
    result = run("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = parse_json(result.stdout)  # fails on any float: decimals are strings
    assert result.stdout.rstrip("\n") == json.dumps(
        doc, indent=2, sort_keys=True, ensure_ascii=False
    )
    assert doc["months"] == [f"2026-{m:02d}" for m in range(1, 13)]
    # 9 / 150 = 0.06; July has blank leads → null
    assert Decimal(doc["kpis"]["conversion"]["2026-05"]) == Decimal("0.06")
    assert doc["kpis"]["conversion"]["2026-07"] is None
    # 152 400 + 161 250 + 166 350 = 480 000
    assert Decimal(doc["kpis"]["revenue_3m"]["2026-03"]) == Decimal("480000")
    assert doc["thresholds"]["conversion_floor"]["2026-05"] == {
        "check": True,
        "rule": 1,
        "status": "breach",
    }
    assert doc["thresholds"]["csat_quality"]["2026-01"] == {
        "check": False,
        "rule": None,
        "status": None,
    }
    pays = [(p["period"], p["from"], p["to"], Decimal(p["amount"])) for p in doc["payments"]]
    assert pays == [
        ("2026-05", "orbis", "acme", Decimal(5000)),
        ("2026-06", "orbis", "acme", Decimal(5000)),
        ("2026-10", "acme", "orbis", Decimal(10000)),
    ]
    for value in _leaves(doc):
        assert not isinstance(value, float)


def _leaves(doc: Any) -> list[Any]:
    if isinstance(doc, dict):
        return [x for v in doc.values() for x in _leaves(v)]
    if isinstance(doc, list):
        return [x for v in doc for x in _leaves(v)]
    return [doc]


def test_eval_json_is_deterministic() -> None:
    args = ("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--format", "json", "--explain")
    first, second = run(*args), run(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


def test_eval_from_to_restricts_the_output_not_the_computation() -> None:
    result = run(
        "eval",
        ALLIANCE,
        "--data",
        ALLIANCE_CSV,
        "--format",
        "json",
        "--from",
        "2026-03",
        "--to",
        "2026-05",
    )
    assert result.exit_code == 0, result.stderr
    doc = parse_json(result.stdout)
    assert doc["months"] == ["2026-03", "2026-04", "2026-05"]
    assert set(doc["kpis"]["revenue_3m"]) == {"2026-03", "2026-04", "2026-05"}
    # the window still reads January and February
    assert Decimal(doc["kpis"]["revenue_3m"]["2026-03"]) == Decimal("480000")
    # the May breach needs March–May; the June payment is outside the window
    assert [p["period"] for p in doc["payments"]] == ["2026-05"]
    assert {a["period"] for a in doc["actions"]} <= {"2026-03", "2026-04", "2026-05"}
    assert set(doc["thresholds"]["conversion_floor"]) == {"2026-03", "2026-04", "2026-05"}


def test_eval_from_after_to_is_a_usage_error() -> None:
    assert_user_error(
        run("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--from", "2026-05", "--to", "2026-03")
    )


def test_eval_malformed_month_option() -> None:
    assert_user_error(run("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--from", "2026-13"), "--from")


@pytest.mark.parametrize(
    ("window", "code"),
    [
        ((), 1),  # conversion_floor breaches in May and June
        (("--to", "2026-04"), 0),  # nothing breaches before May
        (("--from", "2026-10"), 0),  # the last breach is revenue_review in September
        (("--from", "2026-09", "--to", "2026-09"), 1),
    ],
)
def test_eval_fail_on_breach(window: tuple[str, ...], code: int) -> None:
    result = run("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--fail-on", "breach", *window)
    assert result.exit_code == code, result.stderr
    assert result.stdout  # the results are printed either way
    if code:
        assert "fail-on breach" in result.stderr


def test_eval_fail_on_counts_checks_only() -> None:
    """csat_quality keeps `no-data` from September to November; only September is a check."""
    result = run(
        "eval",
        ALLIANCE,
        "--data",
        ALLIANCE_CSV,
        "--fail-on",
        "no-data",
        "--from",
        "2026-10",
        "--to",
        "2026-11",
    )
    # conversion_floor and revenue_review have data in Oct–Nov; csat_quality only keeps its status
    assert result.exit_code == 0, result.stderr


def test_eval_strict_with_a_missing_cell() -> None:
    result = run("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--strict")
    assert_user_error(result, "2026-07", "leads_total", "--strict")


def test_eval_strict_passes_on_complete_data(tmp_path: Path) -> None:
    rows = list(csv.reader(Path(ALLIANCE_CSV).read_text(encoding="utf-8").splitlines()))
    complete = [r for r in rows if "" not in r]
    path = tmp_path / "complete.csv"
    path.write_text("\n".join(",".join(r) for r in complete) + "\n", encoding="utf-8")
    result = run("eval", ALLIANCE, "--data", str(path), "--strict", "--format", "json")
    # July and August are absent now: an absent month is missing too
    assert_user_error(result, "2026-07")
    complete = [r for r in complete if r[0] in ("period", "2026-01", "2026-02", "2026-03")]
    path.write_text("\n".join(",".join(r) for r in complete) + "\n", encoding="utf-8")
    result = run("eval", ALLIANCE, "--data", str(path), "--strict", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert parse_json(result.stdout)["months"] == ["2026-01", "2026-02", "2026-03"]


def test_eval_strict_portfolio_names_the_keys() -> None:
    result = run("eval", ALLIANCE, "--data", PORTFOLIO_CSV, "--by", "partner", "--strict")
    assert_user_error(result, "orbis", "sudhaus")


def test_eval_by_partner_json() -> None:
    result = run("eval", ALLIANCE, "--data", PORTFOLIO_CSV, "--by", "partner", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = parse_json(result.stdout)
    results = doc["results"]
    assert [r["key"] for r in results] == ["orbis", "nordvik", "sudhaus"]
    for r in results:
        assert r["months"] == [f"2026-{m:02d}" for m in range(1, 13)]
    # partner orbis has exactly the data of alliance.csv
    single = parse_json(run("eval", ALLIANCE, "--data", ALLIANCE_CSV, "--format", "json").stdout)
    orbis = dict(results[0])
    assert orbis.pop("key") == "orbis" and single.pop("key") is None
    assert orbis == single
    # nordvik (README): 33/150 = 22 %, bonus in March paid once
    nordvik = results[1]
    assert Decimal(nordvik["kpis"]["conversion"]["2026-01"]) == Decimal("0.22")
    assert [(p["period"], p["amount"]) for p in nordvik["payments"]] == [("2026-03", "10000.00")]
    # sudhaus: penalties in March and August
    sudhaus = results[2]
    assert [p["period"] for p in sudhaus["payments"]] == ["2026-03", "2026-08"]


def test_eval_by_partner_text_and_fail_on() -> None:
    result = run(
        "eval", ALLIANCE, "--data", PORTFOLIO_CSV, "--by", "partner", "--fail-on", "breach"
    )
    assert result.exit_code == 1
    for key in ("orbis", "nordvik", "sudhaus"):
        assert result.stdout.count(f"Alliance Solutions Durables — {key}") == 1
    assert "fail-on breach" in result.stderr


def test_eval_portfolio_without_by_is_bad_data() -> None:
    assert_user_error(run("eval", ALLIANCE, "--data", PORTFOLIO_CSV), "--by partner")


def test_eval_missing_files() -> None:
    assert_user_error(run("eval", ALLIANCE, "--data", str(DATA / "nope.csv")), "nope.csv")
    assert_user_error(
        run("eval", str(CONTRACTS / "nope.pact"), "--data", ALLIANCE_CSV), "nope.pact"
    )


DATA_CONTRACT = """\
contract "Data fixtures" {
  effective 2026-01-01 until 2026-12-31
  currency EUR
  measure revenue "Revenue": money
  measure visits "Visits": count
  measure rate "Rate": percent
  measure active "Active": bool
  measure score "Score": number
  kpi double "Double": number = score * 2
}
"""

# Each bad data file and the location (file:row:column) of its first problem,
# read off the file by hand.
BAD_DATA = [
    ("bad_bool.csv", ":3:active:"),
    ("bad_count.csv", ":3:visits:"),
    ("bad_currency.csv", ":2:revenue:"),
    ("bad_duplicate_month.csv", ":4:period:"),
    ("bad_duplicate_month.json", ":2026-01:"),
    ("bad_exponent.csv", ":3:score:"),
    ("bad_list.json", ":[1]:period:"),
    ("bad_malformed_month.csv", ":2:period:"),
    ("bad_missing_period.csv", ":1:"),
    ("bad_mixed_marks.csv", ":2:revenue:"),
    ("bad_nan_infinity.csv", ":2:score:"),
    ("bad_not_a_number.csv", ":3:revenue:"),
    ("bad_unknown_column.csv", ":1:revnue:"),
    ("bad_utf8.csv", ":3:"),
    ("bad_values.json", ":2026-01:revenue:"),
    ("bad_wide_row.csv", ":3:#7:"),
    ("empty.csv", ": empty file"),
    ("empty_bom.csv", ": empty file"),
]


def test_every_bad_data_fixture_is_covered() -> None:
    names = {p.name for p in DATA_FIXTURES.iterdir() if p.name.startswith(("bad_", "empty"))}
    assert names == {n for n, _ in BAD_DATA} | {"bad_portfolio.csv"}


@pytest.mark.parametrize(("name", "where"), BAD_DATA)
def test_eval_bad_data_file(tmp_path: Path, name: str, where: str) -> None:
    contract = tmp_path / "data.pact"
    contract.write_text(DATA_CONTRACT, encoding="utf-8")
    path = DATA_FIXTURES / name
    result = run("eval", str(contract), "--data", str(path))
    assert_user_error(result, f"{path}{where}")


def test_eval_bad_portfolio_file(tmp_path: Path) -> None:
    contract = tmp_path / "data.pact"
    contract.write_text(DATA_CONTRACT, encoding="utf-8")
    path = DATA_FIXTURES / "bad_portfolio.csv"
    result = run("eval", str(contract), "--data", str(path), "--by", "partner", "--format", "json")
    assert_user_error(result, f"{path}:4:period:", f"{path}:6:partner:")


def test_eval_good_data_fixture(tmp_path: Path) -> None:
    contract = tmp_path / "data.pact"
    contract.write_text(DATA_CONTRACT, encoding="utf-8")
    result = run(
        "eval",
        str(contract),
        "--data",
        str(DATA_FIXTURES / "good_semicolon.csv"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    doc = parse_json(result.stdout)
    # score -1.5, missing, 1e2 → double -3, missing, 200
    got = {k: (None if v is None else Decimal(v)) for k, v in doc["kpis"]["double"].items()}
    assert got == {"2026-01": Decimal(-3), "2026-02": None, "2026-03": Decimal(200)}


def test_eval_portfolio_key_with_every_month_outside_the_term(tmp_path: Path) -> None:
    contract = tmp_path / "data.pact"
    contract.write_text(DATA_CONTRACT, encoding="utf-8")
    path = DATA_FIXTURES / "portfolio.csv"
    result = run("eval", str(contract), "--data", str(path), "--by", "partner", "--format", "json")
    assert result.exit_code == 0, result.stderr
    results = parse_json(result.stdout)["results"]
    assert [(r["key"], r["months"]) for r in results] == [
        ("acme", ["2026-01", "2026-02"]),
        ("globex", ["2026-01", "2026-02"]),
        ("initech", []),  # its only row, 2025-12, is before the term
    ]
    assert "initech" in result.stderr and "outside the contract term" in result.stderr


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from pactlang.cli_support import use_color

    def _color(stream: object) -> bool:
        return use_color("auto", stream)

    class Stream:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _color(Stream(True)) is True
    assert _color(Stream(False)) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert _color(Stream(True)) is False


def test_eval_warns_about_data_outside_the_term(tmp_path: Path) -> None:
    contract = tmp_path / "data.pact"
    contract.write_text(DATA_CONTRACT, encoding="utf-8")
    result = run(
        "eval", str(contract), "--data", str(DATA_FIXTURES / "term.csv"), "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    # 2025-11, 2025-12 before the term; 2026-01 .. 2026-07 evaluated
    assert "outside the contract term" in result.stderr
    assert parse_json(result.stdout)["months"][0] == "2026-01"


def test_eval_json_result_carries_the_out_of_term_warning(tmp_path: Path) -> None:
    contract = tmp_path / "data.pact"
    contract.write_text(DATA_CONTRACT, encoding="utf-8")
    result = run(
        "eval", str(contract), "--data", str(DATA_FIXTURES / "term.csv"), "--format", "json"
    )
    assert result.exit_code == 0
    warnings = parse_json(result.stdout)["warnings"]
    assert any("outside the contract term" in w for w in warnings), warnings


LARGE = """\
contract "Large amounts" {
  effective 2026-01-01
  currency EUR
  measure m "M": money
  kpi k "K": money = m
}
"""


def test_eval_large_money_value_has_no_traceback(tmp_path: Path) -> None:
    contract = tmp_path / "large.pact"
    contract.write_text(LARGE, encoding="utf-8")
    data = tmp_path / "large.csv"
    data.write_text("period,m\n2026-01,1000000000000000000000000000\n", encoding="utf-8")
    result = run("eval", str(contract), "--data", str(data))
    # no traceback: either a normal return or a deliberate exit
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0
    assert "1,000,000,000,000,000,000,000,000,000.00" in result.stdout


def test_eval_contract_that_does_not_check(tmp_path: Path) -> None:
    path = tmp_path / "bad.pact"
    path.write_text(DATA_CONTRACT.replace("score * 2", "score * undeclared"), encoding="utf-8")
    result = run("eval", str(path), "--data", str(DATA_FIXTURES / "good_comma.csv"))
    assert_user_error(result, "undeclared", f"{path}:9:")


# ---------------------------------------------------------------- pact test

FAILING = """\
contract "Conversion" {
  effective 2026-01-01
  currency EUR
  measure won "Won": count
  measure total "Total": count
  kpi conversion "Conversion": percent = won / total
  threshold floor "Floor" {
    when conversion < 5%: breach
    otherwise: ok
  }
}

test "passes" {
  data {
    2026-01: won = 3, total = 100
  }
  expect conversion at 2026-01 == 3%
}

test "fails on purpose" {
  data {
    2026-01: won = 9, total = 150
  }
  expect conversion at 2026-01 == 5%
}
"""


def test_pact_test_examples_pass() -> None:
    result = run("test", str(CONTRACTS))
    assert result.exit_code == 0, result.stdout
    last = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"(\d+) passed, 0 failed", last)
    assert match and int(match.group(1)) > 0


def test_pact_test_failure_shows_expected_actual_and_why(tmp_path: Path) -> None:
    path = tmp_path / "conversion.pact"
    path.write_text(FAILING, encoding="utf-8")
    result = run("test", str(path))
    assert result.exit_code == 1
    out = result.stdout
    assert out.strip().splitlines()[-1] == "1 passed, 1 failed"
    assert "PASS" in out and "FAIL" in out
    assert re.search(r"expected:\s+5%", out)
    assert re.search(r"actual:\s+6%", out)
    # the explanation trace of §11: 9 / 150 = 6 %
    assert "won 9 / total 150 = 6%" in out


def test_pact_test_keyword_filter(tmp_path: Path) -> None:
    path = tmp_path / "conversion.pact"
    path.write_text(FAILING, encoding="utf-8")
    result = run("test", str(path), "-k", "passes")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"
    assert "fails on purpose" not in result.stdout
    result = run("test", str(path), "-k", "on purpose")
    assert result.exit_code == 1
    assert result.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_pact_test_file_that_does_not_check(tmp_path: Path) -> None:
    good = tmp_path / "good.pact"
    good.write_text(
        FAILING.split("test ")[0]
        + 'test "ok" {\n  data {\n    2026-01: won = 1, total = 2\n  }\n  expect conversion at 2026-01 == 50%\n}\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.pact"
    bad.write_text(FAILING.replace("won / total", "won / undeclared"), encoding="utf-8")
    result = run("test", str(good), str(bad))
    assert result.exit_code == 2
    assert "undeclared" in result.stderr
    assert "1 passed, 0 failed" in result.stdout  # the good file still ran


def test_pact_test_json_format(tmp_path: Path) -> None:
    path = tmp_path / "conversion.pact"
    path.write_text(FAILING, encoding="utf-8")
    result = run("test", str(path), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert (doc["passed"], doc["failed"]) == (1, 1)
    failed = [t for t in doc["tests"] if not t["passed"]]
    assert [t["name"] for t in failed] == ["fails on purpose"]
    exp = failed[0]["expectations"][0]
    assert (exp["expected"], exp["actual"]) == ("5%", "6%")
    assert "won 9 / total 150" in exp["explanation"]


def test_pact_test_junit_format(tmp_path: Path) -> None:
    path = tmp_path / "conversion.pact"
    path.write_text(FAILING, encoding="utf-8")
    result = run("test", str(path), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["passes", "fails on purpose"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and "expected 5%, got 6%" in (failure.get("message") or "")


BROKEN = """contract "X" {
  effective 2026-01-01
  currency EUR
  party a "A"
  kpi k "K": number = nope
}
"""


def test_a_file_that_does_not_check_is_in_json_and_junit(tmp_path: Path) -> None:
    """A CI system reading the JSON or JUnit output sees the file whose tests did
    not run (exit 2), beside the other files' tests."""
    bad = tmp_path / "bad.pact"
    bad.write_text(BROKEN, encoding="utf-8")
    good = tmp_path / "conversion.pact"
    good.write_text(FAILING, encoding="utf-8")
    result = run("test", str(bad), str(good), "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [(e["path"], e["message"]) for e in doc["errors"]] == [(str(bad), "does not check; its tests were not run")]
    assert "error[E010]: undeclared name `nope`" in doc["errors"][0]["diagnostics"]
    assert (doc["passed"], doc["failed"]) == (1, 1)
    result = run("test", str(bad), str(good), "--format", "junit")
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    suite = root.findall("./testsuite")[0]
    assert suite.get("name") == str(bad) and suite.get("errors") == "1"
    error = suite.find("./testcase/error")
    assert error is not None and "undeclared name `nope`" in (error.text or "")
    assert json.loads(run("test", str(good), "--format", "json").stdout)["errors"] == []


def test_pact_test_missing_path() -> None:
    result = run("test", str(ROOT / "nope"))
    assert result.exit_code == 2


# -------------------------------------------------------------- pact schema


def _schema(contract: Path) -> dict[str, Any]:
    result = run("schema", str(contract))
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_schema_accepts_the_example_json_data() -> None:
    schema = _schema(CONTRACTS / "coinvest_fund.pact")
    data = json.loads((DATA / "coinvest_fund.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_accepts_the_alliance_csv_as_json() -> None:
    schema = _schema(CONTRACTS / "alliance.pact")
    rows = list(csv.DictReader(Path(ALLIANCE_CSV).read_text(encoding="utf-8").splitlines()))
    data = {r.pop("period"): {k: (v or None) for k, v in r.items()} for r in rows}
    jsonschema.Draft202012Validator(schema).validate(data)


@pytest.mark.parametrize(
    "bad",
    [
        {"2026-01": {"proceeds": "0.00", "navv": "1.00"}},  # unknown measure
        {"2026-13": {"proceeds": "0.00"}},  # malformed month
        {"26-01": {"proceeds": "0.00"}},
        {"2026-01": {"proceeds": "abc"}},  # not a number
        {"2026-01": {"proceeds": "12 USD"}},  # another currency
        {"2026-01": {"proceeds": True}},
        {"2026-01": ["0.00"]},
        ["2026-01"],
    ],
)
def test_schema_rejects_bad_data(bad: Any) -> None:
    schema = _schema(CONTRACTS / "coinvest_fund.pact")
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid(bad)


def test_schema_of_a_contract_that_does_not_check(tmp_path: Path) -> None:
    path = tmp_path / "bad.pact"
    path.write_text(FAILING.replace("won / total", "won / undeclared"), encoding="utf-8")
    result = run("schema", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "undeclared" in result.stderr


CONSTANT = """\
contract "Constants" {
  effective 2026-01-01
  currency EUR
  measure x "X": number
  let penalty = 5_000 EUR
  kpi k "K": money = penalty * x
}

test "a constant let is time-independent" {
  expect penalty == 5_000 EUR
}
"""


def test_pact_test_time_independent_constant(tmp_path: Path) -> None:
    path = tmp_path / "constants.pact"
    path.write_text(CONSTANT, encoding="utf-8")
    result = run("test", str(path))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"


# ----------------------------------------------- usage errors that point at the fix


def test_vote_without_a_committee_suggests_it() -> None:
    result = run("vote", ALLIANCE, "budget", "--ballot", "acme=yes,orbis=no")
    assert_user_error(result, "error: budget: expected COMMITTEE.DECISION", "help: did you mean `steering.budget`?")


@pytest.mark.parametrize(
    ("amount", "paid"),
    [("450 000 EUR", "270000.00"), ("450_000", "270000.00"), ("450 000,50", "270000.30"), ("450000.50 EUR", "270000.30")],
)
def test_distribute_reads_amounts_as_data_files_do(amount: str, paid: str) -> None:
    result = run("distribute", ALLIANCE, "fund", "--amount", amount, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert parse_json(result.stdout)["by_party"]["acme"] == paid


def test_distribute_lists_the_accepted_amounts() -> None:
    result = run("distribute", ALLIANCE, "fund", "--amount", "450k")
    assert_user_error(result, "error: --amount: `450k` is not an amount", "help: write the amount as 250000, 250_000")
