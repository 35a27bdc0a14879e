"""Pass 4: the evaluation schedule, aware of time (LANGUAGE.md §5 "Definitions over time").

The references collected by :mod:`pactlang.sema.resolve` form a graph whose
nodes are lets, KPIs, thresholds and waterfall *tiers* (``fund#0``,
``fund#1``…, each tier depending on the one before it), and whose edges are
marked *same month* or *earlier months* (inside ``previous(…)``).

* A cycle of same-month edges has no order: E019, once per cycle, with the
  cycle's path and a note on each link.
* Constructs that depend on each other through earlier months (a rollover
  ``let bank = … previous(bank) …``, a threshold reading
  ``previous(status(itself))``, a cap reading a let that reads an earlier
  tier) form a *recurrence*: they are computed month by month, and within a
  month in the order of their same-month edges (tier by tier for waterfalls).
* Everything else is computed over the whole timeline at once, after what it
  depends on.

The result is :attr:`CheckedContract.groups` (in dependency order, ties in
declaration order) and its flattening :attr:`CheckedContract.order`.
"""

from __future__ import annotations

import heapq
from collections import deque

from pactlang.diagnostics import Related, Span
from pactlang.sema.context import KPI, LET, ORDERED_KINDS, WATERFALL, Checker
from pactlang.sema.model import Group
from pactlang.syntax import ast


def _owner(node: str) -> str:
    return node.partition("#")[0]


def _tier(node: str) -> int:
    _, sep, tier = node.partition("#")
    return int(tier) if sep else -1


def order(ck: Checker) -> None:
    cc = ck.cc
    constructs = [n for n, k in ck.kind.items() if k in ORDERED_KINDS]
    nodes: list[str] = []
    for n in constructs:
        decl = ck.decl[n]
        if isinstance(decl, ast.WaterfallDecl):
            nodes.extend(f"{n}#{i}" for i in range(len(decl.tiers)))
        else:
            nodes.append(n)
    node_set = set(nodes)
    rank = {v: (ck.index[_owner(v)], _tier(v)) for v in nodes}

    # same-month edges (a tier needs the tier before it) and every edge
    now: dict[str, list[str]] = {v: [] for v in nodes}
    every: dict[str, list[str]] = {v: [] for v in nodes}
    where: dict[tuple[str, str], Span] = {}
    for v in nodes:
        if _tier(v) > 0:
            now[v].append(f"{_owner(v)}#{_tier(v) - 1}")
        for target, (same, span) in ck.fine.get(v, {}).items():
            if target not in node_set:
                continue
            every[v].append(target)
            where[(v, target)] = span
            if same:
                now[v].append(target)
    for v in nodes:
        every[v].extend(t for t in now[v] if t not in every[v])

    cyclic: set[str] = set()
    for comp in _sccs(nodes, now):
        if len(comp) > 1 or comp[0] in now[comp[0]]:
            cyclic.update(_owner(v) for v in comp)
            _report_cycle(ck, comp, now, where)

    # constructs: the strongly connected components of every edge
    succ: dict[str, set[str]] = {n: set() for n in constructs}
    self_loop: set[str] = set()
    for v in nodes:
        a = _owner(v)
        for w in every[v]:
            b = _owner(w)
            if a != b:
                succ[a].add(b)
            elif w not in now[v]:
                self_loop.add(a)  # it reads its own earlier months: a recurrence
    comps = _sccs(constructs, {n: sorted(s) for n, s in succ.items()})
    comp_of = {n: i for i, comp in enumerate(comps) for n in comp}
    # Kahn's algorithm over the components, ties broken by declaration order
    deps: list[set[int]] = [set() for _ in comps]
    users: list[set[int]] = [set() for _ in comps]
    for a, targets in succ.items():
        for b in targets:
            i, j = comp_of[a], comp_of[b]
            if i != j:
                deps[i].add(j)
                users[j].add(i)
    first = [min(ck.index[n] for n in comp) for comp in comps]
    indeg = [len(d) for d in deps]
    heap = [(first[i], i) for i in range(len(comps)) if indeg[i] == 0]
    heapq.heapify(heap)
    groups: list[Group] = []
    while heap:
        _, i = heapq.heappop(heap)
        comp = sorted(comps[i], key=lambda n: ck.index[n])
        if len(comp) == 1 and comp[0] not in self_loop:
            groups.append(Group((comp[0],), ()))
        else:
            members = [v for v in nodes if _owner(v) in comp]
            tasks = _topological(members, now, rank)
            groups.append(Group(tuple(comp), tuple((_owner(v), _tier(v)) for v in tasks)))
        for u in users[i]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(heap, (first[u], u))
    cc.groups = groups
    cc.order = [n for g in groups for n in g.names]
    cc.depends = {n: frozenset(ck.deps.get(n, {})) for n in cc.order}
    constants: set[str] = set()
    for n in cc.order:
        if n in cyclic:
            continue
        if ck.kind[n] in (LET, KPI) and n not in ck.timed:
            if all(d in constants for d in ck.deps.get(n, {})):
                constants.add(n)
    cc.constants = frozenset(constants)


