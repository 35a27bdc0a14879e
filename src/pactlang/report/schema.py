"""The shape of ``pact eval --format json``, as pydantic models.

They give ``docs/eval-result.schema.json`` (:func:`result_schema`) and the test
suite validates outputs against them; the hot path that writes results
(:mod:`pactlang.report.results`) does not import pydantic.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EvaluationResult", "PortfolioResult", "result_schema"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContractInfo(_Model):
    title: str
    id: str | None
    version: str | None
    currency: str
    effective: str | None
    until: str | None


class StatusCell(_Model):
    status: str | None = Field(
        description="ok, watch, breach, bonus, no-data, or null before the first check"
    )
    check: bool = Field(description="whether the threshold was checked this month")
    rule: int | None = Field(
        description="the rule that decided (1-based), 0 for otherwise, null for no-data"
    )


class Payment(_Model):
    period: str
    threshold: str
    rule: int
    payer: str = Field(alias="from")
    payee: str = Field(alias="to")
    amount: str | None = Field(
        description="in the currency's minor unit; null when the amount was missing"
    )
    label: str | None
    once: bool
    note: str | None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Action(_Model):
    period: str
    threshold: str
    rule: int
    kind: str = Field(description="escalate, notify, action, terminate, suspend or oblige")
    ladder: str | None = None
    opened: str | None = Field(
        default=None,
        description="escalate: the dispute's opening; terminate and oblige: the start of the "
        "notice or time limit (the last day of the month)",
    )
    parties: list[str] = []
    text: str | None = None
    once: bool
    party: str | None = Field(
        default=None, description="terminate: who terminates; suspend, oblige: whom it concerns"
    )
    within: str | None = Field(default=None, description="the notice or time limit, as written")
    due: str | None = Field(
        default=None, description="terminate: the end of the contract; oblige: the due date"
    )


class Obligation(_Model):
    period: str
    threshold: str
    rule: int
    owner: str | None = Field(description="the party that owes it")
    text: str | None
    starts: str | None = Field(description="the last day of the month checked")
    due: str | None


class ContributionMonth(_Model):
    period: str
    amount: str | None = Field(
        description="called this month, in the currency's minor unit; null when the amount "
        "or a key was missing"
    )
    calls: dict[str, str] = Field(description="party → amount called from it this month")
    note: str | None


class Termination(_Model):
    threshold: str
    rule: int
    period: str = Field(description="the month of the check that terminated")
    by: str | None
    notice: str
    starts: str = Field(description="the notice starts: the last day of that month")
    ends: str = Field(description="the notice's deadline: the end of the contract")


class WaterfallMonth(_Model):
    period: str
    amount: str | None = Field(description="the month's amount to distribute; null when missing")
    tiers: list[dict[str, str]] = Field(
        description="per tier, in order: party → amount paid this month"
    )
    paid: dict[str, str] = Field(description="party → total paid this month, all tiers")
    retained: str | None


class DisputeStep(_Model):
    step: str
    start: str | None
    deadline: str | None


class Dispute(_Model):
    ladder: str
    opened: str
    threshold: str
    period: str
    steps: list[DisputeStep]


class JournalPayment(_Model):
    period: str
    threshold: str
    rule: int
    payer: str | None = Field(alias="from")
    payee: str | None = Field(alias="to")
    computed: str | None
    status: str = Field(description="confirmed, waived, disputed or unrecorded (the last entry's)")
    waived: str | None
    due: str | None = Field(description="computed − waived")
    paid: str | None = Field(description="the confirmed amounts")
    disputed: str | None
    outstanding: str | None = Field(description="due − paid")
    date: str | None
    lines: list[int | None] = Field(description="the journal lines of the entries about it")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class JournalTotal(_Model):
    payer: str = Field(alias="from")
    payee: str = Field(alias="to")
    count: int
    computed: str | None
    waived: str | None
    due: str | None
    paid: str | None
    outstanding: str | None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class JournalStep(_Model):
    step: str
    start: str | None
    deadline: str | None
    outcome: str
    ended_on: str | None


class JournalDispute(_Model):
    ladder: str
    opened: str
    thresholds: list[str] = Field(description="the thresholds that opened it; empty with no decisions: the parties")
    decisions: list[str] = Field(
        description="the decisions (committee.decision) whose deadlock, at the journal's recorded votes, opened it"
    )
    events: list[dict[str, str]]
    resolved_on: str | None
    steps: list[JournalStep]


class JournalVote(_Model):
    date: str
    committee: str
    decision: str
    round: int
    ballots: dict[str, str]
    outcome: str = Field(description="the outcome under the decision's rule")
    recorded: str | None = Field(description="the outcome in the minutes")
    matches: bool | None
    line: int | None


class JournalAmendment(_Model):
    date: str
    title: str
    version: str | None
    signed_by: list[str]
    effective: str | None
    line: int | None


class JournalSection(_Model):
    """What the journal records, next to the evaluation (``pact eval --journal``)."""

    file: str
    payments: list[JournalPayment]
    totals: list[JournalTotal]
    disputes: list[JournalDispute]
    votes: list[JournalVote]
    amendments: list[JournalAmendment]
    warnings: list[str]


class EvaluationResult(_Model):
    contract: ContractInfo
    key: str | None
    months: list[str]
    measures: dict[str, dict[str, Any]]
    lets: dict[str, dict[str, Any]]
    kpis: dict[str, dict[str, Any]]
    thresholds: dict[str, dict[str, StatusCell]]
    payments: list[Payment]
    actions: list[Action]
    waterfalls: dict[str, list[WaterfallMonth]]
    disputes: list[Dispute]
    contributions: dict[str, list[ContributionMonth]] = Field(
        description="the ledger of each contribution: per month, what was called from whom"
    )
    obligations: list[Obligation] = Field(
        description="obligations owed by `oblige` actions, with their due dates"
    )
    termination: Termination | None = Field(
        description="the `terminate` action that ended the contract (months after its end "
        "are not evaluated), or null"
    )
    warnings: list[str]
    explanations: list[str] | None = None
    journal: JournalSection | None = None


class PortfolioResult(_Model):
    results: list[EvaluationResult]


def result_schema() -> dict[str, Any]:
    return EvaluationResult.model_json_schema(by_alias=True)
