"""The network as the API and the network view show it: the ties the filters ask for,
without media outlets.

Which ties a filter means: an event type names events, so choosing one (and no relation
type) leaves relation ties out, and the other way round; ``ties`` says it outright.
Media outlets and press agents report the conflict and are not parties to it: the
analysis marks them (``NetworkNode.media``, from ``config.MEDIA_SECTORS``, the same
definition that keeps them out of camps) and the view leaves them out as nodes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy.orm import Session

from factionmap.analysis.network import MAX_NODES, CampRules, Network, signed_network
from factionmap.api import schemas as s
from factionmap.api.convert import network_out

Ties = Literal["all", "events", "relations"]


def edge_sources(ties: Ties, event_types: list[str] | None,
                 relation_types: list[str] | None) -> tuple[bool, bool]:
    """(include events, include relations) for the filters."""
    events = ties != "relations" and not (relation_types and not event_types)
    relations = ties != "events" and not (event_types and not relation_types)
    return events, relations


def visible_network(
    session: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    max_nodes: int = 150,
    event_types: list[str] | None = None,
    relation_types: list[str] | None = None,
    kinds: list[str] | None = None,
    country: str | None = None,
    ties: Ties = "all",
    camp_rules: CampRules | None = None,
    min_outlets: int = 1,
) -> s.NetworkOut:
    include_events, include_relations = edge_sources(ties, event_types, relation_types)
    max_nodes = max(1, min(max_nodes, MAX_NODES))

    def fetch(n: int) -> Network:
        return signed_network(session, start=start, end=end, max_nodes=n,
                              event_types=event_types, relation_types=relation_types,
                              kinds=kinds, country=country, include_events=include_events,
                              include_relations=include_relations, camp_rules=camp_rules,
                              min_outlets=min_outlets)

    net, asked = fetch(max_nodes), max_nodes
    # Ask again for as many more nodes as were media (twice at most: the newcomers may
    # be media too), so a window still shows max_nodes actors when it has them.
    for _ in range(2):
        n_media = sum(1 for n in net.nodes if n.media)
        want = min(MAX_NODES, max_nodes + n_media)
        if n_media == 0 or want <= asked or len(net.nodes) < asked:
            break
        net, asked = fetch(want), want
    media = {n.id for n in net.nodes if n.media}
    out = network_out(net)
    keep = [n for n in out.nodes if n.id not in media][:max_nodes]
    ids = {n.id for n in keep}
    out.nodes = keep
    out.edges = [e for e in out.edges if e.a in ids and e.b in ids]
    # media are in no camp; members past the max_nodes cut (asked for beyond it to make up
    # for media) are not drawn, so not listed either (core and name stay the camp's own)
    out.camps = [c.model_copy(update={"members": [m for m in c.members if m in ids]})
                 for c in out.camps]
    out.camps = [c for c in out.camps if c.members]
    return out
