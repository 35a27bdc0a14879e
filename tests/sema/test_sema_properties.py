"""Properties of semantic analysis that must hold for every input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pactlang.diagnostics import CODES, Diagnostic
from pactlang.sema import CheckedContract, Type, check
from pactlang.syntax.parser import parse_source


def run(text: str) -> tuple[CheckedContract, list[Diagnostic]]:
    parsed = parse_source(text, "p.pact")
    assert parsed.diagnostics == []
    cc, diags = check(parsed.module, "p.pact")
    assert cc is not None
    return cc, diags


# ------------------------------------------------- dependency order, cycles


@st.composite
def let_graphs(draw: st.DrawFn) -> tuple[dict[str, list[str]], list[str]]:
    """An acyclic graph of lets (each refers to earlier lets and maybe a measure),
    and a random declaration order."""
    n = draw(st.integers(1, 12))
    graph: dict[str, list[str]] = {}
    for i in range(n):
        earlier = [f"l{j}" for j in range(i)]
        refs = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3)) if earlier else []
        if draw(st.booleans()):
            refs.append("m")
        graph[f"l{i}"] = refs
    order = draw(st.permutations(list(graph)))
    return graph, list(order)


def let_line(name: str, refs: list[str]) -> str:
    return f"  let {name} = " + " + ".join(refs + ["1"])


def contract_of(graph: dict[str, list[str]], order: list[str]) -> str:
    lines = ['contract "G" {', "  currency EUR", '  measure m "M": number']
    lines += [let_line(n, graph[n]) for n in order]
    lines.append("}")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(let_graphs())
def test_order_lists_every_let_after_what_it_uses(
    data: tuple[dict[str, list[str]], list[str]],
) -> None:
    graph, order = data
    cc, diags = run(contract_of(graph, order))
    assert [d for d in diags if d.is_error] == []
    assert sorted(cc.order) == sorted(graph)
    pos = {n: i for i, n in enumerate(cc.order)}
    for n, refs in graph.items():
        assert cc.depends[n] == set(refs)
        for r in refs:
            if r != "m":
                assert pos[r] < pos[n]

    # a let is constant exactly when no measure is behind it, directly or not
    def reaches_measure(n: str) -> bool:
        return any(r == "m" or reaches_measure(r) for r in graph[n])

    assert cc.constants == {n for n in graph if not reaches_measure(n)}
    # and all of them are numbers
    assert all(cc.value_types[n] is Type.NUMBER for n in graph)


@settings(max_examples=60, deadline=None)
@given(let_graphs(), st.integers(1, 5), st.data())
def test_one_cycle_gives_one_error_naming_it(
    data: tuple[dict[str, list[str]], list[str]], ring: int, more: st.DataObject
) -> None:
    graph, order = data
    ring_names = [f"r{i}" for i in range(ring)]
    for i, n in enumerate(ring_names):
        graph[n] = [ring_names[(i + 1) % ring]]
    # some acyclic lets use the ring: they are behind it, not on it
    for n in list(graph):
        if n.startswith("l") and more.draw(st.booleans()):
            graph[n] = graph[n] + [more.draw(st.sampled_from(ring_names))]
    order = more.draw(st.permutations(list(graph)))
    cc, diags = run(contract_of(graph, list(order)))
    cycles = [d for d in diags if d.code == "E019"]
    assert len(cycles) == 1
    assert all(f"`{n}`" in cycles[0].message for n in ring_names)
    assert [d for d in diags if d.is_error and d.code != "E019"] == []
    assert sorted(cc.order) == sorted(graph)


# ------------------------------------------------------- money dimension


@st.composite
def money_exprs(draw: st.DrawFn, depth: int = 0) -> tuple[str, int | None]:
    """An arithmetic expression over money and number-like measures, with its money
    exponent computed by dimensional analysis (None when some step has no meaning:
    adding unlike dimensions, or an exponent other than 0 or 1)."""
    if depth >= 3 or draw(st.booleans()):
        name = draw(st.sampled_from(["cash", "fee", "n", "c", "p"]))
        return name, 1 if name in ("cash", "fee") else 0
    a, ea = draw(money_exprs(depth + 1))
    b, eb = draw(money_exprs(depth + 1))
    op = draw(st.sampled_from("+-*/"))
    text = f"({a} {op} {b})"
    if ea is None or eb is None:
        return text, None
    if op in "+-":
        return text, ea if ea == eb else None
    e = ea + eb if op == "*" else ea - eb
    return text, e if e in (0, 1) else None


@settings(max_examples=150, deadline=None)
@given(money_exprs())
def test_money_arithmetic_follows_dimensional_analysis(expr: tuple[str, int | None]) -> None:
    text, exponent = expr
    cc, diags = run(
        'contract "M" {\n  currency EUR\n'
        '  measure cash "C": money\n  measure fee "F": money\n'
        '  measure n "N": number\n  measure c "C": count\n  measure p "P": percent\n'
        f"  let x = {text}\n  let y = cash + fee + (n + c + p) * 1 EUR\n}}\n"
    )
    mistakes = [d for d in diags if d.code == "E022" and d.span and d.span.line == 8]
    if exponent is None:
        assert mistakes
        assert cc.value_types["x"] is Type.ERROR
    else:
        assert not mistakes
        t = cc.value_types["x"]
        assert (t is Type.MONEY) == (exponent == 1)
        assert t.is_numeric == (exponent == 0)


# ------------------------------------------------------------ robustness

FIXTURE_TEXTS = [
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parent / "fixtures").glob("*.pact"))
]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(FIXTURE_TEXTS), st.data())
def test_check_survives_any_edit_of_a_fixture(text: str, data: st.DataObject) -> None:
    """Deleting, duplicating or swapping lines of a valid or invalid contract
    never crashes the checker, and every diagnostic points inside the file."""
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    edited = "\n".join(lines) + "\n"
    parsed = parse_source(edited, "edited.pact")
    cc, diags = check(parsed.module, "edited.pact", parsed.broken_names)
    assert (cc is None) == (parsed.module.contract is None)
    for d in diags:
        assert d.code in CODES
        assert d.span is not None
        assert 0 <= d.span.start <= d.span.end <= len(edited)
