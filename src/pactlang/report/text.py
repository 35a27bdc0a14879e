"""The readable ``pact eval`` output: rich tables, colour only on terminals."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from pactlang.base.values import Period
from pactlang.engine.evaluate import Evaluation
from pactlang.present.show import show
from pactlang.present.tables import console
from pactlang.report.results import in_window

STATUS_STYLE = {
    "ok": "green",
    "watch": "yellow",
    "breach": "bold red",
    "bonus": "cyan",
    "no-data": "dim",
}


def print_evaluation(
    ev: Evaluation,
    window: tuple[Period | None, Period | None] = (None, None),
    explain: bool = False,
    *,
    color: bool = False,
    file: Any = None,
) -> None:
    con = console(color, file)
    cc = ev.contract
    cur = cc.currency
    title = cc.title + (f" — {ev.key}" if ev.key else "")
    ident = " · ".join(x for x in (cc.id, f"version {cc.version}" if cc.version else None) if x)
    con.print(f"[bold]{_esc(title)}[/bold]" + (f"  ({_esc(ident)})" if ident else ""))
    idx = [i for i, p in enumerate(ev.months) if in_window(p, window)]
    if not idx:
        con.print("no data months inside the contract term")
        for w in ev.warnings:
            con.print(f"warning: {_esc(w)}")
        return
    con.print(f"{ev.months[idx[0]]} → {ev.months[idx[-1]]}, {len(idx)} month(s), amounts in {cur}")

    table = Table(title="Monthly values and statuses", title_justify="left")
    table.add_column("month", no_wrap=True)
    from pactlang.report.results import varying_lets

    value_names = [*cc.kpis, *varying_lets(ev)]
    for n in value_names:
        table.add_column(n, justify="right")
    for n in cc.thresholds:
        table.add_column(n, justify="center")
    for i in idx:
        row = [str(ev.months[i])]
        for n in value_names:
            typ = cc.value_types.get(n)
            row.append(_esc(show(ev.env.series[n][i], typ, cur, places=2)).replace(f" {cur}", ""))
        for run in ev.thresholds.values():
            s = run.status[i]
            text = "—" if s is None else s + ("" if run.is_check[i] else " ·")
            style = STATUS_STYLE.get(s or "", "")
            row.append(f"[{style}]{text}[/{style}]" if style else text)
        table.add_row(*row)
    con.print(table)
    if any(not r.is_check[i] for r in ev.thresholds.values() for i in idx):
        con.print("[dim]· status kept from the last check[/dim]")

    pays = [e for e in ev.events if e.kind == "pay" and in_window(e.period, window)]
    if pays:
        t = Table(title="Payments ledger", title_justify="left")
        for col in ("month", "threshold", "rule", "from", "to", "amount", "label"):
            t.add_column(col, justify="right" if col == "amount" else "left")
        for e in pays:
            amount = show(e.amount, None, cur) if e.amount is not None else "—"
            from pactlang.base.types import Type

            if e.amount is not None:
                amount = show(e.amount, Type.MONEY, cur)
            t.add_row(
                str(e.period),
                e.threshold,
                str(e.rule or "otherwise"),
                e.payer or "",
                e.payee or "",
                amount,
                _esc(e.label or "") + (" (once)" if e.once else ""),
            )
        con.print(t)
    others = [e for e in ev.events if e.kind != "pay" and in_window(e.period, window)]
    if others:
        t = Table(title="Actions", title_justify="left")
        for col in ("month", "threshold", "rule", "action"):
            t.add_column(col)
        for e in others:
            if e.kind == "escalate":
                what = f"escalate {e.ladder} (dispute opened {e.opened})"
            elif e.kind == "notify":
                what = "notify " + ", ".join(e.parties)
            elif e.kind == "terminate":
                what = f"terminate by {e.party}, {e.within} notice: the contract ends on {e.due}"
            elif e.kind == "suspend":
                what = f"suspend {e.party}: “{e.text}”"
            elif e.kind == "oblige":
                what = f"oblige {e.party}: “{e.text}”, due {e.due}"
            else:
                what = f"“{e.text}”"
            t.add_row(str(e.period), e.threshold, str(e.rule or "otherwise"), _esc(what))
        con.print(t)
    for name, wrun in ev.waterfalls.items():
        parties = list(wrun.plan.parties)
        t = Table(title=f"Waterfall {name}", title_justify="left")
        t.add_column("month")
        t.add_column("amount", justify="right")
        for p in parties:
            t.add_column(p, justify="right")
        t.add_column("retained", justify="right")
        for i in idx:
            d = wrun.distributions[i]
            if d is None:
                t.add_row(str(ev.months[i]), "missing", *["—"] * len(parties), "—")
                continue
            t.add_row(
                str(ev.months[i]),
                show(d.amount, _money(), cur).replace(f" {cur}", ""),
                *[show(d.paid(party=p), _money(), cur).replace(f" {cur}", "") for p in parties],
                show(d.retained, _money(), cur).replace(f" {cur}", ""),
            )
        con.print(t)
    for name, crun in ev.contributions.items():
        parties = list(crun.plan.parties)
        t = Table(title=f"Contribution {name}", title_justify="left")
        t.add_column("month")
        t.add_column("called", justify="right")
        for p in parties:
            t.add_column(p, justify="right")
        for i in idx:
            c = crun.calls[i]
            if c is None:
                t.add_row(str(ev.months[i]), "missing", *["—"] * len(parties))
                continue
            t.add_row(
                str(ev.months[i]),
                show(c.amount, _money(), cur).replace(f" {cur}", ""),
                *[show(c.of(p), _money(), cur).replace(f" {cur}", "") for p in parties],
            )
        con.print(t)
    if ev.termination is not None:
        term = ev.termination
        con.print(
            f"terminated by {term.party} ({term.threshold} at {term.period}): "
            f"{term.notice} notice from {term.starts}, the contract ends on {term.ends}"
        )
    for dispute in ev.disputes:
        if not in_window(dispute.period, window):
            continue
        t = Table(
            title=f"Dispute {dispute.ladder} opened {dispute.opened} by {dispute.threshold}",
            title_justify="left",
        )
        for col in ("step", "start", "deadline"):
            t.add_column(col)
        for step in dispute.timeline.steps if dispute.timeline else ():
            t.add_row(step.name, str(step.start or "—"), str(step.deadline or "final"))
        con.print(t)
    for w in ev.warnings:
        con.print(f"warning: {_esc(w)}")
    if explain:
        from pactlang.report.results import explanation_lines

        con.print("[bold]Explanations[/bold]")
        for line in explanation_lines(ev, window):
            con.print(_esc(line), soft_wrap=True)


def _money() -> Any:
    from pactlang.base.types import Type

    return Type.MONEY


def _esc(text: str) -> str:
    """Text for the terminal: rich markup escaped, and control, bidirectional and
    invisible characters (from data keys, labels) shown as escapes, never raw."""
    from rich.markup import escape

    from pactlang.base.text import escape_controls

    return escape(escape_controls(text))
