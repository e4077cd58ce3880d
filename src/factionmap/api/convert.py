"""Turn analysis results and rows into API schemas (shared by the JSON API and the web pages)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factionmap.analysis.briefs import Brief
from factionmap.analysis.common import member_ids
from factionmap.analysis.corroboration import (
    Corroboration,
    event_corroboration,
    relation_corroboration,
)
from factionmap.analysis.network import Network
from factionmap.analysis.queries import (
    EventFilter,
    actor_event_total,
    actor_names,
    list_events,
    list_relations,
    recent_events,
    top_partners,
)
from factionmap.api import schemas as s
from factionmap.store.models import Actor, Alias, EventFact, RelationFact


def relation_outs(session: Session, rows: list[RelationFact]) -> list[s.RelationOut]:
    """Relations with the corroboration of their ties."""
    seen = relation_corroboration(session, rows)
    return [s.RelationOut.model_validate(r).model_copy(
                update={**_corroborated(seen[r.id]), "contested": seen[r.id].contested})
            for r in rows]


def event_outs(session: Session, rows: list[EventFact]) -> list[s.EventOut]:
    """Events with the corroboration of their happenings."""
    seen = event_corroboration(session, rows)
    return [s.EventOut.model_validate(e).model_copy(update=_corroborated(seen[e.id]))
            for e in rows]


def _corroborated(c: Corroboration) -> dict[str, object]:
    return {"outlets": c.outlets, "first_reported": c.first_reported,
            "last_reported": c.last_reported}


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
                         n_relations=e.n_relations, relation_types=list(e.relation_types),
                         in_camps=e.in_camps)
               for e in net.edges],
        camps=[s.CampOut(id=c.id, name=c.name, core=list(c.core), members=list(c.members),
                         colour=c.colour) for c in net.camps],
        frustration=round(net.blocs.frustration, 4),
    )


def actor_profile(session: Session, actor: Actor, *, n_recent: int = 20,
                  min_outlets: int = 1) -> s.ActorProfile:
    """The profile; with ``min_outlets``, its event and relation lists hold only facts that
    many outlets report (the totals stay all of them)."""
    ids = member_ids(session, actor.id)
    aliases = session.scalars(select(Alias).where(Alias.actor_id.in_(ids)).order_by(Alias.name))
    n_events = actor_event_total(session, actor.id)
    if min_outlets > 1:
        _, events = list_events(session, EventFilter(actor_id=actor.id, min_outlets=min_outlets),
                                limit=n_recent)
        relations = list_relations(session, actor_id=actor.id, limit=50,
                                   min_outlets=min_outlets)[1]
        n_relations = list_relations(session, actor_id=actor.id, limit=1)[0]
    else:
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
        recent_events=event_outs(session, events),
        relations=relation_outs(session, relations),
    )
