"""Differential tests on the repository's own contracts (issue 7).

Every example contract on its data file (also as a portfolio and with
``--strict``), every engine fixture on its data file, and every ``test`` block's
data of every ``.pact`` file of the repository that checks: the interpreter
and the compiled module must print the same JSON, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codegen_helpers import both

import pactlang
from pactlang.codegen import CodegenError, compile_module_source
from pactlang.testing import _test_data, collect

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

EXAMPLE_DATA = {
    "alliance.pact": ["alliance.csv"],
    "coinvest_fund.pact": ["coinvest_fund.json"],
    "distribution.pact": ["distribution.csv"],
    "reseller_sla.pact": ["reseller_sla.csv"],
    "partnership.pact": ["partnership.csv"],
}


def _pact_files() -> list[Path]:
    files = sorted(EXAMPLES.rglob("*.pact")) + sorted((ROOT / "tests").rglob("*.pact"))
    return [f for f in files if f.is_file()]


def _engine_fixtures() -> list[tuple[Path, Path]]:
    out = []
    for pact in sorted((ROOT / "tests" / "engine" / "fixtures").glob("*.pact")):
        for ext in (".csv", ".json"):
            data = pact.with_suffix(ext)
            if data.exists():
                out.append((pact, data))
    return out


#: Versions that amend another: evaluated by the interpreter only (docs/codegen.md).
AMENDING = {"alliance_v2.pact"}


def test_every_example_contract_has_data_here() -> None:
    assert sorted(p.name for p in (EXAMPLES / "contracts").glob("*.pact") if ".test." not in p.name) == sorted(
        [*EXAMPLE_DATA, *AMENDING]
    )


@pytest.mark.parametrize("name", sorted(AMENDING))
def test_amending_versions_are_not_compiled(name: str) -> None:
    contract = pactlang.load(EXAMPLES / "contracts" / name)
    assert contract.checked.amends is not None
    with pytest.raises(CodegenError, match="interpreter only"):
        compile_module_source(contract)


@pytest.mark.parametrize("name", sorted(EXAMPLE_DATA))
def test_example_contracts_on_their_data(name: str) -> None:
    contract = pactlang.load(EXAMPLES / "contracts" / name)
    for data in EXAMPLE_DATA[name]:
        rows = contract.read_data(EXAMPLES / "data" / data).datasets.get(None, {})
        for strict in (False, True):
            interpreted, generated = both(contract.checked, rows, strict=strict, program=contract.program)
            assert interpreted == generated, (name, data, strict)


def test_example_portfolio() -> None:
    contract = pactlang.load(EXAMPLES / "contracts" / "alliance.pact")
    loaded = contract.read_data(EXAMPLES / "data" / "alliance_portfolio.csv", by="partner")
    assert len(loaded.datasets) > 1
    for key, rows in loaded.datasets.items():
        interpreted, generated = both(contract.checked, rows, key=str(key), program=contract.program)
        assert interpreted == generated, key


@pytest.mark.parametrize("pact,data", _engine_fixtures(), ids=lambda p: p.name)
def test_engine_fixtures(pact: Path, data: Path) -> None:
    contract = pactlang.load(pact)
    rows = contract.read_data(data).datasets.get(None, {})
    interpreted, generated = both(contract.checked, rows, program=contract.program)
    assert interpreted == generated


def test_every_test_block_of_the_repository() -> None:
    """Inline (and file) data of every `test` block in a file that checks."""
    files = blocks = 0
    for path in _pact_files():
        res, contract = collect(str(path))
        if contract is None or not res.module.tests or contract.checked.amends is not None:
            continue
        files += 1
        for test in res.module.tests:
            try:
                rows = _test_data(test, contract, path.parent)
            except (pactlang.UsageError, ValueError):
                continue  # data the test runner itself rejects
            blocks += 1
            interpreted, generated = both(contract.checked, rows, program=contract.program)
            assert interpreted == generated, (str(path), test.name.value)
    assert files >= 3 and blocks >= 20, (files, blocks)


def test_output_is_json_of_pact_eval(tmp_path: Path) -> None:
    """main() prints what `pact eval --format json` prints."""
    import subprocess
    import sys

    contract_path = EXAMPLES / "contracts" / "alliance.pact"
    module = tmp_path / "alliance_module.py"
    module.write_text(compile_module_source(pactlang.load(contract_path)), encoding="utf-8")
    data = EXAMPLES / "data" / "alliance.csv"
    compiled = subprocess.run([sys.executable, str(module), str(data)], capture_output=True, text=True, check=True)
    pact = Path(sys.executable).with_name("pact")
    reference = subprocess.run(
        [str(pact), "eval", str(contract_path), "--data", str(data), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert compiled.stdout == reference.stdout
    json.loads(compiled.stdout)
