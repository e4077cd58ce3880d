"""Camps on hand-made signed networks: a known balanced split, what holds an actor in its
camp, names and colours."""

from __future__ import annotations

import networkx as nx

from factionmap.analysis.blocs import (
    PALETTE,
    SignedEdge,
    describe_camps,
    partition_signed,
)


def _balanced_graph() -> tuple[list[SignedEdge], set[int], set[int]]:
    """A small-world graph of 14 actors cut in two groups: + inside, - across (balanced)."""
    g = nx.connected_watts_strogatz_graph(14, 4, 0.3, seed=7)
    left = {n + 1 for n in g if n % 2 == 0}  # interleaved, so the split is not by id order
    right = {n + 1 for n in g} - left
    edges = []
    for u, v in g.edges():
        a, b = u + 1, v + 1
        same = (a in left) == (b in left)
        edges.append(SignedEdge(a, b, (1.0 + (a * b) % 3) * (1 if same else -1)))
    # the split must really be balanced, and both signs must be present, or the test is empty
    assert {e.weight > 0 for e in edges} == {True, False}
    return edges, left, right


def test_a_balanced_network_splits_into_its_two_sides_with_no_frustration():
    edges, left, right = _balanced_graph()
    blocs = partition_signed(edges)
    camps = [set(members) for members in blocs.camps().values()]
    assert sorted(camps, key=min) == sorted([left, right], key=min)
    assert blocs.frustration == 0


def test_one_contradicting_weak_tie_leaves_the_split_and_costs_its_weight():
    edges, left, right = _balanced_graph()
    linked = {frozenset((e.a, e.b)) for e in edges}
    a, b = next((x, y) for x in sorted(left) for y in sorted(left)
                if x < y and frozenset((x, y)) not in linked)
    edges.append(SignedEdge(a, b, -0.25))  # a weak hostile report inside one side
    blocs = partition_signed(edges)
    assert sorted((set(m) for m in blocs.camps().values()), key=min) == sorted(
        [left, right], key=min)
    assert abs(blocs.frustration - 0.25) < 1e-9


def test_held_there_by_lists_only_positive_ties_inside_the_camp():
    edges = [SignedEdge(1, 2, 2.0), SignedEdge(1, 3, -3.0), SignedEdge(3, 4, 1.0),
             SignedEdge(2, 4, -1.0)]
    blocs = partition_signed(edges)
    assert blocs.camp_of(1) == blocs.camp_of(2) != blocs.camp_of(3)
    m = blocs.members[1]
    assert m.ties == ((2, 2.0),)  # its ally holds it in
    assert all(w > 0 for _, w in m.ties)
    assert m.apart == ((3, -3.0),)  # the enemy keeps it out of the other camp, not in its own
    for member in blocs.members.values():
        assert all(w > 0 and blocs.camp_of(o) == member.camp for o, w in member.ties)
        assert all(w < 0 and blocs.camp_of(o) != member.camp for o, w in member.apart)


def test_camps_are_named_by_their_most_connected_members():
    edges, left, right = _balanced_graph()
    blocs = partition_signed(edges)
    degree = {a: float(a) for a in left | right}  # actor 13/14 the most connected
    names = {a: f"A{a}" for a in left | right}
    camps = describe_camps(blocs, degree, names, name_members=2)
    top_left = sorted(left, reverse=True)[:2]
    named = {c.name for c in camps}
    assert f"A{top_left[0]} / A{top_left[1]}" in named
    for c in camps:
        assert len(c.core) == 2 and c.members[0] == c.core[0]


def test_camp_colours_are_stable_and_distinct_even_past_the_palette():
    # 16 separate pairs of allies: 16 camps, more than the palette holds
    edges = [SignedEdge(2 * i + 1, 2 * i + 2, 1.0) for i in range(len(PALETTE) + 4)]
    blocs = partition_signed(edges)
    degree = {a: 1.0 for e in edges for a in (e.a, e.b)}
    first = describe_camps(blocs, degree, {})
    again = describe_camps(partition_signed(list(reversed(edges))), degree, {})
    assert len(first) == len(PALETTE) + 4
    assert len({c.colour for c in first}) == len(first)  # no colour reused
    assert {c.core: c.colour for c in first} == {c.core: c.colour for c in again}
    assert {c.colour for c in first} >= set(PALETTE)  # the palette is used before new hues


def test_a_camps_colour_follows_its_anchor_not_its_number():
    small = [SignedEdge(10, 11, 1.0)]
    big = [SignedEdge(1, 2, 1.0), SignedEdge(2, 3, 1.0), SignedEdge(1, 3, 1.0)]
    degree = {10: 9.0, 11: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}
    alone = describe_camps(partition_signed(small), degree, {})
    together = describe_camps(partition_signed(big + small), degree, {})
    anchored = {c.core[0]: c.colour for c in together}
    # renumbered from camp 1 to camp 2, same colour: the bigger camp took another one
    assert alone[0].id == 1 and [c.id for c in together if c.core[0] == 10] == [2]
    assert anchored[1] != alone[0].colour
    assert anchored[10] == alone[0].colour
