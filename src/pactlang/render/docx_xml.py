"""The WordprocessingML the annex's DOCX needs beyond python-docx: elements and
fields, the schema order of properties, numbering, call-out boxes, proofing
languages, and the zip package rewritten with fixed timestamps (same input,
same bytes)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

__all__ = ["FONTS", "MONO", "INK", "MUTED", "TEXT_WIDTH_CM", "SMALL_TABLE_ROWS"]

#: The annex's fonts (the same as the stylesheet's first choices).
#: The annex's fonts (the same as the stylesheet's first choices).
FONTS = {"body": "DejaVu Serif", "heading": "DejaVu Sans", "mono": "DejaVu Sans Mono"}
MONO = FONTS["mono"]
INK = "1B1F24"
MUTED = RGBColor(0x5B, 0x64, 0x70)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest timestamp a zip entry can hold
TEXT_WIDTH_CM = 17.0
#: Tables with at most this many rows are kept on one page.
SMALL_TABLE_ROWS = 12


# ------------------------------------------------------------------ helpers


def _el(tag: str, **attrs: str) -> Any:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k), v)
    return e


def _set_fonts(rpr: Any, name: str) -> None:
    """The run font of a style or run properties, theme fonts removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _field(
    p: Paragraph, instr: str, cached: str, *, bold: bool = False, style: str | None = None
) -> None:
    """A complex field (begin, instruction, separate, cached result, end)."""

    def run() -> Any:
        r = _el("w:r")
        if bold or style:
            rpr = _el("w:rPr")
            if style:
                rpr.append(_el("w:rStyle", **{"w:val": style}))
            if bold:
                rpr.append(_el("w:b"))
            r.append(rpr)
        return r

    r1 = run()
    r1.append(_el("w:fldChar", **{"w:fldCharType": "begin"}))
    r2 = run()
    it = _el("w:instrText")
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = f" {instr} "
    r2.append(it)
    r3 = run()
    r3.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))
    r4 = run()
    t = _el("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = cached
    r4.append(t)
    r5 = run()
    r5.append(_el("w:fldChar", **{"w:fldCharType": "end"}))
    for r in (r1, r2, r3, r4, r5):
        p._p.append(r)


# Child order of the elements this module adds children to (WordprocessingML
# schemas are sequences: Word refuses a file whose children are out of order).
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
_TCPR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark"
).split()
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema "
    "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator"
).split()


def _insert_ordered(parent: Any, child: Any, order: list[str]) -> Any:
    """Insert ``child`` where the schema's sequence puts it (replacing one of the
    same tag)."""
    local = child.tag.split("}")[-1]
    old = parent.find(qn(f"w:{local}"))
    if old is not None:
        parent.remove(old)
    after = order[order.index(local) + 1 :] if local in order else []
    parent.insert_element_before(child, *(f"w:{t}" for t in after))
    return child


def _num_pr(ppr: Any, num_id: str, ilvl: int = 0) -> None:
    numpr = _el("w:numPr")
    numpr.append(_el("w:ilvl", **{"w:val": str(ilvl)}))
    numpr.append(_el("w:numId", **{"w:val": num_id}))
    _insert_ordered(ppr, numpr, _PPR_ORDER)


# characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BOOKMARK_BAD = re.compile(r"[^A-Za-z0-9_]")


def _box(style_element: object, fill: str, edge: str) -> None:
    """A shaded paragraph with a coloured left rule (a call-out), on a paragraph style."""
    ppr = style_element.get_or_add_pPr()  # type: ignore[attr-defined]
    borders = _el("w:pBdr")
    borders.append(
        _el("w:left", **{"w:val": "single", "w:sz": "18", "w:space": "6", "w:color": edge})
    )
    _insert_ordered(ppr, borders, _PPR_ORDER)
    shd = _el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})
    _insert_ordered(ppr, shd, _PPR_ORDER)


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
