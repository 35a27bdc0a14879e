"""The formatter (``pact fmt``): layout, comments, and the round-trip properties.

Properties checked on every fixture, every ``examples/contracts/*.pact`` and on
generated sources:

* the formatted text parses to the same AST (spans stripped; a left-nested
  chain of one precedence level counts as the flat chain it prints as);
* formatting is idempotent;
* the multiset of comments is unchanged, and comments stay where they were.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from dataclasses import fields, is_dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import lark
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from pactlang.diagnostics import NO_SPAN
from pactlang.syntax import ast
from pactlang.syntax.format import FormatError, format_module, format_source, quote
from pactlang.syntax.grammar import grammar_text, keywords
from pactlang.syntax.parser import parse_source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "format"
EXAMPLES = ROOT / "examples" / "contracts"


def _fixture_inputs() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.pact") if not p.name.endswith(".expected.pact"))


def _example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.pact")) if EXAMPLES.is_dir() else []


def _all_sources() -> list[Path]:
    return _fixture_inputs() + _example_files()


# ------------------------------------------------------------------ helpers


def _level(op: str) -> str:
    return "sum" if op in ("+", "-") else "product"


def strip_spans(node: Any) -> Any:
    """A node as nested tuples without spans (and without the module's comments).

    ``(a - b) - c`` and ``a - b - c`` compute the same thing and print alike, so a
    chain whose first operand is a chain of the same level is flattened here.
    """
    if isinstance(node, ast.Arith):
        ops = list(node.ops)
        operands = [strip_spans(o) for o in node.operands]
        first = operands[0]
        if first[0] == "Arith" and _level(first[1][0]) == _level(ops[0]):
            ops = list(first[1]) + ops
            operands = list(first[2]) + operands[1:]
        return ("Arith", tuple(ops), tuple(operands))
    if isinstance(node, ast.Logic):
        operands = [strip_spans(o) for o in node.operands]
        first = operands[0]
        if first[0] == "Logic" and first[1] == node.op:
            operands = list(first[2]) + operands[1:]
        return ("Logic", node.op, tuple(operands))
    if is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__,) + tuple(
            (f.name, strip_spans(getattr(node, f.name)))
            for f in fields(node)
            if f.name not in ("span", "comments")
        )
    if isinstance(node, tuple):
        return tuple(strip_spans(x) for x in node)
    return node


def comment_texts(module: ast.Module) -> Counter[str]:
    return Counter(c.text for c in module.comments)


def check_round_trip(src: str) -> str:
    """Every property of the formatter on one parsable source; returns the output."""
    before = parse_source(src)
    assert before.ok, [d.message for d in before.diagnostics]
    out = format_source(src)
    after = parse_source(out)
    assert after.ok, (out, [d.message for d in after.diagnostics])
    assert strip_spans(after.module) == strip_spans(before.module)
    assert comment_texts(after.module) == comment_texts(before.module)
    assert format_source(out) == out
    check_layout(out)
    return out


def check_layout(out: str) -> None:
    if out == "":
        return
    assert out.endswith("\n") and not out.endswith("\n\n")
    lines = out.split("\n")[:-1]
    assert lines[0] != ""
    for prev, line in zip(lines, lines[1:], strict=False):
        assert not (prev == "" and line == ""), "two blank lines in a row"
        if line.strip() == "}":
            assert prev != "", "blank line before a closing brace"
        if prev.endswith("{") and "#" not in prev:
            assert line != "", "blank line after an opening brace"
    for line in lines:
        assert line == line.rstrip(), f"trailing whitespace: {line!r}"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0 and "\t" not in line[:indent]


# ----------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", _fixture_inputs(), ids=lambda p: p.stem)
def test_fixture_matches_expected(path: Path) -> None:
    expected = path.with_name(path.stem + ".expected.pact").read_text(encoding="utf-8")
    out = check_round_trip(path.read_text(encoding="utf-8"))
    assert out == expected
    assert format_source(expected) == expected


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: p.stem)
def test_examples_round_trip(path: Path) -> None:
    src = path.read_text(encoding="utf-8")
    if not parse_source(src, str(path)).ok:
        pytest.skip(f"{path.name} does not parse (reported by the parser's tests)")
    check_round_trip(src)


def test_every_fixture_has_an_expected_file() -> None:
    inputs = _fixture_inputs()
    assert len(inputs) >= 8
    for p in inputs:
        assert p.with_name(p.stem + ".expected.pact").is_file(), p.name


# --------------------------------------------------------------- unit cases


def _fmt_let(expr_src: str) -> str:
    out = format_source(f'contract "c" {{\n  let x = {expr_src}\n}}\n')
    line = out.split("\n")[1]
    assert line.startswith("  let x = ")
    return line[len("  let x = ") :]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("(a - b) - c", "a - b - c"),
        ("a - (b - c)", "a - (b - c)"),
        ("a + (b + c)", "a + (b + c)"),
        ("a / (b * c)", "a / (b * c)"),
        ("(a / b) * c", "a / b * c"),
        ("(a + b) * c", "(a + b) * c"),
        ("a+b*c", "a + b * c"),
        ("-(a * b)", "-(a * b)"),
        ("-(-a)", "- -a"),
        ("(-a) * b", "-a * b"),
        ("not (a < b)", "not a < b"),
        ("(not a) and b", "not a and b"),
        ("not (a and b)", "not (a and b)"),
        ("(a < b) < c", "(a < b) < c"),
        ("a < (b < c)", "a < (b < c)"),
        ("(a and b) or c", "a and b or c"),
        ("a and (b or c)", "a and (b or c)"),
        ("(a or b) or c", "a or b or c"),
        ("a or (b or c)", "a or (b or c)"),
        ("a otherwise b otherwise c", "a otherwise b otherwise c"),
        ("(a otherwise b) otherwise c", "(a otherwise b) otherwise c"),
        ("(a or b) otherwise c", "a or b otherwise c"),
        ("(a otherwise b) or c", "(a otherwise b) or c"),
        ("(if a then b else c) * 2", "(if a then b else c) * 2"),
        ("if a then b else (c + 1)", "if a then b else c + 1"),
        ("if a then b else (if c then d else e)", "if a then b else if c then d else e"),
        ("if (if a then b else c) then d else e", "if (if a then b else c) then d else e"),
        ("f((a), (b + c))", "f(a, b + c)"),
        ("sum( x ,3 months)+sum(x,to date)", "sum(x, 3 months) + sum(x, to date)"),
        ("1_000 EUR*12.5%", "1_000 EUR * 12.5%"),
    ],
)
def test_expression_layout(src: str, expected: str) -> None:
    assert _fmt_let(src) == expected


@pytest.mark.parametrize(
    "value",
    ["", "plain", 'say "hi"', "back\\slash", "two\nlines", '\\"', "é ü 中文", "tab\there"],
)
def test_strings_are_re_escaped(value: str) -> None:
    src = f"contract {quote(value)} {{\n  id {quote(value)}\n}}\n"
    r = parse_source(src)
    assert r.ok
    assert r.module.contract is not None and r.module.contract.title.value == value
    assert check_round_trip(src) == src


def test_units_are_singular_for_one() -> None:
    src = (
        'contract "c" {\n  let a = 1 days + 2 day + 1 business days + 0_1 months\n'
        "  threshold t {\n    when x > 1 for 1 quarters: breach\n  }\n"
        "  committee k {\n    consensus 1 rounds\n  }\n}\n"
    )
    out = check_round_trip(src)
    assert "let a = 1 day + 2 days + 1 business day + 0_1 month" in out
    assert "for 1 quarter: breach" in out
    assert "consensus 1 round" in out


def test_whole_numbers_keep_their_spelling() -> None:
    src = (
        'contract "c" {\n  committee k {\n    quorum 1_0 members\n    consensus 0_2 rounds\n  }\n'
        "  threshold t {\n    when x > 1 for 1_2 months: breach\n  }\n}\n"
        'test "v" {\n  expect vote k.d { a yes } round 0_3 is passed\n}\n'
    )
    out = check_round_trip(src)
    for text in ("quorum 1_0 members", "consensus 0_2 rounds", "for 1_2 months", "round 0_3"):
        assert text in out


def test_canonical_spacing_and_one_item_per_line() -> None:
    src = (
        'contract "c" { id "x" party a "A"  en "B" party b\n'
        '  measure m : money { owner a source "s" }\n'
        "  threshold t { when m>1 EUR:breach=>notify a,b otherwise :ok }\n"
        '  escalation l { step s within 3 days step f final { seat "Paris" } }\n}\n'
        'test "t" { data { 2026-01: m = 1 EUR 2026-02: m = 2 EUR } expect m at 2026-01 == 1 EUR }'
    )
    assert check_round_trip(src) == (
        'contract "c" {\n'
        '  id "x"\n'
        '  party a "A" en "B"\n'
        "  party b\n"
        "  measure m: money {\n"
        "    owner a\n"
        '    source "s"\n'
        "  }\n"
        "  threshold t {\n"
        "    when m > 1 EUR: breach\n"
        "      => notify a, b\n"
        "    otherwise: ok\n"
        "  }\n"
        "  escalation l {\n"
        "    step s within 3 days\n"
        "    step f final {\n"
        '      seat "Paris"\n'
        "    }\n"
        "  }\n"
        "}\n"
        "\n"
        'test "t" {\n'
        "  data {\n"
        "    2026-01: m = 1 EUR\n"
        "    2026-02: m = 2 EUR\n"
        "  }\n"
        "  expect m at 2026-01 == 1 EUR\n"
        "}\n"
    )


def test_blank_lines_are_kept_once_and_never_inside_braces() -> None:
    src = 'contract "c" {\n\n\n  id "x"\n\n\n\n  version "1"\n  currency EUR\n\n}\ntest "t" {\n}\n'
    assert check_round_trip(src) == (
        'contract "c" {\n  id "x"\n\n  version "1"\n  currency EUR\n}\n\ntest "t" {\n}\n'
    )


def test_comments_inside_a_one_line_item_move_above_it() -> None:
    src = (
        'contract "c" {\n'
        "  let x = a +   # first\n"
        "    # second\n"
        "    b          # third\n"
        "  let y = c *   # only\n"
        "    d\n"
        "}\n"
    )
    assert check_round_trip(src) == (
        'contract "c" {\n'
        "  # first\n"
        "  # second\n"
        "  let x = a + b  # third\n"
        "  let y = c * d  # only\n"
        "}\n"
    )


def test_comments_before_a_closing_brace_stay_inside() -> None:
    src = 'contract "c" {\n  id "x"\n# last words\n}   # after\n# eof\n'
    assert check_round_trip(src) == (
        'contract "c" {\n  id "x"\n  # last words\n}  # after\n# eof\n'
    )


def test_comments_in_an_empty_attribute_block_are_kept() -> None:
    src = 'contract "c" {\n  measure m: money {\n    # nothing yet\n  }\n}\n'
    out = check_round_trip(src)
    assert "# nothing yet" in out


def test_tier_items_print_in_canonical_order_with_their_comments() -> None:
    src = (
        'contract "c" {\n  waterfall w {\n    distributes p\n'
        "    tier {\n      in order  # mode\n      # the first cap\n      pay a up to 1 EUR\n    }\n"
        "    tier {\n      up to 5 EUR  # cap\n      split a 50%,  # a\n        b 50%\n    }\n  }\n}\n"
    )
    assert check_round_trip(src) == (
        'contract "c" {\n  waterfall w {\n    distributes p\n'
        "    tier {\n      # the first cap\n      pay a up to 1 EUR\n      in order  # mode\n    }\n"
        "    tier {\n      split a 50%, b 50%  # a\n      up to 5 EUR  # cap\n    }\n  }\n}\n"
    )


def test_empty_and_comment_only_files() -> None:
    assert format_source("") == ""
    assert format_source("\n\n  \n") == ""
    assert format_source("# a\n\n\n   # b   ") == "# a\n\n# b\n"


def test_crlf_sources_come_out_with_lf() -> None:
    src = 'contract "c" {\r\n  id "x"  # win\r\n\r\n\r\n  # own\r\n  version "1"\r\n}\r\n'
    assert check_round_trip(src) == 'contract "c" {\n  id "x"  # win\n\n  # own\n  version "1"\n}\n'


def test_output_ends_with_exactly_one_newline() -> None:
    assert format_source('contract "c" {}') == 'contract "c" {\n}\n'
    assert format_source('contract "c" {}\n\n\n\n') == 'contract "c" {\n}\n'


def test_syntax_errors_raise_format_error() -> None:
    with pytest.raises(FormatError) as info:
        format_source('contract "c" {\n  let = 3\n}\n', "bad.pact")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.path == "bad.pact"
    assert err.diagnostics and all(d.path == "bad.pact" for d in err.diagnostics)
    assert any(d.is_error for d in err.diagnostics)
    assert "bad.pact" in str(err)


@pytest.mark.parametrize(
    "src",
    [
        'contract "c" {\n  let x = "bad \\t escape"\n}\n',  # invalid escape
        'contract "c" {\n  let x = 2026-13\n}\n',  # invalid month
        'contract "c" {\n  party contract\n}\n',  # keyword as a name
        'contract "c" {\n',  # never closed
    ],
)
def test_files_with_any_error_are_refused(src: str) -> None:
    with pytest.raises(FormatError):
        format_source(src)


def test_format_module_works_on_a_hand_built_tree() -> None:
    def name(n: str) -> ast.Name:
        return ast.Name((ast.Ident(n, NO_SPAN),), NO_SPAN)

    expr = ast.Arith(
        ("-",),
        (
            name("a"),
            ast.Arith(("-",), (name("b"), ast.NumberLit(Decimal(1000), "1_000", NO_SPAN)), NO_SPAN),
        ),
        NO_SPAN,
    )
    let = ast.LetDecl(ast.Ident("x", NO_SPAN), ast.Labels(None, (), NO_SPAN), None, expr, NO_SPAN)
    contract = ast.Contract(ast.Text("c", NO_SPAN), (let,), NO_SPAN)
    module = ast.Module(contract, None, (), (), NO_SPAN)
    assert format_module(module, "") == 'contract "c" {\n  let x = a - (b - 1_000)\n}\n'


# --------------------------------------------------------- expression trees

_NAMES = ["a", "b", "c", "x", "acme", "y_2"]


def _name(n: str) -> ast.Name:
    return ast.Name((ast.Ident(n, NO_SPAN),), NO_SPAN)


_leaves = st.one_of(
    st.sampled_from(_NAMES).map(_name),
    st.integers(0, 999).map(lambda i: ast.NumberLit(Decimal(i), str(i), NO_SPAN)),
    st.integers(0, 99).map(lambda i: ast.PercentLit(Decimal(i).scaleb(-2), str(i), NO_SPAN)),
    st.integers(0, 99).map(lambda i: ast.MoneyLit(Decimal(i), "EUR", str(i), NO_SPAN)),
    st.booleans().map(lambda b: ast.BoolLit(b, NO_SPAN)),
    st.just(ast.MissingLit(NO_SPAN)),
)


def _extend(children: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    def arith(level: str, operands: list[ast.Expr], data: list[bool]) -> ast.Expr:
        pair = ("+", "-") if level == "sum" else ("*", "/")
        ops = tuple(pair[int(data[i % len(data)])] for i in range(len(operands) - 1))
        return ast.Arith(ops, tuple(operands), NO_SPAN)  # type: ignore[arg-type]

    return st.one_of(
        st.builds(
            arith,
            st.sampled_from(["sum", "product"]),
            st.lists(children, min_size=2, max_size=4),
            st.lists(st.booleans(), min_size=1, max_size=4),
        ),
        st.builds(
            lambda op, xs: ast.Logic(op, tuple(xs), NO_SPAN),
            st.sampled_from(["and", "or"]),
            st.lists(children, min_size=2, max_size=3),
        ),
        st.builds(
            lambda op, left, right: ast.Compare(op, left, right, NO_SPAN),
            st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
            children,
            children,
        ),
        st.builds(lambda op, e: ast.Unary(op, e, NO_SPAN), st.sampled_from(["-", "not"]), children),
        st.builds(lambda c, t, e: ast.IfThenElse(c, t, e, NO_SPAN), children, children, children),
        st.builds(lambda v, f: ast.Otherwise(v, f, NO_SPAN), children, children),
        st.builds(
            lambda f, xs: ast.Call(ast.Ident(f, NO_SPAN), tuple(xs), NO_SPAN),
            st.sampled_from(["f", "max"]),
            st.lists(children, max_size=3),
        ),
    )


expressions = st.recursive(_leaves, _extend, max_leaves=14)


def _let_module(expr: ast.Expr) -> ast.Module:
    let = ast.LetDecl(ast.Ident("v", NO_SPAN), ast.Labels(None, (), NO_SPAN), None, expr, NO_SPAN)
    return ast.Module(ast.Contract(ast.Text("c", NO_SPAN), (let,), NO_SPAN), None, (), (), NO_SPAN)


def _let_value(text: str) -> ast.Expr | None:
    r = parse_source(text)
    if not r.ok or r.module.contract is None:
        return None
    (decl,) = r.module.contract.decls
    assert isinstance(decl, ast.LetDecl) and not isinstance(decl.value, ast.Schedule)
    return decl.value


def _full_parens(e: ast.Expr) -> str:
    """Every compound subexpression in parentheses: no precedence knowledge needed."""
    if isinstance(e, ast.Arith):
        parts = [_full_parens(e.operands[0])]
        for op, o in zip(e.ops, e.operands[1:], strict=True):
            parts += [op, _full_parens(o)]
        return "(" + " ".join(parts) + ")"
    if isinstance(e, ast.Logic):
        return "(" + f" {e.op} ".join(_full_parens(o) for o in e.operands) + ")"
    if isinstance(e, ast.Compare):
        return f"({_full_parens(e.left)} {e.op} {_full_parens(e.right)})"
    if isinstance(e, ast.Unary):
        return f"({e.op} {_full_parens(e.operand)})"
    if isinstance(e, ast.IfThenElse):
        return (
            f"(if {_full_parens(e.cond)} then {_full_parens(e.then)} else {_full_parens(e.else_)})"
        )
    if isinstance(e, ast.Otherwise):
        return f"({_full_parens(e.value)} otherwise {_full_parens(e.fallback)})"
    if isinstance(e, ast.Call):
        return f"{e.func.name}(" + ", ".join(_full_parens(a) for a in e.args) + ")"
    text = format_module(_let_module(e), "").split("\n")[1]
    return text[len("  let v = ") :]


def _grouping_parens(text: str) -> list[tuple[int, int]]:
    """Matching pairs of parentheses that group (not those of a call)."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, bool]] = []
    for i, ch in enumerate(text):
        if ch == "(":
            is_call = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
            stack.append((i, is_call))
        elif ch == ")":
            j, is_call = stack.pop()
            if not is_call:
                pairs.append((j, i))
    return pairs


_EXPR_SETTINGS = settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_EXPR_SETTINGS
@given(expressions)
def test_printed_expressions_parse_back_to_the_same_tree(expr: ast.Expr) -> None:
    out = format_module(_let_module(expr), "")
    parsed = _let_value(out)
    assert parsed is not None, out
    assert strip_spans(parsed) == strip_spans(expr)
    assert format_source(out) == out


@_EXPR_SETTINGS
@given(expressions)
def test_every_printed_parenthesis_is_needed(expr: ast.Expr) -> None:
    out = format_module(_let_module(expr), "")
    line = out.split("\n")[1]
    want = strip_spans(expr)
    for i, j in _grouping_parens(line):
        inner = line[i + 1 : j]
        before = line[:i]
        if inner.startswith("if ") and (before.endswith("if ") or before.endswith("then ")):
            continue  # the documented readability exception
        stripped = line[:i] + line[i + 1 : j] + line[j + 1 :]
        parsed = _let_value('contract "c" {\n' + stripped + "\n}\n")
        assert parsed is None or strip_spans(parsed) != want, (line, stripped)


@_EXPR_SETTINGS
@given(expressions)
def test_fully_parenthesized_sources_format_to_the_same_tree(expr: ast.Expr) -> None:
    src = f'contract "c" {{\n  let v = {_full_parens(expr)}\n}}\n'
    assert _let_value(src) is not None
    check_round_trip(src)


# -------------------------------------------------------- generated sources


def _spaced(s: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return s.map(lambda t: f" {t} ")


@functools.cache
def _grammar_lark() -> lark.Lark:
    return lark.Lark(grammar_text(), parser="lalr", lexer="basic", start="start")


@functools.cache
def _rule_strategy(start: str) -> st.SearchStrategy[str]:
    """Sources for one grammar rule, every token surrounded by spaces (tokens never
    run together), with whitespace and comments (each ending its line) in between."""
    lk = _grammar_lark()
    terminals, _rules, ignore = lk.grammar.compile([start], ())
    kw = keywords()
    utf8 = st.characters(codec="utf-8")
    number = st.one_of(
        st.integers(0, 10**6).map(str),
        st.from_regex(r"[0-9](_?[0-9]){0,5}(\.[0-9](_?[0-9]){0,3})?", fullmatch=True),
    )
    regex_terminals: dict[str, st.SearchStrategy[str]] = {
        "WS": st.sampled_from([" ", "\n", "\n\n", "\t", "\n  \n   "]),
        "COMMENT": st.from_regex(r"#[^\n]*", fullmatch=True, alphabet=utf8).map(
            lambda c: f" {c}\n"
        ),
        "DATE": _spaced(
            st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)).map(
                datetime.date.isoformat
            )
        ),
        "PERIOD": _spaced(
            st.builds("{:04d}-{:02d}".format, st.integers(1000, 9999), st.integers(1, 12))
        ),
        "PERCENT": _spaced(number.map(lambda n: n + "%")),
        "NUMBER": _spaced(number),
        "UPPER": _spaced(st.sampled_from(["EUR", "FR", "JPY", "X9"])),
        "NAME": _spaced(
            st.one_of(
                st.sampled_from(["a", "acme", "orbis", "x_1", "_y"]),
                st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(
                    lambda n: n not in kw
                ),
            )
        ),
        "STRING": _spaced(st.from_regex(r'"(\\[\\"n]|[^"\\\n])*"', fullmatch=True, alphabet=utf8)),
    }
    explicit: dict[str, st.SearchStrategy[str]] = {name: regex_terminals[name] for name in ignore}
    for t in terminals:
        if isinstance(t.pattern, lark.lexer.PatternStr):
            explicit[t.name] = st.just(f" {t.pattern.value} ")
        else:
            explicit[t.name] = regex_terminals[t.name]
    return from_lark(lk, start=start, explicit=explicit)


