"""Highlighting: the TextMate grammar and the Pygments lexer, both derived from the grammar."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Operator

from pactlang.highlight import CATEGORIES, SCOPES, PactLexer, keyword_categories, textmate_grammar
from pactlang.sema.context import BUILTINS
from pactlang.syntax.grammar import keywords

REPO = Path(__file__).resolve().parents[2]
TM_FILE = REPO / "editors" / "vscode" / "syntaxes" / "pact.tmLanguage.json"
EXAMPLES = sorted((REPO / "examples" / "contracts").glob("*.pact"))
KEYWORD_SCOPES = tuple(SCOPES.values())


def committed() -> dict:
    return json.loads(TM_FILE.read_text(encoding="utf-8"))


def test_the_committed_textmate_grammar_is_the_generated_one() -> None:
    expected = json.dumps(textmate_grammar(), indent=2, ensure_ascii=False) + "\n"
    assert TM_FILE.read_text(encoding="utf-8") == expected, (
        "regenerate it: python scripts/gen_textmate.py"
    )


def test_the_generator_script_agrees() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_textmate.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def _keyword_patterns(grammar: dict) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for entry in grammar["repository"].values():
        if "match" in entry and entry.get("name", "").startswith(KEYWORD_SCOPES):
            out.append((entry["name"], re.compile(entry["match"])))
    return out


@pytest.mark.parametrize("word", sorted(keywords()))
def test_every_keyword_of_the_grammar_is_highlighted(word: str) -> None:
    """Fails when a keyword of grammar/pact.lark is missing from the committed grammar."""
    scopes = [scope for scope, rx in _keyword_patterns(committed()) if rx.fullmatch(word)]
    assert scopes, f"`{word}` is not highlighted as a keyword: regenerate the TextMate grammar"


def test_each_keyword_is_in_exactly_one_category() -> None:
    cats = keyword_categories()
    assert list(cats) == list(CATEGORIES)
    flat = [w for ws in cats.values() for w in ws]
    assert sorted(flat) == sorted(keywords()) and len(flat) == len(set(flat))
    assert {"kpi", "threshold", "contract", "tier", "expect"} <= set(cats["declaration"])
    assert {"ok", "watch", "breach", "bonus", "true", "false", "missing"} <= set(cats["constant"])
    assert {"money", "percent", "count"} <= set(cats["type"])
    assert {"monthly", "months", "business"} <= set(cats["unit"])
    assert set(cats["operator"]) == {"and", "or", "not"}


def test_names_and_literals_are_not_keywords() -> None:
    for text in ("revenue", "leads_won", "kpis", "monthly_total", "Okay"):
        assert not any(rx.fullmatch(text) for _, rx in _keyword_patterns(committed())), text


def test_every_pattern_compiles_and_the_structure_is_sound() -> None:
    g = committed()
    assert g["scopeName"] == "source.pact" and g["fileTypes"] == ["pact"]
    for inc in g["patterns"]:
        assert inc["include"].lstrip("#") in g["repository"]
    for entry in g["repository"].values():
        for key in ("match", "begin", "end"):
            if key in entry:
                re.compile(entry[key])
    calls = re.compile(g["repository"]["function-call"]["match"])
    for fn in BUILTINS:
        assert calls.match(f"{fn}(x)"), fn
    assert not calls.match("revenue(x)")


# ---------------------------------------------------------------- Pygments


def test_pygments_finds_the_lexer_by_name_and_file_name() -> None:
    assert isinstance(get_lexer_by_name("pact"), PactLexer)
    assert isinstance(get_lexer_for_filename("alliance.pact"), PactLexer)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_lex_without_error_tokens(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = list(PactLexer().get_tokens(text))
    errors = [(t, v) for t, v in tokens if t in Error]
    assert errors == []
    assert "".join(v for _, v in tokens) == text  # nothing lost or added


def test_language_reference_examples_lex_without_error_tokens() -> None:
    doc = (REPO / "docs" / "language.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```pact[^\n]*\n(.*?)^```", doc, re.S | re.M)
    assert blocks
    for block in blocks:
        assert not [v for t, v in PactLexer().get_tokens(block) if t in Error], block[:80]


def test_tokens_of_a_line() -> None:
    line = '  when conversion < 8% for 3 months: breach => pay penalty from orbis to acme "P"\n'
    tokens = [(t, v) for t, v in PactLexer().get_tokens(line) if v.strip()]
    assert (Keyword, "when") in tokens
    assert (Keyword.Constant, "breach") in tokens
    assert (Name.Constant, "months") in tokens
    assert (Name, "conversion") in tokens and (Name, "orbis") in tokens
    assert (Operator, "=>") in tokens
    assert (Keyword.Declaration, "kpi") in list(PactLexer().get_tokens("kpi x"))
    assert (Name.Builtin, "round") in list(PactLexer().get_tokens("round(x, 2)"))
    assert (Keyword.Constant, "no-data") in list(PactLexer().get_tokens("is no-data"))


def test_an_unknown_character_is_an_error_token() -> None:
    assert any(t in Error for t, _ in PactLexer().get_tokens("let x = 5 @ 3"))


def test_rich_highlights_pact_code() -> None:
    from rich.console import Console
    from rich.syntax import Syntax

    syntax = Syntax('kpi x "X": percent = a / b', "pact")
    assert isinstance(syntax.lexer, PactLexer)
    console = Console(record=True, force_terminal=True, color_system="truecolor", width=100)
    console.print(syntax)
    out = console.export_text(styles=True)
    assert "\x1b[" in out and "kpi" in out
