"""LANGUAGE.md §8 — escalation ladders: calendar days with the move-to-next-business-day rule, business
days, public holidays of `calendar XX`, events failed/resolved, the state on a date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spec.spec_helpers import assert_tests_pass, contract, error_codes, escalate, pact, write


def ladder(calendar: str | None, steps: str) -> str:
    header = "  currency EUR\n" + (f"  calendar {calendar}\n" if calendar else "")
    return contract(f"escalation l {{\n{steps}\n}}", header=header)


FOUR = """
  step a within 10 days
  step b within 5 business days
  step c within 30 days
  step d final
"""


def timeline(doc: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(s["name"], s["start"], s["deadline"]) for s in doc["steps"]]


def test_calendar_days_and_business_days_with_french_holidays(tmp_path: Path) -> None:
    """Opened Saturday 2026-07-04, calendar FR.
    a: 07-04 + 10 days = Tuesday 07-14, Bastille Day → next business day Wednesday 07-15.
    b starts 07-15: 5 business days = 16, 17, 20, 21, 22 → 07-22.
    c starts 07-22: + 30 days = Friday 08-21 (a business day) → 08-21. d (final) starts 08-21, no deadline."""
    doc = escalate(tmp_path, ladder("FR", FOUR), "l", "--opened", "2026-07-04")
    assert timeline(doc) == [
        ("a", "2026-07-04", "2026-07-15"),
        ("b", "2026-07-15", "2026-07-22"),
        ("c", "2026-07-22", "2026-08-21"),
        ("d", "2026-08-21", None),
    ]


def test_without_calendar_only_weekends_are_non_business_days(tmp_path: Path) -> None:
    """Same ladder, no calendar: a → Tuesday 07-14 (a business day); b: 15, 16, 17, 20, 21 → 07-21;
    c: 07-21 + 30 = Thursday 08-20."""
    doc = escalate(tmp_path, ladder(None, FOUR), "l", "--opened", "2026-07-04")
    assert timeline(doc) == [
        ("a", "2026-07-04", "2026-07-14"),
        ("b", "2026-07-14", "2026-07-21"),
        ("c", "2026-07-21", "2026-08-20"),
        ("d", "2026-08-20", None),
    ]


@pytest.mark.parametrize(
    ("calendar", "opened", "days", "deadline"),
    [
        (None, "2026-01-01", 9, "2026-01-12"),  # Saturday 01-10 → Monday 01-12
        (None, "2026-01-02", 9, "2026-01-12"),  # Sunday 01-11 → Monday 01-12
        (None, "2026-01-02", 10, "2026-01-12"),  # Monday: stays
        ("FR", "2026-04-24", 7, "2026-05-04"),  # Friday 1 May (holiday) → Sat, Sun → Monday 05-04
        (
            "FR",
            "2026-08-05",
            10,
            "2026-08-17",
        ),  # Saturday 15 August (Assumption) → Sun → Monday 08-17
        ("FR", "2026-12-15", 10, "2026-12-28"),  # Friday 25 December → Monday 28
    ],
)
def test_calendar_day_deadline_moves_to_the_next_business_day(
    tmp_path: Path, calendar: str | None, opened: str, days: int, deadline: str
) -> None:
    doc = escalate(
        tmp_path,
        ladder(calendar, f"  step a within {days} days\n  step z final"),
        "l",
        "--opened",
        opened,
    )
    assert doc["steps"][0]["deadline"] == deadline


@pytest.mark.parametrize(
    ("calendar", "opened", "days", "deadline"),
    [
        (
            None,
            "2026-01-02",
            1,
            "2026-01-05",
        ),  # Friday + 1 business day = Monday (S itself does not count)
        (None, "2026-01-03", 1, "2026-01-05"),  # opened on a Saturday
        (None, "2026-01-05", 5, "2026-01-12"),
        # Thursday 05-07; 05-08 (Victoire 1945) holiday, weekend, 11, 12, 13, 14 (Ascension) holiday, 15, 18
        ("FR", "2026-05-07", 5, "2026-05-18"),
        (None, "2026-05-07", 5, "2026-05-14"),
        # Germany: 25 and 26 December are holidays, so Thursday 24 + 1 business day = Monday 28
        ("DE", "2026-12-24", 1, "2026-12-28"),
    ],
)
def test_business_days_are_the_nth_business_day_after_the_start(
    tmp_path: Path, calendar: str | None, opened: str, days: int, deadline: str
) -> None:
    doc = escalate(
        tmp_path,
        ladder(calendar, f"  step a within {days} business days\n  step z final"),
        "l",
        "--opened",
        opened,
    )
    assert doc["steps"][0]["deadline"] == deadline


def test_failed_event_hands_over_on_its_date(tmp_path: Path) -> None:
    """a failed on Wednesday 07-08 → b starts 07-08: 9, 10, 13, (14 holiday), 15, 16 → 07-16;
    c: 07-16 + 30 = Saturday 08-15 (Assumption) → Monday 08-17."""
    doc = escalate(
        tmp_path,
        ladder("FR", FOUR),
        "l",
        "--opened",
        "2026-07-04",
        "--event",
        "a:failed:2026-07-08",
    )
    assert timeline(doc) == [
        ("a", "2026-07-04", "2026-07-15"),
        ("b", "2026-07-08", "2026-07-16"),
        ("c", "2026-07-16", "2026-08-17"),
        ("d", "2026-08-17", None),
    ]


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        ("2026-07-04", "a"),  # the opening day: step 1 starts on D
        ("2026-07-14", "a"),
        ("2026-07-15", "b"),  # on the deadline the next step has started
        ("2026-07-21", "b"),
        ("2026-07-22", "c"),
        ("2026-08-21", "d"),
        ("2027-06-01", "d"),
    ],
)
def test_state_on_a_date_is_the_last_step_started(tmp_path: Path, as_of: str, state: str) -> None:
    doc = escalate(tmp_path, ladder("FR", FOUR), "l", "--opened", "2026-07-04", "--as-of", as_of)
    assert doc["state"] == state


def test_resolved_closes_the_dispute(tmp_path: Path) -> None:
    ev = ("--event", "a:failed:2026-07-08", "--event", "b:resolved:2026-07-10")
    before = escalate(
        tmp_path,
        ladder("FR", FOUR),
        "l",
        "--opened",
        "2026-07-04",
        *ev[:2],
        "--as-of",
        "2026-07-09",
    )
    after = escalate(
        tmp_path, ladder("FR", FOUR), "l", "--opened", "2026-07-04", *ev, "--as-of", "2026-07-10"
    )
    later = escalate(
        tmp_path, ladder("FR", FOUR), "l", "--opened", "2026-07-04", *ev, "--as-of", "2026-12-31"
    )
    assert before["state"] == "b"
    assert after["state"] == "resolved"
    assert later["state"] == "resolved"
    assert after["resolved_on"] == "2026-07-10"


def test_impossible_event_is_a_usage_error(tmp_path: Path) -> None:
    """An event on a step that is not running (c failed while a runs) cannot happen: exit 2, no traceback."""
    p = write(tmp_path, "c.pact", ladder("FR", FOUR))
    run = pact("escalate", p, "l", "--opened", "2026-07-04", "--event", "c:failed:2026-07-06")
    assert run.exit_code == 2
    assert run.exception is None
    run = pact("escalate", p, "l", "--opened", "2026-07-04", "--event", "zz:failed:2026-07-06")
    assert run.exit_code == 2


def test_escalate_text_output_names_the_holiday(tmp_path: Path) -> None:
    p = write(tmp_path, "c.pact", ladder("FR", FOUR))
    run = pact("escalate", p, "l", "--opened", "2026-07-04")
    assert run.exit_code == 0
    assert "2026-07-15" in run.stdout and "2026-07-14" in run.stdout


def test_escalation_expectations_in_test_blocks(tmp_path: Path) -> None:
    src = (
        ladder("FR", FOUR)
        + """
