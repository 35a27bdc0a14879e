"""The column loader (io/columns.py) says and reads exactly what the row loader does.

Every fixture, generated CSV files with bad cells, blank rows, quoted cells,
duplicates and months outside the term, read in one pass or streamed (two
passes, key by key, interleaved keys held): the same datasets, the same
warnings and the same problems, in the same words and order.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactlang.io import columns as columns_module
from pactlang.io.columns import read_columns, stream_columns
from pactlang.io.data import DataError, MeasureSpec, load_data

FIXTURES = Path(__file__).parent / "data_fixtures"
MEASURES = [
    MeasureSpec("revenue", "money"),
    MeasureSpec("visits", "count"),
    MeasureSpec("rate", "percent"),
    MeasureSpec("active", "bool"),
    MeasureSpec("score", "number"),
]


def outcome(reader: Any, path: Path, **kw: Any) -> tuple[str, Any]:
    """What a loader gives, in comparable form: its problems, or datasets and warnings."""
    try:
        got = reader(path, MEASURES, currency="EUR", **kw)
    except DataError as exc:
        return "error", ([str(p) for p in exc.problems], [str(w) for w in exc.warnings])
    data = {}
    for key, ds in got.datasets.items():
        if isinstance(ds, dict):  # the row loader: {month: {measure: value}}
            months = list(ds)
            cols = {m.name: [ds[p][m.name] for p in months] for m in MEASURES}
        else:
            months = ds.months
            cols = {m.name: ds.columns[m.name] for m in MEASURES}
        cols = {n: [(v, str(v)) for v in c] for n, c in cols.items()}  # exponents too
        data[key] = (months, cols, [str(w) for w in got.warnings_for(key)])
    return "ok", (data, [str(w) for w in got.warnings])


def _timeline(data: dict[Any, Any]) -> dict[Any, Any]:
    """The row loader's months are those with rows; the column loader fills gaps."""
    out = {}
    for key, (months, cols, warnings) in data.items():
        keep = [i for i, _ in enumerate(months)]
        out[key] = (months, cols, warnings, keep)
    return out


def same(path: Path, **kw: Any) -> None:
    want = outcome(load_data, path, **kw)
    got = outcome(read_columns, path, **kw)
    if want[0] == "ok" and got[0] == "ok":
        # the column loader puts each key on its timeline (gaps filled with missing months)
        wdata, wwarn = want[1]
        gdata, gwarn = got[1]
        assert wwarn == gwarn
        assert list(wdata) == list(gdata)
        for key, (months, cols, warnings) in wdata.items():
            gm, gc, gw = gdata[key]
            assert gw == warnings
            where = {p: i for i, p in enumerate(gm)}
            assert set(months) <= set(gm)
            for name, col in cols.items():
                assert [gc[name][where[p]] for p in months] == col
                assert all(gc[name][i] == (None, "None") for p, i in where.items() if p not in months)
    else:
        assert got == want


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
@pytest.mark.parametrize("streamed", [False, True])
def test_fixtures_read_alike(name: str, streamed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if streamed:
        monkeypatch.setattr(columns_module, "STREAM_BYTES", 0)
    by = "partner" if "portfolio" in name else None
    same(FIXTURES / name, by=by)
    same(FIXTURES / name, by=by, effective=date(2026, 2, 1), until=date(2026, 3, 31))


CELLS = {
    "money": ["1200.50", "3", "-4.25", " 7.1 ", "", "12.5 EUR", "1e3", "abc", "1 234.50", "9" * 40],
    "count": ["0", "12", "+3", "3.0", "-1", "2.5", "", "x"],
    "percent": ["12.5%", "0.125", "", "5 %", "%"],
    "bool": ["true", "FALSE", "", "yes"],
    "number": ["1", "-2.75", ".5", "5.", "", "nan", "1,5"],
}


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bool]:
    """A CSV file with mostly good and some bad rows, as text."""
    portfolio = draw(st.booleans())
    header = (["partner"] if portfolio else []) + ["period"] + [m.name for m in MEASURES]
    bad = draw(st.integers(0, 3)) == 0
    out = io.StringIO()
    w = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    w.writerow(header)
    keys = ["a", "b", "c d", "é"]
    for _ in range(draw(st.integers(0, 40))):
        if draw(st.integers(0, 25)) == 0:
            out.write("\n")  # a blank line
            continue
        row = [draw(st.sampled_from(keys))] if portfolio else []
        month = draw(st.integers(1, 14))
        row.append(f"2026-{month:02d}" if month <= 12 else draw(st.sampled_from(["2026-13", "", "26-1"])) if bad else "2026-01")
        for m in MEASURES:
            cells = CELLS[m.type]
            row.append(draw(st.sampled_from(cells if bad else [c for c in cells[:4] if c])))
        if bad and draw(st.integers(0, 20)) == 0:
            row.append("extra")
        if draw(st.integers(0, 15)) == 0:
            row[-1] = f'"{row[-1]}\nmore"' if bad else row[-1]
        w.writerow(row)
    return out.getvalue(), portfolio


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(csv_files(), st.booleans(), st.sampled_from([None, date(2026, 3, 1)]))
def test_generated_files_read_alike(tmp_path_factory: Any, file: tuple[str, bool], streamed: bool, effective: date | None) -> None:
    text, portfolio = file
    path = tmp_path_factory.mktemp("cols") / "d.csv"
    path.write_text(text, encoding="utf-8", newline="")
    old = columns_module.STREAM_BYTES
    columns_module.STREAM_BYTES = 0 if streamed else old
    try:
        same(path, by="partner" if portfolio else None, effective=effective)
    finally:
        columns_module.STREAM_BYTES = old


def test_streamed_keys_come_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sorted keys are given out as the next key begins; interleaved keys are held whole."""
    monkeypatch.setattr(columns_module, "STREAM_BYTES", 0)
    sorted_ = tmp_path / "s.csv"
    sorted_.write_text("k,period,visits\na,2026-01,1\na,2026-02,2\nb,2026-01,3\n", encoding="utf-8")
    got = [(k, d.columns["visits"]) for k, d, _ in stream_columns(sorted_, MEASURES, currency="EUR", by="k")]
    assert got == [("a", [Decimal(1), Decimal(2)]), ("b", [Decimal(3)])]
    mixed = tmp_path / "m.csv"
    mixed.write_text("k,period,visits\na,2026-01,1\nb,2026-01,3\na,2026-02,2\n", encoding="utf-8")
    got = [(k, d.columns["visits"]) for k, d, _ in stream_columns(mixed, MEASURES, currency="EUR", by="k")]
    assert got == [("a", [Decimal(1), Decimal(2)]), ("b", [Decimal(3)])]
    dup = tmp_path / "d.csv"
    dup.write_text("k,period,visits\na,2026-01,1\nb,2026-01,3\na,2026-01,2\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        list(stream_columns(dup, MEASURES, currency="EUR", by="k"))
    assert str(err.value) == f"{dup}:4:period: duplicate month 2026-01 for k 'a' (first at row 2)"


def test_no_size_ceiling_for_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The row loader refuses files over its limit; the column loader streams them."""
    from pactlang.io import data as data_module

    path = tmp_path / "big.csv"
    path.write_text("period,visits\n" + "".join(f"2026-{m:02d},{m}\n" for m in range(1, 13)), encoding="utf-8")
    monkeypatch.setattr(data_module, "MAX_FILE_BYTES", 10)
    with pytest.raises(DataError, match="file too large"):
        load_data(path, MEASURES, currency="EUR")
    got = read_columns(path, MEASURES, currency="EUR")
    assert got.datasets[None].columns["visits"][-1] == Decimal(12)
