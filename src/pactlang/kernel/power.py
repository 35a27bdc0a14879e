"""Voting power (LANGUAGE.md §7 "Analysis"): who can pass, who can block, and how much each vote weighs.

For each decision of a :class:`~pactlang.kernel.committees.Committee`,
assuming full attendance and yes/no votes: the minimal winning coalitions,
the normalized Banzhaf and Shapley–Shubik indices (exact fractions), the
members that block alone (declared vetoes or not), those that pass alone
(dictators).  The plain-language findings drawn from them are the analysis's
(:mod:`pactlang.analysis.power_findings`).  A chair's casting vote is part of
the game: on a decision of ``majority`` (or exactly 1/2) a coalition holding
exactly half the weight wins when it includes the chair.

:func:`power` (one decision, a :class:`DecisionPower`) and the shortcuts
:func:`banzhaf` and :func:`shapley`.
"""

from __future__ import annotations

import collections
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, TypeAlias

from pactlang.base.values import exact_str
from pactlang.kernel.committees import (
    Committee,
    CommitteeError,
    Decision,
    casting,
)

__all__ = [
    "DP_MEMORY_LIMIT",
    "DP_STEP_LIMIT",
    "ENUMERATION_MAX_MEMBERS",
    "MWC_LIMIT",
    "DecisionPower",
    "MemberPower",
    "PowerMethod",
    "banzhaf",
    "power",
    "shapley",
]

PowerMethod: TypeAlias = Literal["dp", "enumeration", "unanimity"]

#: Default cap on the number of minimal winning coalitions listed (all are counted).
MWC_LIMIT = 100
#: Most memory, in bytes, the DP's tables may take.
DP_MEMORY_LIMIT = 256 * 1024 * 1024
#: Most elementary steps the DP may take (about 3 to 5 s on a laptop).
DP_STEP_LIMIT = 60_000_000
#: Largest committee the enumeration fallback accepts (2**n coalitions).
ENUMERATION_MAX_MEMBERS = 22


# ------------------------------------------------------------ voting power


@dataclass(frozen=True, slots=True)
class MemberPower:
    """One member's power on one decision.  ``swings`` is the raw Banzhaf count (coalitions
    of the others that lose without the member and win with it)."""

    name: str
    weight: Fraction
    banzhaf: Fraction
    shapley: Fraction
    swings: int
    declared_veto: bool
    effective_veto: bool
    passes_alone: bool
    dictator: bool
    dummy: bool

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weight": exact_str(self.weight),
            "banzhaf": str(self.banzhaf),
            "shapley": str(self.shapley),
            "swings": self.swings,
            "declared_veto": self.declared_veto,
            "effective_veto": self.effective_veto,
            "passes_alone": self.passes_alone,
            "dictator": self.dictator,
            "dummy": self.dummy,
        }


