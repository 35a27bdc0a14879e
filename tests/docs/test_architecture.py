"""The architecture of ``docs/architecture.md`` is the code's.

Every module of ``src/pactlang`` is parsed with :mod:`ast` (nothing is
imported), and the checks read their spec from the documentation itself:

* **layers** — the layer table of ``## Layers`` (``| n | name | paths |``)
  places every module; every import of a module (at the top, inside a
  function or class, under ``if TYPE_CHECKING:`` alike) goes to a module of
  the same layer or a lower one;
* **no cycle** — the graph of those imports between modules (function-level
  ones included) has no cycle;
* **size** — no module is longer than :data:`MAX_LINES` lines, except those
  of :data:`OVERSIZED` (a temporary list that may only shrink: a module of it
  that is no longer too long fails the test, so that it is taken off);
* **the command stays a command** — ``cli.py`` imports nothing from the
  engines, the kernel, the IR, the I/O layer or the code generator: it goes
  through the façade (``api.py``);
* **unique class names per layer** — two public classes of one layer do not
  share a name (``WaterfallView`` of the annex and of the report were two);
* **homes exist** — every module named in the construct → module table of
  ``## One construct, one home`` exists.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "pactlang"
ARCHITECTURE = REPO / "docs" / "architecture.md"

MAX_LINES = 800

#: Modules over :data:`MAX_LINES` for now. Only ever shrinks (it is empty).
OVERSIZED: frozenset[str] = frozenset()

#: What ``cli.py`` may not import: the layers under the façade that the
#: command has no business reaching into directly.
CLI_FORBIDDEN = ("engine/", "kernel/", "ir/", "io/", "codegen/")


# ------------------------------------------------------------------ the doc


def _section(title: str) -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@dataclass(frozen=True)
class Layer:
    rank: int
    name: str
    paths: tuple[str, ...]  # "kernel/" (a package) or "api.py" (a module)


@cache
def layers() -> tuple[Layer, ...]:
    """The rows of the layer table, in the order of the doc."""
    out = []
    for line in _section("Layers").splitlines():
        m = re.fullmatch(r"\|\s*(\d+)\s*\|\s*([\w ]+?)\s*\|(.*)\|", line.strip())
        if m:
            paths = tuple(re.findall(r"`([^`]+)`", m.group(3)))
            out.append(Layer(int(m.group(1)), m.group(2), paths))
    return tuple(out)


def homes() -> list[str]:
    """The module paths of the construct → module table."""
    out = []
    for line in _section("One construct, one home").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`"):
            out.extend(re.findall(r"`([\w/]+\.py)`", cells[1]))
    return out


# -------------------------------------------------------------- the modules


def modules() -> list[str]:
    """Every module, as a path relative to ``src/pactlang`` (``kernel/run.py``)."""
    return sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py"))


def layer_of(rel: str) -> Layer:
    """The layer of a module: the row whose path is the module itself or the
    longest package prefix of it. The package's own ``__init__.py`` (the lazy
    re-exports of the façade) is the façade's."""
    if rel == "__init__.py":
        rel = "api.py"
    best: tuple[int, Layer] | None = None
    for layer in layers():
        for path in layer.paths:
            if path == rel or (path.endswith("/") and rel.startswith(path)):
                if best is None or len(path) > best[0]:
                    best = (len(path), layer)
    assert best is not None, f"docs/architecture.md: no layer holds {rel}"
    return best[1]


def _module_path(dotted: str) -> str | None:
    """``pactlang.kernel.run`` → ``kernel/run.py`` (a package → its ``__init__.py``)."""
    parts = dotted.split(".")
    if parts[0] != "pactlang":
        return None
    base = SRC.joinpath(*parts[1:])
    if base.with_suffix(".py").is_file() and parts[1:]:
        return base.with_suffix(".py").relative_to(SRC).as_posix()
    if (base / "__init__.py").is_file():
        return (base / "__init__.py").relative_to(SRC).as_posix()
    return None


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    line: int


def _package_of(rel: str) -> list[str]:
    parts = ["pactlang", *rel.removesuffix(".py").split("/")]
    return parts[:-1]


