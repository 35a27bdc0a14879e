"""Changes in the words of a clause: runs of words, language by language
(part of :mod:`pactlang.compare.meaning`)."""

from __future__ import annotations

import difflib

from pactlang.syntax import ast

__all__ = ["texts_by_lang", "word_changes"]


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The runs of words that differ between two texts, with a word of context
    on each side when a run is only an insertion or a deletion."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        lo_a, hi_a, lo_b, hi_b = i1, i2, j1, j2
        if op != "replace":  # show where: a word before (or after) the change
            if i1 > 0:
                lo_a, lo_b = i1 - 1, j1 - 1
            elif i2 < len(a):
                hi_a, hi_b = i2 + 1, j2 + 1
        out.append((" ".join(a[lo_a:hi_a]), " ".join(b[lo_b:hi_b])))
    return out


def texts_by_lang(
    u: ast.ClauseText, v: ast.ClauseText, lang_u: str, lang_v: str
) -> dict[str, tuple[str | None, str | None]]:
    """A clause text's wording in each language, before and after."""
    langs: dict[str, tuple[str | None, str | None]] = {}
    for lang in dict.fromkeys([lang_v, lang_u, *(t.lang.name for t in u.translations), *(t.lang.name for t in v.translations)]):
        p = u.text.value if lang == lang_u else u.get(lang)
        q = v.text.value if lang == lang_v else v.get(lang)
        langs[lang] = (p, q)
    return langs
