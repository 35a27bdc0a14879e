"""Source text → typed AST, with diagnostics and error recovery.

The Lark LALR parser produces a parse tree; :class:`_Builder` turns it into
:mod:`~pactlang.syntax.ast` nodes with an explicit stack (no recursion, so a
file of any depth ends in an AST or a diagnostic, never ``RecursionError``).

When the whole file does not parse, the tokens are cut at top-level
declarations and each piece is parsed on its own, so a file reports one error
per broken declaration and the rest of it is still checked.
"""

from __future__ import annotations

import bisect
import datetime
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, cast

import lark
from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from pactlang.base.text import (
    bidi_controls,
    char_name,
    forbidden_in_string,
    invisibles,
    normalize_line_ends,
)
from pactlang.base.values import Period
from pactlang.diagnostics import Diagnostic, DiagnosticBag, Related, Span
from pactlang.syntax import ast
from pactlang.syntax.grammar import describe_terminal, keywords, parser

MAX_SOURCE_BYTES = 20_000_000
MAX_EXPR_DEPTH = 100
MAX_NUMBER_DIGITS = 40
#: Longest string literal, in characters (E007): about 30 pages of text.
MAX_STRING_CHARS = 100_000
#: Unexpected characters reported per file before the parser gives up on the rest.
MAX_LEX_ERRORS = 100
#: Most tokens in a file (E007): a 10,000-line contract has about 50,000.
MAX_TOKENS = 1_000_000

DECL_KEYWORDS = frozenset(
    {
        "ID",
        "VERSION",
        "EFFECTIVE",
        "CURRENCY",
        "LANGUAGE",
        "CALENDAR",
        "PARTY",
        "MEASURE",
        "LET",
        "KPI",
        "THRESHOLD",
        "COMMITTEE",
        "ESCALATION",
        "WATERFALL",
        "SIGNED",
        "CLAUSE",
    }
)


@dataclass(slots=True)
class ParseResult:
    module: ast.Module
    diagnostics: list[Diagnostic]
    # names whose declarations failed to parse: later phases should not report
    # their uses as undeclared (that would only repeat the syntax error)
    broken_names: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def parse(text: str, path: str = "<input>") -> tuple[ast.Module, list[Diagnostic]]:
    r = parse_source(text, path)
    return r.module, r.diagnostics


def parse_source(text: str, path: str = "<input>") -> ParseResult:
    r"""Parse one file's text.  Line ends are ``\n``, ``\r\n`` or a lone ``\r``
    (:mod:`pactlang.base.text`); spans are offsets into ``text`` itself."""
    bag = DiagnosticBag(path)
    if len(text) > MAX_SOURCE_BYTES:
        # checked before anything scans the text, so a huge input fails fast
        bag.error(
            "E007",
            f"source is too large ({len(text):,} characters; the limit is {MAX_SOURCE_BYTES:,})",
            None,
        )
        return ParseResult(_empty_module(()), bag.items)
    tokens = _too_many_tokens(text)
    if tokens is not None:
        # every token is an object of a few hundred bytes: 4 MB of `(` took 2 GB
        bag.error(
            "E007",
            f"source has too many tokens (at least {tokens:,}; the limit is {MAX_TOKENS:,}, "
            "a 10,000-line contract has about 50,000)",
            None,
        )
        return ParseResult(_empty_module(()), bag.items)
    # a lone CR is a line end: made a LF, which keeps every offset where it is
    text = normalize_line_ends(text)
    # Parsing allocates hundreds of thousands of small objects that form trees,
    # not cycles; the cyclic collector would rescan them again and again (about
    # half the parse time of a large file), so it is paused for the duration
    # (benchmarks/README.md).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        comments = tuple(_comments(text, bag))
        try:
            tree = parser().parse(text, start="start")
        except UnexpectedInput:
            return _recover(text, path, bag, comments)
        module = _Builder(bag).build(tree)
        module = ast.Module(module.contract, module.tests_for, module.tests, comments, module.span)
        return ParseResult(module, bag.items)
    finally:
        if gc_was_enabled:
            gc.enable()


# ------------------------------------------------------------------ tokens

# a token as the lexer sees it, near enough to count them: a string, a comment
# (not counted), a run of name/number characters, or any other character
_TOKENISH = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|#[^\n]*|[A-Za-z0-9_.%-]+|\S')
_SPACES = str.maketrans("", "", " \t\r\n\f")


def _too_many_tokens(text: str) -> int | None:
    """The token count when it is over :data:`MAX_TOKENS` (else None).  A text with
    fewer non-space characters than the limit cannot have more tokens, so only
    very big files are counted (one regex pass, nothing kept)."""
    if len(text) <= MAX_TOKENS or len(text.translate(_SPACES)) <= MAX_TOKENS:
        return None
    count = 0
    for m in _TOKENISH.finditer(text):
        if m.group()[0] != "#":
            count += 1
            if count > MAX_TOKENS:
                return count
    return None


# ------------------------------------------------------------------ comments

# strings as in the grammar, "unrolled" so that the regex engine keeps no state
# per character (a repeated group costs hundreds of bytes per iteration)
_COMMENT_OR_STRING = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|#[^\n]*')
_NEWLINE = re.compile("\n")


def _comments(text: str, bag: DiagnosticBag) -> Iterator[ast.Comment]:
    line_starts = _LineIndex(text)
    for m in _COMMENT_OR_STRING.finditer(text):
        if m.group().startswith("#"):
            comment = m.group()
            _warn_hidden(comment, m.start(), line_starts, bag, "a comment")
            yield ast.Comment(comment.rstrip(), line_starts.span(m.start(), m.end()))


def _warn_hidden(
    raw: str, offset: int, index: _LineIndex | _OneLine, bag: DiagnosticBag, where: str
) -> None:
    """W009 for bidirectional controls, W010 for invisible characters in ``raw``
    (a string literal or a comment starting at ``offset``); one warning each per
    literal, at the first such character."""
    found = list(bidi_controls(raw))
    if found:
        bag.warning(
            "W009",
            f"bidirectional control character {_first_of(raw, found)} in {where}: "
            "it can make the text display in another order than it reads",
            index.span(offset + found[0], offset + found[0] + 1),
            help="remove it, or write the text without it",
        )
    found = list(invisibles(raw))
    if found:
        bag.warning(
            "W010",
            f"invisible character {_first_of(raw, found)} in {where}: "
            "text that looks the same is not",
            index.span(offset + found[0], offset + found[0] + 1),
            help="remove it, or write the text without it",
        )


def _first_of(raw: str, found: list[int]) -> str:
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return char_name(raw[found[0]]) + more


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in _NEWLINE.finditer(text))

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start)
        end_line, end_col = self.pos(end)
        return Span(start, end, line, col, end_line, end_col)


class _OneLine:
    """A :class:`_LineIndex` for text known to be on one line (a string literal)."""

    def __init__(self, start: int, line: int, col: int) -> None:
        self.start, self.line, self.col = start, line, col

    def span(self, start: int, end: int) -> Span:
        col = self.col + start - self.start
        return Span(start, end, self.line, col, self.line, col + end - start)


