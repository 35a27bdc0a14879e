"""The journal (docs/journal.md): its shape, its checks against the contract,
every bad entry reported with its line, nothing evaluated."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pactlang
from pactlang.api import UsageError, journal_schema
from pactlang.io.journal import JournalError, parse_journal, read_journal

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"
JOURNAL = ROOT / "examples" / "journal" / "alliance.toml"


@pytest.fixture(scope="module")
def alliance() -> pactlang.Contract:
    return pactlang.load(ALLIANCE)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "journal.toml"
    p.write_text(text, encoding="utf-8")
    return p


def problems(alliance: pactlang.Contract, path: Path) -> list[str]:
    with pytest.raises(UsageError) as info:
        alliance.read_journal(path)
    return str(info.value).splitlines()


def test_the_example_journal_reads_and_checks(alliance: pactlang.Contract) -> None:
    j = alliance.read_journal(JOURNAL)
    assert j.contract == "ASD-2026-01"
    assert [v.decision for v in j.votes] == ["budget", "budget", "data_sharing", "scope"]
    assert j.votes[0].ballots == {"acme": "yes", "orbis": "no"}
    assert j.votes[0].line is not None and JOURNAL.read_text().splitlines()[j.votes[0].line - 1] == "[[vote]]"
    assert [p.status for p in j.payments] == ["waived", "confirmed", "confirmed"]
    assert j.distributions[0].amount == Decimal("150000.00")
    assert j.amendments[0].effective == datetime.date(2026, 10, 1)


def test_a_ballot_from_a_non_member_is_an_error_at_its_line(alliance: pactlang.Contract, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[vote]]\ncommittee = "steering"\ndecision = "budget"\ndate = 2026-03-31\n'
        'ballots = { acme = "yes", carol = "no" }\n',
    )
    [line] = problems(alliance, path)
    assert line.startswith(f"{path}:5: vote: a ballot from `carol`, who is not a member of committee `steering`")
    assert "members: acme, orbis" in line


def test_every_bad_entry_is_reported_with_its_line(alliance: pactlang.Contract, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """contract = "ASD-2026-01"

[[vote]]
committee = "board"
decision = "budget"
date = 2026-03-31
ballots = { acme = "yes" }

[[payment]]
threshold = "revenue_review"
period = "2026-03"
status = "waived"

[[dispute]]
ladder = "disputes"
opened = 2026-05-31
step = "mediation"
resolved = 2026-06-02

[[amendment]]
date = 2026-09-15
title = "Avenant"
signed_by = ["acme", "globex"]

[[distribution]]
waterfall = "pot"
date = 2026-03-31
amount = 10
""",
    )
    lines = problems(alliance, path)
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:4",
        f"{path}:10",
        f"{path}:18",
        f"{path}:23",
        f"{path}:26",
    ]
    assert "no committee `board` (known: steering)" in lines[0]
    assert "threshold `revenue_review` pays nothing" in lines[1]
    assert "step mediation was not reached by 2026-06-02" in lines[2]
    assert "`globex` is not a party" in lines[3]
    assert "no waterfall `pot` (known: fund)" in lines[4]


def test_shape_errors_name_the_field_and_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[payment]]\nthreshold = "conversion_floor"\nperiod = "2026-3"\nstatus = "maybe"\ncolour = "red"\n'
        "\n[[dispute]]\nladder = \"disputes\"\nopened = 2026-05-31\nfailed = 2026-06-01\n",
    )
    with pytest.raises(JournalError) as info:
        read_journal(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:3: payment #1: period: must be a month YYYY-MM, not '2026-3'",
        f"{path}:4: payment #1: status: must be one of 'confirmed', 'waived' or 'disputed', not 'maybe'",
        f"{path}:5: payment #1: colour: unknown field",
        f"{path}:7: dispute #1: `failed` needs the `step` it happened at",
    ]


def test_not_toml_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[vote]]\ncommittee = "steering"\ndate = = 2026-03-31\n')
    with pytest.raises(JournalError) as info:
        read_journal(path)
    [p] = info.value.problems
    assert p.line == 3 and "not TOML" in p.message


def test_unreadable_journals(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no such file"):
        read_journal(tmp_path / "missing.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'# ok\ncontract = "caf\xe9"\n')
    with pytest.raises(JournalError, match=r"latin1.toml:2: not UTF-8"):
        read_journal(bad)


def test_a_journal_for_another_contract_is_refused(alliance: pactlang.Contract, tmp_path: Path) -> None:
    path = write(tmp_path, 'contract = "OTHER-1"\n')
    [line] = problems(alliance, path)
    assert "the journal is for contract 'OTHER-1', not 'ASD-2026-01'" in line


def test_decimals_are_exact_and_floats_never_binary() -> None:
    j = parse_journal(
        '[[distribution]]\nwaterfall = "fund"\ndate = 2026-03-31\namount = 0.1\n'
        '[[distribution]]\nwaterfall = "fund"\ndate = 2026-04-30\namount = "100000.01"\n'
    )
    assert [d.amount for d in j.distributions] == [Decimal("0.1"), Decimal("100000.01")]


def test_dispute_events_out_of_order_in_the_file_are_put_in_date_order(alliance: pactlang.Contract, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[dispute]]\nladder = "disputes"\nopened = 2026-06-30\nstep = "executives"\nresolved = 2026-07-16\n'
        '[[dispute]]\nladder = "disputes"\nopened = 2026-06-30\nstep = "managers"\nfailed = 2026-07-06\n',
    )
    j = alliance.read_journal(path)
    [(ident, entries)] = j.dispute_events().items()
    assert ident == ("disputes", datetime.date(2026, 6, 30))
    assert [e.step for e in entries] == ["managers", "executives"]


def test_the_journal_schema_validates_the_example() -> None:
    import tomllib

    schema = journal_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = tomllib.loads(JOURNAL.read_text(encoding="utf-8"))

    def plain(v: object) -> object:  # TOML dates are JSON strings in the schema
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    jsonschema.validate(plain(doc), schema, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"vote": [{"committee": "s"}]}, schema)


@given(st.text(max_size=200))
def test_any_text_is_a_journal_or_a_journal_error(text: str) -> None:
    try:
        parse_journal(text)
    except JournalError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
