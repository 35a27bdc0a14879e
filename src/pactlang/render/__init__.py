"""``pact render``: the human-readable contract annex (Markdown, HTML, DOCX, PDF).

Pipeline: the checked contract → a language-neutral model
(:mod:`~pactlang.render.model`) → a localized document
(:mod:`~pactlang.render.layout`, words from :mod:`~pactlang.render.i18n`
catalogues, formulas in words from :mod:`~pactlang.render.words`) → one of the
backends (:mod:`~pactlang.render.markup` for Markdown and HTML through Jinja
templates, :mod:`~pactlang.render.docx`, :mod:`~pactlang.render.pdf`).

>>> import pactlang
>>> from pactlang.render import render
>>> data = render(pactlang.load("examples/contracts/alliance.pact"), lang="en", fmt="html")

Output is deterministic: the same contract, language, format and templates
give the same bytes (DOCX and PDF metadata are pinned to the contract).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

from pactlang.render.doc import Document
from pactlang.render.i18n import LANGUAGES
from pactlang.render.model import Annex, RenderError, build
from pactlang.render.pdf import PdfUnavailable

if TYPE_CHECKING:
    from pactlang.sema.model import CheckedContract, Loaded

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "Format",
    "PdfUnavailable",
    "RenderError",
    "Rendered",
    "document",
    "render",
    "render_full",
]

Format = Literal["md", "html", "docx", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "docx", "pdf")
#: Formats that are text (written to stdout when no output file is given).
TEXT_FORMATS: tuple[Format, ...] = ("md", "html")


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes
    lang: str
    fmt: Format
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _checked(contract: Loaded | CheckedContract) -> CheckedContract:
    checked = getattr(contract, "checked", None)
    return cast("CheckedContract", checked if checked is not None else contract)


def document(
    contract: Loaded | CheckedContract,
    lang: str | None = None,
    warn: Callable[[str], None] | None = None,
    *,
    notes: bool = False,
) -> Document:
    """The localized annex document (what every format draws); ``notes`` adds the
    negotiator's notes (voting power, implied vetoes, rules that never apply)."""
    from pactlang.render.layout import layout

    cc = _checked(contract)
    language = lang or cc.language
    if language not in LANGUAGES:
        raise RenderError(f"cannot render in {language!r}: annexes are rendered in en or fr")
    annex: Annex = build(cc)
    return layout(annex, language, warn or (lambda _msg: None), notes=notes)


def render_full(
    contract: Loaded | CheckedContract,
    lang: str | None = None,
    fmt: str = "md",
    *,
    template_dir: str | os.PathLike[str] | None = None,
    notes: bool = False,
) -> Rendered:
    """Render the annex; returns the bytes and the warnings (missing translations)."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    warnings: list[str] = []
    doc = document(contract, lang, warnings.append, notes=notes)
    if fmt == "md":
        from pactlang.render.markup import render_markdown

        data = render_markdown(doc, template_dir).encode("utf-8")
    elif fmt == "html":
        from pactlang.render.markup import render_html

        data = render_html(doc, template_dir).encode("utf-8")
    elif fmt == "docx":
        from pactlang.render.docx import render_docx

        data = render_docx(doc)
    else:
        from pactlang.render.markup import render_html
        from pactlang.render.pdf import render_pdf

        data = render_pdf(render_html(doc, template_dir), doc)
    return Rendered(data, doc.lang, cast(Format, fmt), tuple(warnings))


def render(
    contract: Loaded | CheckedContract,
    lang: str | None = None,
    fmt: str = "md",
    *,
    template_dir: str | os.PathLike[str] | None = None,
    notes: bool = False,
) -> bytes:
    """The annex of ``contract`` in ``lang`` (default: the contract's language) as
    ``md``, ``html``, ``docx`` or ``pdf`` bytes; ``notes`` adds the negotiator's notes."""
    return render_full(contract, lang, fmt, template_dir=template_dir, notes=notes).data
