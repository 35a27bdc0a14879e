"""``pact render``: options, outputs, exit codes."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from render_helpers import CONTRACTS, Page

from pactlang.cli import main
from pactlang.render.pdf import weasyprint_available

ALLIANCE = str(CONTRACTS["alliance"])
RESELLER = str(CONTRACTS["reseller_sla"])


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["render", *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_markdown_to_stdout_in_the_contract_language() -> None:
    code, out, err = run(ALLIANCE)
    assert code == 0
    assert out.startswith("# Annexe — Alliance Solutions Durables\n")
    assert err == ""


def test_lang_option_and_translation_warnings_on_stderr(tmp_path: Path) -> None:
    code, out, err = run(ALLIANCE, "--lang", "en", "--format", "html")
    assert code == 0
    assert "Annex — Sustainable Solutions Alliance" in Page(out).text
    assert err == ""
    untranslated = tmp_path / "c.pact"
    untranslated.write_text(
        Path(ALLIANCE).read_text(encoding="utf-8").replace(' en "Conversion floor"', ""),
        encoding="utf-8",
    )
    code, out, err = run(str(untranslated), "--lang", "en", "--format", "html")
    assert code == 0
    assert err == (
        "warning: threshold `conversion_floor` has no `en` translation; the fr label "
        '"Plancher de conversion" is used\n'
    )
    assert "warning:" not in out


def test_binary_formats_need_an_output_file() -> None:
    for fmt in ("docx", "pdf"):
        code, out, err = run(ALLIANCE, "--format", fmt)
        assert code == 2
        assert out == ""
        assert "-o FILE" in err


def test_output_file_is_written_and_the_format_inferred(tmp_path: Path) -> None:
    import docx

    target = tmp_path / "annex.docx"
    code, out, err = run(RESELLER, "-o", str(target))
    assert code == 0 and out == ""
    d = docx.Document(io.BytesIO(target.read_bytes()))
    assert d.paragraphs[0].text == "Annex — Nimbus Cloud Reseller Agreement"
    assert [p.name for p in tmp_path.iterdir()] == ["annex.docx"]  # no temporary left behind
    html = tmp_path / "annex.html"
    assert run(RESELLER, "-o", str(html))[0] == 0
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")
    md = tmp_path / "notes.txt"
    assert run(RESELLER, "-o", str(md))[0] == 0
    assert md.read_text("utf-8").startswith("# Annex")


def test_a_failed_render_leaves_an_existing_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "annex.md"
    target.write_text("previous", "utf-8")
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "annex.md.j2").write_text("{{ doc.nope }}", "utf-8")
    code, _, err = run(RESELLER, "-o", str(target), "--template-dir", str(templates))
    assert code == 2
    assert "template error" in err and "nope" in err
    assert target.read_text("utf-8") == "previous"


def test_template_syntax_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "annex.md.j2").write_text("line\n{% for %}", "utf-8")
    code, _, err = run(RESELLER, "--template-dir", str(tmp_path))
    assert code == 2
    assert "annex.md.j2:2" in err


def test_unreadable_inputs_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing.pact"))[0] == 2
    broken = tmp_path / "broken.pact"
    broken.write_text('contract "B" { currency EUR measure x: nope }\n', "utf-8")
    code, out, err = run(str(broken))
    assert code == 2 and out == "" and "error" in err
    assert run(RESELLER, "--lang", "de")[0] == 2
    assert run(RESELLER, "--template-dir", str(tmp_path / "no-such-dir"))[0] == 2


def test_pdf_without_weasyprint_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    code, _, err = run(RESELLER, "-o", str(tmp_path / "a.pdf"))
    assert code == 2
    assert "pactlang[pdf]" in err
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.skipif(not weasyprint_available(), reason="weasyprint/Pango unavailable")
def test_pdf_file(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    code, _, _ = run(RESELLER, "--format", "pdf", "-o", str(target), "--lang", "fr")
    assert code == 0
    assert target.read_bytes().startswith(b"%PDF-")


def test_notes_option_adds_the_negotiators_notes() -> None:
    code, out, _ = run(ALLIANCE)
    assert code == 0 and "Veto non stipulé" not in out
    code, out, _ = run(ALLIANCE, "--notes")
    assert code == 0 and "Veto non stipulé" in out and "Notes de négociation" in out

# ------------------------------------------------------- sandboxed templates

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{{ self._TemplateReference__context.environment }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ 'x' * 10**10 }}",
    "{{ 2 ** 100000000 }}",
    "{% for i in range(10**9) %}{% endfor %}",
    "{{ 1 / 0 }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_user_template_cannot_reach_python(tmp_path: Path, template: str) -> None:
    marker = tmp_path / "PWNED"
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "annex.md.j2").write_text(template.replace("MARKER", str(marker)), "utf-8")
    r = CliRunner().invoke(main, ["render", ALLIANCE, "--template-dir", str(tpl)])
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert isinstance(r.exception, SystemExit)
    assert r.stderr.startswith("error: template error")
    assert "Traceback" not in r.stderr
    assert not marker.exists()


def test_a_user_template_may_still_use_the_document(tmp_path: Path) -> None:
    (tmp_path / "annex.md.j2").write_text(
        "{{ doc.meta.title | upper }} {{ doc.sections | length }} {{ '-' * 3 }} {{ 2 ** 10 }}\n"
        "{% for s in doc.sections %}{{ loop.index }}. {{ s.title | rich }}\n{% endfor %}",
        "utf-8",
    )
    code, out, err = run(ALLIANCE, "--template-dir", str(tmp_path))
    assert code == 0, err
    assert out.startswith("ANNEXE — ALLIANCE SOLUTIONS DURABLES")
    assert "--- 1024" in out and "\n1. " in out


@pytest.mark.parametrize("where", ["id", "version", "title"])
def test_docx_of_a_contract_with_a_control_character_is_e009_not_a_crash(
    tmp_path: Path, where: str
) -> None:
    bad = "A\x00B\x1bC"
    header = {"id": f'  id "{bad}"\n', "version": f'  version "{bad}"\n', "title": ""}[where]
    title = bad if where == "title" else "T"
    path = tmp_path / "c.pact"
    path.write_text(f'contract "{title}" {{\n{header}  currency EUR\n}}\n', "utf-8")
    r = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "a.docx")])
    assert r.exit_code == 2, r.output
    assert isinstance(r.exception, SystemExit)
    assert "error[E009]: control character U+0000 NUL in a string" in r.stderr
    assert not (tmp_path / "a.docx").exists()
