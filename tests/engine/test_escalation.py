"""Escalation ladders with business days and public holidays (LANGUAGE.md §3, §8).

Every expected date below was worked out by hand from a wall calendar; the
comments show the reasoning.  Reference points used throughout:

* 2026-01-01 is a Thursday; 2026-05-01 a Friday; 2026-06-01 a Monday;
  2026-07-01 a Wednesday (so 2026-07-04 is a Saturday); 2025-12-25 a Thursday.
* French public holidays in 2026 (national list): 01-01, Easter Monday 04-06,
  05-01, 05-08, Ascension 05-14, Whit Monday 05-25, 07-14, 08-15, 11-01,
  11-11, 12-25.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlang.api import loads
from pactlang.base.calendars import BusinessCalendar, CalendarError, known_country
from pactlang.base.values import Duration
from pactlang.diagnostics import NO_SPAN
from pactlang.ir.models import event_model, ladder_model
from pactlang.kernel.escalation import (
    NOT_OPEN,
    RESOLVED,
    EscalationError,
    Event,
    Ladder,
    Step,
    Timeline,
    timeline,
)
from pactlang.syntax import ast

D = datetime.date
FR = BusinessCalendar("FR")
NONE = BusinessCalendar()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def two_step(amount: int, unit: str = "day") -> Ladder:
    return Ladder(
        "disputes",
        (Step("talks", within=Duration(amount, unit)), Step("court", final=True)),  # type: ignore[arg-type]
    )


# The ladder of the specification's example (LANGUAGE.md §2).
DISPUTES = Ladder(
    "disputes",
    (
        Step("managers", within=Duration(10, "business_day")),
        Step("executives", within=Duration(15, "day")),
        Step("mediation", within=Duration(30, "day")),
        Step("arbitration", final=True),
    ),
)


# ------------------------------------------------------------ calendars


def test_known_country() -> None:
    assert known_country("FR")
    assert known_country("DE")
    assert not known_country("XX")
    assert not known_country("")


def test_unknown_calendar_is_rejected() -> None:
    with pytest.raises(CalendarError, match="XX"):
        BusinessCalendar("XX")
    assert issubclass(CalendarError, ValueError)


def test_bastille_day_is_not_a_business_day_in_france_only() -> None:
    # 2026-07-14 is a Tuesday.
    assert D(2026, 7, 14).weekday() == 1
    assert not FR.is_business_day(D(2026, 7, 14))
    assert FR.holiday_name(D(2026, 7, 14)) == "Fête nationale"  # the country's language
    assert NONE.is_business_day(D(2026, 7, 14))
    assert NONE.holiday_name(D(2026, 7, 14)) is None
    # holiday names follow the requested language, business days do not change
    fr_en = BusinessCalendar("FR", "en")
    assert fr_en.holiday_name(D(2026, 7, 14)) == "National Day"
    assert not fr_en.is_business_day(D(2026, 7, 14))


def test_weekends_are_never_business_days() -> None:
    for cal in (FR, NONE):
        assert not cal.is_business_day(D(2026, 7, 4))  # Saturday
        assert not cal.is_business_day(D(2026, 7, 5))  # Sunday
        assert cal.is_business_day(D(2026, 7, 6))  # Monday


def test_why_not_business_names_every_reason() -> None:
    # 2026-11-01 (Toussaint) falls on a Sunday.
    assert FR.why_not_business(D(2026, 11, 1)) == "a Sunday and a public holiday (Toussaint)"
    assert FR.why_not_business(D(2026, 7, 4)) == "a Saturday"
    assert FR.why_not_business(D(2026, 7, 15)) is None


def test_next_business_day_is_on_or_after() -> None:
    assert NONE.next_business_day(D(2026, 7, 6)) == D(2026, 7, 6)  # Monday: itself
    assert NONE.next_business_day(D(2026, 7, 4)) == D(2026, 7, 6)  # Sat -> Mon
    assert FR.next_business_day(D(2026, 7, 14)) == D(2026, 7, 15)  # holiday -> Wed
    assert NONE.next_business_day(D(2026, 7, 14)) == D(2026, 7, 14)
    # Noël 2026 is a Friday: Fri 25 (holiday), Sat 26, Sun 27 -> Mon 28
    assert FR.next_business_day(D(2026, 12, 25)) == D(2026, 12, 28)


def test_ten_business_days_from_a_friday() -> None:
    # Friday 2026-06-05; June 2026 has no French holiday.
    # Mon 8 (1), 9 (2), 10 (3), 11 (4), Fri 12 (5), weekend,
    # Mon 15 (6), 16 (7), 17 (8), 18 (9), Fri 19 (10).
    assert D(2026, 6, 5).weekday() == 4
    assert NONE.add_business_days(D(2026, 6, 5), 10) == D(2026, 6, 19)
    assert FR.add_business_days(D(2026, 6, 5), 10) == D(2026, 6, 19)
    # one business day after a Friday is the Monday
    assert NONE.add_business_days(D(2026, 6, 5), 1) == D(2026, 6, 8)


def test_business_days_across_french_may_holidays() -> None:
    # From Thursday 2026-04-30, 10 business days:
    # with FR: Fri 1 May (Fête du Travail) skipped, weekend 2-3,
    #   Mon 4 (1), 5 (2), 6 (3), 7 (4), Fri 8 (Victoire) skipped, weekend 9-10,
    #   Mon 11 (5), 12 (6), 13 (7), Thu 14 (Ascension) skipped, Fri 15 (8),
    #   weekend 16-17, Mon 18 (9), Tue 19 (10)  -> 2026-05-19.
    # without a calendar: 1 (1), 4 (2), 5 (3), 6 (4), 7 (5), 8 (6),
    #   11 (7), 12 (8), 13 (9), 14 (10)         -> 2026-05-14.
    assert FR.add_business_days(D(2026, 4, 30), 10) == D(2026, 5, 19)
    assert NONE.add_business_days(D(2026, 4, 30), 10) == D(2026, 5, 14)


def test_business_days_across_the_year_boundary() -> None:
    # From Wednesday 2025-12-24, 5 business days:
    # FR: Thu 25 (Noël) skipped, Fri 26 (1), weekend, Mon 29 (2), 30 (3),
    #     31 (4), Thu 1 Jan 2026 (Jour de l'an) skipped, Fri 2 (5).
    # The 2026 holiday table must be consulted although the start is in 2025.
    assert FR.add_business_days(D(2025, 12, 24), 5) == D(2026, 1, 2)
    # without a calendar: 25 (1), 26 (2), 29 (3), 30 (4), 31 (5).
    assert NONE.add_business_days(D(2025, 12, 24), 5) == D(2025, 12, 31)


def test_add_zero_and_negative_business_days() -> None:
    assert FR.add_business_days(D(2026, 7, 4), 0) == D(2026, 7, 4)
    with pytest.raises(CalendarError):
        FR.add_business_days(D(2026, 7, 4), -1)


# ------------------------------------------------------- deadlines


def test_issue_case_ten_days_from_saturday_4_july_2026() -> None:
    # 2026-07-04 is a Saturday; + 10 days = Tuesday 2026-07-14, Fête nationale
    # in France, so the deadline rolls to Wednesday 2026-07-15.
    tl = timeline(two_step(10), D(2026, 7, 4), FR)
    talks = tl.step("talks")
    assert talks.start == D(2026, 7, 4)
    assert talks.deadline == D(2026, 7, 15)
    assert "10 days → 2026-07-14 is a public holiday (Fête nationale)" in talks.explanation
    assert "deadline 2026-07-15" in talks.explanation
    # without a calendar 14 July is an ordinary Tuesday
    assert timeline(two_step(10), D(2026, 7, 4), NONE).deadline_of("talks") == D(2026, 7, 14)


def test_calendar_days_roll_over_weekends() -> None:
    # Wed 2026-07-01 + 10 = Sat 07-11 -> Mon 07-13 (with or without FR).
    assert timeline(two_step(10), D(2026, 7, 1), NONE).deadline_of("talks") == D(2026, 7, 13)
    assert timeline(two_step(10), D(2026, 7, 1), FR).deadline_of("talks") == D(2026, 7, 13)
    # Thu 2026-07-02 + 10 = Sun 07-12 -> Mon 07-13.
    assert timeline(two_step(10), D(2026, 7, 2), NONE).deadline_of("talks") == D(2026, 7, 13)
    # A business day is kept: Fri 07-03 + 10 = Mon 07-13.
    assert timeline(two_step(10), D(2026, 7, 3), NONE).deadline_of("talks") == D(2026, 7, 13)


def test_calendar_days_roll_over_holiday_then_weekend() -> None:
    # Tue 2026-12-15 + 10 = Fri 12-25 (Noël) -> Sat 26, Sun 27 -> Mon 12-28.
    tl = timeline(two_step(10), D(2026, 12, 15), FR)
    assert tl.deadline_of("talks") == D(2026, 12, 28)
    text = tl.step("talks").explanation
    assert "2026-12-25 is a public holiday (Noël)" in text
    assert "2026-12-26 is a Saturday" in text
    assert "2026-12-27 is a Sunday" in text


def test_calendar_deadline_crossing_into_next_year() -> None:
    # Opened on Christmas Day (Thu 2025-12-25): the step starts that day even
    # though it is a holiday.  + 7 days = Thu 2026-01-01 (Jour de l'an) -> Fri 01-02.
    tl = timeline(two_step(7), D(2025, 12, 25), FR)
    assert tl.step("talks").start == D(2025, 12, 25)
    assert tl.deadline_of("talks") == D(2026, 1, 2)
    assert "2026-01-01 is a public holiday (Jour de l'an)" in tl.step("talks").explanation
    assert timeline(two_step(7), D(2025, 12, 25), NONE).deadline_of("talks") == D(2026, 1, 1)


def test_business_day_step_explanation_counts_skipped_days() -> None:
    tl = timeline(two_step(10, "business_day"), D(2026, 4, 30), FR)
    text = tl.step("talks").explanation
    assert tl.deadline_of("talks") == D(2026, 5, 19)
    # 19 calendar days from 04-30 to 05-19 = 10 business + 6 weekend + 3 holidays
    assert "6 weekend days" in text
    assert "3 public holidays" in text
    for holiday in ("2026-05-01", "2026-05-08", "2026-05-14"):
        assert holiday in text


# ------------------------------------------------------------ timelines


def test_spec_ladder_projection_with_french_calendar() -> None:
    # Opened Friday 2026-07-03.
    # managers, 10 business days: Mon 6 (1) .. Fri 10 (5), Mon 13 (6),
    #   Tue 14 Fête nationale skipped, 15 (7), 16 (8), 17 (9), Mon 20 (10) -> 07-20.
    # executives from Mon 07-20, 15 days -> Tue 08-04 (a business day).
    # mediation from Tue 08-04, 30 days -> Thu 09-03 (a business day).
    # arbitration from 09-03, final.
    tl = timeline(DISPUTES, D(2026, 7, 3), FR)
    got = [(r.name, r.start, r.deadline, r.outcome) for r in tl.steps]
    assert got == [
        ("managers", D(2026, 7, 3), D(2026, 7, 20), "deadline passed"),
        ("executives", D(2026, 7, 20), D(2026, 8, 4), "deadline passed"),
        ("mediation", D(2026, 8, 4), D(2026, 9, 3), "deadline passed"),
        ("arbitration", D(2026, 9, 3), None, "active"),
    ]
    assert tl.resolved_on is None
    assert tl.state is None  # no as-of date


def test_state_on_before_at_and_after_step_starts() -> None:
    tl = timeline(DISPUTES, D(2026, 7, 3), FR)
    assert tl.state_on(D(2026, 7, 2)) == NOT_OPEN  # before the opening date
    assert tl.state_on(D(2026, 7, 3)) == "managers"  # opening day
    assert tl.state_on(D(2026, 7, 19)) == "managers"
    assert tl.state_on(D(2026, 7, 20)) == "executives"  # next step starts on the deadline
    assert tl.state_on(D(2026, 8, 3)) == "executives"
    assert tl.state_on(D(2026, 8, 4)) == "mediation"
    assert tl.state_on(D(2026, 9, 2)) == "mediation"
    assert tl.state_on(D(2026, 9, 3)) == "arbitration"
    assert tl.state_on(D(2030, 1, 1)) == "arbitration"  # final: no deadline


def test_failed_then_resolved() -> None:
    # managers failed on Fri 07-10 -> executives start 07-10;
    # 07-10 + 15 = Sat 07-25 -> Sun 07-26 -> Mon 07-27.
    events = [
        Event("managers", "failed", D(2026, 7, 10)),
        Event("executives", "resolved", D(2026, 7, 20)),
    ]
    tl = timeline(DISPUTES, D(2026, 7, 3), FR, events)
    managers, executives, mediation, arbitration = tl.steps
    assert (managers.outcome, managers.ended_on) == ("failed", D(2026, 7, 10))
    assert managers.deadline == D(2026, 7, 20)  # the deadline it had
    assert executives.start == D(2026, 7, 10)
    assert executives.deadline == D(2026, 7, 27)
    assert (executives.outcome, executives.ended_on) == ("resolved", D(2026, 7, 20))
    for row in (mediation, arbitration):
        assert (row.start, row.deadline, row.outcome) == (None, None, "not reached")
    assert tl.resolved_on == D(2026, 7, 20)
    assert tl.state_on(D(2026, 7, 9)) == "managers"
    assert tl.state_on(D(2026, 7, 10)) == "executives"
    assert tl.state_on(D(2026, 7, 19)) == "executives"
    assert tl.state_on(D(2026, 7, 20)) == RESOLVED
    assert tl.state_on(D(2027, 1, 1)) == RESOLVED
    assert "failed on 2026-07-10" in managers.explanation
    assert "resolved on 2026-07-20" in executives.explanation


def test_events_on_the_deadline_day() -> None:
    # The managers deadline is 07-20: that day still belongs to managers (a
    # deadline passes at the end of its day) and executives also start on it.
    resolved = timeline(
        DISPUTES, D(2026, 7, 3), FR, [Event("managers", "resolved", D(2026, 7, 20))]
    )
    assert resolved.resolved_on == D(2026, 7, 20)
    assert resolved.step("managers").outcome == "resolved"
    # executives failed on their first day, 07-20 (Mon): mediation from 07-20,
    # + 30 days = Wed 08-19 (a business day; 08-15 is not in range).
    failed = timeline(DISPUTES, D(2026, 7, 3), FR, [Event("executives", "failed", D(2026, 7, 20))])
    assert failed.step("managers").outcome == "deadline passed"
    assert failed.step("mediation").start == D(2026, 7, 20)
    assert failed.deadline_of("mediation") == D(2026, 8, 19)
    assert failed.state_on(D(2026, 7, 20)) == "mediation"


def test_cascade_of_failures_on_one_day() -> None:
    events = [
        Event("managers", "failed", D(2026, 7, 10)),
        Event("executives", "failed", D(2026, 7, 10)),
    ]
    tl = timeline(DISPUTES, D(2026, 7, 3), FR, events)
    assert tl.step("executives").start == D(2026, 7, 10)
    assert tl.step("mediation").start == D(2026, 7, 10)
    # the state is the last step (in ladder order) started that day
    assert tl.state_on(D(2026, 7, 10)) == "mediation"


def test_resolution_in_the_final_step() -> None:
    # arbitration starts 09-03 (see the projection test)
    tl = timeline(DISPUTES, D(2026, 7, 3), FR, [Event("arbitration", "resolved", D(2026, 12, 1))])
    assert tl.step("arbitration").outcome == "resolved"
    assert tl.state_on(D(2026, 11, 30)) == "arbitration"
    assert tl.state_on(D(2026, 12, 1)) == RESOLVED


def test_as_of_outcomes() -> None:
    # managers deadline 07-20, executives deadline 08-04 (see the projection test)
    tl = timeline(DISPUTES, D(2026, 7, 3), FR, as_of=D(2026, 7, 25))
    assert [r.outcome for r in tl.steps] == [
        "deadline passed",
        "active",
        "not reached",
        "not reached",
    ]
    assert tl.state == "executives"
    # projected dates of the steps not reached yet are kept
    assert tl.step("mediation").start == D(2026, 8, 4)
    assert "not reached as of 2026-07-25" in tl.step("mediation").explanation
    # as of the deadline day itself, the next step is the active one
    on_deadline = timeline(DISPUTES, D(2026, 7, 3), FR, as_of=D(2026, 7, 20))
    assert on_deadline.step("managers").outcome == "deadline passed"
    assert on_deadline.step("executives").outcome == "active"
    before = timeline(DISPUTES, D(2026, 7, 3), FR, as_of=D(2026, 7, 1))
    assert before.state == NOT_OPEN
    assert {r.outcome for r in before.steps} == {"not reached"}


@pytest.mark.parametrize(
    ("events", "as_of", "message"),
    [
        ([Event("boss", "failed", D(2026, 7, 10))], None, "no step boss"),
        ([Event("managers", "failed", D(2026, 7, 1))], None, "before the dispute was opened"),
        (
            [
                Event("managers", "failed", D(2026, 7, 10)),
                Event("executives", "failed", D(2026, 7, 9)),
            ],
            None,
            "out of order",
        ),
        # executives only start on 07-20 (managers' deadline)
        ([Event("executives", "failed", D(2026, 7, 10))], None, "not reached by 2026-07-10"),
        ([Event("arbitration", "resolved", D(2026, 7, 10))], None, "not reached"),
        # managers ended on their deadline 07-20
        ([Event("managers", "resolved", D(2026, 7, 21))], None, "deadline 2026-07-20 passed"),
        (
            [
                Event("managers", "failed", D(2026, 7, 10)),
                Event("managers", "failed", D(2026, 7, 11)),
            ],
            None,
            "failed on 2026-07-10",
        ),
        (
            [
                Event("managers", "resolved", D(2026, 7, 10)),
                Event("executives", "failed", D(2026, 7, 11)),
            ],
            None,
            "already resolved on 2026-07-10",
        ),
        ([Event("arbitration", "failed", D(2026, 12, 1))], None, "final step"),
        ([Event("managers", "failed", D(2026, 7, 10))], D(2026, 7, 9), "after the as-of date"),
    ],
)
def test_impossible_events_are_rejected(
    events: list[Event], as_of: datetime.date | None, message: str
) -> None:
    with pytest.raises(EscalationError, match=message):
        timeline(DISPUTES, D(2026, 7, 3), FR, events, as_of=as_of)


def test_event_kind_is_checked() -> None:
    with pytest.raises(EscalationError):
        Event("managers", "won", D(2026, 7, 10))  # type: ignore[arg-type]


def test_to_json_uses_iso_dates_and_round_trips() -> None:
    events = [Event("managers", "failed", D(2026, 7, 10))]
    tl = timeline(DISPUTES, D(2026, 7, 3), FR, events, as_of=D(2026, 7, 11))
    data = json.loads(json.dumps(tl.to_json()))
    assert data["opened"] == "2026-07-03"
    assert data["calendar"] == "FR"
    assert data["state"] == "executives"
    assert data["events"] == [{"step": "managers", "kind": "failed", "date": "2026-07-10"}]
    first = data["steps"][0]
    assert first["start"] == "2026-07-03"
    assert first["deadline"] == "2026-07-20"
    assert first["outcome"] == "failed"
    assert first["within"] == "10 business days"
    assert data["steps"][-1]["deadline"] is None


def test_explain_lists_every_step() -> None:
    tl = timeline(DISPUTES, D(2026, 7, 3), FR)
    lines = tl.explain().splitlines()
    assert len(lines) == 1 + len(DISPUTES.steps)
    assert lines[1].startswith("managers: starts 2026-07-03 (Friday)")
    assert "2026-07-14 (Fête nationale)" in lines[1]


# ------------------------------------------------------------ the AST


def _ident(name: str) -> ast.Ident:
    return ast.Ident(name, NO_SPAN)


def _labels(text: str | None, **translations: str) -> ast.Labels:
    return ast.Labels(
        ast.Text(text, NO_SPAN) if text is not None else None,
        tuple(
            ast.Translation(_ident(lang), ast.Text(t, NO_SPAN), NO_SPAN)
            for lang, t in translations.items()
        ),
        NO_SPAN,
    )


def _attr(key: str, value: ast.Expr) -> ast.Attr:
    return ast.Attr(_ident(key), value, NO_SPAN)


def _step(
    name: str,
    label: str | None,
    within: tuple[int, ast.DurationUnit] | None,
    attrs: tuple[ast.Attr, ...] = (),
) -> ast.StepDecl:
    return ast.StepDecl(
        _ident(name),
        _labels(label),
        ast.DurationLit(within[0], within[1], NO_SPAN) if within else None,
        within is None,
        attrs,
        NO_SPAN,
    )


def _spec_decl() -> ast.EscalationDecl:
    """The ``disputes`` ladder of LANGUAGE.md §2, built by hand."""
    return ast.EscalationDecl(
        _ident("disputes"),
        _labels("Résolution des différends", en="Dispute resolution"),
        (
            _step("managers", "Chefs de projet", (10, "business_day")),
            _step("executives", "Directions générales", (15, "day")),
            _step(
                "mediation",
                "Médiation",
                (30, "day"),
                (_attr("institution", ast.StringLit("CMAP", NO_SPAN)),),
            ),
            _step(
                "arbitration",
                "Arbitrage",
                None,
                (
                    _attr("institution", ast.StringLit("CCI", NO_SPAN)),
                    _attr("seat", ast.StringLit("Paris", NO_SPAN)),
                    _attr("arbitrators", ast.NumberLit(Decimal(3), "3", NO_SPAN)),
                    _attr("language", ast.Name((_ident("fr"),), NO_SPAN)),
                    _attr("fee", ast.NumberLit(Decimal("1.50"), "1.50", NO_SPAN)),
                ),
            ),
        ),
        NO_SPAN,
    )


def test_ladder_model() -> None:
    ladder = ladder_model(_spec_decl())
    assert ladder == Ladder(
        "disputes",
        (
            Step("managers", "Chefs de projet", Duration(10, "business_day")),
            Step("executives", "Directions générales", Duration(15, "day")),
            Step(
                "mediation", "Médiation", Duration(30, "day"), attributes=(("institution", "CMAP"),)
            ),
            Step(
                "arbitration",
                "Arbitrage",
                None,
                final=True,
                attributes=(
                    ("institution", "CCI"),
                    ("seat", "Paris"),
                    ("arbitrators", 3),
                    ("language", "fr"),
                    ("fee", Decimal("1.50")),
                ),
            ),
        ),
        label="Résolution des différends",
        translations=(("en", "Dispute resolution"),),
    )
    assert ladder.label_in("en") == "Dispute resolution"
    assert ladder.label_in("fr") == "Résolution des différends"
    assert ladder.steps[-1].attrs["arbitrators"] == 3
    # decimals stay exact, and are strings in JSON
    tl = timeline(ladder, D(2026, 7, 3), FR)
    assert tl.to_json()["steps"][-1]["attributes"]["fee"] == "1.50"


def test_timeline_of_a_contracts_ladder_uses_its_calendar() -> None:
    contract = loads(
        """contract "Alliance" {
  currency EUR
  language fr
  calendar FR
  escalation disputes "Résolution des différends" {
    step managers "Chefs de projet" within 10 business days
    step executives "Directions générales" within 15 days
    step mediation "Médiation" within 30 days { institution "CMAP" }
    step arbitration "Arbitrage" final { institution "CCI" seat "Paris" arbitrators 3 }
  }
}
""",
        "alliance.pact",
    )
    tl = contract.program.timeline_of("disputes", D(2026, 7, 3))
    assert tl.deadline_of("managers") == D(2026, 7, 20)  # see the projection test
    with pytest.raises(EscalationError, match="no escalation ladder"):
        contract.program.timeline_of("nope", D(2026, 7, 3))


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ((), "at least one step"),
        ((Step("a", within=Duration(3, "day")),), "must be declared final"),
        ((Step("a", final=True), Step("b", final=True)), "not the last step"),
        ((Step("a", within=Duration(3, "day")), Step("a", final=True)), "declared twice"),
        ((Step("a", within=Duration(1, "month")), Step("b", final=True)), "days or business days"),
        ((Step("a", within=Duration(0, "day")), Step("b", final=True)), "at least 1 day"),
        ((Step("a"), Step("b", final=True)), "needs a deadline"),
        ((Step("a", within=Duration(3, "day"), final=True),), "cannot have a deadline"),
    ],
)
def test_invalid_ladders(steps: tuple[Step, ...], message: str) -> None:
    with pytest.raises(EscalationError, match=message):
        Ladder("x", steps)


# --------------------------------------------------------- properties

calendars = st.sampled_from(
    [NONE, FR, BusinessCalendar("DE"), BusinessCalendar("US"), BusinessCalendar("GB")]
)
dates = st.dates(min_value=D(1995, 1, 1), max_value=D(2060, 12, 31))
amounts = st.integers(min_value=1, max_value=45)


@settings(deadline=None)
@given(calendars, dates, amounts)
def test_prop_business_days_count_exactly(
    cal: BusinessCalendar, start: datetime.date, n: int
) -> None:
    end = cal.add_business_days(start, n)
    assert end > start
    assert cal.is_business_day(end)
    assert end.weekday() < 5
    between = [start + days(k) for k in range(1, (end - start).days + 1)]
    assert sum(cal.is_business_day(d) for d in between) == n


@given(dates, amounts)
def test_prop_weekdays_only_match_week_arithmetic(start: datetime.date, n: int) -> None:
    # Without a country: every 5 business days are exactly one week later
    # (from a weekday start), then the remainder is stepped over Mon-Fri.
    anchor = start
    while anchor.weekday() >= 5:  # a weekend start counts like the Friday before
        anchor -= days(1)
    weeks, rest = divmod(n, 5)
    d = anchor + days(7 * weeks)
    while rest:
        d += days(1)
        if d.weekday() < 5:
            rest -= 1
    assert NONE.add_business_days(start, n) == d


@settings(deadline=None)
@given(calendars, dates, amounts)
def test_prop_calendar_day_deadline(cal: BusinessCalendar, start: datetime.date, n: int) -> None:
    deadline = timeline(two_step(n), start, cal).deadline_of("talks")
    assert deadline is not None
    assert cal.is_business_day(deadline)
    assert deadline >= start + days(n)
    # the roll-forward is minimal: every day skipped is a non-business day
    d = start + days(n)
    while d < deadline:
        assert not cal.is_business_day(d)
        d += days(1)


@settings(deadline=None)
@given(calendars, dates, amounts)
def test_prop_business_day_deadline(cal: BusinessCalendar, start: datetime.date, n: int) -> None:
    deadline = timeline(two_step(n, "business_day"), start, cal).deadline_of("talks")
    assert deadline is not None
    assert cal.is_business_day(deadline)
    # a step of n business days is never shorter than n calendar days
    assert deadline >= start + days(n)


@st.composite
def ladders(draw: st.DrawFn) -> Ladder:
    count = draw(st.integers(min_value=1, max_value=5))
    steps = [
        Step(
            f"s{i}",
            within=Duration(draw(amounts), draw(st.sampled_from(["day", "business_day"]))),
        )
        for i in range(count - 1)
    ]
    steps.append(Step(f"s{count - 1}", final=True))
    return Ladder("l", tuple(steps))


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[Ladder, BusinessCalendar, datetime.date, list[Event]]:
    """A ladder and a plausible story: each step lets its deadline pass, fails or resolves."""
    ladder = draw(ladders())
    cal = draw(calendars)
    opened = draw(dates)
    events: list[Event] = []
    i = 0
    while True:
        row = timeline(ladder, opened, cal, events).steps[i]
        assert row.start is not None
        final = row.step.final
        action = draw(
            st.sampled_from(["stop", "resolve"] if final else ["pass", "fail", "resolve"])
        )
        if action == "stop":
            break
        if action == "pass":
            i += 1
            continue
        span = (row.deadline - row.start).days if row.deadline is not None else 90
        when = row.start + days(draw(st.integers(min_value=0, max_value=span)))
        events.append(Event(row.name, "resolved" if action == "resolve" else "failed", when))
        if action == "resolve":
            break
        i += 1
    return ladder, cal, opened, events


def _rank(tl: Timeline, state: str) -> int:
    if state == NOT_OPEN:
        return -1
    if state == RESOLVED:
        return len(tl.ladder.steps)
    index = tl.ladder.index(state)
    assert index is not None
    return index


@settings(deadline=None, max_examples=150)
@given(scenarios())
def test_prop_timeline_invariants(
    scenario: tuple[Ladder, BusinessCalendar, datetime.date, list[Event]],
) -> None:
    ladder, cal, opened, events = scenario
    tl = timeline(ladder, opened, cal, events)
    reached = [r for r in tl.steps if r.start is not None]
    assert reached[0].start == opened
    # step starts are non-decreasing, and each step starts the day the previous ended
    for prev, row in zip(reached, reached[1:], strict=False):
        assert prev.start is not None and row.start is not None
        assert prev.start <= row.start
        assert prev.ended_on == row.start
    for row in reached:
        if row.outcome == "deadline passed":
            assert row.ended_on == row.deadline
        if row.deadline is not None:
            assert cal.is_business_day(row.deadline)
    # every event is reflected in its step's outcome
    for e in events:
        row = tl.step(e.step)
        assert (row.outcome, row.ended_on) == (e.kind, e.date)
    # the resolution, if any, is the last reached step's end
    if tl.resolved_on is not None:
        assert reached[-1].outcome == "resolved"
        assert all(r.outcome == "not reached" for r in tl.steps[len(reached) :])
    else:
        assert reached[-1].outcome == "active" and reached[-1].step.final
    # the state only moves forward through the ladder
    last = max(r.start for r in reached if r.start is not None)
    end = max(last, tl.resolved_on or last) + days(3)
    d = opened - days(2)
    previous = -2
    while d <= end:
        rank = _rank(tl, tl.state_on(d))
        assert rank >= previous
        previous = rank
        d += days(1)
    # on a step's start the state is that step or a later one
    for row in reached:
        assert row.start is not None
        assert _rank(tl, tl.state_on(row.start)) >= row.index


def test_parsed_ladder_and_expectation_events() -> None:
    from pactlang.syntax.parser import parse

    source = """contract "C" {
  calendar FR
  escalation disputes "Différends" {
    step managers "Chefs de projet" within 10 business days
    step arbitration "Arbitrage" final { institution "CCI" arbitrators 3 language fr }
  }
}
test "t" {
  expect escalation disputes opened 2026-07-03 with managers failed 2026-07-10 on 2026-07-10 is arbitration
}
"""
    module, diagnostics = parse(source, "c.pact")
    assert not [d for d in diagnostics if d.is_error]
    assert module.contract is not None
    decl = next(d for d in module.contract.decls if isinstance(d, ast.EscalationDecl))
    ladder = ladder_model(decl)
    assert [s.name for s in ladder.steps] == ["managers", "arbitration"]
    assert ladder.steps[0].within == Duration(10, "business_day")
    assert ladder.steps[1].attributes == (
        ("institution", "CCI"),
        ("arbitrators", 3),
        ("language", "fr"),
    )
    expect = module.tests[0].expects[0]
    assert isinstance(expect, ast.ExpectEscalationState)
    events = [event_model(e) for e in expect.events]
    assert events == [Event("managers", "failed", D(2026, 7, 10))]
    tl = timeline(ladder, expect.opened.value, FR, events)
    assert tl.state_on(expect.on.value) == expect.state.name == "arbitration"
