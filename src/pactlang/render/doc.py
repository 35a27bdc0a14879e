"""The localized document: rich text, blocks and sections.

:mod:`pactlang.render.layout` turns the language-neutral model into one
:class:`Document` in one language; every output format (Markdown, HTML, DOCX,
PDF) renders the same document, so the formats never disagree on content.

Text is kept as :data:`Rich` (a tuple of :class:`Seg`): plain text, code
(identifiers and formulas), emphasis, or a cross-reference (``ref``: the text
shown, usually a section number, and the anchor of the section it points to:
a link in HTML and Markdown, a ``REF`` field to a bookmark in DOCX).  Nothing here is escaped: each backend
escapes for its own syntax (HTML through Jinja's autoescape, Markdown through
its own escaping filter, DOCX needs none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

SegKind = Literal["text", "code", "strong", "em", "br", "ref"]


@dataclass(frozen=True, slots=True)
class Seg:
    text: str
    kind: SegKind = "text"
    target: str = ""  # the anchor a `ref` segment points to


def ref(text: str, target: str) -> Rich:
    """A cross-reference: ``text`` (e.g. ``7.1``) pointing to the section ``target``."""
    return (Seg(text, "ref", target),)


Rich: TypeAlias = tuple[Seg, ...]


def plain(text: str) -> Rich:
    return (Seg(text),) if text else ()


def code(text: str) -> Rich:
    return (Seg(text, "code"),)


def strong(text: str) -> Rich:
    return (Seg(text, "strong"),)


def concat(*parts: Rich | str) -> Rich:
    """Join rich fragments, merging neighbouring segments of the same kind."""
    out: list[Seg] = []
    for part in parts:
        segs = plain(part) if isinstance(part, str) else part
        for s in segs:
            if not s.text:
                continue
            if out and out[-1].kind == s.kind and s.kind not in ("ref", "br"):
                out[-1] = Seg(out[-1].text + s.text, s.kind)
            else:
                out.append(s)
    return tuple(out)


def text_of(rich: Rich) -> str:
    """The rich text without any markup."""
    return "".join(s.text for s in rich)


# ------------------------------------------------------------------ blocks


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph; ``role`` holds space-separated roles: ``lead`` (introduces
    what follows and stays with it), ``small``, ``clause`` (a clause's words)."""

    text: Rich
    role: str = ""
    kind: Literal["para"] = "para"


@dataclass(frozen=True, slots=True)
class Note:
    """A call-out: ``warning`` (something a reader must not miss) or ``info``."""

    text: Rich
    level: Literal["warning", "info"] = "info"
    title: Rich = ()
    kind: Literal["note"] = "note"


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[Rich, ...]
    rows: tuple[tuple[Rich, ...], ...]
    role: str = ""
    caption: Rich = ()
    kind: Literal["table"] = "table"


@dataclass(frozen=True, slots=True)
class Fields:
    """A two-column key/value table without a header row."""

    rows: tuple[tuple[Rich, Rich], ...]
    role: str = ""
    kind: Literal["fields"] = "fields"


@dataclass(frozen=True, slots=True)
class Items:
    """A list; each item is a lead line and optional sub-items."""

    items: tuple[Item, ...]
    ordered: bool = False
    role: str = ""
    kind: Literal["items"] = "items"


@dataclass(frozen=True, slots=True)
class Item:
    text: Rich
    sub: tuple[Rich, ...] = ()


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula in contract notation, shown verbatim in a code block."""

    text: str
    kind: Literal["formula"] = "formula"


@dataclass(frozen=True, slots=True)
class Signatory:
    """One party's signature box: ``for`` line, the signatory and capacity (empty
    when not stated: a line is left to write them by hand)."""

    party: Rich  # "Pour ACME SAS" / "For ACME SAS"
    name: Rich
    capacity: Rich


@dataclass(frozen=True, slots=True)
class Signatures:
    """The signature block: one box per party, side by side."""

    signatories: tuple[Signatory, ...]
    labels: tuple[Rich, Rich, Rich] = ((), (), ())  # "Name", "Capacity", "Signature"
    kind: Literal["signatures"] = "signatures"


Block: TypeAlias = Para | Note | Table | Fields | Items | Formula | Signatures


Numbering = Literal["auto", "own", "none"]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what follows it.

    ``numbering``: ``auto`` — the annex numbers the section (``4``, ``4.1``;
    real list numbering in DOCX); ``own`` — the number is the contract's own
    (a clause's number as printed, ``8.1``), shown as written; ``none`` — no
    number (``number`` is empty).
    """

    level: int  # 2 for a top-level section, 3 for a construct inside it
    number: str  # "4" or "4.1", a clause's "8.1", or ""
    title: Rich
    anchor: str  # stable id for links: "kpi-conversion"
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()
    numbering: Numbering = "auto"

    @property
    def shown_number(self) -> str:
        """The number as a heading shows it: ``4.`` and ``4.1`` (annex numbers),
        the clause's own number as written, or nothing."""
        if self.numbering == "none" or not self.number:
            return ""
        if self.numbering == "auto" and self.level == 2:
            return self.number + "."
        return self.number

    def walk(self) -> Iterator[Section]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True, slots=True)
class Meta:
    """Document properties (DOCX core properties, PDF metadata, HTML head)."""

    title: str
    subject: str
    identifier: str
    version: str
    language: str
    keywords: str
    author: str
    date: str  # ISO date the properties are pinned to (the contract's effective date)


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: Rich
    subtitle: Rich
    meta: Meta
    intro: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)
    labels: dict[str, str] = field(default_factory=dict)  # fixed UI words for templates
    notes: bool = False  # the negotiator's notes are shown (`pact render --notes`)
    clauses: bool = False  # the annex is laid out by the contract's clauses

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()
