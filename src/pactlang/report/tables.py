"""Results as tables: ``pact eval --format csv|parquet|xlsx`` (docs/cli.md, "Tables").

The **values table** has one row per key and month: the key column (named
after ``--by``, portfolios only), ``period``, then every measure, let and KPI
in declaration order, then every threshold's status.  A value is its exact
text, as in the JSON (``0.04545454545454545454545454545``), ``true`` /
``false``, or empty (CSV) / null (Parquet) when missing.  CSV and Parquet hold
this table (Parquet columns are strings: decimals of any scale, exactly);
XLSX has one sheet per table — ``values``, ``statuses``, ``ledger``
(payments and other actions), ``waterfall``, ``disputes`` — with numbers as
numbers where Excel holds them exactly (at most 15 significant digits),
as text otherwise, so nothing is rounded.

Every writer takes runs one at a time (a portfolio is never held whole).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from pactlang.base.values import Value
from pactlang.kernel.run import Meta, Run
from pactlang.present.show import json_value
from pactlang.report.results import Window, in_window

__all__ = ["table_header", "table_rows", "write_csv", "write_parquet", "write_xlsx"]


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


def _xlsx_value(v: object) -> object:
    """A number as a number when Excel holds it exactly (≤ 15 significant digits), else text."""
    if isinstance(v, Decimal):
        text = json_value(v)
        assert isinstance(text, str)
        digits = text.lstrip("-").replace(".", "").lstrip("0")
        if len(digits) <= 15:
            return float(text)
        return text
    return v


def write_xlsx(
    runs: Iterable[Run], path: Path, meta: Meta, by: str | None, window: Window
) -> None:
    """One sheet per table: values, statuses, ledger, waterfall, disputes."""
    try:
        import xlsxwriter
    except ImportError:
        from pactlang.kernel.timeline import EvaluationError

        raise EvaluationError(["--format xlsx needs xlsxwriter: pip install 'pactlang[xlsx]'"]) from None
    book = xlsxwriter.Workbook(str(path), {"constant_memory": False, "strings_to_numbers": False})
    when = meta.effective or datetime.date(2000, 1, 1)
    book.set_properties({"created": datetime.datetime(when.year, when.month, when.day)})
    key = [by] if by is not None else []
    sheets: dict[str, tuple[Any, list[int]]] = {}
    headers = {
        "values": [*key, "period", *meta.measures, *meta.lets, *meta.kpis, *meta.thresholds],
        "statuses": [*key, "period", "threshold", "status", "check", "rule"],
        "ledger": [*key, "period", "threshold", "rule", "kind", "from", "to", "amount", "label", "once", "note", "ladder", "opened", "parties", "text"],
        "waterfall": [*key, "waterfall", "period", "amount", "tier", "party", "paid", "retained"],
        "disputes": [*key, "ladder", "opened", "threshold", "period", "step", "start", "deadline"],
    }
    for name, head in headers.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, head)
        sheets[name] = (sheet, [1])

    def put(name: str, row: Sequence[object]) -> None:
        sheet, at = sheets[name]
        for c, v in enumerate(row):
            v = _xlsx_value(v)
            if v is None:
                continue
            if isinstance(v, bool):
                sheet.write_boolean(at[0], c, v)
            elif isinstance(v, float):
                sheet.write_number(at[0], c, v)
            else:
                sheet.write_string(at[0], c, str(v))
        at[0] += 1

    for ev in runs:
        k = [ev.key] if by is not None else []
        names = [*meta.measures, *meta.lets, *meta.kpis]
        for i, p in enumerate(ev.months):
            if not in_window(p, window):
                continue
            vals: list[object] = [
                v if isinstance(v, Decimal | bool) or v is None else json_value(v)
                for v in (ev.series[n][i] for n in names)
            ]
            put("values", [*k, str(p), *vals, *(ev.thresholds[t].status[i] for t in meta.thresholds)])
            for tname in meta.thresholds:
                run = ev.thresholds[tname]
                put("statuses", [*k, str(p), tname, run.status[i], run.is_check[i], run.decided_by[i]])
        for e in ev.events:
            if not in_window(e.period, window):
                continue
            put("ledger", [
                *k, str(e.period), e.threshold, e.rule, e.kind, e.payer, e.payee, e.amount, e.label,
                e.once, e.note, e.ladder, e.opened.isoformat() if e.opened else None,
                ", ".join(e.parties) or None, e.text,
            ])
        for wname, wrun in ev.waterfalls.items():
            for i, d in enumerate(wrun.distributions):
                if d is None or not in_window(ev.months[i], window):
                    continue
                for number, tier in enumerate(d.tiers, start=1):
                    for pay in tier.payouts:
                        put("waterfall", [*k, wname, str(d.period), d.amount, number, pay.party, pay.amount, d.retained])
        for dsp in ev.disputes:
            if not in_window(dsp.period, window):
                continue
            steps = dsp.timeline.steps if dsp.timeline else ()
            for s in steps:
                put("disputes", [
                    *k, dsp.ladder, dsp.opened.isoformat(), dsp.threshold, str(dsp.period), s.name,
                    s.start.isoformat() if s.start else None, s.deadline.isoformat() if s.deadline else None,
                ])
    book.close()
