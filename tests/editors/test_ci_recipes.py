"""The CI recipes: ``.pre-commit-hooks.yaml`` and the composite action ``action.yml``.

Each hook is run as pre-commit runs it (its ``entry``, its ``args``, then the
staged files unless ``pass_filenames: false``) with the installed ``pact``, on a
copy of the examples; each ``run:`` script of the action is run with bash as
GitHub runs it, with the ``env:`` of its step and the action's default inputs.
The install step (``pip install``) and the steps that use other actions
(``setup-python``, ``upload-sarif``) are checked, not run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest

from pactlang.cli import main
from pactlang.syntax.format import format_source

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent
PACT = BIN / "pact"

BROKEN = 'contract "Broken" {\n  currency EUR\n  measure revenue "R": money\n  let x = revnue * 2\n}\n'
MESSY = 'contract "Messy" {\n currency EUR\n  measure  revenue "R":money\n}\n'
FAILING_TEST = (
    'contract "T" {\n  currency EUR\n  measure revenue "R": money\n}\n\n'
    'test "wrong" {\n  data {\n    2026-01: revenue = 1 EUR\n  }\n'
    "  expect revenue at 2026-01 == 2 EUR\n}\n"
)

pytestmark = pytest.mark.skipif(not PACT.exists(), reason="no installed pact script")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the example contracts and data (as contracts/ and data/)."""
    shutil.copytree(REPO / "examples" / "contracts", tmp_path / "contracts")
    shutil.copytree(REPO / "examples" / "data", tmp_path / "data")
    return tmp_path


def hook(hook_id: str) -> dict:
    (found,) = [h for h in HOOKS if h["id"] == hook_id]
    return found


def run_hook(hook_id: str, files: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    h = hook(hook_id)
    argv = shlex.split(h["entry"]) + list(h.get("args", []))
    if h.get("pass_filenames", True):
        argv += [f for f in files if re.search(h["files"], f)]
    argv[0] = str(BIN / argv[0])  # the hook's environment has pactlang installed
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300)


def command_options(name: str) -> set[str]:
    cmd = main.commands[name]  # type: ignore[attr-defined]
    return {o for p in cmd.params if isinstance(p, click.Option) for o in p.opts}


def check_pact_command(words: list[str]) -> None:
    """``pact COMMAND [--option [value]]…``: a real command and real options and choices."""
    assert words[0] == "pact" and words[1] in main.commands, words  # type: ignore[attr-defined]
    cmd = main.commands[words[1]]  # type: ignore[attr-defined]
    options = {o: p for p in cmd.params if isinstance(p, click.Option) for o in p.opts}
    for i, w in enumerate(words[2:], 2):
        if w.startswith("-"):
            assert w in options, f"pact {words[1]} has no option {w}"
            param = options[w]
            if isinstance(param.type, click.Choice):
                assert words[i + 1] in param.type.choices, words


# --------------------------------------------------------------- pre-commit


def test_the_hooks_are_pact_commands() -> None:
    ids = [h["id"] for h in HOOKS]
    assert len(ids) == len(set(ids))
    assert {"pact-check", "pact-fmt", "pact-fmt-check", "pact-test"} <= set(ids)
    for h in HOOKS:
        assert h["language"] == "python" and h["name"] and h["description"]
        check_pact_command(shlex.split(h["entry"]) + [a for a in h.get("args", []) if a.startswith("-")])
        assert re.search(h["files"], "contracts/alliance.pact")
    assert re.search(hook("pact-test")["files"], "data/alliance.csv")


def test_pact_check_hook(project: Path) -> None:
    staged = ["contracts/alliance.pact", "contracts/alliance.test.pact", "data/alliance.csv"]
    assert run_hook("pact-check", staged, project).returncode == 0
    (project / "contracts" / "broken.pact").write_text(BROKEN, encoding="utf-8")
    result = run_hook("pact-check", ["contracts/broken.pact"], project)
    assert result.returncode == 1
    assert "contracts/broken.pact:4:11: error[E010]" in result.stdout


def test_pact_fmt_hooks(project: Path) -> None:
    staged = [str(p.relative_to(project)) for p in (project / "contracts").glob("*.pact")]
    assert run_hook("pact-fmt-check", staged, project).returncode == 0
    messy = project / "contracts" / "messy.pact"
    messy.write_text(MESSY, encoding="utf-8")
    result = run_hook("pact-fmt-check", ["contracts/messy.pact"], project)
    assert result.returncode == 1 and messy.read_text(encoding="utf-8") == MESSY
    # the rewriting hook fixes the file; pre-commit then stops the commit (a file changed)
    assert run_hook("pact-fmt", ["contracts/messy.pact"], project).returncode == 0
    assert messy.read_text(encoding="utf-8") == format_source(MESSY)


