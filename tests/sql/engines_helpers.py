"""Shared helpers of the engines' tests: data as plain CSV files, every engine's JSON lines."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping
from decimal import Context, Decimal, localcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the repository (CI), or two levels up (a worktree)
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "bench").is_dir()), ROOT.parent / "shared")
sys.path.insert(0, str(ROOT / "tests" / "codegen"))

from pactlang.api import Contract  # noqa: E402
from pactlang.base.values import Period  # noqa: E402


def p1_contract() -> Contract:
    """The shared benchmark's contract P1 (:data:`codegen_helpers.P1_SOURCE`)."""
    from codegen_helpers import P1_SOURCE

    from pactlang.api import loads

    return loads(P1_SOURCE, "p1.pact")


def plain_csv(path: Path, portfolio: Mapping[str, Mapping[Period, Mapping[str, Any]]], measures: Mapping[str, str]) -> Path:
    """Rows of several keys as a CSV file, each numeric column at one scale (so
    SQL can take it: the largest number of decimals of the column, exactly)."""
    names = list(measures)
    scale: dict[str, int] = {}
    for rows in portfolio.values():
        for row in rows.values():
            for n in names:
                v = row.get(n)
                if isinstance(v, Decimal) and v.is_finite():
                    exp = v.as_tuple().exponent
                    assert isinstance(exp, int)
                    scale[n] = max(scale.get(n, 0), -exp)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["key", "period", *names])
        for key, rows in portfolio.items():
            for p in sorted(rows):
                row = rows[p]
                cells = []
                for n in names:
                    v = row.get(n)
                    if v is None:
                        cells.append("")
                    elif isinstance(v, bool):
                        cells.append("true" if v else "false")
                    elif measures[n] == "count":
                        cells.append(str(int(v)))
                    else:
                        d = abs(v) if v == 0 else v
                        with localcontext(Context(prec=200)):
                            cells.append(format(d.quantize(Decimal(1).scaleb(-scale.get(n, 0))), "f"))
                w.writerow([key, str(p), *cells])
    return path


def engine_lines(contract: Contract, data: Path, engine: str, by: str | None = "key", **kw: Any) -> tuple[str, list[str]]:
    """``("ok", lines)`` of an engine (jsonl), or ``("error", message)``."""
    from pactlang.api import evaluate_to

    out = data.with_suffix(f".{engine}.jsonl")
    notes: list[str] = []
    try:
        evaluate_to(contract, data, by=by, fmt="jsonl", output=str(out), engine=engine, warn=notes.append, **kw)
    except Exception as exc:  # noqa: BLE001 - every engine must fail alike
        return "error", [f"{type(exc).__name__}: {exc}"]
    failed = [n for n in notes if " failed (" in n]
    if failed:  # an engine's own failure (the interpreter took over): a bug to show
        return "engine failed", failed
    return "ok", out.read_text(encoding="utf-8").splitlines()


def compiled_lines(contract: Contract, data: Path, by: str | None = "key") -> tuple[str, list[str]]:
    """The compiled module's JSON lines for the same data (read by the column loader)."""
    from codegen_helpers import compiled

    from pactlang.io.columns import read_columns
    from pactlang.report.stream import result_line

    module = compiled(contract.checked)
    try:
        c = contract.checked
        loaded = read_columns(data, contract.measure_specs(), currency=c.currency, effective=c.effective, until=c.until, by=by)  # type: ignore[arg-type]
        lines = []
        for key, ds in loaded.datasets.items():
            run = module.run(ds, key)
            run.warnings[:0] = [str(w) for w in loaded.warnings_for(key)]
            lines.append(result_line(run))
    except Exception as exc:  # noqa: BLE001
        return "error", [f"{type(exc).__name__}: {exc}"]
    return "ok", lines


def stacked_lines(contract: Contract, data: Path, by: str | None, engine: str) -> tuple[str, list[str]]:
    """The JSON lines of ``run_all`` (the portfolio as one run where it can be:
    kernel/stack.py) of the interpreter or of the compiled module."""
    from codegen_helpers import compiled

    from pactlang.io.columns import read_columns
    from pactlang.report.stream import result_line

    c = contract.checked
    run_all = compiled(c).run_all if engine == "compiled module" else contract.program.run_all
    try:
        loaded = read_columns(data, contract.measure_specs(), currency=c.currency, effective=c.effective, until=c.until, by=by)  # type: ignore[arg-type]
        lines = []
        for key, run in zip(loaded.datasets, run_all(list(loaded.datasets.items())), strict=True):
            run.warnings[:0] = [str(w) for w in loaded.warnings_for(key)]
            lines.append(result_line(run))
    except Exception as exc:  # noqa: BLE001
        return "error", [f"{type(exc).__name__}: {exc}"]
    return "ok", lines


def parsed(lines: list[str]) -> list[Any]:
    return [json.loads(x) for x in lines]