@st.composite
def pact_sources(draw: st.DrawFn) -> str:
    """Whole files from the grammar's start rule, or a contract assembled from
    generated declarations (the start rule alone rarely reaches deep into them)."""
    if draw(st.booleans()):
        return draw(_rule_strategy("start"))
    decls = draw(st.lists(_rule_strategy("decl"), min_size=1, max_size=6))
    tests = draw(st.lists(_rule_strategy("test_block"), max_size=2))
    comment = draw(st.sampled_from(["", "# head\n", " # after\n"]))
    return f'contract "g" {{{comment}' + "\n".join(decls) + "}\n" + "\n".join(tests)


_GEN_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@_GEN_SETTINGS
@given(pact_sources())
def test_generated_sources_round_trip(src: str) -> None:
    assume(parse_source(src).ok)
    check_round_trip(src)


# -------------------------------------------------- comments stay in place


def _bare_canonical(path: Path) -> str | None:
    """The formatted text of a source without any of its comments."""
    src = path.read_text(encoding="utf-8")
    r = parse_source(src)
    if not r.ok:
        return None
    return format_module(replace(r.module, comments=()), src)


@functools.cache
def _canonical_bodies() -> tuple[str, ...]:
    out = []
    for p in _all_sources():
        text = _bare_canonical(p)
        if text:
            out.append(text)
    return tuple(out)


