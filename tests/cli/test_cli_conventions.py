"""CLI conventions (docs/cli.md, "Conventions"): the CLI only calls the API,
standard input and output, --color, the configuration, completion, help
examples, tables that wrap, explanations rounded for reading, escalate's plan,
streamed outputs through io/files."""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.cli import main

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "pactlang"
ALLIANCE = REPO / "examples" / "contracts" / "alliance.pact"
DATA = REPO / "examples" / "data" / "alliance.csv"
PORTFOLIO = REPO / "examples" / "data" / "alliance_portfolio.csv"


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, env={"NO_COLOR": "", **(env or {})})


# ----------------------------------------------------------- the CLI calls the API


@pytest.mark.parametrize("name", ["cli.py", "cli_support.py"])
def test_the_cli_imports_only_the_api(name: str) -> None:
    tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module if node.module != "pactlang" else f"pactlang.{node.names[0].name}")
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    ours = {m for m in imported if m.startswith("pactlang")}
    # the language server is the CLI's sibling (the commands layer), started by `pact lsp`
    assert ours <= {"pactlang.api", "pactlang.cli_support", "pactlang.lsp.server"}, ours


def test_every_module_stays_under_800_lines() -> None:
    for name in ("cli.py", "cli_support.py", "api.py", "commands.py", "commands_eval.py", "io/files.py"):
        assert len((SRC / name).read_text(encoding="utf-8").splitlines()) <= 800, name


# ----------------------------------------------------------------- standard input


def test_check_reads_stdin_and_names_it() -> None:
    ok = run("check", "-", input=ALLIANCE.read_text(encoding="utf-8"))
    assert ok.exit_code == 0, ok.stderr
    bad = run("check", "-", input="contract X {\n  currency EUR\n  kpi k = nope\n}\n")
    assert bad.exit_code == 1
    assert "<stdin>:" in bad.stdout


def test_eval_data_from_stdin_names_it_in_errors() -> None:
    good = run("eval", str(ALLIANCE), "--data", "-", "--format", "json", input=DATA.read_text(encoding="utf-8"))
    assert good.exit_code == 0, good.stderr
    assert json.loads(good.stdout)["months"][0] == "2026-01"
    bad = run("eval", str(ALLIANCE), "--data", "-", input="period,leads_total\n2026-01,x\n")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: <stdin>:") and "pact-stdin" not in bad.stderr


def test_only_one_input_from_stdin() -> None:
    r = run("eval", "-", "--data", "-", input="")
    assert r.exit_code == 2
    assert "only one input" in r.stderr and "= help:" in r.stderr


def test_fmt_dash_is_a_filter() -> None:
    text = ALLIANCE.read_text(encoding="utf-8")
    r = run("fmt", "-", input=text)
    assert r.exit_code == 0
    assert r.stdout == run("fmt", "-", input=r.stdout).stdout  # formatting twice changes nothing


def test_dash_o_writes_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("compile", str(ALLIANCE), "-o", "-")
    assert r.exit_code == 0 and "def " in r.stdout
    assert not (tmp_path / "-").exists()


# ------------------------------------------------------------------------ --color


def test_color_option_and_no_color() -> None:
    from pactlang.cli_support import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    os.environ.pop("NO_COLOR", None)
    assert use_color("auto", Tty()) and not use_color("never", Tty())
    os.environ["NO_COLOR"] = "1"
    try:
        assert not use_color("auto", Tty())
        assert use_color("always", Tty())
    finally:
        del os.environ["NO_COLOR"]
    coloured = run("--color", "always", "eval", str(ALLIANCE), "--data", str(DATA), env={"NO_COLOR": "1"})
    plain = run("--color", "never", "eval", str(ALLIANCE), "--data", str(DATA))
    assert "\x1b[" in coloured.stdout and "\x1b[" not in plain.stdout


# ------------------------------------------------------------------ configuration


def _cfg(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir(exist_ok=True)
    return sub


def _in(folder: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pactlang.cli", *args], cwd=folder, input=input, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"}, check=False,
    )


def test_config_defaults_from_a_parent_folder_and_the_command_line_wins(tmp_path: Path) -> None:
    sub = _cfg(tmp_path, "pact.toml", f'[eval]\nformat = "json"\ndata = "{DATA}"\n')
    r = _in(sub, "eval", str(ALLIANCE))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["months"][0] == "2026-01"
    text = _in(sub, "eval", str(ALLIANCE), "--format", "text")
    assert text.returncode == 0 and "Monthly values" in text.stdout


