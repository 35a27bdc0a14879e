"""Revenue waterfalls (LANGUAGE.md §9): the one module that holds their semantics.

A waterfall is turned into a plain :class:`WaterfallPlan` once, then fed month
by month with :func:`distribute_month`, which updates a mutable
:class:`WaterfallState` (cumulative payouts per tier and party, in minor
units, and the per-month history) and returns a :class:`MonthDistribution`
with every payout and the facts an auditor checks it by (each cap and what
remains of it, what was paid in earlier months, who got a remainder unit);
their wording is :mod:`pactlang.present.waterfall_text`'s.

Semantics
---------
* Each month's amount (a whole number of minor units) flows through the tiers
  in order; what passes the last tier is *retained*.
* Caps are lifetime caps.  A party's remaining cap in a capped tier is its cap
  (as evaluated this month) minus what that tier paid it in earlier months,
  never below zero.  A capped tier pays ``min(flow, sum of remaining caps)``,
  shared pro rata to the remaining caps (default) or, with ``in order``, filling
  party by party in the order the tier lists them.
* A split tier pays what flows in (up to its own remaining lifetime cap, when
  it has one), shared by its keys.
* Pro-rata and key shares that do not fall on whole minor units are settled by
  the largest-remainder method, ties to the party declared first in the
  contract (``party_order``), see :func:`pactlang.base.money.largest_remainder`.
* Caps are money expressions evaluated by the caller through the ``cap_of``
  callback, tier by tier: a tier's caps are asked for only after every earlier
  tier of the same month has been applied to the state, so a cap such as
  ``25% * distributed(fund.pref, to date)`` sees what ``pref`` paid this month.
  All caps of one tier are asked for before that tier pays anything.
* A cap value finer than the minor unit is rounded *down* to it (a cap is an
  upper bound: ``20.0025 EUR`` allows ``20.00``); a negative cap counts as 0.
* A **missing** cap (``cap_of`` returns ``None``) pays nothing: the party whose
  cap is missing gets nothing from that tier that month (the other parties of
  the tier are paid as if its remaining cap were 0); a split tier whose own cap
  is missing pays nothing that month.  Its entitlement is not consumed, so it is
  paid in later months once the cap is known.  The tier's result records it and
  :attr:`MonthDistribution.missing_caps` lists every such case, so the caller
  can warn, or fail under ``--strict``.
* A negative amount, or one finer than the currency's minor unit, is a
  :class:`WaterfallInputError` naming the month.  Months must be distributed
  in increasing order (gaps are fine).

Indices: tiers are indexed from 0 in the API (``tier=0``); the human text
(explanations, findings) numbers them from 1 (``tier 1``).

Monotonicity caveat: the total paid by each tier, the flow into each tier and
the amount retained never decrease when the month's amount grows, but the
largest-remainder method can give one party one minor unit less in a tier
(the Alabama paradox; see :mod:`pactlang.base.money`).

Plans, state and the accessors of what was paid are in
:mod:`pactlang.kernel.waterfall_plans` (re-exported here); this module settles
months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pactlang.base.money import (
    MoneyError,
    floor_minor,
    from_minor,
    largest_remainder,
    to_minor,
)
from pactlang.base.values import Period
from pactlang.kernel.waterfall_plans import (
    ONCE_FIRST_PERIOD,
    CapLine,
    CapOf,
    MonthRecord,
    OnceCapOf,
    Share,
    Tier,
    TierKind,
    TierMode,
    WaterfallInputError,
    WaterfallPlan,
    WaterfallPlanError,
    WaterfallState,
    WaterfallStateError,
    _OpenMonth,
    carry_state,
    once_number,
    paid,
    paid_units,
    retained,
    retained_units,
)

__all__ = [
    "ONCE_FIRST_PERIOD",
    "CapLine",
    "CapOf",
    "MonthDistribution",
    "MonthRecord",
    "OnceCapOf",
    "PartyPayout",
    "Share",
    "Tier",
    "TierResult",
    "WaterfallInputError",
    "WaterfallPlan",
    "WaterfallPlanError",
    "WaterfallState",
    "WaterfallStateError",
    "Settlement",
    "carry_state",
    "distribute_month",
    "open_month",
    "tier_caps",
    "distribute_once",
    "paid",
    "paid_units",
    "retained",
    "retained_units",
    "once_number",
]


@dataclass(frozen=True, slots=True)
class PartyPayout:
    party: str
    units: int
    amount: Decimal
    # capped tiers: the cap as evaluated this month (None when missing), the
    # same in whole minor units (rounded down, a negative cap as 0), what the
    # tier paid the party in earlier months, and the remaining cap before this
    # month's payment, in minor units
    cap: Decimal | None = None
    remaining: int | None = None
    cap_units: int | None = None
    earlier: int = 0
    # split tiers: the key
    share: Fraction | None = None


@dataclass(frozen=True, slots=True)
class TierResult:
    index: int
    title: str
    kind: TierKind
    mode: TierMode | None
    flow: int  # minor units flowing into the tier
    paid: int  # minor units the tier paid
    payouts: tuple[PartyPayout, ...]  # in the tier's order
    tier_cap: Decimal | None  # split tiers with a cap: its value this month
    tier_remaining: int | None  # ... and what remained of it before this month
    missing: tuple[str | None, ...]  # parties whose cap was missing (None: the tier cap)
    # split tiers with a cap: the cap in whole minor units, what the tier paid
    # in earlier months
    tier_cap_units: int | None = None
    tier_earlier: int = 0
    # the parties the largest remainder gave one minor unit more than their
    # share rounded down (pro-rata and split tiers), in the tier's order
    rounded_up: tuple[str, ...] = ()

    @property
    def passed(self) -> int:
        """Minor units passed on to the next tier (or retained after the last)."""
        return self.flow - self.paid

    def units_to(self, party: str) -> int:
        return sum(p.units for p in self.payouts if p.party == party)


@dataclass(frozen=True, slots=True)
class MonthDistribution:
    waterfall: str
    period: Period
    currency: str
    amount_units: int
    tiers: tuple[TierResult, ...]
    retained_units: int
    # per tier, party -> minor units (built on first use: asking for each party of a
    # 10,000-party waterfall by scanning the payouts was quadratic)
    _per_tier: tuple[dict[str, int], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _per_party: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def amount(self) -> Decimal:
        return from_minor(self.amount_units, self.currency)

    @property
    def retained(self) -> Decimal:
        return from_minor(self.retained_units, self.currency)

    @property
    def missing_caps(self) -> tuple[tuple[int, str | None], ...]:
        """``(tier index, party or None for a tier cap)`` for every missing cap."""
        return tuple((t.index, p) for t in self.tiers for p in t.missing)

    def units(self, tier: int | None = None, party: str | None = None) -> int:
        if party is None:
            tiers = self.tiers if tier is None else (self.tiers[tier],)
            return sum(p.units for t in tiers for p in t.payouts)
        if tier is None:
            return self._party_totals().get(party, 0)
        if self._per_tier is None:
            per_tier: list[dict[str, int]] = []
            for t in self.tiers:
                row: dict[str, int] = {}
                for p in t.payouts:
                    row[p.party] = row.get(p.party, 0) + p.units
                per_tier.append(row)
            object.__setattr__(self, "_per_tier", tuple(per_tier))
        assert self._per_tier is not None
        return self._per_tier[tier].get(party, 0)

    def paid(self, tier: int | None = None, party: str | None = None) -> Decimal:
        return from_minor(self.units(tier, party), self.currency)

    def by_party(self) -> dict[str, int]:
        """Minor units paid to each party this month (all tiers), first appearance order."""
        return dict(self._party_totals())

    def _party_totals(self) -> dict[str, int]:
        if self._per_party is None:
            out: dict[str, int] = {}
            for t in self.tiers:
                for p in t.payouts:
                    out[p.party] = out.get(p.party, 0) + p.units
            object.__setattr__(self, "_per_party", out)
        assert self._per_party is not None
        return self._per_party

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, exact decimals as strings (the facts; the documents
        with explanations are :func:`pactlang.present.waterfall_text.distribution_json`'s)."""
        cur = self.currency

        def money(u: int) -> str:
            return str(from_minor(u, cur))

        return {
            "waterfall": self.waterfall,
            "period": str(self.period),
            "currency": cur,
            "amount": money(self.amount_units),
            "tiers": [
                {
                    "index": t.index,
                    "title": t.title,
                    "kind": t.kind,
                    "mode": t.mode,
                    "flow": money(t.flow),
                    "paid": money(t.paid),
                    "passed": money(t.passed),
                    "payouts": {p.party: money(p.units) for p in t.payouts},
                    "missing_caps": [p if p is not None else "tier" for p in t.missing],
                }
                for t in self.tiers
            ],
            "by_party": {p: money(u) for p, u in self.by_party().items()},
            "retained": money(self.retained_units),
        }


