"""How two versions of a contract differ on the same data, month by month.

Both versions are evaluated over the same monthly rows (each by its own
program; an amending version switches at its month, see docs/language.md
"Amendments"), and their runs are compared month by month on what the
parties live by: the status of each threshold, the payments between each
pair of parties, each waterfall's payouts to each party and what it
retains, and the disputes opened.  Totals over the whole evaluation close
the comparison.  Amounts are exact decimals with the currency's minor unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pactlang.base.values import Period
from pactlang.kernel.run import Run

__all__ = ["MonthChange", "month_changes"]


@dataclass(frozen=True, slots=True)
class MonthChange:
    """One thing that differs in one month (``period`` None: a total over the
    whole evaluation).  ``kind``: ``status``, ``payment``, ``distribution``,
    ``retained``, ``dispute``."""

    period: Period | None
    kind: str
    subject: str
    old: str
    new: str

    @property
    def text(self) -> str:
        when = str(self.period) if self.period is not None else "total"
        return f"{when} {self.subject}: {self.old} → {self.new}"

    def to_json(self) -> dict[str, Any]:
        return {
            "period": None if self.period is None else str(self.period),
            "kind": self.kind,
            "subject": self.subject,
            "old": self.old,
            "new": self.new,
            "text": self.text,
        }


def _money(value: Decimal, digits: int, currency: str) -> str:
    q = Decimal(1).scaleb(-digits)
    return f"{value.quantize(q)} {currency}"


def _payments(run: Run) -> dict[tuple[Period, str, str], Decimal]:
    out: dict[tuple[Period, str, str], Decimal] = defaultdict(Decimal)
    for e in run.events:
        if e.kind == "pay" and e.amount is not None and e.payer and e.payee:
            out[(e.period, e.payer, e.payee)] += e.amount
    return out


def _disputes(run: Run) -> dict[tuple[Period, str], int]:
    out: dict[tuple[Period, str], int] = defaultdict(int)
    for d in run.disputes:
        out[(d.period, d.ladder)] += 1
    return out


def _distributions(run: Run) -> dict[tuple[Period, str, str], Decimal]:
    """(month, waterfall, party or "" for retained) → amount."""
    out: dict[tuple[Period, str, str], Decimal] = {}
    for name, w in run.waterfalls.items():
        for d in w.distributions:
            if d is None:
                continue
            for party in d.by_party():
                out[(d.period, name, party)] = d.paid(party=party)
            out[(d.period, name, "")] = d.retained
    return out


def month_changes(old: Run, new: Run, digits: int, currency: str) -> list[MonthChange]:
    """What differs between two runs over the same data: month by month in
    month order (statuses, payments, distributions, disputes), then totals."""
    out: list[MonthChange] = []
    months = sorted({*old.months, *new.months})
    thresholds = list(dict.fromkeys([*new.meta.thresholds, *old.meta.thresholds]))
    pay_o, pay_n = _payments(old), _payments(new)
    dist_o, dist_n = _distributions(old), _distributions(new)
    disp_o, disp_n = _disputes(old), _disputes(new)
    zero = Decimal(0)

    def money(v: Decimal) -> str:
        return _money(v, digits, currency)

    def status(run: Run, name: str, p: Period) -> str:
        th = run.thresholds.get(name)
        i = run.index(p)
        if th is None or i is None:
            return "—"
        return th.status[i] or "—"

    pairs = sorted({(payer, payee) for _, payer, payee in [*pay_o, *pay_n]})
    flows = list(dict.fromkeys((w, party) for _, w, party in sorted([*dist_o, *dist_n], key=_flow_order)))
    ladders = sorted({ladder for _, ladder in [*disp_o, *disp_n]})
    for p in months:
        for name in thresholds:
            a, b = status(old, name, p), status(new, name, p)
            if a != b:
                out.append(MonthChange(p, "status", name, a, b))
        for payer, payee in pairs:
            a_m = pay_o.get((p, payer, payee), zero)
            b_m = pay_n.get((p, payer, payee), zero)
            if a_m != b_m:
                out.append(MonthChange(p, "payment", f"paid {payer} → {payee}", money(a_m), money(b_m)))
        for w, party in flows:
            a_v = dist_o.get((p, w, party))
            b_v = dist_n.get((p, w, party))
            if a_v != b_v:
                kind = "retained" if not party else "distribution"
                subject = f"{w} retained" if not party else f"{w} {party}"
                out.append(
                    MonthChange(
                        p, kind, subject,
                        money(a_v) if a_v is not None else "—",
                        money(b_v) if b_v is not None else "—",
                    )
                )
        for ladder in ladders:
            a_n, b_n = disp_o.get((p, ladder), 0), disp_n.get((p, ladder), 0)
            if a_n != b_n:
                out.append(MonthChange(p, "dispute", f"dispute on {ladder}", _opened(a_n), _opened(b_n)))
    # totals over the whole evaluation
    for payer, payee in pairs:
        a_t = sum((v for (_, x, y), v in pay_o.items() if (x, y) == (payer, payee)), zero)
        b_t = sum((v for (_, x, y), v in pay_n.items() if (x, y) == (payer, payee)), zero)
        if a_t != b_t:
            out.append(MonthChange(None, "payment", f"paid {payer} → {payee}", money(a_t), money(b_t)))
    for w, party in flows:
        a_t = sum((v for (_, x, y), v in dist_o.items() if (x, y) == (w, party)), zero)
        b_t = sum((v for (_, x, y), v in dist_n.items() if (x, y) == (w, party)), zero)
        if a_t != b_t:
            kind = "retained" if not party else "distribution"
            subject = f"{w} retained" if not party else f"{w} {party}"
            out.append(MonthChange(None, kind, subject, money(a_t), money(b_t)))
    return out


def _flow_order(k: tuple[Period, str, str]) -> tuple[str, int, str]:
    _, w, party = k
    return (w, 1 if not party else 0, party)


def _opened(n: int) -> str:
    return "none" if n == 0 else ("opened" if n == 1 else f"{n} opened")
