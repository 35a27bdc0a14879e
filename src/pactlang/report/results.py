"""The JSON result of ``pact eval --format json`` (and of compiled modules).

The shape is declared by pydantic models, which validate every result before
it is printed and give ``docs/eval-result.schema.json``.  Decimals are exact
strings; keys are sorted; nothing depends on a clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pactlang.base.values import Period
from pactlang.engine.evaluate import Evaluation
from pactlang.present.show import json_value

Window = tuple[Period | None, Period | None]


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


def in_window(p: Period, window: Window) -> bool:
    """Whether month ``p`` is inside the ``--from``/``--to`` window (bounds inclusive)."""
    lo, hi = window
    return (lo is None or p >= lo) and (hi is None or p <= hi)


def evaluation_dict(
    ev: Evaluation, window: Window = (None, None), explain: bool = False
) -> dict[str, Any]:
    cc = ev.contract
    idx = [i for i, p in enumerate(ev.months) if in_window(p, window)]
    months = [str(ev.months[i]) for i in idx]
    labelled = list(zip(idx, months, strict=True))

    def series(name: str) -> dict[str, Any]:
        col = ev.env.series[name]
        return {label: json_value(col[i]) for i, label in labelled}

    thresholds = {
        name: {
            label: {"status": run.status[i], "check": run.is_check[i], "rule": run.decided_by[i]}
            for i, label in labelled
        }
        for name, run in ev.thresholds.items()
    }
    payments = [
        {
            "period": str(e.period),
            "threshold": e.threshold,
            "rule": e.rule,
            "from": e.payer,
            "to": e.payee,
            "amount": json_value(e.amount),
            "label": e.label,
            "once": e.once,
            "note": e.note,
        }
        for e in ev.events
        if e.kind == "pay" and in_window(e.period, window)
    ]
    actions = [
        {
            "period": str(e.period),
            "threshold": e.threshold,
            "rule": e.rule,
            "kind": e.kind,
            "ladder": e.ladder,
            "opened": e.opened.isoformat() if e.opened else None,
            "parties": list(e.parties),
            "text": e.text,
            "once": e.once,
        }
        for e in ev.events
        if e.kind != "pay" and in_window(e.period, window)
    ]
    waterfalls: dict[str, list[dict[str, Any]]] = {}
    for name, run in ev.waterfalls.items():
        rows: list[dict[str, Any]] = []
        for i in idx:
            d = run.distributions[i]
            if d is None:
                rows.append(
                    {
                        "period": str(ev.months[i]),
                        "amount": None,
                        "tiers": [],
                        "paid": {},
                        "retained": None,
                    }
                )
                continue
            tiers = [{p.party: json_value(p.amount) for p in t.payouts} for t in d.tiers]
            by_party = {p: json_value(d.paid(party=p)) for p in d.by_party()}
            rows.append(
                {
                    "period": str(d.period),
                    "amount": json_value(d.amount),
                    "tiers": tiers,
                    "paid": by_party,
                    "retained": json_value(d.retained),
                }
            )
        waterfalls[name] = rows
    disputes = [
        {
            "ladder": d.ladder,
            "opened": d.opened.isoformat(),
            "threshold": d.threshold,
            "period": str(d.period),
            "steps": [
                {
                    "step": s.name,
                    "start": s.start.isoformat() if s.start else None,
                    "deadline": s.deadline.isoformat() if s.deadline else None,
                }
                for s in (d.timeline.steps if d.timeline else ())
            ],
        }
        for d in ev.disputes
        if in_window(d.period, window)
    ]
    out: dict[str, Any] = {
        "contract": {
            "title": cc.title,
            "id": cc.id,
            "version": cc.version,
            "currency": cc.currency,
            "effective": cc.effective.isoformat() if cc.effective else None,
            "until": cc.until.isoformat() if cc.until else None,
        },
        "key": ev.key,
        "months": months,
        "measures": {n: series(n) for n in cc.measures},
        "lets": {n: series(n) for n in cc.lets},
        "kpis": {n: series(n) for n in cc.kpis},
        "thresholds": thresholds,
        "payments": payments,
        "actions": actions,
        "waterfalls": waterfalls,
        "disputes": disputes,
        "warnings": list(ev.warnings),
    }
    if explain:
        out["explanations"] = explanation_lines(ev, window)
    return out


def explanation_lines(ev: Evaluation, window: Window = (None, None)) -> list[str]:
    from pactlang.present.explain import Explainer

    x = Explainer(ev)
    cc = ev.contract
    lines: list[str] = []
    for i, p in enumerate(ev.months):
        if not in_window(p, window):
            continue
        for n in cc.kpis:
            lines.append(x.value(n, i))
        for n in varying_lets(cc):
            lines.append(x.value(n, i))
        for n in cc.thresholds:
            lines.append(x.status(n, i))
        for e in ev.events:
            if e.period == p:
                lines.append(x.event(e))
        for run in ev.waterfalls.values():
            d = run.distributions[i]
            if d is not None:
                lines.extend(d.explanation)
    for dispute in ev.disputes:
        if in_window(dispute.period, window) and dispute.timeline is not None:
            lines.append(
                f"dispute opened by {dispute.threshold} at {dispute.period}: "
                + dispute.timeline.explain().replace("\n", "; ")
            )
    return lines


def varying_lets(cc: Any) -> list[str]:
    """Lets worth showing month by month: schedules and computed ones, not constants."""
    from pactlang.syntax import ast

    out = []
    for name, let in cc.lets.items():
        v = let.value
        if isinstance(v, (ast.NumberLit, ast.PercentLit, ast.MoneyLit, ast.StringLit, ast.BoolLit)):
            continue
        out.append(name)
    return out


def dumps(doc: Any) -> str:
    """The one JSON layout of every pact output: 2-space indent, sorted keys, UTF-8 text."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)


def evaluation_json(ev: Evaluation, window: Window = (None, None), explain: bool = False) -> str:
    """One result as JSON text.

    The shape is :class:`EvaluationResult`; the test suite validates outputs
    against it, so the hot path does not pay for a second validation.
    """
    return dumps(evaluation_dict(ev, window, explain))


def portfolio_chunks(
    evs: Iterable[Evaluation], window: Window = (None, None), explain: bool = False
) -> Iterator[str]:
    """``{"results": [...]}`` piece by piece, one compact result per line.

    A portfolio can hold thousands of results, so each is written compactly
    (Python's C encoder; keys still sorted) and never all held as objects at
    once; a single evaluation is indented for people (:func:`dumps`)."""
    yield '{"results": ['
    first = True
    for ev in evs:
        body = json.dumps(
            evaluation_dict(ev, window, explain),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        yield ("\n" if first else ",\n") + body
        first = False
    yield "\n]}" if not first else "]}"


def portfolio_json(
    evs: list[Evaluation], window: Window = (None, None), explain: bool = False
) -> str:
    return "".join(portfolio_chunks(evs, window, explain))


def result_schema() -> dict[str, Any]:
    return EvaluationResult.model_json_schema(by_alias=True)