def _empty_module(comments: tuple[ast.Comment, ...]) -> ast.Module:
    s = Span(0, 0, 1, 1, 1, 1)
    return ast.Module(None, None, (), comments, s)


# ------------------------------------------------------------------- spans


def tok_span(t: Token) -> Span:
    return Span(
        cast(int, t.start_pos),
        cast(int, t.end_pos),
        cast(int, t.line),
        cast(int, t.column),
        cast(int, t.end_line),
        cast(int, t.end_column),
    )


def _meta_span(meta: Any) -> Span | None:
    if getattr(meta, "empty", True):
        return None
    return Span(meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line, meta.end_column)


# ----------------------------------------------------------- error messages


def _error_for(exc: UnexpectedInput, bag: DiagnosticBag) -> None:
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        exp = _expected(exc)
        bag.error(
            "E003",
            "unexpected end of file" + (f"; expected {exp}" if exp else ""),
            _eof_span(exc),
            help="a `{` may be missing its closing `}`",
        )
        return
    if isinstance(exc, UnexpectedEOF):
        bag.error("E003", "unexpected end of file", None)
        return
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        span = tok_span(tok)
        expected = set(exc.expected or ())
        if str(tok) in keywords() and "NAME" in expected:
            bag.error(
                "E004",
                f"`{tok}` is a reserved keyword and cannot be used as a name",
                span,
                help=f"choose another name, e.g. `{tok}_value`",
            )
            return
        if tok.type == "UPPER" and "NAME" in expected:
            bag.error(
                "E001",
                f"unexpected `{tok}`: names are lower-case",
                span,
                help="names use a-z, 0-9 and `_`, starting with a letter or `_`",
            )
            return
        exp = _expected(exc)
        bag.error(
            "E001",
            f"unexpected {_show_token(tok)}" + (f"; expected {exp}" if exp else ""),
            span,
        )
        return
    if isinstance(exc, UnexpectedCharacters):
        pos = cast(int, exc.pos_in_stream)
        bag.error(
            "E002",
            "unterminated string: it needs a closing `\"` on the same line"
            if exc.char == '"'
            else f"unexpected character {exc.char!r}",
            Span(pos, pos + 1, exc.line, exc.column, exc.line, exc.column + 1),
        )
        return
    bag.error("E001", str(exc).splitlines()[0], None)


def _show_token(tok: Token) -> str:
    if tok.type == "STRING":
        return f"string {_clip(str(tok))}"
    return f"`{_clip(str(tok))}`"


def _clip(text: str, width: int = 60) -> str:
    """A token as a message quotes it: long ones are cut (``1111…1111``)."""
    if len(text) <= width:
        return text
    half = width // 2
    return f"{text[:half]}…{text[-half:]}"


def _expected(exc: UnexpectedInput) -> str:
    names = sorted({describe_terminal(n) for n in (getattr(exc, "expected", None) or ())})
    if not names:
        return ""
    if len(names) > 8:
        return ", ".join(names[:8]) + f" or {len(names) - 8} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _eof_span(exc: UnexpectedToken) -> Span | None:
    tok = exc.token
    if tok.line is not None and tok.column is not None and tok.start_pos is not None:
        return tok_span(tok)
    return None


# ---------------------------------------------------------------- recovery


def _lex_tolerant(text: str, bag: DiagnosticBag) -> list[Token]:
    """All tokens of ``text``; bad characters are reported and skipped.

    Lexing resumes just after a bad character (the lexer has no state, so the
    rest of the text lexes the same on its own), instead of starting over:
    the cost stays linear in the size of the file however many characters are
    bad.  After :data:`MAX_LEX_ERRORS` of them the rest of the file is left."""
    index = _LineIndex(text)
    tokens: list[Token] = []
    base = 0
    errors = 0
    while base <= len(text):
        line0, col0 = index.pos(base)
        try:
            for tok in parser().lex(text[base:] if base else text):
                tokens.append(_shifted(tok, base, line0, col0) if base else tok)
            return tokens
        except UnexpectedCharacters as exc:
            pos = cast(int, exc.pos_in_stream) + base
            errors += 1
            if errors > MAX_LEX_ERRORS:
                line, col = index.pos(pos)
                bag.error(
                    "E002",
                    f"more than {MAX_LEX_ERRORS} unexpected characters: the rest of the file "
                    "is not checked",
                    Span(pos, pos + 1, line, col, line, col + 1),
                )
                return tokens
            if base:
                exc.pos_in_stream = pos  # type: ignore[assignment]
                exc.line, exc.column = index.pos(pos)
            _error_for(exc, bag)
            base = pos + 1
    return tokens


def _shifted(tok: Token, base: int, line0: int, col0: int) -> Token:
    """A token lexed from ``text[base:]``, with positions in the whole text."""

    def column(line: int, col: int) -> int:
        return col + col0 - 1 if line == 1 else col

    return Token(
        tok.type,
        tok.value,
        cast(int, tok.start_pos) + base,
        cast(int, tok.line) + line0 - 1,
        column(cast(int, tok.line), cast(int, tok.column)),
        cast(int, tok.end_line) + line0 - 1,
        column(cast(int, tok.end_line), cast(int, tok.end_column)),
        cast(int, tok.end_pos) + base,
    )


def _recover(
    text: str, path: str, bag: DiagnosticBag, comments: tuple[ast.Comment, ...]
) -> ParseResult:
    tokens = _lex_tolerant(text, bag)
    # where the lexer found bad characters, for _has_lex_error (sorted offsets)
    lex_errors = sorted(d.span.start for d in bag.items if d.code == "E002" and d.span is not None)
    builder = _Builder(bag)
    broken: set[str] = set()
    i = 0
    n = len(tokens)
    contract: ast.Contract | None = None
    tests_for: ast.TestsFor | None = None
    tests: list[ast.TestBlock] = []
    while i < n:
        tok = tokens[i]
        if tok.type == "CONTRACT":
            # the grammar's file structure: one contract, then tests; or
            # `tests for "X.pact"` and tests only
            misplaced = None
            if contract is not None:
                misplaced = "a file holds only one `contract` block"
            elif tests_for is not None:
                misplaced = 'a `tests for "…"` file holds only `test` blocks'
            elif tests:
                misplaced = "the `contract` block must come before the `test` blocks"
            if misplaced is not None:
                bag.error("E001", f"unexpected `contract`: {misplaced}", tok_span(tok))
            found, i = _recover_contract(tokens, i, builder, bag, broken, lex_errors)
            if contract is None and tests_for is None:
                contract = found
        elif tok.type == "TEST":
            j = _skip_block(tokens, i)
            tree = _parse_tokens(
                tokens[i:j], "test_start", bag, quiet=_has_lex_error(tokens[i:j], lex_errors),
                following=tokens[j] if j < n else None,
            )
            if tree is not None:
                tests.append(builder.build_test(tree))
            i = j
        elif tok.type == "TESTS" and i + 2 < n and tokens[i + 1].type == "FOR":
            s = tokens[i + 2]
            if s.type == "STRING":
                if contract is not None or tests_for is not None or tests:
                    bag.error(
                        "E001",
                        'unexpected `tests for`: it must start the file, and a file with a '
                        "`contract` block holds its tests directly",
                        tok_span(tok).cover(tok_span(s)),
                    )
                else:
                    tests_for = ast.TestsFor(builder.text(s), tok_span(tok).cover(tok_span(s)))
                i += 3
            else:
                _error_for(_unexpected(s, ["STRING"]), bag)
                i += 2
        else:
            _error_for(_unexpected(tok, ["CONTRACT", "TEST"]), bag)
            i = _next_top(tokens, i + 1)
    span = Span(0, len(text), 1, 1, text.count("\n") + 1, len(text) - text.rfind("\n"))
    module = ast.Module(contract, tests_for, tuple(tests), comments, span)
    return ParseResult(module, bag.items, frozenset(broken))


