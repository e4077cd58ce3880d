"""Signed blocs: split a signed actor network into camps (structural balance).

A partition's *frustration* is the weight of ties it contradicts: positive ties
between camps plus negative ties inside a camp. We minimise it per connected
component with a greedy local search (move one actor at a time to the camp --
or a fresh camp -- that lowers frustration most) started from several
deterministic partitions: a two-colouring of the maximum spanning tree, the
spectral split of the signed Laplacian (Kunegis et al. 2010; small components
only), everything in one camp, and seeded random splits. The
best local optimum wins; ties go to the earliest start, so results are
reproducible. A local optimum is by construction stable: dropping a weak tie
that is outweighed by an actor's other ties cannot make any move profitable.
Actors bound to an anchor (a person to its organisation) are contracted into it
first, so a bound pair moves between camps as one.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

MAX_CAMPS = 6  # per connected component
RANDOM_RESTARTS = 6
SPECTRAL_MAX_NODES = 200
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class SignedEdge:
    """An undirected signed tie; weight > 0 cooperation, < 0 conflict."""

    a: int
    b: int
    weight: float


@dataclass(frozen=True, slots=True)
class Membership:
    actor_id: int
    camp: int  # 1-based, camps numbered by size (largest first)
    strength: float  # share of the actor's tie weight the partition agrees with, 0..1
    # (other actor, weight > 0) in the same camp: the ties that hold it in its camp
    ties: tuple[tuple[int, float], ...]
    # (other actor, weight < 0) in another camp: the ties that keep it out of that camp
    apart: tuple[tuple[int, float], ...] = ()


@dataclass(slots=True)
class Blocs:
    members: dict[int, Membership] = field(default_factory=dict)
    frustration: float = 0.0

    def camp_of(self, actor_id: int) -> int | None:
        m = self.members.get(actor_id)
        return m.camp if m else None

    def camps(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for m in self.members.values():
            out[m.camp].append(m.actor_id)
        return {k: sorted(v) for k, v in sorted(out.items())}


def _components(nodes: list[int], adj: dict[int, dict[int, float]]) -> list[list[int]]:
    seen: set[int] = set()
    comps: list[list[int]] = []
    for start in nodes:
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            comp.append(node)
            for other in adj[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        comps.append(sorted(comp))
    return comps


@dataclass(frozen=True, slots=True)
class _TieArrays:
    """A component's ties as arrays (each tie seen from both ends), for vectorised costs."""

    i: np.ndarray
    j: np.ndarray
    weight: np.ndarray

    @classmethod
    def of(cls, nbrs: list[list[tuple[int, float]]]) -> _TieArrays:
        i = np.fromiter((a for a, row in enumerate(nbrs) for _ in row), dtype=np.int64)
        j = np.fromiter((b for row in nbrs for b, _ in row), dtype=np.int64)
        w = np.fromiter((x for row in nbrs for _, x in row), dtype=float)
        return cls(i, j, w)


def _frustration(ties: _TieArrays, labels: np.ndarray) -> float:
    """Weight of ties the partition contradicts (each tie is seen from both ends)."""
    contradicted = (ties.weight > 0) != (labels[ties.i] == labels[ties.j])
    return float(np.abs(ties.weight[contradicted]).sum()) / 2.0


def _local_search(nbrs: list[list[tuple[int, float]]], start: np.ndarray) -> np.ndarray:
    """Greedy single-actor moves until none lowers frustration.

    pull[i][k] is the signed tie weight from actor i into camp k: moving i to the
    camp with the highest pull (a fresh camp has pull 0) lowers frustration by
    the difference. Sparse neighbour lists keep one move O(degree + camps).
    """
    n = len(nbrs)
    labels = [int(x) for x in start]
    sizes = [0] * MAX_CAMPS
    pull = [[0.0] * MAX_CAMPS for _ in range(n)]
    for i in range(n):
        sizes[labels[i]] += 1
        for j, x in nbrs[i]:
            pull[j][labels[i]] += x
    for _ in range(30):
        moved = False
        for i in range(n):
            current, row = labels[i], pull[i]
            best, best_gain, fresh = current, row[current], -1
            for k in range(MAX_CAMPS):
                if sizes[k] == 0:
                    if fresh < 0 and k != current:
                        fresh = k
                    continue
                if row[k] > best_gain + _EPS:
                    best, best_gain = k, row[k]
            if fresh >= 0 and best_gain + _EPS < 0.0:
                best = fresh
            if best == current:
                continue
            labels[i] = best
            sizes[current] -= 1
            sizes[best] += 1
            for j, x in nbrs[i]:
                pull[j][current] -= x
                pull[j][best] += x
            moved = True
        if not moved:
            break
    return np.array(labels, dtype=int)