def _cap_units(value: Decimal | None, period: Period, currency: str, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what}: cap_of must return a Decimal or None, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise WaterfallInputError(period, f"{what}: the cap is {value}")
    return max(0, floor_minor(value, currency))


def _ordered_shares(
    total: int, weights: Sequence[Fraction | int], ranks: Sequence[int]
) -> list[int]:
    """Largest remainder with ties to the smallest rank, results in the input order."""
    if len(weights) == 1:
        if weights[0] == 0 and total:
            raise ValueError(f"cannot share {total} over weights that are all zero")
        return [total]
    order = sorted(range(len(weights)), key=lambda i: ranks[i])
    shares = largest_remainder(total, [weights[i] for i in order])
    out = [0] * len(weights)
    for pos, i in enumerate(order):
        out[i] = shares[pos]
    return out


def _rounded_up(
    total: int,
    weights: Sequence[Fraction | int],
    shares: Sequence[int],
    parties: Sequence[str],
) -> tuple[str, ...]:
    """The parties whose share is over ``total`` × their weight rounded down:
    those the largest remainder gave a minor unit more."""
    if len(weights) == 1:
        return ()  # one share: the whole, no rounding
    wsum = sum(weights)
    if wsum == 0:
        return ()
    return tuple(
        p for p, w, s in zip(parties, weights, shares, strict=True) if s > (total * w) // wsum
    )


