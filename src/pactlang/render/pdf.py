"""PDF output: the HTML annex laid out by WeasyPrint (optional extra ``pdf``).

WeasyPrint is imported lazily: without it (or without the Pango libraries it
needs) :class:`~pactlang.render.PdfUnavailable` explains what to install.

Deterministic bytes: WeasyPrint takes the PDF metadata from the HTML head;
the template pins ``dcterms.created``/``dcterms.modified`` to the contract's
effective date, and the PDF file identifier is derived from the document's
content instead of being random.  Without the HarfBuzz-subset library,
WeasyPrint subsets the embedded fonts with fontTools, which stamps the current
time into each font's ``head`` table unless ``SOURCE_DATE_EPOCH`` is set (the
reproducible-builds convention): :func:`render_pdf` sets it to the contract's
date for the duration of the call and restores the previous value.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pactlang.render.doc import Document

__all__ = ["render_pdf", "weasyprint_available"]

class PdfUnavailable(RuntimeError):
    """PDF output needs the optional ``pdf`` extra (weasyprint) and Pango."""


INSTALL_HINT = (
    "PDF output needs WeasyPrint and the Pango libraries: "
    "pip install 'pactlang[pdf]' (and, on Debian/Ubuntu, "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
)


def _weasyprint() -> object:
    try:
        import weasyprint
    except ImportError as exc:  # not installed
        raise PdfUnavailable(f"{INSTALL_HINT} ({exc})") from None
    except OSError as exc:  # installed, but Pango/GObject cannot be loaded
        raise PdfUnavailable(f"{INSTALL_HINT} ({exc})") from None
    return weasyprint


def weasyprint_available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


_ENVIRON_LOCK = threading.Lock()


def source_date_epoch(date: str) -> int:
    """Seconds since 1970-01-01 UTC of an ISO date (dates before 1970 count as 1970:
    font timestamps cannot be negative)."""
    day = datetime.date.fromisoformat(date)
    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    return max(0, int(moment.timestamp()))


@contextmanager
def _pinned_clock(date: str) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to ``date`` inside the block, restored after it."""
    with _ENVIRON_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(date))
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def render_pdf(html: str, doc: Document) -> bytes:
    weasyprint = _weasyprint()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    with _pinned_clock(doc.meta.date):
        document = weasyprint.HTML(string=html, base_url=None).render()  # type: ignore[attr-defined]
        data: bytes = document.write_pdf(pdf_identifier=identifier)
    return data
