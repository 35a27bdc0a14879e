"""DOCX output through python-docx: real headings, fields and styles a lawyer can edit.

What Word (or LibreOffice) gets:

* **styles**, all editable from the style pane: Word's ``Title``, ``Subtitle``,
  ``Heading 1``–``2``, ``TOC 1``–``2``, ``Table Grid``, ``List Bullet``,
  ``Header``, ``Footer``, plus a character style ``Code`` (identifiers) and the
  paragraph styles ``Formula``, ``Table Text``, ``Annex Small``, ``Annex
  Warning`` and ``Annex Note`` (call-outs).  The document's fonts are set in
  the styles, theme fonts removed: DejaVu Serif for text, DejaVu Sans for
  headings and tables, DejaVu Sans Mono for code — the fonts of the HTML and
  PDF annex (free fonts; Word substitutes a close font where they are not
  installed, and a firm changes them in ``Normal`` / ``Heading`` / ``Code``);
* **heading numbering** from a numbering definition linked to ``Heading 1`` and
  ``Heading 2`` (``4.``, ``4.1``), so inserting a section renumbers the
  others; a clause's own number (``8.1``, as the contract prints it) is text
  in its heading, and unnumbered headings (signatures, other provisions) opt
  out of the list;
* a **table of contents field** (``TOC \\o "1-2" \\h``, only clauses in a
  clause-laid-out annex) with the entries already filled in and the document
  marked to update its fields on opening (page numbers appear then);
* a **header** (title, reference and version) and a **footer** with ``PAGE``
  and ``NUMPAGES`` fields (*Page 3 sur 8*);
* a **bookmark** on every heading and **cross-reference fields** (``REF … \\r
  \\h`` to the paragraph number of a numbered heading, ``REF … \\h`` to a
  clause number or a heading's text) where the annex says *(section 7.1)*;
* ordered lists numbered by Word, restarting with each list;
* no blank spacer paragraphs: space comes from paragraph spacing; a
  paragraph that introduces a table, and the rows of a table of at most 12
  rows, are kept with what follows (so small tables do not split).

Deterministic bytes: python-docx stamps the zip entries with the current time,
so the package is rewritten with every entry at a fixed timestamp (the
contract's effective date) in a fixed order; the core properties (title,
subject, dates, revision…) are pinned to values taken from the contract.

The XML details are :mod:`pactlang.render.docx_xml`'s, the tables' geometry
:mod:`pactlang.render.docx_tables`'s; this module builds the document.
"""

from __future__ import annotations

import datetime
import io

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
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
    Signatures,
    Table,
    plain,
)
from pactlang.render.docx_tables import (
    _cell_margins,
    _grid,
    _keep_rows,
    _no_borders,
    _repeat_header,
    _set_widths,
    _shade,
    _style_id,
    _widths,
)
from pactlang.render.docx_xml import (
    _BOOKMARK_BAD,
    _NOT_XML,
    _PPR_ORDER,
    _SETTINGS_AFTER_UPDATE_FIELDS,
    _TCPR_ORDER,
    FONTS,
    INK,
    MONO,
    MUTED,
    SMALL_TABLE_ROWS,
    TEXT_WIDTH_CM,
    _box,
    _el,
    _field,
    _insert_ordered,
    _lang,
    _normalize_zip,
    _num_pr,
    _set_fonts,
)

__all__ = ["FONTS", "render_docx"]


