"""Lay the annex out: the neutral model, in one language, as a :class:`Document`.

This is the one place that decides what the annex says and in which order;
the Markdown, HTML, DOCX and PDF backends only draw the document.  Every fixed
word comes from the catalogue (:mod:`pactlang.render.i18n`).

Two layouts:

* **Without clauses** (the annex is generated from the logic alone), numbered
  sections in this order: identification and parties; measures; agreed
  values; KPIs; thresholds; committees; dispute resolution (with the
  computation of time limits); waterfalls; rules of interpretation.  A
  section with nothing to show is left out; sections are numbered as they
  appear.  A section with a single construct whose label is the section's
  own title (*Résolution des différends* / *Résolution des différends*) shows
  it directly instead of repeating the title in a sub-heading.
* **With clauses** (LANGUAGE.md §9b): identification and parties, then each
  clause under its own number — its words with the quoted values formatted,
  then the tables of what it governs (a construct governed by several clauses
  is shown under the first, the others refer to it) — then, unnumbered, the
  constructs no clause governs (*Other provisions*), the rules of
  interpretation.

Both end with the signature block.  The negotiator's notes (implied vetoes,
members who decide alone, unreachable rules, voting power) are only shown
with ``notes=True`` (``pact render --notes``): the annex meant for signature
states the contract, not an analysis of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.money import minor_digits
from pactlang.base.values import Period
from pactlang.kernel.committees import VotingRule
from pactlang.kernel.escalation import AttrValue, Duration
from pactlang.render import layout_extra as extra
from pactlang.render import typography
from pactlang.render.doc import (
    Block,
    Document,
    Fields,
    Formula,
    Item,
    Items,
    Meta,
    Note,
    Numbering,
    Para,
    Rich,
    Section,
    Seg,
    Signatory,
    Signatures,
    Table,
    code,
    concat,
    plain,
    ref,
    text_of,
)
from pactlang.render.i18n import Catalog, catalog
from pactlang.render.model import (
    Annex,
    Attrs,
    Clause,
    CommitteeView,
    Kpi,
    LadderView,
    Let,
    Measure,
    Paragraph,
    Party,
    Rule,
    Threshold,
    WaterfallView,
)
from pactlang.render.words import Namer, Phraser, formula, literal_value
from pactlang.sema.clauses import Target
from pactlang.syntax import ast

__all__ = ["layout", "quoted_text"]

BR: Rich = (Seg("\n", "br"),)
DASH = "—"
#: Years of public holidays side by side in one table.
HOLIDAY_YEARS_PER_TABLE = 4

# the construct kinds that get a section of their own, as (section key, namer word)
_KINDS = (
    ("kpis", "KPI"),
    ("thresholds", "threshold"),
    ("committees", "committee"),
    ("disputes", "escalation"),
    ("contributions", "contribution"),
    ("waterfalls", "waterfall"),
)
_ANCHOR_PREFIX = {
    "KPI": "kpi",
    "threshold": "threshold",
    "committee": "committee",
    "escalation": "escalation",
    "contribution": "contribution",
    "waterfall": "waterfall",
}


def layout(
    annex: Annex, lang: str, warn: Callable[[str], None], *, notes: bool = False
) -> Document:
    """The annex document in ``lang`` (``en`` or ``fr``); ``warn`` receives each
    missing translation once; ``notes`` adds the negotiator's notes."""
    return _Layout(annex, lang, warn, notes).document()