def _settle_capped(
    tier: Tier,
    plan: WaterfallPlan,
    state: WaterfallState,
    flow: int,
    caps: Sequence[Decimal | None],
    cap_units: Sequence[int | None],
) -> TierResult:
    cur = state.currency
    t = tier.index
    already = state.paid_to_date[t]  # earlier months only: this tier has not paid this month
    remaining = [0 if c is None else max(0, c - a) for c, a in zip(cap_units, already, strict=True)]
    total_remaining = sum(remaining)
    pay = min(flow, total_remaining)
    parties = tier.parties
    if tier.mode == "in_order":
        shares = []
        left = pay
        for r in remaining:
            take = min(left, r)
            shares.append(take)
            left -= take
    else:
        shares = _ordered_shares(pay, remaining, [plan.rank(p) for p in parties])
    missing = tuple(p for p, c in zip(parties, cap_units, strict=True) if c is None)

    rounded_up = () if tier.mode == "in_order" else _rounded_up(pay, remaining, shares, parties)
    payouts = tuple(
        PartyPayout(
            party=p,
            units=s,
            amount=from_minor(s, cur),
            cap=cap,
            remaining=r if cu is not None else None,
            cap_units=cu,
            earlier=a,
        )
        for p, s, r, cap, cu, a in zip(parties, shares, remaining, caps, cap_units, already, strict=True)
    )
    return TierResult(
        index=t,
        title=tier.title,
        kind="capped",
        mode=tier.mode,
        flow=flow,
        paid=pay,
        payouts=payouts,
        tier_cap=None,
        tier_remaining=None,
        missing=missing,
        rounded_up=rounded_up,
    )