def render_docx(doc: Document) -> bytes:
    return _Writer(doc).render()


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.d: DocxDocument = new_document()
        self.bookmark_ids = 0
        self.bookmarks: dict[str, str] = {}  # anchor -> bookmark name
        self.numbering: dict[str, str] = {}  # anchor -> auto | own | none
        self.heading_num_id = ""
        self.list_abstract_id = ""
        self.after_table = False
        for s in doc.walk():
            self.numbering[s.anchor] = s.numbering
            self.bookmark(s.anchor)

    # ------------------------------------------------------------ render

    def render(self) -> bytes:
        d, doc = self.d, self.doc
        self.setup()
        self.header_footer()
        p = d.add_paragraph(style="Title")
        self.runs(p, doc.title)
        if doc.subtitle:
            self.runs(d.add_paragraph(style="Subtitle"), doc.subtitle)
        self.blocks(doc.intro)
        self.toc()
        for s in doc.sections:
            self.section(s)
        end = d.add_paragraph(style="Annex Small")
        end.paragraph_format.space_before = Pt(18)
        self.runs(end, plain(doc.labels["generated"]))
        # Word refreshes the contents, page numbers and cross-references on opening
        settings = d.settings.element
        settings.insert_element_before(
            _el("w:updateFields", **{"w:val": "true"}),
            *(f"w:{t}" for t in _SETTINGS_AFTER_UPDATE_FIELDS),
        )
        buf = io.BytesIO()
        d.save(buf)
        return _normalize_zip(buf.getvalue(), doc.meta.date)

    # ------------------------------------------------------------- setup

    def setup(self) -> None:
        d, doc = self.d, self.doc
        section = d.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        styles = d.styles
        # document defaults: the body font, the annex language, modest spacing
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, FONTS["body"])
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr.find(qn("w:spacing"))
        spacing.set(qn("w:after"), "120")
        spacing.set(qn("w:line"), "264")
        normal = styles["Normal"]
        normal.font.name = FONTS["body"]
        normal.font.size = Pt(10.5)
        _set_fonts(normal.element.get_or_add_rPr(), FONTS["body"])
        _lang(normal.element, doc.lang)
        for name, size, before, after in (
            ("Title", 22, 0, 4),
            ("Subtitle", 11, 0, 12),
            ("Heading 1", 14, 18, 6),
            ("Heading 2", 11.5, 12, 4),
            ("TOC Heading", 12, 12, 6),
            ("Header", 8.5, 0, 0),
            ("Footer", 8.5, 0, 0),
        ):
            st = styles[name]
            srpr = st.element.get_or_add_rPr()
            _set_fonts(srpr, FONTS["heading"])
            ink = name.startswith(("Title", "Heading", "TOC"))
            st.font.color.rgb = RGBColor.from_string(INK) if ink else MUTED
            st.font.size = Pt(size)
            st.paragraph_format.space_before = Pt(before)
            st.paragraph_format.space_after = Pt(after)
        styles["Subtitle"].font.italic = False
        # the default template numbers its Subtitle style: not here
        sub_ppr = styles["Subtitle"].element.get_or_add_pPr()
        for num in sub_ppr.findall(qn("w:numPr")):
            sub_ppr.remove(num)
        title_ppr = styles["Title"].element.get_or_add_pPr()
        for bdr in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(bdr)
        # the contents' own heading is not numbered, and not in the contents
        toc_ppr = styles["TOC Heading"].element.get_or_add_pPr()
        _num_pr(toc_ppr, "0")
        _insert_ordered(toc_ppr, _el("w:outlineLvl", **{"w:val": "9"}), _PPR_ORDER)
        for i in (1, 2):
            name = f"TOC {i}"
            if name not in [s.name for s in styles]:
                toc = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                toc.base_style = normal
                toc.element.set(qn("w:styleId"), f"TOC{i}")
                toc.paragraph_format.left_indent = Cm(0 if i == 1 else 0.6)
                toc.paragraph_format.space_after = Pt(2)
                toc.paragraph_format.tab_stops.add_tab_stop(
                    Cm(TEXT_WIDTH_CM),
                    WD_TAB_ALIGNMENT.RIGHT,
                    leader=1,  # type: ignore[arg-type]
                )
                _set_fonts(toc.element.get_or_add_rPr(), FONTS["heading"])
                toc.font.size = Pt(9.5 if i == 1 else 9)
        if "Code" not in [s.name for s in styles]:
            code = styles.add_style("Code", WD_STYLE_TYPE.CHARACTER)
            code.font.name = MONO
            code.font.size = Pt(9)
            _set_fonts(code.element.get_or_add_rPr(), MONO)
            code.base_style = styles["Default Paragraph Font"]
        if "Formula" not in [s.name for s in styles]:
            formula = styles.add_style("Formula", WD_STYLE_TYPE.PARAGRAPH)
            formula.base_style = normal
            formula.font.name = MONO
            formula.font.size = Pt(9)
            _set_fonts(formula.element.get_or_add_rPr(), MONO)
            formula.paragraph_format.left_indent = Cm(0.6)
            formula.paragraph_format.space_after = Pt(8)
            formula.paragraph_format.keep_with_next = True
            _box(formula.element, "EEF1F5", "5B6470")
        for name, fill, edge in (
            ("Annex Warning", "FFF4E5", "9A3412"),
            ("Annex Note", "EEF4FF", "1E40AF"),
        ):
            if name not in [s.name for s in styles]:
                note = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                note.base_style = normal
                note.paragraph_format.left_indent = Cm(0.3)
                note.paragraph_format.space_before = Pt(4)
                note.paragraph_format.space_after = Pt(8)
                note.paragraph_format.keep_together = True
                _box(note.element, fill, edge)
        if "Table Text" not in [s.name for s in styles]:
            tt = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
            tt.base_style = normal
            tt.font.size = Pt(9)
            _set_fonts(tt.element.get_or_add_rPr(), FONTS["heading"])
            tt.paragraph_format.space_after = Pt(0)
            tt.paragraph_format.line_spacing = 1.0
        if "Annex Small" not in [s.name for s in styles]:
            small = styles.add_style("Annex Small", WD_STYLE_TYPE.PARAGRAPH)
            small.base_style = normal
            small.font.size = Pt(8.5)
            small.font.color.rgb = MUTED
        for name in ("List Bullet", "List Bullet 2", "List Paragraph"):
            styles[name].paragraph_format.space_after = Pt(3)
        self.setup_numbering()
        self.properties()

    def setup_numbering(self) -> None:
        """Heading numbering (``4.``, ``4.1``) linked to the heading styles, and a
        decimal list definition for ordered lists."""
        numbering = self.d.part.numbering_part.element
        abstract_ids = [
            int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
        ]
        num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        heading_abs = str(max(abstract_ids, default=0) + 1)
        list_abs = str(max(abstract_ids, default=0) + 2)
        absn = _el("w:abstractNum", **{"w:abstractNumId": heading_abs})
        absn.append(_el("w:multiLevelType", **{"w:val": "multilevel"}))
        for ilvl, style, text, indent in (
            (0, "Heading1", "%1.", 680),
            (1, "Heading2", "%1.%2", 680),
        ):
            lvl = _el("w:lvl", **{"w:ilvl": str(ilvl)})
            lvl.append(_el("w:start", **{"w:val": "1"}))
            lvl.append(_el("w:numFmt", **{"w:val": "decimal"}))
            lvl.append(_el("w:pStyle", **{"w:val": style}))
            lvl.append(_el("w:lvlText", **{"w:val": text}))
            lvl.append(_el("w:lvlJc", **{"w:val": "left"}))
            ppr = _el("w:pPr")
            tabs = _el("w:tabs")
            tabs.append(_el("w:tab", **{"w:val": "num", "w:pos": str(indent)}))
            ppr.append(tabs)
            ppr.append(_el("w:ind", **{"w:left": str(indent), "w:hanging": str(indent)}))
            lvl.append(ppr)
            absn.append(lvl)
        listn = _el("w:abstractNum", **{"w:abstractNumId": list_abs})
        listn.append(_el("w:multiLevelType", **{"w:val": "singleLevel"}))
        lvl = _el("w:lvl", **{"w:ilvl": "0"})
        lvl.append(_el("w:start", **{"w:val": "1"}))
        lvl.append(_el("w:numFmt", **{"w:val": "decimal"}))
        lvl.append(_el("w:lvlText", **{"w:val": "%1."}))
        lvl.append(_el("w:lvlJc", **{"w:val": "left"}))
        ppr = _el("w:pPr")
        ppr.append(_el("w:ind", **{"w:left": "454", "w:hanging": "340"}))
        lvl.append(ppr)
        listn.append(lvl)
        last_abs = numbering.findall(qn("w:abstractNum"))[-1]
        last_abs.addnext(listn)
        last_abs.addnext(absn)
        self.heading_num_id = str(max(num_ids, default=0) + 1)
        num = _el("w:num", **{"w:numId": self.heading_num_id})
        num.append(_el("w:abstractNumId", **{"w:val": heading_abs}))
        numbering.append(num)
        self.list_abstract_id = list_abs
        self.next_num_id = int(self.heading_num_id) + 1
        for name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
            _num_pr(self.d.styles[name].element.get_or_add_pPr(), self.heading_num_id, ilvl)

    def new_list(self) -> str:
        """A numbering instance for one ordered list (it restarts at 1)."""
        numbering = self.d.part.numbering_part.element
        num_id = str(self.next_num_id)
        self.next_num_id += 1
        num = _el("w:num", **{"w:numId": num_id})
        num.append(_el("w:abstractNumId", **{"w:val": self.list_abstract_id}))
        override = _el("w:lvlOverride", **{"w:ilvl": "0"})
        override.append(_el("w:startOverride", **{"w:val": "1"}))
        num.append(override)
        numbering.append(num)
        return num_id

    def properties(self) -> None:
        doc = self.doc
        # core properties, pinned (no clock): same contract, same bytes
        when = datetime.datetime.fromisoformat(doc.meta.date).replace(tzinfo=datetime.UTC)
        cp = self.d.core_properties
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

    def header_footer(self) -> None:
        doc = self.doc
        section = self.d.sections[0]
        for name in ("Header", "Footer"):
            # the template's centre and right tabs are for a Letter page: one right tab here
            ppr = self.d.styles[name].element.get_or_add_pPr()
            for tabs in ppr.findall(qn("w:tabs")):
                ppr.remove(tabs)
        head = section.header.paragraphs[0]
        head.style = self.d.styles["Header"]
        head.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        head.add_run(doc.meta.title)
        if doc.labels.get("running"):
            head.add_run("\t" + doc.labels["running"])
        foot = section.footer.paragraphs[0]
        foot.style = self.d.styles["Footer"]
        foot.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        foot.add_run("\t" + doc.labels["page"] + " ")
        _field(foot, "PAGE", "1")
        foot.add_run(" " + doc.labels["of"] + " ")
        _field(foot, "NUMPAGES", "1")

    # ------------------------------------------------------------ toc

    def toc(self) -> None:
        doc = self.doc
        d = self.d
        heading = d.add_paragraph(style="TOC Heading")
        heading.add_run(doc.labels["contents"])
        entries: list[tuple[int, Section]] = []
        for s in doc.sections:
            entries.append((1, s))
            if not doc.clauses:
                entries.extend((2, c) for c in s.children)
        depth = "1-1" if doc.clauses else "1-2"
        paragraphs = []
        for level, s in entries:
            p = d.add_paragraph(style=f"TOC {level}")
            paragraphs.append((p, s))
        first = paragraphs[0][0]
        last = paragraphs[-1][0]
        # begin + instruction + separate in the first entry; end after the last one
        for tag, content in (
            ("begin", None),
            ("instr", f' TOC \\o "{depth}" \\h \\z \\u '),
            ("separate", None),
        ):
            r = _el("w:r")
            if tag == "instr":
                it = _el("w:instrText")
                it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                it.text = content
                r.append(it)
            else:
                r.append(_el("w:fldChar", **{"w:fldCharType": tag}))
            first._p.append(r)
        for p, s in paragraphs:
            link = _el("w:hyperlink", **{"w:anchor": self.bookmarks[s.anchor], "w:history": "1"})
            text = (s.shown_number + " " if s.shown_number else "") + "".join(
                x.text for x in s.title
            )
            r = _el("w:r")
            t = _el("w:t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = _NOT_XML.sub("\ufffd", text)
            r.append(t)
            link.append(r)
            p._p.append(link)
        end = _el("w:r")
        end.append(_el("w:fldChar", **{"w:fldCharType": "end"}))
        last._p.append(end)
        # the contents end their page
        last.paragraph_format.page_break_before = False
        brk = _el("w:r")
        brk.append(_el("w:br", **{"w:type": "page"}))
        last._p.append(brk)

    # --------------------------------------------------------- sections

    def bookmark(self, anchor: str) -> str:
        if anchor in self.bookmarks:
            return self.bookmarks[anchor]
        base = "pact_" + _BOOKMARK_BAD.sub("_", anchor)
        name = base[:40]
        n = 1
        while name in self.bookmarks.values():
            n += 1
            suffix = f"_{n}"
            name = base[: 40 - len(suffix)] + suffix
        self.bookmarks[anchor] = name
        return name

    def wrap_bookmark(self, p: Paragraph, name: str, start_at: int | None = None) -> None:
        ident = str(self.bookmark_ids)
        self.bookmark_ids += 1
        start = _el("w:bookmarkStart", **{"w:id": ident, "w:name": name})
        end = _el("w:bookmarkEnd", **{"w:id": ident})
        children = [c for c in p._p if c.tag != qn("w:pPr")]
        if start_at is None:
            if children:
                children[0].addprevious(start)
            else:
                p._p.append(start)
            p._p.append(end)
        else:
            children[start_at].addprevious(start)
            children[start_at].addnext(end)

    def section(self, s: Section) -> None:
        level = 1 if s.level <= 2 else 2
        h = self.d.add_paragraph(style=f"Heading {level}")
        if s.numbering != "auto":
            _num_pr(h._p.get_or_add_pPr(), "0")
        if s.numbering == "own" and s.number:
            h.add_run(s.number)
            self.wrap_bookmark(h, self.bookmarks[s.anchor] + "_n", start_at=0)
            h.add_run(" ")
        self.runs(h, s.title)
        self.wrap_bookmark(h, self.bookmarks[s.anchor])
        self.after_table = False
        self.blocks(s.blocks)
        for c in s.children:
            self.section(c)

    def blocks(self, blocks: tuple[Block, ...]) -> None:
        for i, b in enumerate(blocks):
            self.block(b)
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if (
                isinstance(b, Table | Fields)
                and isinstance(after, Para)
                and "small" in after.role.split()
            ):
                # the remark on a table (vetoes, rounding) stays on its page
                rows = self.d.tables[-1].rows
                for cell in rows[-1].cells:
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True

    # ----------------------------------------------------------- blocks

    def runs(self, p: Paragraph, rich: Rich, size: Pt | None = None) -> None:
        for s in rich:
            if s.kind == "br":
                p.add_run().add_break()
                continue
            if s.kind == "ref":
                self.xref(p, s.text, s.target, size)
                continue
            run = p.add_run(_NOT_XML.sub("\ufffd", s.text))
            if s.kind == "code":
                run._r.get_or_add_rPr().style = _style_id(p, "Code")
            elif s.kind == "strong":
                run.bold = True
            elif s.kind == "em":
                run.italic = True
            if size is not None:
                run.font.size = size

    def xref(self, p: Paragraph, text: str, anchor: str, size: Pt | None) -> None:
        """A cross-reference field: the heading's number (or its clause number,
        or its text), with the annex's own text as the cached result."""
        name = self.bookmarks.get(anchor)
        if name is None:
            p.add_run(text)
            return
        numbering = self.numbering.get(anchor, "none")
        if numbering == "auto":
            instr = f"REF {name} \\r \\h"
        elif numbering == "own":
            instr = f"REF {name}_n \\h"
        else:
            instr = f"REF {name} \\h"
        _field(p, instr, _NOT_XML.sub("\ufffd", text))

    def paragraph(self, style: str | None = None) -> Paragraph:
        p = self.d.add_paragraph(style=style)
        if self.after_table:
            p.paragraph_format.space_before = Pt(8)
        self.after_table = False
        return p

    def block(self, b: Block) -> None:
        if isinstance(b, Para):
            roles = b.role.split()  # a paragraph's roles: small, lead, clause
            style = "Annex Small" if "small" in roles else None
            p = self.paragraph(style)
            self.runs(p, b.text)
            if "lead" in roles:
                p.paragraph_format.keep_with_next = True
            if "clause" in roles:
                p.paragraph_format.alignment = 3  # justified
        elif isinstance(b, Note):
            p = self.paragraph("Annex Warning" if b.level == "warning" else "Annex Note")
            doc = self.doc
            title = b.title or (
                plain(doc.labels["warning"] if b.level == "warning" else doc.labels["note"])
            )
            prefix = "⚠ " if b.level == "warning" else ""
            run = p.add_run(prefix)
            run.bold = True
            before = len(p.runs)
            self.runs(p, title)
            for r in p.runs[before:]:
                r.bold = True
            tail = p.add_run(". ")
            tail.bold = True
            self.runs(p, b.text)
        elif isinstance(b, Table):
            self.table(b.header, b.rows)
        elif isinstance(b, Fields):
            self.fields(b)
        elif isinstance(b, Items):
            num_id = self.new_list() if b.ordered else None
            for item in b.items:
                if num_id is not None:
                    p = self.paragraph("List Paragraph")
                    _num_pr(p._p.get_or_add_pPr(), num_id)
                else:
                    p = self.paragraph("List Bullet")
                small = Pt(8.5) if b.role == "small" else None
                self.runs(p, item.text, small)
                if b.role in ("small", "rules") and item is not b.items[-1]:
                    p.paragraph_format.keep_with_next = True  # a short list stays on one page
                for sub in item.sub:
                    self.runs(self.paragraph("List Bullet 2"), sub)
        elif isinstance(b, Formula):
            p = self.paragraph("Formula")
            p.add_run(b.text)
        elif isinstance(b, Signatures):
            self.signatures(b)

    def separate_tables(self) -> None:
        """Word merges two tables that touch: a 1-point paragraph keeps them apart
        (the layout avoids this; it is a safeguard, not a spacer)."""
        body = self.d.element.body
        last = body[-1] if len(body) else None
        if last is not None and last.tag == qn("w:sectPr"):
            last = last.getprevious()
        if last is not None and last.tag == qn("w:tbl"):
            p = self.d.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.space_before = Pt(0)
            p.add_run().font.size = Pt(1)

    def table(self, header: tuple[Rich, ...], rows: tuple[tuple[Rich, ...], ...]) -> None:
        self.separate_tables()
        t = self.d.add_table(rows=1 + len(rows), cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        _cell_margins(t)
        columns = [[header[j], *(r[j] for r in rows)] for j in range(len(header))]
        grid = _grid(t)
        _set_widths(t, _widths(columns), grid)
        for j, h in enumerate(header):
            cell = grid[0][j]
            self.cell(cell, h, bold=True)
            _shade(cell, "EEF1F5")
        _repeat_header(t.rows[0])
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                self.cell(grid[i][j], value)
        _keep_rows(t, grid, keep_together=len(rows) <= SMALL_TABLE_ROWS)
        self.after_table = True

    def fields(self, f: Fields) -> None:
        self.separate_tables()
        t = self.d.add_table(rows=len(f.rows), cols=2)
        t.style = "Table Grid"
        _cell_margins(t)
        grid = _grid(t)
        for i, (k, v) in enumerate(f.rows):
            self.cell(grid[i][0], k, bold=True)
            _shade(grid[i][0], "F5F6F8")
            self.cell(grid[i][1], v)
        _set_widths(t, [4.5, TEXT_WIDTH_CM - 4.5], grid)  # key/value: no header row
        _keep_rows(t, grid, keep_together=len(f.rows) <= SMALL_TABLE_ROWS)
        self.after_table = True

    def signatures(self, b: Signatures) -> None:
        """One borderless box per party, two side by side with a gutter between;
        a tall row ruled at its foot leaves the space to sign."""
        self.separate_tables()
        per_row = 2
        gutter = 1.2
        sigs = b.signatories
        n_rows = -(-len(sigs) // per_row)
        t = self.d.add_table(rows=n_rows, cols=2 * per_row - 1)
        _no_borders(t)
        box = (TEXT_WIDTH_CM - gutter * (per_row - 1)) / per_row
        _set_widths(t, [box, gutter, box])
        sep = self.doc.labels["field_sep"]
        for i, s in enumerate(sigs):
            cell = t.rows[i // per_row].cells[2 * (i % per_row)]
            p = cell.paragraphs[0]
            p.style = "Table Text"
            self.runs(p, s.party)
            for r in p.runs:
                r.bold = True
            for key, value in ((b.labels[0], s.name), (b.labels[1], s.capacity)):
                q = cell.add_paragraph(style="Table Text")
                q.paragraph_format.space_before = Pt(4)
                self.runs(q, key)
                q.add_run(sep)
                self.runs(q, value)
            sign = cell.add_paragraph(style="Table Text")
            sign.paragraph_format.space_before = Pt(4)
            self.runs(sign, b.labels[2])
            sign.add_run(sep)
            borders = _el("w:tcBorders")
            borders.append(
                _el("w:bottom", **{"w:val": "single", "w:sz": "6", "w:space": "0", "w:color": INK})
            )
            _insert_ordered(cell._tc.get_or_add_tcPr(), borders, _TCPR_ORDER)
        for row in t.rows:
            trpr = row._tr.get_or_add_trPr()
            trpr.append(_el("w:cantSplit", **{"w:val": "true"}))
            trpr.append(_el("w:trHeight", **{"w:val": str(int(4.2 * 567)), "w:hRule": "atLeast"}))
        self.after_table = True

    def cell(self, cell: _Cell, rich: Rich, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p._p.get_or_add_pPr().style = _style_id(p, "Table Text")
        self.runs(p, rich)
        if bold:
            for r in p.runs:
                r.bold = True
