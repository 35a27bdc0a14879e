"""Hostile text never reaches a terminal, a report or an XML file raw.

Control characters (ESC sequences), bidirectional controls and invisible
characters can come from places ``pact check`` does not see: file and folder
names, data keys and cells.  Outputs show them as visible escapes (``\\x1b``).
"""

from __future__ import annotations

import re
import shutil
import xml.dom.minidom
from pathlib import Path

from click.testing import CliRunner

from pactlang.cli import main
from pactlang.testing import ExpectOutcome, TestOutcome, _junit

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"
PORTFOLIO = ROOT / "examples" / "data" / "alliance_portfolio.csv"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufffe\uffff]")
HOSTILE = "or\x1b[31mbis\u202e\x00"


def run(*args: str | Path) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, [str(a) for a in args], env={"NO_COLOR": "1"})
    return r.exit_code, r.stdout, r.stderr


def hostile_portfolio(tmp_path: Path) -> Path:
    text = PORTFOLIO.read_text("utf-8").replace("orbis,", HOSTILE + ",", 3)
    path = tmp_path / "portfolio.csv"
    path.write_text(text, "utf-8")
    return path


def test_junit_is_well_formed_whatever_the_names_hold() -> None:
    outcome = TestOutcome(
        path="a\x1bb.pact",
        name="n\x00a\x07m\x1b[2Je\ufffe\ud800",
        line=3,
        expects=[ExpectOutcome(4, "expect x\x0c", False, "1\x08", "2\x0b", "because\x1b")],
    )
    text = _junit([outcome, TestOutcome("b.pact", "ok", 1)], 1, 1, [("c\x1b.pact", "does not check\x07", "diag\x00")])
    doc = xml.dom.minidom.parseString(text.encode("utf-8"))
    names = [c.getAttribute("name") for c in doc.getElementsByTagName("testcase")]
    assert names == ["(the file)", "n\\x00a\\x07m\\x1b[2Je\\ufffe\\ud800", "ok"]


def test_pact_test_junit_with_a_control_character_in_a_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "team\x1b[31m"
    folder.mkdir()
    shutil.copy(ALLIANCE, folder / "alliance.pact")
    code, out, err = run("test", folder, "--format", "junit")
    assert code == 0, err
    xml.dom.minidom.parseString(out.encode("utf-8"))  # well-formed
    assert "team\\x1b[31m" in out
    code, out, err = run("test", folder)
    assert code == 0 and not RAW.search(out + err)


def test_eval_text_output_escapes_data_keys(tmp_path: Path) -> None:
    code, out, err = run("eval", ALLIANCE, "--data", hostile_portfolio(tmp_path), "--by", "partner")
    assert code == 0, err
    assert "or\\x1b[31mbis\\u202e\\x00" in out
    assert not RAW.search(out + err)


def test_report_html_escapes_data_keys(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, _, err = run(
        "report", ALLIANCE, "--data", hostile_portfolio(tmp_path), "--by", "partner", "-o", target
    )
    assert code == 0, err
    html = target.read_text("utf-8")
    assert "or\\x1b[31mbis\\u202e\\x00" in html
    assert not RAW.search(html)


def test_data_errors_and_paths_are_escaped(tmp_path: Path) -> None:
    data = tmp_path / "d\x1b]0;title\x07.csv"
    data.write_text("period,revenue\n2026-01,1\x1b[2J\n2026-02,\u202e7\n", "utf-8")
    code, out, err = run("eval", ALLIANCE, "--data", data)
    assert code == 2
    assert "d\\x1b]0;title\\x07.csv" in err
    assert not RAW.search(out + err)


def test_fmt_and_check_messages_escape_file_names(tmp_path: Path) -> None:
    path = tmp_path / "x\x1b[1m.pact"
    path.write_text('contract "X" {\n currency    EUR\n  let a = b\n}\n', "utf-8")
    for args in (("check", path), ("fmt", "--check", path), ("render", path)):
        code, out, err = run(*args)
        assert code in (1, 2), (args, code)
        assert "x\\x1b[1m.pact" in out + err
        assert not RAW.search(out + err), args
