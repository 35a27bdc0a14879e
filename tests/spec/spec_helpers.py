"""Helpers of the conformance suite (tests/spec).

The suite is written from the words of /work/shared/spec/LANGUAGE.md and CLI.md,
and drives the product only through its public surfaces: the `pact` command
(click's CliRunner on `pactlang.cli.main`, or a subprocess when the exit code of
the real process, standard input or the absence of a traceback matters) and the
Python API of README.md (`pactlang.load`, `loads`, `check_source`,
`Contract.evaluate`, `Period`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from pactlang.cli import main

HEADER = """\
  effective 2026-01-01
  currency EUR
  party acme "ACME SAS"
  party orbis "Orbis SA"
"""


def contract(body: str, *, header: str = HEADER, title: str = "Spec") -> str:
    """A whole contract: the default header (EUR, term from 2026-01, parties acme and orbis)."""
    body = textwrap.indent(textwrap.dedent(body).strip("\n"), "  ")
    return f'contract "{title}" {{\n{header}{body}\n}}\n'


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)


def pact(*args: str | os.PathLike[str], input: str | None = None) -> Run:
    """`pact ARGS` in process (CliRunner); stdout and stderr kept apart."""
    runner = CliRunner()
    res = runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=True)
    exc = res.exception if not isinstance(res.exception, SystemExit) else None
    return Run(res.exit_code, res.stdout, res.stderr, exc)


def pact_exe() -> str:
    exe = Path(sys.executable).with_name("pact")
    if exe.exists():
        return str(exe)
    found = shutil.which("pact")
    assert found, "the `pact` command is not installed"
    return found


def pact_proc(
    *args: str | os.PathLike[str],
    input: str | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`pact ARGS` as a real process (exit code, stdin, tracebacks)."""
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [pact_exe(), *[str(a) for a in args]],
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def write(dir: Path, name: str, text: str) -> Path:
    p = dir / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def csv_text(rows: dict[str, dict[str, object]], columns: list[str] | None = None) -> str:
    """A wide CSV from {month: {measure: value}} (None = empty cell)."""
    if columns is None:
        columns = []
        for r in rows.values():
            for c in r:
                if c not in columns:
                    columns.append(c)
    lines = [",".join(["period", *columns])]
    for month, r in rows.items():
        cells = ["" if r.get(c) is None else str(r.get(c)) for c in columns]
        lines.append(",".join([month, *cells]))
    return "\n".join(lines) + "\n"


def evaluate(
    tmp_path: Path,
    src: str,
    rows: dict[str, dict[str, object]] | str,
    *extra: str,
) -> dict[str, Any]:
    """`pact eval --format json` of a contract text over rows (or CSV text); the result document."""
    c = write(tmp_path, "contract.pact", src)
    data = write(tmp_path, "data.csv", rows if isinstance(rows, str) else csv_text(rows))
    run = pact("eval", c, "--data", data, "--format", "json", *extra)
    assert run.exit_code == 0, (
        f"exit {run.exit_code}\n{run.stdout}\n{run.stderr}\n{run.exception!r}"
    )
    return run.json  # type: ignore[no-any-return]


def eval_run(
    tmp_path: Path, src: str, rows: dict[str, dict[str, object]] | str, *extra: str
) -> Run:
    c = write(tmp_path, "contract.pact", src)
    data = write(tmp_path, "data.csv", rows if isinstance(rows, str) else csv_text(rows))
    return pact("eval", c, "--data", data, *extra)


def series(doc: dict[str, Any], name: str) -> dict[str, Decimal | bool | str | None]:
    """The monthly values of a measure, let or KPI from an eval JSON document, decimals as Decimal."""
    for section in ("kpis", "lets", "measures"):
        if name in doc.get(section, {}):
            out: dict[str, Decimal | bool | str | None] = {}
            for month, v in doc[section][name].items():
                out[month] = Decimal(v) if isinstance(v, str) and _is_decimal(v) else v
            return out
    raise KeyError(name)


def statuses(doc: dict[str, Any], name: str) -> dict[str, str | None]:
    return {m: v["status"] for m, v in doc["thresholds"][name].items()}


def _is_decimal(s: str) -> bool:
    try:
        Decimal(s)
    except Exception:
        return False
    return True


def check(tmp_path: Path, src: str, name: str = "contract.pact") -> Run:
    """`pact check --format json` of a text."""
    p = write(tmp_path, name, src)
    return pact("check", "--format", "json", p)


def error_codes(tmp_path: Path, src: str) -> list[str]:
    run = check(tmp_path, src)
    assert run.exit_code in (0, 1), run.stderr
    return [d["code"] for d in run.json["diagnostics"] if d["severity"] == "error"]


def diagnostics(tmp_path: Path, src: str) -> list[dict[str, Any]]:
    run = check(tmp_path, src)
    assert run.exit_code in (0, 1), run.stderr
    return list(run.json["diagnostics"])


def is_clean(tmp_path: Path, src: str) -> bool:
    return not error_codes(tmp_path, src)


def run_tests(tmp_path: Path, src: str, name: str = "contract.pact") -> tuple[Run, dict[str, Any]]:
    """`pact test --format json` of a file; the run and its JSON document."""
    p = write(tmp_path, name, src)
    run = pact("test", "--format", "json", p)
    try:
        doc = run.json
    except ValueError:
        doc = {}
    return run, doc


def assert_tests_pass(tmp_path: Path, src: str) -> None:
    run, doc = run_tests(tmp_path, src)
    failed = [
        (t["name"], t.get("error"), [e for e in t.get("expectations", []) if not e["passed"]])
        for t in doc.get("tests", [])
        if not t["passed"]
    ]
    assert run.exit_code == 0 and doc.get("failed") == 0, (
        f"exit {run.exit_code}; failures: {json.dumps(failed, indent=1, default=str)}\n{run.stderr}"
    )


def vote(tmp_path: Path, src: str, decision: str, ballot: str, *extra: str) -> dict[str, Any]:
    c = write(tmp_path, "contract.pact", src)
    run = pact("vote", c, decision, "--ballot", ballot, "--format", "json", *extra)
    assert run.exit_code == 0, f"{run.stdout}\n{run.stderr}"
    return run.json  # type: ignore[no-any-return]


def analyze(tmp_path: Path, src: str) -> dict[str, Any]:
    c = write(tmp_path, "contract.pact", src)
    run = pact("analyze", c, "--format", "json")
    assert run.exit_code == 0, f"{run.stdout}\n{run.stderr}"
    return run.json  # type: ignore[no-any-return]


def escalate(tmp_path: Path, src: str, ladder: str, *extra: str) -> dict[str, Any]:
    c = write(tmp_path, "contract.pact", src)
    run = pact("escalate", c, ladder, "--format", "json", *extra)
    assert run.exit_code == 0, f"{run.stdout}\n{run.stderr}"
    return run.json  # type: ignore[no-any-return]


def distribute(tmp_path: Path, src: str, waterfall: str, amount: str, *extra: str) -> Run:
    c = write(tmp_path, "contract.pact", src)
    return pact("distribute", c, waterfall, "--amount", amount, "--format", "json", *extra)
