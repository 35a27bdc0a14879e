"""Loading the Lark grammar (``grammar/pact.lark``), once per process.

The grammar file ships inside the wheel as ``pactlang/grammar/pact.lark``; in a
source checkout it is read from the repository's ``grammar/`` folder.  Lark's
own cache (``cache=True``) keeps the LALR tables between processes.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

import lark

START_SYMBOLS = ["start", "decl_start", "test_start"]
NAME_RE = re.compile(r"[a-z_][a-z0-9_]*\Z")


def grammar_path() -> Path:
    packaged = resources.files("pactlang").joinpath("grammar", "pact.lark")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "grammar" / "pact.lark"


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


@functools.cache
def parser() -> lark.Lark:
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        maybe_placeholders=True,
        start=START_SYMBOLS,
        cache=True,
    )


@functools.cache
def keywords() -> frozenset[str]:
    """Reserved words: every string terminal that looks like a name."""
    out = set()
    for t in parser().terminals:
        p = t.pattern
        if isinstance(p, lark.lexer.PatternStr) and NAME_RE.match(p.value):
            out.add(p.value)
    return frozenset(out)


_FRIENDLY = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": 'a "string"',
    "DATE": "a date (YYYY-MM-DD)",
    "PERIOD": "a month (YYYY-MM)",
    "PERCENT": "a percentage",
    "UPPER": "an upper-case code",
    "NO_DATA": "`no-data`",
    "NO_QUORUM": "`no-quorum`",
    "$END": "end of file",
}


@functools.cache
def terminal_display() -> dict[str, str]:
    out = dict(_FRIENDLY)
    for t in parser().terminals:
        if t.name not in out and isinstance(t.pattern, lark.lexer.PatternStr):
            out[t.name] = f"`{t.pattern.value}`"
    return out


def describe_terminal(name: str) -> str:
    return terminal_display().get(name, name.lower())
