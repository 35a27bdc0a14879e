"""LANGUAGE.md §10 — test blocks, and `pact test` (CLI.md): every expectation form, data inline and from
files, `tests for` files, one line per test, last line `N passed, N failed`, exit 1 on failure."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from spec.spec_helpers import contract, pact, pact_proc, run_tests, write

CONTRACT = contract(
    """
    measure leads "Leads": count
    measure won "Won": count
    measure fee "Fee": money
    let penalty = 5_000 EUR
    kpi conversion "Conversion": percent = won / leads {
      owner orbis
      source "CRM"
      frequency monthly
    }
    threshold floor {
      when conversion < 10%: breach
        => pay penalty from orbis to acme
      otherwise: ok
    }
    committee board {
      member acme weight 60
      member orbis weight 40
      quorum 2 members
      decision budget requires >= 2/3 of weight
    }
    escalation disputes {
      step managers within 5 business days
      step arbitration final
    }
    """
)

EVERY_FORM = """
test "every form" {
  data {
    2026-01: leads = 90, won = 10, fee = 12.50 EUR
    2026-02: leads = 100, won = 9, fee = 1 EUR
    2026-03: leads = missing, won = 9
  }
  expect conversion at 2026-01 == 11.11% within 0.01%
  expect conversion at 2026-02 == 9%
  expect fee at 2026-01 == 12.5 EUR
  expect fee * 2 at 2026-01 == 25 EUR
  expect conversion at 2026-03 is missing
  expect floor at 2026-02 is breach
  expect floor at 2026-01 is ok
  expect floor at 2026-03 is no-data
  expect paid(orbis, acme, to date) at 2026-03 == 5_000 EUR
  expect penalty == 5_000 EUR
  expect penalty * 2 == 10_000 EUR
  expect 1 / 3 == 0.333 within 0.001
  expect banzhaf(board.budget, orbis) == 1/2
  expect vote board.budget { acme yes, orbis no } is rejected
  expect vote board.budget { acme yes } is no-quorum
  expect vote board.budget { acme yes, orbis yes } round 2 is passed
  expect escalation disputes opened 2026-03-31 deadline managers == 2026-04-07
  expect escalation disputes opened 2026-03-31 on 2026-04-07 is arbitration
  expect escalation disputes opened 2026-03-31 with managers resolved 2026-04-02 on 2026-04-03 is resolved
  expect escalation disputes opened 2026-03-31 with managers failed 2026-04-01 on 2026-04-01 is arbitration
}
"""


def last_line(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


def test_every_expectation_form_passes(tmp_path: Path) -> None:
    p = write(tmp_path, "c.pact", CONTRACT + EVERY_FORM)
    run = pact("test", p)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert last_line(run.stdout) == "1 passed, 0 failed"


def test_one_line_per_test_and_the_summary_line(tmp_path: Path) -> None:
    tests = """
test "first" {
  expect penalty == 5_000 EUR
}
test "second fails" {
  expect penalty == 4_000 EUR
}
test "third" {
  data {
    2026-01: leads = 10, won = 5
  }
  expect conversion at 2026-01 == 50%
}
"""
    p = write(tmp_path, "c.pact", CONTRACT + tests)
    run = pact("test", p)
    assert run.exit_code == 1
    assert last_line(run.stdout) == "2 passed, 1 failed"
    for name in ("first", "second fails", "third"):
        assert (
            sum(
                1
                for line in run.stdout.splitlines()
                if name in line and ("PASS" in line or "FAIL" in line)
            )
            == 1
        )


def test_failure_shows_expected_actual_and_the_explanation(tmp_path: Path) -> None:
    tests = """
