"""``pact distribute``: one distribution through a waterfall, outside any timeline.

Caps are evaluated by the same expression compiler as ``pact eval``, on a
one-month environment whose waterfall view reads the working state, so a cap
like ``25% * distributed(fund.pref, to date)`` sees every earlier distribution
recorded in the state plus the tiers already settled in this one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pactlang.base.values import Period
from pactlang.engine.evaluate import ContractProgram
from pactlang.kernel import waterfalls as W
from pactlang.kernel.ops import Value
from pactlang.kernel.run import Run


class DistributeError(ValueError):
    pass


class _StateView:
    def __init__(self, state: W.WaterfallState, period: Period) -> None:
        self.state = state
        self.period = period

    def distributed(self, t: int, tier: str | None, party: str | None, to_date: bool) -> Value:
        if to_date:
            return W.paid(self.state, tier, party)
        return W.paid(self.state, tier, party, self.period)

    def retained(self, t: int, to_date: bool) -> Value:
        if to_date:
            return W.retained(self.state)
        return W.retained(self.state, self.period)


def distribute_once(
    program: ContractProgram, waterfall: str, amount: Decimal, state_text: str | None
) -> tuple[W.MonthDistribution, str]:
    """Distribute ``amount``; the state as JSON text in and out (``None``: a fresh
    fund).  The text is read and written by :mod:`pactlang.io.state`."""
    from pactlang.io.state import state_from_json, state_to_json

    state = None
    if state_text is not None:
        try:
            state = state_from_json(state_text)
        except W.WaterfallStateError as exc:
            raise DistributeError(f"--state: {exc}") from None
    dist, work = distribute_state(program, waterfall, amount, state)
    return dist, state_to_json(work)


def distribute_state(
    program: ContractProgram, waterfall: str, amount: Decimal, state: W.WaterfallState | None
) -> tuple[W.MonthDistribution, W.WaterfallState]:
    """Distribute ``amount`` from ``state`` (a fresh fund when None); return the
    distribution and the new state (``state`` itself is left alone).  State files
    are locked, read and written by :func:`pactlang.io.state.open_state`."""
    plan = program.plans[waterfall]
    currency = program.currency
    if state is not None:
        try:
            state.check_plan(plan)
        except W.WaterfallStateError as exc:
            raise DistributeError(f"--state: {exc}") from None
        if state.currency != currency:
            raise DistributeError(
                f"--state: the state is in {state.currency}, the contract in {currency}"
            )

    def cap_of(work: W.WaterfallState, tier: int, party: str | None, expr: Any) -> Decimal | None:
        period = work.in_progress or W.ONCE_FIRST_PERIOD
        env = Run.blank(program.meta, program.calendar, period)
        env.series.update({n: [v] for n, v in program.constants.items()})
        env.readers = {waterfall: _StateView(work, period)}
        try:
            v = program.compiler.compile(expr)(env, 0, 1)[0]
        except KeyError as exc:
            raise DistributeError(
                f"a cap of `{waterfall}` refers to `{exc.args[0]}`, which has a value only "
                "inside an evaluation over data (use `pact eval`)"
            ) from None
        if v is not None and not isinstance(v, Decimal):
            raise DistributeError(f"a cap of `{waterfall}` is not an amount: {v}")
        return v

    try:
        dist, work = W.distribute_once(plan, amount, currency, state, cap_of)
    except W.WaterfallInputError as exc:
        # outside a timeline a distribution has a sequence number, not a month
        # (its month is a placeholder: 0001-01 for the first)
        number = W.once_number(exc.period)
        message = str(exc).removeprefix(f"{exc.period}: ")
        raise DistributeError(f"distribution #{number}: {message}") from None
    except W.WaterfallStateError as exc:
        raise DistributeError(str(exc)) from None
    return dist, work
