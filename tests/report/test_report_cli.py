"""``pact report``: outputs, exit codes, atomic writes, determinism across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from report_helpers import ALLIANCE, ALLIANCE_CSV, PORTFOLIO_CSV, ROOT, parse

from pactlang.cli import main

ANSI = "\x1b["


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["report", *args], env={"NO_COLOR": None})


def test_writes_the_report_and_prints_nothing_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = run(str(ALLIANCE), "--data", str(ALLIANCE_CSV), "-o", str(out), "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert f"wrote {out}" in r.stderr and ANSI not in r.stderr
    html = out.read_text(encoding="utf-8")
    root, _ = parse(html)
    assert root.find("html").attrs["lang"] == "en"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left


def test_portfolio_by_key(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.html"
    r = run(str(ALLIANCE), "--data", str(PORTFOLIO_CSV), "--by", "partner", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    root, _ = parse(out.read_text(encoding="utf-8"))
    assert root.find("html").attrs["lang"] == "fr"
    keys = [
        tr.find("th").clean_text()
        for tr in root.find("table", "t-summary").find("tbody").find_all("tr")
    ]
    assert keys == ["orbis", "nordvik", "sudhaus"]
    assert len(root.find_all("section", "evaluation")) == 3
    # without a terminal there is no progress bar
    assert ANSI not in r.stderr and "━" not in r.stderr


def test_progress_bar_goes_to_stderr_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pactlang.cli as cli
    from pactlang.api import Streams

    monkeypatch.setattr(cli, "streams_for", lambda choice: Streams(color_err=True, progress_bars=True))
    out = tmp_path / "portfolio.html"
    r = run(str(ALLIANCE), "--data", str(PORTFOLIO_CSV), "--by", "partner", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert out.exists()


def _bad_data(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        ALLIANCE_CSV.read_text(encoding="utf-8").replace("152400.00", "abc", 1), encoding="utf-8"
    )
    return bad


def test_bad_data_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = run(str(ALLIANCE), "--data", str(_bad_data(tmp_path)), "-o", str(out))
    assert r.exit_code == 2
    assert isinstance(r.exception, SystemExit)
    assert "bad.csv:2:revenue" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_a_failed_run_leaves_the_previous_report_untouched(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous report", encoding="utf-8")
    r = run(str(ALLIANCE), "--data", str(_bad_data(tmp_path)), "-o", str(out))
    assert r.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous report"
    r = run(str(ALLIANCE), "--data", str(ALLIANCE_CSV), "-o", str(out))
    assert r.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_strict_missing_values_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = run(str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--strict", "-o", str(out))
    assert r.exit_code == 2
    assert "--strict" in r.stderr and not out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--data", "nowhere.csv", "-o", "{out}"], "nowhere.csv"),
        (["--data", str(PORTFOLIO_CSV), "--by", "nokey", "-o", "{out}"], "nokey"),
        (["--data", str(ALLIANCE_CSV), "--lang", "de", "-o", "{out}"], "de"),
        (["--data", str(ALLIANCE_CSV)], "-o"),
        (["-o", "{out}"], "--data"),
        (["--data", str(ALLIANCE_CSV), "-o", "{missing_dir}"], "cannot write"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "r.html"
    filled = [a.format(out=out, missing_dir=tmp_path / "no" / "such" / "r.html") for a in args]
    r = run(str(ALLIANCE), *filled)
    assert r.exit_code == 2, (r.exit_code, r.stderr)
    assert message in r.stderr
    assert not out.exists()


def test_a_contract_with_errors_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pact"
    broken.write_text(
        'contract "x" {\n  currency EUR\n  kpi k: number = nothing\n}\n', encoding="utf-8"
    )
    out = tmp_path / "r.html"
    r = run(str(broken), "--data", str(ALLIANCE_CSV), "-o", str(out))
    assert r.exit_code == 2
    assert "error" in r.stderr and not out.exists()


def test_same_bytes_in_separate_processes(tmp_path: Path) -> None:
    """No clock, no random ids, no dependence on hash order: two processes with
    different hash seeds write identical files."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pactlang.cli",
                "report",
                str(ALLIANCE),
                "--data",
                str(PORTFOLIO_CSV),
                "--by",
                "partner",
                "-o",
                str(out),
            ],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