def _spectral_start(w: np.ndarray) -> np.ndarray:
    degree = np.abs(w).sum(axis=1)
    laplacian = np.diag(degree) - w
    _, vectors = np.linalg.eigh(laplacian)
    v = vectors[:, 0]
    if v[np.argmax(np.abs(v))] < 0:  # eigenvector sign is arbitrary; fix it
        v = -v
    return (v < 0).astype(int)


def _tree_start(nbrs: list[list[tuple[int, float]]]) -> np.ndarray:
    """Two-colour a maximum spanning tree: + ties keep the camp, - ties switch it."""
    n = len(nbrs)
    labels = np.full(n, -1, dtype=int)
    labels[0] = 0
    frontier = [(-abs(x), 0, j, x) for j, x in nbrs[0]]
    heapq.heapify(frontier)
    while frontier:
        _, i, j, x = heapq.heappop(frontier)
        if labels[j] >= 0:
            continue
        labels[j] = labels[i] if x > 0 else 1 - labels[i]
        for k, y in nbrs[j]:
            if labels[k] < 0:
                heapq.heappush(frontier, (-abs(y), j, k, y))
    labels[labels < 0] = 0
    return labels


def _partition_component(nbrs: list[list[tuple[int, float]]]) -> np.ndarray:
    n = len(nbrs)
    starts = [_tree_start(nbrs)]
    small = n <= SPECTRAL_MAX_NODES
    if small:  # dense eigendecomposition is cubic; large windows rely on the tree start
        w = np.zeros((n, n))
        for i, row in enumerate(nbrs):
            for j, x in row:
                w[i, j] = x
        starts.append(_spectral_start(w))
    starts.append(np.zeros(n, dtype=int))
    rng = np.random.default_rng(20240601)
    starts += [rng.integers(0, 2, size=n) for _ in range(RANDOM_RESTARTS if small else 2)]
    ties = _TieArrays.of(nbrs)
    best, best_cost = starts[0], float("inf")
    for start in starts:
        labels = _local_search(nbrs, start)
        cost = _frustration(ties, labels)
        if cost < best_cost - _EPS:
            best, best_cost = labels, cost
    return best


def _adjacency(edges: list[SignedEdge], rep: dict[int, int]) -> dict[int, dict[int, float]]:
    adj: dict[int, dict[int, float]] = defaultdict(dict)
    for e in edges:
        a, b = rep.get(e.a, e.a), rep.get(e.b, e.b)
        if a == b or e.weight == 0:
            continue
        adj[a][b] = adj[a].get(b, 0.0) + e.weight
        adj[b][a] = adj[b].get(a, 0.0) + e.weight
    return adj


def partition_signed(
    edges: list[SignedEdge],
    nodes: list[int] | None = None,
    bound: dict[int, int] | None = None,
) -> Blocs:
    """Camps of a signed network; actors without ties each form their own camp.

    ``bound`` maps an actor to another it always shares a camp with (a person to the
    organisation it speaks for): the partition is searched on the graph with each
    bound actor contracted into its anchor, so the pair moves as one -- single-actor
    moves could never split them from a camp they are both wrongly in. Strength and
    ties are still reported from every actor's own ties.
    """
    rep = {a: b for a, b in (bound or {}).items() if a != b}
    for a in list(rep):  # follow chains (a -> b -> c) to their end, guarding cycles
        seen = {a}
        while rep[a] in rep and rep[a] not in seen:
            seen.add(rep[a])
            rep[a] = rep[rep[a]]
    contracted = _adjacency(edges, rep)
    plain = _adjacency(edges, {}) if rep else contracted
    all_nodes = sorted(set(plain) | set(nodes or []) | set(rep))
    reps = sorted({rep.get(a, a) for a in all_nodes})
    for node in reps:
        contracted.setdefault(node, {})

    groups: list[list[int]] = []
    for comp in _components(reps, contracted):
        index = {a: i for i, a in enumerate(comp)}
        nbrs = [[(index[b], x) for b, x in contracted[a].items()] for a in comp]
        labels = _partition_component(nbrs) if len(comp) > 1 else np.zeros(1, dtype=int)
        for k in sorted(set(labels.tolist())):
            groups.append([a for a, lab in zip(comp, labels, strict=True) if lab == k])

    members_of: dict[int, list[int]] = defaultdict(list)
    for a in all_nodes:
        members_of[rep.get(a, a)].append(a)
    groups = [sorted(a for r in g for a in members_of[r]) for g in groups]
    groups.sort(key=lambda g: (-len(g), g[0]))
    camp_of = {a: i + 1 for i, g in enumerate(groups) for a in g}
    return _memberships(plain, all_nodes, camp_of)