test "ladder" {
  expect escalation l opened 2026-07-04 deadline a == 2026-07-15
  expect escalation l opened 2026-07-04 deadline b == 2026-07-22
  expect escalation l opened 2026-07-04 on 2026-07-14 is a
  expect escalation l opened 2026-07-04 on 2026-07-15 is b
  expect escalation l opened 2026-07-04 with a failed 2026-07-08 deadline b == 2026-07-16
  expect escalation l opened 2026-07-04 with a failed 2026-07-08, b resolved 2026-07-10 on 2026-07-09 is b
  expect escalation l opened 2026-07-04 with a failed 2026-07-08, b resolved 2026-07-10 on 2026-07-10 is resolved
}
"""
    )
    assert_tests_pass(tmp_path, src)


@pytest.mark.parametrize(
    "steps",
    [
        "  step a within 10 days\n  step b within 5 days",  # the last step must be final
        "  step a final\n  step b within 5 days",  # final is the last one
        "  step a within 10 weeks\n  step b final",
    ],
)
def test_ladder_structure_errors(tmp_path: Path, steps: str) -> None:
    assert error_codes(tmp_path, ladder(None, steps))


def test_unknown_calendar_country_is_an_error(tmp_path: Path) -> None:
    assert error_codes(tmp_path, ladder("XQ", "  step a within 10 days\n  step b final"))


def test_step_attributes_are_accepted(tmp_path: Path) -> None:
    steps = '  step a within 10 days { institution "CMAP" }\n  step b final { institution "CCI" seat "Paris" arbitrators 3 language fr rules "ICC 2021" }'
    assert error_codes(tmp_path, ladder(None, steps)) == []


def test_law_attribute_is_accepted_and_rendered(tmp_path: Path) -> None:
    steps = '  step a within 10 days\n  step b final { institution "CCI" law "droit français" }'
    src = ladder(None, steps)
    assert error_codes(tmp_path, src) == []
    run = pact("render", write(tmp_path, "c.pact", src), "--lang", "fr")
    assert run.exit_code == 0 and "droit français" in run.stdout


# ---------------------------------------------------------------- audit: May holidays, weekends, year end, thresholds

MAY = """
  step s1 within 1 business days
  step s2 within 3 business days
  step s3 within 8 days
  step s4 final
