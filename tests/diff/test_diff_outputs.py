"""pact diff: months with data, text / JSON / HTML / DOCX outputs, goldens, the command."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import pactlang
from pactlang.cli import main
from pactlang.compare.redline import Unit, align, word_ops

REPO = Path(__file__).resolve().parents[2]
OLD = REPO / "examples" / "contracts" / "alliance.pact"
NEW = REPO / "examples" / "contracts" / "alliance_v2.pact"
DATA = REPO / "examples" / "data" / "alliance.csv"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PACT_UPDATE_GOLDEN") == "1"


def golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {name}: run with PACT_UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs from its golden file (PACT_UPDATE_GOLDEN=1 to accept)"


def run(*args: str) -> tuple[int, str]:
    # relative paths, so that the outputs name the files as a user types them
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
    finally:
        os.chdir(cwd)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


A, B, D = "examples/contracts/alliance.pact", "examples/contracts/alliance_v2.pact", "examples/data/alliance.csv"


# ------------------------------------------------------------------ months


def test_months_of_the_example_amendment() -> None:
    d = pactlang.diff(OLD, NEW, DATA)
    lines = [m.text for m in d.months or ()]
    # the repayment tier: acme's cap raised to 350 000 EUR from July; by then
    # acme had 210 000 and orbis 140 000 of it, so September's 250 000 pays
    # acme 140 000 + 60% of the 50 000 surplus = 170 000 (150 000 before)
    assert lines == [
        "2026-09 fund acme: 150000.00 EUR → 170000.00 EUR",
        "2026-09 fund orbis: 100000.00 EUR → 80000.00 EUR",
        "total fund acme: 468000.00 EUR → 488000.00 EUR",
        "total fund orbis: 312000.00 EUR → 292000.00 EUR",
    ]
    assert d.differ


def test_months_list_statuses_payments_and_disputes(tmp_path: Path) -> None:
    text = OLD.read_text(encoding="utf-8").replace("conversion < 8% for 3 months", "conversion < 5% for 3 months")
    looser = tmp_path / "looser.pact"
    looser.write_text(text, encoding="utf-8")
    d = pactlang.diff(OLD, looser, DATA)
    lines = [m.text for m in d.months or ()]
    assert "2026-05 conversion_floor: breach → watch" in lines
    assert "2026-05 paid orbis → acme: 5000.00 EUR → 0.00 EUR" in lines
    assert "2026-05 dispute on disputes: opened → none" in lines
    assert "total paid orbis → acme: 10000.00 EUR → 0.00 EUR" in lines


def test_no_difference_exits_0() -> None:
    code, out = run("diff", A, A, "--data", D)
    assert code == 0
    assert out.splitlines()[-1] == "0 change(s) in meaning, 0 month(s) differ"


# ------------------------------------------------------------- text, json


def test_text_golden() -> None:
    code, out = run("diff", A, B, "--data", D)
    assert code == 1
    golden("alliance_v2.diff.txt", out.encode("utf-8"))


def test_json_golden() -> None:
    code, out = run("diff", A, B, "--data", D, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["differ"] is True
    assert {"section": "thresholds", "subject": "conversion_floor rule 1", "kind": "changed", "old": "8%",
            "new": "6%", "text": "conversion_floor rule 1: 8% → 6%"} in doc["changes"]
    assert doc["months"][0]["period"] == "2026-09"
    golden("alliance_v2.diff.json", out.encode("utf-8"))


# ------------------------------------------------------------------- HTML


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ins: list[str] = []
        self.dels: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("ins", "del"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ins", "del"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "ins":
            self.ins.append(data)
        elif self._in == "del":
            self.dels.append(data)


def test_html_redline_golden_and_marks(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _ = run("diff", A, B, "--data", D, "--format", "html", "--lang", "en", "-o", str(out))
    assert code == 1
    data = out.read_bytes()
    page = Page()
    page.feed(data.decode("utf-8"))
    # the floor in the thresholds table: "less than 8%" → "less than 6%"
    assert "8" in page.dels and "6" in page.ins
    assert "2.1" in page.dels or "1" in page.dels
    assert "<script" not in data.decode("utf-8") and "http" not in data.decode("utf-8").split("<body>")[0]
    golden("alliance_v2.redline.en.html", data)


def test_html_is_autoescaped(tmp_path: Path) -> None:
    evil = OLD.read_text(encoding="utf-8").replace('"Plan d\'action commercial renforcé sous 15 jours"', '"<script>alert(1)</script>"')
    path = tmp_path / "evil.pact"
    path.write_text(evil, encoding="utf-8")
    data = pactlang.redline(OLD, path, fmt="html").data.decode("utf-8")
    assert "<script>" not in data and "&lt;script&gt;" in data


def test_the_same_versions_give_the_same_bytes() -> None:
    a = pactlang.redline(OLD, NEW, fmt="html").data
    b = pactlang.redline(OLD, NEW, fmt="html").data
    assert a == b
    assert pactlang.redline(OLD, NEW, fmt="docx").data == pactlang.redline(OLD, NEW, fmt="docx").data


# ------------------------------------------------------------------- DOCX


def test_docx_has_revision_marks_and_opens(tmp_path: Path) -> None:
    import docx

    out = tmp_path / "r.docx"
    code, _ = run("diff", A, B, "--format", "docx", "-o", str(out))
    assert code == 1
    document = docx.Document(str(out))  # python-docx reads it back
    assert document.core_properties.author == "pact diff"
    xml = zipfile.ZipFile(io.BytesIO(out.read_bytes())).read("word/document.xml").decode("utf-8")
    inserted = re.findall(r'<w:ins [^>]*w:author="pact diff"[^>]*>.*?</w:ins>', xml)
    deleted = re.findall(r"<w:del [^>]*>.*?</w:del>", xml)
    assert inserted and deleted
    assert any("<w:t xml:space=\"preserve\">6</w:t>" in x for x in inserted)
    assert any("<w:delText xml:space=\"preserve\">8</w:delText>" in x for x in deleted)
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))  # one id per revision


def test_docx_needs_an_output_file() -> None:
    code, _ = run("diff", A, B, "--format", "docx")
    assert code == 2


# --------------------------------------------------------------- aligning


def test_word_ops_rebuild_both_texts() -> None:
    old, new = "is less than 8 % for 3 months", "is less than 6 % for 2 quarters"
    ops = word_ops(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new


def test_align_rewrites_similar_units_and_replaces_others() -> None:
    old = [Unit("p", ("the floor is 8 % a month",)), Unit("p", ("something else entirely",))]
    new = [Unit("p", ("the floor is 6 % a month",)), Unit("p", ("nothing in common here at all",))]
    pieces = align(old, new)
    assert [p.op for p in pieces] == ["replace", "delete", "insert"]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_unknown_language_is_a_usage_error(fmt: str) -> None:
    with pytest.raises(pactlang.UsageError):
        pactlang.redline(OLD, NEW, lang="de", fmt=fmt)
