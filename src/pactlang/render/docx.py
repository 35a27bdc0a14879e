"""DOCX output through python-docx: real headings, tables and styles a lawyer can edit.

The document uses Word's built-in styles (``Title``, ``Heading 1``–``3``,
``Table Grid``, ``List Bullet``) plus its own: a character style ``Code`` for
identifiers and the paragraph styles ``Formula``, ``Table Text``, ``Annex
Warning`` and ``Annex Note`` (call-outs),
so that a firm can restyle the annex from Word's style pane.

Deterministic bytes: python-docx stamps the zip entries with the current time,
so the package is rewritten with every entry at a fixed timestamp (the
contract's effective date) in a fixed order; the core properties (title,
subject, dates, revision…) are pinned to values taken from the contract.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from pactlang.render.doc import (
    Block,
    Document,
    Fields,
    Formula,
    Items,
    Note,
    Para,
    Rich,
    Section,
    Table,
    plain,
)

__all__ = ["render_docx"]

MONO = "Consolas"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest timestamp a zip entry can hold


def render_docx(doc: Document) -> bytes:
    d = new_document()
    _setup(d, doc)
    _title(d, doc)
    for b in doc.intro:
        _block(d, b, doc)
    for s in doc.sections:
        _section(d, s, doc)
    footer = d.add_paragraph(style="Footer")
    _runs(footer, plain(doc.labels["generated"]))
    buf = io.BytesIO()
    d.save(buf)
    return _normalize_zip(buf.getvalue(), doc.meta.date)


# ------------------------------------------------------------------ setup


def _setup(d: DocxDocument, doc: Document) -> None:
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    styles = d.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    _lang(normal.element, doc.lang)
    if "Code" not in [s.name for s in styles]:
        code = styles.add_style("Code", WD_STYLE_TYPE.CHARACTER)
        code.font.name = MONO
        code.font.size = Pt(9.5)
        code.base_style = styles["Default Paragraph Font"]
    if "Formula" not in [s.name for s in styles]:
        formula = styles.add_style("Formula", WD_STYLE_TYPE.PARAGRAPH)
        formula.base_style = normal
        formula.font.name = MONO
        formula.font.size = Pt(9.5)
        formula.paragraph_format.left_indent = Cm(0.6)
        formula.paragraph_format.space_after = Pt(6)
    for name, fill, edge in (
        ("Annex Warning", "FFF4E5", "9A3412"),
        ("Annex Note", "EEF4FF", "1E40AF"),
    ):
        if name not in [s.name for s in styles]:
            note = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            note.base_style = normal
            note.paragraph_format.left_indent = Cm(0.3)
            note.paragraph_format.space_before = Pt(4)
            note.paragraph_format.space_after = Pt(6)
            _box(note.element, fill, edge)
    if "Table Text" not in [s.name for s in styles]:
        tt = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        tt.base_style = normal
        tt.font.size = Pt(9)
        tt.paragraph_format.space_after = Pt(0)
    # core properties, pinned (no clock): same contract, same bytes
    when = datetime.datetime.fromisoformat(doc.meta.date).replace(tzinfo=datetime.UTC)
    cp = d.core_properties
    cp.title = doc.meta.title
    cp.subject = doc.meta.subject
    cp.author = doc.meta.author
    cp.last_modified_by = doc.meta.author
    cp.keywords = doc.meta.keywords
    cp.identifier = doc.meta.identifier
    cp.version = doc.meta.version
    cp.language = doc.lang
    cp.category = "annex"
    cp.comments = doc.labels["generated"]
    cp.content_status = ""
    cp.revision = 1
    cp.created = when
    cp.modified = when
    cp.last_printed = when


def _box(style_element: object, fill: str, edge: str) -> None:
    """A shaded paragraph with a coloured left rule (a call-out), on a paragraph style."""
    ppr = style_element.get_or_add_pPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", edge)):
        left.set(qn(k), v)
    borders.append(left)
    ppr.append(borders)
    shd = OxmlElement("w:shd")
    for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(k), v)
    ppr.append(shd)


def _lang(element: object, lang: str) -> None:
    """Set the proofing language of a style (so Word spell-checks in the annex's language)."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    node = rpr.find(qn("w:lang"))
    if node is None:
        node = OxmlElement("w:lang")
        rpr.append(node)
    node.set(qn("w:val"), lang)


def _normalize_zip(data: bytes, date: str) -> bytes:
    """Rewrite the package with fixed entry timestamps and a fixed entry order."""
    try:
        d = datetime.date.fromisoformat(date)
        stamp = (max(d.year, 1980), d.month, d.day, 0, 0, 0) if d.year >= 1980 else _ZIP_EPOCH
    except ValueError:
        stamp = _ZIP_EPOCH
    src = zipfile.ZipFile(io.BytesIO(data))
    stored = src.namelist()
    # [Content_Types].xml first, as Office writes it; the rest in stored order
    names = sorted(stored, key=lambda n: (n != "[Content_Types].xml", stored.index(n)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


# ----------------------------------------------------------------- blocks


# characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _runs(p: Paragraph, rich: Rich, size: Pt | None = None) -> None:
    for s in rich:
        if s.kind == "br":
            p.add_run().add_break()
            continue
        run = p.add_run(_NOT_XML.sub("\ufffd", s.text))
        if s.kind == "code":
            run.style = "Code"
        elif s.kind == "strong":
            run.bold = True
        elif s.kind == "em":
            run.italic = True
        if size is not None:
            run.font.size = size


def _title(d: DocxDocument, doc: Document) -> None:
    p = d.add_paragraph(style="Title")
    _runs(p, doc.title)
    if doc.subtitle:
        sub = d.add_paragraph(style="Subtitle")
        _runs(sub, doc.subtitle)


def _section(d: DocxDocument, s: Section, doc: Document) -> None:
    level = min(max(s.level - 1, 1), 3)
    h = d.add_paragraph(style=f"Heading {level}")
    number = s.number + ("." if s.level == 2 else "")
    h.add_run(number + " ")
    _runs(h, s.title)
    _bookmark(h, s.anchor)
    for b in s.blocks:
        _block(d, b, doc)
    for c in s.children:
        _section(d, c, doc)


def _bookmark(p: Paragraph, name: str) -> None:
    """A bookmark around the heading, named like the HTML anchor (for cross-references)."""
    ident = str(len(p._p.xpath("//w:bookmarkStart")))  # ids are unique in the document
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), ident)
    start.set(qn("w:name"), name.replace("-", "_")[:40])
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), ident)
    p._p.insert(1 if p._p.pPr is not None else 0, start)
    p._p.append(end)


