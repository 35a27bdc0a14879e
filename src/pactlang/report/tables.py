"""Results as tables: ``pact eval --format csv|parquet`` (docs/cli.md).

The **values table** has one row per key and month: the key column (named
after ``--by``, portfolios only), ``period``, then every measure, let and KPI
in declaration order, then every threshold's status.  A value is its exact
text, as in the JSON (``0.04545454545454545454545454545``), ``true`` /
``false``, or empty (CSV) / null (Parquet) when missing.  CSV and Parquet hold
this table (Parquet columns are strings: decimals of any scale, exactly).
The XLSX workbook is :mod:`pactlang.running`'s.

Every writer takes runs one at a time (a portfolio is never held whole).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pactlang.base.values import Value
from pactlang.kernel.run import Meta, Run
from pactlang.present.show import json_value
from pactlang.report.results import Window, in_window

__all__ = ["table_header", "table_rows", "write_csv", "write_parquet"]


def table_header(meta: Meta, by: str | None) -> list[str]:
    """The values table's columns."""
    head = [by] if by is not None else []
    return [*head, "period", *meta.measures, *meta.lets, *meta.kpis, *meta.thresholds]


def _cell(v: Value) -> str | None:
    if v is None:
        return None
    if v is True or v is False:
        return "true" if v else "false"
    out = json_value(v)
    return out if isinstance(out, str) else str(out)


def table_rows(ev: Run, by: str | None, window: Window) -> Iterator[list[str | None]]:
    """The values table's rows of one run (texts; None when missing)."""
    meta = ev.meta
    names = [*meta.measures, *meta.lets, *meta.kpis]
    cols = [ev.series[n] for n in names]
    statuses = [ev.thresholds[t].status for t in meta.thresholds if t in ev.thresholds]
    for i, p in enumerate(ev.months):
        if not in_window(p, window):
            continue
        row: list[str | None] = [ev.key] if by is not None else []
        row.append(str(p))
        row.extend(_cell(c[i]) for c in cols)
        row.extend(s[i] for s in statuses)
        yield row


def write_csv(runs: Iterable[Run], out: BinaryIO, meta: Meta, by: str | None, window: Window) -> None:
    """The values table as CSV (UTF-8, ``\\n`` line ends), written run by run."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table_header(meta, by))
    for ev in runs:
        writer.writerows(["" if c is None else c for c in row] for row in table_rows(ev, by, window))
        out.write(buf.getvalue().encode("utf-8"))
        buf.seek(0)
        buf.truncate()
    out.write(buf.getvalue().encode("utf-8"))


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        from pactlang.kernel.timeline import EvaluationError

        raise EvaluationError(["--format parquet needs pyarrow: pip install 'pactlang[parquet]'"]) from None
    return pyarrow


def write_parquet(
    runs: Iterable[Run], path: Path, meta: Meta, by: str | None, window: Window, batch: int = 65536
) -> None:
    """The values table as Parquet (string columns), a row group per ``batch`` rows."""
    pa = _pyarrow()
    header = table_header(meta, by)
    schema = pa.schema([pa.field(n, pa.string()) for n in header])
    with pa.parquet.ParquetWriter(str(path), schema, compression="zstd") as writer:
        pending: list[list[str | None]] = []

        def flush() -> None:
            cols: list[Sequence[str | None]] = list(zip(*pending, strict=True)) if pending else [[] for _ in header]
            writer.write_table(pa.table([pa.array(list(c), pa.string()) for c in cols], schema=schema))
            pending.clear()

        for ev in runs:
            pending.extend(table_rows(ev, by, window))
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
