"""Robustness of the front end: very long, very deep and very large inputs end
in an AST or a diagnostic (never an exception), and fuzzed sources — generated
from the grammar itself, or mutated from real contracts — only ever produce
diagnostics with valid spans."""

from __future__ import annotations

import dataclasses
import gc
import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from pactlang.diagnostics import CODES, Span
from pactlang.syntax import ast
from pactlang.syntax import parser as parser_module
from pactlang.syntax.grammar import grammar_text, keywords
from pactlang.syntax.parser import MAX_EXPR_DEPTH, MAX_SOURCE_BYTES, ParseResult, parse_source

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Diagnostics a syntactically valid file may still get from the parser: bad
# literal values, too deep nesting, bad escapes, zero denominators, and the
# builder's checks of `expect` forms.
# codes the builder gives for text the grammar accepts: number digits, depth, escapes,
# structure (E062: a tier states its split, mode or cap once), ...
NON_SYNTAX_CODES = frozenset({"E005", "E006", "E008", "E042", "E062", "E070", "E090"})


# ----------------------------------------------------------------- helpers


def _line_col(text: str, offset: int) -> tuple[int, int]:
    # line ends are \n, \r\n and a lone \r (pactlang.base.text); nothing else
    text = re.sub(r"\r(?!\n)", "\n", text)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _nodes(root: Any) -> Iterator[Any]:
    stack = [root]
    while stack:
        n = stack.pop()
        if isinstance(n, tuple):
            stack.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, type):
            yield n
            stack.extend(getattr(n, f.name) for f in dataclasses.fields(n))


def _valid_span(s: Span, text: str) -> bool:
    return (
        0 <= s.start <= s.end <= len(text)
        and (s.line, s.col) == _line_col(text, s.start)
        and (s.end_line, s.end_col) == _line_col(text, s.end)
    )


def assert_well_formed(r: ParseResult, text: str) -> None:
    """The invariants of any parse: documented codes, spans inside the text whose
    line/col agree with their offsets, for diagnostics and AST nodes alike."""
    assert isinstance(r.module, ast.Module)
    for d in r.diagnostics:
        assert d.code in CODES, d
        assert d.span is not None, d
        assert _valid_span(d.span, text), d
        for rel in d.related:
            assert _valid_span(rel.span, text), d
    for n in _nodes(r.module):
        s = getattr(n, "span", None)
        if isinstance(s, Span):
            assert _valid_span(s, text), (type(n).__name__, s)


def _sema_check() -> Callable[[ParseResult], object] | None:
    """``pactlang.sema.check`` when it exists, adapted to a parse result."""
    try:
        mod = importlib.import_module("pactlang.sema")
    except ImportError:
        return None
    check = getattr(mod, "check", None)
    if not callable(check):
        try:
            check = getattr(importlib.import_module("pactlang.sema.check"), "check", None)
        except ImportError:
            return None
    if not callable(check):
        return None
    params = list(inspect.signature(check).parameters.values())

    def run(r: ParseResult) -> object:
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for i, p in enumerate(params):
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if i == 0:
                args.append(r if "result" in p.name else r.module)
            elif p.name == "path":
                kwargs["path"] = "fuzz.pact"
            elif p.name in ("broken", "broken_names"):
                kwargs[p.name] = r.broken_names
            elif p.default is p.empty:
                pytest.fail(f"cannot call sema.check{inspect.signature(check)}")
        return check(*args, **kwargs)

    return run


SEMA_CHECK = _sema_check()


def front_end(text: str) -> ParseResult:
    """Parse, then check if the checker exists; neither may raise."""
    r = parse_source(text, "fuzz.pact")
    assert_well_formed(r, text)
    if SEMA_CHECK is not None:
        SEMA_CHECK(r)
    return r


def let_value(text: str) -> tuple[ParseResult, Any]:
    src = 'contract "c" {\n  let v = ' + text + "\n}\n"
    r = parse_source(src, "deep.pact")
    assert_well_formed(r, src)
    value = None
    if r.module.contract is not None and r.module.contract.decls:
        decl = r.module.contract.decls[0]
        assert isinstance(decl, ast.LetDecl)
        value = decl.value
    return r, value


