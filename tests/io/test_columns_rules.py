"""The column loader (io/columns.py) applies the row loader's per-value rules.

A measure reported quarterly or yearly has values in its report months only,
and a percent column whose values all lie between 1 and 100 is warned about
(LANGUAGE.md §12): the column loader reports the same problems and warnings,
in the same words and order, as :func:`pactlang.io.data.load_data`, whether a
block of rows is read a column at a time or row by row, in one pass or
streamed, and whatever the size of the blocks read.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactlang.io import columns as columns_module
from pactlang.io.columns import read_columns
from pactlang.io.data import DataError, MeasureSpec, load_data

MEASURES = [
    MeasureSpec("visits", "count"),
    MeasureSpec("fees", "money", "quarterly"),
    MeasureSpec("rate", "percent"),
    MeasureSpec("audit", "number", "yearly"),
]


def outcome(reader: Any, path: Path, **kw: Any) -> tuple[str, Any]:
    """Problems and warnings, or each key's values by month (value and text) and warnings."""
    try:
        got = reader(path, MEASURES, currency="EUR", **kw)
    except DataError as exc:
        return "error", ([str(p) for p in exc.problems], [str(w) for w in exc.warnings])
    data = {}
    for key, ds in got.datasets.items():
        if isinstance(ds, dict):  # the row loader: {month: {measure: value}}
            rows = {p: [ds[p][m.name] for m in MEASURES] for p in ds}
        else:  # the column loader: its timeline, gaps filled with missing values
            rows = {p: [ds.columns[m.name][i] for m in MEASURES] for i, p in enumerate(ds.months)}
        # a month with no value: a gap, or a row of empty cells
        kept = {p: [(v, str(v)) for v in r] for p, r in rows.items() if r.count(None) < len(r)}
        data[key] = (kept, [str(w) for w in got.warnings_for(key)])
    return "ok", (data, [str(w) for w in got.warnings])


def same(path: Path, **kw: Any) -> tuple[str, Any]:
    want = outcome(load_data, path, **kw)
    got = outcome(read_columns, path, **kw)
    assert got == want
    return got


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_quarterly_value_outside_a_report_month(tmp_path: Path) -> None:
    path = write(tmp_path, "period,visits,fees\n2026-01,1,\n2026-02,2,5\n2026-03,3,7\n")
    kind, (problems, _) = same(path)
    assert kind == "error"
    assert problems == [
        f"{path}:3:fees: 'fees' is reported quarterly (in March, June, September and December): "
        "2026-02 is not a report month; give the value in the period's last month"
    ]


def test_percent_points_are_warned_about(tmp_path: Path) -> None:
    path = write(tmp_path, "k,period,rate\na,2026-01,50\na,2026-02,\nb,2026-01,99.8\n")
    kind, (_, warnings) = same(path, by="k")
    assert kind == "ok"
    assert warnings == [
        f"{path}:2:rate: 'rate' is a percent, but every value lies between 1 and 100: a plain "
        "number is read as a fraction (99.8 is 9 980%); write percentages with % (99.8%) or as "
        "fractions (0.998)"
    ]
    path = write(tmp_path, "k,period,rate\na,2026-01,50\nb,2026-01,0.5\n")
    assert same(path, by="k")[1][1] == []


def test_problems_keep_the_row_order(tmp_path: Path) -> None:
    """Duplicates, misplaced quarterly and yearly values and months outside the
    term, in one block read a column at a time: the row loader's order."""
    text = (
        "k,period,visits,fees,audit\n"
        "a,2025-11,1,4,\n"  # outside the term, not a report month
        "a,2026-01,1,,2\n"
        "a,2026-01,1,3,\n"  # a duplicate: its value is not checked
        "a,2026-02,1,3,1\n"
        "b,2026-12,1,3,1\n"
    )
    kind, (problems, _) = same(write(tmp_path, text), by="k", effective=date(2026, 1, 1))
    assert kind == "error"
    assert [p.split(":", 2)[1:] for p in problems] == [
        ["2", "fees: 'fees' is reported quarterly (in March, June, September and December): 2025-11 is not a report month; give the value in the period's last month"],
        ["3", "audit: 'audit' is reported yearly (in December): 2026-01 is not a report month; give the value in the period's last month"],
        ["4", "period: duplicate month 2026-01 for k 'a' (first at row 3)"],
        ["5", "fees: 'fees' is reported quarterly (in March, June, September and December): 2026-02 is not a report month; give the value in the period's last month"],
        ["5", "audit: 'audit' is reported yearly (in December): 2026-02 is not a report month; give the value in the period's last month"],
    ]


