"""The JSON result of ``pact eval --format json``, for every engine.

Any finished :class:`~pactlang.kernel.run.Run` — the interpreter's
evaluation or a compiled module's — is written the same way, so engines are
compared on their values, not on their printing.  The shape is declared in
:mod:`pactlang.report.schema`.  Decimals are exact strings; keys are sorted;
nothing depends on a clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pactlang.base.values import Period
from pactlang.kernel.run import Run
from pactlang.present.show import json_value

if TYPE_CHECKING:
    from pactlang.engine.evaluate import Evaluation

Window = tuple[Period | None, Period | None]


def in_window(p: Period, window: Window) -> bool:
    """Whether month ``p`` is inside the ``--from``/``--to`` window (bounds inclusive)."""
    lo, hi = window
    return (lo is None or p >= lo) and (hi is None or p <= hi)


def status_hits(ev: Run, status: str, window: Window = (None, None)) -> list[tuple[str | None, str, Period]]:
    """``--fail-on``: the checks of a run whose status is ``status``, inside the
    window — (key, threshold, month), threshold by threshold, month by month."""
    return [
        (ev.key, name, ev.months[i])
        for name, run in ev.thresholds.items()
        for i, s in enumerate(run.status)
        if s == status and run.is_check[i] and in_window(ev.months[i], window)
    ]


#: More members of a result, from a run (``pact eval --journal`` adds ``journal``).
Extra = Callable[[Run], dict[str, Any]]


def evaluation_dict(
    ev: Run, window: Window = (None, None), explain: bool = False, extra: Extra | None = None
) -> dict[str, Any]:
    """The result document of one evaluation (explanations need the interpreter's)."""
    meta = ev.meta
    idx = [i for i, p in enumerate(ev.months) if in_window(p, window)]
    months = [str(ev.months[i]) for i in idx]
    labelled = list(zip(idx, months, strict=True))

    def series(name: str) -> dict[str, Any]:
        col = ev.series[name]
        return {label: json_value(col[i]) for i, label in labelled}

    thresholds = {
        name: {
            label: {"status": run.status[i], "check": run.is_check[i], "rule": run.decided_by[i]}
            for i, label in labelled
        }
        for name, run in ev.thresholds.items()
    }
    out = small_parts(ev, window, idx)
    out.update(
        {
            "months": months,
            "measures": {n: series(n) for n in meta.measures},
            "lets": {n: series(n) for n in meta.lets},
            "kpis": {n: series(n) for n in meta.kpis},
            "thresholds": thresholds,
        }
    )
    if explain:
        from pactlang.engine.evaluate import Evaluation

        assert isinstance(ev, Evaluation), "explanations come from the interpreter"
        out["explanations"] = explanation_lines(ev, window)
    if extra is not None:
        out.update(extra(ev))
    return out


def small_parts(ev: Run, window: Window, idx: list[int]) -> dict[str, Any]:
    """The parts of a result that are not month-by-month columns: the contract,
    the key, events, waterfalls, disputes and warnings."""
    meta = ev.meta
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
    actions = [_action(e) for e in ev.events if e.kind != "pay" and in_window(e.period, window)]
    obligations = [
        {
            "period": str(e.period),
            "threshold": e.threshold,
            "rule": e.rule,
            "owner": e.party,
            "text": e.text,
            "starts": e.opened.isoformat() if e.opened else None,
            "due": e.due.isoformat() if e.due else None,
        }
        for e in ev.events
        if e.kind == "oblige" and in_window(e.period, window)
    ]
    contributions: dict[str, list[dict[str, Any]]] = {}
    for name, crun in ev.contributions.items():
        ledger: list[dict[str, Any]] = []
        for i in idx:
            c = crun.calls[i]
            ledger.append(
                {
                    "period": str(ev.months[i]),
                    "amount": json_value(c.amount) if c is not None else None,
                    "calls": {p: json_value(a) for p, a in c.calls} if c is not None else {},
                    "note": c.note if c is not None else None,
                }
            )
        contributions[name] = ledger
    term = ev.termination
    termination = (
        {
            "threshold": term.threshold,
            "rule": term.rule,
            "period": str(term.period),
            "by": term.party,
            "notice": term.notice,
            "starts": term.starts.isoformat(),
            "ends": term.ends.isoformat(),
        }
        if term is not None
        else None
    )
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
    return {
        "contract": {
            "title": meta.title,
            "id": meta.id,
            "version": meta.version,
            "currency": meta.currency,
            "effective": meta.effective.isoformat() if meta.effective else None,
            "until": meta.until.isoformat() if meta.until else None,
        },
        "key": ev.key,
        "payments": payments,
        "actions": actions,
        "waterfalls": waterfalls,
        "disputes": disputes,
        "contributions": contributions,
        "obligations": obligations,
        "termination": termination,
        "warnings": list(ev.warnings),
    }


def _action(e: Any) -> dict[str, Any]:
    """An action other than a payment; ``terminate``, ``suspend`` and ``oblige`` add
    their party, and the notice or time limit with its deadline."""
    out: dict[str, Any] = {
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
    if e.kind in ("terminate", "suspend", "oblige"):
        out["party"] = e.party
    if e.kind in ("terminate", "oblige"):
        out["within"] = str(e.within) if e.within is not None else None
        out["due"] = e.due.isoformat() if e.due else None
    return out


def explanation_lines(ev: Evaluation, window: Window = (None, None)) -> list[str]:
    from pactlang.present.explain import Explainer
    from pactlang.present.waterfall_text import month_lines

    x = Explainer(ev)
    lines: list[str] = []
    lets = varying_lets(ev)
    for i, p in enumerate(ev.months):
        if not in_window(p, window):
            continue
        for n in ev.meta.kpis:
            lines.append(x.value(n, i))
        for n in lets:
            lines.append(x.value(n, i))
        for n in ev.meta.thresholds:
            lines.append(x.status(n, i))
        for e in ev.events:
            if e.period == p:
                lines.append(x.event(e))
        for run in ev.waterfalls.values():
            d = run.distributions[i]
            if d is not None:
                lines.extend(month_lines(d, run.plan))
    for dispute in ev.disputes:
        if in_window(dispute.period, window) and dispute.timeline is not None:
            lines.append(
                f"dispute opened by {dispute.threshold} at {dispute.period}: "
                + dispute.timeline.explain().replace("\n", "; ")
            )
    return lines


def varying_lets(ev: Evaluation) -> list[str]:
    """Lets worth showing month by month: schedules and computed ones, not literals."""
    from pactlang.ir import nodes

    out = []
    for name in ev.meta.lets:
        d = ev.ir.definitions[name]
        if d.expr is not None and isinstance(d.expr, nodes.Const) and isinstance(d.expr.value, Decimal | str | bool):
            continue
        out.append(name)
    return out


def dumps(doc: Any) -> str:
    """The one JSON layout of every pact output: 2-space indent, sorted keys, UTF-8 text."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)


def evaluation_json(
    ev: Run, window: Window = (None, None), explain: bool = False, extra: Extra | None = None
) -> str:
    """One result as JSON text.

    The shape is :class:`~pactlang.report.schema.EvaluationResult`; the test suite validates outputs
    against it, so the hot path does not pay for a second validation.
    """
    return dumps(evaluation_dict(ev, window, explain, extra))


def portfolio_chunks(
    evs: Iterable[Run],
    window: Window = (None, None),
    explain: bool = False,
    extra: Extra | None = None,
) -> Iterator[str]:
    """``{"results": [...]}`` piece by piece, one compact result per line.

    A portfolio can hold thousands of results, so each is written compactly
    (Python's C encoder; keys still sorted) and never all held as objects at
    once; a single evaluation is indented for people (:func:`dumps`)."""
    yield '{"results": ['
    first = True
    for ev in evs:
        body = json.dumps(
            evaluation_dict(ev, window, explain, extra),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        yield ("\n" if first else ",\n") + body
        first = False
    yield "\n]}" if not first else "]}"


def portfolio_json(
    evs: list[Run], window: Window = (None, None), explain: bool = False
) -> str:
    return "".join(portfolio_chunks(evs, window, explain))