def _topological(
    members: list[str], now: dict[str, list[str]], rank: dict[str, tuple[int, int]]
) -> list[str]:
    """The members in an order of their same-month edges (ties by declaration
    order, tiers in order); members left on a cycle (already reported) last."""
    inside = set(members)
    indeg = {v: len({w for w in now[v] if w in inside}) for v in members}
    users: dict[str, list[str]] = {v: [] for v in members}
    for v in members:
        for w in set(now[v]):
            if w in inside:
                users[w].append(v)
    heap = [(rank[v], v) for v in members if indeg[v] == 0]
    heapq.heapify(heap)
    out: list[str] = []
    while heap:
        _, v = heapq.heappop(heap)
        out.append(v)
        for u in users[v]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(heap, (rank[u], u))
    placed = set(out)
    out.extend(v for v in members if v not in placed)
    return out


def _sccs(nodes: list[str], succ: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            v, it = work[-1]
            pushed = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    pushed = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if pushed:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def _shown(node: str) -> str:
    owner, sep, tier = node.partition("#")
    return f"`{owner}` (tier {int(tier) + 1})" if sep else f"`{owner}`"


def _report_cycle(
    ck: Checker, comp: list[str], succ: dict[str, list[str]], where: dict[tuple[str, str], Span]
) -> None:
    members = set(comp)
    start = min(comp, key=lambda v: (ck.index[_owner(v)], _tier(v)))
    path = _cycle_through(start, members, succ)
    owner = _owner(start)
    if len(path) == 1:
        message = f"circular definition: `{owner}` refers to itself in the same month"
    else:
        message = "circular definition: " + " → ".join(_shown(v) for v in [*path, start])
    related: list[Related] = []
    for a, b in zip(path, [*path[1:], start], strict=True):
        span = where.get((a, b))
        if span is not None:
            related.append(Related(span, f"{_shown(a)} refers to {_shown(b)} here"))
    if any(ck.kind[_owner(v)] == WATERFALL for v in path):
        help_text = (
            "a waterfall cannot depend on its own payouts of the same month through other "
            "values, except on earlier tiers; read earlier months with `previous(…)`"
        )
    else:
        help_text = (
            "a value cannot depend on itself in the same month; read its earlier months "
            "with `previous(…)`, e.g. `previous(x) otherwise 0`"
        )
    ck.bag.error("E019", message, ck.decl_span(owner), help=help_text, related=related)


def _cycle_through(start: str, members: set[str], succ: dict[str, list[str]]) -> list[str]:
    """A shortest cycle from ``start`` back to itself inside one component."""
    if start in succ[start]:
        return [start]
    parent: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        v = queue.popleft()
        for w in succ[v]:
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            if w in members and w not in seen:
                seen.add(w)
                parent[w] = v
                queue.append(w)
    return [start]  # pragma: no cover - a component always holds a cycle through start
