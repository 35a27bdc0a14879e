"""The four formats: HTML safety, DOCX read back, determinism, PDF, template overrides."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import jinja2
import pytest
from render_helpers import EXAMPLE_NAMES, Page, docx_text, load

import pactlang
from pactlang.render import render, render_full
from pactlang.render.markup import md_escape
from pactlang.render.pdf import weasyprint_available

HOSTILE = """contract "Hostile <script>alert(1)</script>" {
  id "X<1>"
  currency EUR
  language en
  effective 2026-01-01
  party a "Alpha \\" onerror=\\"x" fr "<img src=x onerror=alert(2)>"
  party b "</td></tr></table><script>alert(3)</script>"
  measure m "<script>alert(1)</script>" fr "**bold** | pipe `tick` [link](http://e)": number { owner a source "<b>src</b>" }
  kpi k "K & <i>" fr "K fr": number = m * 2 { owner b source "s" frequency monthly }
  threshold t "T\\" onerror=\\"x" { when k < 1: breach => action "<script>alert(4)</script>" => pay 1 EUR from a to b "</style><script>alert(5)</script>" }
  committee c "C" { member a weight 1 member b weight 1 decision d "D <u>" requires majority }
  escalation e "E" { step s1 "S1" within 2 days step s2 "S2" final { institution "<script>alert(6)</script>" } }
  waterfall w "W" { distributes m * 1 EUR tier one "<svg onload=alert(7)>" { pay a up to 5 EUR } }
}
"""


@pytest.fixture(scope="module")
def hostile() -> pactlang.Contract:
    return pactlang.loads(HOSTILE, "hostile.pact")


# ------------------------------------------------------------------ HTML


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_hostile_labels_render_inert_in_html(hostile: pactlang.Contract, lang: str) -> None:
    html = render(hostile, lang=lang, fmt="html").decode()
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags and "svg" not in page.tags
    assert "i" not in page.tags and "u" not in page.tags and "b" not in page.tags
    attrs = {k for _, k, _ in page.attrs}
    assert not any(k.startswith("on") for k in attrs), attrs
    # the labels are shown verbatim, as text
    text = page.text
    assert "Hostile <script>alert(1)</script>" in text
    if lang == "en":
        assert 'Alpha " onerror="x' in text
        assert "<script>alert(1)</script>" in text
    else:
        assert "<img src=x onerror=alert(2)>" in text
    assert "</td></tr></table><script>alert(3)</script>" in text
    assert "<script>alert(4)</script>" in text
    assert "<svg onload=alert(7)>" in text
    # the title in the page footer is a CSS string that cannot close the stylesheet
    assert "<" not in page.style and "alert(1)" in page.style


def test_html_is_one_well_formed_page() -> None:
    html = render(load("alliance"), fmt="html").decode()
    page = Page(html)
    assert page.tags.count("html") == 1 and page.tags.count("style") == 1
    assert page.stack == []  # every element closed
    assert ("html", "lang", "fr") in page.attrs
    assert page.tags.count("h1") == 1
    assert "table" in page.tags and "thead" in page.tags
    anchors = {v for t, k, v in page.attrs if k == "href"}
    ids = {v for _, k, v in page.attrs if k == "id"}
    assert {a.lstrip("#") for a in anchors if a} <= ids  # the contents link to real sections


# -------------------------------------------------------------- Markdown


def test_hostile_labels_are_escaped_in_markdown(hostile: pactlang.Contract) -> None:
    md = render(hostile, lang="fr", fmt="md").decode()
    # the only raw HTML is the line break of multi-line table cells
    assert set(re.findall(r"(?<!\\)<[^>]*>", md)) <= {"<br>"}
    assert md_escape("**bold** | pipe `tick` [link](http://e)") in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    # table rows keep their column count although labels contain pipes
    for line in md.splitlines():
        cells = len(re.split(r"(?<!\\)\|", line))
        if line.startswith("| ") and "Donnée" in line:
            header_cells = cells
        if line.startswith("| ") and "bold" in line:
            assert cells == header_cells == 9


# ------------------------------------------------------------------ DOCX


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_docx_reads_back_with_headings_and_tables(name: str) -> None:
    import docx

    c = load(name)
    data = render(c, fmt="docx")
    d = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    levels = {s for s, _ in headings}
    assert {"Heading 1", "Heading 2"} <= levels
    assert d.paragraphs[0].style.name == "Title"
    assert c.checked.title in d.paragraphs[0].text
    words = {
        "fr": ("Identification et parties", "Données mensuelles", "Donnée"),
        "en": ("Identification and parties", "Monthly data", "Data"),
    }[c.checked.language]
    assert any(text.endswith(words[0]) for _, text in headings)
    # the measures table: a header row, then one row per measure
    tables = [t for t in d.tables if t.rows[0].cells[0].text == words[2]]
    assert len(tables) == 1
    t = tables[0]
    assert len(t.rows) == 1 + len(c.checked.measures)
    for row, (name_, _m) in zip(t.rows[1:], c.checked.measures.items(), strict=True):
        assert row.cells[1].text == name_
    # editable styles a lawyer can change
    styles = {s.name for s in d.styles}
    assert {"Code", "Formula", "Table Text"} <= styles
    assert d.core_properties.title == f"Annexe — {c.checked.title}" or d.core_properties.title == (
        f"Annex — {c.checked.title}"
    )


def test_docx_is_deterministic_with_pinned_metadata() -> None:
    import docx

    c = load("coinvest_fund")
    a = render(c, fmt="docx")
    b = render(c, fmt="docx")
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(a)).core_properties
    assert props.created is not None and props.created.date().isoformat() == "2026-01-01"
    assert props.modified == props.created
    assert props.revision == 1
    assert props.identifier == "HCI-2026-03" and props.version == "1.0"
    assert props.language == "en"


def test_docx_text_has_every_kpi_definition() -> None:
    c = load("alliance")
    text = docx_text(render(c, fmt="docx"))
    plain_spaces = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Définition : le rapport entre « Leads convertis en commandes »" in plain_spaces
    assert "conversion = leads_won / leads_total" in text


# ----------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_same_input_same_bytes_across_processes(fmt: str, tmp_path: Path) -> None:
    """A fresh interpreter (another hash seed, another clock) gives the same bytes."""
    import os
    import sys

    c = load("alliance")
    here = render(c, lang="en", fmt=fmt)
    out = tmp_path / f"annex.{fmt}"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    script = (
        "import sys, pactlang\n"
        "from pactlang.render import render\n"
        f"data = render(pactlang.load(sys.argv[1]), lang='en', fmt={fmt!r})\n"
        "open(sys.argv[2], 'wb').write(data)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(c.path), str(out)], check=True, env=env, timeout=120
    )
    assert out.read_bytes() == here


# ------------------------------------------------------------------- PDF

needs_pdf = pytest.mark.skipif(not weasyprint_available(), reason="weasyprint/Pango unavailable")


@needs_pdf
def test_pdf_is_deterministic_and_dated_from_the_contract() -> None:
    c = load("reseller_sla")
    a = render(c, fmt="pdf")
    assert a.startswith(b"%PDF-")
    assert a == render(c, fmt="pdf")
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", "-isodates", "-"], input=a, capture_output=True, check=True
        ).stdout.decode()
        assert re.search(r"CreationDate:\s+2026-01-01T00:00:00", info), info
        assert re.search(r"Title:\s+Annex — Nimbus Cloud Reseller Agreement", info), info
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=a, capture_output=True, check=True
        ).stdout.decode()
        assert "Monthly availability" in text and "Service Review Board" in text


@pytest.mark.skipif(not weasyprint_available(), reason="weasyprint/Pango not installed")
def test_pdf_bytes_do_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without HarfBuzz-subset, WeasyPrint subsets fonts with fontTools, which stamps
    # time.time() into each font unless SOURCE_DATE_EPOCH is set: move the clock
    # between two renders (a no-op when HarfBuzz-subset does the subsetting).
    import types

    from fontTools.misc import timeTools

    clock = iter(range(1_000_000_000, 2_000_000_000, 86_400 * 400))
    monkeypatch.setattr(timeTools, "time", types.SimpleNamespace(time=lambda: next(clock)))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    c = load("reseller_sla")
    assert render(c, fmt="pdf") == render(c, fmt="pdf")
    assert "SOURCE_DATE_EPOCH" not in os.environ  # restored


def test_source_date_epoch_is_the_contract_date_and_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pactlang.render import pdf

    assert pdf.source_date_epoch("2026-01-01") == 1_767_225_600
    assert pdf.source_date_epoch("1900-05-01") == 0  # fonts cannot be dated before 1970
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    with pdf._pinned_clock("2026-01-01"):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"
    assert os.environ["SOURCE_DATE_EPOCH"] == "42"


def test_pdf_without_weasyprint_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from pactlang.render import PdfUnavailable

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    with pytest.raises(PdfUnavailable, match=r"pactlang\[pdf\]"):
        render(load("alliance"), fmt="pdf")


# ------------------------------------------------------------- templates


def test_a_template_of_the_same_name_wins(tmp_path: Path) -> None:
    (tmp_path / "annex.css.j2").write_text("body { color: rebeccapurple; }\n", "utf-8")
    html = render(load("alliance"), fmt="html", template_dir=tmp_path).decode()
    assert "rebeccapurple" in html
    assert "Annexe — Alliance Solutions Durables" in html  # other templates still packaged
    (tmp_path / "annex.md.j2").write_text(
        "TITLE {{ doc.title | rich }}\n{% for s in doc.sections %}* {{ s.title | rich }}\n{% endfor %}",
        "utf-8",
    )
    md = render(load("alliance"), fmt="md", template_dir=tmp_path).decode()
    assert md.startswith(
        "TITLE Annexe — Alliance Solutions Durables\n* Identification et parties\n"
    )


def test_templates_are_strict(tmp_path: Path) -> None:
    (tmp_path / "annex.md.j2").write_text("{{ doc.no_such_thing }}", "utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render(load("alliance"), fmt="md", template_dir=tmp_path)


def test_render_full_reports_language_and_format() -> None:
    r = render_full(load("reseller_sla"), lang="fr", fmt="html")
    assert (r.lang, r.fmt) == ("fr", "html")
    assert Page(r.data.decode()).attrs.count(("html", "lang", "fr")) == 1


def test_docx_tables_are_filled_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # python-docx rebuilds every row (t.rows[i]) and every cell of the table
    # (row.cells) on each access, and scans every style on each style
    # assignment: a 1,000-measure contract took minutes to render as DOCX
    import docx.styles.styles
    import docx.table

    counts = {"rows": 0, "styles": 0}
    rows_getitem = docx.table._Rows.__getitem__
    styles_getitem = docx.styles.styles.Styles.__getitem__

    def rows(self: object, idx: object) -> object:
        counts["rows"] += 1
        return rows_getitem(self, idx)  # type: ignore[arg-type]

    def styles(self: object, key: str) -> object:
        counts["styles"] += 1
        return styles_getitem(self, key)  # type: ignore[arg-type]

    monkeypatch.setattr(docx.table._Rows, "__getitem__", rows)
    monkeypatch.setattr(docx.styles.styles.Styles, "__getitem__", styles)
    measures = "".join(f'  measure m{i} "Measure {i}": number\n' for i in range(300))
    c = pactlang.loads(f'contract "Many" {{\n  currency EUR\n{measures}}}\n', "many.pact")
    data = render(c, fmt="docx")
    assert docx_text(data).count("Measure 299") >= 1
    read_back = docx.Document(io.BytesIO(data))
    tables = len(read_back.tables)
    cells = sum(len(t._tbl.tr_lst) * len(t.columns) for t in read_back.tables)
    assert cells > 1000
    assert counts["rows"] <= tables  # one header row per table, not one access per cell
    assert counts["styles"] < cells / 10  # styles looked up once, not once per cell