@dataclass(frozen=True, slots=True)
class DecisionPower:
    """Voting power on one decision (full attendance, yes/no votes only).

    * ``passable``: the grand coalition wins (else every index is 0 and the veto,
      dictator and dummy lists are empty);
    * ``winning_coalitions``: how many coalitions win;
    * ``minimal_winning``: minimal winning coalitions (member names in declaration
      order), sorted by size then declaration order; at most the requested limit
      (when truncated, which ones are listed is deterministic but they are not
      necessarily the smallest); ``minimal_winning_count`` is the full count;
    * ``effective_vetoes``: members in every winning coalition (declared or implied);
      ``implied_vetoes`` those the contract does not declare; ``redundant_vetoes``
      declared vetoes that add nothing (the member's weight already blocks alone);
    * ``passes_alone``: members whose yes alone passes; ``dictators``: those that also
      are in every winning coalition; ``dummies``: members with zero power;
    * ``method``: ``"dp"``, ``"enumeration"`` or ``"unanimity"`` (closed form);
      ``notes`` says why when it matters; ``findings``: plain-language remarks.
    """

    committee: str
    decision: str
    rule: str
    method: PowerMethod
    passable: bool
    members: tuple[MemberPower, ...]
    winning_coalitions: int
    minimal_winning: tuple[tuple[str, ...], ...]
    minimal_winning_count: int
    declared_vetoes: tuple[str, ...]
    effective_vetoes: tuple[str, ...]
    implied_vetoes: tuple[str, ...]
    redundant_vetoes: tuple[str, ...]
    passes_alone: tuple[str, ...]
    dictators: tuple[str, ...]
    dummies: tuple[str, ...]
    notes: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    @property
    def minimal_winning_truncated(self) -> bool:
        return self.minimal_winning_count > len(self.minimal_winning)

    @property
    def banzhaf(self) -> dict[str, Fraction]:
        """Normalized Banzhaf index by member, in declaration order."""
        return {m.name: m.banzhaf for m in self.members}

    @property
    def shapley(self) -> dict[str, Fraction]:
        """Shapley–Shubik index by member, in declaration order."""
        return {m.name: m.shapley for m in self.members}

    def member(self, name: str) -> MemberPower:
        for m in self.members:
            if m.name == name:
                return m
        raise CommitteeError(f"`{name}` is not a member of committee `{self.committee}`")

    def to_json(self) -> dict[str, object]:
        return {
            "committee": self.committee,
            "decision": self.decision,
            "rule": self.rule,
            "method": self.method,
            "passable": self.passable,
            "members": [m.to_json() for m in self.members],
            "winning_coalitions": self.winning_coalitions,
            "minimal_winning_coalitions": [list(c) for c in self.minimal_winning],
            "minimal_winning_count": self.minimal_winning_count,
            "minimal_winning_truncated": self.minimal_winning_truncated,
            "declared_vetoes": list(self.declared_vetoes),
            "effective_vetoes": list(self.effective_vetoes),
            "implied_vetoes": list(self.implied_vetoes),
            "redundant_vetoes": list(self.redundant_vetoes),
            "passes_alone": list(self.passes_alone),
            "dictators": list(self.dictators),
            "dummies": list(self.dummies),
            "notes": list(self.notes),
            "findings": list(self.findings),
        }


@dataclass(frozen=True, slots=True)
class _Game:
    """The decision as a weighted game on scaled integer weights: a coalition wins
    when it holds every veto member and its weight is at least ``quota``."""

    weights: tuple[int, ...]
    quota: int  # >= 1; > total means no coalition wins
    vetoes: frozenset[int]
    total: int

    @property
    def n(self) -> int:
        return len(self.weights)

    @property
    def passable(self) -> bool:
        return self.quota <= self.total


@dataclass(slots=True)
class _Raw:
    swings: list[int]
    shapley: list[Fraction]
    winning: int
    mwc_count: int
    mwc: list[tuple[int, ...]]
    effective_vetoes: list[int] = field(default_factory=list)
    passes_alone: list[int] = field(default_factory=list)
    redundant: list[int] = field(default_factory=list)


