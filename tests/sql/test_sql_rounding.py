"""Python rounds ``-x`` and ``abs(x)`` to 28 significant digits as any
arithmetic; a value of the data may have more (up to 31 integer digits): the
SQL engines guard them like ``+`` (such a key is the kernel's), never the
exact negation (found by the differential suite in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engines_helpers import engine_lines

from pactlang.api import load

pytest.importorskip("duckdb")


@pytest.mark.parametrize("expr", ["-m2", "abs(m2)", "-(-m2)", "abs(-m2)"])
def test_negation_and_abs_round_as_the_interpreter(tmp_path: Path, expr: str) -> None:
    pact, data = tmp_path / "n.pact", tmp_path / "n.csv"
    pact.write_text(
        f'contract "N" {{\n  currency JPY\n  party a "A"\n  measure m2 "M2": number\n  kpi k1 "K1": number = {expr}\n}}\n',
        encoding="utf-8",
    )
    data.write_text(
        "key,period,m2\nx,2026-05,-123456789012345678901234567890.12\nx,2026-06,-1.50\ny,2026-05,2.25\n",
        encoding="utf-8",
    )
    ref = engine_lines(load(pact), data, "interpreter")
    assert ref[0] == "ok" and "1234567890123456789012345679" in ref[1][0]  # rounded, as Python does
    assert engine_lines(load(pact), data, "duckdb") == ref
