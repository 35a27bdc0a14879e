"""``pact calendar`` (docs/calendar.md): every dated obligation, as iCalendar,
CSV and JSON; stable UIDs, business days, the journal's events."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result

import pactlang
from pactlang.api import UsageError
from pactlang.cli import main
from pactlang.report.agenda import CSV_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "examples" / "contracts"
DATA = ROOT / "examples" / "data"
JOURNAL = ROOT / "examples" / "journal" / "alliance.toml"
ALLIANCE = CONTRACTS / "alliance.pact"
EXAMPLES = {
    "alliance.pact": "alliance.csv",
    "alliance_v2.pact": "alliance.csv",  # an amendment: its calendar follows the switch
    "reseller_sla.pact": "reseller_sla.csv",
    "coinvest_fund.pact": "coinvest_fund.json",
    "distribution.pact": "distribution.csv",
    "partnership.pact": "partnership.csv",
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})


def events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return list(cal.walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in events(data)}


def test_every_example_has_a_calendar_test() -> None:
    assert sorted(p.name for p in CONTRACTS.glob("*.pact") if not p.name.endswith(".test.pact")) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_ics_imports_and_reimports_with_the_same_uids(name: str) -> None:
    args = ["calendar", str(CONTRACTS / name), "--data", str(DATA / EXAMPLES[name]), "--format", "ics"]
    first = run(*args)
    assert first.exit_code == 0, first.output
    second = run(*args)
    assert first.stdout_bytes == second.stdout_bytes  # same inputs, same bytes
    evs = events(first.stdout_bytes)
    assert evs, "every example has dated obligations"
    uids = [str(e["UID"]) for e in evs]
    assert len(uids) == len(set(uids)), "one UID per obligation"
    assert uids == [str(e["UID"]) for e in events(second.stdout_bytes)]
    for e in evs:
        assert isinstance(e.decoded("DTSTART"), datetime.date)
        assert e.decoded("DTEND") == e.decoded("DTSTART") + datetime.timedelta(days=1)
        assert "DTSTAMP" in e and str(e["STATUS"]) in ("CONFIRMED", "CANCELLED")
        assert "X-PACT-KIND" in e and "DESCRIPTION" in e


def test_uids_do_not_depend_on_the_language_or_the_window() -> None:
    fr = by_uid(run("calendar", str(ALLIANCE), "--lang", "fr").stdout_bytes)
    en = by_uid(run("calendar", str(ALLIANCE), "--lang", "en").stdout_bytes)
    assert fr.keys() == en.keys()
    q3 = by_uid(run("calendar", str(ALLIANCE), "--from", "2026-07-01", "--to", "2026-09-30").stdout_bytes)
    assert q3.keys() < fr.keys()
    assert all(datetime.date(2026, 7, 1) <= e.decoded("DTSTART") <= datetime.date(2026, 9, 30) for e in q3.values())


def test_dtstamp_comes_from_the_contract_not_the_clock() -> None:
    evs = events(run("calendar", str(ALLIANCE)).stdout_bytes)
    assert {e.decoded("DTSTAMP") for e in evs} == {datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)}


def test_meetings_reports_and_term_follow_the_business_calendar() -> None:
    out = run("calendar", str(ALLIANCE), "--format", "json", "--to", "2026-12-31")
    doc = json.loads(out.stdout)
    got = {(e["kind"], e["construct"], e["period"]): e["date"] for e in doc["events"]}
    # a quarterly committee meets by the last business day of each quarter
    assert got[("meeting", "steering", "2026-Q1")] == "2026-03-31"
    assert got[("meeting", "steering", "2026-Q4")] == "2026-12-31"
    # a monthly figure is due at the close of the month, moved to the next business day:
    # Saturday 31 January 2026 → Monday 2 February
    assert got[("report", "conversion", "2026-01")] == "2026-02-02"
    # Saturday 31 October → Sunday 1 November (Toussaint, and a Sunday) → Monday 2 November
    assert got[("report", "conversion", "2026-10")] == "2026-11-02"
    # a quarterly KPI has one figure per quarter
    assert got[("report", "csat_avg", "2026-Q2")] == "2026-06-30"
    assert ("report", "csat_avg", "2026-05") not in got
    assert got[("term-start", "contract", None)] == "2026-01-01"
    owners = {e["construct"]: e["owner"] for e in doc["events"] if e["kind"] == "report"}
    assert owners == {"conversion": "orbis", "revenue_3m": "acme", "csat_avg": "orbis"}
    meeting = next(e for e in doc["events"] if e["kind"] == "meeting")
    assert meeting["parties"] == ["acme", "orbis"]


def test_a_monthly_committee_without_a_holiday_calendar() -> None:
    doc = json.loads(run("calendar", str(CONTRACTS / "reseller_sla.pact"), "--format", "json").stdout)
    meetings = {e["period"]: e["date"] for e in doc["events"] if e["kind"] == "meeting"}
    assert meetings["2026-05"] == "2026-05-29"  # Sunday 31 May → Friday 29 May
    assert meetings["2026-07"] == "2026-07-31"
    assert len(meetings) == 24  # the whole term, 2026-01 to 2027-12
    assert doc["events"][-1]["kind"] == "term-end" and doc["events"][-1]["date"] == "2027-12-31"


def test_dispute_deadlines_come_from_the_data() -> None:
    doc = json.loads(
        run("calendar", str(ALLIANCE), "--data", str(DATA / "alliance.csv"), "--format", "json", "--lang", "en").stdout
    )
    steps = [e["date"] for e in doc["events"] if e["kind"] == "dispute-step"]
    # opened Sunday 31 May: managers 10 days → 10 June; executives 10 business days → 24 June;
    # mediation 30 days → 24 July, when arbitration may begin; opened 30 June: 10 July
    # (14 July is a holiday: executives → 27 July), 26 August
    assert steps == [
        "2026-06-10", "2026-06-24", "2026-07-10", "2026-07-24", "2026-07-24",
        "2026-07-27", "2026-08-26", "2026-08-26",
    ]
    opened = [e for e in doc["events"] if e["kind"] == "dispute-opened"]
    assert [e["date"] for e in opened] == ["2026-05-31", "2026-06-30"]


def test_the_journal_moves_deadlines_under_the_same_uid() -> None:
    base = ["calendar", str(ALLIANCE), "--data", str(DATA / "alliance.csv")]
    before = by_uid(run(*base).stdout_bytes)
    after = by_uid(run(*base, "--journal", str(JOURNAL)).stdout_bytes)
    # the same obligations (the amendment's day is new), updated, none duplicated
    assert before.keys() <= after.keys()
    assert len(after) == len(before) + 1
    moved = [u for u in before if before[u].decoded("DTSTART") != after[u].decoded("DTSTART")]
    assert moved, "recorded events move deadlines"
    for u in moved:
        assert int(after[u]["SEQUENCE"]) > int(before[u]["SEQUENCE"])
        assert after[u].decoded("DTSTAMP") > before[u].decoded("DTSTAMP")
    cancelled = [e for e in after.values() if str(e["STATUS"]) == "CANCELLED"]
    # the dispute of 31 May was resolved at its first step: its three later steps are moot;
    # the dispute of 30 June was resolved at its second step: its last two are moot
    assert len(cancelled) == 5
    assert all(str(before[str(e["UID"])]["STATUS"]) == "CONFIRMED" for e in cancelled)


def test_csv_and_json_list_the_same_events() -> None:
    args = ["calendar", str(ALLIANCE), "--data", str(DATA / "alliance.csv"), "--journal", str(JOURNAL)]
    rows = list(csv.reader(io.StringIO(run(*args, "--format", "csv").stdout)))
    doc = json.loads(run(*args, "--format", "json").stdout)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sorted(doc) == ["contract", "events", "from", "to"]
    assert doc["contract"] == {"id": "ASD-2026-01", "title": "Alliance Solutions Durables", "version": "2.1"}
    assert (doc["from"], doc["to"]) == ("2026-01-01", "2028-12-31")
    assert len(rows) - 1 == len(doc["events"])
    for row, ev in zip(rows[1:], doc["events"], strict=True):
        rec = dict(zip(CSV_COLUMNS, row, strict=True))
        assert rec["uid"] == ev["uid"] and rec["date"] == ev["date"]
        assert rec["parties"].split() == ev["parties"]
    ics = by_uid(run(*args).stdout_bytes)
    assert {e["uid"] for e in doc["events"]} == set(ics)


def test_calendar_errors() -> None:
    bad = run("calendar", str(ALLIANCE), "--from", "2027-01-01", "--to", "2026-01-01")
    assert bad.exit_code == 2 and "is after" in bad.stderr
    assert run("calendar", str(ALLIANCE), "--by", "partner").exit_code == 2
    c = pactlang.loads(
        'contract "No term" {\n  currency EUR\n  party a "A"\n  party b "B"\n'
        "  committee board {\n    member a weight 1\n    member b weight 1\n    meets yearly\n"
        "    decision go requires majority\n  }\n}\n"
    )
    with pytest.raises(UsageError, match="give --from"):
        c.calendar("json")
    out = c.calendar("json", start=datetime.date(2026, 1, 1))
    doc = json.loads(out.data)
    assert [e["date"] for e in doc["events"]] == ["2026-12-31", "2027-12-31"]


def test_a_portfolio_calendar_keys_its_disputes() -> None:
    out = run(
        "calendar", str(ALLIANCE), "--data", str(DATA / "alliance_portfolio.csv"), "--by", "partner", "--format", "json"
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    keys = {e["key"] for e in doc["events"] if e["kind"].startswith("dispute")}
    assert keys and None not in keys
    assert {e["key"] for e in doc["events"] if e["kind"] == "meeting"} == {None}


ACTIONS = """contract "Obligations" {
  effective 2026-01-01 until 2026-12-31
  currency EUR
  language fr
  calendar FR
  party acme "ACME SAS"
  party orbis "Orbis SA"
  measure x "X": number
  threshold t "Seuil" en "Threshold" {
    when x > 10: breach
      => oblige orbis "Plan de remédiation" en "Remediation plan" within 10 business days
      => terminate by acme notice 30 days
    otherwise: ok
  }
}
"""


def test_obligations_and_the_termination_come_from_the_data(tmp_path: Path) -> None:
    """A breach in April: the obligation is due 10 business days after 30 April
    (4-7, 11-13, 15, 18, 19 May: 1 May, 8 May and Ascension on 14 May are
    French holidays) = 19 May, owed by orbis; acme's
    30 days' notice from 30 April ends the contract on 30 May (a Saturday: 1 June)."""
    contract = tmp_path / "c.pact"
    contract.write_text(ACTIONS, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("period,x\n2026-03,1\n2026-04,20\n2026-05,1\n", encoding="utf-8")
    args = ["calendar", str(contract), "--data", str(data), "--format", "json", "--lang", "en"]
    doc = json.loads(run(*args).stdout)
    found = {e["kind"]: e for e in doc["events"] if e["kind"] in ("obligation", "termination")}
    assert found["obligation"]["date"] == "2026-05-19"
    assert found["obligation"]["owner"] == "orbis" and found["obligation"]["parties"] == ["orbis"]
    assert "Remediation plan" in found["obligation"]["summary"]
    details = [d.replace("\u00a0", " ") for d in found["obligation"]["details"]]
    assert details == ["Required by Threshold (April 2026).", "Within 10 business days from April 30, 2026."]
    assert found["termination"]["date"] == "2026-06-01"
    assert found["termination"]["owner"] == "acme" and found["termination"]["period"] == "2026-04"
    fr = json.loads(run(*args[:-1], "fr").stdout)
    assert any("Plan de remédiation" in e["summary"] for e in fr["events"])
    assert {e["uid"] for e in fr["events"]} == {e["uid"] for e in doc["events"]}
    # without data nothing fired: no obligation, no termination
    bare = json.loads(run("calendar", str(contract), "--format", "json").stdout)
    assert not [e for e in bare["events"] if e["kind"] in ("obligation", "termination")]
