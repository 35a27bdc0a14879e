"""What changed in the constructs of cost sharing, further consequences and
governance (part of :mod:`pactlang.compare.meaning`): contributions (amount
and split), a measure's reporting cadence, a committee's chair and its
decisions' deadlock clauses, and the text of ``terminate``, ``suspend`` and
``oblige`` actions.
"""

from __future__ import annotations

from pactlang.compare.changes import Changes, Side
from pactlang.ir import nodes
from pactlang.kernel import committees as C
from pactlang.kernel.thresholds import ActionPlan
from pactlang.syntax import ast

__all__ = ["action_text", "committee", "contributions", "measure"]


def action_text(a: ActionPlan) -> str | None:
    """``terminate by P notice N days``, ``suspend P "…"``, ``oblige P "…" within N days``."""
    once = "once " if a.once else ""
    text = '"' + (a.text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'
    if a.kind == "terminate":
        return f"{once}terminate by {a.party} notice {a.within}"
    if a.kind == "suspend":
        return f"{once}suspend {a.party} {text}"
    if a.kind == "oblige":
        return f"{once}oblige {a.party} {text} within {a.within}"
    return None


def measure(d: Changes, name: str, a: ast.MeasureDecl, b: ast.MeasureDecl) -> None:
    if a.reported != b.reported:
        d.add("measures", f"measure {name} reported", a.reported, b.reported)


def _deadlock(x: C.Decision | None) -> str:
    if x is None or x.deadlock is None:
        return "none"
    return f"after {x.deadlock.votes} escalate {x.deadlock.ladder}"


def committee(d: Changes, name: str, a: C.Committee, b: C.Committee) -> None:
    """The chair, and each decision's deadlock clause (decisions of both versions)."""
    if a.chair != b.chair:
        d.add("committees", f"{name} chair", a.chair or "none", b.chair or "none")
    da = {x.name: x for x in a.decisions}
    for y in b.decisions:
        x = da.get(y.name)
        if x is not None and _deadlock(x) != _deadlock(y):
            d.add("committees", f"{name}.{y.name} deadlock", _deadlock(x), _deadlock(y))


def _show(side: Side, name: str, c: nodes.Contribution) -> str:
    if c.schedule is not None:
        amount = ", ".join(f"{side.text(e.value.span)} from {e.start}" for e in c.schedule)
    else:
        amount = side.text(c.amount.span) if c.amount is not None else ""
    split = ", ".join(
        f"{p} {side.text(k.span)}" for p, k in zip(c.plan.parties, c.keys, strict=True)
    )
    return f"amount {amount}; split {split}"


def contributions(d: Changes) -> None:
    """Each contribution: its amount (expression or schedule) and each party's share."""

    def compare(name: str, a: nodes.Contribution, b: nodes.Contribution) -> None:
        section = "contributions"
        if a.amount is not None and b.amount is not None:
            d.expr(section, f"{name} amount", a.amount, b.amount)
        elif a.schedule is not None and b.schedule is not None:
            sa = {e.start: e for e in a.schedule}
            sb = {e.start: e for e in b.schedule}
            for start in sorted({*sa, *sb}):
                x, y = sa.get(start), sb.get(start)
                subject = f"{name} amount from {start}"
                if x is not None and y is not None:
                    d.expr(section, subject, x.value, y.value)
                else:
                    d.add(
                        section,
                        subject,
                        d.old.text(x.value.span) if x else None,
                        d.new.text(y.value.span) if y else None,
                    )
        else:
            d.add(section, f"{name} amount", _show(d.old, name, a), _show(d.new, name, b))
        ka = dict(zip(a.plan.parties, a.keys, strict=True))
        kb = dict(zip(b.plan.parties, b.keys, strict=True))
        for party in dict.fromkeys([*ka, *kb]):
            was, now = ka.get(party), kb.get(party)
            subject = f"{name} split {party}"
            if was is not None and now is not None:
                d.expr(section, subject, was, now)
            else:
                d.add(
                    section,
                    subject,
                    d.old.text(was.span) if was else None,
                    d.new.text(now.span) if now else None,
                )

    d.by_name(
        "contributions", d.old.ir.contributions, d.new.ir.contributions, _show, compare, "contribution"
    )
