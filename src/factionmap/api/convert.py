"""Turn analysis results and rows into API schemas (shared by the JSON API and the web pages)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factionmap.analysis.briefs import Brief
from factionmap.analysis.common import member_ids
from factionmap.analysis.network import Network
from factionmap.analysis.queries import (
    actor_event_total,
    actor_names,
    list_relations,
    recent_events,
    top_partners,
)
from factionmap.api import schemas as s
from factionmap.store.models import Actor, Alias


def brief_out(brief: Brief) -> s.BriefOut:
    return s.BriefOut(
        title=brief.title,
        sections=[
            s.BriefSectionOut(
                name=name,
                lines=[
                    s.BriefLineOut(
                        label=line.label, text=line.text,
                        evidence=[s.EvidenceOut(document_id=e.document_id, start=e.start,
                                                end=e.end, text=e.text) for e in line.evidence],
                    )
                    for line in lines
                ],
            )
            for name, lines in brief.sections.items()
        ],
    )


def network_out(net: Network) -> s.NetworkOut:
    return s.NetworkOut(
        start=net.start, end=net.end,
        nodes=[s.NodeOut.model_validate(n) for n in net.nodes],
        edges=[s.EdgeOut(a=e.a, b=e.b, weight=e.weight, sign=e.sign, n_events=e.n_events,
                         n_relations=e.n_relations, relation_types=list(e.relation_types))
               for e in net.edges],
        frustration=round(net.blocs.frustration, 4),
    )


def actor_profile(session: Session, actor: Actor, *, n_recent: int = 20) -> s.ActorProfile:
    ids = member_ids(session, actor.id)
    aliases = session.scalars(select(Alias).where(Alias.actor_id.in_(ids)).order_by(Alias.name))
    n_events = actor_event_total(session, actor.id)
    events = recent_events(session, actor.id, limit=n_recent)
    n_relations, relations = list_relations(session, actor_id=actor.id, limit=50)
    partners = top_partners(session, actor.id, limit=10)
    names = actor_names(session, {p.actor_id for p in partners})
    return s.ActorProfile(
        actor=s.ActorOut.model_validate(actor),
        aliases=[s.AliasOut.model_validate(a) for a in aliases],
        merged_from=ids[1:],
        n_events=n_events,
        n_relations=n_relations,
        partners=[s.PartnerOut(actor_id=p.actor_id, name=names.get(p.actor_id, "?"),
                               n_events=p.n_events, goldstein_sum=p.goldstein_sum)
                  for p in partners],
        recent_events=[s.EventOut.model_validate(e) for e in events],
        relations=[s.RelationOut.model_validate(r) for r in relations],
    )
