"""docs/editors.md and the README stay in step with the hooks, the action, the
extension's settings and the server's symbol kinds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


def table_keys(text: str) -> set[str]:
    """The `code` words in the first cell of Markdown table rows."""
    keys: set[str] = set()
    for cell in re.findall(r"^\| ([^|]+) \|", text, re.M):
        keys.update(re.findall(r"`([^`]+)`", cell))
    return keys


def test_every_hook_is_documented() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} <= table_keys(DOC)


def test_every_input_and_output_of_the_action_is_documented() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert set(action["inputs"]) <= table_keys(DOC)
    assert set(action["outputs"]) <= table_keys(DOC)
    for name, spec in action["inputs"].items():
        default = str(spec.get("default", ""))
        row = next(line for line in DOC.splitlines() if line.startswith(f"| `{name}` |"))
        assert (f"`{default}`" in row) if default else ("(empty)" in row), row


def test_every_setting_of_the_extension_is_documented() -> None:
    manifest = json.loads((REPO / "editors" / "vscode" / "package.json").read_text())
    settings = set(manifest["contributes"]["configuration"]["properties"])
    assert settings <= table_keys(DOC)
    ext_readme = (REPO / "editors" / "vscode" / "README.md").read_text(encoding="utf-8")
    assert settings <= table_keys(ext_readme)


def test_the_symbol_kinds_table_is_the_servers() -> None:
    pytest.importorskip("lsprotocol")
    from pactlang.lsp.symbols import KINDS

    rows = dict(re.findall(r"^\| ([a-zA-Z ]+?) \| (\w+) \|$", DOC, re.M))
    names = {
        "contract": "contract",
        "party": "party",
        "measure": "measure",
        "let": "let",
        "KPI": "kpi",
        "threshold": "threshold",
        "committee": "committee",
        "decision": "decision",
        "escalation ladder": "escalation",
        "step": "step",
        "waterfall": "waterfall",
        "tier": "tier",
        "clause": "clause",
        "contribution": "contribution",
        "test block": "test",
    }
    documented = {names[k]: v for k, v in rows.items() if k in names}
    assert documented == {k: v.name for k, v in KINDS.items()}


def test_the_readme_shows_editor_pre_commit_and_ci() -> None:
    for heading in ("## Editor", "## pre-commit", "## CI"):
        assert f"\n{heading}\n" in README
    assert "pact lsp" in README and "action.yml" in README