def test_pact_test_hook(project: Path) -> None:
    result = run_hook("pact-test", ["data/alliance.csv"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b\d+ passed, 0 failed", result.stdout + result.stderr)
    (project / "contracts" / "failing.pact").write_text(FAILING_TEST, encoding="utf-8")
    assert run_hook("pact-test", ["contracts/failing.pact"], project).returncode == 1


# ------------------------------------------------------------------ action


STEPS = ACTION["runs"]["steps"]


def test_the_action_is_composite_and_injection_free() -> None:
    assert ACTION["runs"]["using"] == "composite"
    ids = {s.get("id") for s in STEPS}
    for step in STEPS:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], f"{step['name']}: pass expressions through env"
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    for name in re.findall(r"inputs\.([\w-]+)", text):
        assert name in ACTION["inputs"], name
    for step_id in re.findall(r"steps\.([\w-]+)\.", text):
        assert step_id in ids, step_id
    uses = [s["uses"] for s in STEPS if "uses" in s]
    assert [u.split("@")[0] for u in uses] == [
        "actions/setup-python",
        "github/codeql-action/upload-sarif",
    ]


def test_the_action_runs_pact_check_as_sarif_and_pact_test_as_junit() -> None:
    lines = [
        line.strip()
        for s in STEPS
        if "run" in s
        for line in s["run"].splitlines()
        if line.strip().startswith("pact ")
    ]
    assert lines
    for line in lines:
        check_pact_command(shlex.split(line.split(">")[0].replace("$PACT_PATHS", "x").split("||")[0]))
    assert any(line.startswith("pact check --format sarif") for line in lines)
    assert any(line.startswith("pact test --format junit") for line in lines)


def _env(step: dict, inputs: dict[str, str], output: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["GITHUB_OUTPUT"] = str(output)
    for key, value in step.get("env", {}).items():
        m = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", str(value))
        if m:
            env[key] = inputs[m.group(1)]
        elif value == "${{ github.action_path }}":
            env[key] = str(REPO)
        else:
            env[key] = str(value)
    return env


def run_step(name: str, inputs: dict[str, str], cwd: Path) -> tuple[int, dict[str, str]]:
    (step,) = [s for s in STEPS if s["name"] == name]
    output = cwd / "github-output.txt"
    output.write_text("", encoding="utf-8")
    script = cwd / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = _env(step, inputs, output)
    # how GitHub runs `shell: bash`
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
    )
    return result.returncode, outputs


def defaults(**overrides: str) -> dict[str, str]:
    out = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    out.update(overrides)
    return out


def test_the_action_steps_on_clean_contracts(project: Path) -> None:
    inputs = defaults(paths="contracts")
    code, outputs = run_step("pact check (SARIF)", inputs, project)
    assert code == 0 and outputs == {"errors": "false"}
    sarif = json.loads((project / inputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    code, _ = run_step("pact test (JUnit)", inputs, project)
    assert code == 0
    suites = ET.parse(project / inputs["junit-file"]).getroot()
    assert suites.tag == "testsuites" and int(suites.get("tests", "0")) > 0
    assert suites.get("failures") == "0"


def test_the_action_reports_errors_then_fails(project: Path) -> None:
    (project / "contracts" / "broken.pact").write_text(BROKEN, encoding="utf-8")
    inputs = defaults(paths="contracts/broken.pact contracts/alliance.pact")
    code, outputs = run_step("pact check (SARIF)", inputs, project)
    assert code == 0 and outputs == {"errors": "true"}  # the SARIF upload still runs
    sarif = json.loads((project / inputs["sarif-file"]).read_text(encoding="utf-8"))
    results = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    assert [r["ruleId"] for r in results] == ["E010"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "contracts/broken.pact"
    assert location["region"]["startLine"] == 4
    code, _ = run_step("Fail on check errors", inputs, project)
    assert code == 1


def test_the_action_stops_on_unreadable_input(project: Path) -> None:
    code, _ = run_step("pact check (SARIF)", defaults(paths="no-such-folder"), project)
    assert code == 2
