"""The DOCX annex's tables: column widths estimated from the text (identifiers in
a wider monospaced font, headers in bold), rows kept together, shading,
margins, borders and repeated header rows."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from pactlang.render.doc import (
    Rich,
)
from pactlang.render.docx_xml import (
    _TBLPR_ORDER,
    _TCPR_ORDER,
    TEXT_WIDTH_CM,
    _el,
    _insert_ordered,
)

__all__: list[str] = []


# ----------------------------------------------------------------- tables


def _text_cm(rich: Rich, bold: bool = False) -> tuple[float, float]:
    """Estimated width (cm) of the longest word and of the whole text, at 9 pt
    (identifiers are in a wider monospaced font, header cells in bold)."""
    word = whole = 0.0
    for seg in rich:
        per_char = 0.23 if seg.kind == "code" else 0.23 if bold else 0.2
        whole += len(seg.text) * per_char
        for w in seg.text.split():
            word = max(word, len(w) * per_char)
    return word, whole


def _widths(columns: list[list[Rich]], header_rows: int = 1) -> list[float]:
    """Column widths (cm): each column gets room for its longest word (so that no word
    is broken), and what is left goes to the columns with the longest texts."""
    pad_cm = 0.55  # cell margins and a little air
    minimum: list[float] = []
    want: list[float] = []
    for col in columns:
        sizes = [_text_cm(c, bold=i < header_rows) for i, c in enumerate(col)]
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


def _grid(t: Any) -> list[list[_Cell]]:
    """The cells of a table without merged cells, row by row, read once.

    python-docx rebuilds the list of every row (``t.rows[i]``) and of every cell
    of the table (``row.cells``, ``column.cells``) on each access: a table of
    1,000 rows took millions of objects and minutes."""
    return [[_Cell(tc, t) for tc in tr.tc_lst] for tr in t._tbl.tr_lst]


def _style_id(p: Paragraph, name: str) -> str:
    """The id of a style of the paragraph's document, looked up once per document:
    python-docx scans every style on each lookup by name, and again on each
    assignment of a style (to compare it with the default one)."""
    part = p.part
    cache: dict[str, str] | None = getattr(part, "_pact_style_ids", None)
    if cache is None:
        cache = {}
        part._pact_style_ids = cache  # type: ignore[attr-defined]
    style_id = cache.get(name)
    if style_id is None:
        style_id = cache[name] = part.document.styles[name].style_id  # type: ignore[attr-defined]
    return style_id


def _set_widths(t: Any, widths: list[float], grid: list[list[_Cell]] | None = None) -> None:
    t.autofit = False
    for j, w in enumerate(widths):
        t.columns[j].width = Cm(w)  # the grid (LibreOffice)
        for row in grid if grid is not None else _grid(t):  # the cells (Word)
            row[j].width = Cm(w)


def _keep_rows(t: Any, grid: list[list[_Cell]], *, keep_together: bool) -> None:
    """Rows never split; a small table stays on one page (every row is kept with
    the next one, Word's way of keeping a table together)."""
    trs = t._tbl.tr_lst
    for i, (tr, cells) in enumerate(zip(trs, grid, strict=True)):
        trpr = tr.get_or_add_trPr()
        trpr.append(_el("w:cantSplit", **{"w:val": "true"}))
        if keep_together and i < len(trs) - 1:
            for cell in cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def _shade(cell: _Cell, fill: str) -> None:
    shd = _el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})
    _insert_ordered(cell._tc.get_or_add_tcPr(), shd, _TCPR_ORDER)


def _cell_margins(t: Any) -> None:
    """A little air above and below cell text (Word's grid has none)."""
    mar = _el("w:tblCellMar")
    for side, width in (("top", 45), ("left", 100), ("bottom", 45), ("right", 100)):
        mar.append(_el(f"w:{side}", **{"w:w": str(width), "w:type": "dxa"}))
    _insert_ordered(t._tbl.tblPr, mar, _TBLPR_ORDER)


def _no_borders(t: Any) -> None:
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", **{"w:val": "nil"}))
    _insert_ordered(t._tbl.tblPr, borders, _TBLPR_ORDER)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
