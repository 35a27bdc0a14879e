"""Actual next to computed (docs/journal.md): a journal with a recorded vote, a
waived penalty and a dispute resolution changes ``pact report`` and ``pact eval``
accordingly — and never the evaluation itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from report_helpers import parse

import pactlang
from pactlang.cli import main
from pactlang.report.schema import EvaluationResult, PortfolioResult

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"
ALLIANCE_CSV = ROOT / "examples" / "data" / "alliance.csv"
PORTFOLIO_CSV = ROOT / "examples" / "data" / "alliance_portfolio.csv"
JOURNAL = ROOT / "examples" / "journal" / "alliance.toml"

SMALL = """contract = "ASD-2026-01"

[[vote]]
committee = "steering"
decision = "data_sharing"
date = 2026-06-30
round = 3
ballots = { acme = "yes", orbis = "no" }
outcome = "passed"

[[payment]]
threshold = "conversion_floor"
period = "2026-05"
status = "waived"
date = 2026-06-30

[[dispute]]
ladder = "disputes"
opened = 2026-05-31
step = "managers"
resolved = 2026-06-08
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("journal") / "small.toml"
    p.write_text(SMALL, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def contract() -> pactlang.Contract:
    return pactlang.load(ALLIANCE)


def text_of(node: object) -> str:
    return " ".join(node.text().split())  # type: ignore[attr-defined]


def test_report_shows_the_waived_penalty_the_vote_and_the_resolution(
    contract: pactlang.Contract, journal: Path
) -> None:
    plain = contract.report(ALLIANCE_CSV, lang="en").html
    html = contract.report(ALLIANCE_CSV, lang="en", journal=journal).html
    assert html != plain
    doc, _ = parse(html)
    # the penalty of May: still listed with its computed amount, marked waived
    [row] = doc.find_all("tr", cls="pay-waived")
    assert "€5,000.00" in text_of(row) and "waived (June 30, 2026)" in text_of(row)
    # totals: computed 10,000, waived 5,000, due 5,000, nothing confirmed paid
    [totals] = doc.find_all("table", cls="t-actual-totals")
    first_row = totals.find_all("tr")[1]
    assert [text_of(td) for td in first_row.find_all("td")] == [
        "2", "€10,000.00", "€5,000.00", "€5,000.00", "€0.00", "€5,000.00"
    ]
    # the vote: vetoed under the rule, recorded as passed in the minutes
    [votes] = doc.find_all("table", cls="t-votes")
    assert "vetoed" in text_of(votes) and "differs from the rule" in text_of(votes)
    # the dispute of 31 May was resolved at its first step: later steps are not reached
    first = doc.find_all("div", cls="dispute")[0]
    shown = text_of(first)
    assert "resolved on June 8, 2026" in shown and shown.count("not reached (resolved before)") == 3
    assert "Recorded: Project managers resolved the dispute on June 8, 2026." in shown
    # without a journal, no status column and the projected timeline
    assert 'class="pay-waived"' not in plain and 'class="grid t-votes"' not in plain
    assert "not reached" not in plain


def test_the_french_report_too(contract: pactlang.Contract, journal: Path) -> None:
    html = contract.report(ALLIANCE_CSV, journal=journal).html
    assert "remise (30\u00a0juin\u00a02026)" in html
    assert "différent de la règle" in html


def test_the_journal_never_changes_the_evaluation(contract: pactlang.Contract, journal: Path) -> None:
    base = json.loads(run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--format", "json").stdout)
    out = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--format", "json", "--journal", str(journal))
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    EvaluationResult.model_validate(doc)
    recorded = doc.pop("journal")
    assert doc == base
    assert [p["status"] for p in recorded["payments"]] == ["waived", "unrecorded", "unrecorded"]
    assert recorded["payments"][0]["computed"] == "5000.00" and recorded["payments"][0]["due"] == "0.00"
    assert recorded["votes"][0]["outcome"] == "vetoed" and recorded["votes"][0]["matches"] is False
    assert recorded["disputes"][0]["resolved_on"] == "2026-06-08"
    assert recorded["disputes"][1]["events"] == [] and recorded["disputes"][1]["resolved_on"] is None


def test_eval_text_lists_the_journal(journal: Path) -> None:
    out = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--journal", str(journal))
    assert out.exit_code == 0, out.output
    assert "payment 2026-05 conversion_floor rule 1: orbis → acme 5000.00 EUR: waived" in out.stdout
    assert "→ vetoed under the rule; recorded passed (DIFFERS)" in out.stdout
    assert "recorded: managers resolved 2026-06-08 → resolved 2026-06-08" in out.stdout


def test_a_portfolio_journal_is_per_key(tmp_path: Path) -> None:
    j = tmp_path / "p.toml"
    j.write_text(
        '[[payment]]\nthreshold = "conversion_floor"\nperiod = "2026-05"\nstatus = "confirmed"\nkey = "orbis"\n',
        encoding="utf-8",
    )
    out = run("eval", str(ALLIANCE), "--data", str(PORTFOLIO_CSV), "--by", "partner", "--format", "json", "--journal", str(j))
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    PortfolioResult.model_validate(doc)
    by_key = {r["key"]: r["journal"] for r in doc["results"]}
    assert by_key["orbis"]["payments"][0]["status"] == "confirmed"
    others = [k for k in by_key if k != "orbis"]
    assert others
    assert all(all(p["status"] == "unrecorded" for p in by_key[k]["payments"]) for k in others)


def test_entries_that_match_nothing_are_warnings_with_their_line(tmp_path: Path) -> None:
    j = tmp_path / "w.toml"
    j.write_text('[[payment]]\nthreshold = "conversion_floor"\nperiod = "2026-02"\nstatus = "confirmed"\n', encoding="utf-8")
    out = tmp_path / "r.html"
    res = run("report", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--journal", str(j), "-o", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "w.toml:1: payment conversion_floor 2026-02: the contract computed no such payment" in html


def test_a_bad_journal_evaluates_nothing(tmp_path: Path) -> None:
    j = tmp_path / "bad.toml"
    j.write_text('[[vote]]\ncommittee = "steering"\ndecision = "budget"\ndate = 2026-03-31\nballots = { zed = "yes" }\n', encoding="utf-8")
    out = tmp_path / "r.html"
    res = run("report", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--journal", str(j), "-o", str(out))
    assert res.exit_code == 2 and not out.exists()
    assert res.stderr.startswith(f"error: {j}:5: vote: a ballot from `zed`")
    res = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--journal", str(j))
    assert res.exit_code == 2 and res.stdout == ""


def test_escalate_and_distribute_read_the_journal() -> None:
    res = run("escalate", str(ALLIANCE), "disputes", "--opened", "2026-06-30", "--journal", str(JOURNAL), "--format", "json")
    assert res.exit_code == 0, res.output
    tl = json.loads(res.stdout)
    assert [e["step"] for e in tl["events"]] == ["managers", "executives"] and tl["resolved_on"] == "2026-07-16"
    both = run("distribute", str(ALLIANCE), "fund", "--amount", "1", "--journal", str(JOURNAL), "--state", "s.json")
    assert both.exit_code == 2
    res = run("distribute", str(ALLIANCE), "fund", "--amount", "180000", "--journal", str(JOURNAL), "--format", "json")
    assert res.exit_code == 0, res.output
    # 150,000 + 200,000 + 250,000 recorded: the repayment tier is full, 180,000 is surplus 60/40
    assert json.loads(res.stdout)["by_party"] == {"acme": "108000.00", "orbis": "72000.00"}


def test_schema_journal() -> None:
    res = run("schema", "--journal")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["title"] == "pact journal"
