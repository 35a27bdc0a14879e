"""Shared helpers for the language-server tests.

The end-to-end tests start ``pact lsp`` (the installed console script, as an
editor would) and talk JSON-RPC to it over stdio with pytest-lsp.  They are
skipped when the ``lsp`` extra (pygls) or pytest-lsp is not installed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "contracts"


def server_command() -> list[str]:
    """``pact lsp``, as installed next to this interpreter (else through the module)."""
    script = Path(sys.executable).with_name("pact")
    if script.exists():
        return [str(script), "lsp"]
    found = shutil.which("pact")
    if found:
        return [found, "lsp"]
    return [sys.executable, "-c", "from pactlang.cli import main; main()", "lsp"]


def marked(text: str, mark: str = "‸") -> tuple[str, int]:
    """Remove ``mark`` from ``text``; return the text and the offset where it was."""
    offset = text.index(mark)
    return text.replace(mark, "", 1), offset