"""


@pytest.mark.parametrize(
    ("opened", "events", "expected"),
    [
        # Thursday 04-30, calendar FR. s1: 1 business day after 04-30: Fri 05-01 (Fête du Travail), the
        # weekend → Monday 05-04. s2: 05, 06, 07 → 05-07. s3: 05-07 + 8 = Friday 05-15 (a business day;
        # Ascension is Thursday 05-14).
        (
            "2026-04-30",
            (),
            [
                ("s1", "2026-04-30", "2026-05-04"),
                ("s2", "2026-05-04", "2026-05-07"),
                ("s3", "2026-05-07", "2026-05-15"),
                ("s4", "2026-05-15", None),
            ],
        ),
        # opened on Saturday 05-09: step 1 starts that day; s1 → Monday 05-11; s2: 12, 13, (14 Ascension),
        # 15 → 05-15; s3: 05-15 + 8 = Saturday 05-23 → Sunday → Monday 05-25 (Pentecost Monday) → 05-26.
        (
            "2026-05-09",
            (),
            [
                ("s1", "2026-05-09", "2026-05-11"),
                ("s2", "2026-05-11", "2026-05-15"),
                ("s3", "2026-05-15", "2026-05-26"),
                ("s4", "2026-05-26", None),
            ],
        ),
        # s1 failed on the opening day: s2 starts 04-30: (05-01 holiday) 04, 05, 06 → 05-06; s3: + 8 = Thursday
        # 05-14 (Ascension) → Friday 05-15.
        (
            "2026-04-30",
            ("--event", "s1:failed:2026-04-30"),
            [
                ("s1", "2026-04-30", "2026-05-04"),
                ("s2", "2026-04-30", "2026-05-06"),
                ("s3", "2026-05-06", "2026-05-15"),
                ("s4", "2026-05-15", None),
            ],
        ),
    ],
)
def test_may_holidays_and_weekends(
    tmp_path: Path, opened: str, events: tuple[str, ...], expected: list[tuple[str, str, str | None]]
) -> None:
    doc = escalate(tmp_path, ladder("FR", MAY), "l", "--opened", opened, *events)
    assert timeline(doc) == expected


def test_deadlines_across_the_year_end(tmp_path: Path) -> None:
    """Monday 2026-12-21 + 10 days = Thursday 12-31 (a business day in FR); then 1 business day after
    12-31: 2027-01-01 (Jour de l'an) is a Friday, then the weekend → Monday 2027-01-04."""
    doc = escalate(
        tmp_path,
        ladder("FR", "  step a within 10 days\n  step b within 1 business days\n  step c final"),
        "l",
        "--opened",
        "2026-12-21",
    )
    assert timeline(doc) == [
        ("a", "2026-12-21", "2026-12-31"),
        ("b", "2026-12-31", "2027-01-04"),
        ("c", "2027-01-04", None),
    ]


@pytest.mark.parametrize(
    ("as_of", "state"),
    [("2026-04-29", "not-open"), ("2026-05-03", "s1"), ("2026-05-04", "s2"), ("2026-05-15", "s4")],
)
def test_state_around_a_holiday_deadline(tmp_path: Path, as_of: str, state: str) -> None:
    """The MAY ladder opened 2026-04-30: s1 runs until its deadline 05-04, on which s2 starts;
    s4 (final) starts 05-15; before the opening date there is no dispute."""
    doc = escalate(tmp_path, ladder("FR", MAY), "l", "--opened", "2026-04-30", "--as-of", as_of)
    assert doc["state"] == state


def test_a_breach_opens_a_dispute_on_the_last_day_of_its_month(tmp_path: Path) -> None:
    """§6 `escalate` opens a dispute on the last day of the month; §8 counts from there.
    May 2026: opened Sunday 05-31; 10 business days → June 1–5, 8–12 → 06-12; then 06-12 + 15 days =
    Saturday 06-27 → Monday 06-29. June: opened Tuesday 06-30; 10 business days: July 1, 2, 3, 6, 7, 8,
    9, 10, 13, (14 Fête nationale) 15 → 07-15; + 15 days = Thursday 07-30."""
    src = contract(
        """
        measure x: number
        threshold t {
          when x > 10: breach
            => escalate lad
          otherwise: ok
        }
        escalation lad {
          step s1 within 10 business days
          step s2 within 15 days
          step s3 final
        }
        """,
        header='  effective 2026-01-01\n  currency EUR\n  calendar FR\n  party acme "A"\n  party orbis "O"\n',
    )
    c = write(tmp_path, "c.pact", src)
    d = write(tmp_path, "d.csv", "period,x\n2026-04,1\n2026-05,11\n2026-06,12\n")
    run = pact("eval", c, "--data", d, "--format", "json")
    assert run.exit_code == 0, run.stderr
    got = [
        (x["opened"], [(s["step"], s["start"], s["deadline"]) for s in x["steps"]])
        for x in run.json["disputes"]
    ]
    assert got == [
        (
            "2026-05-31",
            [
                ("s1", "2026-05-31", "2026-06-12"),
                ("s2", "2026-06-12", "2026-06-29"),
                ("s3", "2026-06-29", None),
            ],
        ),
        (
            "2026-06-30",
            [
                ("s1", "2026-06-30", "2026-07-15"),
                ("s2", "2026-07-15", "2026-07-30"),
                ("s3", "2026-07-30", None),
            ],
        ),
    ]