def _strongest(ties: list[tuple[int, float]], n: int = 5) -> tuple[tuple[int, float], ...]:
    return tuple(sorted(ties, key=lambda t: (-abs(t[1]), t[0]))[:n])


def _memberships(
    adj: dict[int, dict[int, float]], all_nodes: list[int], camp_of: dict[int, int]
) -> Blocs:
    result = Blocs()
    for a in all_nodes:
        row = adj.get(a, {})
        total = sum(abs(x) for x in row.values())
        agreeing = [(b, x) for b, x in row.items() if (x > 0) == (camp_of[b] == camp_of[a])]
        agree_weight = sum(abs(x) for _, x in agreeing)
        result.frustration += (total - agree_weight) / 2.0
        # a negative tie never holds an actor *in* a camp: it only keeps it out of another
        holding = [(b, x) for b, x in agreeing if x > 0]
        apart = [(b, x) for b, x in agreeing if x < 0]
        result.members[a] = Membership(
            actor_id=a,
            camp=camp_of[a],
            strength=round(agree_weight / total, 3) if total else 1.0,
            ties=_strongest(holding),
            apart=_strongest(apart),
        )
    return result


# ---- naming and colouring camps -----------------------------------------------------------

# Twelve distinguishable colours (colour-blind safe first); beyond them colours are spread
# round the hue circle from the camp's anchor, so no two camps of a view share one.
PALETTE: tuple[str, ...] = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
    "#f0e442", "#7f3c8d", "#11a579", "#3969ac", "#e73f74", "#80ba5a",
)  # fmt: skip
NO_CAMP_COLOUR = "#9e9e9e"
# Words for the palette, for text-only views (a camp coloured outside the palette has none).
COLOUR_NAMES = dict(zip(PALETTE, (
    "blue", "orange", "bluish green", "reddish purple", "sky blue", "vermilion",
    "yellow", "purple", "green", "steel blue", "pink", "light green",
), strict=True))


@dataclass(frozen=True, slots=True)
class Camp:
    id: int
    name: str  # its core members' names, most connected first
    core: tuple[int, ...]  # the members that name it
    members: tuple[int, ...]  # most connected first
    colour: str


def _stable_hash(value: int) -> int:
    # hash() of an int is the int itself: nearby ids would take neighbouring colours
    return int.from_bytes(hashlib.blake2b(str(value).encode(), digest_size=4).digest(), "big")


def _hue_colour(seed: int) -> str:
    import colorsys

    hue = (_stable_hash(seed) % 360) / 360.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.65)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def describe_camps(
    blocs: Blocs, degree: dict[int, float], names: dict[int, str], *, name_members: int = 3
) -> list[Camp]:
    """Name each camp by its most connected members and give it a colour of its own.

    The colour follows the camp's anchor (its most connected member, then lowest id), so
    a camp keeps its colour from one window to the next while its anchor leads it; a
    colour another camp of the view already holds goes to the next free one.
    """
    camps = []
    taken: set[str] = set()
    for camp_id, members in blocs.camps().items():
        ranked = tuple(sorted(members, key=lambda a: (-degree.get(a, 0), a)))
        core = ranked[:name_members]
        anchor = ranked[0]
        start = _stable_hash(anchor) % len(PALETTE)
        colour = next((PALETTE[(start + k) % len(PALETTE)] for k in range(len(PALETTE))
                       if PALETTE[(start + k) % len(PALETTE)] not in taken), None)
        if colour is None:  # palette used up: a hue of the anchor's own, stepped if taken
            step = 0
            colour = _hue_colour(anchor)
            while colour in taken:
                step += 1
                colour = _hue_colour(anchor + step * 7919)
        taken.add(colour)
        name = " / ".join(names.get(a, f"actor {a}") for a in core)
        camps.append(Camp(camp_id, name, core, ranked, colour))
    return camps