def _block(d: DocxDocument, b: Block, doc: Document) -> None:
    if isinstance(b, Para):
        p = d.add_paragraph()
        _runs(p, b.text, Pt(9) if b.role == "small" else None)
        if b.role == "small":
            for r in p.runs:
                r.font.color.rgb = RGBColor(0x55, 0x5B, 0x66)
    elif isinstance(b, Note):
        p = d.add_paragraph(style="Annex Warning" if b.level == "warning" else "Annex Note")
        title = b.title or (
            plain(doc.labels["warning"] if b.level == "warning" else doc.labels["note"])
        )
        prefix = "⚠ " if b.level == "warning" else ""
        run = p.add_run(prefix)
        run.bold = True
        before = len(p.runs)
        _runs(p, title)
        for r in p.runs[before:]:
            r.bold = True
        tail = p.add_run(". ")
        tail.bold = True
        _runs(p, b.text)
    elif isinstance(b, Table):
        _table(d, b.header, b.rows)
    elif isinstance(b, Fields):
        _fields(d, b)
    elif isinstance(b, Items):
        for i, item in enumerate(b.items, start=1):
            if b.ordered:
                p = d.add_paragraph(style="List Paragraph")
                p.paragraph_format.left_indent = Cm(0.9)
                p.paragraph_format.first_line_indent = Cm(-0.6)
                p.add_run(f"{i}.\t")
            else:
                p = d.add_paragraph(style="List Bullet")
            _runs(p, item.text)
            for sub in item.sub:
                sp = d.add_paragraph(style="List Bullet 2")
                _runs(sp, sub)
    elif isinstance(b, Formula):
        p = d.add_paragraph(style="Formula")
        p.add_run(b.text)