def with_low_recursion_limit(fn: Callable[[], Any], headroom: int = 120) -> Any:
    """Run ``fn`` with a recursion limit just above the current depth, so any
    recursion proportional to the input's nesting would fail."""
    fn()  # warm caches (grammar, regexes) at the normal limit
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + headroom)
    try:
        return fn()
    finally:
        sys.setrecursionlimit(old)


# ---------------------------------------------------------- long and deep


def test_a_5000_term_sum_is_one_nary_node() -> None:
    r, value = let_value(" + ".join(f"x{i}" for i in range(5000)))
    assert r.diagnostics == []
    assert isinstance(value, ast.Arith)
    assert len(value.operands) == 5000 and len(value.ops) == 4999
    names = [o.dotted for o in value.operands if isinstance(o, ast.Name)]
    assert names == [f"x{i}" for i in range(5000)]
    assert set(value.ops) == {"+"}


def test_long_and_or_chains_are_flat() -> None:
    r, value = let_value(" and ".join(["a"] * 3000) + " or b")
    assert r.diagnostics == []
    assert isinstance(value, ast.Logic) and value.op == "or"
    inner = value.operands[0]
    assert isinstance(inner, ast.Logic) and len(inner.operands) == 3000


def test_500_parentheses_around_an_atom() -> None:
    r, value = with_low_recursion_limit(lambda: let_value("(" * 500 + "42" + ")" * 500))
    assert r.diagnostics == []
    assert isinstance(value, ast.NumberLit) and value.text == "42"


@pytest.mark.parametrize(
    ("label", "source"),
    [
        ("nested sums", "(1 + " * 500 + "1" + ")" * 500),
        ("unary minus", "-" * 5000 + "1"),
        ("not", "not " * 3000 + "true"),
        ("if/then/else", "if c then 1 else " * 500 + "0"),
        ("calls", "abs(" * 500 + "1" + ")" * 500),
        ("otherwise", " otherwise ".join(["a"] * 3000)),
    ],
)
def test_deep_nesting_is_e006_not_recursion_error(label: str, source: str) -> None:
    r, _ = with_low_recursion_limit(lambda: let_value(source))
    assert [d.code for d in r.diagnostics] == ["E006"], label
    assert f"more than {MAX_EXPR_DEPTH} levels" in r.diagnostics[0].message
    front_end('contract "c" {\n  let v = ' + source + "\n}\n")


def test_nesting_just_below_the_limit_is_fine() -> None:
    depth = MAX_EXPR_DEPTH - 1
    r, value = let_value("(1 + " * depth + "1" + ")" * depth)
    assert r.diagnostics == []
    n = 0
    while isinstance(value, ast.Arith):
        value = value.operands[1]
        n += 1
    assert n == depth


def _many_declarations(target_chars: int) -> tuple[str, int]:
    unit = (
        "  # block {i}\n"
        '  party p{i} "Partie {i}" en "Party {i}"\n'
        '  measure m{i} "Mesure {i}": money {{ owner p{i} source "ERP" }}\n'
        "  let l{i} = 10% from 2026-01, 12.5% from 2027-01\n"
        '  kpi k{i} "KPI {i}": percent = m{i} / (m{i} + 1 EUR) {{ owner p{i} target 20% }}\n'
        "  threshold t{i} {{\n"
        "    when k{i} < 5% for 3 months: breach\n"
        '      => pay 1_000 EUR from p{i} to p{i} "Pénalité"\n'
        "    otherwise: ok\n"
        "  }}\n"
    )
    parts = ['contract "big" {\n  currency EUR\n']
    size = len(parts[0])
    n = 0
    while size < target_chars:
        parts.append(unit.format(i=n))
        size += len(parts[-1])
        n += 1
    return "".join(parts) + "}\n", 1 + 5 * n


def test_a_2mb_source_of_many_declarations_parses() -> None:
    text, n_decls = _many_declarations(2_000_000)
    assert len(text.encode("utf-8")) >= 2_000_000
    r = parse_source(text, "big.pact")
    assert r.diagnostics == []
    assert r.module.contract is not None and len(r.module.contract.decls) == n_decls
    last = r.module.contract.decls[-1]
    assert isinstance(last, ast.ThresholdDecl) and last.span.end_line == text.count("\n") - 1
    assert len(r.module.comments) == (n_decls - 1) // 5