def test_bare_canonical_texts_are_fixed_points() -> None:
    for text in _canonical_bodies():
        assert format_source(text) == text


_COMMENT_LINE = re.compile(r"^ *# c\d+[bt]$")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_injected_comments_stay_in_place(data: st.DataObject) -> None:
    body = data.draw(st.sampled_from(_canonical_bodies()))
    lines = body.split("\n")[:-1]
    decorated: list[str] = []
    before: dict[str, int] = {}  # comment text -> index of the code line it precedes
    after: dict[str, int] = {}  # comment text -> index of the code line it trails
    for k, line in enumerate(lines):
        if line == "":
            decorated.append(line)
            continue
        choice = data.draw(st.sampled_from(["none", "before", "trailing", "both"]))
        if choice in ("before", "both"):
            text = f"# c{k}b"
            lead = data.draw(st.sampled_from(["", "  ", "      "]))
            decorated.append(lead + text)
            before[text] = k
        if choice in ("trailing", "both"):
            text = f"# c{k}t"
            decorated.append(line + " " * data.draw(st.integers(1, 3)) + text)
            after[text] = k
        else:
            decorated.append(line)
    src = "\n".join(decorated) + "\n"
    out = check_round_trip(src)

    code_index: list[int | None] = []  # output line -> index of the body line it prints
    stripped: list[str] = []
    k = 0
    for line in out.split("\n")[:-1]:
        if _COMMENT_LINE.match(line):
            code_index.append(None)
            continue
        for text in after:
            if line.endswith("  " + text):
                line = line[: -len(text) - 2]
        stripped.append(line)
        code_index.append(k)
        k += 1
    assert stripped == lines  # the comments changed nothing else

    out_lines = out.split("\n")[:-1]
    for i, line in enumerate(out_lines):
        if _COMMENT_LINE.match(line):
            text = line.strip()
            assert text in before, f"trailing comment {text} moved to its own line"
            nxt = next(
                code_index[j] for j in range(i + 1, len(out_lines)) if code_index[j] is not None
            )
            assert nxt == before[text]
            target = lines[before[text]]
            width = len(target) - len(target.lstrip(" ")) + (2 if target.strip() == "}" else 0)
            assert line == " " * width + text
        else:
            for text, k2 in after.items():
                if line.endswith("  " + text):
                    assert code_index[i] == k2
    assert sum(1 for line in out_lines if _COMMENT_LINE.match(line)) == len(before)
