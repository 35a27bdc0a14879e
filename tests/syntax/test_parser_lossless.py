"""Input the AST cannot hold is an error, never silently dropped (the formatter
would otherwise delete it)."""

from __future__ import annotations

import pytest

from pactlang.syntax.parser import parse

HEAD = 'contract "C" {\n  currency EUR\n  party a "A"\n  party b "B"\n  measure m "M": money\n'


@pytest.mark.parametrize(
    ("body", "code", "needle"),
    [
        ("  waterfall f {\n    distributes m\n    tier { split a 50%, b 50%\n split a 100% }\n  }\n", "E062", "one `split` line"),
        ("  waterfall f {\n    distributes m\n    tier { pay a up to 1 EUR\n pro rata\n in order }\n  }\n", "E062", "once"),
        ("  waterfall f {\n    distributes m\n    tier { split a 50%, b 50%\n up to 1 EUR\n up to 2 EUR }\n  }\n", "E062", "one `up to`"),
    ],
)
def test_repeated_tier_items_are_errors(body: str, code: str, needle: str) -> None:
    _, diags = parse(HEAD + body + "}\n", "t.pact")
    assert [d.code for d in diags] == [code], diags
    assert needle in diags[0].message


def test_within_with_is_missing_is_an_error() -> None:
    src = HEAD + "}\ntest \"t\" {\n  expect m == 3 EUR within 1 EUR is missing\n}\n"
    _, diags = parse(src, "t.pact")
    assert [d.code for d in diags] == ["E070"]
    assert diags[0].span is not None and diags[0].span.line == 8
