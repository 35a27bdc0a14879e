"""The workbook (docs/workbook.md): ``pact eval|report --format xlsx``, read back
with openpyxl: typed cells, frozen headers, properties, text kept as text."""

from __future__ import annotations

import datetime
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

import pactlang
from pactlang.api import UsageError
from pactlang.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "examples" / "contracts"
DATA = ROOT / "examples" / "data"
ALLIANCE = CONTRACTS / "alliance.pact"
ALLIANCE_CSV = DATA / "alliance.csv"
PORTFOLIO_CSV = DATA / "alliance_portfolio.csv"
JOURNAL = ROOT / "examples" / "journal" / "alliance.toml"
SHEETS = ["about", "values", "statuses", "ledger", "waterfall", "disputes", "calendar"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})


def book(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def rows(ws: object) -> list[dict[str, object]]:
    it = ws.iter_rows()  # type: ignore[attr-defined]
    head = [c.value for c in next(it)]
    return [dict(zip(head, (c for c in r), strict=False)) for r in it]


@pytest.fixture(scope="module")
def alliance_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "alliance.xlsx"
    res = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--format", "xlsx", "-o", str(out))
    assert res.exit_code == 0, res.output
    return out


def test_one_sheet_per_table_with_frozen_headers(alliance_book: Path) -> None:
    wb = book(alliance_book)
    assert wb.sheetnames == SHEETS
    for name in SHEETS:
        assert wb[name].freeze_panes == "A2", name
        assert wb[name]["A1"].font.b, name


def test_cells_are_typed(alliance_book: Path) -> None:
    wb = book(alliance_book)
    [jan, *_] = rows(wb["values"])
    assert jan["period"].value == datetime.datetime(2026, 1, 1) and jan["period"].number_format == "yyyy-mm"
    assert jan["revenue"].data_type == "n" and jan["revenue"].value == 152400
    assert jan["revenue"].number_format == '#,##0.00 "EUR"'
    assert jan["leads_total"].value == 200 and isinstance(jan["leads_total"].value, int)
    assert jan["conversion"].value == pytest.approx(0.15) and jan["conversion"].number_format == "0.00%"
    assert jan["csat"].value == pytest.approx(8.2) and jan["csat"].data_type == "n"
    [pay] = [r for r in rows(wb["ledger"]) if r["kind"].value == "pay"][:1]
    assert pay["amount"].data_type == "n" and pay["amount"].value == 5000
    assert pay["amount"].number_format == '#,##0.00 "EUR"'
    assert pay["once"].data_type == "b"
    step = rows(wb["disputes"])[0]
    assert step["opened"].value == datetime.datetime(2026, 5, 31)
    assert step["deadline"].number_format == "yyyy-mm-dd"
    statuses = rows(wb["statuses"])
    assert statuses[4]["conversion_floor"].value == "breach"
    retained = [r for r in rows(wb["waterfall"]) if r["tier name"].value == "retained"]
    assert len(retained) == 12 and all(r["paid"].data_type == "n" for r in retained)
    cal = rows(wb["calendar"])
    assert cal[0]["date"].value == datetime.datetime(2026, 1, 1) and cal[0]["kind"].value == "term-start"


def test_numbers_are_the_exact_decimals_in_the_file(alliance_book: Path) -> None:
    with zipfile.ZipFile(alliance_book) as z:
        xml = z.read("xl/worksheets/sheet2.xml").decode()
    assert "<v>152400</v>" in xml and "<v>0.15</v>" in xml
    # 0.1 + 0.2 style binary noise never appears: values are written from decimals
    assert "00000000001" not in xml and "99999999999" not in xml


def test_document_properties_name_the_contract(alliance_book: Path) -> None:
    wb = book(alliance_book)
    assert wb.properties.title == "Alliance Solutions Durables"
    assert wb.properties.subject == "ASD-2026-01 version 2.1"
    assert wb.properties.created == datetime.datetime(2026, 1, 1)
    custom = {p.name: p.value for p in wb.custom_doc_props.props}
    assert custom["contract id"] == "ASD-2026-01" and custom["contract version"] == "2.1"


def test_same_inputs_same_bytes(tmp_path: Path) -> None:
    c = pactlang.load(ALLIANCE)
    one = c.workbook(ALLIANCE_CSV, journal=JOURNAL).data
    two = c.workbook(ALLIANCE_CSV, journal=JOURNAL).data
    assert one == two
    out = tmp_path / "r.xlsx"
    assert run("report", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--journal", str(JOURNAL), "-o", str(out)).exit_code == 0
    assert out.read_bytes() == one  # report --format xlsx is the same workbook


FORMULAS = """contract "Injection" {
  id "=HYPERLINK(\\"http://x\\")"
  version "1"
  effective 2026-01-01
  currency EUR
  party a "+A Corp"
  party b "B"
  measure m "=SUM(A1:A9)": number
  threshold t "-1 threshold" {
    when m > 1: breach
      => pay 10 EUR from a to b "=1+1"
      => action "@cmd|' /C calc'!A0"
    otherwise: ok
  }
}
"""


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    c = pactlang.loads(FORMULAS)
    data = tmp_path / "d.csv"
    data.write_text("period,m\n2026-01,2\n", encoding="utf-8")
    path = tmp_path / "x.xlsx"
    path.write_bytes(c.workbook(data).data)
    wb = book(path)
    ledger = rows(wb["ledger"])
    texts = {r["kind"].value: r["text"] for r in ledger}
    for cell, value in ((texts["pay"], "=1+1"), (texts["action"], "@cmd|' /C calc'!A0")):
        assert cell.value == value and cell.data_type == "s" and cell.quotePrefix
    about = {r["item"].value: r["value"] for r in rows(wb["about"]) if r["item"] is not None}
    assert about["id"].value == '=HYPERLINK("http://x")' and about["id"].quotePrefix
    labels = [r["value"] for r in rows(wb["about"]) if r["item"] is not None and r["item"].value == "m"]
    assert labels[0].value == "=SUM(A1:A9)" and labels[0].quotePrefix
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode(), name
    plain = rows(wb["statuses"])[0]["t"]
    assert plain.value == "breach" and not plain.quotePrefix


def test_a_portfolio_has_a_key_column_and_one_row_per_key_and_month(tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    res = run("eval", str(ALLIANCE), "--data", str(PORTFOLIO_CSV), "--by", "partner", "--format", "xlsx", "-o", str(out))
    assert res.exit_code == 0, res.output
    wb = book(out)
    head = [c.value for c in wb["values"][1]]
    assert head[:2] == ["partner", "period"]
    keys = [r["partner"].value for r in rows(wb["values"])]
    assert len(keys) == 36 and len(set(keys)) == 3
    for name in ("statuses", "ledger", "waterfall", "disputes", "calendar"):
        assert wb[name]["A1"].value == "partner", name


def test_the_journal_adds_actuals_and_votes(tmp_path: Path) -> None:
    path = tmp_path / "j.xlsx"
    path.write_bytes(pactlang.load(ALLIANCE).workbook(ALLIANCE_CSV, journal=JOURNAL).data)
    wb = book(path)
    assert wb.sheetnames == [*SHEETS, "votes", "amendments"]
    pays = [r for r in rows(wb["ledger"]) if r["kind"].value == "pay"]
    assert [r["status"].value for r in pays] == ["waived", "confirmed", "confirmed"]
    assert pays[0]["amount"].value == 5000 and pays[0]["waived"].value == 5000
    assert pays[0]["outstanding"].value == 0 and pays[1]["paid"].value == 5000
    assert pays[1]["recorded on"].value == datetime.datetime(2026, 7, 15)
    votes = rows(wb["votes"])
    assert [(v["decision"].value, v["matches"].value) for v in votes] == [
        ("budget", True), ("budget", True), ("data_sharing", False), ("scope", True)
    ]
    assert votes[2]["outcome under the rule"].value == "vetoed" and votes[2]["orbis"].value == "no"
    steps = rows(wb["disputes"])
    assert [s["outcome"].value for s in steps[:4]] == ["resolved", "not reached", "not reached", "not reached"]


def test_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--format", "xlsx")
    assert res.exit_code == 2 and "-o FILE" in res.stderr
    res = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--format", "xlsx", "-o", str(ALLIANCE_CSV))
    assert res.exit_code == 2 and "would overwrite an input" in res.stderr
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(UsageError, match=r"pip install 'pactlang\[xlsx\]'"):
        pactlang.load(ALLIANCE).workbook(ALLIANCE_CSV)


def test_fail_on_still_counts_with_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "f.xlsx"
    res = run("eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--format", "xlsx", "-o", str(out), "--fail-on", "breach")
    assert res.exit_code == 1 and out.exists()
    assert "fail-on breach" in res.stderr


def test_amounts_with_many_digits_stay_numbers() -> None:
    from pactlang.report.workbook import _exact

    assert str(_exact(Decimal("5000.00"))) == "5000"
    assert str(_exact(Decimal("0.1500"))) == "0.15"
    assert format(_exact(Decimal("0.0454545454545454545454545455")), ".16G") == "0.04545454545454545"
