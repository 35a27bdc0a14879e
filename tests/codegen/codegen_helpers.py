"""Shared helpers of the code generator's tests: run a contract both ways."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

from pactlang.codegen import compile_module_source, load_module
from pactlang.engine.evaluate import ContractProgram
from pactlang.report.results import dumps, evaluation_json
from pactlang.sema.model import CheckedContract

_MODULES: dict[int, tuple[CheckedContract, types.ModuleType]] = {}

#: The shared benchmark's contract P1 (``../shared/bench/p1.pact``), so that the
#: tests built on it run where that folder is not beside the repository.
P1_SOURCE = """contract "P1" {
  effective 2022-01-01
  currency EUR
  party a "A"
  party b "B"
  measure leads_total "Leads": count
  measure leads_won "Won": count
  measure revenue "Revenue": money
  measure csat "Satisfaction": number
  kpi conversion "Conversion": percent = leads_won / leads_total
  kpi revenue_3m "Revenue, 3 months": money = sum(revenue, 3 months)
  threshold health "Health" {
    when conversion < 5% for 3 months: breach
    when conversion < 10%: watch
    otherwise: ok
  }
}
"""


def compiled(cc: CheckedContract) -> types.ModuleType:
    """The generated module of a checked contract (cached per contract object)."""
    hit = _MODULES.get(id(cc))
    if hit is None or hit[0] is not cc:
        hit = (cc, load_module(compile_module_source(cc)))
        _MODULES[id(cc)] = hit
    return hit[1]


def outcome(fn: Any) -> tuple[str, str]:
    """``("ok", json)`` or ``("error", "Type: message")``."""
    try:
        return "ok", fn()
    except Exception as exc:  # noqa: BLE001 - both sides must fail alike
        return "error", f"{type(exc).__name__}: {exc}"


def both(
    cc: CheckedContract,
    rows: Mapping[Any, Mapping[str, Any]],
    *,
    key: str | None = None,
    strict: bool = False,
    program: ContractProgram | None = None,
) -> tuple[tuple[str, str], tuple[str, str]]:
    """The interpreter's and the compiled module's results for the same rows."""
    program = program or ContractProgram(cc)
    module = compiled(cc)
    interpreted = outcome(lambda: evaluation_json(program.run(rows, key=key, strict=strict)))
    generated = outcome(lambda: dumps(module.evaluate(rows, key, strict=strict)))
    return interpreted, generated
