"""Shared helpers of the annex tests: loading contracts, golden files, HTML text."""

from __future__ import annotations

import os
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pactlang
from pactlang.api import Contract

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "contracts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"

#: Contracts rendered into golden files: the examples and the every-form fixture.
CONTRACTS: dict[str, Path] = {
    "alliance": EXAMPLES / "alliance.pact",
    "coinvest_fund": EXAMPLES / "coinvest_fund.pact",
    "distribution": EXAMPLES / "distribution.pact",
    "reseller_sla": EXAMPLES / "reseller_sla.pact",
    "partnership": EXAMPLES / "partnership.pact",
    "forms": FIXTURES / "forms.pact",
}
EXAMPLE_NAMES = ("alliance", "coinvest_fund", "distribution", "reseller_sla", "partnership")

UPDATE = os.environ.get("PACT_UPDATE_GOLDEN") == "1"


@cache
def load(name: str) -> Contract:
    return pactlang.load(CONTRACTS[name])


def check_golden(path: Path, data: bytes) -> None:
    """Compare with the golden file; with PACT_UPDATE_GOLDEN=1, (re)write it instead."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {path.name}: run with PACT_UPDATE_GOLDEN=1"
    expected = path.read_bytes()
    if data != expected:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                expected.decode("utf-8").splitlines(),
                data.decode("utf-8").splitlines(),
                "golden",
                "rendered",
                lineterm="",
                n=1,
            )
        )
        raise AssertionError(
            f"{path.name} differs from the golden file (PACT_UPDATE_GOLDEN=1 to accept):\n"
            + diff[:4000]
        )


class Page(HTMLParser):
    """An HTML page as parsed by ``html.parser``: tags, attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text_parts: list[str] = []
        self.stack: list[str] = []
        self.style = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            self.attrs.append((tag, k, v))
        if tag not in ("br", "meta", "link", "img", "hr", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data
        elif not self.stack or self.stack[-1] != "title":
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


_SPACES = re.compile("[ \u00a0\u202f]+")


def spaced(text: str) -> str:
    """Text with every run of spaces (plain, no-break, narrow no-break) as one space."""
    return _SPACES.sub(" ", text)


def shown(label: str, lang: str) -> str:
    """A label as the annex prints it: through the typography rules
    (``render/typography.py``: typographic apostrophes, French spacing), spaces
    normalised (compare with :func:`spaced` text)."""
    from pactlang.render.typography import polish

    return spaced(polish(label, lang))


_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|#~&.])")


def md_text(md: str) -> str:
    """Markdown with its backslash escapes undone (what a reader sees)."""
    return _MD_ESCAPE.sub(r"\1", md)


def docx_text(data: bytes) -> str:
    import io

    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)
