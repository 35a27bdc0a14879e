"""Results written from columns: the same bytes as the JSON document, and the tables."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactlang.api import load, loads
from pactlang.base.values import Period
from pactlang.report.results import evaluation_dict
from pactlang.report.stream import portfolio_pieces, result_line

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"
CASES = [
    ("alliance.pact", "alliance.csv", None),
    ("alliance.pact", "alliance_portfolio.csv", "partner"),
    ("coinvest_fund.pact", "coinvest_fund.json", None),
    ("reseller_sla.pact", "reseller_sla.csv", None),
]
WINDOWS = [(None, None), (Period(2026, 2), Period(2026, 5)), (Period(2030, 1), None)]


def reference(ev: Any, window: Any) -> str:
    return json.dumps(evaluation_dict(ev, window), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(("contract", "data", "by"), CASES)
def test_result_line_is_the_documents_json(contract: str, data: str, by: str | None) -> None:
    c = load(EX / "contracts" / contract)
    loaded = c.read_data(EX / "data" / data, by=by)
    for key, rows in loaded.datasets.items():
        ev = c.program.run(rows, key=key)
        for window in WINDOWS:
            assert result_line(ev, window) == reference(ev, window)


sys.path.insert(0, str(ROOT / "tests" / "codegen"))
from contract_gen import contracts, datasets  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_result_line_on_generated_contracts(data: st.DataObject) -> None:
    from pactlang.syntax.format import format_module

    module, measures = data.draw(contracts(), label="contract")
    c = loads(format_module(module, ""), "random.pact")
    rows = data.draw(datasets(measures, c.checked.currency), label="rows")
    try:
        ev = c.program.run(rows, key="k")
    except Exception:  # noqa: BLE001 - evaluation errors are the differential tests' business
        return
    for window in WINDOWS:
        assert result_line(ev, window) == reference(ev, window)


def test_portfolio_pieces() -> None:
    assert "".join(portfolio_pieces(iter(["{}", "{}"]), "json")) == '{"results": [\n{},\n{}\n]}\n'
    assert "".join(portfolio_pieces(iter([]), "json")) == '{"results": []}\n'
    assert "".join(portfolio_pieces(iter(["{}", "{}"]), "jsonl")) == "{}\n{}\n"


# ---------------------------------------------------------------- tables


def _eval(tmp_path: Path, fmt: str, by: str | None = "partner") -> Path:
    from pactlang.api import evaluate_to

    c = load(EX / "contracts" / "alliance.pact")
    out = tmp_path / f"out.{fmt}"
    data = EX / "data" / ("alliance_portfolio.csv" if by else "alliance.csv")
    evaluate_to(c, data, by=by, fmt=fmt, output=str(out))
    return out


def test_csv_is_the_values_table(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(_eval(tmp_path, "csv").read_text(encoding="utf-8"))))
    head = rows[0]
    assert head[:2] == ["partner", "period"]
    assert "conversion" in head and "conversion_floor" in head
    c = load(EX / "contracts" / "alliance.pact")
    loaded = c.read_data(EX / "data" / "alliance_portfolio.csv", by="partner")
    evs = [c.program.run(r, key=k) for k, r in loaded.datasets.items()]
    assert len(rows) - 1 == sum(ev.n for ev in evs)
    first = evs[0]
    conv = head.index("conversion")
    want = evaluation_dict(first)["kpis"]["conversion"][str(first.months[0])]
    assert rows[1][conv] == (want or "")
    assert rows[1][head.index("conversion_floor")] == first.thresholds["conversion_floor"].status[0]


def test_parquet_holds_exact_texts(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(_eval(tmp_path, "parquet"))
    csv_rows = list(csv.DictReader(io.StringIO(_eval(tmp_path, "csv").read_text(encoding="utf-8"))))
    got = table.to_pylist()
    assert [{k: (v or "") for k, v in r.items()} for r in got] == csv_rows


def test_outputs_are_deterministic(tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "parquet"):
        a = _eval(tmp_path / "a", fmt) if (tmp_path / "a").mkdir() is None else None
        b = _eval(tmp_path / "b", fmt) if (tmp_path / "b").mkdir() is None else None
        assert a is not None and b is not None
        assert a.read_bytes() == b.read_bytes(), fmt
        for d in (tmp_path / "a", tmp_path / "b"):
            for f in d.iterdir():
                f.unlink()
            d.rmdir()
