"""PDF output: the HTML annex laid out by WeasyPrint (optional extra ``pdf``).

WeasyPrint is imported lazily: without it (or without the Pango libraries it
needs) :class:`~pactlang.render.PdfUnavailable` explains what to install.

Deterministic bytes: WeasyPrint takes the PDF metadata from the HTML head;
the template pins ``dcterms.created``/``dcterms.modified`` to the contract's
effective date, and the PDF file identifier is derived from the document's
content instead of being random.
"""

from __future__ import annotations

import hashlib

from pactlang.render.doc import Document

__all__ = ["render_pdf", "weasyprint_available"]

INSTALL_HINT = (
    "PDF output needs WeasyPrint and the Pango libraries: "
    "pip install 'pactlang[pdf]' (and, on Debian/Ubuntu, "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


def _weasyprint() -> object:
    from pactlang.render import PdfUnavailable

    try:
        import weasyprint
    except ImportError as exc:  # not installed
        raise PdfUnavailable(f"{INSTALL_HINT} ({exc})") from None
    except OSError as exc:  # installed, but Pango/GObject cannot be loaded
        raise PdfUnavailable(f"{INSTALL_HINT} ({exc})") from None
    return weasyprint


def weasyprint_available() -> bool:
    from pactlang.render import PdfUnavailable

    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def render_pdf(html: str, doc: Document) -> bytes:
    weasyprint = _weasyprint()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = weasyprint.HTML(string=html, base_url=None).render()  # type: ignore[attr-defined]
    data: bytes = document.write_pdf(pdf_identifier=identifier)
    return data
