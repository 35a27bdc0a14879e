"""CLI.md — the `pact` command line: each command of the table, exit codes 0/1/2, `--format json` with
exact decimals as strings, compiler-style diagnostics, all errors of a file in one run, no traceback for a
user mistake, colours only on a terminal; and the Python API of README.md. The "Additions (second round)"
are strict xfails until they exist."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

import pactlang
from spec.spec_helpers import contract, pact, pact_exe, pact_proc, write

SRC = contract(
    """
    measure leads "Leads": count
    measure won "Won": count
    measure proceeds "Proceeds": money
    kpi conversion "Conversion": percent = won / leads {
      owner orbis
      source "CRM"
      frequency monthly
    }
    threshold floor "Floor" {
      when conversion < 10%: breach
        => pay 1_000 EUR from orbis to acme "Penalty"
        => escalate disputes
      otherwise: ok
    }
    committee board {
      member acme weight 60
      member orbis weight 40
      quorum 2 members
      decision budget requires >= 2/3 of weight
    }
    escalation disputes {
      step managers within 10 days
      step arbitration final
    }
    waterfall fund {
      distributes proceeds
      tier repay {
        pay acme up to 300 EUR
        pay orbis up to 200 EUR
      }
      tier rest {
        split acme 60%, orbis 40%
      }
    }
    """
)
DATA = "period,leads,won,proceeds\n2026-01,100,12,100\n2026-02,100,9,1000.10\n2026-03,90,30,0\n"
TESTS = '\ntest "t" {\n  data {\n    2026-01: leads = 100, won = 5\n  }\n  expect floor at 2026-01 is breach\n}\n'

ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "c.pact", SRC), write(tmp_path, "d.csv", DATA)


# ---------------------------------------------------------------- each command


def test_check(files: tuple[Path, Path]) -> None:
    c, _ = files
    assert pact("check", c).exit_code == 0
    doc = pact("check", "--format", "json", c).json
    assert doc["errors"] == 0


def test_check_sarif(files: tuple[Path, Path], tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.pact", SRC.replace("won / leads", "won / lead"))
    run = pact("check", "--format", "sarif", bad)
    assert run.exit_code == 1
    doc = run.json
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    assert results and results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 0


def test_fmt_check_diff_and_idempotence(tmp_path: Path) -> None:
    ugly = write(
        tmp_path,
        "u.pact",
        'contract "U" {\n    currency   EUR  # the currency\n  measure x "X":number\n  let v = (x+1)\n}\n',
    )
    assert pact("fmt", "--check", ugly).exit_code == 1
    diff = pact("fmt", "--diff", ugly)
    assert diff.exit_code == 1 and "@@" in diff.stdout
    assert pact("fmt", ugly).exit_code == 0
    once = ugly.read_text(encoding="utf-8")
    assert "# the currency" in once
    assert pact("fmt", "--check", ugly).exit_code == 0
    assert pact("fmt", ugly).exit_code == 0
    assert ugly.read_text(encoding="utf-8") == once


def test_fmt_on_a_file_that_does_not_parse_is_exit_1_and_untouched(tmp_path: Path) -> None:
    broken = write(tmp_path, "b.pact", 'contract "B" {\n  currency EUR\n  let = 3\n}\n')
    before = broken.read_bytes()
    assert pact("fmt", broken).exit_code == 1
    assert broken.read_bytes() == before


def test_eval_text_and_json(files: tuple[Path, Path]) -> None:
    c, d = files
    text = pact("eval", c, "--data", d)
    assert text.exit_code == 0 and "floor" in text.stdout and "conversion" in text.stdout
    doc = pact("eval", c, "--data", d, "--format", "json").json
    assert doc["kpis"]["conversion"] == {
        "2026-01": "0.12",
        "2026-02": "0.09",
        "2026-03": "0.3333333333333333333333333333",
    }
    assert [p["amount"] for p in doc["payments"]] == ["1000.00"]
    assert doc["disputes"][0]["opened"] == "2026-02-28"


def test_eval_from_to_keeps_the_history(files: tuple[Path, Path]) -> None:
    c, d = files
    doc = pact(
        "eval", c, "--data", d, "--format", "json", "--from", "2026-02", "--to", "2026-02"
    ).json
    assert doc["months"] == ["2026-02"]


def test_eval_fail_on_breach_is_exit_1_after_printing(files: tuple[Path, Path]) -> None:
    c, d = files
    run = pact("eval", c, "--data", d, "--fail-on", "breach")
    assert run.exit_code == 1
    assert "floor" in run.stdout
    assert pact("eval", c, "--data", d, "--fail-on", "breach", "--to", "2026-01").exit_code == 0


def test_test_command_last_line(files: tuple[Path, Path], tmp_path: Path) -> None:
    p = write(tmp_path, "t.pact", SRC + TESTS)
    run = pact("test", p)
    assert run.exit_code == 0
    assert run.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_render_formats(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, _ = files
    md = pact("render", c, "--lang", "en")
    assert md.exit_code == 0 and "Floor" in md.stdout
    html = pact("render", c, "--format", "html")
    assert html.exit_code == 0 and "<html" in html.stdout.lower()
    out = tmp_path / "annex.docx"
    assert pact("render", c, "-o", out).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    assert pact("render", c, "--format", "docx").exit_code == 2  # docx needs -o


def test_render_html_is_autoescaped(tmp_path: Path) -> None:
    src = SRC.replace('threshold floor "Floor"', 'threshold floor "<script>alert(1)</script> & co"')
    run = pact("render", write(tmp_path, "x.pact", src), "--format", "html")
    assert run.exit_code == 0
    assert "<script>alert(1)</script>" not in run.stdout
    assert "&lt;script&gt;" in run.stdout


def test_render_is_deterministic(files: tuple[Path, Path]) -> None:
    c, _ = files
    assert (
        pact("render", c, "--format", "html").stdout == pact("render", c, "--format", "html").stdout
    )


def test_report(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, d = files
    out = tmp_path / "r.html"
    run = pact("report", c, "--data", d, "-o", out)
    assert run.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "floor" in html.lower() and "<svg" in html


def test_vote_with_arithmetic(files: tuple[Path, Path]) -> None:
    c, _ = files
    run = pact("vote", c, "board.budget", "--ballot", "acme=yes,orbis=no")
    assert run.exit_code == 0
    assert "rejected" in run.stdout and "60" in run.stdout and "100" in run.stdout
    doc = pact("vote", c, "board.budget", "--ballot", "acme=yes,orbis=no", "--format", "json").json
    assert doc["outcome"] == "rejected"
    assert all(isinstance(v, str) for v in doc["weights"].values())


@pytest.mark.parametrize("ballot", ["acme=perhaps", "nobody=yes", "acme=yes,acme=no"])
def test_vote_bad_ballot_is_exit_2(files: tuple[Path, Path], ballot: str) -> None:
    c, _ = files
    run = pact("vote", c, "board.budget", "--ballot", ballot)
    assert run.exit_code == 2 and run.exception is None


def test_vote_outcome_is_never_an_exit_code(files: tuple[Path, Path]) -> None:
    c, _ = files
    for ballot in ("acme=yes,orbis=yes", "acme=yes", "acme=no,orbis=no"):
        assert pact("vote", c, "board.budget", "--ballot", ballot).exit_code == 0


def test_analyze(files: tuple[Path, Path]) -> None:
    c, _ = files
    run = pact("analyze", c, "--format", "json")
    assert run.exit_code == 0
    doc = run.json
    members = {m["name"]: m["banzhaf"] for m in doc["committees"][0]["decisions"][0]["members"]}
    assert members == {"acme": "1/2", "orbis": "1/2"}


def test_escalate(files: tuple[Path, Path]) -> None:
    c, _ = files
    run = pact("escalate", c, "disputes", "--opened", "2026-07-04", "--format", "json")
    assert run.exit_code == 0
    assert run.json["steps"][0]["deadline"] == "2026-07-14"
    assert pact("escalate", c, "disputes", "--opened", "2026-13-45").exit_code == 2
    assert pact("escalate", c, "nowhere", "--opened", "2026-07-04").exit_code == 2


def test_distribute(files: tuple[Path, Path]) -> None:
    c, _ = files
    run = pact("distribute", c, "fund", "--amount", "1000.10", "--format", "json")
    assert run.exit_code == 0
    # repay 500 (300 / 200), then 500.10 split 60/40: 300.06 / 200.04
    assert run.json["by_party"] == {"acme": "600.06", "orbis": "400.04"}
    assert run.json["retained"] == "0.00"


def test_compile_module_evaluates_like_eval(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, d = files
    out = tmp_path / "module.py"
    assert pact("compile", c, "-o", out).exit_code == 0
    proc = subprocess.run(
        [sys.executable, str(out), str(d)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    expected = pact("eval", c, "--data", d, "--format", "json").json
    got = json.loads(proc.stdout)
    for key in ("kpis", "thresholds", "payments", "waterfalls"):
        assert got[key] == expected[key]


def test_schema_validates_good_data_and_rejects_bad(files: tuple[Path, Path]) -> None:
    import jsonschema

    c, _ = files
    run = pact("schema", c)
    assert run.exit_code == 0
    schema = run.json
    jsonschema.validate({"2026-01": {"leads": 3, "proceeds": "12.50"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"2026-01": {"leads": -3}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"2026-13": {"leads": 3}}, schema)


# ---------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{missing}"],
        ["fmt", "{missing}"],
        ["test", "{missing}"],
        ["eval", "{missing}", "--data", "{data}"],
        ["render", "{missing}"],
        ["vote", "{missing}", "board.budget", "--ballot", "acme=yes"],
        ["analyze", "{missing}"],
        ["escalate", "{missing}", "disputes", "--opened", "2026-01-01"],
        ["distribute", "{missing}", "fund", "--amount", "1"],
        ["schema", "{missing}"],
        ["compile", "{missing}"],
        ["eval", "{contract}", "--data", "{missing}"],
        ["eval", "{contract}", "--data", "{data}", "--no-such-option"],
        ["eval", "{contract}", "--data", "{data}", "--from", "2026-13"],
        ["eval", "{contract}", "--data", "{data}", "--from", "2026-03", "--to", "2026-01"],
        ["nonsense"],
    ],
)
def test_exit_2_for_bad_usage_or_unreadable_input(
    files: tuple[Path, Path], tmp_path: Path, args: list[str]
) -> None:
    c, d = files
    real = [a.format(missing=tmp_path / "missing.pact", data=d, contract=c) for a in args]
    run = pact(*real)
    assert run.exit_code == 2, (run.stdout, run.stderr)
    assert run.exception is None


def test_a_contract_with_errors_given_to_a_command_that_needs_one_is_exit_2(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.pact", SRC.replace("won / leads", "won / lead"))
    d = write(tmp_path, "d.csv", DATA)
    for args in (["eval", bad, "--data", d], ["render", bad], ["analyze", bad], ["schema", bad]):
        run = pact(*args)
        assert run.exit_code == 2, args
        assert "E010" in run.stderr or "error" in run.stderr


def test_check_exit_1_on_errors_including_syntax_errors(tmp_path: Path) -> None:
    assert (
        pact("check", write(tmp_path, "a.pact", SRC.replace("won / leads", "won / lead"))).exit_code
        == 1
    )
    assert (
        pact(
            "check", write(tmp_path, "b.pact", SRC.replace("kpi conversion", "kpi conversion ((("))
        ).exit_code
        == 1
    )


def test_check_warnings_alone_are_exit_0(tmp_path: Path) -> None:
    src = contract('measure unused "U": number')
    run = pact("check", write(tmp_path, "w.pact", src))
    assert run.exit_code == 0
    assert "warning" in run.stdout + run.stderr


# ---------------------------------------------------------------- diagnostics


def test_diagnostic_layout_with_caret_and_help(tmp_path: Path) -> None:
    """`path:line:col: error[E0xx]: message`, the source line, a caret under the span, and `help:`."""
    src = 'contract "C" {\n  currency EUR\n  measure revenue "Revenue": money\n  let extra = 2% * revenu\n}\n'
    p = write(tmp_path, "contract.pact", src)
    run = pact("check", p)
    assert run.exit_code == 1
    out = run.stdout + run.stderr
    lines = out.splitlines()
    head = next(
        i
        for i, line in enumerate(lines)
        if re.match(rf"{re.escape(str(p))}:4:20: error\[E\d\d\d\]: .*revenu", line)
    )
    assert "let extra = 2% * revenu" in lines[head + 1]
    caret_line = lines[head + 2]
    source_line = lines[head + 1]
    # the caret sits under the column of `revenu`
    assert caret_line.index("^") - source_line.index("let extra") == src.splitlines()[3].index(
        "revenu"
    ) - src.splitlines()[3].index("let extra")
    assert caret_line.count("^") == len("revenu")
    assert any("help:" in line and "revenue" in line for line in lines[head:])


def test_all_errors_of_a_file_in_one_run(tmp_path: Path) -> None:
    src = contract(
        """
        measure m "M": money
        let a = undeclared_one + 1
        let b = m < 5%
        measure count "C": number
        let c = 10 USD
        let d = ((1 +
        let e = another_undeclared
        """
    )
    run = pact("check", "--format", "json", write(tmp_path, "many.pact", src))
    assert run.exit_code == 1
    errors = [d for d in run.json["diagnostics"] if d["severity"] == "error"]
    lines = {d["span"]["line"] for d in errors}
    # undeclared_one (7), m < 5% (8), keyword `count` (9), USD (10), the syntax error (11), another_undeclared (12)
    assert {7, 8, 9, 10, 12} <= lines, errors
    assert len(errors) >= 6


def test_errors_of_every_file_in_one_run(tmp_path: Path) -> None:
    write(tmp_path, "x/a.pact", SRC.replace("won / leads", "won / lead"))
    write(
        tmp_path,
        "x/b.pact",
        SRC.replace("quorum 2 members", "quorum 2 members\n    member nobody weight 3"),
    )
    run = pact("check", "--format", "json", tmp_path / "x")
    paths = {Path(d["path"]).name for d in run.json["diagnostics"] if d["severity"] == "error"}
    assert paths == {"a.pact", "b.pact"}


# ---------------------------------------------------------------- no traceback, no colour in pipes


@pytest.mark.parametrize(
    "case",
    [
        "binary",
        "directory",
        "empty_data",
        "garbage_data",
        "bad_amount",
        "bad_ballot",
        "bad_month",
        "missing",
        "no_contract",
    ],
)
def test_no_traceback_for_user_mistakes(tmp_path: Path, case: str) -> None:
    c = write(tmp_path, "c.pact", SRC)
    d = write(tmp_path, "d.csv", DATA)
    binary = tmp_path / "bin.pact"
    binary.write_bytes(b"\x00\xff\xfe\x80garbage")
    empty = write(tmp_path, "empty.csv", "")
    garbage = write(tmp_path, "g.json", "{not json")
    only_tests = write(tmp_path, "t.pact", 'test "x" {\n  expect 1 == 1\n}\n')
    args = {
        "binary": ["check", binary],
        "directory": ["eval", tmp_path, "--data", d],
        "empty_data": ["eval", c, "--data", empty],
        "garbage_data": ["eval", c, "--data", garbage],
        "bad_amount": ["distribute", c, "fund", "--amount", "lots"],
        "bad_ballot": ["vote", c, "board", "--ballot", "="],
        "bad_month": ["eval", c, "--data", d, "--to", "march"],
        "missing": ["render", tmp_path / "nope.pact"],
        "no_contract": ["eval", only_tests, "--data", d],
    }[case]
    proc = pact_proc(*args)
    assert proc.returncode in (1, 2), proc
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip()


def test_no_colour_when_output_is_not_a_terminal(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, d = files
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    bad = write(tmp_path, "bad.pact", SRC.replace("won / leads", "won / lead"))
    for args in (["eval", c, "--data", d], ["check", bad], ["analyze", c]):
        proc = subprocess.run(
            [pact_exe(), *map(str, args)], capture_output=True, text=True, env=env, timeout=120
        )
        assert not ANSI.search(proc.stdout) and not ANSI.search(proc.stderr), args


def test_json_output_is_deterministic_and_sorted(files: tuple[Path, Path]) -> None:
    c, d = files
    a = pact("eval", c, "--data", d, "--format", "json").stdout
    b = pact("eval", c, "--data", d, "--format", "json").stdout
    assert a == b
    doc = json.loads(a)
    assert list(doc) == sorted(doc)


def test_existing_output_untouched_when_the_command_fails(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.pact", SRC.replace("won / leads", "won / lead"))
    out = write(tmp_path, "annex.md", "previous annex")
    assert pact("render", bad, "-o", out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous annex"


# ---------------------------------------------------------------- Python API (README.md)


def test_python_api_load_evaluate_status_value(files: tuple[Path, Path]) -> None:
    c, d = files
    con = pactlang.load(c)
    result = con.evaluate(d)
    assert result.status("floor", pactlang.Period(2026, 2)) == "breach"
    assert result.value("conversion", pactlang.Period(2026, 1)) == Decimal("0.12")


def test_python_api_loads_and_errors(files: tuple[Path, Path]) -> None:
    con = pactlang.loads(SRC)
    assert con.name == "Spec"
    with pytest.raises(pactlang.PactError) as info:
        pactlang.loads(SRC.replace("won / leads", "won / lead"))
    assert any(d.code == "E010" for d in info.value.diagnostics)
    checked = pactlang.check_source(SRC.replace("won / leads", "won / lead"), "inline.pact")
    assert not checked.ok
    with pytest.raises(pactlang.UsageError):
        pactlang.load("/nonexistent/contract.pact")


def test_python_api_evaluates_an_in_memory_dataset() -> None:
    con = pactlang.loads(SRC)
    p1, p2 = pactlang.Period(2026, 1), pactlang.Period(2026, 2)
    result = con.evaluate(
        {
            p1: {"leads": 100, "won": 4, "proceeds": Decimal("0")},
            p2: {"leads": 100, "won": 50, "proceeds": Decimal("0")},
        }
    )
    assert result.status("floor", p1) == "breach"
    assert result.status("floor", p2) == "ok"


# ---------------------------------------------------------------- Additions (second round)


def test_engine_interpreter_is_the_reference(files: tuple[Path, Path]) -> None:
    c, d = files
    ref = pact("eval", c, "--data", d, "--format", "json")
    run = pact("eval", c, "--data", d, "--format", "json", "--engine", "interpreter")
    assert run.exit_code == 0 and run.stdout == ref.stdout


def test_engine_duckdb_is_byte_identical(files: tuple[Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    c, _ = files
    d = write(
        tmp_path,
        "p.csv",
        "partner,period,leads,won,proceeds\na,2026-01,100,5,10\nb,2026-01,100,50,20\n",
    )
    ref = pact("eval", c, "--data", d, "--by", "partner", "--format", "json")
    run = pact("eval", c, "--data", d, "--by", "partner", "--format", "json", "--engine", "duckdb")
    assert run.exit_code == 0 and run.stdout == ref.stdout


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_eval_streaming_formats_to_a_file(
    files: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    c, d = files
    out = tmp_path / f"out.{fmt}"
    run = pact("eval", c, "--data", d, "--format", fmt, "-o", out)
    assert run.exit_code == 0 and out.read_text(encoding="utf-8").strip()


def test_eval_xlsx_has_one_sheet_per_table(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, d = files
    out = tmp_path / "out.xlsx"
    assert pact("eval", c, "--data", d, "--format", "xlsx", "-o", out).exit_code == 0
    import zipfile

    names = zipfile.ZipFile(out).namelist()
    assert sum(1 for n in names if n.startswith("xl/worksheets/sheet")) >= 5


def test_compile_to_sql(files: tuple[Path, Path]) -> None:
    c, _ = files
    run = pact("compile", c, "--target", "sql", "--dialect", "duckdb")
    assert run.exit_code == 0 and "select" in run.stdout.lower()


def test_lsp_answers_initialize_on_stdio() -> None:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
    )
    shutdown = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    exit_ = json.dumps({"jsonrpc": "2.0", "method": "exit"})
    payload = "".join(
        f"Content-Length: {len(m.encode())}\r\n\r\n{m}" for m in (body, shutdown, exit_)
    )
    proc = pact_proc("lsp", input=payload)
    assert proc.returncode == 0
    assert '"capabilities"' in proc.stdout


def test_diff_says_what_changed_in_meaning(tmp_path: Path) -> None:
    old = write(tmp_path, "old.pact", SRC)
    new = write(tmp_path, "new.pact", SRC.replace("conversion < 10%", "conversion < 8%"))
    run = pact("diff", old, new)
    assert run.exit_code == 1
    assert "floor rule 1" in run.stdout and "10%" in run.stdout and "8%" in run.stdout
    assert pact("diff", old, old).exit_code == 0


def test_calendar_lists_dated_obligations(files: tuple[Path, Path]) -> None:
    c, d = files
    run = pact("calendar", c, "--data", d, "--format", "json")
    assert run.exit_code == 0
    assert "2026-02-28" in run.stdout  # the dispute opened by the February breach
    ics = pact("calendar", c, "--data", d, "--format", "ics")
    assert ics.exit_code == 0 and "BEGIN:VCALENDAR" in ics.stdout


def test_render_notes_add_the_negotiators_notes(tmp_path: Path) -> None:
    c = write(tmp_path, "c.pact", SRC)  # 60/40 with >= 2/3 of weight: orbis's implied veto
    plain = pact("render", c, "--lang", "en")
    notes = pact("render", c, "--lang", "en", "--notes")
    assert notes.exit_code == 0
    assert "veto" in notes.stdout.lower()
    assert len(notes.stdout) > len(plain.stdout)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    run = pact("completion", shell)
    assert run.exit_code == 0 and "pact" in run.stdout


def test_dash_reads_the_contract_from_stdin() -> None:
    proc = pact_proc("check", "-", input=SRC)
    assert proc.returncode == 0


def test_dash_reads_the_data_from_stdin(files: tuple[Path, Path]) -> None:
    c, _ = files
    proc = pact_proc("eval", c, "--data", "-", "--format", "json", input=DATA)
    assert proc.returncode == 0 and json.loads(proc.stdout)["months"] == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]


def test_dash_o_writes_to_stdout(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, _ = files
    proc = pact_proc("render", c, "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0 and "Floor" in proc.stdout
    assert not (tmp_path / "-").exists()


def test_tool_pact_defaults_and_command_line_wins(tmp_path: Path) -> None:
    """Ambiguity: key names are not given. Reading chosen: `language = "en"` under `[tool.pact]` in the
    pyproject.toml of the working directory sets the annex language; `--lang` wins."""
    fr = SRC.replace("currency EUR", "currency EUR\n  language fr")
    c = write(
        tmp_path,
        "c.pact",
        fr.replace('threshold floor "Floor"', 'threshold floor "Plancher" en "Floor"'),
    )
    write(tmp_path, "pyproject.toml", '[tool.pact]\nlanguage = "en"\n')
    default = pact_proc("render", c, cwd=tmp_path)
    forced = pact_proc("render", c, "--lang", "fr", cwd=tmp_path)
    assert "Floor" in default.stdout and "Plancher" not in default.stdout
    assert "Plancher" in forced.stdout


def test_tool_pact_calendar_default_and_command_line_wins(tmp_path: Path) -> None:
    """CLI.md: `[tool.pact]` gives "defaults for language, calendar, …; command-line options
    win". Reading chosen: `calendar = "FR"` is the public-holiday calendar of a contract
    without a `calendar` line, `pact --calendar CC` wins over it, and a contract's own
    `calendar` line wins over both. (The key used to be refused: "no command has an
    option --calendar", exit 2.)

    A dispute opened Thursday 2026-04-30, first step `within 10 business days` (§8: the
    10th business day after the start):
    - weekends only: May 1 (Fri) 1, 4–8 → 2–6, 11–14 → 7–10: 2026-05-14;
    - FR: May 1, May 8 (Victoire) and May 14 (Ascension) are holidays: May 4–7 → 1–4,
      11–13 → 5–7, 15 → 8, 18 → 9, 19 → 10: 2026-05-19;
    - DE: May 1 and May 14 (Christi Himmelfahrt) are holidays: May 4–8 → 1–5,
      11–13 → 6–8, 15 → 9, 18 → 10: 2026-05-18."""
    ladder = (
        "escalation disputes {\n    step talks within 10 business days\n"
        "    step court final\n  }\n"
    )
    plain = 'contract "Cal" {\n  effective 2026-01-01\n  currency EUR\n  party acme "A"\n  ' + ladder + "}\n"
    own = plain.replace("currency EUR", "currency EUR\n  calendar GB")
    c = write(tmp_path, "c.pact", plain)
    g = write(tmp_path, "g.pact", own)

    def deadline(*args: str | Path) -> str:
        proc = pact_proc(*args, "--opened", "2026-04-30", "--format", "json", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return str(json.loads(proc.stdout)["steps"][0]["deadline"])

    assert deadline("escalate", c, "disputes") == "2026-05-14"
    write(tmp_path, "pact.toml", 'calendar = "FR"\n')
    assert deadline("escalate", c, "disputes") == "2026-05-19"
    assert deadline("--calendar", "DE", "escalate", c, "disputes") == "2026-05-18"
    # GB: May 4 (Early May bank holiday) is a holiday: May 1 → 1, 5–8 → 2–5, 11–15 → 6–10
    assert deadline("escalate", g, "disputes") == "2026-05-15"
    write(tmp_path, "pact.toml", 'calendar = "XX"\n')
    bad = pact_proc("escalate", c, "disputes", "--opened", "2026-04-30", cwd=tmp_path)
    assert bad.returncode == 2 and "XX" in bad.stderr and "Traceback" not in bad.stderr


def test_output_that_is_an_input_is_refused(files: tuple[Path, Path]) -> None:
    c, _ = files
    before = c.read_bytes()
    run = pact("render", c, "-o", c)
    assert run.exit_code == 2
    assert c.read_bytes() == before


def test_symlink_output_is_written_through(files: tuple[Path, Path], tmp_path: Path) -> None:
    c, _ = files
    target = write(tmp_path, "target.md", "old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert pact("render", c, "-o", link).exit_code == 0
    assert link.is_symlink()
    assert "Floor" in target.read_text(encoding="utf-8")


def test_fifo_output_is_written_to_directly(files: tuple[Path, Path], tmp_path: Path) -> None:
    """A FIFO stands for every special file here (a device node is never used in tests: the product replaces
    it, which once replaced /dev/null on the test machine)."""
    import stat

    c, _ = files
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    received: list[bytes] = []
    done = threading.Event()

    def reader() -> None:
        import time

        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        chunks = []
        try:
            while True:
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    chunk = None
                if chunk:
                    chunks.append(chunk)
                elif done.is_set():
                    break
                else:
                    time.sleep(0.01)
        finally:
            os.close(fd)
            received.append(b"".join(chunks))

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    run = pact("render", c, "-o", fifo)
    done.set()
    t.join(timeout=15)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the pipe was replaced by a regular file"
    assert run.exit_code == 0
    assert received and b"Floor" in received[0]


@pytest.mark.parametrize("content", ["{not json", '{"format": "something-else"}', "   "])
def test_unreadable_state_file_is_an_error_and_left_untouched(
    files: tuple[Path, Path], tmp_path: Path, content: str
) -> None:
    c, _ = files
    state = write(tmp_path, "state.json", content)
    run = pact("distribute", c, "fund", "--amount", "10", "--state", state)
    assert run.exit_code == 2
    assert state.read_text(encoding="utf-8") == content


def test_empty_state_file_is_an_error_never_a_fresh_start(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    c, _ = files
    state = write(tmp_path, "state.json", "")
    run = pact("distribute", c, "fund", "--amount", "10", "--state", state)
    assert run.exit_code == 2
    assert state.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize(
    "args",
    [
        ("eval", "{new}", "--data", "{data}", "--format", "json", "-o", "{old}"),
        ("eval", "{new}", "--data", "{data}", "--format", "csv", "-o", "{old}"),
        ("report", "{new}", "--data", "{data}", "-o", "{old}"),
        ("render", "{new}", "-o", "{old}"),
        ("compile", "{new}", "-o", "{old}"),
        ("calendar", "{new}", "-o", "{old}"),
        ("distribute", "{new}", "fund", "--amount", "10", "--state", "{old}"),
    ],
)
def test_output_that_is_the_amended_version_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    """CLI.md: "an output path that is one of the command's inputs is refused". A contract that `amends`
    another reads the amended version (docs/language.md §16: its months before the switch are evaluated
    with it), so that file is an input too: writing over it is refused (exit 2) and it keeps its bytes.
    (The product used to overwrite the amended version with the output.)"""
    old = write(tmp_path, "v1.pact", SRC.replace("  effective", '  id "SPEC-1"\n  effective', 1))
    new = write(
        tmp_path,
        "v2.pact",
        SRC.replace("  effective", '  id "SPEC-1-A1"\n  amends "SPEC-1" from 2026-02\n  effective', 1),
    )
    data = write(tmp_path, "d.csv", DATA)
    assert pact("check", new).exit_code == 0
    before = old.read_bytes()
    run = pact(*(a.format(new=new, old=old, data=data) for a in args))
    assert run.exit_code == 2, run.stderr
    assert "overwrite an input" in run.stderr
    assert old.read_bytes() == before


# ---------------------------------------------------------------- audit: -o, stdin, formats, diagnostics


@pytest.mark.parametrize(
    "command",
    [
        ["compile", "{c}", "-o", "{hard}"],  # a hard link to the contract
        ["compile", "{c}", "-o", "{dotted}"],  # the contract through another spelling of its path
        ["calendar", "{c}", "--data", "{d}", "--format", "csv", "-o", "{d}"],
        ["eval", "{c}", "--data", "{d}", "--format", "csv", "-o", "{d}"],
        ["report", "{c}", "--data", "{d}", "-o", "{d}"],
        ["diff", "{c}", "{copy}", "--format", "html", "-o", "{copy}"],
    ],
)
def test_every_spelling_of_an_input_is_refused_as_the_output(
    files: tuple[Path, Path], tmp_path: Path, command: list[str]
) -> None:
    """CLI.md: "an output path that is one of the command's inputs is refused" — the same file however
    it is named; exit 2, and the input is untouched."""
    c, d = files
    hard = tmp_path / "hard.pact"
    os.link(c, hard)
    copy = write(tmp_path, "copy.pact", SRC)
    dotted = tmp_path / "sub" / ".." / c.name
    (tmp_path / "sub").mkdir()
    args = [a.format(c=c, d=d, hard=hard, dotted=dotted, copy=copy) for a in command]
    before = {p: p.read_bytes() for p in (c, d, copy)}
    run = pact(*args)
    assert run.exit_code == 2, (args, run.stdout, run.stderr)
    assert "overwrite an input" in run.stderr
    assert {p: p.read_bytes() for p in (c, d, copy)} == before


def test_diagnostics_of_standard_input_name_it() -> None:
    """CLI.md: `path:line:col: error[E0xx]: message`, the source line and a caret under the span; `-`
    reads the contract from standard input, whose path is shown as `<stdin>`; errors in `check` → exit 1.
    `lead` is on line 9 of SRC, at column 48 (`  kpi conversion "Conversion": percent = won / lead {`)."""
    src = SRC.replace("won / leads", "won / lead")
    lines = src.splitlines()
    assert lines[8].index("lead {") + 1 == 48
    proc = pact_proc("check", "-", input=src)
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    head = out.index("<stdin>:9:48: error[E010]: undeclared name `lead`")
    assert out[head + 1].endswith(lines[8])
    assert out[head + 2].index("^") == out[head + 1].index(lines[8]) + 47
    assert out[head + 2].rstrip().endswith("^^^^")
    assert "Traceback" not in proc.stderr


def test_only_one_input_from_standard_input(files: tuple[Path, Path]) -> None:
    """`-` for both the contract and the data cannot work: a usage error (exit 2), not a hang or a traceback."""
    proc = pact_proc("eval", "-", "--data", "-", input=SRC)
    assert proc.returncode == 2
    assert "standard input" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_binary_formats_need_an_output_file(files: tuple[Path, Path], fmt: str) -> None:
    c, d = files
    run = pact("eval", c, "--data", d, "--format", fmt)
    assert run.exit_code == 2
    assert run.stdout == ""


def test_unknown_format_is_bad_usage(files: tuple[Path, Path]) -> None:
    c, d = files
    run = pact("eval", c, "--data", d, "--format", "yaml")
    assert run.exit_code == 2


def test_bad_data_lists_every_problem_and_writes_nothing(files: tuple[Path, Path], tmp_path: Path) -> None:
    """§12 / CLI.md: bad data is reported with file, row and column (exit 2), every problem in one run,
    and nothing is evaluated or written (the -o file does not appear)."""
    c, _ = files
    bad = write(
        tmp_path,
        "bad.csv",
        "period,leads,won,proceeds,zzz\n2026-01,abc,1,1,\n2026-13,1,1,1,\n2026-01,1,1,1,\n",
    )
    out = tmp_path / "out.json"
    run = pact("eval", c, "--data", bad, "--format", "json", "-o", out)
    assert run.exit_code == 2
    assert "bad.csv:1:zzz:" in run.stderr  # unknown column, in the header (row 1)
    assert "bad.csv:2:leads: 'abc' is not a number" in run.stderr
    assert "bad.csv:3:period:" in run.stderr and "2026-13" in run.stderr
    assert "bad.csv:4:period: duplicate month 2026-01" in run.stderr
    assert not out.exists()
