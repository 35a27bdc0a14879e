"""``terminate``, ``suspend`` and ``oblige`` (LANGUAGE.md §9a): the end of the contract,
obligations with owners and due dates."""

from __future__ import annotations

from decimal import Decimal

from pactlang.api import loads
from pactlang.base.values import Period
from pactlang.report.results import evaluation_dict, explanation_lines

D = Decimal

SRC = """contract "C" {
  effective 2026-01-01
  currency EUR
  calendar FR
  party a "A"
  party b "B"
  measure x "X": number
  threshold t {
    when x > 10: breach
      => terminate by a notice 30 days
      => pay 1 EUR from b to a
      => escalate disputes
    when x > 5: watch
      => suspend b "Deliveries"
      => oblige b "Plan" within 10 business days
    otherwise: ok
  }
  escalation disputes {
    step managers within 10 days
    step arbitration final
  }
}
"""


def rows(*values: int | None) -> dict[Period, dict[str, Decimal | None]]:
    return {
        Period(2026, m): {"x": None if v is None else D(v)} for m, v in enumerate(values, start=1)
    }


def test_terminate_ends_the_contract_on_the_notice_deadline() -> None:
    """Breach in March: 31 March + 30 days = 30 April; May and June are cut."""
    ev = loads(SRC, "c.pact").evaluate(rows(1, 1, 20, 1, 20, 1))
    assert [str(p) for p in ev.months] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    doc = evaluation_dict(ev)
    assert doc["months"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert doc["termination"] == {
        "threshold": "t",
        "rule": 1,
        "period": "2026-03",
        "by": "a",
        "notice": "30 days",
        "starts": "2026-03-31",
        "ends": "2026-04-30",
    }
    assert doc["warnings"] == [
        "2026-05 .. 2026-06: after the end of the contract on 2026-04-30 (terminated by a "
        "with 30 days notice: `t` rule 1 at 2026-03), ignored"
    ]
    # May's breach happens after the end: no payment, no second termination, one dispute
    assert [p["period"] for p in doc["payments"]] == ["2026-03"]
    assert [d["opened"] for d in doc["disputes"]] == ["2026-03-31"]
    assert list(doc["thresholds"]["t"]) == doc["months"]


def test_a_notice_past_the_data_ends_nothing_yet_but_is_reported() -> None:
    ev = loads(SRC.replace("notice 30 days", "notice 90 business days"), "c.pact").evaluate(
        rows(1, 1, 20, 1)
    )
    assert len(ev.months) == 4 and ev.warnings == []
    # 90 business days from 31 March, the French holidays of spring and summer skipped
    assert ev.termination is not None and ev.termination.ends.isoformat() == "2026-08-12"


def test_the_notice_ends_on_a_business_day() -> None:
    """31 January + 30 days = 2 March (Monday); 28 February 2026 + 15 days = 15 March, a
    Sunday, moved to Monday 16 March."""
    ev = loads(SRC.replace("notice 30 days", "notice 15 days"), "c.pact").evaluate(
        rows(1, 20, 1, 1)
    )
    assert ev.termination is not None and ev.termination.ends.isoformat() == "2026-03-16"
    assert [str(p) for p in ev.months] == ["2026-01", "2026-02", "2026-03"]


def test_obligations_are_due_with_the_contracts_calendar() -> None:
    """Watch in April: 10 business days after 30 April, skipping 1 May, 8 May and
    Ascension (14 May): 19 May."""
    ev = loads(SRC, "c.pact").evaluate(rows(1, 1, 1, 7))
    doc = evaluation_dict(ev)
    assert doc["obligations"] == [
        {
            "period": "2026-04",
            "threshold": "t",
            "rule": 2,
            "owner": "b",
            "text": "Plan",
            "starts": "2026-04-30",
            "due": "2026-05-19",
        }
    ]
    kinds = [(a["kind"], a.get("party"), a.get("due")) for a in doc["actions"]]
    assert kinds == [("suspend", "b", None), ("oblige", "b", "2026-05-19")]
    lines = explanation_lines(ev)
    assert "2026-04 t rule 2: suspend b “Deliveries”" in lines
    assert "2026-04 t rule 2: oblige b “Plan”, due 2026-05-19 (10 business days after 2026-04-30)" in lines
