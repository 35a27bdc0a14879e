"""The redlined annex: the new version's annex with what changed from the old one marked.

Both versions' annexes are built in one language as localized documents
(:func:`pactlang.render.document`), the document every annex format draws;
each is flattened into *units* — headings, paragraphs, list items, formulas,
table rows — and the two sequences are aligned with :mod:`difflib`.  A unit
that only one version has is inserted or deleted whole; a replaced unit is
compared word by word (cell by cell in a table row), so a changed threshold
reads ``… below <del>8</del><ins>5</ins> % …``.

* **HTML** (self-contained, autoescaped): ``<ins>`` and ``<del>`` with their
  own colours (underlined green, struck-through red), the changes in meaning
  and, with data, the months that change, above the annex.
* **DOCX**: real revision marks — runs inside ``w:ins`` and ``w:del``
  (deleted text in ``w:delText``), inserted and deleted paragraphs and table
  rows marked as such — so Word and LibreOffice show tracked changes that a
  reader can accept or reject one by one.  The author of every revision is
  ``pact diff``; its date is the new version's effective date (no clock: the
  same versions give the same bytes).
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2

from pactlang.render import LANGUAGES, Rendered, RenderError, document
from pactlang.render.doc import (
    Block,
    Document,
    Fields,
    Formula,
    Items,
    Note,
    Para,
    Section,
    Signatures,
    Table,
    text_of,
)
from pactlang.sema.model import CheckedContract

if TYPE_CHECKING:
    from pactlang.compare import ContractDiff

__all__ = ["Op", "Unit", "align", "redline_annex", "units", "word_ops"]

#: One piece of a redlined text: ``equal``, ``insert`` or ``delete`` and its text.
Op = tuple[str, str]

WORDS = {
    "en": {
        "title": "Redlined annex",
        "from": "Changes from",
        "to": "to",
        "meaning": "Changes in meaning",
        "months": "Changes month by month",
        "totals": "Totals over the evaluation",
        "none": "No change in meaning.",
        "legend": "Inserted text is underlined in green, deleted text struck through in red.",
        "legend_docx": "Changes are tracked revisions: review, accept or reject each one.",
        "annex": "The annex, redlined",
        "amends": "This version amends {target} from {month}: the amended version applies before that month.",
    },
    "fr": {
        "title": "Annexe en version comparée",
        "from": "Modifications de",
        "to": "à",
        "meaning": "Modifications de fond",
        "months": "Effets mois par mois",
        "totals": "Totaux sur la période évaluée",
        "none": "Aucune modification de fond.",
        "legend": "Le texte ajouté est souligné en vert, le texte supprimé barré en rouge.",
        "legend_docx": "Les modifications sont des révisions suivies : chacune peut être revue, acceptée ou refusée.",
        "annex": "L’annexe, modifications apparentes",
        "amends": "La présente version modifie {target} à compter de {month} : la version modifiée s’applique avant ce mois.",
    },
}


@dataclass(frozen=True, slots=True)
class Unit:
    """One comparable piece of a document.  ``kind``: ``h2``, ``h3``, ``h4``
    (headings), ``p``, ``note``, ``li``, ``formula``, ``head`` (a table's
    header row), ``row`` (a table row); ``cells`` holds the text (one cell for
    everything but rows); ``table`` tells rows of different tables apart."""

    kind: str
    cells: tuple[str, ...]
    table: str = ""

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.kind, self.cells)


def units(doc: Document) -> list[Unit]:
    """The document flattened in reading order."""
    out: list[Unit] = [Unit("h1", (text_of(doc.title),))]
    if doc.subtitle:
        out.append(Unit("p", (text_of(doc.subtitle),)))
    out.extend(_blocks(doc.intro, "intro"))
    for section in doc.sections:
        out.extend(_section(section))
    return out


def _section(s: Section) -> Iterator[Unit]:
    number = s.shown_number
    title = text_of(s.title)
    level = min(max(s.level, 2), 4)
    yield Unit(f"h{level}", (f"{number} {title}".strip(),))
    yield from _blocks(s.blocks, s.anchor)
    for child in s.children:
        yield from _section(child)


def _blocks(blocks: tuple[Block, ...], anchor: str) -> Iterator[Unit]:
    for k, b in enumerate(blocks):
        table = f"{anchor}-{k}"
        if isinstance(b, Para):
            yield Unit("p", (text_of(b.text),))
        elif isinstance(b, Note):
            title = text_of(b.title)
            yield Unit("note", ((title + " — " if title else "") + text_of(b.text),))
        elif isinstance(b, Formula):
            yield Unit("formula", (b.text,))
        elif isinstance(b, Items):
            for item in b.items:
                yield Unit("li", (text_of(item.text),))
                for sub in item.sub:
                    yield Unit("li2", (text_of(sub),))
        elif isinstance(b, Table):
            if b.caption:
                yield Unit("p", (text_of(b.caption),))
            yield Unit("head", tuple(text_of(h) for h in b.header), table)
            for row in b.rows:
                yield Unit("row", tuple(text_of(c) for c in row), table)
        elif isinstance(b, Fields):
            for k_, v in b.rows:
                yield Unit("row", (text_of(k_), text_of(v)), table)
        elif isinstance(b, Signatures):
            for sig in b.signatories:
                yield Unit("p", (" — ".join(x for x in (text_of(sig.party), text_of(sig.name), text_of(sig.capacity)) if x),))


# ------------------------------------------------------------------ aligning


@dataclass(frozen=True, slots=True)
class Piece:
    """An aligned unit: ``equal``, ``insert``, ``delete`` or ``replace``
    (then ``cells`` holds the word operations of each cell)."""

    op: str
    unit: Unit  # the new version's unit (the old one's for a deletion)
    cells: tuple[tuple[Op, ...], ...]


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_ops(old: str, new: str) -> tuple[Op, ...]:
    """``new`` against ``old`` word by word: runs of equal, deleted and inserted text."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Op] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            push("equal", "".join(a[i1:i2]))
        else:
            push("delete", "".join(a[i1:i2]))
            push("insert", "".join(b[j1:j2]))
    return tuple(out)


