"""The kernel's part of an SQL engine's evaluation (docs/engines.md).

The SQL engines compute the columns they can (:mod:`pactlang.sql.plan`); for a
key whose result SQL does not give whole, :func:`finish` runs the kernel's
:class:`~pactlang.kernel.run.Run` over the key's dataset the way the
interpreter does — the same steps, the same range functions — except that the
lets, KPIs and threshold conditions SQL computed are taken as they are.
Payments, ``once``, waterfalls, recurrences and disputes are therefore always
the kernel's, in month order.  Nothing here decides a construct's meaning.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence

from pactlang.base.values import CONTEXT, Value
from pactlang.engine.evaluate import ContractProgram, Evaluation
from pactlang.kernel.timeline import Dataset

__all__ = ["finish"]

Series = list[Value]


def finish(
    program: ContractProgram,
    data: Dataset,
    key: str | None,
    values: Mapping[str, Series],
    conditions: Mapping[str, tuple[Sequence[Series], Sequence[Series]]],
    strict: bool = False,
) -> Evaluation:
    """Evaluate one key, taking ``values`` (lets, KPIs) and ``conditions``
    (a threshold's condition and amount series) from SQL."""
    with decimal.localcontext(CONTEXT):
        ev = Evaluation(program, data, key, strict)
        program.steps(ev, 0, ev.n, values=values, conditions=conditions)
        ev.finish()
        return ev
