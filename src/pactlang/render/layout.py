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

The layout is one class built in layers: :mod:`pactlang.render.layout_base`
(the catalogue, labels, cross-references), :mod:`pactlang.render.layout_constructs`
(measures, values, KPIs, thresholds), :mod:`pactlang.render.layout_governance`
(committees, disputes, waterfalls), and this module (the document, its
sections and clauses, identification, signatures, conventions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pactlang.render import layout_extra as extra
from pactlang.render import typography
from pactlang.render.doc import (
    Block,
    Document,
    Fields,
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
from pactlang.render.layout_base import Place
from pactlang.render.layout_governance import GovernanceLayout
from pactlang.render.model import (
    Annex,
    Clause,
    Paragraph,
    Party,
)
from pactlang.sema.clauses import Target
from pactlang.syntax import ast

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
class _Construct:
    kind: str  # KPI, threshold, committee, escalation, contribution, waterfall
    name: str
    label: str
    obj: object


class _Layout(GovernanceLayout):
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
                self.places[items[0].name] = Place(f"s-{key}", numbers[key], "auto", title)
                continue
            for i, c in enumerate(items, start=1):
                self.places[c.name] = Place(
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
            self.places[cl.name] = Place(
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
                    self.places[c.name] = Place("s-other", "", "none", other_title)
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

    # --------------------------------------------------------- conventions

    def conventions(self, *, with_thresholds: bool) -> list[Block]:
        keys = ["rules.monthly", "rules.missing", "rules.windows", "rules.exact", "rules.labels"]
        items = [Item(self.tr(k)) for k in keys] + extra.contribution_rules(self)
        blocks: list[Block] = [Items(tuple(items), role="rules")]
        if with_thresholds:
            blocks.extend(self.threshold_general())
        return blocks
