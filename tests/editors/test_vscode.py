"""The VS Code extension (editors/vscode): a consistent manifest, and a .vsix that builds.

The build test copies the extension to a temporary folder, installs its
dependencies from the npm registry (``npm ci``), packages it with ``npx
@vscode/vsce@3 package`` and starts ``pact lsp`` through vscode-jsonrpc (the
transport of vscode-languageclient).  It is skipped when npm is not installed
or the registry cannot be reached.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pactlang.cli import main

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "editors" / "vscode"
MANIFEST = json.loads((EXT / "package.json").read_text(encoding="utf-8"))


def test_the_language_and_its_grammar() -> None:
    (language,) = MANIFEST["contributes"]["languages"]
    assert language["id"] == "pact" and language["extensions"] == [".pact"]
    config = json.loads((EXT / language["configuration"]).read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"  # COMMENT in grammar/pact.lark
    assert ["{", "}"] in config["brackets"]
    for rx in (config["wordPattern"], *config["indentationRules"].values()):
        re.compile(rx)
    (grammar,) = MANIFEST["contributes"]["grammars"]
    assert grammar["language"] == "pact"
    tm = json.loads((EXT / grammar["path"]).read_text(encoding="utf-8"))
    assert tm["scopeName"] == grammar["scopeName"] == "source.pact"


def test_activation_and_the_client() -> None:
    assert "onLanguage:pact" in MANIFEST["activationEvents"]
    assert (EXT / MANIFEST["main"]).is_file()
    assert "vscode-languageclient" in MANIFEST["dependencies"]
    assert MANIFEST["engines"]["vscode"].startswith("^")
    source = (EXT / MANIFEST["main"]).read_text(encoding="utf-8")
    assert 'require("vscode-languageclient/node")' in source
    props = MANIFEST["contributes"]["configuration"]["properties"]
    for key in re.findall(r'config\.get\("([\w.]+)"', source):
        assert f"pact.{key}" in props, key
    assert props["pact.server.path"]["default"] == "pact"
    args = props["pact.server.args"]["default"]
    assert args == ["lsp"] and args[0] in main.commands  # type: ignore[attr-defined]
    for cmd in MANIFEST["contributes"]["commands"]:
        assert f'"{cmd["command"]}"' in source


def test_build_outputs_are_not_committed() -> None:
    ignored = (EXT / ".gitignore").read_text(encoding="utf-8").split()
    assert "node_modules/" in ignored and "*.vsix" in ignored
    packaged_out = (EXT / ".vscodeignore").read_text(encoding="utf-8").split()
    assert "test/**" in packaged_out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if npm is None or npx is None:
        pytest.skip("npm is not installed")
    work = tmp_path_factory.mktemp("vscode") / "ext"
    shutil.copytree(EXT, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    install = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=work, capture_output=True, text=True, timeout=600
    )
    if install.returncode != 0:
        if re.search(r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network", install.stderr):
            pytest.skip(f"the npm registry cannot be reached: {install.stderr[-300:]}")
        pytest.fail(install.stderr)
    package = subprocess.run(
        # vsce 3 is the last major that supports Node 20 (vsce 4 asks for Node 22)
        [npx, "--yes", "@vscode/vsce@3", "package", "--out", "pactlang.vsix"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if package.returncode != 0 and re.search(r"ENOTFOUND|EAI_AGAIN|ETIMEDOUT", package.stderr):
        pytest.skip("the npm registry cannot be reached")
    assert package.returncode == 0, package.stdout + package.stderr
    return work


def test_the_vsix_builds(built: Path) -> None:
    vsix = built / "pactlang.vsix"
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
    assert {
        "extension/package.json",
        "extension/extension.js",
        "extension/language-configuration.json",
        "extension/syntaxes/pact.tmLanguage.json",
    } <= names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert not any(n.startswith("extension/test/") for n in names)


def test_the_client_transport_talks_to_pact_lsp(built: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    pact = Path(sys.executable).with_name("pact")
    if not pact.exists():
        pytest.skip("no installed pact script next to this interpreter")
    contract = REPO / "examples" / "contracts" / "alliance.pact"
    line = next(i for i, t in enumerate(contract.read_text().splitlines()) if "kpi conversion" in t)
    result = subprocess.run(
        [node, "test/protocol-smoke.js", str(contract), str(line), "6", str(pact), "lsp"],
        cwd=built,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["server"]["name"] == "pact"
    assert {"hoverProvider", "renameProvider", "completionProvider"} <= set(summary["capabilities"])
    assert summary["diagnostics"] == 0
    assert summary["hover"].startswith("**KPI** `conversion`")
