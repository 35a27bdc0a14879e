"""Syntax highlighting of ``.pact`` code, derived from the grammar.

The reserved words are those of ``grammar/pact.lark`` (:func:`pactlang.syntax.
grammar.keywords`); each is put in one **category** by the grammar rule it
appears in (the first category that claims it wins):

=============  ==========================================  ==========================  =====================
category       words of                                    TextMate scope              Pygments token
=============  ==========================================  ==========================  =====================
declaration    the first word of a declaration, a block,   keyword.declaration.pact    Keyword.Declaration
               a test item (``kpi``, ``tier``, ``expect``)
constant       statuses, vote words, events, ``true``,     constant.language.pact      Keyword.Constant
               ``false``, ``missing``
type           ``type_name``                               storage.type.pact           Keyword.Type
unit           cadences, duration and persistence units    support.constant.unit.pact  Name.Constant
operator       ``and``, ``or``, ``not``                    keyword.operator.word.pact  Operator.Word
control        ``if``/``then``/``else``, ``otherwise``,    keyword.control.pact        Keyword
               ``when``
other          every other reserved word                   keyword.other.pact          Keyword
=============  ==========================================  ==========================  =====================

Every keyword is in exactly one category, so a keyword added to the grammar
is highlighted (as *other* at least) once the TextMate grammar is
regenerated (``python scripts/gen_textmate.py``); a test fails while the
committed grammar differs from the generated one.

Two highlighters are built from the same tables: :func:`textmate_grammar`
(``editors/vscode/syntaxes/pact.tmLanguage.json``, for VS Code and other
TextMate editors) and :class:`PactLexer` for Pygments (registered as the
``pact`` lexer through the ``pygments.lexers`` entry point, so ``pygmentize -l
pact``, Sphinx/MkDocs code blocks and ``rich`` highlight ``.pact`` code).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from pactlang.sema.context import BUILTINS
from pactlang.syntax.grammar import keywords, parser

# Lexical rules of the grammar (grammar/pact.lark), in TextMate and Pygments syntax.
DATE = r"\d{4}-\d{2}-\d{2}(?![\w-])"
PERIOD = r"\d{4}-\d{2}(?![\w-])"
NUMBER = r"\d(?:_?\d)*(?:\.\d(?:_?\d)*)?"
UPPER = r"[A-Z][A-Z0-9]*"
NAME = r"[a-z_][a-z0-9_]*"
STATUS_TOKENS = ("no-data", "no-quorum")  # terminals with a dash (NO_DATA, NO_QUORUM)
OPERATORS = r"=>|>=|<=|==|!=|[-+*/<>=]"
NAMED_DECLARATIONS = (
    "party",
    "measure",
    "let",
    "kpi",
    "threshold",
    "committee",
    "escalation",
    "waterfall",
    "tier",
    "step",
    "decision",
)


def _declaration_rule(name: str) -> bool:
    return (
        name.endswith(("_decl", "_block"))
        or name in ("tests_for", "data_inline", "data_file")
        or (name.startswith("expect_") and name not in ("expect_is", "expect_tail"))
    )


# (category, does a rule of this name give its words to it, only the rule's first word?)
_RULES: tuple[tuple[str, Callable[[str], bool], bool], ...] = (
    ("declaration", _declaration_rule, True),
    ("constant", lambda n: n in ("status", "is_word", "vote_word", "event_kind", "esc_state", "atom"), False),
    ("type", lambda n: n == "type_name", False),
    ("unit", lambda n: n in ("cadence", "duration_unit", "period_unit"), False),
    ("operator", lambda n: n == "not_expr" or n.startswith(("__and_expr", "__or_expr")), False),
    ("control", lambda n: n in ("if_expr", "rule", "otherwise_rule") or n.startswith("__otherwise"), False),
)

CATEGORIES = ("declaration", "constant", "type", "unit", "operator", "control", "other")

SCOPES = {
    "declaration": "keyword.declaration.pact",
    "constant": "constant.language.pact",
    "type": "storage.type.pact",
    "unit": "support.constant.unit.pact",
    "operator": "keyword.operator.word.pact",
    "control": "keyword.control.pact",
    "other": "keyword.other.pact",
}

TOKENS: dict[str, _TokenType] = {
    "declaration": Keyword.Declaration,
    "constant": Keyword.Constant,
    "type": Keyword.Type,
    "unit": Name.Constant,
    "operator": Operator.Word,
    "control": Keyword,
    "other": Keyword,
}


@functools.cache
def keyword_categories() -> dict[str, tuple[str, ...]]:
    """Every keyword of the grammar, by category (each in exactly one), sorted."""
    p = parser()
    pattern_of = {t.name: t.pattern.value for t in p.terminals}
    reserved = keywords()
    claimed: dict[str, str] = {}
    for category, owns, first_only in _RULES:
        for rule in p.rules:
            if not owns(rule.origin.name):
                continue
            symbols = rule.expansion[:1] if first_only else rule.expansion
            for sym in symbols:
                word = pattern_of.get(sym.name) if sym.is_term else None
                if word in reserved and word not in claimed:
                    claimed[word] = category
    out: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for word in sorted(reserved):
        out[claimed.get(word, "other")].append(word)
    return {c: tuple(ws) for c, ws in out.items()}


def _alternation(items: tuple[str, ...] | list[str]) -> str:
    # longest first, so that a word is never cut at a shorter one
    return "|".join(sorted(items, key=lambda w: (-len(w), w)))


# ---------------------------------------------------------------- TextMate


def textmate_grammar() -> dict[str, object]:
    """The TextMate grammar of ``.pact`` files (``scopeName`` ``source.pact``)."""
    cats = keyword_categories()
    repo: dict[str, object] = {
        "comment": {"name": "comment.line.number-sign.pact", "match": "#.*$"},
        "string": {
            "name": "string.quoted.double.pact",
            "begin": '"',
            "end": '"|$',
            "patterns": [{"name": "constant.character.escape.pact", "match": r"\\."}],
        },
        "date": {"name": "constant.numeric.date.pact", "match": rf"\b{DATE}"},
        "period": {"name": "constant.numeric.period.pact", "match": rf"\b{PERIOD}"},
        "percent": {"name": "constant.numeric.percent.pact", "match": rf"\b{NUMBER}%"},
        "number": {"name": "constant.numeric.decimal.pact", "match": rf"\b{NUMBER}\b"},
        "code": {"name": "constant.other.code.pact", "match": rf"\b{UPPER}\b"},
        "status-token": {
            "name": "constant.language.pact",
            "match": rf"\b(?:{_alternation(list(STATUS_TOKENS))})\b",
        },
        "function-call": {
            "name": "support.function.builtin.pact",
            "match": rf"\b(?:{_alternation(sorted(BUILTINS))})(?=\s*\()",
        },
        "declared-name": {
            "match": rf"\b({_alternation(list(NAMED_DECLARATIONS))})\s+({NAME})\b",
            "captures": {
                "1": {"name": SCOPES["declaration"]},
                "2": {"name": "entity.name.pact"},
            },
        },
        "operator": {"name": "keyword.operator.pact", "match": OPERATORS},
        "punctuation": {"name": "punctuation.separator.pact", "match": r"[{}():,.]"},
    }
    order = ["comment", "string", "date", "period", "percent", "number", "code", "status-token"]
    order += ["function-call", "declared-name"]
    for category in CATEGORIES:
        key = f"keyword-{category}"
        repo[key] = {"name": SCOPES[category], "match": rf"\b(?:{_alternation(cats[category])})\b"}
        order.append(key)
    order += ["operator", "punctuation"]
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "pact",
        "scopeName": "source.pact",
        "fileTypes": ["pact"],
        "comment": "Generated from grammar/pact.lark by scripts/gen_textmate.py: do not edit.",
        "patterns": [{"include": f"#{key}"} for key in order],
        "repository": repo,
    }


# ---------------------------------------------------------------- Pygments


def _pygments_rules() -> list[object]:
    cats = keyword_categories()
    rules: list[object] = [
        (r"[ \t\r\n\f]+", Whitespace),
        (r"#[^\n]*", Comment.Single),
        (r'"', String.Double, "string"),
        (DATE, Number.Other),  # Literal.Date is not styled by most styles
        (PERIOD, Number.Other),
        (rf"{NUMBER}%", Number),
        (NUMBER, Number),
        (UPPER, Name.Constant),
        (words(STATUS_TOKENS, suffix=r"\b"), Keyword.Constant),
        (words(tuple(sorted(BUILTINS)), prefix=r"\b", suffix=r"(?=\s*\()"), Name.Builtin),
        (
            rf"\b({_alternation(list(NAMED_DECLARATIONS))})(\s+)({NAME})\b",
            bygroups(Keyword.Declaration, Whitespace, Name.Variable),
        ),
    ]
    for category in CATEGORIES:
        rules.append((words(cats[category], prefix=r"\b", suffix=r"\b"), TOKENS[category]))
    rules += [
        (NAME, Name),
        (OPERATORS, Operator),
        (r"[{}():,.]", Punctuation),
    ]
    return rules


class PactLexer(RegexLexer):
    """Pygments lexer for ``.pact`` contracts (pactlang)."""

    name = "pact"
    aliases = ["pact", "pactlang"]
    filenames = ["*.pact"]
    mimetypes = ["text/x-pact"]
    url = "https://pactlang.invalid"

    tokens = {
        "root": _pygments_rules(),
        "string": [
            (r'\\.', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Text, "#pop"),  # an unterminated string ends with its line
        ],
    }