def test_repeated_cells_keep_their_text(tmp_path: Path) -> None:
    """Cells that repeat are converted once per distinct text: 1.0 and 1.00 stay apart."""
    rows = "".join(f"k{i % 3},2026-{i // 3 + 1:02d},{i % 2},{['1.0', '1.00', '', '3'][i % 4]}\n" for i in range(36))
    path = write(tmp_path, "k,period,visits,rate\n" + rows)
    kind, (data, _) = same(path, by="k")
    assert kind == "ok"
    assert {t for k in data.values() for r in k[0].values() for _, t in r} >= {"1.0", "1.00", "0", "1"}


VISITS = ["0", "1", "12", "", "+3", "x"]
FEES = ["", "", "100", "1.50", "7 EUR"]
RATES = ["50", "99.8", "", "0.5", "12%", "100"]
AUDIT = ["", "", "2", "-1.5"]


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    """Mostly plain files with repeated cells, some bad cells, blank lines and
    duplicate months, sometimes without a final line end."""
    out = io.StringIO()
    out.write(draw(st.sampled_from(["", "\ufeff"])) + "k,period,visits,fees,rate,audit\n")
    bad = draw(st.integers(0, 3)) == 0
    for _ in range(draw(st.integers(1, 80))):
        if bad and draw(st.integers(0, 30)) == 0:
            out.write("\n")
            continue
        key = draw(st.sampled_from(["a", "b", "c"]))
        month = draw(st.integers(1, 24))
        cells = [
            draw(st.sampled_from(VISITS if bad else VISITS[:4])),
            draw(st.sampled_from(FEES if bad else FEES[:4])),
            draw(st.sampled_from(RATES if bad else RATES[:4] + RATES[5:])),
            draw(st.sampled_from(AUDIT)),
        ]
        out.write(f"{key},{2025 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d},{','.join(cells)}\n")
    text = out.getvalue()
    return text[:-1] if draw(st.booleans()) else text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    csv_files(),
    st.booleans(),
    st.sampled_from([1, 7, 64, 4 * 1024 * 1024]),
    st.sampled_from([None, date(2025, 6, 1)]),
)
def test_generated_files_read_alike(
    tmp_path_factory: Any, text: str, streamed: bool, block: int, effective: date | None
) -> None:
    path = tmp_path_factory.mktemp("rules") / "d.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(columns_module, "STREAM_BYTES", 0 if streamed else columns_module.STREAM_BYTES)
        mp.setattr(columns_module, "_READ_HINT", block)
        same(path, by="k", effective=effective)


def test_values_are_decimals(tmp_path: Path) -> None:
    path = write(tmp_path, "period,visits,rate\n2026-01,3,0.5\n2026-02,3,0.5\n2026-03,3,0.25\n")
    ds = read_columns(path, MEASURES, currency="EUR").datasets[None]
    assert ds.columns["visits"] == [Decimal(3)] * 3
    assert ds.columns["rate"] == [Decimal("0.5"), Decimal("0.5"), Decimal("0.25")]


def test_the_collector_is_left_as_found(tmp_path: Path) -> None:
    """The loader pauses the garbage collector and freezes the data it keeps
    while its datasets are given out: afterwards (read whole, stopped early,
    or failed) the collector is as it was, and objects frozen by the process
    stay frozen."""
    import gc

    from pactlang.io.columns import stream_columns

    good = write(tmp_path, "k,period,visits\na,2026-01,1\nb,2026-01,2\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("k,period,visits\na,2026-01,x\n", encoding="utf-8")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    read_columns(good, MEASURES, currency="EUR", by="k")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    stream = stream_columns(good, MEASURES, currency="EUR", by="k")
    next(stream)
    assert gc.isenabled() and gc.get_freeze_count() > 0  # the data kept is frozen meanwhile
    stream.close()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(DataError):
        read_columns(bad, MEASURES, currency="EUR", by="k")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        read_columns(good, MEASURES, currency="EUR", by="k")
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        read_columns(good, MEASURES, currency="EUR", by="k")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