def test_config_in_pyproject_top_level_key_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_bytes(DATA.read_bytes())
    sub = _cfg(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.pact]\nformat = "json"\n\n[tool.pact.eval]\ndata = "d.csv"\n')
    r = _in(sub, "eval", str(ALLIANCE))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["months"][-1] == "2026-12"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("[eval\n", "not valid TOML"),
        ("[evaluate]\nformat = 'json'\n", "[evaluate]: no command `pact evaluate`"),
        ("[eval]\ncolour = 'x'\n", "[eval] colour: `pact eval` has no option --colour"),
        ("[eval]\nformat = 'xml'\n", "[eval] format: expected one of text, json"),
        ("[eval]\nstrict = 'yes'\n", "[eval] strict: expected true or false"),
        ("nonsense = 1\n", "nonsense: no command has an option --nonsense"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    sub = _cfg(tmp_path, "pact.toml", text)
    r = _in(sub, "eval", str(ALLIANCE), "--data", str(DATA))
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and "pact.toml" in r.stderr and expected in r.stderr
    assert "Traceback" not in r.stderr


# --------------------------------------------------------------------- completion


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o"), ("zsh", "#compdef pact"), ("fish", "complete --no-files --command pact")])
def test_completion_scripts(shell: str, marker: str) -> None:
    r = run("completion", shell)
    assert r.exit_code == 0 and marker in r.stdout and "_PACT_COMPLETE" in r.stdout


def test_bash_completes_a_partial_command_name() -> None:
    pact = [str(Path(sys.executable).parent / "pact")]
    env = {**os.environ, "_PACT_COMPLETE": "bash_complete", "COMP_WORDS": "pact ev", "COMP_CWORD": "1"}
    r = subprocess.run(pact, env=env, capture_output=True, text=True, check=False)
    assert "plain,eval" in r.stdout.splitlines()
    env["COMP_WORDS"], env["COMP_CWORD"] = "pact eval x --format js", "4"
    r = subprocess.run(pact, env=env, capture_output=True, text=True, check=False)
    assert "plain,json" in r.stdout.splitlines() and "plain,jsonl" in r.stdout.splitlines()


# --------------------------------------------------------------- help with examples


def test_every_command_help_has_an_example() -> None:
    for name in main.commands:  # type: ignore[attr-defined]
        r = run(name, "--help")
        assert r.exit_code == 0
        assert "Examples:" in r.stdout and f"pact {name}" in r.stdout.split("Examples:")[1], name


# --------------------------------------------------------------- tables that wrap


def test_narrow_tables_wrap_into_blocks_and_keep_every_digit() -> None:
    wide = run("eval", str(ALLIANCE), "--data", str(DATA), env={"COLUMNS": "160"})
    narrow = run("eval", str(ALLIANCE), "--data", str(DATA), env={"COLUMNS": "50"})
    assert wide.exit_code == narrow.exit_code == 0
    assert "(continued)" in narrow.stdout and "(continued)" not in wide.stdout
    assert "…" not in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines() if "│" in line) <= 50
    for number in ("597,250.00", "11.11%", "450,000.00", "120,000.00"):
        assert number in narrow.stdout, number


# ------------------------------------------------------- explanations for reading


def test_explanations_rounded_for_reading_and_exact_on_demand() -> None:
    args = ["eval", str(ALLIANCE), "--data", str(DATA), "--from", "2026-02", "--to", "2026-02", "--explain"]
    reading = run(*args).stdout
    exact = run(*args, "--exact").stdout
    assert "= 11.11…%" in reading and "11.1111111" not in reading
    assert "= 11.11111111111111111111111111%" in exact and "…%" not in exact
    as_json = run(*args, "--format", "json").stdout
    assert "0.1111111111111111111111111111" in as_json  # JSON stays exact


def test_rounding_rule() -> None:
    from pactlang.api import rounded_for_reading as r

    assert r("x = 0.2857142857142857142857142857") == "x = 0.2857…"
    assert r("28.57142857142857142857142857%") == "28.57…%"
    assert r("7.5% 450,000.00 EUR 0.125 2026-02") == "7.5% 450,000.00 EUR 0.125 2026-02"
    assert r("1,234.567891 EUR") == "1,234.5679… EUR"
    assert r("0.00005") == "0.0000…"  # half-even to four places


# ------------------------------------------------------------------ escalate's plan


def test_escalate_without_as_of_judges_nothing() -> None:
    base = ["escalate", str(ALLIANCE), "disputes", "--opened", "2026-05-31"]
    plan = run(*base)
    assert plan.exit_code == 0
    rows = [line for line in plan.stdout.splitlines() if line.startswith("│")]
    assert rows and not any("deadline passed" in r or "active" in r for r in rows)
    assert "active" not in plan.stdout and "state on" not in plan.stdout
    assert "the plan only" in plan.stdout and "2026-06-10" in plan.stdout
    judged = run(*base, "--as-of", "2026-07-20")
    assert "deadline passed" in judged.stdout and "state on 2026-07-20: mediation" in judged.stdout


# -------------------------------------------------- streamed outputs through io/files


def test_streamed_output_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "target.jsonl"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    r = run("eval", str(ALLIANCE), "--data", str(PORTFOLIO), "--by", "partner", "--format", "jsonl", "-o", str(link))
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink()
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


def test_streamed_output_refuses_an_input_and_a_read_only_file(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_bytes(PORTFOLIO.read_bytes())
    r = run("eval", str(ALLIANCE), "--data", str(data), "--by", "partner", "--format", "csv", "-o", str(data))
    assert r.exit_code == 2 and "overwrite an input" in r.stderr
    ro = tmp_path / "ro.csv"
    ro.write_text("keep", encoding="utf-8")
    ro.chmod(0o444)
    r = run("eval", str(ALLIANCE), "--data", str(data), "--by", "partner", "--format", "csv", "-o", str(ro))
    assert r.exit_code == 2 and "read-only" in r.stderr
    assert ro.read_text(encoding="utf-8") == "keep"


def test_streamed_output_into_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:  # blocks until the writer opens the pipe
            received.append(fh.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    r = run("eval", str(ALLIANCE), "--data", str(PORTFOLIO), "--by", "partner", "--format", "csv", "-o", str(fifo))
    t.join(timeout=30)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"partner,period")