def _game(committee: Committee, dec: Decision) -> _Game:
    denoms = [m.weight.denominator for m in committee.members]
    scale = math.lcm(*denoms)
    ints = [int(m.weight * scale) for m in committee.members]
    g = math.gcd(*ints)
    ints = [w // g for w in ints]
    total = sum(ints)
    names = committee.member_names
    vetoes = frozenset(names.index(v) for v in dec.vetoes)
    rule = dec.rule
    chair = committee.chair
    if chair is not None and casting(rule) and committee.quorum_reachable():
        # the casting vote: a coalition of exactly half the weight wins when it holds
        # the chair.  Doubling every weight and giving the chair one more unit makes
        # that a weighted game: 2·w(S) + [chair ∈ S] > total
        doubled = [2 * w + (1 if n == chair else 0) for w, n in zip(ints, names, strict=True)]
        return _Game(tuple(doubled), total + 1, vetoes, 2 * total + 1)
    if not committee.quorum_reachable():
        quota = total + 1
    elif rule.kind == "unanimity":
        quota = total
    else:
        num, den = rule.fraction.numerator, rule.fraction.denominator
        # base = total weight (full attendance, yes/no only)
        quota = num * total // den + 1 if rule.strict else -(-num * total // den)
        quota = max(quota, 1)  # a ballot needs at least one yes
    return _Game(tuple(ints), quota, vetoes, total)


def _facts(n: int) -> list[int]:
    return [math.factorial(k) for k in range(n + 1)]


class _Windows:
    """Counting tables over the free members, by coalition size ``k`` and weight.

    Row ``k`` only ever holds weights between the sum of the ``k`` lightest and
    the sum of the ``k`` heaviest free members (any sub-collection of the free
    members stays inside those bounds), so it is stored as a list over that
    window: members of equal weight make every row a single cell."""

    def __init__(self, weights: list[int]) -> None:
        asc = sorted(weights)
        self.lo = list(itertools.accumulate(asc, initial=0))
        self.hi = list(itertools.accumulate(reversed(asc), initial=0))
        self.cells = sum(h - lo_ + 1 for lo_, h in zip(self.lo, self.hi, strict=True))

    def empty(self) -> list[list[int]]:
        return [[0] * (h - lo_ + 1) for lo_, h in zip(self.lo, self.hi, strict=True)]

    def range_sum(self, row: list[int], k: int, lo: int, hi: int) -> int:
        """Sum of ``row`` (row ``k``) over the weights ``lo..hi``."""
        base = self.lo[k]
        a, b = max(lo - base, 0), min(hi - base, len(row) - 1)
        return sum(row[a : b + 1]) if a <= b else 0


def _add_shifted(
    dst: list[int], dst_base: int, src: list[int], src_base: int, shift: int, times: int
) -> None:
    """``dst[w] += times * src[w - shift]`` over the weights both windows cover."""
    start = src_base + shift  # the weight of src[0] once shifted
    a = max(start, dst_base)
    b = min(start + len(src), dst_base + len(dst))  # exclusive
    if a >= b:
        return
    da, sa = a - dst_base, a - start
    n = b - a
    if times == 1:
        dst[da : da + n] = [x + y for x, y in zip(dst[da : da + n], src[sa : sa + n], strict=True)]
    elif times == -1:
        dst[da : da + n] = [x - y for x, y in zip(dst[da : da + n], src[sa : sa + n], strict=True)]
    else:
        dst[da : da + n] = [
            x + times * y for x, y in zip(dst[da : da + n], src[sa : sa + n], strict=True)
        ]


def _binomials(m: int) -> list[int]:
    """``[binom(m, 0), …, binom(m, m)]``."""
    row = [1]
    for j in range(m):
        row.append(row[-1] * (m - j) // (j + 1))
    return row


def _classes(free_weights: list[int]) -> list[tuple[int, int]]:
    """(weight, members) of each class of equal weights, the biggest class first."""
    return sorted(collections.Counter(free_weights).items(), key=lambda c: (-c[1], c[0]))


def _extents(weights: list[int]) -> tuple[list[int], list[int]]:
    """For each size k: the least and the greatest total weight of k of ``weights``."""
    asc = sorted(weights)
    lo = list(itertools.accumulate(asc, initial=0))
    hi = list(itertools.accumulate(reversed(asc), initial=0))
    return lo, hi


def _dp_cost(game: _Game) -> tuple[int, int]:
    """(bytes, elementary steps) :func:`_power_dp` would take, estimated before any
    of it (in closed form: the estimate itself costs one pass over the classes)."""
    free = [w for i, w in enumerate(game.weights) if i not in game.vetoes]
    win = _Windows(free)
    classes = _classes(free)
    steps = 0
    done: list[int] = []
    for index, (wc, m) in enumerate(classes):
        if index:
            # each row r of the members so far is added to rows r+1 .. r+m
            lo, hi = _extents(done)
            steps += m * sum(h - lo_ + 1 + 20 for lo_, h in zip(lo, hi, strict=True))
        done.extend([wc] * m)
    # removing one member of each class: a pass over the table; the count of
    # minimal winning coalitions: a pass over the weights per member (list slices,
    # about 8 cells per step)
    steps += len(classes) * (win.cells + 20 * (len(free) + 1))
    steps += len(free) * (sum(free) + 1) // 8
    # counts grow to 2**n: about n/8 bytes each, plus the int and the list slot
    memory = win.cells * (40 + game.n // 8)
    return memory, steps


def _power_dp(game: _Game, limit: int) -> _Raw:
    """Dynamic programming over integer weights, one pass per *class* of members.

    Veto members are forced into every coalition (conditioning): the table
    ``C[k][w]`` counts coalitions of the *free* (non-veto) members by size ``k`` and
    weight ``w``.  Free members of equal weight form a class: the table is built a
    class at a time, ``C'[k][w] = Σ_j binom(m, j) · C[k-j][w - j·w_c]`` (one
    binomial row for the first class), and since members of a class are
    interchangeable, the table without one of them (``D[k][w] = C[k][w] -
    D[k-1][w - w_c]``) and its swing counts are computed once per class.  A member
    ``i`` swings a coalition ``V ∪ S`` when ``q - w_i ≤ w(V) + w(S) < q``; a veto
    member swings ``(V - i) ∪ S`` whenever ``w(V) + w(S) ≥ q``.  Rows are stored
    over their possible weights only (:class:`_Windows`): 1,000 members of equal
    weight take 1,001 cells, not a million.
    """
    n = game.n
    w = game.weights
    q = game.quota
    vset = game.vetoes
    free = [i for i in range(n) if i not in vset]
    v = len(vset)
    w_v = sum(w[i] for i in vset)
    w_f = sum(w[i] for i in free)
    nf = len(free)
    fact = _facts(n)
    swings = [0] * n
    shap_num = [0] * n

    fw = [w[i] for i in free]
    win = _Windows(fw)
    classes = _classes(fw)
    table = win.empty()
    table[0][0] = 1
    if classes:  # the first class: binomial coefficients
        wc, m = classes[0]
        for j, count in enumerate(_binomials(m)):
            table[j][j * wc - win.lo[j]] = count
    done: list[int] = [classes[0][0]] * classes[0][1] if classes else []
    for wc, m in classes[1:]:
        lo_d, hi_d = _extents(done)  # where the rows of the members so far are not 0
        binom = _binomials(m)
        n_done = len(done)
        # in place, the biggest k first: row k - j (j >= 1) is still the old one
        for k in range(n_done + m, 0, -1):
            for j in range(max(1, k - n_done), min(m, k) + 1):
                r = k - j
                src = table[r][lo_d[r] - win.lo[r] : hi_d[r] - win.lo[r] + 1]
                _add_shifted(table[k], win.lo[k], src, lo_d[r], j * wc, binom[j])
        done.extend([wc] * m)

    lo_v = max(q - w_v, 0)
    winning = sum(win.range_sum(table[k], k, lo_v, w_f) for k in range(nf + 1))

    # veto members: every coalition (V - i) ∪ S with w(V) + w(S) >= q
    if vset:
        counts = [win.range_sum(table[k], k, lo_v, w_f) for k in range(nf + 1)]
        for i in vset:
            for k, cnt in enumerate(counts):
                if cnt:
                    swings[i] += cnt
                    shap_num[i] += cnt * fact[v - 1 + k] * fact[n - v - k]

    # free members, one class at a time: remove one member of weight wc from the
    # table, then count the coalitions of the others it turns into winners
    hi = q - w_v - 1
    if hi >= 0:  # else the veto members alone already win: no free member matters
        by_weight: dict[int, list[int]] = {}
        for i in free:
            by_weight.setdefault(w[i], []).append(i)
        for wc, members in by_weight.items():
            lo = max(q - w_v - wc, 0)
            sw = 0
            sh = 0
            prev: list[int] = []
            for k in range(nf):
                row = list(table[k])
                if k:
                    _add_shifted(row, win.lo[k], prev, win.lo[k - 1], wc, -1)
                cnt = win.range_sum(row, k, lo, hi)
                if cnt:
                    sw += cnt
                    sh += cnt * fact[v + k] * fact[n - v - k - 1]
                prev = row
            for i in members:
                swings[i] = sw
                shap_num[i] = sh

    # minimal winning coalitions: count with the free members sorted by weight
    # (descending), charging each coalition to its last (lightest) free member
    if w_v >= q:
        mwc_count = 1
    else:
        order = sorted(free, key=lambda i: (-w[i], i))
        prefix = [0] * (w_f + 1)
        prefix[0] = 1
        reach = 0
        mwc_count = 0
        for j in order:
            lo = max(q - w_v - w[j], 0)
            hi = q - w_v - 1
            mwc_count += sum(prefix[lo : hi + 1])
            wj = w[j]
            prefix[wj : wj + reach + 1] = [
                a + b for a, b in zip(prefix[wj : wj + reach + 1], prefix[: reach + 1], strict=True)
            ]
            reach += wj
    mwc = list(itertools.islice(_mwc_iter(game), limit))

    raw = _Raw(
        swings=swings,
        shapley=[Fraction(s, fact[n]) for s in shap_num],
        winning=winning,
        mwc_count=mwc_count,
        mwc=mwc,
    )
    total = game.total
    raw.effective_vetoes = [i for i in range(n) if i in vset or total - w[i] < q]
    raw.passes_alone = [i for i in range(n) if vset <= {i} and w[i] >= q]
    raw.redundant = [i for i in sorted(vset) if total - w[i] < q]
    return raw


def _mwc_iter(game: _Game) -> Iterator[tuple[int, ...]]:
    """Minimal winning coalitions by backtracking over free members, heaviest first.

    A coalition is recorded as soon as it reaches the quota: the member just added is
    its lightest free member, and dropping it falls below the quota, so it is minimal;
    extending it would not be.  Branches that cannot reach the quota are cut.
    """
    if not game.passable:
        return
    w = game.weights
    q = game.quota
    vetoes = tuple(sorted(game.vetoes))
    w_v = sum(w[i] for i in vetoes)
    if w_v >= q:
        yield vetoes
        return
    order = sorted((i for i in range(game.n) if i not in game.vetoes), key=lambda i: (-w[i], i))
    suffix = [0] * (len(order) + 1)
    for pos in range(len(order) - 1, -1, -1):
        suffix[pos] = suffix[pos + 1] + w[order[pos]]

    # depth-first, without recursion (a minimal coalition can have hundreds of
    # members): one frame per level, the next position to try at that level,
    # the members chosen above it and their weight
    nexts: list[int] = [0]
    chosen: list[tuple[int, ...]] = [()]
    weights: list[int] = [w_v]
    while nexts:
        at = nexts[-1]
        weight = weights[-1]
        if at >= len(order) or weight + suffix[at] < q:
            nexts.pop()
            chosen.pop()
            weights.pop()
            continue
        nexts[-1] = at + 1
        j = order[at]
        nw = weight + w[j]
        if nw >= q:
            yield tuple(sorted(vetoes + chosen[-1] + (j,)))
        else:
            nexts.append(at + 1)
            chosen.append((*chosen[-1], j))
            weights.append(nw)


def _power_enum(game: _Game, limit: int) -> _Raw:
    """Reference method: every one of the 2**n coalitions, definitions applied literally."""
    n = game.n
    w = game.weights
    size = 1 << n
    full = size - 1
    wsum = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        wsum[mask] = wsum[mask ^ low] + w[low.bit_length() - 1]
    vmask = sum(1 << i for i in game.vetoes)
    q = game.quota

    def table(vm: int) -> bytearray:
        return bytearray(
            1 if (m & vm) == vm and wsum[m] >= q and game.passable else 0 for m in range(size)
        )

    win = table(vmask)
    fact = _facts(n)
    swings = [0] * n
    shap_num = [0] * n
    for i in range(n):
        bit = 1 << i
        for m in range(size):
            if not m & bit and win[m | bit] and not win[m]:
                swings[i] += 1
                s = m.bit_count()
                shap_num[i] += fact[s] * fact[n - s - 1]
    winners = [m for m in range(size) if win[m]]
    minimal = [m for m in winners if all(not win[m ^ (1 << i)] for i in range(n) if m & (1 << i))]
    minimal.sort(key=lambda m: (m.bit_count(), [i for i in range(n) if m >> i & 1]))
    in_all = full
    for m in winners:
        in_all &= m
    raw = _Raw(
        swings=swings,
        shapley=[Fraction(s, fact[n]) for s in shap_num],
        winning=len(winners),
        mwc_count=len(minimal),
        mwc=[tuple(i for i in range(n) if m >> i & 1) for m in minimal[:limit]],
    )
    if winners:
        raw.effective_vetoes = [i for i in range(n) if in_all >> i & 1]
        raw.passes_alone = [i for i in range(n) if win[1 << i]]
        for i in sorted(game.vetoes):
            # the same game without i's declared veto: is i still in every winning coalition?
            alt = table(vmask & ~(1 << i))
            if all(m >> i & 1 for m in range(size) if alt[m]):
                raw.redundant.append(i)
    return raw


def _power_unanimity(game: _Game) -> _Raw:
    """Closed form: only the grand coalition wins; each member swings it once."""
    n = game.n
    if not game.passable:
        return _Raw([0] * n, [Fraction(0)] * n, 0, 0, [])
    everyone = list(range(n))
    return _Raw(
        swings=[1] * n,
        shapley=[Fraction(1, n)] * n,
        winning=1,
        mwc_count=1,
        mwc=[tuple(everyone)],
        effective_vetoes=everyone,
        passes_alone=everyone if n == 1 else [],
        redundant=sorted(game.vetoes),
    )


def power(
    committee: Committee,
    decision: str,
    *,
    method: Literal["auto", "dp", "enumeration"] = "auto",
    limit: int = MWC_LIMIT,
) -> DecisionPower:
    """Voting power on one decision, assuming full attendance and yes/no votes.

    ``method="auto"`` uses the closed form for ``unanimity`` and dynamic programming
    over integer weights otherwise (:func:`_power_dp`, one pass per class of equal
    weights: 1,000 members of equal weight cost about what 1 member costs times
    1,000).  When the DP would take more than :data:`DP_STEP_LIMIT` steps or
    :data:`DP_MEMORY_LIMIT` bytes (estimated beforehand), a committee of at most
    :data:`ENUMERATION_MAX_MEMBERS` members is enumerated instead (and ``notes`` say
    so); a bigger one is a :class:`CommitteeError` that says why and what would
    make it cheaper.  ``"dp"`` and ``"enumeration"`` force a method (enumeration
    is the literal reference; it needs at most :data:`ENUMERATION_MAX_MEMBERS`
    members).  At most ``limit`` minimal winning coalitions are listed; all are
    counted.
    """
    dec = committee.decision(decision)
    game = _game(committee, dec)
    n = game.n
    notes: list[str] = ["assumes full attendance and yes/no votes only"]
    if committee.chair is not None and casting(dec.rule):
        notes.append(
            f"the chair {committee.chair} breaks ties: a coalition of exactly half the "
            "weight wins when it holds the chair"
        )
    if committee.consensus_rounds:
        notes.append(
            f"consensus rounds ignored: power is that of the rule applying from round "
            f"{committee.consensus_rounds + 1}"
        )
    chosen: PowerMethod
    if method == "auto" and dec.rule.kind == "unanimity":
        chosen = "unanimity"
    elif method == "enumeration":
        chosen = "enumeration"
    elif method == "dp":
        chosen = "dp"
    else:
        memory, steps = _dp_cost(game)
        if memory <= DP_MEMORY_LIMIT and steps <= DP_STEP_LIMIT:
            chosen = "dp"
        elif n <= ENUMERATION_MAX_MEMBERS:
            chosen = "enumeration"
            notes.append(
                f"weights too fine-grained for the weight-sum table (about {steps:,} steps, "
                f"{memory // 1_000_000:,} MB): all {1 << n} coalitions were enumerated"
            )
        else:
            classes = len(set(game.weights))
            raise CommitteeError(
                f"committee `{committee.name}`, decision `{dec.name}`: the voting power of "
                f"{n} members with {classes} different weights (total weight "
                f"{game.total:,} once scaled to whole numbers) is too costly to compute "
                f"exactly (about {steps:,} steps and {memory // 1_000_000:,} MB; the limits "
                f"are {DP_STEP_LIMIT:,} steps and {DP_MEMORY_LIMIT // 1_000_000:,} MB); "
                "fewer distinct weights, or weights with a common factor, make it cheaper"
            )
    if chosen == "enumeration" and n > ENUMERATION_MAX_MEMBERS:
        raise CommitteeError(
            f"committee `{committee.name}`: {n} members are too many to enumerate "
            f"(enumeration is limited to {ENUMERATION_MAX_MEMBERS} members)"
        )
    if not game.passable:
        raw = _Raw([0] * n, [Fraction(0)] * n, 0, 0, [])
    elif chosen == "unanimity":
        raw = _power_unanimity(game)
    elif chosen == "dp":
        raw = _power_dp(game, limit)
    else:
        raw = _power_enum(game, limit)

    names = committee.member_names
    total_swings = sum(raw.swings)
    veto_set = set(raw.effective_vetoes)
    alone = set(raw.passes_alone)
    members: list[MemberPower] = []
    for i, m in enumerate(committee.members):
        members.append(
            MemberPower(
                name=m.name,
                weight=m.weight,
                banzhaf=Fraction(raw.swings[i], total_swings) if total_swings else Fraction(0),
                shapley=raw.shapley[i],
                swings=raw.swings[i],
                declared_veto=m.name in dec.vetoes,
                effective_veto=i in veto_set,
                passes_alone=i in alone,
                dictator=i in alone and i in veto_set,
                dummy=game.passable and raw.swings[i] == 0,
            )
        )
    mwc = sorted(raw.mwc, key=lambda c: (len(c), c))
    declared = tuple(v for v in names if v in dec.vetoes)
    power_ = DecisionPower(
        committee=committee.name,
        decision=dec.name,
        rule=dec.rule.text,
        method=chosen,
        passable=game.passable,
        members=tuple(members),
        winning_coalitions=raw.winning,
        minimal_winning=tuple(tuple(names[i] for i in c) for c in mwc),
        minimal_winning_count=raw.mwc_count,
        declared_vetoes=declared,
        effective_vetoes=tuple(m.name for m in members if m.effective_veto),
        implied_vetoes=tuple(m.name for m in members if m.effective_veto and not m.declared_veto),
        redundant_vetoes=tuple(names[i] for i in raw.redundant),
        passes_alone=tuple(m.name for m in members if m.passes_alone),
        dictators=tuple(m.name for m in members if m.dictator),
        dummies=tuple(m.name for m in members if m.dummy),
        notes=tuple(notes),
    )
    return power_


def banzhaf(committee: Committee, decision: str, party: str) -> Fraction:
    """Normalized Banzhaf index of ``party`` on ``decision`` (0 when nothing can pass)."""
    committee.weight_of(party)
    return power(committee, decision, limit=0).member(party).banzhaf


def shapley(committee: Committee, decision: str, party: str) -> Fraction:
    """Shapley–Shubik index of ``party`` on ``decision`` (0 when nothing can pass)."""
    committee.weight_of(party)
    return power(committee, decision, limit=0).member(party).shapley