def quoted_text(annex: Annex, lang: str, target: Target) -> str:
    """What a clause's ``{reference}`` inserts, as plain text in ``lang`` (for
    editors: the hover of a reference)."""
    rich = _Layout(annex, lang, lambda _msg: None).quoted(target)
    return typography.polish("".join(s.text for s in rich), lang)


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a construct is set out, for cross-references."""

    anchor: str
    number: str
    numbering: Numbering
    title: str


@dataclass(frozen=True, slots=True)
class _Construct:
    kind: str  # KPI, threshold, committee, escalation, contribution, waterfall
    name: str
    label: str
    obj: object


class _Layout:
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
        self.places: dict[str, _Place] = {}  # construct or clause name -> where it is set out
        self._warned_texts: set[tuple[str, int]] = set()
        self.title = extra.title(self)  # the contract's title, in the annex language

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

    # ---------------------------------------------------------- document

    def document(self) -> Document:
        h = self.a.header
        if self.a.clauses:
            sections = self.clause_layout()
        else:
            sections = self.plain_layout()
        sections.append(self.signatures())
        title = self.r("doc.title", title=self.title)
        sub: list[Rich] = []
        if h.id:
            sub.append(self.tr("doc.subtitle.id", id=h.id))
        if h.version:
            sub.append(self.tr("doc.subtitle.version", version=h.version))
        subtitle: Rich = ()
        for i, part in enumerate(sub):
            subtitle = concat(subtitle, self.t("doc.subtitle.sep"), part) if i else part
        subtitle = self.c.capitalize(subtitle)
        meta = Meta(
            title=text_of(title),
            subject=self.t("meta.subject", title=self.title),
            identifier=h.id or "",
            version=h.version or "",
            language=self.lang,
            keywords=", ".join(x for x in ("pactlang", h.id or "", h.version or "") if x),
            author=self.t("meta.author"),
            date=(h.effective or datetime.date(2000, 1, 1)).isoformat(),
        )
        intro: list[Block] = []
        if self.notes:
            intro.append(
                Note(self.tr("ui.notes_banner"), "warning", self.tr("ui.notes_banner.title"))
            )
        intro.append(Para(self.sentence(self.r("doc.intro", title=self.c.quote(self.title)))))
        labels = {
            k: self.t(f"ui.{k}")
            for k in (
                "contents",
                "generated",
                "formula",
                "page",
                "of",
                "field_sep",
                "warning",
                "note",
            )
        }
        labels["lang"] = self.lang
        labels["running"] = " · ".join(x for x in (h.id or "", h.version or "") if x)
        doc = Document(
            self.lang,
            title,
            subtitle,
            meta,
            tuple(intro),
            tuple(sections),
            labels,
            notes=self.notes,
            clauses=bool(self.a.clauses),
        )
        return typography.polish_document(doc)

    # ------------------------------------------------------- constructs

    def constructs(self, key: str) -> list[_Construct]:
        a = self.a
        items: Sequence[object] = {
            "kpis": a.kpis,
            "thresholds": a.thresholds,
            "committees": a.committees,
            "disputes": a.ladders,
            "contributions": a.contributions,
            "waterfalls": a.waterfalls,
        }[key]
        kind = dict(_KINDS)[key]
        out = []
        for obj in items:
            name = obj.name  # type: ignore[attr-defined]
            label = self.named(obj.label, f"{kind} `{name}`")  # type: ignore[attr-defined]
            out.append(_Construct(kind, name, label, obj))
        return out

    def construct_blocks(self, c: _Construct) -> list[Block]:
        if c.kind == "KPI":
            return self.kpi(c.obj)  # type: ignore[arg-type]
        if c.kind == "threshold":
            return self.threshold(c.obj)  # type: ignore[arg-type]
        if c.kind == "committee":
            return self.committee(c.obj)  # type: ignore[arg-type]
        if c.kind == "escalation":
            return self.ladder(c.obj)  # type: ignore[arg-type]
        if c.kind == "contribution":
            return extra.contribution(self, c.obj)  # type: ignore[arg-type]
        return self.waterfall(c.obj)  # type: ignore[arg-type]

    def anchor_of(self, c: _Construct) -> str:
        return f"{_ANCHOR_PREFIX[c.kind]}-{c.name}"

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

    # ------------------------------------------------- layout: no clauses

    def _has(self, key: str) -> bool:
        a = self.a
        return {
            "ident": True,
            "measures": bool(a.measures),
            "lets": bool(a.lets),
            "kpis": bool(a.kpis),
            "thresholds": bool(a.thresholds),
            "committees": bool(a.committees),
            "disputes": bool(a.ladders),
            "waterfalls": bool(a.waterfalls),
            "contributions": bool(a.contributions),
            "rules": True,
        }[key]

    def plain_layout(self) -> list[Section]:
        order = (
            "ident",
            "measures",
            "lets",
            "kpis",
            "thresholds",
            "committees",
            "disputes",
            "contributions",
            "waterfalls",
            "rules",
        )
        present = [k for k in order if self._has(k)]
        numbers = {k: str(i) for i, k in enumerate(present, start=1)}
        # places first, so that cross-references can be resolved while laying out
        groups: dict[str, list[_Construct]] = {}
        merged: set[str] = set()
        for key, _kind in _KINDS:
            if key not in numbers:
                continue
            items = groups[key] = self.constructs(key)
            title = self.t(f"section.{key}")
            if len(items) == 1 and items[0].label.casefold() == title.casefold():
                merged.add(key)
                self.places[items[0].name] = _Place(f"s-{key}", numbers[key], "auto", title)
                continue
            for i, c in enumerate(items, start=1):
                self.places[c.name] = _Place(
                    self.anchor_of(c), f"{numbers[key]}.{i}", "auto", c.label
                )
        sections: list[Section] = []
        for key in present:
            n = numbers[key]
            if key == "ident":
                sections.append(self.identification(n, "auto"))
            elif key == "measures":
                sections.append(self.section(n, key, self.measure_blocks(self.a.measures)))
            elif key == "lets":
                blocks: list[Block] = [self.lead(self.tr("lets.intro"))]
                blocks.append(self.let_table(self.a.lets))
                sections.append(self.section(n, key, blocks))
            elif key == "rules":
                sections.append(self.section(n, key, self.conventions(with_thresholds=False)))
            else:
                sections.append(self.kind_section(key, n, groups[key], key in merged))
        return sections

    def section(
        self,
        number: str,
        key: str,
        blocks: list[Block],
        children: list[Section] | None = None,
        numbering: Numbering = "auto",
    ) -> Section:
        return Section(
            2,
            number,
            self.tr(f"section.{key}"),
            f"s-{key}",
            tuple(blocks),
            tuple(children or ()),
            numbering,
        )

    def kind_section(self, key: str, number: str, items: list[_Construct], merged: bool) -> Section:
        blocks: list[Block] = []
        if key == "kpis":
            blocks.append(Para(self.tr("kpis.intro")))
        elif key == "thresholds":
            blocks.append(Para(self.tr("thresholds.intro")))
            blocks.extend(self.threshold_general())
        elif key == "disputes":
            blocks.append(Para(self.tr("disputes.intro")))
        elif key == "contributions":
            blocks.append(Para(self.tr("contributions.intro")))
        children: list[Section] = []
        if merged:
            blocks.extend(self.construct_blocks(items[0]))
        else:
            for i, c in enumerate(items, start=1):
                children.append(
                    Section(
                        3,
                        f"{number}.{i}",
                        plain(c.label),
                        self.anchor_of(c),
                        tuple(self.construct_blocks(c)),
                    )
                )
        if key == "disputes":
            children.append(self.time_limits(3, f"{number}.{len(children) + 1}", "auto"))
        return self.section(number, key, blocks, children)

    # ---------------------------------------------------- layout: clauses

    def clause_layout(self) -> list[Section]:
        a = self.a
        governing: dict[str, Clause] = {}
        for cl in a.clauses:
            for g in cl.governs:
                governing.setdefault(g, cl)
        for cl in a.clauses:
            self.places[cl.name] = _Place(
                f"clause-{cl.name}", cl.number, "own", self.clause_title(cl)
            )
        groups = {key: self.constructs(key) for key, _ in _KINDS}
        other_title = self.t("section.other")
        for items in groups.values():
            for c in items:
                gov = governing.get(c.name)
                if gov is not None:
                    self.places[c.name] = self.places[gov.name]
                else:
                    self.places[c.name] = _Place("s-other", "", "none", other_title)
        first_ladder = a.ladders[0].name if a.ladders else None
        sections: list[Section] = [self.identification("", "none")]
        for cl in a.clauses:
            sections.append(self.clause_section(cl, governing, groups, first_ladder))
        other = self.other_section(governing, groups, first_ladder)
        if other is not None:
            sections.append(other)
        sections.append(
            Section(
                2,
                "",
                self.tr("section.rules"),
                "s-rules",
                tuple(self.conventions(with_thresholds=bool(a.thresholds))),
                numbering="none",
            )
        )
        return sections

    def clause_title(self, cl: Clause) -> str:
        if cl.label.primary is None:
            return cl.number
        return self.named(cl.label, f"clause `{cl.name}`")

    def clause_section(
        self,
        cl: Clause,
        governing: dict[str, Clause],
        groups: dict[str, list[_Construct]],
        first_ladder: str | None,
    ) -> Section:
        blocks: list[Block] = []
        if not cl.binding:
            blocks.append(Para((Seg(self.t("clause.non_binding"), "em"),), role="small"))
        schedules: list[str] = []
        for i, para in enumerate(cl.paragraphs):
            text, quoted = self.clause_text(cl, i, para)
            blocks.append(Para(text, role="clause"))
            schedules.extend(s for s in quoted if s not in schedules)
        mine = [g for g in cl.governs if governing.get(g) is cl]
        elsewhere = [g for g in cl.governs if governing.get(g) is not cl]
        measures = [m for m in self.a.measures if m.name in mine]
        lets = [x for x in self.a.lets if x.name in mine]
        for name in schedules:
            if any(x.name == name for x in lets):
                continue  # its entries are in the table of agreed values below
            blocks.append(self.lead(self.r("clause.schedule", x=self.p.ref(name))))
            blocks.append(self.schedule_table(name))
        if measures:
            blocks.extend(self.measure_blocks(measures, lead=self.tr("clause.measures")))
        if lets:
            blocks.append(self.lead(self.tr("clause.lets")))
            blocks.append(self.let_table(lets))
        for name in elsewhere:
            if self.a.refs.get(name) is None or self.a.refs[name].kind == "party":
                continue
            blocks.append(
                Para(
                    self.sentence(
                        self.r("clause.elsewhere", x=self.p.ref(name), see=self.see(name))
                    ),
                    role="small",
                )
            )
        children: list[Section] = []
        title = self.clause_title(cl)
        for key, _kind in _KINDS:
            for c in groups[key]:
                if c.name not in mine:
                    continue
                if c.label.casefold() == title.casefold():
                    # the clause is named after what it governs: no sub-heading repeats it
                    blocks.extend(self.construct_blocks(c))
                else:
                    children.append(
                        Section(
                            3,
                            "",
                            plain(c.label),
                            self.anchor_of(c),
                            tuple(self.construct_blocks(c)),
                            numbering="none",
                        )
                    )
                if c.name == first_ladder:
                    children.append(self.time_limits(3, "", "none"))
        return Section(
            2,
            cl.number,
            plain(self.clause_title(cl)),
            f"clause-{cl.name}",
            tuple(blocks),
            tuple(children),
            "own",
        )

    def other_section(
        self,
        governing: dict[str, Clause],
        groups: dict[str, list[_Construct]],
        first_ladder: str | None,
    ) -> Section | None:
        """The constructs no clause governs (``pact check`` warns about each)."""
        blocks: list[Block] = []
        measures = [m for m in self.a.measures if m.name not in governing]
        lets = [x for x in self.a.lets if x.name not in governing]
        if measures:
            blocks.extend(self.measure_blocks(measures))
        if lets:
            blocks.append(self.lead(self.tr("lets.intro")))
            blocks.append(self.let_table(lets))
        children: list[Section] = []
        for key, _kind in _KINDS:
            for c in groups[key]:
                if c.name not in governing:
                    children.append(
                        Section(
                            3,
                            "",
                            plain(c.label),
                            self.anchor_of(c),
                            tuple(self.construct_blocks(c)),
                            numbering="none",
                        )
                    )
                    if c.name == first_ladder:
                        children.append(self.time_limits(3, "", "none"))
        if not blocks and not children:
            return None
        return Section(
            2, "", self.tr("section.other"), "s-other", tuple(blocks), tuple(children), "none"
        )

    def clause_text(self, cl: Clause, index: int, para: Paragraph) -> tuple[Rich, list[str]]:
        """A paragraph with its references filled in, and the schedules it quotes."""
        source = self.a.header.language
        got = para.get(self.lang, source)
        prefix: Rich = ()
        if got is None:
            got = para.original
            key = (cl.name, index)
            if key not in self._warned_texts:
                self._warned_texts.add(key)
                self.warn(
                    f"text {index + 1} of clause `{cl.name}` has no `{self.lang}` translation; "
                    f"the {source} text is used"
                )
            note = self.t("clause.untranslated", source=self.c.language_name(source))
            prefix = (Seg(note, "em"),) + plain(" ")
        # the original text quotes its values in its own language, so that the
        # sentence reads in one language
        speaker = self if not prefix else self.in_language(source)
        out: Rich = prefix
        schedules: list[str] = []
        for piece in got:
            if isinstance(piece, str):
                out = concat(out, piece)
                continue
            out = concat(out, speaker.quoted(piece))
            if piece.what == "schedule":
                schedules.append(piece.key)
        return out, schedules

    def in_language(self, lang: str) -> _Layout:
        """This annex's layout in another language (for an untranslated text)."""
        other = _Layout(self.a, lang, lambda _msg: None, self.notes)
        other.places = self.places
        return other

    def quoted(self, target: Target) -> Rich:
        """What a ``{reference}`` of a clause text inserts."""
        what, key = target.what, target.key
        if what == "party":
            party = next(p for p in self.a.parties if p.name == key)
            return plain(party.legal_name or self.label(key))
        if what == "value":
            return self.p.constant(key) or self.p.words(self.let_or_kpi_expr(key))
        if what == "schedule":
            let = next(x for x in self.a.lets if x.name == key)
            assert isinstance(let.value, ast.Schedule)
            entries = [
                self.r(
                    "lets.schedule.inline",
                    value=self.p.words(e.value),
                    start=self.c.month(e.start.value),
                )
                for e in let.value.entries
            ]
            out = entries[0]
            for e in entries[1:]:
                out = self.r("lets.schedule.join", a=out, b=e)
            return out
        if what == "rule":
            committee, decision = key.split(".", 1)
            c = next(x for x in self.a.committees if x.name == committee)
            d = next(x for x in c.decisions if x.name == decision)
            return self.rule_words(c, d.rule)
        if what == "deadline":
            ladder, step = key.split(".", 1)
            lv = next(x for x in self.a.ladders if x.name == ladder)
            s = next(x for x in lv.steps if x.name == step)
            assert s.within is not None
            return plain(self.p.duration(s.within.amount, s.within.unit))
        if what == "clause":
            cl = next(x for x in self.a.clauses if x.name == key)
            return ref(cl.number, f"clause-{cl.name}")
        if what == "label":
            return plain(self.label(key))
        return code(key)  # pragma: no cover - a checked contract has no unresolved reference

    def let_or_kpi_expr(self, name: str) -> ast.Expr:
        for let in self.a.lets:
            if let.name == name and not isinstance(let.value, ast.Schedule):
                return let.value
        return next(k.expr for k in self.a.kpis if k.name == name)

    def schedule_table(self, name: str) -> Table:
        let = next(x for x in self.a.lets if x.name == name)
        assert isinstance(let.value, ast.Schedule)
        rows = tuple(
            (plain(self.c.month(e.start.value)), self.p.words(e.value)) for e in let.value.entries
        )
        return Table((self.tr("col.from"), self.tr("col.value")), rows, "schedule")

    # ---------------------------------------------------- identification

    def identification(self, number: str, numbering: Numbering) -> Section:
        h = self.a.header
        rows: list[tuple[Rich, Rich]] = [(self.tr("ident.title"), plain(self.title))]
        if h.id:
            rows.append((self.tr("ident.id"), plain(h.id)))
        if h.version:
            rows.append((self.tr("ident.version"), plain(h.version)))
        if h.effective and h.until:
            term = self.tr(
                "ident.term.range", start=self.c.date(h.effective), end=self.c.date(h.until)
            )
        elif h.effective:
            term = self.tr("ident.term.from", start=self.c.date(h.effective))
        else:
            term = self.unstated()
        rows.append((self.tr("ident.term"), term))
        rows.append(
            (
                self.tr("ident.currency"),
                self.tr(
                    "ident.currency.value", code=h.currency, name=self.c.currency_name(h.currency)
                ),
            )
        )
        rows.append((self.tr("ident.language"), plain(self.c.language_name(h.language))))
        if h.calendar:
            cal = self.tr(
                "ident.calendar.country", country=self.c.country_name(h.calendar), code=h.calendar
            )
        else:
            cal = self.tr("ident.calendar.none")
        rows.append((self.tr("ident.calendar"), cal))
        blocks: list[Block] = [Fields(tuple(rows), "ident")]
        parties = self.a.parties
        if parties and any(p.particulars.stated for p in parties):
            blocks.append(Para(self.tr("parties.intro")))
            for p in parties:
                blocks.extend(self.particulars(p))
        elif parties:
            blocks.append(self.lead(self.tr("ident.parties.intro")))
            blocks.append(
                Table(
                    (self.tr("col.party"), self.tr("col.identifier")),
                    tuple(
                        (plain(self.namer(p.label, f"party `{p.name}`")), code(p.name))
                        for p in parties
                    ),
                    "parties",
                )
            )
        return Section(2, number, self.tr("section.ident"), "s-ident", tuple(blocks), (), numbering)

    def particulars(self, p: Party) -> list[Block]:
        x = p.particulars
        label = self.namer(p.label, f"party `{p.name}`")
        head: Rich = (Seg(x.legal_name or label, "strong"),)
        rows: list[tuple[Rich, Rich]] = []
        if x.legal_form is not None:
            form = self.named(x.legal_form, f"legal form of party `{p.name}`")
            rows.append((self.tr("party.legal_form"), plain(form)))
        rows.append((self.tr("party.office"), self.text_or_unstated(x.office)))
        rows.append((self.tr("party.registration"), self.text_or_unstated(x.registration)))
        if x.representative:
            who: Rich = plain(x.representative)
            if x.capacity is not None:
                capacity = self.named(x.capacity, f"capacity of the representative of `{p.name}`")
                who = self.tr(
                    "party.representative.value", name=x.representative, capacity=capacity
                )
        else:
            who = self.unstated()
        rows.append((self.tr("party.representative"), who))
        rows.append(
            (
                self.tr("party.short"),
                self.r("party.short.value", label=self.c.quote(label), name=code(p.name)),
            )
        )
        return [self.lead(head), Fields(tuple(rows), "party")]

    # ----------------------------------------------------------- signatures

    def signatures(self) -> Section:
        h = self.a.header
        blank = self.t("signatures.blank")
        place = h.signed_place or blank
        date = self.c.date(h.signed_date) if h.signed_date else blank
        n = len(self.a.parties)
        if n > 1:
            intro = self.tr("signatures.intro", n, place=place, date=date)
        else:
            intro = self.tr("signatures.intro.one", place=place, date=date)
        signatories: list[Signatory] = []
        for p in self.a.parties:
            x = p.particulars
            name = x.legal_name or self.namer(p.label, f"party `{p.name}`")
            capacity: Rich = ()
            if x.capacity is not None:
                capacity = plain(
                    self.named(x.capacity, f"capacity of the representative of `{p.name}`")
                )
            signatories.append(
                Signatory(
                    self.tr("signatures.for", party=name),
                    plain(x.representative) if x.representative else (),
                    capacity,
                )
            )
        block = Signatures(
            tuple(signatories),
            (
                self.tr("signatures.name"),
                self.tr("signatures.capacity"),
                self.tr("signatures.signature"),
            ),
        )
        blocks: list[Block] = [self.lead(intro)]
        if signatories:
            blocks.append(block)
        return Section(
            2, "", self.tr("section.signatures"), "s-signatures", tuple(blocks), (), "none"
        )

    # ----------------------------------------------------------- measures

    def type_name(self, type_: str) -> str:
        return self.t(f"type.{type_}")

    def unit(self, type_: str, attrs: Attrs, owner: str = "") -> Rich:
        unit = extra.attr_text(self, attrs, "unit", owner)
        if unit:
            return plain(unit)
        if type_ == "money":
            return plain(self.a.header.currency)
        if type_ == "percent":
            return self.tr("unit.percent")
        return plain(DASH)

    def frequency(self, value: str | None, default: str | None) -> Rich:
        if value:
            return self.tr(f"cadence.{value}")
        if default:
            return self.tr(f"cadence.{default}")
        return self.unstated()

    def measure_blocks(self, measures: Sequence[Measure], lead: Rich | None = None) -> list[Block]:
        rows = [self.measure_row(m) for m in measures]
        blocks: list[Block] = [
            self.lead(lead if lead is not None else self.tr("measures.intro")),
            Table(
                (
                    self.tr("col.measure"),
                    self.tr("col.identifier"),
                    self.tr("col.type"),
                    self.tr("col.unit"),
                    self.tr("col.owner"),
                    self.tr("col.source"),
                    self.tr("col.frequency"),
                ),
                tuple(rows),
                "measures",
            ),
        ]
        described = [m for m in measures if m.attrs.description or m.attrs.target]
        if described:
            items: list[Item] = []
            for m in described:
                sub: list[Rich] = []
                description = extra.attr_text(self, m.attrs, "description", f"measure `{m.name}`")
                if description:
                    sub.append(plain(description))
                if m.attrs.target is not None:
                    sub.append(self.r("attr.target.line", value=self.p.words(m.attrs.target)))
                items.append(Item(self.c.quote(self.label_m(m)), tuple(sub)))
            blocks.append(Items(tuple(items), role="measure-notes"))
        blocks.extend(extra.measure_notes(self, measures))
        return blocks

    def label_m(self, m: Measure) -> str:
        return self.namer(m.label, f"measure `{m.name}`")

    def measure_row(self, m: Measure) -> tuple[Rich, ...]:
        return (
            plain(self.label_m(m)),
            code(m.name),
            self.tr(f"type.{m.type}"),
            self.unit(m.type, m.attrs, f"measure `{m.name}`"),
            self.party_or_unstated(m.attrs.owner),
            self.text_or_unstated(extra.attr_text(self, m.attrs, "source", f"measure `{m.name}`")),
            self.frequency(m.attrs.frequency, m.cadence),
        )

    # --------------------------------------------------------------- lets

    def let_table(self, lets: Sequence[Let]) -> Table:
        rows: list[tuple[Rich, ...]] = []
        for let in lets:
            label = (
                plain(self.namer(let.label, f"value `{let.name}`"))
                if let.label.primary
                else plain(DASH)
            )
            rows.append((code(let.name), label, self.let_value(let.value)))
        return Table(
            (self.tr("col.identifier"), self.tr("col.label"), self.tr("col.value")),
            tuple(rows),
            "lets",
        )

    def let_value(self, value: ast.Expr | ast.Schedule) -> Rich:
        if isinstance(value, ast.Schedule):
            parts = [
                self.r(
                    "lets.schedule.entry",
                    value=self.p.words(entry.value),
                    start=self.c.month(entry.start.value),
                )
                for entry in value.entries
            ]
            first = value.entries[0].start.value if value.entries else None
            head = self.lines(parts)
            if first is not None:
                head = concat(head, BR, self.tr("lets.schedule.before", start=self.c.month(first)))
            return head
        if literal_value(value):
            return self.p.words(value)
        return concat(self.c.capitalize(self.p.words(value)), BR, code(formula(value)))

    # --------------------------------------------------------------- KPIs

    def kpi(self, k: Kpi) -> list[Block]:
        blocks: list[Block] = [
            self.lead(
                concat(self.r("kpi.definition", x=self.p.words(k.expr)), self.t("punct.stop"))
            ),
            Formula(f"{k.name} = {formula(k.expr)}"),
        ]
        attrs = k.attrs
        target = (
            self.p.words(attrs.target) if attrs.target is not None else self.tr("kpi.no_target")
        )
        rows: list[tuple[Rich, Rich]] = [
            (self.tr("col.identifier"), code(k.name)),
            (self.tr("col.type"), self.tr(f"type.{k.type}")),
        ]
        owner = f"KPI `{k.name}`"
        if attrs.unit:
            rows.append((self.tr("col.unit"), self.unit(k.type, attrs, owner)))
        rows += [
            (self.tr("col.target"), target),
            (self.tr("col.kpi_owner"), self.party_or_unstated(attrs.owner)),
            (self.tr("col.source"), self.text_or_unstated(extra.attr_text(self, attrs, "source", owner))),
            (self.tr("col.frequency"), self.frequency(attrs.frequency, None)),
        ]
        description = extra.attr_text(self, attrs, "description", owner)
        if description:
            rows.append((self.tr("col.description"), plain(description)))
        blocks.append(Fields(tuple(rows), "kpi"))
        return blocks

    # --------------------------------------------------------- thresholds

    def threshold_general(self) -> list[Block]:
        """The reading rules that hold for every threshold, stated once."""
        ts = self.a.thresholds
        if not ts:
            return []
        items = [Item(self.tr("thresholds.nodata"))]
        if any(t.cadence != "monthly" for t in ts):
            items.append(Item(self.tr("thresholds.between")))
        if any(r.persistence is not None and r.persistence.count > 1 for t in ts for r in t.rules):
            items.append(Item(self.tr("thresholds.persistence")))
        return [
            Para(self.tr("thresholds.general"), role="small lead"),
            Items(tuple(items), role="small"),
        ]

    def cadence_sentence(self, t: Threshold) -> Rich:
        if t.cadence == "quarterly":
            months = [self.c.locale.months["format"]["wide"][m] for m in (3, 6, 9, 12)]
            return self.tr(
                "checked.quarterly", months=text_of(self.c.join([plain(x) for x in months]))
            )
        if t.cadence == "yearly":
            return self.tr("checked.yearly", month=self.c.locale.months["format"]["wide"][12])
        return self.tr("checked.monthly")

    def status(self, status: str) -> Rich:
        word = self.t(f"status.{status}")
        if word.casefold() == status.casefold():
            return (Seg(word, "strong"),)
        return concat((Seg(word, "strong"),), " (", code(status), ")")

    def condition(self, rule: Rule, t: Threshold) -> Rich:
        assert rule.cond is not None
        cond = self.p.words(rule.cond)
        per = rule.persistence
        if per is None or per.count <= 1:
            return self.c.capitalize(cond)
        cadence_unit = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}[t.cadence]
        if per.unit == cadence_unit:
            key = f"persistence.{per.unit}"
        else:
            key = "persistence.checks"
        return self.c.capitalize(self.r(key, per.count, cond=cond))

    def action(self, a: ast.Action) -> Rich:
        p = self.p
        if isinstance(a, ast.PayAction):
            text = self.r(
                "action.pay",
                payer=p.party(a.payer.name),
                payee=p.party(a.payee.name),
                amount=p.amount(a.amount),
            )
            if a.label is not None:
                label = extra.text(self, a.label.value, a.translations, "a payment label")
                text = concat(text, self.r("action.pay.label", label=self.c.quote(label)))
        elif isinstance(a, ast.EscalateAction):
            text = self.r(
                "action.escalate", ladder=p.ref(a.ladder.name), see=self.see(a.ladder.name)
            )
        elif isinstance(a, ast.NotifyAction):
            text = self.r("action.notify", parties=p.parties([x.name for x in a.parties]))
        elif isinstance(a, ast.FreeAction):
            words = extra.text(self, a.text.value, a.translations, "the text of an action")
            text = self.r("action.free", text=self.c.quote(words))
        else:
            text = extra.action(self, a)
        text = self.c.capitalize(text)
        if a.once:
            text = concat(text, self.tr("action.once"))
        return text

    def consequences(self, actions: tuple[ast.Action, ...]) -> Rich:
        if not actions:
            return (Seg(self.t("action.none"), "em"),)
        return self.lines([self.action(a) for a in actions])

    def threshold(self, t: Threshold) -> list[Block]:
        rows: list[tuple[Rich, ...]] = []
        for rule in t.rules:
            rows.append(
                (
                    plain(self.c.number(rule.index)),
                    self.condition(rule, t),
                    self.status(rule.status),
                    self.consequences(rule.actions),
                )
            )
        # the `otherwise` line is rule 0 in `pact eval` JSON: it is named, not numbered
        other = t.otherwise
        rows.append(
            (
                self.tr("thresholds.otherwise.rule"),
                (
                    Seg(
                        self.t(
                            "thresholds.otherwise"
                            if other is not None
                            else "thresholds.otherwise.default"
                        ),
                        "em",
                    ),
                ),
                self.status(other.status if other is not None else "ok"),
                self.consequences(other.actions if other is not None else ()),
            )
        )
        label = self.namer(t.label, f"threshold `{t.name}`")
        blocks: list[Block] = [
            self.lead(concat(self.cadence_sentence(t), " ", self.tr("thresholds.order"))),
            Table(
                (
                    self.tr("col.rule"),
                    self.tr("col.condition"),
                    self.tr("col.status"),
                    self.tr("col.consequences"),
                ),
                tuple(rows),
                "rules",
            ),
        ]
        if self.notes:
            for n in t.unreachable:
                blocks.append(
                    Note(
                        self.sentence(
                            self.r(
                                "notes.rule_unreachable",
                                n=self.c.number(n),
                                t=self.c.quote(label),
                            )
                        ),
                        "warning",
                        self.tr("notes.rule.title"),
                    )
                )
            if t.otherwise_dead:
                blocks.append(
                    Note(
                        self.sentence(self.r("notes.otherwise_dead", t=self.c.quote(label))),
                        "info",
                    )
                )
        return blocks

    # --------------------------------------------------------- committees

    def rule_words(self, c: CommitteeView, rule: VotingRule, short: bool = False) -> Rich:
        if rule.kind in ("majority", "unanimity"):
            return self.tr(f"vote.{'short.' if short else ''}{rule.kind}")
        text = rule.fraction_text
        if text.endswith("%"):
            share = self.c.percent(Decimal(text[:-1].replace("_", "")).scaleb(-2))
        else:
            share = text
        key = "vote.more_than" if rule.strict else "vote.at_least"
        return self.r(key, share=share, base=self.tr(f"vote.base.{rule.base}"))

    def committee(self, c: CommitteeView) -> list[Block]:
        blocks: list[Block] = []
        facts: list[tuple[Rich, Rich]] = []
        q = c.quorum
        if q is None:
            quorum = self.tr("quorum.none")
        elif q.kind == "members":
            quorum = self.tr("quorum.members", q.count)
        else:
            pct = self.c.ratio(q.fraction)
            quorum = self.tr("quorum.weight", share=pct)
        facts.append((self.tr("committee.quorum"), quorum))
        facts.append(
            (
                self.tr("committee.meets"),
                self.tr(f"meets.{c.meets}") if c.meets else self.unstated(),
            )
        )
        if c.consensus_rounds:
            n = c.consensus_rounds
            key = "consensus.rule.two" if n == 2 else "consensus.rule"
            facts.append(
                (
                    self.tr("committee.consensus"),
                    self.tr(key, n, next=self.c.number(n + 1)),
                )
            )
        facts.extend(extra.chair(self, c))
        member_rows = tuple(
            (
                self.party_cell(m.party),
                plain(self.c.fraction(m.weight)),
                plain(self.c.ratio(m.share)),
            )
            for m in c.members
        )
        blocks.append(self.lead(self.tr("committee.members.intro")))
        blocks.append(
            Table(
                (self.tr("col.member"), self.tr("col.weight"), self.tr("col.share")),
                member_rows,
                "members",
            )
        )
        blocks.append(self.lead(self.tr("committee.facts.intro")))
        blocks.append(Fields(tuple(facts), "committee"))
        if self.notes and not c.quorum_reachable:
            blocks.append(Note(self.tr("committee.quorum_unreachable"), "warning"))
        rows: list[tuple[Rich, ...]] = []
        for d in c.decisions:
            dl = self.namer(d.label, f"decision `{c.name}.{d.name}`")
            vetoes = (
                self.c.join([self.party_cell(v) for v in d.vetoes]) if d.vetoes else plain(DASH)
            )
            rows.append(
                (plain(dl), code(d.name), self.c.capitalize(self.rule_words(c, d.rule)), vetoes)
            )
        blocks.append(self.lead(self.tr("committee.decisions.intro")))
        blocks.append(
            Table(
                (
                    self.tr("col.decision"),
                    self.tr("col.identifier"),
                    self.tr("col.rule"),
                    self.tr("col.veto"),
                ),
                tuple(rows),
                "decisions",
            )
        )
        blocks.extend(extra.deadlocks(self, c))
        blocks.append(Para(self.tr("vote.vetoes.explained"), role="small"))
        if self.notes:
            blocks.extend(self.power(c))
        return blocks

    def power(self, c: CommitteeView) -> list[Block]:
        """Voting power and its call-outs: the negotiator's notes."""
        blocks: list[Block] = [self.lead(self.tr("power.intro"))]
        prow: list[tuple[Rich, ...]] = []
        for d in c.decisions:
            dl = self.namer(d.label, f"decision `{c.name}.{d.name}`")
            if d.power is None:
                continue
            for i, m in enumerate(d.power.members):
                if m.declared_veto:
                    veto = self.tr("power.veto.declared")
                elif m.effective_veto:
                    veto = (Seg(self.t("power.veto.implied"), "strong"),)
                else:
                    veto = plain(DASH)
                prow.append(
                    (
                        plain(dl) if i == 0 else (),
                        self.party_cell(m.name),
                        plain(self.c.ratio(m.banzhaf)) if d.power.passable else plain(DASH),
                        plain(self.c.ratio(m.shapley)) if d.power.passable else plain(DASH),
                        veto,
                    )
                )
        blocks.append(
            Table(
                (
                    self.tr("col.decision"),
                    self.tr("col.member"),
                    self.tr("col.banzhaf"),
                    self.tr("col.shapley"),
                    self.tr("col.effective_veto"),
                ),
                tuple(prow),
                "power",
            )
        )
        blocks.extend(self.power_notes(c))
        return blocks

    def power_notes(self, c: CommitteeView) -> list[Block]:
        p = self.p
        notes: list[Block] = []
        total = c.total_weight
        for d in c.decisions:
            dec = self.c.quote(self.namer(d.label, f"decision `{c.name}.{d.name}`"))
            power = d.power
            rule = self.rule_words(c, d.rule, short=True)
            if power is None:
                kinds = len({m.weight for m in c.members})
                notes.append(
                    Note(
                        self.sentence(
                            self.r(
                                "power.not_computed",
                                d=dec,
                                n=self.c.number(len(c.members)),
                                k=self.c.number(kinds),
                            )
                        ),
                        "info",
                    )
                )
                continue
            if not power.passable:
                key = "power.unpassable.quorum" if not c.quorum_reachable else "power.unpassable"
                notes.append(Note(self.sentence(self.r(key, d=dec, rule=rule)), "warning"))
                continue
            for m in power.members:
                if m.dictator or m.passes_alone:
                    key = "power.dictator" if m.dictator else "power.alone"
                    notes.append(
                        Note(
                            self.sentence(self.r(key, p=p.party(m.name), d=dec)),
                            "warning",
                            self.tr("power.alone.title"),
                        )
                    )
            if d.rule.kind != "unanimity":
                for m in power.members:
                    if m.effective_veto and not m.declared_veto and not m.dictator:
                        rest = total - m.weight
                        notes.append(
                            Note(
                                self.sentence(
                                    self.r(
                                        "power.implied_veto",
                                        p=p.party(m.name),
                                        d=dec,
                                        rest=self.c.fraction(rest),
                                        total=self.c.fraction(total),
                                        rule=rule,
                                    )
                                ),
                                "warning",
                                self.tr("power.implied_veto.title"),
                            )
                        )
            for v in power.redundant_vetoes:
                key = (
                    "power.redundant.unanimity" if d.rule.kind == "unanimity" else "power.redundant"
                )
                notes.append(Note(self.sentence(self.r(key, p=p.party(v), d=dec)), "info"))
            for name in power.dummies:
                notes.append(
                    Note(self.sentence(self.r("power.dummy", p=p.party(name), d=dec)), "info")
                )
        return notes

    # ------------------------------------------------------------ disputes

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

    def ladder(self, lv: LadderView) -> list[Block]:
        items: list[Item] = []
        for s in lv.steps:
            sl = self.namer(s.label, f"step `{lv.name}.{s.name}`")
            if s.final or s.within is None:
                head = self.r("step.final", step=self.c.quote(sl))
            else:
                start = self.tr("step.start.first" if s.index == 1 else "step.start.next")
                head = self.r(
                    "step.within",
                    step=self.c.quote(sl),
                    duration=self.p.duration(s.within.amount, s.within.unit),
                    start=start,
                )
            sub: list[Rich] = []
            if s.within is not None:
                sub.append(
                    self.c.capitalize(self.tr(f"step.rule.{s.within.unit}", s.within.amount))
                )
            for key, value in s.attributes:
                shown = extra.attr_value(self, s, f"{lv.name}.{s.name}", key, value)
                sub.append(self.r("attr.line", key=self.attr_key(key), value=shown))
            items.append(Item(concat(self.c.capitalize(head), self.t("punct.stop")), tuple(sub)))
        return [
            Items(tuple(items), ordered=True, role="ladder"),
            Para(self.tr("ladder.events"), role="small"),
        ]

    def holiday_years(self) -> list[int]:
        """The years of the term (all of them from `effective` to `until`; without
        `until`, the first year only: a table for later years would be a guess of
        how long the contract runs)."""
        h = self.a.header
        if h.effective is None:
            return []
        last = h.until.year if h.until is not None else h.effective.year
        return list(range(h.effective.year, last + 1))

    def time_limits(self, level: int, number: str, numbering: Numbering) -> Section:
        h = self.a.header
        blocks: list[Block] = []
        if h.calendar:
            country = self.c.country_name(h.calendar)
            blocks.append(Para(self.tr("calendar.country", country=country, code=h.calendar)))
            years = self.holiday_years()
            cal = BusinessCalendar(h.calendar, self.lang)
            for i in range(0, len(years), HOLIDAY_YEARS_PER_TABLE):
                chunk = years[i : i + HOLIDAY_YEARS_PER_TABLE]
                table = self.holiday_table(cal, chunk)
                if table is None:
                    continue
                if h.until is None:
                    intro = self.tr("calendar.holidays.open", year=str(chunk[0]))
                elif len(years) == 1:
                    intro = self.tr("calendar.holidays", year=str(chunk[0]))
                elif i == 0:
                    intro = self.tr(
                        "calendar.holidays.range", first=str(chunk[0]), last=str(chunk[-1])
                    )
                else:
                    intro = self.tr(
                        "calendar.holidays.part", first=str(chunk[0]), last=str(chunk[-1])
                    )
                blocks.append(self.lead(intro))
                blocks.append(table)
        else:
            blocks.append(Para(self.tr("calendar.none")))
        blocks.append(Para(self.tr("calendar.rules")))
        return Section(
            level,
            number,
            self.tr("section.time_limits"),
            "time-limits",
            tuple(blocks),
            (),
            numbering,
        )

    def holiday_table(self, cal: BusinessCalendar, years: list[int]) -> Table | None:
        """Holidays as rows, years as columns (the names repeat from year to year;
        a holiday a year does not have shows a dash)."""
        by_name: dict[str, dict[int, list[datetime.date]]] = {}
        for year in years:
            for d, name in sorted(cal.holidays_in(year).items()):
                by_name.setdefault(name, {}).setdefault(year, []).append(d)
        if not by_name:
            return None
        if len(years) == 1:
            year = years[0]
            rows = tuple(
                (plain(self.c.date(d)), plain(name))
                for name, dates in by_name.items()
                for d in dates.get(year, [])
            )
            return Table((self.tr("col.date"), self.tr("col.holiday")), rows, "holidays")
        # in calendar order of their first date (Easter moves, names stay)
        ordered = sorted(
            by_name.items(),
            key=lambda kv: min((d.month, d.day) for ds in kv[1].values() for d in ds),
        )
        rows_y: list[tuple[Rich, ...]] = []
        for name, dates in ordered:
            cells: list[Rich] = [plain(name)]
            for year in years:
                ds = dates.get(year)
                cells.append(self.lines([plain(self.c.day(d)) for d in ds]) if ds else plain(DASH))
            rows_y.append(tuple(cells))
        header = (self.tr("col.holiday"), *(plain(str(y)) for y in years))
        return Table(header, tuple(rows_y), "holidays-years")

    # ---------------------------------------------------------- waterfalls

    def waterfall(self, w: WaterfallView) -> list[Block]:
        p = self.p
        blocks: list[Block] = []
        if w.distributes is not None:
            blocks.append(Para(self.sentence(self.r("waterfall.intro", x=p.words(w.distributes)))))
        items: list[Item] = []
        for tier in w.tiers:
            key = f"{w.name}.{tier.name}" if tier.name else f"{w.name}#{tier.index}"
            tl = self.namer(tier.label, f"tier `{key}`") if tier.label.primary else ""
            head = self.tr("tier.title", n=self.c.number(tier.index))
            if tl:
                head = concat(head, self.t("tier.title.sep"), self.c.quote(tl))
            if tier.name:
                head = concat(head, " (", code(tier.name), ")")
            sub: list[Rich] = []
            if tier.kind == "capped":
                for party, cap in tier.pays:
                    sub.append(self.r("tier.pay", p=p.party(party), cap=p.amount(cap)))
                if len(tier.pays) > 1:
                    if tier.mode == "in_order":
                        sub.append(
                            self.r(
                                "tier.in_order", parties=self.order_list([x for x, _ in tier.pays])
                            )
                        )
                    else:
                        sub.append(self.tr("tier.pro_rata"))
                sub.append(self.tr("tier.caps.lifetime"))
            else:
                for party, share in tier.splits:
                    sub.append(self.r("tier.split", p=p.party(party), share=self.c.ratio(share)))
                if tier.cap is not None:
                    sub.append(self.r("tier.split.cap", cap=p.amount(tier.cap)))
                else:
                    sub.append(self.tr("tier.split.all"))
            if not tier.reachable and self.notes:
                sub.append(
                    (Seg(self.t("tier.unreachable", n=self.c.number(w.absorber or 0)), "strong"),)
                )
            items.append(Item(head, tuple(sub)))
        blocks.append(Items(tuple(items), ordered=False, role="tiers"))
        if w.absorber is not None:
            blocks.append(Para(self.tr("waterfall.no_remainder", n=self.c.number(w.absorber))))
        elif self.notes:
            blocks.append(
                Note(self.tr("waterfall.retained"), "warning", self.tr("waterfall.retained.title"))
            )
        else:
            blocks.append(Para(self.tr("waterfall.retained")))
        digits = minor_digits(self.a.header.currency)
        unit = self.c.money(Decimal(1).scaleb(-digits), self.a.header.currency)
        blocks.append(Para(self.tr("waterfall.rounding", unit=unit), role="small"))
        return blocks

    def order_list(self, parties: list[str]) -> Rich:
        out: Rich = ()
        for i, party in enumerate(parties):
            out = (
                self.p.party(party) if i == 0 else self.r("tier.then", a=out, b=self.p.party(party))
            )
        return out

    # --------------------------------------------------------- conventions

    def conventions(self, *, with_thresholds: bool) -> list[Block]:
        keys = ["rules.monthly", "rules.missing", "rules.windows", "rules.exact", "rules.labels"]
        items = [Item(self.tr(k)) for k in keys] + extra.contribution_rules(self)
        blocks: list[Block] = [Items(tuple(items), role="rules")]
        if with_thresholds:
            blocks.extend(self.threshold_general())
        return blocks