@cache
def imports_of(rel: str) -> tuple[Import, ...]:
    """Every import of ``pactlang`` modules anywhere in ``rel`` (``from x import
    name`` counts as an import of the submodule ``x.name`` when there is one)."""
    tree = ast.parse((SRC / rel).read_text(encoding="utf-8"), filename=rel)
    out: list[Import] = []

    def add(dotted: str, line: int) -> None:
        target = _module_path(dotted)
        if target is not None and target != rel:
            out.append(Import(rel, target, line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(rel)
                base = package[: len(package) - node.level + 1]
                dotted = ".".join(base + ([node.module] if node.module else []))
            else:
                dotted = node.module or ""
            for alias in node.names:
                sub = _module_path(f"{dotted}.{alias.name}")
                if sub is not None:
                    add(f"{dotted}.{alias.name}", node.lineno)
                else:
                    add(dotted, node.lineno)
    return tuple(out)


def all_imports() -> Iterator[Import]:
    for rel in modules():
        yield from imports_of(rel)


# -------------------------------------------------------------------- tests


def test_the_layer_table_is_read() -> None:
    table = layers()
    assert [layer.rank for layer in table] == list(range(len(table)))
    named = {layer.name for layer in table}
    assert {"ground", "kernel", "presentation", "outputs", "commands"} <= named
    for layer in table:
        for path in layer.paths:
            assert (SRC / path).exists(), f"the layer table names {path}, which does not exist"


def test_every_module_has_a_layer() -> None:
    for rel in modules():
        layer_of(rel)


def test_imports_go_down_the_layers() -> None:
    wrong = [
        f"{i.source}:{i.line} ({layer_of(i.source).name}) imports {i.target} "
        f"({layer_of(i.target).name})"
        for i in all_imports()
        if layer_of(i.target).rank > layer_of(i.source).rank
    ]
    assert not wrong, "imports that go up a layer:\n" + "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan,
    iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {rel: set() for rel in modules()}
    for i in all_imports():
        graph[i.source].add(i.target)
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def line_count(rel: str) -> int:
    return len((SRC / rel).read_text(encoding="utf-8").splitlines())


def test_modules_are_short() -> None:
    long_ = {rel: line_count(rel) for rel in modules() if line_count(rel) > MAX_LINES}
    unexpected = {rel: n for rel, n in long_.items() if rel not in OVERSIZED}
    assert not unexpected, f"modules over {MAX_LINES} lines: {unexpected}"
    fixed = sorted(OVERSIZED - set(long_))
    assert not fixed, f"take these off OVERSIZED, they are short now: {fixed}"


def test_cli_goes_through_the_facade() -> None:
    wrong = [
        f"cli.py:{i.line} imports {i.target}"
        for i in imports_of("cli.py")
        if i.target.startswith(CLI_FORBIDDEN)
    ]
    assert not wrong, "cli.py reaches under the façade:\n" + "\n".join(wrong)


def public_classes(rel: str) -> Iterator[str]:
    tree = ast.parse((SRC / rel).read_text(encoding="utf-8"), filename=rel)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield node.name


def test_class_names_are_unique_in_a_layer() -> None:
    seen: dict[tuple[int, str], str] = {}
    clashes = []
    for rel in modules():
        rank = layer_of(rel).rank
        for name in public_classes(rel):
            other = seen.setdefault((rank, name), rel)
            if other != rel:
                clashes.append(f"{name}: {other} and {rel}")
    assert not clashes, "one class name, two classes of one layer:\n" + "\n".join(clashes)


@pytest.mark.parametrize("home", homes())
def test_every_home_exists(home: str) -> None:
    assert (SRC / home).is_file(), f"docs/architecture.md gives {home} as a home; it does not exist"


def test_homes_are_read() -> None:
    assert {"kernel/series.py", "kernel/waterfalls.py", "sema/graph.py"} <= set(homes())


# ---------------------------------------------- the checker checks something


def test_relative_and_submodule_imports_are_resolved() -> None:
    targets = {i.target for i in imports_of("kernel/run.py")}
    assert "kernel/timeline.py" in targets
    assert any(i.target.startswith("kernel/") for i in imports_of("runtime.py"))


def test_function_level_and_type_checking_imports_are_seen() -> None:
    # portfolio.py imports the Spark driver inside a function, and the loaded
    # contract for type checking only
    targets = {i.target for i in imports_of("portfolio.py")}
    assert "sql/spark.py" in targets
    assert "contract.py" in targets


def test_upward_imports_are_caught() -> None:
    assert layer_of("kernel/run.py").rank < layer_of("report/html.py").rank
    assert layer_of("__init__.py") == layer_of("api.py")
    assert layer_of("sql/spark.py") == layer_of("portfolio.py")
