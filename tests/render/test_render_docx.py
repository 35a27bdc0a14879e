"""The DOCX annex as Word sees it: numbering, fields, bookmarks, fonts, no spacers,
and children of WordprocessingML elements in their schema order."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache

import pytest
from lxml import etree
from render_helpers import load

from pactlang.render import render
from pactlang.render.docx_xml import _PPR_ORDER, _TBLPR_ORDER, _TCPR_ORDER, FONTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@cache
def parts(name: str, lang: str | None = None) -> dict[str, etree._Element]:
    data = render(load(name), lang=lang, fmt="docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {
            n: etree.fromstring(z.read(n))
            for n in z.namelist()
            if n.endswith(".xml") and n.startswith("word/")
        }


def local(el: etree._Element) -> str:
    return el.tag.split("}")[-1]


def instructions(root: etree._Element) -> list[str]:
    return [
        "".join(t.text or "" for t in r.iter(f"{W}instrText")).strip()
        for r in root.iter(f"{W}r")
        if any(True for _ in r.iter(f"{W}instrText"))
    ]


def heading_paragraphs(doc: etree._Element) -> list[tuple[str, etree._Element]]:
    out = []
    for p in doc.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val", "").startswith("Heading"):
            out.append((style.get(f"{W}val"), p))
    return out


def text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def test_headings_are_numbered_by_a_numbering_definition() -> None:
    p = parts("alliance")
    numbering, styles, doc = p["word/numbering.xml"], p["word/styles.xml"], p["word/document.xml"]
    # Heading 1 and Heading 2 are linked to one multi-level list: %1. and %1.%2
    h1 = styles.find(f".//{W}style[@{W}styleId='Heading1']")
    num_id = h1.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
    abstract = numbering.find(
        f"{W}abstractNum[@{W}abstractNumId='{num.find(f'{W}abstractNumId').get(f'{W}val')}']"
    )
    texts = [lvl.find(f"{W}lvlText").get(f"{W}val") for lvl in abstract.findall(f"{W}lvl")]
    assert texts == ["%1.", "%1.%2"]
    headings = heading_paragraphs(doc)
    titles = [text(h) for _, h in headings]
    # the numbers are Word's, not typed text
    assert "Identification et parties" in titles and "Computation des délais" in titles
    assert not any(re.match(r"\d+\.", t) for t in titles)
    # the signatures heading opts out of the list
    sig = next(h for _, h in headings if text(h) == "Signatures")
    assert sig.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") == "0"


def test_clause_headings_carry_the_contracts_own_numbers() -> None:
    doc = parts("distribution")["word/document.xml"]
    titles = [text(h) for _, h in heading_paragraphs(doc)]
    assert "1 Objet" in titles and "8 Résolution des différends" in titles
    first = next(h for _, h in heading_paragraphs(doc) if text(h) == "1 Objet")
    assert first.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") == "0"
    marks = {b.get(f"{W}name") for b in first.iter(f"{W}bookmarkStart")}
    assert {"pact_clause_purpose", "pact_clause_purpose_n"} <= marks


def test_contents_page_and_cross_reference_fields() -> None:
    p = parts("alliance")
    doc = p["word/document.xml"]
    instr = instructions(doc)
    assert 'TOC \\o "1-2" \\h \\z \\u' in instr
    # "(section 7)" refers to the heading by a field, with the annex's text cached
    refs = [i for i in instr if i.startswith("REF ")]
    assert "REF pact_s_disputes \\r \\h" in refs
    marks = {b.get(f"{W}name") for b in doc.iter(f"{W}bookmarkStart")}
    assert all(r.split()[1] in marks for r in refs)
    assert p["word/settings.xml"].find(f"{W}updateFields").get(f"{W}val") == "true"
    # a clause-laid-out annex lists its clauses, and refers to clause numbers
    d = parts("distribution")["word/document.xml"]
    di = instructions(d)
    assert 'TOC \\o "1-1" \\h \\z \\u' in di
    assert "REF pact_clause_disputes_clause_n \\h" in di


def test_page_numbers_in_the_footer_and_the_title_in_the_header() -> None:
    p = parts("alliance")
    footers = [v for k, v in p.items() if k.startswith("word/footer")]
    headers = [v for k, v in p.items() if k.startswith("word/header")]
    assert any({"PAGE", "NUMPAGES"} <= set(instructions(f)) for f in footers)
    assert any("Annexe — Alliance Solutions Durables" in text(h) for h in headers)


def test_the_documents_fonts_not_calibri() -> None:
    styles = parts("alliance")["word/styles.xml"]
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}ascii") == FONTS["body"]
    assert defaults.get(f"{W}asciiTheme") is None
    for sid, font in (
        ("Normal", FONTS["body"]),
        ("Heading1", FONTS["heading"]),
        ("Code", FONTS["mono"]),
    ):
        fonts = styles.find(f".//{W}style[@{W}styleId='{sid}']/{W}rPr/{W}rFonts")
        assert fonts.get(f"{W}ascii") == font, sid
        assert fonts.get(f"{W}asciiTheme") is None, sid
    assert b"Calibri" not in etree.tostring(styles)


@pytest.mark.parametrize("name", ["alliance", "distribution", "forms"])
def test_no_blank_spacer_paragraphs(name: str) -> None:
    body = parts(name)["word/document.xml"].find(f"{W}body")
    for p in body.findall(f"{W}p"):
        assert text(p).strip(), etree.tostring(p)[:300]


@pytest.mark.parametrize("name", ["alliance", "distribution", "forms"])
def test_children_are_in_schema_order(name: str) -> None:
    """Word refuses a file whose element children are out of sequence."""
    orders = {"pPr": _PPR_ORDER, "tblPr": _TBLPR_ORDER, "tcPr": _TCPR_ORDER}
    for part in ("word/document.xml", "word/styles.xml"):
        root = parts(name)[part]
        for el in root.iter():
            order = orders.get(local(el))
            if order is None:
                continue
            seen = [order.index(local(c)) for c in el if local(c) in order]
            assert seen == sorted(seen), (part, [local(c) for c in el])


def test_small_tables_keep_together_and_rows_do_not_split() -> None:
    doc = parts("alliance")["word/document.xml"]
    tables = doc.iter(f"{W}tbl")
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        if len(rows) <= 13 and len(rows) > 1:
            first = rows[0].find(f".//{W}p/{W}pPr/{W}keepNext")
            assert first is not None


def test_ordered_lists_restart_with_each_list() -> None:
    numbering = parts("alliance")["word/numbering.xml"]
    restarts = numbering.findall(f"{W}num/{W}lvlOverride/{W}startOverride")
    assert restarts and all(r.get(f"{W}val") == "1" for r in restarts)