def _settle_split(
    tier: Tier,
    plan: WaterfallPlan,
    state: WaterfallState,
    flow: int,
    cap: Decimal | None,
    cap_units: int | None,
) -> TierResult:
    cur = state.currency
    t = tier.index
    missing: tuple[str | None, ...] = ()
    tier_remaining: int | None = None
    already = 0
    if tier.cap is None:
        pay = flow
    elif cap is None or cap_units is None:
        pay = 0
        missing = (None,)
    else:
        already = sum(state.paid_to_date[t])
        tier_remaining = max(0, cap_units - already)
        pay = min(flow, tier_remaining)
    weights = [s.share for s in tier.splits]
    shares = _ordered_shares(pay, weights, [plan.rank(s.party) for s in tier.splits])
    payouts = tuple(
        PartyPayout(party=s.party, units=u, amount=from_minor(u, cur), share=s.share)
        for s, u in zip(tier.splits, shares, strict=True)
    )
    return TierResult(
        index=t,
        title=tier.title,
        kind="split",
        mode=None,
        flow=flow,
        paid=pay,
        payouts=payouts,
        tier_cap=cap if tier.cap is not None else None,
        tier_remaining=tier_remaining,
        missing=missing,
        tier_cap_units=cap_units if tier.cap is not None else None,
        tier_earlier=already,
        rounded_up=_rounded_up(pay, weights, shares, tier.parties),
    )


def _amount_units(period: Period, amount: Decimal, currency: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"{period}: the amount must be a Decimal, not {type(amount).__name__}")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise WaterfallInputError(period, f"the amount to distribute is {amount}")
    if amount < 0:
        raise WaterfallInputError(
            period, f"the amount to distribute is negative ({amount} {currency})"
        )
    try:
        return to_minor(amount, currency)
    except MoneyError as exc:
        raise WaterfallInputError(period, str(exc)) from exc


class Settlement:
    """One month being distributed, tier by tier: :func:`open_month`, then
    :meth:`settle` for each tier in order, then :meth:`close`.

    Between two tiers the state shows what the earlier tiers paid this month,
    so a cap read for a later tier (``25% * distributed(fund.pref, to date)``,
    directly or through a let) sees it.  :meth:`abort` puts the state back as
    it was before :func:`open_month`."""

    __slots__ = ("plan", "state", "period", "units", "flow", "results", "_saved")

    def __init__(self, plan: WaterfallPlan, state: WaterfallState, period: Period, units: int) -> None:
        self.plan = plan
        self.state = state
        self.period = period
        self.units = units
        self.flow = units
        self.results: list[TierResult] = []
        self._saved = ([list(r) for r in state.paid_to_date], state.retained_to_date)
        state._open = _OpenMonth(period, units, [[0] * len(t.parties) for t in plan.tiers])

    @property
    def next_tier(self) -> int:
        return len(self.results)

    def settle(self, caps: Sequence[Decimal | None]) -> TierResult:
        """Settle the next tier: ``caps`` are its cap values this month (one per
        ``pay`` line of a capped tier; the tier's own cap, or nothing, for a split)."""
        tier = self.plan.tiers[len(self.results)]
        state, period, currency = self.state, self.period, self.state.currency
        if tier.kind == "capped":
            cap_units = [
                _cap_units(c, period, currency, f"{tier.title}, cap of {line.party}")
                for c, line in zip(caps, tier.pays, strict=True)
            ]
            result = _settle_capped(tier, self.plan, state, self.flow, caps, cap_units)
        else:
            cap = caps[0] if tier.cap is not None else None
            cu = _cap_units(cap, period, currency, f"{tier.title}, tier cap")
            result = _settle_split(tier, self.plan, state, self.flow, cap, cu)
        assert state._open is not None
        for j, p in enumerate(result.payouts):
            state._open.paid[tier.index][j] = p.units
            state.paid_to_date[tier.index][j] += p.units
        self.results.append(result)
        self.flow -= result.paid
        return result

    def close(self) -> MonthDistribution:
        """Record the month (every tier settled) and return its distribution."""
        state = self.state
        assert state._open is not None and len(self.results) == len(self.plan.tiers)
        record = MonthRecord(
            period=self.period,
            amount=self.units,
            paid=tuple(tuple(row) for row in state._open.paid),
            retained=self.flow,
        )
        state._open = None
        state.retained_to_date += record.retained
        state._positions[self.period] = len(state.history)
        state.history.append(record)
        assert sum(r.paid for r in self.results) + record.retained == self.units
        dist = MonthDistribution(
            waterfall=self.plan.name,
            period=self.period,
            currency=state.currency,
            amount_units=self.units,
            tiers=tuple(self.results),
            retained_units=record.retained,
        )
        return dist

    def abort(self) -> None:
        self.state.paid_to_date, self.state.retained_to_date = self._saved
        self.state._open = None


