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
from pactlang.ir import nodes
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
        p = program.ir
        n = ev.n
        for step in p.steps:
            if isinstance(step, nodes.Recurrence):
                ev.recur(program.tasks[id(step)])
            elif step.kind == "value":
                name = step.name
                if name in values:
                    ev.series[name] = list(values[name])
                elif name in program.constants:
                    ev.fill_constant(name, program.constants[name])
                else:
                    ev.fill(name, program.value_fns[name])
            elif step.kind == "threshold":
                name = step.name
                got = conditions.get(name)
                if got is not None:
                    conds, amounts = [list(c) for c in got[0]], [list(a) for a in got[1]]
                else:
                    conds = [fn(ev, 0, n) for fn in program.conditions[name]]
                    amounts = [fn(ev, 0, n) for fn in program.amounts[name]]
                ev.check(p.thresholds[name].plan, conds, amounts)
            else:
                ev.distribute(program.plans[step.name], program.distributes[step.name], program.cap)
        ev.finish()
        return ev
