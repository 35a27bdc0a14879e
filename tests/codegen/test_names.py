"""Identifiers of generated code (``pactlang.codegen.names``)."""

from __future__ import annotations

import builtins
import keyword
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactlang.codegen.names import NameError_, check, escape, is_safe_identifier, mangle, unescape

DSL_NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)
ANY_TEXT = st.text(min_size=1, max_size=12)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("x", "v_x"),
        ("v_x", "v_v__x"),
        ("class", "v_class"),
        ("sum_", "v_sum__"),
        ("_", "v___"),
        ("__import__", "v_____import____"),
        ("é", "v__ue9_"),
    ],
)
def test_examples(name: str, expected: str) -> None:
    assert mangle("v", name) == expected


def test_names_that_look_alike_stay_apart() -> None:
    names = ["x", "v_x", "v__x", "x_", "x__", "_x", "c_x", "sum", "sum_", "ﬁ", "fi", "Ⅸ", "IX"]
    idents = [mangle("v", n) for n in names]
    assert len(set(idents)) == len(names)
    # Python reads identifiers NFKC-normalized: the written ones must not merge either
    assert len({unicodedata.normalize("NFKC", i) for i in idents}) == len(names)
    # and a value, a column and a status of the same name are different variables
    assert len({mangle(role, "x") for role in ("v", "c", "s", "st", "cy")}) == 5


@given(DSL_NAMES, DSL_NAMES)
def test_injective_on_dsl_names(a: str, b: str) -> None:
    assert (mangle("v", a) == mangle("v", b)) == (a == b)


@given(ANY_TEXT)
def test_escape_round_trips_any_text(text: str) -> None:
    out = escape(text)
    assert out.isascii()
    assert unescape(out) == text


@given(ANY_TEXT, ANY_TEXT)
def test_escape_is_injective_on_any_text(a: str, b: str) -> None:
    assert (escape(a) == escape(b)) == (a == b)


@given(st.sampled_from(["v", "c", "s", "st", "cy", "wm", "ws"]), ANY_TEXT)
def test_mangled_names_are_safe_identifiers(role: str, text: str) -> None:
    ident = mangle(role, text)
    assert ident.isidentifier() and ident.isascii()
    assert not keyword.iskeyword(ident) and not keyword.issoftkeyword(ident)
    assert not hasattr(builtins, ident)
    # the role is everything before the first underscore: families cannot meet
    assert ident.split("_", 1)[0] == role


@pytest.mark.parametrize("bad", ["class", "None", "print", "sum", "match", "1x", "x-y", "é", ""])
def test_check_refuses_keywords_builtins_and_non_identifiers(bad: str) -> None:
    assert not is_safe_identifier(bad)
    with pytest.raises(NameError_):
        check(bad)


def test_roles_are_lowercase_words() -> None:
    for role in ("", "V", "v_", "v1"):
        with pytest.raises(NameError_):
            mangle(role, "x")
