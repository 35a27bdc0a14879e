"""Contracts at scale through the CLI: big committees, big waterfalls.

Functional only: the times are measured by ``benchmarks/bench_limits.py``.
"""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from pactlang.cli import main


def run(*args: str | Path) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, [str(a) for a in args], env={"NO_COLOR": "1"})
    return r.exit_code, r.stdout, r.stderr


def committee_contract(weights: list[int]) -> str:
    n = len(weights)
    lines = ['contract "Big board" {', "  currency EUR"]
    lines += [f'  party p{i} "Party {i}"' for i in range(n)]
    lines.append('  committee board "Board" {')
    lines += [f"    member p{i} weight {w}" for i, w in enumerate(weights)]
    lines.append("    quorum 50% of weight")
    lines.append('    decision budget "Budget" requires >= 2/3 of weight')
    lines.append('    decision scope "Scope" requires majority')
    lines.append('    decision brand "Brand" requires majority veto p0')
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def test_analyze_and_render_a_thousand_equal_members(tmp_path: Path) -> None:
    path = tmp_path / "board.pact"
    path.write_text(committee_contract([1] * 1000), "utf-8")
    code, out, err = run("analyze", path, "--format", "json")
    assert code == 0, err
    assert '"banzhaf": "1/1000"' in out
    code, out, err = run("render", path, "--lang", "en", "--notes")
    assert code == 0, err
    assert out.count("| Party 999 |") >= 3  # one power row per decision (the notes)


def test_power_too_costly_is_a_note_not_a_failure(tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "board.pact"
    path.write_text(committee_contract([rng.randint(1, 10**6) for _ in range(120)]), "utf-8")
    code, out, err = run("analyze", path)
    assert code == 0, err
    assert "could not be analysed" in out and "too costly to compute exactly" in out
    code, out, err = run("render", path, "--lang", "en", "--notes")
    assert code == 0, err
    assert "is not computed here: with 120 members and 120 different weights" in out
    code, out, err = run("render", path, "--lang", "fr", "--notes")
    assert code == 0, err
    assert "n’est pas calculé ici" in out


def test_a_journal_that_is_a_device_is_refused_at_once() -> None:
    root = Path(__file__).resolve().parents[2]
    code, out, err = run(
        "eval",
        root / "examples" / "contracts" / "alliance.pact",
        "--data",
        root / "examples" / "data" / "alliance.csv",
        "--journal",
        "/dev/zero",
    )
    assert code == 2
    assert "/dev/zero: larger than 16,777,216 bytes" in err
