"""Source text → typed AST, with diagnostics and error recovery.

The Lark LALR parser produces a parse tree; :class:`~pactlang.syntax.build_decls.Builder` turns it into
:mod:`~pactlang.syntax.ast` nodes with an explicit stack (no recursion, so a
file of any depth ends in an AST or a diagnostic, never ``RecursionError``).

When the whole file does not parse, the tokens are cut at top-level
declarations and each piece is parsed on its own, so a file reports one error
per broken declaration and the rest of it is still checked.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import lark
from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from pactlang.base.text import (
    normalize_line_ends,
)
from pactlang.diagnostics import Diagnostic, DiagnosticBag, Related, Span
from pactlang.syntax import ast
from pactlang.syntax.build import (
    MAX_EXPR_DEPTH,
    MAX_NUMBER_DIGITS,
    _warn_hidden,
    tok_span,
)
from pactlang.syntax.build import (
    MAX_STRING_CHARS as MAX_STRING_CHARS,
)
from pactlang.syntax.build_decls import Builder
from pactlang.syntax.errors import _error_for, _expected, _show_token
from pactlang.syntax.grammar import parser

MAX_SOURCE_BYTES = 20_000_000
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
        "CONTRIBUTION",
    }
)


@dataclass(slots=True)
class ParseResult:
    module: ast.Module
    diagnostics: list[Diagnostic]
    # names whose declarations failed to parse: later phases should not report
    # their uses as undeclared (that would only repeat the syntax error)
    broken_names: frozenset[str] = frozenset()
    # names written inside the declarations that failed to parse: later phases
    # should not report them as unused (their use is in the broken text)
    mentioned: frozenset[str] = frozenset()

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
        module = Builder(bag).build(tree)
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


def _empty_module(comments: tuple[ast.Comment, ...]) -> ast.Module:
    s = Span(0, 0, 1, 1, 1, 1)
    return ast.Module(None, None, (), comments, s)


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
    builder = Builder(bag)
    broken: set[str] = set()
    mentioned: set[str] = set()
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
            found, i = _recover_contract(tokens, i, builder, bag, broken, mentioned, lex_errors)
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
    return ParseResult(module, bag.items, frozenset(broken), frozenset(mentioned))


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
    builder: Builder,
    bag: DiagnosticBag,
    broken: set[str],
    mentioned: set[str],
    lex_errors: list[int],
) -> tuple[ast.Contract | None, int]:
    start_tok = tokens[i]
    n = len(tokens)
    # the title's translations: `contract "Titre" en "Title" {`
    k = i + 2
    translations: list[ast.Translation] = []
    while k + 1 < n and tokens[k].type == "NAME" and tokens[k + 1].type == "STRING":
        lang, text = builder.ident(tokens[k]), builder.text(tokens[k + 1])
        translations.append(ast.Translation(lang, text, lang.span.cover(text.span)))
        k += 2
    if i + 1 < n and tokens[i + 1].type == "STRING" and k < n and tokens[k].type == "LBRACE":
        title = builder.text(tokens[i + 1])
        i_body = k + 1
    elif not (i + 2 < n and tokens[i + 1].type == "STRING" and tokens[i + 2].type == "LBRACE"):
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
    else:  # pragma: no cover - the first branch takes `contract "…" {`
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
            mentioned.update(str(tok) for tok in piece[2:] if tok.type == "NAME")
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
    return ast.Contract(title, tuple(decls), span, tuple(translations)), j


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
        before: list[Token] = []
        if isinstance(exc, UnexpectedToken):
            at = exc.token.start_pos
            before = [x for x in tokens if at is not None and (x.start_pos or 0) < at]
        _error_for(exc, bag, before)
        return None


def _piece_kind(first: Token) -> str:
    return f"`{first}` {'block' if first.type == 'TEST' else 'declaration'}"


def tokens(text: str) -> list[Token]:
    """The token stream of ``text`` (used by the formatter's tests)."""
    return list(parser().lex(text))


__all__ = [
    "MAX_EXPR_DEPTH",
    "MAX_NUMBER_DIGITS",
    "MAX_SOURCE_BYTES",
    "ParseResult",
    "lark",
    "parse",
    "parse_source",
    "tokens",
]
