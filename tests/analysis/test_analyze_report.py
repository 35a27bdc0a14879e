"""Waterfalls, unused declarations, the whole report and ``pact analyze`` itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.analysis import analyze, render_analysis_text
from pactlang.api import UsageError, analyze_file, load
from pactlang.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parents[2] / "examples" / "contracts"

CLEAN = """contract "clean" {
  currency EUR
  party a "A"
  party b "B"
  measure x "X": number { owner a }
  threshold t "T" {
    when x < 5: breach
      => notify b
    otherwise: ok
  }
}
"""


# ------------------------------------------------------------------ waterfalls


def test_a_tier_after_an_uncapped_split_never_pays() -> None:
    report = analyze(load(FIXTURES / "waterfalls.pact"))
    fund = report.waterfalls[0]
    assert [(f.kind, f.severity) for f in fund.findings] == [("never-pays", "warning")]
    assert "tier 3 late can never pay" in fund.findings[0].message
    assert "tier 2 surplus is a split without a cap" in fund.findings[0].message
    # literal caps are summed: 300_000 + 200_000
    assert fund.tiers[0].cap_total is not None and str(fund.tiers[0].cap_total) == "500000"
    assert fund.tiers[1].shares == (("acme", "3/5"), ("orbis", "2/5"))
    assert "without a cap" in fund.tiers[1].text


def test_zero_caps_and_keys_warn_and_a_capped_last_tier_is_a_note() -> None:
    report = analyze(load(FIXTURES / "waterfalls.pact"))
    capped = report.waterfalls[1]
    assert [(f.kind, f.severity) for f in capped.findings] == [
        ("never-pays", "warning"),
        ("never-pays", "warning"),
        ("may-retain", "note"),
    ]
    assert "never pays gp: its cap is 0" in capped.findings[0].message
    assert "never pays gp: its key is 0%" in capped.findings[1].message
    assert "retained" in capped.findings[2].message
    assert capped.tiers[1].cap_total is not None and str(capped.tiers[1].cap_total) == "5000"


# ---------------------------------------------------------------------- unused


def test_unused_declarations() -> None:
    report = analyze(load(FIXTURES / "unused.pact"))
    got = {(f.kind, f.severity, f.subject) for f in report.unused}
    assert got == {
        # from sema's diagnostics, reused as they are
        ("unused-measure", "warning", "spare"),
        ("unused-let", "warning", "unused_rate"),
        # added by the analysis
        ("unused-party", "warning", "ghost"),
        ("kpi-not-used-by-rules", "note", "visits_avg"),
        ("committee-without-decisions", "warning", "board"),
        ("ladder-never-escalated", "note", "disputes"),
    }
    spare = next(f for f in report.unused if f.subject == "spare")
    assert spare.message.endswith("[W001]") and spare.line == 9
    # used through a pay action (bonus_amount), an owner attribute (acme, orbis), a
    # threshold (sales_3m) and a committee seat: none of them is reported
    subjects = {f.subject for f in report.unused}
    assert not subjects & {"bonus_amount", "acme", "orbis", "sales_3m", "sales", "visits"}


def test_no_false_unused_party_or_committee_in_the_examples() -> None:
    # every party of the shipped examples has a role (owner, payer, member, tier…)
    for path in sorted(EXAMPLES.glob("*.pact")):
        if path.name.endswith(".test.pact"):
            continue
        report = analyze(load(path))
        kinds = {f.kind for f in report.unused}
        assert not kinds & {"unused-party", "committee-without-decisions"}, path


# ---------------------------------------------------------------------- report


def test_warnings_are_findings_and_notes_are_not() -> None:
    report = analyze(load(FIXTURES / "thresholds.pact"))
    assert report.findings and report.notes
    assert all(f.severity == "warning" for f in report.findings)
    assert all(f.severity == "note" for f in report.notes)
    assert len(report.findings) + len(report.notes) == len(report.items)
    sections = [f.section for f in report.items]
    order = ["committees", "thresholds", "waterfalls", "unused"]
    assert sections == sorted(sections, key=order.index)


def test_json_is_exact_sorted_and_round_trips() -> None:
    report = analyze_file(FIXTURES / "spec_alliance.pact")
    doc = report.to_json()
    text = json.dumps(doc, sort_keys=True)
    assert json.loads(text) == doc
    assert doc["summary"] == {"warnings": len(report.findings), "notes": len(report.notes)}
    (t,) = doc["thresholds"]  # type: ignore[misc]
    assert t["gaps"]["intervals"] == [
        {"low": "0.1", "low_closed": True, "high": "0.25", "high_closed": False}
    ]
    assert t["gaps"]["notation"] == "[0.1, 0.25)"


def test_text_is_deterministic_and_ends_with_the_counts() -> None:
    path = FIXTURES / "thresholds.pact"
    first = render_analysis_text(analyze(load(path)))
    second = render_analysis_text(analyze(load(path)))
    assert first == second
    report = analyze(load(path))
    assert first.splitlines()[-1] == f"{len(report.findings)} warnings, {len(report.notes)} notes"
    for section in ("Thresholds", "Unused declarations"):
        assert f"\n{section}\n" in first
    assert "Committees" not in first  # the fixture has none


def test_a_missing_file_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        analyze_file(FIXTURES / "nope.pact")


# ------------------------------------------------------------------------- CLI


def test_cli_json() -> None:
    result = CliRunner().invoke(
        main, ["analyze", str(FIXTURES / "spec_alliance.pact"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert list(doc) == sorted(doc)
    budget = doc["committees"][0]["decisions"][0]
    assert budget["decision"] == "budget"
    assert "orbis" in budget["implied_vetoes"]
    assert {m["name"]: m["banzhaf"] for m in budget["members"]} == {"acme": "1/2", "orbis": "1/2"}
    kinds = {f["kind"] for f in doc["findings"]}
    assert {"voting-power", "unused-measure", "unused-let"} <= kinds


def test_cli_fail_on_warning(tmp_path: Path) -> None:
    runner = CliRunner()
    path = str(FIXTURES / "spec_alliance.pact")
    assert runner.invoke(main, ["analyze", path]).exit_code == 0
    failed = runner.invoke(main, ["analyze", path, "--fail-on", "warning"])
    assert failed.exit_code == 1
    assert "orbis can block `budget` alone" in failed.output
    # a contract with notes only (a gap) passes --fail-on warning
    clean = tmp_path / "clean.pact"
    clean.write_text(CLEAN, encoding="utf-8")
    ok = runner.invoke(main, ["analyze", str(clean), "--fail-on", "warning"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.rstrip().splitlines()[-1] == "0 warnings, 1 note"


def test_cli_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["analyze", str(tmp_path / "none.pact")])
    assert missing.exit_code == 2
    broken = tmp_path / "broken.pact"
    broken.write_text(
        'contract "b" {\n  currency EUR\n  measure x "X": number\n  kpi k: percent = y\n}\n'
    )
    result = runner.invoke(main, ["analyze", str(broken)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