def open_month(
    plan: WaterfallPlan, state: WaterfallState, period: Period, amount: Decimal, currency: str
) -> Settlement:
    """Start distributing ``amount`` for ``period`` (see :class:`Settlement`)."""
    state.check_plan(plan)
    if currency != state.currency:
        raise WaterfallStateError(
            f"the state is in {state.currency}, the distribution in {currency}"
        )
    if state._open is not None:
        raise WaterfallStateError(f"month {state._open.period} is still being distributed")
    last = state.last_period
    if last is not None and period <= last:
        raise WaterfallInputError(
            period,
            "already distributed"
            if state.has_month(period)
            else f"months must be distributed in order; {last} is already distributed",
        )
    return Settlement(plan, state, period, _amount_units(period, amount, currency))


def tier_caps(tier: Tier) -> tuple[Any, ...]:
    """The cap expressions :meth:`Settlement.settle` wants values for, in order."""
    if tier.kind == "capped":
        return tuple(line.cap for line in tier.pays)
    return (tier.cap,) if tier.cap is not None else ()


def distribute_month(
    plan: WaterfallPlan,
    state: WaterfallState,
    period: Period,
    amount: Decimal,
    currency: str,
    cap_of: CapOf,
) -> MonthDistribution:
    """Distribute one month's ``amount`` through the tiers and record it in ``state``.

    ``cap_of(tier_index, party, cap_expr)`` is called for each cap of a tier
    (``party`` None for a split tier's own cap) after all earlier tiers of the
    month are applied to ``state``.  If anything raises (``cap_of`` included),
    ``state`` is left as it was before the call.
    """
    month = open_month(plan, state, period, amount, currency)
    try:
        for tier in plan.tiers:
            if tier.kind == "capped":
                caps = [cap_of(tier.index, line.party, line.cap) for line in tier.pays]
            else:
                caps = [cap_of(tier.index, None, tier.cap)] if tier.cap is not None else []
            month.settle(caps)
        return month.close()
    except BaseException:
        month.abort()
        raise


def distribute_once(
    plan: WaterfallPlan,
    amount: Decimal,
    currency: str,
    state: WaterfallState | None,
    cap_of: OnceCapOf,
    *,
    period: Period | None = None,
) -> tuple[MonthDistribution, WaterfallState]:
    """One distribution (``pact distribute``), without touching ``state``.

    Works on a copy of ``state`` (a fresh state when ``None``) and returns the
    distribution with the updated copy, which the CLI saves with ``--state``.
    ``cap_of`` receives that working copy first, so caps such as
    ``distributed(fund.pref, to date)`` read it.  The distribution is recorded as
    month ``period``; by default the month after the state's last one, or
    :data:`ONCE_FIRST_PERIOD` (0001-01) for an empty state, so successive
    ``pact distribute --state`` runs form an ordinary month sequence.
    """
    work = WaterfallState.new(plan, currency) if state is None else state.copy()
    if period is None:
        last = work.last_period
        if last is None:
            period = ONCE_FIRST_PERIOD
        elif last.index + 1 > Period(9999, 12).index:
            raise WaterfallStateError(
                f"the state's last distribution is {last}: there is no later month to record"
            )
        else:
            period = last.shift(1)

    def bound(tier: int, party: str | None, expr: Any) -> Decimal | None:
        return cap_of(work, tier, party, expr)

    dist = distribute_month(plan, work, period, amount, currency, bound)
    return dist, work
