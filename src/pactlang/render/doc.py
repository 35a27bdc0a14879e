"""The localized document: rich text, blocks and sections.

:mod:`pactlang.render.layout` turns the language-neutral model into one
:class:`Document` in one language; every output format (Markdown, HTML, DOCX,
PDF) renders the same document, so the formats never disagree on content.

Text is kept as :data:`Rich` (a tuple of :class:`Seg`): plain text, code
(identifiers and formulas) or emphasis.  Nothing here is escaped: each backend
escapes for its own syntax (HTML through Jinja's autoescape, Markdown through
its own escaping filter, DOCX needs none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

SegKind = Literal["text", "code", "strong", "em", "br"]


@dataclass(frozen=True, slots=True)
class Seg:
    text: str
    kind: SegKind = "text"


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
            if out and out[-1].kind == s.kind:
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


Block: TypeAlias = Para | Note | Table | Fields | Items | Formula


@dataclass(frozen=True, slots=True)
class Section:
    level: int  # 2 for a numbered section, 3 for a construct inside it
    number: str  # "4" or "4.1"
    title: Rich
    anchor: str  # stable id for links: "kpi-conversion"
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()

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

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()
