"""Waterfall plans and their state (LANGUAGE.md §9): the tiers as the kernel runs
them, the state that carries cumulative payouts month to month (and across an
amendment, :func:`carry_state`), and the accessors of what was paid and
retained.  :mod:`pactlang.kernel.waterfalls` settles months against them and
re-exports every name here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pactlang.base.money import (
    from_minor,
    minor_digits,
)
from pactlang.base.values import Period

__all__ = [
    "ONCE_FIRST_PERIOD",
    "CapLine",
    "CapOf",
    "MonthRecord",
    "OnceCapOf",
    "Share",
    "Tier",
    "TierKind",
    "TierMode",
    "WaterfallInputError",
    "WaterfallPlan",
    "WaterfallPlanError",
    "WaterfallState",
    "WaterfallStateError",
    "carry_state",
    "paid",
    "paid_units",
    "retained",
    "retained_units",
    "once_number",
]

TierKind = Literal["capped", "split"]
TierMode = Literal["pro_rata", "in_order"]

#: ``cap_of(tier_index, party_or_None, cap_expr) -> value or None (missing)``.
#: ``party`` is ``None`` for the cap of a split tier.
CapOf = Callable[[int, str | None, Any], Decimal | None]

#: The callback of :func:`distribute_once`: like :data:`CapOf`, with the working
#: state first (the state being updated, which the caller's own object is not).
OnceCapOf = Callable[["WaterfallState", int, str | None, Any], Decimal | None]


#: The month :func:`distribute_once` records for a distribution into an empty state.
ONCE_FIRST_PERIOD = Period(1, 1)


def once_number(period: Period) -> int:
    """The sequence number (1, 2, …) of a distribution outside an evaluation, which
    :func:`distribute_once` records as the pseudo-month ``period`` (0001-01 is #1):
    what ``pact distribute`` shows and its errors name, since it has no month."""
    return period.index - ONCE_FIRST_PERIOD.index + 1


class WaterfallPlanError(ValueError):
    """The waterfall declaration cannot be turned into a plan (sema should have said so)."""


class WaterfallInputError(ValueError):
    """A month's input cannot be distributed; the message names the month."""

    def __init__(self, period: Period, message: str) -> None:
        super().__init__(f"{period}: {message}")
        self.period = period


class WaterfallStateError(ValueError):
    """A state that does not belong to this waterfall or is inconsistent."""


# ===================================================================== plan


@dataclass(frozen=True, slots=True)
class CapLine:
    """``pay PARTY up to CAP`` in a capped tier."""

    party: str
    cap: Any  # the cap expression, as the plan's builder gives it


@dataclass(frozen=True, slots=True)
class Share:
    """``PARTY 60%`` in a split tier: ``share`` is the exact fraction (3/5)."""

    party: str
    share: Fraction
    text: str  # the percentage as written, without the % ("60")


@dataclass(frozen=True, slots=True)
class Tier:
    index: int  # 0-based position in the waterfall
    name: str | None
    label: str | None  # the primary label, in the contract language
    kind: TierKind
    mode: TierMode | None  # capped tiers: 'pro_rata' (default) or 'in_order'; split: None
    pays: tuple[CapLine, ...]  # capped tiers, in the order written
    splits: tuple[Share, ...]  # split tiers, in the order written
    cap: Any  # split tiers: optional lifetime cap of the tier (None: no cap)
    _parties: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lines = self.pays if self.kind == "capped" else self.splits
        object.__setattr__(self, "_parties", tuple(x.party for x in lines))

    @property
    def parties(self) -> tuple[str, ...]:
        """The tier's parties in the order the tier lists them."""
        return self._parties

    @property
    def title(self) -> str:
        """``tier 1 capital``, ``tier 2 "Surplus"`` or ``tier 3``."""
        base = f"tier {self.index + 1}"
        if self.name:
            return f"{base} {self.name}"
        if self.label:
            return f'{base} "{self.label}"'
        return base

    @property
    def uncapped_split(self) -> bool:
        return self.kind == "split" and self.cap is None


@dataclass(frozen=True, slots=True)
class WaterfallPlan:
    name: str
    label: str | None
    distributes: Any  # the amount expression, as the plan's builder gives it
    tiers: tuple[Tier, ...]
    party_order: tuple[str, ...]  # contract declaration order (ties go to the earliest)
    # lookups by name, built once (10,000 parties: a linear search per payout was
    # quadratic per month)
    _ranks: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _tier_indices: dict[str, int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._ranks.update((p, i) for i, p in enumerate(self.party_order))
        self._tier_indices.update((t.name, t.index) for t in self.tiers if t.name is not None)

    def tier_index(self, name: str) -> int:
        """Index of the tier named ``name`` (``distributed(fund.pref)``); KeyError if none."""
        index = self._tier_indices.get(name)
        if index is None:
            raise KeyError(f"waterfall {self.name} has no tier named {name}")
        return index

    def rank(self, party: str) -> int:
        """The party's position in the contract's declaration order (ValueError if none)."""
        rank = self._ranks.get(party)
        if rank is None:
            raise ValueError(f"{party!r} is not a party of waterfall {self.name}")
        return rank

    @property
    def parties(self) -> tuple[str, ...]:
        """Every party the waterfall can pay, in contract declaration order."""
        used = {p for t in self.tiers for p in t.parties}
        return tuple(p for p in self.party_order if p in used)


# ==================================================================== state


@dataclass(frozen=True, slots=True)
class MonthRecord:
    """One distributed month, in minor units; ``paid[t][j]`` is aligned with
    ``WaterfallState.tier_parties[t][j]``."""

    period: Period
    amount: int
    paid: tuple[tuple[int, ...], ...]
    retained: int


@dataclass(slots=True)
class _OpenMonth:
    """The month being distributed: tiers settled so far (working data)."""

    period: Period
    amount: int
    paid: list[list[int]]


@dataclass(slots=True)
class WaterfallState:
    """Cumulative position of one waterfall, mutated by :func:`distribute_month`."""

    waterfall: str
    currency: str
    tier_names: tuple[str | None, ...]
    tier_parties: tuple[tuple[str, ...], ...]  # per tier, in the tier's order
    paid_to_date: list[list[int]]  # [tier][party] minor units, open month included
    retained_to_date: int = 0
    history: list[MonthRecord] = field(default_factory=list)
    _open: _OpenMonth | None = None
    _positions: dict[Period, int] = field(default_factory=dict)
    # lookups by name, built on first use: tier name -> position, and per tier
    # party -> position (the tiers and their parties never change)
    _tier_pos: dict[str, int] | None = field(default=None, repr=False, compare=False)
    _party_pos: list[dict[str, int]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def new(cls, plan: WaterfallPlan, currency: str) -> WaterfallState:
        minor_digits(currency)  # validates the code
        return cls(
            waterfall=plan.name,
            currency=currency,
            tier_names=tuple(t.name for t in plan.tiers),
            tier_parties=tuple(t.parties for t in plan.tiers),
            paid_to_date=[[0] * len(t.parties) for t in plan.tiers],
        )

    def copy(self) -> WaterfallState:
        if self._open is not None:
            raise WaterfallStateError("cannot copy a state in the middle of a month")
        return WaterfallState(
            waterfall=self.waterfall,
            currency=self.currency,
            tier_names=self.tier_names,
            tier_parties=self.tier_parties,
            paid_to_date=[list(row) for row in self.paid_to_date],
            retained_to_date=self.retained_to_date,
            history=list(self.history),
            _positions=dict(self._positions),
        )

    def check_plan(self, plan: WaterfallPlan) -> None:
        """Raise :class:`WaterfallStateError` unless the state has the plan's tiers."""
        if (
            self.waterfall != plan.name
            or self.tier_names != tuple(t.name for t in plan.tiers)
            or self.tier_parties != tuple(t.parties for t in plan.tiers)
        ):
            raise WaterfallStateError(
                f"the state belongs to waterfall {self.waterfall} with tiers "
                f"{_describe_tiers(self.tier_names, self.tier_parties)}, not to "
                f"{plan.name} with tiers "
                f"{_describe_tiers(tuple(t.name for t in plan.tiers), tuple(t.parties for t in plan.tiers))}"
            )

    @property
    def last_period(self) -> Period | None:
        """The latest month distributed (or being distributed)."""
        if self._open is not None:
            return self._open.period
        return self.history[-1].period if self.history else None

    @property
    def in_progress(self) -> Period | None:
        """The month being distributed, while ``cap_of`` runs; else None."""
        return self._open.period if self._open is not None else None

    def has_month(self, period: Period) -> bool:
        """Whether the month was distributed (or is being distributed)."""
        return period in self._positions or (self._open is not None and self._open.period == period)

    def party_position(self, tier: int, party: str) -> int | None:
        """The party's position in tier ``tier`` (None when the tier does not pay it)."""
        if self._party_pos is None:
            self._party_pos = [{p: j for j, p in enumerate(ps)} for ps in self.tier_parties]
        return self._party_pos[tier].get(party)

    def tier_position(self, tier: int | str) -> int:
        if isinstance(tier, str):
            if self._tier_pos is None:
                self._tier_pos = {}
                for i, name in enumerate(self.tier_names):
                    if name is not None:
                        self._tier_pos.setdefault(name, i)
            position = self._tier_pos.get(tier)
            if position is None:
                raise KeyError(f"waterfall {self.waterfall} has no tier named {tier}")
            return position
        if isinstance(tier, bool) or not 0 <= tier < len(self.tier_parties):
            raise IndexError(f"waterfall {self.waterfall} has no tier index {tier}")
        return tier

    # --------------------------------------------------------- restoring

    @classmethod
    def restore(
        cls,
        waterfall: str,
        currency: str,
        tier_names: Sequence[str | None],
        tier_parties: Sequence[Sequence[str]],
        history: Sequence[MonthRecord],
    ) -> WaterfallState:
        """A state rebuilt from its history (what :mod:`pactlang.io.state` reads back).

        Raises :class:`WaterfallStateError` when the history is inconsistent: months
        not in increasing order, rows that do not match the tiers, negative amounts,
        payouts and retained that do not add up to the month's amount."""
        minor_digits(currency)  # validates the code
        parties = tuple(tuple(p) for p in tier_parties)
        if len(tier_names) != len(parties):
            raise WaterfallStateError(f"{len(tier_names)} tier names for {len(parties)} tiers")
        state = cls(
            waterfall=waterfall,
            currency=currency,
            tier_names=tuple(tier_names),
            tier_parties=parties,
            paid_to_date=[[0] * len(p) for p in parties],
        )
        for record in history:
            where = f"month {record.period}"
            if state.history and record.period <= state.history[-1].period:
                raise WaterfallStateError(f"{where}: months out of order or repeated")
            if len(record.paid) != len(parties):
                raise WaterfallStateError(
                    f"{where}: {len(record.paid)} tiers, expected {len(parties)}"
                )
            for t, (row, tparties) in enumerate(zip(record.paid, parties, strict=True)):
                if len(row) != len(tparties):
                    raise WaterfallStateError(f"{where}, tier {t + 1}: parties do not match")
            values = [record.amount, record.retained, *(u for row in record.paid for u in row)]
            if any(u < 0 for u in values):
                raise WaterfallStateError(f"{where}: negative amount")
            if sum(map(sum, record.paid)) + record.retained != record.amount:
                raise WaterfallStateError(f"{where}: payouts and retained do not add up")
            state._record(record)
        return state

    def _record(self, record: MonthRecord) -> None:
        for t, row in enumerate(record.paid):
            for j, u in enumerate(row):
                self.paid_to_date[t][j] += u
        self.retained_to_date += record.retained
        self._positions[record.period] = len(self.history)
        self.history.append(record)


def carry_state(earlier: WaterfallState, plan: WaterfallPlan) -> WaterfallState:
    """An amending version's state of a waterfall: the months the amended
    version distributed, re-read under the new plan (docs/language.md,
    "Amendments").  Tiers are matched by name (an unnamed tier by its
    position, when that position is unnamed in both), parties by name, so
    that what a tier already paid a party counts towards its cap in the
    amending version.  What a tier or party the amending version no longer
    has was paid stays in its month, and no longer counts towards any cap."""
    state = WaterfallState.new(plan, earlier.currency)
    old_index = {name: i for i, name in enumerate(earlier.tier_names) if name is not None}
    mapping: list[int | None] = []
    for i, name in enumerate(state.tier_names):
        if name is not None:
            mapping.append(old_index.get(name))
        elif i < len(earlier.tier_names) and earlier.tier_names[i] is None:
            mapping.append(i)
        else:
            mapping.append(None)
    for record in earlier.history:
        rows: list[tuple[int, ...]] = []
        for i, parties in enumerate(state.tier_parties):
            j = mapping[i]
            if j is None:
                rows.append((0,) * len(parties))
                continue
            old_parties = earlier.tier_parties[j]
            rows.append(
                tuple(
                    record.paid[j][old_parties.index(p)] if p in old_parties else 0 for p in parties
                )
            )
        state._record(MonthRecord(record.period, record.amount, tuple(rows), record.retained))
    return state


def _describe_tiers(names: tuple[str | None, ...], parties: tuple[tuple[str, ...], ...]) -> str:
    return "; ".join(
        f"{i + 1} {n or '-'} ({', '.join(p)})"
        for i, (n, p) in enumerate(zip(names, parties, strict=True))
    )


# ================================================================ accessors


def _month_rows(state: WaterfallState, period: Period) -> Sequence[Sequence[int]] | None:
    if state._open is not None and state._open.period == period:
        return state._open.paid
    pos = state._positions.get(period)
    return None if pos is None else state.history[pos].paid


def _pick(
    state: WaterfallState, rows: Sequence[Sequence[int]], tier: int | str | None, party: str | None
) -> int:
    tiers = range(len(state.tier_parties)) if tier is None else (state.tier_position(tier),)
    total = 0
    for t in tiers:
        if party is None:
            total += sum(rows[t])
        else:
            j = state.party_position(t, party)
            if j is not None:
                total += rows[t][j]
    return total


def paid_units(
    state: WaterfallState,
    tier: int | str | None = None,
    party: str | None = None,
    period: Period | None = None,
    *,
    through: Period | None = None,
) -> int:
    """Minor units paid by the waterfall (``tier``: one tier, by index or name;
    ``party``: to one party).

    * ``period=P``: in month P only (0 when P was not distributed, see
      :meth:`WaterfallState.has_month`); the month being distributed counts
      the tiers settled so far.
    * ``through=P``: cumulative over the months up to and including P.
    * neither: to date (every month so far, the one in progress included).
    """
    if period is not None and through is not None:
        raise ValueError("give period (one month) or through (cumulative), not both")
    if period is not None:
        rows = _month_rows(state, period)
        return 0 if rows is None else _pick(state, rows, tier, party)
    if through is None:
        return _pick(state, state.paid_to_date, tier, party)
    total = sum(_pick(state, m.paid, tier, party) for m in state.history if m.period <= through)
    if state._open is not None and state._open.period <= through:
        total += _pick(state, state._open.paid, tier, party)
    return total


def paid(
    state: WaterfallState,
    tier: int | str | None = None,
    party: str | None = None,
    period: Period | None = None,
    *,
    through: Period | None = None,
) -> Decimal:
    """:func:`paid_units` as money (``distributed(fund …)`` of the language)."""
    return from_minor(paid_units(state, tier, party, period, through=through), state.currency)


def retained_units(
    state: WaterfallState, period: Period | None = None, *, through: Period | None = None
) -> int:
    """Minor units retained: in month ``period``, through a month, or to date.

    The month being distributed has retained nothing yet (retention is known
    only once the last tier is settled)."""
    if period is not None and through is not None:
        raise ValueError("give period (one month) or through (cumulative), not both")
    if period is not None:
        pos = state._positions.get(period)
        return 0 if pos is None else state.history[pos].retained
    if through is None:
        return state.retained_to_date
    return sum(m.retained for m in state.history if m.period <= through)


def retained(
    state: WaterfallState, period: Period | None = None, *, through: Period | None = None
) -> Decimal:
    """:func:`retained_units` as money (``retained(fund)`` of the language)."""
    return from_minor(retained_units(state, period, through=through), state.currency)


# ============================================================ distribution