def test_huge_input_is_e007_without_scanning_it() -> None:
    text = "# " + "x" * 78 + "\n"
    huge = text * (MAX_SOURCE_BYTES // len(text) + 1)
    assert len(huge) > MAX_SOURCE_BYTES
    r = parse_source(huge, "huge.pact")
    assert [d.code for d in r.diagnostics] == ["E007"]
    assert f"{len(huge):,}" in r.diagnostics[0].message
    assert r.module.contract is None and r.module.tests == ()
    assert r.module.comments == ()  # the fast path: nothing was scanned


def test_e007_limit_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'contract "c" {\n  party a\n}\n'
    monkeypatch.setattr(parser_module, "MAX_SOURCE_BYTES", len(text))
    assert parse_source(text, "x.pact").diagnostics == []
    r = parse_source(text + " ", "x.pact")
    assert [d.code for d in r.diagnostics] == ["E007"]


@pytest.mark.parametrize("enabled", [True, False])
def test_parse_restores_the_gc_state(enabled: bool) -> None:
    """`parse_source` pauses the cyclic GC while it runs, and leaves it as it was,
    also when the parse goes through error recovery."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        for text in ('contract "c" {\n  party a\n}\n', 'contract "c" {\n  party\n}\n'):
            parse_source(text, "gc.pact")
            assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


# ---------------------------------------------------- grammar-based fuzzing


def _explicit_terminals(p: lark.Lark) -> dict[str, st.SearchStrategy[str]]:
    """A strategy per terminal; each token ends with a separator so that the
    concatenation lexes back into the same tokens.  Samples from small lists
    (valid and invalid literals alike): drawing from regexes would make each
    generated file cost thousands of draws."""
    kw = keywords()

    def tok(*values: str) -> st.SearchStrategy[str]:
        return st.sampled_from([v + sep for v in values for sep in (" ", "\n")])

    out: dict[str, st.SearchStrategy[str]] = {}
    for t in p.terminals:
        if isinstance(t.pattern, lark.lexer.PatternStr):
            out[t.name] = tok(t.pattern.value)
    names = ["acme", "orbis", "revenue", "fund", "x", "_", "a1", "leads_won", "steering", "no_go"]
    assert kw.isdisjoint(names)
    out["NAME"] = tok(*names)
    out["NUMBER"] = tok("0", "1", "12", "12.5", "1_000_000", "0.001", "3", "9" * 45, "1.5")
    out["PERCENT"] = tok("0%", "5%", "12.5%", "20%", "100%", "150%")
    out["DATE"] = tok(
        "2026-01-01", "2028-12-31", "2024-02-29", "2026-02-30", "2026-13-01", "0000-00-00"
    )
    out["PERIOD"] = tok("2026-01", "2027-12", "2026-13", "2026-00")
    out["UPPER"] = tok("EUR", "JPY", "USD", "FR", "DE", "X1")
    out["STRING"] = tok(
        '""', '"ACME SAS"', "\"Chiffre d'affaires co-généré\"", '"a\\"b"', '"x\\\\y"',
        '"line\\nbreak"', '"bad \\q escape"', '"# not a comment"', '"€ 💥 {}"',
    )  # fmt: skip
    out["COMMENT"] = st.sampled_from(["# note\n", "#\n", '# é } { " #\n'])
    out["WS"] = st.sampled_from([" ", "\n", "\t", "\r\n"])
    return out


def _fuzz_grammar() -> tuple[lark.Lark, dict[str, st.SearchStrategy[str]]]:
    p = lark.Lark(grammar_text(), parser="lalr", lexer="basic", start="start")
    return p, _explicit_terminals(p)


_FUZZ_LARK, _FUZZ_EXPLICIT = _fuzz_grammar()


@settings(FUZZ, max_examples=120)
@given(from_lark(_FUZZ_LARK, start="start", explicit=_FUZZ_EXPLICIT))
def test_grammar_generated_sources_parse(text: str) -> None:
    """A sentence of the grammar is never a syntax error: only literal-level
    diagnostics (bad date, bad escape, …) may appear, and checking the result
    must not raise either."""
    r = front_end(text)
    syntax = [(d.code, d.message) for d in r.diagnostics if d.code not in NON_SYNTAX_CODES]
    assert syntax == [], text
    assert r.broken_names == frozenset()


def _generator(start: str) -> st.SearchStrategy[str]:
    """Sentences of one rule of the grammar (explicit strategies limited to the
    terminals that rule can reach, as ``from_lark`` requires)."""
    terminals, rules, ignore = _FUZZ_LARK.grammar.compile([start], ())
    names = {t.name for t in terminals} | set(ignore)
    for rule in rules:
        names |= {sym.name for sym in rule.expansion if sym.is_term}
    explicit = {k: v for k, v in _FUZZ_EXPLICIT.items() if k in names}
    return from_lark(_FUZZ_LARK, start=start, explicit=explicit)


_GEN_DECL = _generator("decl_start")
_GEN_TEST = _generator("test_block")


@st.composite
def generated_contract(draw: st.DrawFn) -> tuple[str, int, int]:
    """A contract made of grammar-generated declarations, then generated tests."""
    decls = draw(st.lists(_GEN_DECL, min_size=1, max_size=8))
    tests = draw(st.lists(_GEN_TEST, max_size=2))
    text = 'contract "fuzz" {\n' + "\n".join(decls) + "\n}\n" + "\n".join(tests)
    return text, len(decls), len(tests)


@FUZZ
@given(generated_contract())
def test_grammar_generated_declarations_parse_one_to_one(case: tuple[str, int, int]) -> None:
    """Every generated declaration becomes exactly one AST declaration, every
    generated test block one test, and nothing is a syntax error."""
    text, n_decls, n_tests = case
    r = front_end(text)
    syntax = [(d.code, d.message) for d in r.diagnostics if d.code not in NON_SYNTAX_CODES]
    assert syntax == [], text
    assert r.module.contract is not None
    assert len(r.module.contract.decls) == n_decls
    assert len(r.module.tests) == n_tests


def test_the_grammar_fuzzer_does_reach_contracts() -> None:
    """Guard against a vacuous fuzzer: it must produce contract blocks that parse."""
    seen: list[str] = []

    # derandomized: the same examples every run, so that this guard cannot flake
    # (with 30 random examples it once saw no contract block at all)
    @settings(
        max_examples=100, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_lark(_FUZZ_LARK, start="start", explicit=_FUZZ_EXPLICIT))
    def collect(text: str) -> None:
        if text.lstrip().startswith("contract"):
            seen.append(text)

    collect()
    assert len(seen) >= 5, len(seen)
    assert any(parse_source(t, "g.pact").module.contract is not None for t in seen)


# --------------------------------------------------- mutation-based fuzzing


def _seed_sources() -> list[str]:
    paths = sorted((REPO / "examples" / "contracts").glob("*.pact"))
    paths.append(HERE / "fixtures" / "parse" / "spec_example.pact")
    texts = [p.read_text(encoding="utf-8") for p in paths if p.is_file()]
    assert texts
    return texts


SEEDS = _seed_sources()
NOISE = ["{", "}", '"', "#", "\n", "\r\n", "(", ")", ":", "=>", ",", ".", "-", "%", "é", "€", "💥",
         "\x00", "\t", "\\", "/", "2026-13", "2026-02-30", " count ", " party ", "EUR", "9" * 50]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "insert_text"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "swap":
            k = draw(st.integers(j, n))
            m = draw(st.integers(k, min(n, k + 40)))
            text = text[:i] + text[k:m] + text[j:k] + text[i:j] + text[m:]
        elif op == "insert":
            text = text[:i] + draw(st.sampled_from(NOISE)) + text[i:]
        else:
            text = text[:i] + draw(st.text(max_size=5)) + text[i:]
    return text


@FUZZ
@given(mutated())
def test_mutated_examples_only_give_diagnostics(text: str) -> None:
    front_end(text)


@FUZZ
@given(
    st.text(
        alphabet=st.sampled_from(list('contract"{}()#\n =>:,.-%0123456789abpqEUR')), max_size=300
    )
)
def test_token_soup_only_gives_diagnostics(text: str) -> None:
    front_end(text)


def test_seed_sources_parse_cleanly() -> None:
    """The fuzzing seeds themselves are valid, so mutations start from real files."""
    for text in SEEDS:
        r = front_end(text)
        assert r.diagnostics == []
