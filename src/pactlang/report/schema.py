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
    kind: str = Field(description="escalate, notify or action")
    ladder: str | None = None
    opened: str | None = None
    parties: list[str] = []
    text: str | None = None
    once: bool


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
    warnings: list[str]
    explanations: list[str] | None = None


class PortfolioResult(_Model):
    results: list[EvaluationResult]


def result_schema() -> dict[str, Any]:
    return EvaluationResult.model_json_schema(by_alias=True)
