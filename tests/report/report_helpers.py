"""A strict little DOM for the report tests, built with :mod:`html.parser`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "examples" / "contracts"
DATA = ROOT / "examples" / "data"
ALLIANCE = CONTRACTS / "alliance.pact"
ALLIANCE_CSV = DATA / "alliance.csv"
PORTFOLIO_CSV = DATA / "alliance_portfolio.csv"

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Node]:
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))

    def find_all(self, tag: str, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, (tag, cls, attrs)
        return found[0]

    def text(self) -> str:
        out: list[str] = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        return "".join(out)

    def clean_text(self) -> str:
        return re.sub(
            r"\s+", " ", self.text().replace("\u00a0", " ").replace("\u202f", " ")
        ).strip()


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        open_tag = self.stack[-1].tag
        assert open_tag == tag, f"</{tag}> closes <{open_tag}> at {self.getpos()}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> tuple[Node, str | None]:
    """The document tree (every element closed in order, else AssertionError) and its doctype."""
    p = _Parser()
    p.feed(html)
    p.close()
    assert len(p.stack) == 1, f"unclosed elements: {[n.tag for n in p.stack[1:]]}"
    return p.root, p.doctype


def path_points(d: str) -> list[tuple[str, Decimal, Decimal]]:
    """``(command, x, y)`` for each point of an ``M x y L x y`` path (test-side parsing only)."""
    return [
        (c, Decimal(x), Decimal(y))
        for c, x, y in re.findall(r"([ML])(-?\d+\.\d\d) (-?\d+\.\d\d)", d)
    ]


def status_grid(section: Node) -> dict[str, list[set[str]]]:
    """Threshold name → the class sets of its cells, month after month (years joined)."""
    rows: dict[str, list[set[str]]] = {}
    for table in section.find_all("table", "t-status"):
        for tr in table.find("tbody").find_all("tr"):
            name = tr.find("th").find("code").text()
            rows.setdefault(name, []).extend(td.classes for td in tr.find_all("td"))
    return rows
