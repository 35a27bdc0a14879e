"""Contributions: amounts called from the parties by split keys, and their ledger (LANGUAGE.md §9a).

This module is the single home of contribution semantics.  A contribution is
a plain :class:`ContributionPlan` (built once by :mod:`pactlang.ir.lower`);
each month's amount and keys arrive as values already computed by the
engine, and :func:`call` settles the month:

* the amount is rounded half-even to the currency's minor unit (like a
  payment), then shared by the keys in whole minor units by the
  largest-remainder method, ties to the party declared first in the
  contract — as waterfall splits are;
* the keys of a month must be known, not negative, and total exactly 100%;
  a missing amount or a missing key calls nothing that month (the call is
  missing, and so is ``contributed`` for that month and, from then on, to
  date);
* a negative amount, or keys that do not total 100%, is an input error that
  names the contribution and the month (:class:`ContributionError`).

:class:`ContributionRun` is the ledger: one :class:`Call` (or ``None``) per
month of the timeline, read by ``contributed(c[, P][, to date])``
(:meth:`ContributionRun.contributed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from pactlang.base.money import largest_remainder
from pactlang.base.values import ZERO, Period, Value
from pactlang.kernel.ops import round_half_even

__all__ = [
    "Call",
    "ContributionError",
    "ContributionPlan",
    "ContributionRun",
    "call",
    "start",
]


class ContributionError(ValueError):
    """A month whose call cannot be made: a negative amount, keys that do not total 100%."""


@dataclass(frozen=True, slots=True)
class ContributionPlan:
    """A contribution: its name, the parties of its split (in the split's order) and
    the contract's parties in declaration order (ties of the largest remainder)."""

    name: str
    parties: tuple[str, ...]
    party_order: tuple[str, ...]
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Call:
    """One month's call: the amount (in minor-unit precision), the exact amount the
    expression gave, the keys used, and what each party is called for."""

    period: Period
    amount: Decimal
    computed: Decimal
    keys: tuple[Decimal, ...]
    calls: tuple[tuple[str, Decimal], ...]  # (party, amount), in the split's order
    note: str | None = None

    def of(self, party: str | None) -> Decimal:
        """Called from ``party`` (everyone when None)."""
        if party is None:
            return self.amount
        for p, amount in self.calls:
            if p == party:
                return amount
        return ZERO


def call(
    plan: ContributionPlan,
    period: Period,
    amount: Value,
    keys: Sequence[Value],
    digits: int,
) -> Call | None:
    """The call of one month; None when the amount or a key is missing."""
    if amount is None or any(k is None for k in keys):
        return None
    assert isinstance(amount, Decimal)
    where = f"contribution `{plan.name}` at {period}"
    rounded = round_half_even(amount, digits)
    assert isinstance(rounded, Decimal)
    if rounded < 0:
        raise ContributionError(f"{where}: the amount {amount} is negative")
    shares: list[Fraction] = []
    for party, k in zip(plan.parties, keys, strict=True):
        assert isinstance(k, Decimal)
        if k < 0:
            raise ContributionError(f"{where}: the share of {party} is negative ({k})")
        shares.append(Fraction(k))
    total = sum(shares, Fraction(0))
    if total != 1:
        shown = ", ".join(f"{p} {_percent(s)}" for p, s in zip(plan.parties, shares, strict=True))
        raise ContributionError(
            f"{where}: the shares total {_percent(total)}, not 100% ({shown})"
        )
    # the largest remainder breaks ties by position: put the parties in the
    # contract's declaration order, then back in the split's order
    order = sorted(range(len(plan.parties)), key=lambda i: _rank(plan, plan.parties[i]))
    exact = Fraction(rounded) * 10**digits
    assert exact.denominator == 1
    shared = largest_remainder(exact.numerator, [shares[i] for i in order])
    by_party: dict[str, Decimal] = {}
    for pos, i in enumerate(order):
        by_party[plan.parties[i]] = _from_units(shared[pos], digits)
    note = f"{amount} rounded half-even to the currency's minor unit" if rounded != amount else None
    return Call(
        period,
        rounded,
        amount,
        tuple(Decimal(k) for k in keys),  # type: ignore[arg-type]
        tuple((p, by_party[p]) for p in plan.parties),
        note,
    )


def _from_units(units: int, digits: int) -> Decimal:
    """Whole minor units as an exact decimal with the currency's exponent."""
    t = Decimal(units).as_tuple()
    return Decimal((t.sign, t.digits, -digits))


def _rank(plan: ContributionPlan, party: str) -> int:
    try:
        return plan.party_order.index(party)
    except ValueError:  # pragma: no cover - sema checks the parties
        return len(plan.party_order)


def _percent(f: Fraction) -> str:
    value = Decimal(f.numerator) / Decimal(f.denominator) * 100
    return f"{value.normalize():f}%"


@dataclass(slots=True)
class ContributionRun:
    """A contribution over a timeline: the ledger of its calls, month by month."""

    plan: ContributionPlan
    months: Sequence[Period]
    calls: list[Call | None] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.plan.name

    def settle(self, t: int, amount: Value, keys: Sequence[Value], digits: int) -> None:
        """Record the call of month ``t`` (months are settled in order)."""
        self.calls[t] = call(self.plan, self.months[t], amount, keys, digits)

    def contributed(self, t: int, party: str | None, to_date: bool) -> Value:
        """Called in month ``t`` (or cumulatively through it, with ``to_date``) from
        ``party`` (everyone when None); missing when a month's call is missing."""
        if not to_date:
            c = self.calls[t]
            return None if c is None else c.of(party)
        acc = ZERO
        for c in self.calls[: t + 1]:
            if c is None:
                return None
            acc = acc + c.of(party)
        return acc

    def total(self, party: str | None = None) -> Decimal:
        """Everything called over the timeline (missing months count nothing)."""
        acc = ZERO
        for c in self.calls:
            if c is not None:
                acc = acc + c.of(party)
        return acc


def start(plan: ContributionPlan, months: Sequence[Period]) -> ContributionRun:
    """A run ready for :meth:`ContributionRun.settle`, month by month."""
    return ContributionRun(plan, months, [None] * len(months))