TEXT_WIDTH_CM = 17.0


def _text_cm(rich: Rich) -> tuple[float, float]:
    """Estimated width (cm) of the longest word and of the whole text, at 9 pt
    (identifiers are in a wider monospaced font)."""
    word = whole = 0.0
    for seg in rich:
        per_char = 0.23 if seg.kind == "code" else 0.2
        whole += len(seg.text) * per_char
        for w in seg.text.split():
            word = max(word, len(w) * per_char)
    return word, whole


def _widths(columns: list[list[Rich]]) -> list[float]:
    """Column widths (cm): each column gets room for its longest word (so that no word
    is broken), and what is left goes to the columns with the longest texts."""
    pad_cm = 0.55  # cell margins and a little air
    minimum: list[float] = []
    want: list[float] = []
    for col in columns:
        sizes = [_text_cm(c) for c in col]
        minimum.append(min(max((w for w, _ in sizes), default=0.2), 4.5) + pad_cm)
        want.append(min(max((t for _, t in sizes), default=0.2), 12.0) + pad_cm)
    spare = TEXT_WIDTH_CM - sum(minimum)
    if spare <= 0:
        return [TEXT_WIDTH_CM * m / sum(minimum) for m in minimum]
    extra = [max(w - m, 0.0) for w, m in zip(want, minimum, strict=True)]
    total = sum(extra)
    if total <= spare:  # everything fits on one line: keep the table narrow
        return [m + e for m, e in zip(minimum, extra, strict=True)]
    return [m + spare * e / total for m, e in zip(minimum, extra, strict=True)]


def _set_widths(t: object, widths: list[float]) -> None:
    t.autofit = False  # type: ignore[attr-defined]
    for j, w in enumerate(widths):
        t.columns[j].width = Cm(w)  # type: ignore[attr-defined]  # the grid (LibreOffice)
        for cell in t.columns[j].cells:  # type: ignore[attr-defined]  # the cells (Word)
            cell.width = Cm(w)


def _table(d: DocxDocument, header: tuple[Rich, ...], rows: tuple[tuple[Rich, ...], ...]) -> None:
    t = d.add_table(rows=1 + len(rows), cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    columns = [[header[j], *(r[j] for r in rows)] for j in range(len(header))]
    _set_widths(t, _widths(columns))
    for j, h in enumerate(header):
        cell = t.rows[0].cells[j]
        _cell(cell, h, bold=True)
        _shade(cell, "EEF1F5")
    _repeat_header(t.rows[0])
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            _cell(t.rows[i].cells[j], value)
    d.add_paragraph()


def _fields(d: DocxDocument, f: Fields) -> None:
    t = d.add_table(rows=len(f.rows), cols=2)
    t.style = "Table Grid"
    for i, (k, v) in enumerate(f.rows):
        _cell(t.rows[i].cells[0], k, bold=True)
        _shade(t.rows[i].cells[0], "F5F6F8")
        _cell(t.rows[i].cells[1], v)
    _set_widths(t, [4.5, TEXT_WIDTH_CM - 4.5])
    d.add_paragraph()


def _cell(cell: _Cell, rich: Rich, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.style = "Table Text"
    _runs(p, rich)
    if bold:
        for r in p.runs:
            r.bold = True


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
