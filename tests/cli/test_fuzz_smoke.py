"""A small run of ``scripts/fuzz_cli.py`` (the full run is documented in docs/reliability.md)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_cli.py"


def load_fuzzer() -> object:
    spec = importlib.util.spec_from_file_location("fuzz_cli", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_cli"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_cases_are_deterministic() -> None:
    fuzz = load_fuzzer()
    a = fuzz.make_case("contract", 17, 3)  # type: ignore[attr-defined]
    b = fuzz.make_case("contract", 17, 3)  # type: ignore[attr-defined]
    assert a == b
    assert fuzz.make_case("contract", 18, 3) != a  # type: ignore[attr-defined]
    for kind in ("data", "state"):
        case = fuzz.make_case(kind, 5, 3)  # type: ignore[attr-defined]
        assert case.files and case.commands


@pytest.mark.slow
def test_a_small_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    fuzz = load_fuzzer()
    args = argparse.Namespace(
        contracts=40, data=15, states=15, subprocess=4, workers=2, seed=11,
        out=str(tmp_path / "out"), markdown=str(tmp_path / "summary.md"),
    )
    summary = fuzz.fuzz(args, progress=lambda _msg: None)  # type: ignore[attr-defined]
    assert summary["cases"] == {"contracts": 40, "data_files": 15, "state_files": 15}
    for run in (summary["in_process"], summary["subprocess_sample"]):
        assert (run["tracebacks"], run["hangs_over_10s"], run["over_1_GiB"]) == (0, 0, 0), json.dumps(
            summary["failures"], indent=1
        )[:4000]
    assert (tmp_path / "summary.md").read_text("utf-8").startswith("Seed 11:")