test "wrong" {
  data {
    2026-01: leads = 100, won = 9
  }
  expect conversion at 2026-01 == 10%
}
"""
    p = write(tmp_path, "c.pact", CONTRACT + tests)
    run = pact("test", p)
    assert run.exit_code == 1
    out = run.stdout
    assert "10%" in out and "9%" in out
    # the explanation trace: how 9% was computed from the inputs
    assert "won" in out and "leads" in out and "100" in out


def test_exit_code_1_from_a_real_process(tmp_path: Path) -> None:
    p = write(tmp_path, "c.pact", CONTRACT + 'test "bad" {\n  expect penalty == 1 EUR\n}\n')
    proc = pact_proc("test", p)
    assert proc.returncode == 1
    assert last_line(proc.stdout) == "0 passed, 1 failed"
    assert "Traceback" not in proc.stderr


def test_missing_actual_does_not_equal_a_value(tmp_path: Path) -> None:
    tests = 'test "m" {\n  data {\n    2026-01: leads = missing, won = 1\n  }\n  expect conversion at 2026-01 == 0%\n}\n'
    run, doc = run_tests(tmp_path, CONTRACT + tests)
    assert run.exit_code == 1 and doc["failed"] == 1


def test_within_tolerance_is_inclusive_and_exact(tmp_path: Path) -> None:
    """|actual − expected| ≤ tolerance: 1/3 vs 0.3 within 0.04 passes, within 0.03 fails."""
    tests = 'test "a" {\n  expect 1 / 3 == 0.3 within 0.04\n}\ntest "b" {\n  expect 1 / 3 == 0.3 within 0.03\n}\ntest "c" {\n  expect 0.5 == 0.25 within 0.25\n}\n'
    run, doc = run_tests(tmp_path, CONTRACT + tests)
    assert {t["name"]: t["passed"] for t in doc["tests"]} == {"a": True, "b": False, "c": True}


def test_data_file_relative_to_the_test_file(tmp_path: Path) -> None:
    write(
        tmp_path, "fixtures/q1.csv", "period,leads,won\n2026-01,100,50\n2026-02,50,50\n"
    )  # a decoy
    tests = 'test "from file" {\n  data "fixtures/q1.csv"\n  expect conversion at 2026-01 == 4%\n  expect conversion at 2026-02 == 10%\n  expect floor at 2026-01 is breach\n}\n'
    sub = tmp_path / "contracts"
    sub.mkdir()
    write(tmp_path, "contracts/fixtures/q1.csv", "period,leads,won\n2026-01,100,4\n2026-02,50,5\n")
    p = write(sub, "c.pact", CONTRACT + tests)
    run = pact("test", p)
    assert run.exit_code == 0, run.stdout + run.stderr


def test_data_json_file(tmp_path: Path) -> None:
    write(tmp_path, "q1.json", '{"2026-01": {"leads": 100, "won": "4"}}')
    tests = 'test "json" {\n  data "q1.json"\n  expect conversion at 2026-01 == 4%\n}\n'
    run = pact("test", write(tmp_path, "c.pact", CONTRACT + tests))
    assert run.exit_code == 0, run.stdout + run.stderr


def test_tests_for_file(tmp_path: Path) -> None:
    write(tmp_path, "alliance.pact", CONTRACT)
    t = write(
        tmp_path,
        "alliance.test.pact",
        'tests for "alliance.pact"\n\ntest "separate" {\n  data {\n    2026-01: leads = 100, won = 4\n  }\n  expect floor at 2026-01 is breach\n}\n',
    )
    run = pact("test", t)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert last_line(run.stdout) == "1 passed, 0 failed"


def test_tests_for_file_in_a_subfolder_path_is_relative_to_the_test_file(tmp_path: Path) -> None:
    write(tmp_path, "contracts/alliance.pact", CONTRACT)
    t = write(
        tmp_path,
        "contracts/tests/alliance.test.pact",
        'tests for "../alliance.pact"\n\ntest "t" {\n  expect penalty == 5_000 EUR\n}\n',
    )
    run = pact("test", t)
    assert run.exit_code == 0, run.stdout + run.stderr


def test_tests_for_a_missing_file_is_one_error_at_the_path(tmp_path: Path) -> None:
    """§2: `tests for "X.pact"` names the contract, relative to the test file. When
    X.pact does not exist, `pact check` reports that once, at the quoted path
    (line 1, column 11), with exit 1; it used to add a second E072 for the same
    file ("does not load")."""
    t = write(
        tmp_path,
        "gone.test.pact",
        'tests for "gone.pact"\n\ntest "t" {\n  expect 1 == 1\n}\n',
    )
    run = pact("check", "--format", "json", t)
    assert run.exit_code == 1
    errors = [d for d in run.json["diagnostics"] if d["severity"] == "error"]
    assert [(d["span"]["line"], d["span"]["column"]) for d in errors] == [(1, 11)], errors
    assert "gone.pact" in errors[0]["message"]


def test_a_threshold_before_its_first_check_is_missing(tmp_path: Path) -> None:
    """§6: between checks a threshold keeps the status of its last check, "missing before
    the first one"; §10: `expect EXPR at PERIOD is missing`. Reading chosen: the threshold's
    name may stand there (as in `expect THRESHOLD at PERIOD is STATUS`). `checked
    quarterly`: no check in January and February (missing), the March check gives breach
    (m = 1 < 5), April keeps it. It used to be refused ("`q` is a threshold, not a
    value", exit 2)."""
    src = contract(
        """
        measure m "M": number
        threshold q {
          checked quarterly
          when m < 5: breach
        }
        """
    ) + (
        'test "before the first check" {\n  data {\n    2026-01: m = 1\n    2026-02: m = 1\n'
        "    2026-03: m = 1\n    2026-04: m = 9\n  }\n"
        "  expect q at 2026-01 is missing\n  expect q at 2026-02 is missing\n"
        "  expect q at 2026-03 is breach\n  expect q at 2026-04 is breach\n}\n"
        'test "a status is not missing" {\n  data {\n    2026-03: m = 1\n  }\n'
        "  expect q at 2026-03 is missing\n}\n"
    )
    run, doc = run_tests(tmp_path, src)
    assert run.exit_code == 1, run.stdout + run.stderr
    assert [(t["name"], t["passed"]) for t in doc["tests"]] == [
        ("before the first check", True),
        ("a status is not missing", False),
    ]
    assert doc["tests"][1]["expectations"][0]["actual"] == "breach"


def test_every_test_found_under_a_directory(tmp_path: Path) -> None:
    write(tmp_path, "a/one.pact", CONTRACT + 'test "one" {\n  expect penalty == 5_000 EUR\n}\n')
    write(
        tmp_path,
        "a/b/two.pact",
        CONTRACT
        + 'test "two" {\n  expect penalty == 5_000 EUR\n}\ntest "three" {\n  expect penalty == 1 EUR\n}\n',
    )
    run = pact("test", tmp_path / "a")
    assert run.exit_code == 1
    assert last_line(run.stdout) == "2 passed, 1 failed"


def test_k_selects_tests_by_name(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "c.pact",
        CONTRACT
        + 'test "alpha good" {\n  expect penalty == 5_000 EUR\n}\ntest "beta bad" {\n  expect penalty == 1 EUR\n}\n',
    )
    run = pact("test", p, "-k", "alpha")
    assert run.exit_code == 0
    assert last_line(run.stdout) == "1 passed, 0 failed"


def test_json_and_junit_formats(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "c.pact",
        CONTRACT
        + 'test "ok" {\n  expect penalty == 5_000 EUR\n}\ntest "ko" {\n  expect penalty == 1 EUR\n}\n',
    )
    run = pact("test", p, "--format", "json")
    assert run.exit_code == 1
    assert (run.json["passed"], run.json["failed"]) == (1, 1)
    junit = pact("test", p, "--format", "junit")
    assert junit.exit_code == 1
    root = ET.fromstring(junit.stdout)
    assert len(root.findall(".//failure")) == 1


def test_a_file_that_does_not_check_is_exit_2(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "c.pact",
        CONTRACT.replace("won / leads", "won / nowhere")
        + 'test "t" {\n  expect penalty == 5_000 EUR\n}\n',
    )
    proc = pact_proc("test", p)
    assert proc.returncode == 2
    assert re.search(r":\d+:\d+: error\[E\d+\]", proc.stdout + proc.stderr)
    assert "Traceback" not in proc.stderr


def test_expectation_on_a_monthly_value_without_at_is_an_error(tmp_path: Path) -> None:
    """`expect EXPR == VALUE` is for a time-independent expression; a measure needs `at`."""
    p = write(tmp_path, "c.pact", CONTRACT + 'test "t" {\n  expect conversion == 5%\n}\n')
    run = pact("check", p)
    assert run.exit_code == 1


def test_a_failed_ladder_state_is_explained_on_the_date_asked(tmp_path: Path) -> None:
    """§10: a failure shows "how the actual value was computed". Calendar FR, opened Friday 2026-03-27:
    a's deadline 03-27 + 10 days = Monday 04-06 (Easter Monday) → Tuesday 04-07. Asked on 04-06 the state
    is a, so the trace judges the ladder on 04-06 — a active, b not reached — and never calls b active
    (the plan's wording, which contradicted the actual value). Events after the date asked are allowed in
    a test: the trace then falls back to the plan, and the state is still computed from every event."""
    src = contract(
        "escalation l {\n  step a within 10 days\n  step b final\n}",
        header="  currency EUR\n  calendar FR\n",
    ) + """
test "state" {
  expect escalation l opened 2026-03-27 on 2026-04-06 is b
}
test "later event" {
  expect escalation l opened 2026-03-27 with a resolved 2026-04-03 on 2026-04-02 is resolved
}
"""
    run = pact("test", write(tmp_path, "c.pact", src))
    assert run.exit_code == 1
    state, later = run.stdout.split("FAIL")[1:3]
    assert "actual:   a" in state
    assert "deadline 2026-04-07 (Tuesday); active as of 2026-04-06" in state
    assert "b: not reached as of 2026-04-06; would start 2026-04-07" in state
    assert "actual:   a" in later and "resolved" in later
    assert run.stdout.rstrip().endswith("0 passed, 2 failed")
