"""The annex layout's common ground: the catalogue, the words for labels, parties and
cross-references, the values of attributes.

:class:`LayoutBase` is what every part of the layout reads
(:mod:`pactlang.render.layout_constructs`, :mod:`pactlang.render.layout_governance`,
:mod:`pactlang.render.layout_extra`); :mod:`pactlang.render.layout` builds on it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pactlang.base.values import Period
from pactlang.kernel.escalation import AttrValue, Duration
from pactlang.render.doc import (
    Numbering,
    Para,
    Rich,
    Seg,
    concat,
    plain,
    ref,
)
from pactlang.render.i18n import Catalog, catalog
from pactlang.render.model import (
    Annex,
    Label,
)
from pactlang.render.words import Namer, Phraser

__all__ = ["BR", "DASH", "LayoutBase", "Place"]

BR: Rich = (Seg("\n", "br"),)
DASH = "—"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a construct is set out, for cross-references."""

    anchor: str
    number: str
    numbering: Numbering
    title: str


class LayoutBase:
    def __init__(
        self, annex: Annex, lang: str, warn: Callable[[str], None], notes: bool = False
    ) -> None:
        self.a = annex
        self.c: Catalog = catalog(lang)
        self.lang = lang
        self.warn = warn
        self.notes = notes
        self.namer = Namer(lang, annex.header.language, warn)
        self.p = Phraser(self.c, annex, self.namer)
        self.places: dict[str, Place] = {}  # construct or clause name -> where it is set out
        self._warned_texts: set[tuple[str, int]] = set()
        h = annex.header
        # the contract's title, in the annex language
        self.title = self.namer(
            Label("contract", h.title, h.title_translations), "the contract's title"
        )

    # ----------------------------------------------------------- helpers

    def t(self, key: str, n: int | None = None, /, **kw: object) -> str:
        return self.c.t(key, n, **kw)

    def r(self, key: str, n: int | None = None, /, **kw: Rich | str) -> Rich:
        return self.c.r(key, n, **kw)

    def tr(self, key: str, n: int | None = None, /, **kw: object) -> Rich:
        return plain(self.c.t(key, n, **kw))

    def label(self, key: str) -> str:
        return self.p.label_of(key)

    def sentence(self, rich: Rich) -> Rich:
        return concat(self.c.capitalize(rich), self.t("punct.stop"))

    def unstated(self) -> Rich:
        return (Seg(self.t("value.unstated"), "em"),)

    def party_or_unstated(self, name: str | None) -> Rich:
        return self.party_cell(name) if name else self.unstated()

    def party_cell(self, name: str) -> Rich:
        """A party's label alone in a table cell (no quotation marks)."""
        return plain(self.label(name))

    def text_or_unstated(self, text: str | None) -> Rich:
        return plain(text) if text else self.unstated()

    def lines(self, parts: list[Rich]) -> Rich:
        out: Rich = ()
        for i, part in enumerate(parts):
            out = concat(out, BR, part) if i else part
        return out

    def lead(self, rich: Rich) -> Para:
        """A paragraph that introduces the table after it (kept on its page)."""
        return Para(rich, role="lead")

    def named(self, label: object, what: str) -> str:
        return self.namer(label, what)  # type: ignore[arg-type]

    # ------------------------------------------------------ cross-references

    def see(self, name: str) -> Rich:
        """`` (section 7.1)`` / `` (article 10)`` / `` (see “Other provisions”)``:
        where a construct is set out, as a cross-reference."""
        place = self.places.get(name)
        if place is None:
            return ()
        if place.number:
            key = "xref.clause" if place.numbering == "own" else "xref"
            return self.r(key, number=ref(place.number, place.anchor))
        return self.r("xref.title", title=self.c.quote(ref(place.title, place.anchor)))

    # ------------------------------------------------------------ attributes

    def attr_value(self, key: str, value: AttrValue) -> Rich:
        if key == "language" and isinstance(value, str):
            return plain(self.c.language_name(value))
        if key == "arbitrators" and isinstance(value, int) and not isinstance(value, bool):
            return self.tr("attr.arbitrators.value", value)
        if isinstance(value, bool):
            return self.tr("bool.true" if value else "bool.false")
        if isinstance(value, int | Decimal):
            return plain(self.c.number(value))
        if isinstance(value, datetime.date):
            return plain(self.c.date(value))
        if isinstance(value, Period):
            return plain(self.c.month(value))
        if isinstance(value, Duration):
            return plain(self.p.duration(value.amount, value.unit))
        return plain(str(value))

    def attr_key(self, key: str) -> str:
        k = f"attr.{key}"
        return self.t(k) if self.c.has(k) else key
