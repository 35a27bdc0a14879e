"""Hostile source text: line ends, control and invisible characters, huge literals.

Line ends are ``\\n``, ``\\r\\n`` and a lone ``\\r`` for line numbers and
excerpts alike; control characters in strings are E009; bidirectional and
invisible characters in strings and comments warn (W010, W011); nothing is
printed raw; literals and files are bounded (E007).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.api import check_source
from pactlang.base.text import escape_controls, split_lines
from pactlang.cli import main
from pactlang.diagnostics import render_text
from pactlang.syntax.parser import MAX_LEX_ERRORS, MAX_STRING_CHARS, parse_source

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f]")


def codes(text: str) -> list[tuple[str, int, int]]:
    res = check_source(text, "t.pact")
    return sorted(
        (d.code, d.span.line, d.span.col) for d in res.diagnostics if d.span is not None
    )


def shown(text: str) -> str:
    res = check_source(text, "t.pact")
    return render_text(res.diagnostics, {"t.pact": text})


# ------------------------------------------------------------------ line ends

BODY = ['contract "X" {', "  currency EUR", "  let a = b", "}", ""]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_every_line_end_counts_the_same(end: str) -> None:
    text = end.join(BODY)
    assert ("E010", 3, 11) in codes(text)
    out = shown(text)
    assert "   3 |   let a = b\n     |           ^" in out
    assert "\r" not in out


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x1c"])
def test_other_breaks_are_not_line_ends(char: str) -> None:
    # in a comment: not a line end for the line numbers, nor for the excerpt
    text = f'contract "X" {{\n  currency EUR  # a{char}b\n  let a = b\n}}\n'
    assert ("E010", 3, 11) in codes(text)
    out = shown(text)
    assert "   3 |   let a = b\n     |           ^" in out
    assert not RAW_CONTROL.search(out)


def test_split_lines_agrees_with_the_parser() -> None:
    text = "a\r\nb\rc\nd\u2028e\x85f\x0cg\n"
    assert split_lines(text) == ["a", "b", "c", "d\u2028e\x85f\x0cg"]
    r = parse_source("#1\r#2\r\n#3\n#4\u2028x\n", "t.pact")
    assert [c.span.line for c in r.module.comments] == [1, 2, 3, 4]


def test_fmt_keeps_the_lines_of_a_cr_only_file(tmp_path: Path) -> None:
    path = tmp_path / "cr.pact"
    path.write_bytes(b'contract "X" {\r  currency EUR\r\r  # kept\r  party a "A"\r}\r')
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    assert path.read_bytes() == b'contract "X" {\n  currency EUR\n\n  # kept\n  party a "A"\n}\n'


# --------------------------------------------------------- control characters


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x1b", "\x0b", "\x0c", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufffe", "\uffff"],
)
def test_a_control_character_in_a_string_is_an_error_with_its_position(char: str) -> None:
    text = f'contract "X" {{\n  currency EUR\n  party acme "AC{char}ME"\n}}\n'
    found = codes(text)
    assert ("E009", 3, 17) in found
    assert [c for c, _, _ in found if c.startswith("E")] == ["E009"]


@pytest.mark.parametrize("where", ["id", "version", "title", "label", "translation", "test"])
def test_control_characters_anywhere_a_string_goes(where: str) -> None:
    bad = "X\x1b[2J\x00Y"
    parts = {
        "id": f'contract "T" {{\n  id "{bad}"\n  currency EUR\n}}\n',
        "version": f'contract "T" {{\n  version "{bad}"\n  currency EUR\n}}\n',
        "title": f'contract "{bad}" {{\n  currency EUR\n}}\n',
        "label": f'contract "T" {{\n  currency EUR\n  party a "{bad}"\n}}\n',
        "translation": f'contract "T" {{\n  currency EUR\n  language fr\n  party a "A" en "{bad}"\n}}\n',
        "test": f'contract "T" {{\n  currency EUR\n}}\ntest "{bad}" {{\n}}\n',
    }
    text = parts[where]
    res = check_source(text, "t.pact")
    assert [d.code for d in res.diagnostics if d.is_error] == ["E009"]
    out = render_text(res.diagnostics, {"t.pact": text})
    assert "\\x1b" in out and not RAW_CONTROL.search(out)


def test_tab_and_escaped_newline_are_fine() -> None:
    text = 'contract "X" {\n  currency EUR\n  party a "A\tB\\nC"\n}\n'
    assert [c for c, _, _ in codes(text) if c.startswith("E")] == []


def test_a_raw_carriage_return_ends_the_string() -> None:
    text = 'contract "X" {\n  currency EUR\n  party a "A\rB"\n}\n'
    assert any(c == "E002" for c, _, _ in codes(text))


# -------------------------------------------------- bidi and invisible characters


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"])
def test_bidirectional_controls_warn_in_strings_and_comments(char: str) -> None:
    text = f'contract "X" {{\n  currency EUR\n  party a "A{char}B" # c{char}d\n}}\n'
    assert codes(text) == [("W010", 3, 13), ("W010", 3, 20)]
    assert not RAW_CONTROL.search(shown(text))


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_invisible_characters_warn_in_strings_and_comments(char: str) -> None:
    text = f'contract "X" {{\n  currency EUR\n  party a "A{char}B" # c{char}d\n}}\n'
    assert codes(text) == [("W011", 3, 13), ("W011", 3, 20)]


def test_one_warning_per_literal_counting_the_others() -> None:
    text = 'contract "X" {\n  currency EUR\n  party a "\u202eA\u202cB\u202e"\n}\n'
    res = check_source(text, "t.pact")
    (d,) = res.diagnostics
    assert d.code == "W010" and "(and 2 more)" in d.message


def test_right_to_left_text_alone_draws_no_warning() -> None:
    text = 'contract "X" {\n  currency EUR\n  party a "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"\n}\n'
    assert codes(text) == []


def test_excerpt_carets_stay_under_escaped_characters() -> None:
    text = 'contract "X" {\n  currency EUR # \x1b[31m\n  let a = \u202eb\n}\n'
    out = shown(text)
    assert "   3 |   let a = \\u202eb\n     |           ^^^^^^" in out
    assert not RAW_CONTROL.search(out)


def test_escape_controls() -> None:
    assert escape_controls("plain é \t text\n") == "plain é \t text\n"
    assert escape_controls("a\x1b[2Jb\x00\u202e\u2028") == "a\\x1b[2Jb\\x00\\u202e\\u2028"
    assert escape_controls("a\nb", newlines=False) == "a\\x0ab"


# ------------------------------------------------------------------- sizes


def test_a_string_over_the_limit_is_e007_at_its_position() -> None:
    text = 'contract "X" {\n  currency EUR\n  party a "' + "y" * (MAX_STRING_CHARS + 1) + '"\n}\n'
    assert codes(text) == [("E007", 3, 12)]
    ok = 'contract "X" {\n  currency EUR\n  party a "' + "y" * MAX_STRING_CHARS + '"\n}\n'
    assert codes(ok) == []


def _limited() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_a_19_million_character_string_is_checked_within_1_gib(tmp_path: Path) -> None:
    # it took 11.2 GB (the lexer's regex kept state per character): now it is a
    # plain E007 under a 1 GiB address-space limit
    path = tmp_path / "big.pact"
    path.write_text('contract "X" {\n  id "' + "x" * 19_000_000 + '"\n  currency EUR\n}\n', "utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "pactlang.cli", "check", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=_limited,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert r.returncode == 1, r.stderr
    assert "2:7: error[E007]: string too long (19,000,000 characters" in r.stdout


def test_a_long_number_is_e005_with_a_short_message() -> None:
    text = 'contract "X" {\n  currency EUR\n  let a = ' + "1" * 1_000_000 + "\n}\n"
    res = check_source(text, "t.pact")
    (d,) = [d for d in res.diagnostics if d.is_error]
    assert d.code == "E005" and len(d.message) < 200
    out = render_text(res.diagnostics, {"t.pact": text})
    assert max(len(line) for line in out.splitlines()) < 400  # the excerpt is cut


def test_many_bad_characters_are_capped_and_positioned() -> None:
    lines = ['contract "X" {', "  currency EUR"] + ["  let a = 1 \x01"] * 500 + ["}"]
    text = "\n".join(lines) + "\n"
    r = parse_source(text, "t.pact")
    e002 = [d for d in r.diagnostics if d.code == "E002"]
    assert len(e002) == MAX_LEX_ERRORS + 1
    assert [(d.span.line, d.span.col) for d in e002[:3]] == [(3, 13), (4, 13), (5, 13)]
    assert "the rest of the file is not checked" in e002[-1].message


def test_check_of_dev_zero_and_a_huge_file(tmp_path: Path) -> None:
    big = tmp_path / "huge.pact"
    with open(big, "wb") as fh:
        fh.truncate(1 << 30)
    for path in ([str(big)] + (["/dev/zero"] if os.path.exists("/dev/zero") else [])):
        r = CliRunner().invoke(main, ["check", path])
        assert r.exit_code == 1, r.output
        assert "error[E007]: file too large" in r.stdout


def test_check_of_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.pact"
    path.write_bytes('contract "Société" {\n  currency EUR\n}\n'.encode("latin-1"))
    r = CliRunner().invoke(main, ["check", str(path)])
    assert r.exit_code == 2
    assert r.stderr == f"error: {path}: not UTF-8 (byte 0xE9 at offset 14, line 1); save the file as UTF-8\n"
    assert "error(s)" not in r.output


def test_many_diagnostics_split_the_source_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # 5,000 duplicate header items took 14 s to print: the excerpt of every
    # diagnostic split the whole source again
    from pactlang import diagnostics

    calls: list[int] = []
    original = diagnostics.split_lines

    def counting(text: str) -> list[str]:
        calls.append(len(text))
        return original(text)

    monkeypatch.setattr(diagnostics, "split_lines", counting)
    text = 'contract "X" {\n' + "  currency EUR\n" * 2000 + "}\n"
    res = check_source(text, "t.pact")
    assert len(res.diagnostics) >= 1999
    out = render_text(res.diagnostics, {"t.pact": text})
    assert out.count("error[E016]") == 1999
    assert len(calls) == 1


def test_too_many_tokens_is_e007_before_any_token_is_made() -> None:
    from pactlang.syntax.parser import MAX_TOKENS

    # 4 MB of `(` took 2 GB and 19 s: each token is an object of a few hundred bytes
    text = 'contract "X" {\n  currency EUR\n  let a = ' + "(" * (MAX_TOKENS + 10) + "1\n}\n"
    res = check_source(text, "t.pact")
    assert [d.code for d in res.diagnostics] == ["E007"]
    assert "too many tokens" in res.diagnostics[0].message
    # many characters in few tokens are fine
    text = 'contract "X" {\n  currency EUR  # ' + "x" * (2 * MAX_TOKENS) + "\n}\n"
    assert [d.code for d in check_source(text, "t.pact").diagnostics] == []


def test_counting_tokens_does_not_keep_them(tmp_path: Path) -> None:
    path = tmp_path / "parens.pact"
    path.write_text('contract "X" {\n  let a = ' + "(" * 19_000_000 + "\n}\n", "utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "pactlang.cli", "check", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=_limited,
    )
    assert r.returncode == 1, r.stderr
    assert "error[E007]: source has too many tokens" in r.stdout
