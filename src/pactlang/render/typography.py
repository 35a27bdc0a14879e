"""Typography of annexes: the few rules that make generated text print like a
typeset document, in French and English.

Numbers, money and dates come from Babel (CLDR); this module adds what CLDR
leaves to the typesetter, and nothing else:

* ``apostrophes`` — the typographic apostrophe ``’`` (U+2019) for the
  typewriter ``'`` (U+0027), in both languages;
* ``french_spaces`` — French punctuation spacing: a narrow no-break space
  (U+202F) before ``;`` ``!`` ``?``, after ``«`` and before ``»``, a no-break
  space (U+00A0) before ``:`` (the Imprimerie nationale's rule, and LaTeX
  babel-french's default).  Only a space that is already there is replaced
  (``10:30`` and ``https://`` are left alone), except inside guillemets, which
  always get their spaces;
* ``no_break_after_abbreviations`` — ``art. 8.1``, ``n° 12``, ``§ 3``,
  ``p. 4`` never break after the abbreviation;
* ``minus_sign`` — the minus sign ``−`` (U+2212) instead of the hyphen Babel
  writes in front of a negative number;
* ``first_day`` — French dates say *1er janvier* for the first day of a month
  (a Babel date pattern's ``d`` becomes ``d'er'`` that day);
* ``no_break_date`` — a date never breaks between its day, month and year.

:func:`polish` applies the rules that hold for any prose (apostrophes, and in
French the spacing and abbreviations) to a piece of text, and
:func:`polish_rich` to rich text, leaving code (identifiers, formulas)
untouched.  Author texts — labels, clause texts, sources — go through
:func:`polish` too: only the apostrophe changes visibly; every other rule
turns a space the author typed into its no-break form.  French elision where
generated text meets a value (*de « Ajustement »* → *d’« Ajustement »*,
*de avril* → *d’avril*) is done by the catalogue's joins
(:mod:`pactlang.render.i18n`), which know where a fragment starts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pactlang.render.doc import (
    Block,
    Document,
    Fields,
    Item,
    Items,
    Note,
    Para,
    Rich,
    Section,
    Seg,
    Signatory,
    Signatures,
    Table,
)

__all__ = [
    "NBSP",
    "NNBSP",
    "apostrophes",
    "first_day",
    "french_spaces",
    "minus_sign",
    "no_break_after_abbreviations",
    "no_break_date",
    "polish",
    "polish_document",
    "polish_rich",
]

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space
MINUS = "\u2212"

_SPACES = " \u00a0\u202f"
_BEFORE_THIN = re.compile(f"[{_SPACES}]+([;!?])")
_BEFORE_COLON = re.compile(f"[{_SPACES}]+(:)")
_AFTER_OPEN = re.compile(f"«[{_SPACES}]*")
_BEFORE_CLOSE = re.compile(f"[{_SPACES}]*»")
_ABBREVIATION = re.compile(
    r"(?<![\w.])((?:[Aa]rt|[Aa]rts|al|[Pp]|pp|[Nn]o|[Nn]os)\.|n°|N°|nos|§)[ \t]+(?=[\w(«“\"])"
)
_HYPHEN_NUMBER = re.compile(r"(?<![\w\-])-(?=[\d€$£¥])")


def apostrophes(text: str) -> str:
    """``l'étape`` → ``l’étape``."""
    return text.replace("'", "\u2019")


def french_spaces(text: str) -> str:
    """French spacing before high punctuation and inside guillemets."""
    if not any(c in text for c in ";:!?«»"):
        return text
    text = _BEFORE_THIN.sub(NNBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + r"\1", text)
    text = _AFTER_OPEN.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE.sub(NNBSP + "»", text)
    return text


def no_break_after_abbreviations(text: str) -> str:
    """``(art. 8.1)`` keeps ``art.`` and ``8.1`` on one line."""
    return _ABBREVIATION.sub(r"\1" + NBSP, text)


def minus_sign(text: str) -> str:
    """``-5 000,00 €`` → ``−5 000,00 €`` (a formatted number's leading hyphen)."""
    return _HYPHEN_NUMBER.sub(MINUS, text)


def first_day(pattern: str) -> str:
    """A Babel date pattern whose day field reads ``1er`` (``d MMMM y`` →
    ``d'er' MMMM y``); use it for the first day of a month in French."""
    out: list[str] = []
    i = 0
    quoted = False
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "'":
            quoted = not quoted
            out.append(ch)
            i += 1
            continue
        if not quoted and ch == "d":
            j = i
            while j < n and pattern[j] == "d":
                j += 1
            out.append(pattern[i:j])
            if j - i == 1:
                out.append("'er'")
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def no_break_date(text: str) -> str:
    """A formatted date on one line: its spaces become no-break spaces."""
    return text.replace(" ", NBSP)


def polish(text: str, lang: str) -> str:
    """The prose rules for ``lang``: apostrophes; in French, punctuation
    spacing and no-break spaces after abbreviations."""
    if not text:
        return text
    text = apostrophes(text)
    if lang == "fr":
        text = french_spaces(no_break_after_abbreviations(text))
    return text


def polish_rich(rich: Rich, lang: str) -> Rich:
    """:func:`polish` on every text segment; code stays as written."""
    return tuple(
        s if s.kind in ("code", "br") else Seg(polish(s.text, lang), s.kind, s.target) for s in rich
    )


def _block(b: Block, lang: str) -> Block:
    def r(x: Rich) -> Rich:
        return polish_rich(x, lang)

    if isinstance(b, Para):
        return replace(b, text=r(b.text))
    if isinstance(b, Note):
        return replace(b, text=r(b.text), title=r(b.title))
    if isinstance(b, Table):
        return replace(
            b,
            header=tuple(r(h) for h in b.header),
            rows=tuple(tuple(r(c) for c in row) for row in b.rows),
            caption=r(b.caption),
        )
    if isinstance(b, Fields):
        return replace(b, rows=tuple((r(k), r(v)) for k, v in b.rows))
    if isinstance(b, Items):
        return replace(b, items=tuple(Item(r(i.text), tuple(r(s) for s in i.sub)) for i in b.items))
    if isinstance(b, Signatures):
        return replace(
            b,
            signatories=tuple(
                Signatory(r(s.party), r(s.name), r(s.capacity)) for s in b.signatories
            ),
            labels=(r(b.labels[0]), r(b.labels[1]), r(b.labels[2])),
        )
    return b  # a formula is contract notation, printed as written


def _section(s: Section, lang: str) -> Section:
    return replace(
        s,
        title=polish_rich(s.title, lang),
        blocks=tuple(_block(b, lang) for b in s.blocks),
        children=tuple(_section(c, lang) for c in s.children),
    )


def polish_document(doc: Document) -> Document:
    """Every text of ``doc`` through :func:`polish` (code and formulas excepted)."""
    lang = doc.lang
    return replace(
        doc,
        title=polish_rich(doc.title, lang),
        subtitle=polish_rich(doc.subtitle, lang),
        meta=replace(
            doc.meta, title=polish(doc.meta.title, lang), subject=polish(doc.meta.subject, lang)
        ),
        intro=tuple(_block(b, lang) for b in doc.intro),
        sections=tuple(_section(s, lang) for s in doc.sections),
        labels={k: polish(v, lang) if k != "lang" else v for k, v in doc.labels.items()},
    )
