"""The generated source: inert user text, valid Python, deterministic, lazy imports."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from codegen_helpers import P1_SOURCE

import pactlang
from pactlang.api import loads
from pactlang.base.values import Period
from pactlang.codegen import compile_module_source, load_module
from pactlang.report.results import dumps, evaluation_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "contracts"


def _evil(marker: Path) -> list[str]:
    """Strings that would run code if pasted into Python source unescaped."""
    m = str(marker)
    return [
        f'"""); open({m!r}, "w"); ("""',
        f"'); open({m!r}, 'w'); #",
        f"\n__import__('pathlib').Path({m!r}).touch()\n",
        "{__import__('os').getcwd()}",
        "\\'; import os; #",
        "line\nbreak \\\" quote",
        # U+2028 and U+0085 in a string are E009 now: the characters that still
        # pass `check` (with W008/W010/W011) and that Python source must not see raw
        "\u202e \u2066 \u200b tab\t end",
    ]


def _contract(strings: list[str]) -> str:
    def q(s: str) -> str:  # a pact string literal: \" \\ and \n are its escapes
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    title, text, label, tier, fund, ident, version = (strings * 2)[:7]
    return f"""contract {q(title)} {{
  id {q(ident)}
  version {q(version)}
  currency EUR
  party a {q(label)}
  party b "B"
  measure x {q(text)}: money
  threshold t {q(label)} {{
    when x > 10 EUR: breach
      => pay x from a to b {q(label)}
      => action {q(text)}
    otherwise: ok
      => action {q(title)}
  }}
  waterfall w {q(fund)} {{
    distributes x
    tier one {q(tier)} {{
      pay a up to 50 EUR
    }}
    tier {q(tier)} {{
      split a 50%, b 50%
    }}
  }}
}}
"""


def test_user_text_is_inert(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    strings = _evil(marker)
    contract = loads(_contract(strings), "evil.pact")
    weird_name = f'evil"""\n{strings[1]}.pact'
    source = compile_module_source(contract, source_name=weird_name)
    ast.parse(source)  # valid Python
    # every user string of the contract that reaches the source is a repr() of it
    cc = contract.checked
    user = {cc.title, cc.id, cc.version, weird_name}
    for decl in cc.thresholds.values():
        for rule in (*decl.rules, decl.otherwise):
            for act in rule.actions if rule else ():
                for node in (getattr(act, "label", None), getattr(act, "text", None)):
                    if node is not None:
                        user.add(node.value)
    for decl in cc.waterfalls.values():
        user.add(decl.labels.get())
        user.update(t.labels.get() for t in decl.tiers)
    user.discard(None)
    assert len(user) >= 5
    for s in user:
        assert s is not None
        rest = source.replace(repr(s), "")
        assert s not in rest, f"{s!r} appears outside its repr"
    # importing and running it does nothing but compute
    before = set(os.listdir(tmp_path))
    module = load_module(source)
    rows = {Period(2026, 1): {"x": Decimal("12.50")}, Period(2026, 2): {"x": Decimal("3")}}
    result = module.evaluate(rows)
    assert set(os.listdir(tmp_path)) == before
    assert not marker.exists()
    # and the strings come out exactly as the interpreter writes them
    assert dumps(result) == evaluation_json(contract.program.run(rows))
    assert result["contract"]["title"] == cc.title
    assert {a["text"] for a in result["actions"]} <= user


def test_docstrings_hold_no_user_text() -> None:
    contract = loads(_contract(_evil(Path("/nonexistent/x"))), "evil.pact")
    tree = ast.parse(compile_module_source(contract, source_name="a\"'\n.pact"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                assert '"""' not in doc and "'" not in doc.replace("'YYYY-MM'", "")
                assert "\\" not in doc


def test_every_block_names_its_source_line() -> None:
    contract = pactlang.load(EXAMPLES / "coinvest_fund.pact")
    tree = ast.parse(compile_module_source(contract))
    markers = [
        n.value.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
    ]
    text = contract.source.splitlines()
    for name in ("lp_distributions", "dpi", "distribution_pace", "fund"):
        found = [m for m in markers if m.startswith("coinvest_fund.pact:") and m.endswith(f" {name}") and "cap" not in m]
        assert found, name
        line = int(found[0].split(":")[1].split()[0])
        assert name in text[line - 1]
    caps = [m for m in markers if "cap of" in m]
    assert len(caps) == 7  # one function per cap, each with its line


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*.pact") if "\n  amends " not in p.read_text(encoding="utf-8")),
    ids=lambda p: p.name,
)
def test_deterministic_across_processes(path: Path) -> None:
    if ".test." in path.name:
        pytest.skip("a tests-only file")
    here = compile_module_source(pactlang.load(path))
    assert compile_module_source(pactlang.load(path)) == here
    code = (
        "import sys, pactlang\n"
        "from pactlang.codegen import compile_module_source\n"
        f"sys.stdout.write(compile_module_source(pactlang.load({str(path)!r})))\n"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        assert out == here


def test_month_keys_as_text() -> None:
    contract = pactlang.load(EXAMPLES / "alliance.pact")
    module = load_module(compile_module_source(contract))
    rows = contract.read_data(ROOT / "examples" / "data" / "alliance.csv").datasets[None]
    by_text = {str(p): r for p, r in reversed(list(rows.items()))}  # any order
    assert module.evaluate(by_text) == module.evaluate(rows)
    with pytest.raises(ValueError):
        module.evaluate({"2026-1": {}})
    with pytest.raises(ValueError):
        module.evaluate({"2026-01": {}, Period(2026, 1): {}})


def test_results_are_fresh_json_documents() -> None:
    contract = pactlang.load(EXAMPLES / "alliance.pact")
    module = load_module(compile_module_source(contract))
    rows = contract.read_data(ROOT / "examples" / "data" / "alliance.csv").datasets[None]
    first = module.evaluate(rows)
    first["contract"]["title"] = "changed"
    first["months"].append("x")
    first["kpis"]["conversion"].clear()
    second = module.evaluate(rows)
    assert second["contract"]["title"] == contract.checked.title
    assert json.loads(dumps(second)) == second
    assert dumps(second) == evaluation_json(contract.program.run(rows))




def test_importing_a_compiled_module_is_light(tmp_path: Path) -> None:
    """A module without waterfalls or disputes runs on the light runtime imports."""
    contract_text = P1_SOURCE
    module = tmp_path / "p1_module.py"
    module.write_text(compile_module_source(loads(contract_text, "p1.pact")), encoding="utf-8")
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from decimal import Decimal\n"
        "from pactlang.base.values import Period\n"
        "import p1_module\n"
        "rows = {Period(2026, m): {'leads_total': Decimal(100), 'leads_won': Decimal(m), "
        "'revenue': Decimal('1.50'), 'csat': Decimal('7.5')} for m in range(1, 13)}\n"
        "p1_module.evaluate(rows)\n"
        "heavy = [m for m in ('lark', 'pydantic', 'babel', 'holidays', 'click', 'pactlang.sema') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_cli_help_does_not_load_the_code_generator() -> None:
    code = "import sys, pactlang.cli\nprint('pactlang.codegen' in sys.modules, 'pactlang.runtime' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
