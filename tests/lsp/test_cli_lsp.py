"""``pact lsp`` without the ``lsp`` extra: a clear message, no traceback."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from pactlang.cli import main


def test_missing_pygls_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name.startswith("pactlang.lsp.server") or name.startswith("pygls"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pygls", None)  # import pygls → ImportError
    result = CliRunner().invoke(main, ["lsp"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "pip install 'pactlang[lsp]'" in result.output
    assert "Traceback" not in result.output


def test_lsp_takes_no_arguments() -> None:
    result = CliRunner().invoke(main, ["lsp", "extra"])
    assert result.exit_code == 2
    assert "unexpected extra argument" in result.output.lower()