def _unexpected(tok: Token, expected: list[str]) -> UnexpectedToken:
    return UnexpectedToken(tok, set(expected))


def _next_top(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and tokens[i].type not in ("CONTRACT", "TEST", "TESTS"):
        i += 1
    return i


def _skip_block(tokens: list[Token], i: int) -> int:
    """Index after the balanced ``{ … }`` that follows ``tokens[i]``; stops early
    at a top-level keyword if braces never balance."""
    depth = 0
    seen_open = False
    j = i + 1
    while j < len(tokens):
        t = tokens[j].type
        if t == "LBRACE":
            depth += 1
            seen_open = True
        elif t == "RBRACE":
            depth -= 1
            if depth <= 0 and seen_open:
                return j + 1
        elif t in ("TEST", "CONTRACT") and depth <= 1:
            return j
        j += 1
    return j


def _recover_contract(
    tokens: list[Token],
    i: int,
    builder: _Builder,
    bag: DiagnosticBag,
    broken: set[str],
    lex_errors: list[int],
) -> tuple[ast.Contract | None, int]:
    start_tok = tokens[i]
    n = len(tokens)
    if not (i + 2 < n and tokens[i + 1].type == "STRING" and tokens[i + 2].type == "LBRACE"):
        bad = tokens[i + 1] if i + 1 < n else None
        if bad is None:
            bag.error("E003", "unexpected end of file after `contract`", tok_span(start_tok))
            return None, n
        if bad.type == "STRING" and i + 2 >= n:
            bag.error("E003", "unexpected end of file; expected `{`", tok_span(bad))
            return ast.Contract(builder.text(bad), (), tok_span(start_tok).cover(tok_span(bad))), n
        exp = ["STRING"] if bad.type != "STRING" else ["LBRACE"]
        _error_for(_unexpected(tokens[i + 2] if bad.type == "STRING" else bad, exp), bag)
        # still try to read declarations that follow
        j = i + 1
        while j < n and tokens[j].type not in ("LBRACE",) and tokens[j].type not in DECL_KEYWORDS:
            j += 1
        title = ast.Text("", tok_span(start_tok))
        if i + 1 < n and tokens[i + 1].type == "STRING":
            title = builder.text(tokens[i + 1])
        i_body = j + 1 if j < n and tokens[j].type == "LBRACE" else j
    else:
        title = builder.text(tokens[i + 1])
        i_body = i + 3
    decls: list[ast.Decl] = []
    j = i_body
    end_span = tok_span(start_tok)
    closed = False
    while j < n:
        t = tokens[j]
        if t.type == "RBRACE":
            end_span = tok_span(t)
            closed = True
            j += 1
            break
        if t.type in ("TEST", "TESTS", "CONTRACT"):
            break
        if t.type not in DECL_KEYWORDS:
            _error_for(_unexpected(t, sorted(DECL_KEYWORDS | {"RBRACE"})), bag)
            j = _next_decl(tokens, j + 1)
            continue
        k = _next_decl(tokens, j + 1)
        piece = tokens[j:k]
        tree = _parse_tokens(
            piece, "decl_start", bag, quiet=_has_lex_error(piece, lex_errors),
            following=tokens[k] if k < n else None,
        )
        if tree is None:
            if len(piece) > 1 and piece[1].type == "NAME":
                broken.add(str(piece[1]))
        else:
            decls.append(builder.build_decl(tree))
        j = k
    if not closed:
        last = tokens[j - 1] if j - 1 < n and j > 0 else start_tok
        bag.error(
            "E003",
            "the contract block is never closed",
            tok_span(start_tok),
            help="add `}` after the last declaration",
            related=[Related(tok_span(last), "the contract's last token")],
        )
    span = tok_span(start_tok).cover(end_span)
    return ast.Contract(title, tuple(decls), span), j


def _next_decl(tokens: list[Token], j: int) -> int:
    """Start of the next declaration at the contract's top level (brace depth 0
    relative to the current declaration), or of the contract's closing brace.

    Braces of a broken declaration may never balance, so a declaration keyword
    that starts a line no further right than the current declaration also ends
    it: authors indent declarations alike, and this keeps one error from
    swallowing the rest of the file.
    """
    depth = 0
    n = len(tokens)
    first = tokens[j - 1] if j > 0 else None
    col0 = first.column if first is not None and first.column is not None else 1
    prev_line = first.line if first is not None else 0
    if (
        first is not None
        and j < n
        and tokens[j].line == first.line
        and tokens[j].type in DECL_KEYWORDS | {"TEST", "CONTRACT", "TESTS"}
    ):
        # the token right after the declaration keyword is its name: a keyword
        # there (`let party = 1`) is a reserved word misused (E004), not the
        # start of the next declaration
        j += 1
    while j < n:
        tok = tokens[j]
        t = tok.type
        starts_line = tok.line != prev_line
        prev_line = tok.line
        if t == "LBRACE":
            depth += 1
        elif t == "RBRACE":
            if depth == 0:
                return j
            if starts_line and tok.column is not None and tok.column < col0:
                return j  # the contract's own closing brace
            depth -= 1
        elif depth == 0 and (t in DECL_KEYWORDS or t in ("TEST", "CONTRACT", "TESTS")):
            return j
        elif t in ("TEST", "CONTRACT"):
            # a top-level block inside unbalanced braces: stop here
            return j
        elif (
            t in DECL_KEYWORDS
            and starts_line
            and tok.column is not None
            and tok.column <= col0
        ):
            return j
        j += 1
    return j


def _has_lex_error(piece: list[Token], lex_errors: list[int]) -> bool:
    """Whether the lexer reported a bad character inside ``piece`` (a bisection in
    the sorted offsets: scanning every diagnostic for every piece was quadratic)."""
    if not piece:
        return False
    lo, hi = piece[0].start_pos or 0, piece[-1].end_pos or 0
    k = bisect.bisect_left(lex_errors, lo)
    return k < len(lex_errors) and lex_errors[k] <= hi


def _parse_tokens(
    tokens: list[Token],
    start: str,
    bag: DiagnosticBag,
    quiet: bool = False,
    following: Token | None = None,
) -> Tree[Token] | None:
    """Parse one top-level piece.  ``following`` is the token after the piece,
    if the file goes on: a piece that ends too early is then reported as an
    incomplete declaration, not as the end of the file."""
    if not tokens:
        return None
    ip = parser().parse_interactive("", start=start)
    try:
        for t in tokens:
            ip.feed_token(t)
        last = tokens[-1]
        eof = Token.new_borrow_pos("$END", "", last)
        return cast(Tree[Token], ip.feed_eof(eof))
    except UnexpectedInput as exc:
        if quiet:
            return None
        if isinstance(exc, UnexpectedToken):
            # Lark's `expected` is the LALR state's lookahead set, which merged
            # states make too wide (a name "expected" after `when x < 5%`);
            # `accepts()` tries each terminal, so messages and the E004 check
            # name only what can really come next
            exc.expected = ip.accepts()
            if following is not None:  # the file goes on: its end is not an option
                exc.expected.discard("$END")
        if following is not None and isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
            exp = _expected(exc)
            opened = sum(t.type == "LBRACE" for t in tokens) - sum(t.type == "RBRACE" for t in tokens)
            bag.error(
                "E001",
                f"incomplete {_piece_kind(tokens[0])}: unexpected {_show_token(following)} "
                f"on line {following.line}" + (f"; expected {exp}" if exp else ""),
                tok_span(tokens[-1]),
                help="a `{` is missing its closing `}`" if opened > 0 else None,
            )
            return None
        _error_for(exc, bag)
        return None


def _piece_kind(first: Token) -> str:
    return f"`{first}` {'block' if first.type == 'TEST' else 'declaration'}"


# ----------------------------------------------------------------- builder


class _Args(list[Any]):
    """Marker for the argument list of a call."""


class _Once:
    pass


ONCE = _Once()


@dataclass(slots=True)
class _Builder:
    bag: DiagnosticBag
    depth: dict[int, int] = field(default_factory=dict)

    # -- entry points

    def build(self, tree: Tree[Token]) -> ast.Module:
        return cast(ast.Module, self._walk(tree))

    def build_decl(self, tree: Tree[Token]) -> ast.Decl:
        return cast(ast.Decl, self._walk(tree))

    def build_test(self, tree: Tree[Token]) -> ast.TestBlock:
        return cast(ast.TestBlock, self._walk(tree))

    def _walk(self, root: Tree[Token]) -> Any:
        """Post-order traversal with an explicit stack."""
        results: list[Any] = []
        stack: list[tuple[Any, bool]] = [(root, False)]
        handlers: dict[str, Callable[[list[Any], Any], Any]] = {}
        while stack:
            node, done = stack.pop()
            if not isinstance(node, Tree):
                results.append(node)
                continue
            if not done:
                stack.append((node, True))
                for child in reversed(node.children):
                    stack.append((child, False))
                continue
            k = len(node.children)
            args = results[len(results) - k :] if k else []
            if k:
                del results[len(results) - k :]
            handler = handlers.get(node.data)
            if handler is None:
                handler = handlers[node.data] = getattr(self, "b_" + str(node.data))
            results.append(handler(args, node.meta))
        assert len(results) == 1
        return results[0]

    # -- token helpers

    def text(self, t: Token) -> ast.Text:
        raw = str(t)[1:-1]
        sp = tok_span(t)

        def at(i: int, width: int = 1) -> Span:
            # a string never spans lines: the column moves with the offset
            col = sp.col + 1 + i
            return Span(sp.start + 1 + i, sp.start + 1 + i + width, sp.line, col, sp.line, col + width)

        if len(raw) > MAX_STRING_CHARS:
            self.bag.error(
                "E007",
                f"string too long ({len(raw):,} characters; the limit is {MAX_STRING_CHARS:,})",
                at(0),
                help="a label or a text of a contract is a sentence or a paragraph, not a document",
            )
            return ast.Text("", sp)
        for i in forbidden_in_string(raw):
            self.bag.error(
                "E009",
                f"control character {char_name(raw[i])} in a string",
                at(i),
                help="remove it; write a line break as \\n",
            )
            break  # one per string: the first
        self._hidden(raw, sp)
        if "\\" not in raw:
            return ast.Text(raw, sp)
        out = []
        i = 0
        while i < len(raw):
            j = raw.find("\\", i)
            if j < 0 or j + 1 >= len(raw):
                out.append(raw[i:])
                break
            out.append(raw[i:j])
            nxt = raw[j + 1]
            if nxt in ('"', "\\"):
                out.append(nxt)
            elif nxt == "n":
                out.append("\n")
            else:
                self.bag.error(
                    "E008",
                    f"invalid escape `\\{nxt}` in a string",
                    at(j, 2),
                    help='strings allow only \\" \\\\ and \\n',
                )
                out.append(nxt)
            i = j + 2
        return ast.Text("".join(out), sp)

    def _hidden(self, raw: str, sp: Span) -> None:
        if not raw.isascii():
            index = _OneLine(sp.start + 1, sp.line, sp.col + 1)
            _warn_hidden(raw, sp.start + 1, index, self.bag, "a string")

    def ident(self, t: Token) -> ast.Ident:
        return ast.Ident(str(t), tok_span(t))

    def decimal(self, t: Token) -> Decimal:
        raw = str(t).replace("_", "").rstrip("%")
        if len(raw.replace(".", "")) > MAX_NUMBER_DIGITS:
            self.bag.error(
                "E005",
                f"number `{_clip(str(t))}` has more than {MAX_NUMBER_DIGITS} digits",
                tok_span(t),
            )
            return Decimal(0)
        try:
            return Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the lexer only lets digits through
            self.bag.error("E005", f"malformed number `{t}`", tok_span(t))
            return Decimal(0)

    def integer(self, t: Token, what: str) -> int:
        d = self.decimal(t)
        if d != d.to_integral_value():
            self.bag.error("E005", f"{what} must be a whole number, got `{t}`", tok_span(t))
            return int(d)
        return int(d)

    def _expr_depth(self, node: Any, children: list[Any]) -> Any:
        d = 1 + max((self.depth.get(id(c), 0) for c in children), default=0)
        if d > MAX_EXPR_DEPTH:
            if not any(self.depth.get(id(c), 0) > MAX_EXPR_DEPTH for c in children):
                self.bag.error(
                    "E006",
                    f"expression nested too deeply (more than {MAX_EXPR_DEPTH} levels)",
                    node.span,
                    help="split it into named `let` values",
                )
            self.depth[id(node)] = d
            return node
        self.depth[id(node)] = d
        return node

    @staticmethod
    def _span_of(args: list[Any], meta: Any) -> Span:
        s = _meta_span(meta)
        if s is not None:
            return s
        for a in args:
            if isinstance(a, Token):
                return tok_span(a)
            sp = getattr(a, "span", None)
            if isinstance(sp, Span):
                return sp
        return Span(0, 0, 1, 1, 1, 1)

    # -- module

    def b_start(self, a: list[Any], m: Any) -> Any:
        return a[0]

    def b_decl_start(self, a: list[Any], m: Any) -> Any:
        return a[0]

    def b_test_start(self, a: list[Any], m: Any) -> Any:
        return a[0]

    def _module(self, contract: Any, tests_for: Any, tests: list[Any], m: Any) -> ast.Module:
        span = _meta_span(m) or Span(0, 0, 1, 1, 1, 1)
        return ast.Module(contract, tests_for, tuple(tests), (), span)

    def b_module_contract(self, a: list[Any], m: Any) -> ast.Module:
        return self._module(a[0], None, a[1:], m)

    def b_module_tests_for(self, a: list[Any], m: Any) -> ast.Module:
        return self._module(None, a[0], a[1:], m)

    def b_module_tests_only(self, a: list[Any], m: Any) -> ast.Module:
        return self._module(None, None, a, m)

    def b_tests_for(self, a: list[Any], m: Any) -> ast.TestsFor:
        return ast.TestsFor(self.text(a[0]), self._span_of(a, m))

    def b_contract_block(self, a: list[Any], m: Any) -> ast.Contract:
        return ast.Contract(self.text(a[0]), tuple(a[1:]), self._span_of(a, m))

    # -- header

    def b_id_decl(self, a: list[Any], m: Any) -> ast.IdDecl:
        return ast.IdDecl(self.text(a[0]), self._span_of(a, m))

    def b_version_decl(self, a: list[Any], m: Any) -> ast.VersionDecl:
        return ast.VersionDecl(self.text(a[0]), self._span_of(a, m))

    def b_amends_decl(self, a: list[Any], m: Any) -> ast.AmendsDecl:
        return ast.AmendsDecl(self.text(a[0]), self.b_period([a[1]], None), self._span_of(a, m))

    def b_effective_decl(self, a: list[Any], m: Any) -> ast.EffectiveDecl:
        start = self.b_date([a[0]], None)
        until = self.b_date([a[1]], None) if len(a) > 1 and a[1] is not None else None
        return ast.EffectiveDecl(start, until, self._span_of(a, m))

    def b_currency_decl(self, a: list[Any], m: Any) -> ast.CurrencyDecl:
        return ast.CurrencyDecl(self.ident(a[0]), self._span_of(a, m))

    def b_language_decl(self, a: list[Any], m: Any) -> ast.LanguageDecl:
        return ast.LanguageDecl(self.ident(a[0]), self._span_of(a, m))

    def b_calendar_decl(self, a: list[Any], m: Any) -> ast.CalendarDecl:
        return ast.CalendarDecl(self.ident(a[0]), self._span_of(a, m))

    def b_labels(self, a: list[Any], m: Any) -> ast.Labels:
        if not a or a[0] is None:
            return ast.Labels(None, (), Span(0, 0, 1, 1, 1, 1))
        return ast.Labels(self.text(a[0]), tuple(a[1:]), self._span_of(a, m))

    def b_translation(self, a: list[Any], m: Any) -> ast.Translation:
        return ast.Translation(self.ident(a[0]), self.text(a[1]), self._span_of(a, m))

    def _labels_after(self, labels: ast.Labels, name: ast.Ident) -> ast.Labels:
        if labels.primary is None:
            e = name.span
            return ast.Labels(None, (), Span(e.end, e.end, e.end_line, e.end_col, e.end_line, e.end_col))
        return labels

    def b_signed_at(self, a: list[Any], m: Any) -> ast.SignedDecl:
        date = self.b_date([a[1]], None) if len(a) > 1 and a[1] is not None else None
        return ast.SignedDecl(self.text(a[0]), date, self._span_of(a, m))

    def b_signed_on(self, a: list[Any], m: Any) -> ast.SignedDecl:
        return ast.SignedDecl(None, self.b_date([a[0]], None), self._span_of(a, m))

    def b_party_decl(self, a: list[Any], m: Any) -> ast.PartyDecl:
        name = self.ident(a[0])
        items = a[2] if len(a) > 2 and a[2] is not None else ()
        return ast.PartyDecl(name, self._labels_after(a[1], name), self._span_of(a, m), items)

    def b_party_block(self, a: list[Any], m: Any) -> tuple[ast.PartyItem, ...]:
        return tuple(a)

    def _party_item(self, key: str, a: list[Any], m: Any) -> ast.PartyItem:
        return ast.PartyItem(cast(Any, key), self.text(a[0]), (), None, self._span_of(a, m))

    def b_party_legal_name(self, a: list[Any], m: Any) -> ast.PartyItem:
        return self._party_item("legal_name", a, m)

    def b_party_office(self, a: list[Any], m: Any) -> ast.PartyItem:
        return self._party_item("office", a, m)

    def b_party_registration(self, a: list[Any], m: Any) -> ast.PartyItem:
        return self._party_item("registration", a, m)

    def b_party_legal_form(self, a: list[Any], m: Any) -> ast.PartyItem:
        return ast.PartyItem("legal_form", self.text(a[0]), tuple(a[1:]), None, self._span_of(a, m))

    def b_party_represented(self, a: list[Any], m: Any) -> ast.PartyItem:
        value = self.text(a[0])
        capacity: ast.Labels = a[1]
        if capacity.primary is None:
            e = value.span
            capacity = ast.Labels(
                None, (), Span(e.end, e.end, e.end_line, e.end_col, e.end_line, e.end_col)
            )
        return ast.PartyItem("represented_by", value, (), capacity, self._span_of(a, m))

    def b_type_name(self, a: list[Any], m: Any) -> ast.TypeRef:
        return ast.TypeRef(cast(ast.TypeName, str(a[0])), tok_span(a[0]))

    def b_attr_block(self, a: list[Any], m: Any) -> tuple[ast.Attr, ...]:
        return tuple(a)

    def b_attr_key(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])

    def b_attr(self, a: list[Any], m: Any) -> ast.Attr:
        return ast.Attr(a[0], a[1], self._span_of(a, m))

    def b_cadence(self, a: list[Any], m: Any) -> ast.FreqValue:
        return ast.FreqValue(cast(Any, str(a[0])), tok_span(a[0]))

    def b_measure_decl(self, a: list[Any], m: Any) -> ast.MeasureDecl:
        name = self.ident(a[0])
        attrs = a[3] if len(a) > 3 else ()
        return ast.MeasureDecl(name, self._labels_after(a[1], name), a[2], attrs, self._span_of(a, m))

    def b_let_decl(self, a: list[Any], m: Any) -> ast.LetDecl:
        name = self.ident(a[0])
        typ = a[2] if len(a) == 4 else None
        return ast.LetDecl(name, self._labels_after(a[1], name), typ, a[-1], self._span_of(a, m))

    def b_kpi_decl(self, a: list[Any], m: Any) -> ast.KpiDecl:
        name = self.ident(a[0])
        attrs = a[4] if len(a) > 4 else ()
        return ast.KpiDecl(name, self._labels_after(a[1], name), a[2], a[3], attrs, self._span_of(a, m))

    def b_schedule(self, a: list[Any], m: Any) -> ast.Schedule:
        return ast.Schedule(tuple(a), self._span_of(a, m))

    def b_schedule_entry(self, a: list[Any], m: Any) -> ast.ScheduleEntry:
        return ast.ScheduleEntry(a[0], self.b_period([a[1]], None), self._span_of(a, m))

    # -- thresholds

    def b_threshold_decl(self, a: list[Any], m: Any) -> ast.ThresholdDecl:
        name = self.ident(a[0])
        checked = None
        rules: list[ast.Rule] = []
        other = None
        for item in a[2:]:
            if isinstance(item, ast.CadenceWord):
                checked = item
            elif isinstance(item, ast.Rule):
                rules.append(item)
            elif isinstance(item, ast.OtherwiseRule):
                other = item
        return ast.ThresholdDecl(
            name, self._labels_after(a[1], name), checked, tuple(rules), other, self._span_of(a, m)
        )

    def b_checked(self, a: list[Any], m: Any) -> ast.CadenceWord:
        f: ast.FreqValue = a[0]
        return ast.CadenceWord(f.value, f.span)

    def b_rule(self, a: list[Any], m: Any) -> ast.Rule:
        cond = a[0]
        rest = a[1:]
        persistence = None
        if rest and isinstance(rest[0], ast.Persistence):
            persistence = rest.pop(0)
        status = rest.pop(0)
        return ast.Rule(cond, persistence, status, tuple(rest), self._span_of(a, m))

    def b_persistence(self, a: list[Any], m: Any) -> ast.Persistence:
        count = self.integer(a[0], "the number of checks")
        unit = str(a[1]).rstrip("s")
        return ast.Persistence(count, cast(Any, unit), self._span_of(a, m))

    def b_period_unit(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_otherwise_rule(self, a: list[Any], m: Any) -> ast.OtherwiseRule:
        return ast.OtherwiseRule(a[0], tuple(a[1:]), self._span_of(a, m))

    def b_status(self, a: list[Any], m: Any) -> ast.StatusWord:
        return ast.StatusWord(cast(Any, str(a[0])), tok_span(a[0]))

    def b_once(self, a: list[Any], m: Any) -> _Once:
        return ONCE

    def b_action(self, a: list[Any], m: Any) -> ast.Action:
        once = len(a) == 2
        body = a[-1]
        span = self._span_of(a, m)
        if isinstance(body, ast.PayAction):
            return ast.PayAction(body.amount, body.payer, body.payee, body.label, once, span)
        if isinstance(body, ast.EscalateAction):
            return ast.EscalateAction(body.ladder, once, span)
        if isinstance(body, ast.NotifyAction):
            return ast.NotifyAction(body.parties, once, span)
        return ast.FreeAction(body.text, once, span)

    def b_pay_action(self, a: list[Any], m: Any) -> ast.PayAction:
        label = self.text(a[3]) if len(a) > 3 and a[3] is not None else None
        return ast.PayAction(a[0], self.ident(a[1]), self.ident(a[2]), label, False, self._span_of(a, m))

    def b_escalate_action(self, a: list[Any], m: Any) -> ast.EscalateAction:
        return ast.EscalateAction(self.ident(a[0]), False, self._span_of(a, m))

    def b_notify_action(self, a: list[Any], m: Any) -> ast.NotifyAction:
        return ast.NotifyAction(tuple(self.ident(t) for t in a), False, self._span_of(a, m))

    def b_free_action(self, a: list[Any], m: Any) -> ast.FreeAction:
        return ast.FreeAction(self.text(a[0]), False, self._span_of(a, m))

    # -- committees

    def b_committee_decl(self, a: list[Any], m: Any) -> ast.CommitteeDecl:
        name = self.ident(a[0])
        return ast.CommitteeDecl(name, self._labels_after(a[1], name), tuple(a[2:]), self._span_of(a, m))

    def b_member_decl(self, a: list[Any], m: Any) -> ast.MemberDecl:
        return ast.MemberDecl(self.ident(a[0]), self.b_number([a[1]], None), self._span_of(a, m))

    def b_quorum_members(self, a: list[Any], m: Any) -> ast.QuorumDecl:
        return ast.QuorumDecl("members", self.integer(a[0], "a quorum"), None, self._span_of(a, m))

    def b_quorum_weight(self, a: list[Any], m: Any) -> ast.QuorumDecl:
        return ast.QuorumDecl("weight", None, a[0], self._span_of(a, m))

    def b_meets_decl(self, a: list[Any], m: Any) -> ast.MeetsDecl:
        f: ast.FreqValue = a[0]
        return ast.MeetsDecl(ast.CadenceWord(f.value, f.span), self._span_of(a, m))

    def b_consensus_decl(self, a: list[Any], m: Any) -> ast.ConsensusDecl:
        return ast.ConsensusDecl(self.integer(a[0], "the number of rounds"), self._span_of(a, m))

    def b_decision_decl(self, a: list[Any], m: Any) -> ast.DecisionDecl:
        name = self.ident(a[0])
        vetoes = tuple(a[3]) if len(a) > 3 and a[3] is not None else ()
        return ast.DecisionDecl(name, self._labels_after(a[1], name), a[2], vetoes, self._span_of(a, m))

    def b_veto(self, a: list[Any], m: Any) -> list[ast.Ident]:
        return [self.ident(t) for t in a]

    def b_rule_majority(self, a: list[Any], m: Any) -> ast.VoteRule:
        return ast.VoteRule("majority", True, None, None, self._span_of(a, m))

    def b_rule_unanimity(self, a: list[Any], m: Any) -> ast.VoteRule:
        return ast.VoteRule("unanimity", False, None, None, self._span_of(a, m))

    def b_rule_fraction(self, a: list[Any], m: Any) -> ast.VoteRule:
        strict = str(a[0]) == ">"
        return ast.VoteRule("fraction", strict, a[1], cast(Any, str(a[2])), self._span_of(a, m))

    def b_frac_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_vote_base(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_fraction_ratio(self, a: list[Any], m: Any) -> ast.Fraction:
        num = self.integer(a[0], "a numerator")
        den = self.integer(a[1], "a denominator")
        span = tok_span(a[0]).cover(tok_span(a[1]))
        if den == 0:
            self.bag.error("E042", "a fraction cannot have a zero denominator", span)
            den = 1
        return ast.Fraction(num, den, f"{a[0]}/{a[1]}", span)

    def b_fraction_percent(self, a: list[Any], m: Any) -> ast.Fraction:
        f = Fraction(self.decimal(a[0])) / 100
        return ast.Fraction(f.numerator, f.denominator, str(a[0]), tok_span(a[0]))

    # -- escalation

    def b_escalation_decl(self, a: list[Any], m: Any) -> ast.EscalationDecl:
        name = self.ident(a[0])
        return ast.EscalationDecl(name, self._labels_after(a[1], name), tuple(a[2:]), self._span_of(a, m))

    def b_step_decl(self, a: list[Any], m: Any) -> ast.StepDecl:
        name = self.ident(a[0])
        term = a[2]
        attrs = a[3] if len(a) > 3 else ()
        within = term if isinstance(term, ast.DurationLit) else None
        return ast.StepDecl(
            name, self._labels_after(a[1], name), within, within is None, attrs, self._span_of(a, m)
        )

    def b_step_within(self, a: list[Any], m: Any) -> ast.DurationLit:
        return cast(ast.DurationLit, a[0])

    def b_step_final(self, a: list[Any], m: Any) -> None:
        return None

    # -- waterfalls

    def b_waterfall_decl(self, a: list[Any], m: Any) -> ast.WaterfallDecl:
        name = self.ident(a[0])
        return ast.WaterfallDecl(name, self._labels_after(a[1], name), a[2], tuple(a[3:]), self._span_of(a, m))

    def b_tier_decl(self, a: list[Any], m: Any) -> ast.TierDecl:
        span = self._span_of(a, m)
        name = None
        if a and isinstance(a[0], Token) and a[0].type == "NAME":
            name = self.ident(a.pop(0))
        labels = a.pop(0)
        if name is not None:
            labels = self._labels_after(labels, name)
        elif labels.primary is None:  # `tier {`: an empty label right after the keyword
            e = span.start + len("tier")
            col = span.col + len("tier")
            labels = ast.Labels(None, (), Span(e, e, span.line, col, span.line, col))
        pays: list[ast.CapPay] = []
        splits: list[ast.SplitShare] = []
        mode = None
        cap = None
        split_lines = 0
        for item in a:
            if isinstance(item, ast.CapPay):
                pays.append(item)
            elif isinstance(item, list):
                split_lines += 1
                if split_lines == 2:
                    self.bag.error(
                        "E062",
                        "a tier has one `split` line",
                        item[0].span if item else span,
                        help="list every share on one line: `split a 60%, b 40%`",
                    )
                splits.extend(item)
            elif item in ("pro_rata", "in_order"):
                if mode is not None:
                    self.bag.error("E062", "a tier states `pro rata` or `in order` once", span)
                mode = item
            elif isinstance(item, tuple) and item and item[0] == "cap":
                if cap is not None:
                    self.bag.error("E062", "a tier has one `up to` cap", item[1].span)
                cap = item[1]
        return ast.TierDecl(name, labels, tuple(pays), mode, tuple(splits), cap, span)

    def b_cap_pay(self, a: list[Any], m: Any) -> ast.CapPay:
        return ast.CapPay(self.ident(a[0]), a[1], self._span_of(a, m))

    def b_mode_pro_rata(self, a: list[Any], m: Any) -> str:
        return "pro_rata"

    def b_mode_in_order(self, a: list[Any], m: Any) -> str:
        return "in_order"

    def b_split_line(self, a: list[Any], m: Any) -> list[ast.SplitShare]:
        return list(a)

    def b_split_share(self, a: list[Any], m: Any) -> ast.SplitShare:
        return ast.SplitShare(self.ident(a[0]), self.b_percent([a[1]], None), self._span_of(a, m))

    def b_tier_cap(self, a: list[Any], m: Any) -> tuple[str, Any]:
        return ("cap", a[0])

    # -- clauses

    def b_clause_decl(self, a: list[Any], m: Any) -> ast.ClauseDecl:
        name = self.ident(a[0])
        number = self.text(a[1])
        labels: ast.Labels = a[2]
        if labels.primary is None:
            e = number.span
            labels = ast.Labels(None, (), Span(e.end, e.end, e.end_line, e.end_col, e.end_line, e.end_col))
        return ast.ClauseDecl(name, number, labels, tuple(a[3:]), self._span_of(a, m))

    def b_clause_text(self, a: list[Any], m: Any) -> ast.ClauseText:
        return ast.ClauseText(self.text(a[0]), tuple(a[1:]), self._span_of(a, m))

    def b_clause_governs(self, a: list[Any], m: Any) -> ast.ClauseGoverns:
        return ast.ClauseGoverns(tuple(self.ident(t) for t in a), self._span_of(a, m))

    def b_clause_binding(self, a: list[Any], m: Any) -> ast.ClauseBinding:
        return ast.ClauseBinding(True, self._span_of(a, m))

    def b_clause_non_binding(self, a: list[Any], m: Any) -> ast.ClauseBinding:
        return ast.ClauseBinding(False, self._span_of(a, m))

    # -- expressions

    def b_if_expr(self, a: list[Any], m: Any) -> ast.IfThenElse:
        return self._expr_depth(ast.IfThenElse(a[0], a[1], a[2], self._span_of(a, m)), a)

    def b_otherwise_chain(self, a: list[Any], m: Any) -> ast.Expr:
        node = a[-1]
        for left in reversed(a[:-1]):
            node = self._expr_depth(ast.Otherwise(left, node, left.span.cover(node.span)), [left, node])
        return cast(ast.Expr, node)

    def b_or_chain(self, a: list[Any], m: Any) -> ast.Logic:
        return self._expr_depth(ast.Logic("or", tuple(a), self._span_of(a, m)), a)

    def b_and_chain(self, a: list[Any], m: Any) -> ast.Logic:
        return self._expr_depth(ast.Logic("and", tuple(a), self._span_of(a, m)), a)

    def b_not_op(self, a: list[Any], m: Any) -> ast.Unary:
        return self._expr_depth(ast.Unary("not", a[0], self._span_of(a, m)), a)

    def b_compare(self, a: list[Any], m: Any) -> ast.Compare:
        return self._expr_depth(ast.Compare(cast(Any, str(a[1])), a[0], a[2], self._span_of(a, m)), [a[0], a[2]])

    def b_comp_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_add_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_mul_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_arith(self, a: list[Any], m: Any) -> ast.Arith:
        operands = tuple(a[0::2])
        ops = tuple(cast(Any, str(t)) for t in a[1::2])
        return self._expr_depth(ast.Arith(ops, operands, self._span_of(a, m)), list(operands))

    def b_neg(self, a: list[Any], m: Any) -> ast.Expr:
        return self._expr_depth(ast.Unary("-", a[0], self._span_of(a, m)), a)

    def b_call(self, a: list[Any], m: Any) -> ast.Call:
        func = self.ident(a[0])
        raw = a[1] if len(a) > 1 else None
        if raw is None:
            args: tuple[Any, ...] = ()
        elif isinstance(raw, _Args):
            args = tuple(raw)
        else:
            args = (raw,)
        return self._expr_depth(ast.Call(func, args, self._span_of(a, m)), list(args))

    def b_call_args(self, a: list[Any], m: Any) -> _Args:
        return _Args(a)

    def b_to_date(self, a: list[Any], m: Any) -> ast.ToDate:
        return ast.ToDate(self._span_of(a, m))

    def b_year_to_date(self, a: list[Any], m: Any) -> ast.YearToDate:
        return ast.YearToDate(self._span_of(a, m))

    def b_number(self, a: list[Any], m: Any) -> ast.NumberLit:
        t = a[0]
        return ast.NumberLit(self.decimal(t), str(t), tok_span(t))

    def b_percent(self, a: list[Any], m: Any) -> ast.PercentLit:
        t = a[0]
        value = self.decimal(t).scaleb(-2)
        return ast.PercentLit(value, str(t)[:-1], tok_span(t))

    def b_money(self, a: list[Any], m: Any) -> ast.MoneyLit:
        n, code = a
        return ast.MoneyLit(self.decimal(n), str(code), str(n), tok_span(n).cover(tok_span(code)))

    def b_string(self, a: list[Any], m: Any) -> ast.StringLit:
        t = self.text(a[0])
        return ast.StringLit(t.value, t.span)

    def b_true(self, a: list[Any], m: Any) -> ast.BoolLit:
        return ast.BoolLit(True, self._span_of(a, m))

    def b_false(self, a: list[Any], m: Any) -> ast.BoolLit:
        return ast.BoolLit(False, self._span_of(a, m))

    def b_date(self, a: list[Any], m: Any) -> ast.DateLit:
        t = a[0]
        try:
            value = datetime.date.fromisoformat(str(t))
        except ValueError:
            self.bag.error("E005", f"`{t}` is not a valid date", tok_span(t))
            value = datetime.date(2000, 1, 1)
        return ast.DateLit(value, tok_span(t))

    def b_period(self, a: list[Any], m: Any) -> ast.PeriodLit:
        t = a[0]
        try:
            value = Period.parse(str(t))
        except ValueError:
            self.bag.error("E005", f"`{t}` is not a valid month", tok_span(t), help="months are YYYY-MM, 01 to 12")
            value = Period(2000, 1)
        return ast.PeriodLit(value, tok_span(t))

    def b_duration(self, a: list[Any], m: Any) -> ast.DurationLit:
        amount = self.integer(a[0], "a duration")
        return ast.DurationLit(amount, a[1], self._span_of(a, m))

    def b_duration_unit(self, a: list[Any], m: Any) -> str:
        words = [str(t) for t in a]
        if words[0] == "business":
            return "business_day"
        return words[0].rstrip("s")

    def b_missing(self, a: list[Any], m: Any) -> ast.MissingLit:
        return ast.MissingLit(self._span_of(a, m))

    def b_name(self, a: list[Any], m: Any) -> ast.Name:
        parts = tuple(self.ident(t) for t in a)
        return ast.Name(parts, parts[0].span.cover(parts[-1].span))

    # -- tests

    def b_test_block(self, a: list[Any], m: Any) -> ast.TestBlock:
        data = tuple(x for x in a[1:] if isinstance(x, (ast.InlineData, ast.FileData)))
        expects = tuple(x for x in a[1:] if not isinstance(x, (ast.InlineData, ast.FileData)))
        return ast.TestBlock(self.text(a[0]), data, expects, self._span_of(a, m))

    def b_data_inline(self, a: list[Any], m: Any) -> ast.InlineData:
        return ast.InlineData(tuple(a), self._span_of(a, m))

    def b_data_file(self, a: list[Any], m: Any) -> ast.FileData:
        return ast.FileData(self.text(a[0]), self._span_of(a, m))

    def b_data_row(self, a: list[Any], m: Any) -> ast.DataRow:
        return ast.DataRow(self.b_period([a[0]], None), tuple(a[1:]), self._span_of(a, m))

    def b_data_cell(self, a: list[Any], m: Any) -> ast.DataCell:
        return ast.DataCell(self.ident(a[0]), a[1], self._span_of(a, m))

    def b_within(self, a: list[Any], m: Any) -> tuple[str, Any]:
        return ("within", a[0])

    def b_expect_is(self, a: list[Any], m: Any) -> str:
        return "is missing"

    def b_is_word(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])

    def b_expect_tail(self, a: list[Any], m: Any) -> tuple[str, Any, Any]:
        if str(a[0]) == "==":
            within = a[2][1] if len(a) > 2 and a[2] is not None else None
            return ("==", a[1], within)
        return ("is", a[1], None)

    def b_expect_at(self, a: list[Any], m: Any) -> ast.Expectation:
        expr, period_tok, tail = a
        at = self.b_period([period_tok], None)
        span = self._span_of(a, m)
        kind, value, within = tail
        if kind == "==":
            return ast.ExpectValue(expr, at, value, within, span)
        word: ast.Ident = value
        if word.name == "missing":
            return ast.ExpectMissing(expr, at, span)
        if isinstance(expr, ast.Name) and len(expr.parts) == 1:
            return ast.ExpectStatus(expr.head, at, word, span)
        self.bag.error(
            "E070",
            f"`is {word.name}` expects a threshold name before `at`",
            expr.span,
            help="write `expect THRESHOLD at YYYY-MM is STATUS`",
        )
        return ast.ExpectMissing(expr, at, span)

    def b_expect_plain(self, a: list[Any], m: Any) -> ast.Expectation:
        expr = a[0]
        span = self._span_of(a, m)
        within = None
        is_missing = False
        for x in a[1:]:
            if isinstance(x, tuple) and x[0] == "within":
                within = x[1]
            elif x == "is missing":
                is_missing = True
        if is_missing:
            if within is not None:
                self.bag.error(
                    "E070", "`within` has no meaning with `is missing`", within.span, help="remove `within …`"
                )
            return ast.ExpectMissing(expr, None, span)
        if isinstance(expr, ast.Compare) and expr.op == "==":
            return ast.ExpectValue(expr.left, None, expr.right, within, span)
        self.bag.error(
            "E070",
            "an expectation without `at` must compare with `==`",
            expr.span,
            help="write `expect EXPR == VALUE`, or `expect EXPR at YYYY-MM == VALUE`",
        )
        return ast.ExpectMissing(expr, None, span)

    def b_expect_vote(self, a: list[Any], m: Any) -> ast.ExpectVote:
        committee = self.ident(a[0])
        decision = self.ident(a[1])
        rest = a[2:]
        ballot = tuple(x for x in rest if isinstance(x, ast.BallotEntry))
        rnd = next((x for x in rest if isinstance(x, int) and not isinstance(x, bool)), None)
        outcome = rest[-1]
        return ast.ExpectVote(committee, decision, ballot, rnd, outcome, self._span_of(a, m))

    def b_ballot_entry(self, a: list[Any], m: Any) -> ast.BallotEntry:
        return ast.BallotEntry(self.ident(a[0]), cast(Any, str(a[1])), self._span_of(a, m))

    def b_vote_word(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_vote_round(self, a: list[Any], m: Any) -> int:
        return self.integer(a[0], "a round number")

    def b_outcome(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])

    def b_expect_escalation(self, a: list[Any], m: Any) -> ast.Expectation:
        ladder = self.ident(a[0])
        opened = self.b_date([a[1]], None)
        events: tuple[ast.EscalationEvent, ...] = ()
        rest = a[2:]
        if rest and isinstance(rest[0], list):
            events = tuple(rest.pop(0))
        elif rest and rest[0] is None:
            rest.pop(0)
        query = rest[-1]
        span = self._span_of(a, m)
        if query[0] == "on":
            return ast.ExpectEscalationState(ladder, opened, events, query[1], query[2], span)
        return ast.ExpectEscalationDeadline(ladder, opened, events, query[1], query[2], span)

    def b_escalation_with(self, a: list[Any], m: Any) -> list[ast.EscalationEvent]:
        return list(a)

    def b_escalation_event(self, a: list[Any], m: Any) -> ast.EscalationEvent:
        return ast.EscalationEvent(
            self.ident(a[0]), cast(Any, str(a[1])), self.b_date([a[2]], None), self._span_of(a, m)
        )

    def b_event_kind(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_esc_state_query(self, a: list[Any], m: Any) -> tuple[str, Any, Any]:
        return ("on", self.b_date([a[0]], None), a[1])

    def b_esc_deadline_query(self, a: list[Any], m: Any) -> tuple[str, Any, Any]:
        return ("deadline", self.ident(a[0]), self.b_date([a[1]], None))

    def b_esc_state(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])


def tokens(text: str) -> list[Token]:
    """The token stream of ``text`` (used by the formatter's tests)."""
    return list(parser().lex(text))


__all__ = ["ParseResult", "parse", "parse_source", "tokens", "lark"]