def align(old: list[Unit], new: list[Unit]) -> list[Piece]:
    """The two documents' units aligned: equal runs, and what was inserted,
    deleted or rewritten (a rewritten unit has the same kind and shape)."""
    out: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, [u.key for u in old], [u.key for u in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(Piece("equal", u, tuple((("equal", c),) for c in u.cells)) for u in new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        # pair what can be compared word by word, in order; the rest is whole
        i = j = 0
        while i < len(olds) or j < len(news):
            if i < len(olds) and j < len(news) and _comparable(olds[i], news[j]):
                u, v = olds[i], news[j]
                out.append(Piece("replace", v, tuple(word_ops(x, y) for x, y in zip(u.cells, v.cells, strict=True))))
                i += 1
                j += 1
            elif i < len(olds) and (j >= len(news) or not any(_comparable(olds[i], n) for n in news[j:])):
                u = olds[i]
                out.append(Piece("delete", u, tuple((("delete", c),) for c in u.cells)))
                i += 1
            else:
                v = news[j]
                out.append(Piece("insert", v, tuple((("insert", c),) for c in v.cells)))
                j += 1
    return out


def _comparable(u: Unit, v: Unit) -> bool:
    if u.kind != v.kind or len(u.cells) != len(v.cells):
        return False
    # rewritten, not replaced: at least a third of the words are kept
    a = " ".join(u.cells).split()
    b = " ".join(v.cells).split()
    if not a or not b:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 1 / 3


# ------------------------------------------------------------------- backends


def redline_annex(
    old: CheckedContract, new: CheckedContract, changes: ContractDiff, *, lang: str | None = None, fmt: str = "html"
) -> Rendered:
    """The redlined annex in ``html`` or ``docx`` (warnings: missing translations)."""
    language = lang or new.language
    if language not in LANGUAGES:
        raise RenderError(f"cannot render in {language!r}: annexes are rendered in en or fr")
    warnings: list[str] = []
    doc_old = document(old, language, lambda m: None)
    doc_new = document(new, language, warnings.append)
    pieces = align(units(doc_old), units(doc_new))
    if fmt == "html":
        data = _html(doc_new, pieces, changes, new, language).encode("utf-8")
    elif fmt == "docx":
        data = _docx(doc_new, pieces, changes, new, language)
    else:
        raise RenderError(f"a redlined annex is html or docx, not {fmt!r}")
    return Rendered(data, language, "html" if fmt == "html" else "docx", tuple(warnings))  # type: ignore[arg-type]


def _intro(changes: ContractDiff, new: CheckedContract, lang: str) -> dict[str, Any]:
    w = WORDS[lang]
    amends = None
    if new.amends is not None:
        amends = w["amends"].format(target=new.amends.target.value, month=new.amends.start.value)
    return {
        "w": w,
        "old": changes.old.name,
        "new": changes.new.name,
        "changes": [c.text for c in changes.changes],
        "months": None if changes.months is None else [m.text for m in changes.months if m.period is not None],
        "totals": [f"{m.subject}: {m.old} → {m.new}" for m in changes.months or () if m.period is None],
        "data": changes.data,
        "amends": amends,
    }


_HTML = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(
    """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ w.title }} — {{ title }}</title>
<style>
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; } h3 { font-size: 1.1rem; } h4 { font-size: 1rem; }
ins { color: #0b6b2c; background: #e3f6e8; text-decoration: underline; text-decoration-thickness: 2px; }
del { color: #a4161a; background: #fde4e4; text-decoration: line-through; }
.whole-ins { border-left: 4px solid #0b6b2c; padding-left: .5rem; }
.whole-del { border-left: 4px solid #a4161a; padding-left: .5rem; }
.changed { border-left: 4px solid #c28f00; padding-left: .5rem; }
.summary { border: 1px solid #bbb; background: #f7f7f7; padding: .5rem 1rem; margin-bottom: 2rem; }
.summary li { font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; }
.legend { font-size: .9rem; color: #444; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
tr.whole-ins td { background: #e3f6e8; } tr.whole-del td { background: #fde4e4; }
pre { background: #f4f4f4; padding: .4rem .6rem; white-space: pre-wrap; }
.note { border: 1px solid #d9c27a; background: #fffbea; padding: .4rem .6rem; }
li.sub { margin-left: 1.5rem; list-style: circle; }
</style>
</head>
<body>
<h1>{{ w.title }}</h1>
<p class="legend">{{ w.from }} <strong>{{ old }}</strong> {{ w.to }} <strong>{{ new }}</strong>. {{ w.legend }}</p>
{% if amends %}<p class="legend">{{ amends }}</p>{% endif %}
<section class="summary">
<h2>{{ w.meaning }}</h2>
{% if changes %}<ul>{% for c in changes %}<li>{{ c }}</li>{% endfor %}</ul>{% else %}<p>{{ w.none }}</p>{% endif %}
{% if months is not none %}<h2>{{ w.months }} ({{ data }})</h2>
<ul>{% for m in months %}<li>{{ m }}</li>{% endfor %}</ul>
{% if totals %}<h3>{{ w.totals }}</h3><ul>{% for m in totals %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}{% endif %}
</section>
<h2>{{ w.annex }}</h2>
{{ body }}
</body>
</html>
"""
)


def _ops_html(ops: tuple[Op, ...]) -> Any:
    from markupsafe import Markup, escape

    parts = []
    for op, text in ops:
        if op == "insert":
            parts.append(Markup("<ins>") + escape(text) + Markup("</ins>"))
        elif op == "delete":
            parts.append(Markup("<del>") + escape(text) + Markup("</del>"))
        else:
            parts.append(escape(text))
    return Markup("").join(parts)


def _html(doc: Document, pieces: list[Piece], changes: ContractDiff, new: CheckedContract, lang: str) -> str:
    from markupsafe import Markup

    body: list[Any] = []
    table: str | None = None
    cls = {"insert": ' class="whole-ins"', "delete": ' class="whole-del"', "replace": ' class="changed"', "equal": ""}
    for piece in pieces:
        u = piece.unit
        if u.kind in ("head", "row"):
            if table != u.table:
                if table is not None:
                    body.append(Markup("</table>\n"))
                body.append(Markup("<table>\n"))
                table = u.table
            tag = "th" if u.kind == "head" else "td"
            cells = Markup("").join(Markup(f"<{tag}>") + _ops_html(c) + Markup(f"</{tag}>") for c in piece.cells)
            body.append(Markup(f"<tr{cls[piece.op]}>") + cells + Markup("</tr>\n"))
            continue
        if table is not None:
            body.append(Markup("</table>\n"))
            table = None
        inner = _ops_html(piece.cells[0])
        c = Markup(cls[piece.op])
        if u.kind in ("h1", "h2", "h3", "h4"):
            level = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4"}[u.kind]
            body.append(Markup(f"<{level}") + c + Markup(">") + inner + Markup(f"</{level}>\n"))
        elif u.kind == "formula":
            body.append(Markup("<pre") + c + Markup(">") + inner + Markup("</pre>\n"))
        elif u.kind in ("li", "li2"):
            sub = Markup(' class="sub"') if u.kind == "li2" else Markup("")
            body.append(Markup("<ul><li") + sub + Markup("><span") + c + Markup(">") + inner + Markup("</span></li></ul>\n"))
        elif u.kind == "note":
            body.append(Markup('<p class="note"><span') + c + Markup(">") + inner + Markup("</span></p>\n"))
        else:
            body.append(Markup("<p") + c + Markup(">") + inner + Markup("</p>\n"))
    if table is not None:
        body.append(Markup("</table>\n"))
    ctx = _intro(changes, new, lang)
    return _HTML.render(lang=lang, title=text_of(doc.title), body=Markup("").join(body), **ctx)


# ---------------------------------------------------------------------- DOCX


class _Revisions:
    """Revision marks: ids in order, one author, one pinned date."""

    def __init__(self, date: str) -> None:
        self.next = 1
        self.date = date

    def mark(self, tag: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        el = OxmlElement(tag)
        el.set(qn("w:id"), str(self.next))
        el.set(qn("w:author"), "pact diff")
        el.set(qn("w:date"), self.date)
        self.next += 1
        return el


def _docx_runs(paragraph: Any, ops: tuple[Op, ...], rev: _Revisions, *, bold: bool = False, mono: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for op, text in ops:
        r = OxmlElement("w:r")
        if bold or mono:
            rpr = OxmlElement("w:rPr")
            if mono:
                fonts = OxmlElement("w:rFonts")
                for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                    fonts.set(qn(attr), "DejaVu Sans Mono")
                rpr.append(fonts)
            if bold:
                rpr.append(OxmlElement("w:b"))
            r.append(rpr)
        t = OxmlElement("w:delText" if op == "delete" else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        if op == "equal":
            paragraph._p.append(r)
        else:
            wrap = rev.mark("w:ins" if op == "insert" else "w:del")
            wrap.append(r)
            paragraph._p.append(wrap)


def _mark_paragraph(paragraph: Any, op: str, rev: _Revisions) -> None:
    """An inserted or deleted paragraph: its paragraph mark is a revision too."""
    from docx.oxml import OxmlElement

    if op not in ("insert", "delete"):
        return
    ppr = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    rpr.append(rev.mark("w:ins" if op == "insert" else "w:del"))
    ppr.append(rpr)


def _docx(doc: Document, pieces: list[Piece], changes: ContractDiff, new: CheckedContract, lang: str) -> bytes:
    from docx import Document as Docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from pactlang.render.docx import _normalize_zip

    ctx = _intro(changes, new, lang)
    w = ctx["w"]
    date = doc.meta.date
    when = datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.UTC)
    rev = _Revisions(when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    d = Docx()
    d.styles["Normal"].font.name = "DejaVu Serif"
    d.styles["Normal"].font.size = Pt(10.5)
    cp = d.core_properties
    cp.title = f"{w['title']} — {text_of(doc.title)}"
    cp.subject = doc.meta.subject
    cp.author = "pact diff"
    cp.last_modified_by = "pact diff"
    cp.identifier = doc.meta.identifier
    cp.version = doc.meta.version
    cp.language = lang
    cp.keywords = doc.meta.keywords
    cp.comments = ""
    cp.revision = 1
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    d.add_heading(w["title"], level=0)
    d.add_paragraph(f"{w['from']} {ctx['old']} {w['to']} {ctx['new']}. {w['legend_docx']}")
    if ctx["amends"]:
        d.add_paragraph(ctx["amends"])
    d.add_heading(w["meaning"], level=1)
    if not ctx["changes"]:
        d.add_paragraph(w["none"])
    for line in ctx["changes"]:
        d.add_paragraph(line, style="List Bullet")
    if ctx["months"] is not None:
        d.add_heading(f"{w['months']} ({ctx['data']})", level=1)
        for line in ctx["months"]:
            d.add_paragraph(line, style="List Bullet")
        if ctx["totals"]:
            d.add_heading(w["totals"], level=2)
            for line in ctx["totals"]:
                d.add_paragraph(line, style="List Bullet")
    d.add_page_break()
    d.add_heading(w["annex"], level=1)
    table: Any = None
    table_id: str | None = None
    for piece in pieces:
        u = piece.unit
        if u.kind in ("head", "row"):
            if table is None or table_id != u.table or len(table.columns) != len(u.cells):
                table = d.add_table(rows=0, cols=len(u.cells))
                table.style = d.styles["Table Grid"]
                table_id = u.table
            row = table.add_row()
            if piece.op in ("insert", "delete"):
                trpr = row._tr.get_or_add_trPr()
                trpr.append(rev.mark("w:ins" if piece.op == "insert" else "w:del"))
            if u.kind == "head":
                trpr = row._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:tblHeader"))
            for cell, ops in zip(row.cells, piece.cells, strict=True):
                _docx_runs(cell.paragraphs[0], ops, rev, bold=u.kind == "head")
            continue
        table = None
        table_id = None
        if u.kind in ("h1", "h2", "h3", "h4"):
            level = {"h1": 1, "h2": 1, "h3": 2, "h4": 3}[u.kind]
            p = d.add_paragraph(style=f"Heading {level}")
        elif u.kind in ("li", "li2"):
            p = d.add_paragraph(style="List Bullet" if u.kind == "li" else "List Bullet 2")
        else:
            p = d.add_paragraph()
        if u.kind == "note":  # shading comes before the paragraph mark's properties
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:fill"), "FFFBEA")
            p._p.get_or_add_pPr().append(shd)
        _mark_paragraph(p, piece.op, rev)
        _docx_runs(p, piece.cells[0], rev, mono=u.kind == "formula")
    buf = io.BytesIO()
    d.save(buf)
    return _normalize_zip(buf.getvalue(), date)
