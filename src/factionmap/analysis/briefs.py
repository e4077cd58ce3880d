"""Extractive briefs of an actor or a dyad: every line carries its evidence.

Lines are either a sentence quoted from an article (the fact's evidence
sentence) or a short summary we compute (counts, camp, trend); summaries link
to the sentences they were computed from, so an analyst can always check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from factionmap.analysis.common import (
    Evidence,
    member_ids,
    not_rejected,
)
from factionmap.analysis.corroboration import relations_with_outlets
from factionmap.analysis.queries import EventFilter, actor_names, list_events, top_partners
from factionmap.analysis.shifts import Shift, detect_shifts
from factionmap.analysis.stance import dyad_stance, overall_stance
from factionmap.store.models import Actor, EventFact, Mention, RelationFact

AFFILIATION_TYPES = (
    "member_of", "leads", "role", "backed_by", "allied_with", "supports", "opposes",
    "fighting_against", "split_from", "merged_with", "controls",
)


@dataclass(frozen=True, slots=True)
class BriefLine:
    label: str  # short summary ("leads Badr Organization, 2003-")
    text: str  # the quoted sentence, or the summary itself
    evidence: tuple[Evidence, ...]


@dataclass(slots=True)
class Brief:
    title: str
    sections: dict[str, list[BriefLine]] = field(default_factory=dict)


def _relation_evidence(r: RelationFact) -> Evidence:
    return Evidence(r.document_id, r.evidence_start, r.evidence_end, r.sentence_text)


def _event_evidence(e: EventFact) -> Evidence:
    return Evidence(e.document_id, e.evidence_start, e.evidence_end, e.sentence_text)


def _span(r: RelationFact) -> str:
    if r.valid_from or r.valid_until:
        a = r.valid_from.isoformat() if r.valid_from else "?"
        b = r.valid_until.isoformat() if r.valid_until else ""
        return f" ({a}\u2013{b})"
    if r.is_former:
        return " (former)"
    return f" (reported {r.reported_at.isoformat()})" if r.reported_at else ""


def _relation_line(r: RelationFact, names: dict[int, str], subject_side: bool) -> BriefLine:
    other_id = r.object_actor_id if subject_side else r.subject_actor_id
    other = names.get(other_id or -1) or (r.object_text if subject_side else r.subject_text)
    verb = r.type.replace("_", " ")
    role = f" as {r.role}" if r.role else ""
    label = (f"{verb}{role} {other}" if subject_side else f"{other} {verb}{role}") + _span(r)
    return BriefLine(label=label, text=r.sentence_text, evidence=(_relation_evidence(r),))


def _trend_line(session: Session, a: int, b: int, name_b: str,
                min_outlets: int = 1) -> BriefLine | None:
    points = dyad_stance(session, a, b)
    pooled = overall_stance(points)
    if pooled is None:
        return None
    recent = points[-1]
    _, events = list_events(session, EventFilter(dyad=(a, b), min_outlets=min_outlets), limit=3)
    word = "cooperative" if pooled.score > 1 else "hostile" if pooled.score < -1 else "mixed"
    label = (
        f"toward {name_b}: {word}, score {pooled.score:+.1f} over {pooled.n} pieces of evidence; "
        f"latest month {recent.month} {recent.score:+.1f} [{recent.low:+.1f}, {recent.high:+.1f}]"
    )
    return BriefLine(label=label, text=label, evidence=tuple(_event_evidence(e) for e in events))


def actor_brief(session: Session, actor_id: int, *, min_outlets: int = 1) -> Brief:
    """Who the actor is, its ties, partners, recent events and stance trends; with
    ``min_outlets``, the facts quoted are those that many outlets report (the scores and
    counts stay over all evidence)."""
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise LookupError(f"no actor with id {actor_id}")
    ids = member_ids(session, actor_id)
    brief = Brief(title=actor.name)

    first = session.scalars(
        select(Mention).where(Mention.actor_id.in_(ids)).order_by(Mention.id).limit(1)
    ).first()
    aliases = sorted({a.name for a in actor.aliases if a.name != actor.name})
    who = f"{actor.name}: {actor.kind.replace('_', ' ')}"
    if actor.country:
        who += f", {actor.country}"
    if aliases:
        who += "; also called " + ", ".join(aliases[:8])
    ev = (Evidence(first.document_id, first.start, first.end, first.text),) if first else ()
    brief.sections["who"] = [BriefLine(label=who, text=who, evidence=ev)]

    rels = session.scalars(
        select(RelationFact).where(
            not_rejected(RelationFact),
            RelationFact.type.in_(AFFILIATION_TYPES),
            or_(RelationFact.subject_actor_id.in_(ids), RelationFact.object_actor_id.in_(ids)),
            relations_with_outlets(min_outlets),
        ).order_by(RelationFact.valid_from, RelationFact.reported_at).limit(40)
    ).all()
    other_ids = {x for r in rels for x in (r.subject_actor_id, r.object_actor_id) if x}
    partners = top_partners(session, actor_id, limit=5)
    names = actor_names(session, other_ids | {p.actor_id for p in partners})
    brief.sections["roles and affiliations"] = [
        _relation_line(r, names, True) for r in rels if r.subject_actor_id in ids
    ]
    brief.sections["leaders and members"] = [
        _relation_line(r, names, False) for r in rels
        if r.object_actor_id in ids and r.type in ("leads", "member_of", "role")
    ]

    camp: list[BriefLine] = []
    for p in partners:
        word = "works with" if p.goldstein_sum > 0 else "is in conflict with"
        _, evs = list_events(session, EventFilter(dyad=(actor_id, p.actor_id),
                                                  min_outlets=min_outlets), limit=2)
        if not evs:
            _, evs = list_events(session, EventFilter(dyad=(p.actor_id, actor_id),
                                                      min_outlets=min_outlets), limit=2)
        label = f"{word} {names.get(p.actor_id, p.actor_id)} ({p.n_events} events)"
        camp.append(BriefLine(label, label, tuple(_event_evidence(e) for e in evs)))
    brief.sections["camp"] = camp

    _, recent = list_events(session, EventFilter(actor_id=actor_id, min_outlets=min_outlets),
                            limit=5)
    brief.sections["recent events"] = [
        BriefLine(
            label=f"{e.date or e.reported_at}: {e.type} ({e.cameo}, Goldstein {e.goldstein:+.1f})",
            text=e.sentence_text, evidence=(_event_evidence(e),),
        )
        for e in recent
    ]
    trend = [
        line for p in partners[:3]
        if (line := _trend_line(session, actor_id, p.actor_id, names.get(p.actor_id, "?"),
                                min_outlets))
    ]
    brief.sections["stance trend"] = trend
    return brief


def dyad_brief(session: Session, a: int, b: int, *, min_outlets: int = 1) -> Brief:
    """Ties, stance trends, shifts and recent events of a pair, both ways (``min_outlets``
    as in actor_brief)."""
    actors = {x.id: x for x in session.scalars(select(Actor).where(Actor.id.in_([a, b])))}
    if a not in actors or b not in actors:
        raise LookupError(f"no actor with id {a if a not in actors else b}")
    brief = Brief(title=f"{actors[a].name} and {actors[b].name}")
    a_ids, b_ids = member_ids(session, a), member_ids(session, b)
    rels = session.scalars(
        select(RelationFact).where(
            not_rejected(RelationFact),
            or_(
                RelationFact.subject_actor_id.in_(a_ids) & RelationFact.object_actor_id.in_(b_ids),
                RelationFact.subject_actor_id.in_(b_ids) & RelationFact.object_actor_id.in_(a_ids),
            ),
            relations_with_outlets(min_outlets),
        ).order_by(RelationFact.reported_at).limit(30)
    ).all()
    names = {a: actors[a].name, b: actors[b].name}
    brief.sections["ties"] = [_relation_line(r, names, True) for r in rels]
    trend: list[BriefLine] = []
    for x, y in ((a, b), (b, a)):
        line = _trend_line(session, x, y, names[y], min_outlets)
        if line:
            trend.append(BriefLine(f"{names[x]} {line.label}", line.text, line.evidence))
    brief.sections["stance trend"] = trend
    shifts: list[BriefLine] = []
    for x, y in ((a, b), (b, a)):
        for s in detect_shifts(dyad_stance(session, x, y)):
            shifts.append(_shift_line(session, x, y, names, s, min_outlets))
    brief.sections["shifts"] = shifts
    _, events = list_events(session, EventFilter(dyad=(a, b), min_outlets=min_outlets), limit=5)
    _, back = list_events(session, EventFilter(dyad=(b, a), min_outlets=min_outlets), limit=5)
    # newest first; an event with neither date nor report date goes last (by id, not mixed
    # into the dates: comparing a date with an int raised TypeError)
    merged = sorted([*events, *back], key=_event_order, reverse=True)
    brief.sections["recent events"] = [
        BriefLine(f"{e.date or e.reported_at}: {e.type}", e.sentence_text, (_event_evidence(e),))
        for e in merged[:6]
    ]
    return brief


def _event_order(e: EventFact) -> tuple[bool, dt.date, int]:
    day = e.date or e.reported_at
    return day is not None, day or dt.date.min, e.id


def _shift_line(
    session: Session, a: int, b: int, names: dict[int, str], s: Shift, min_outlets: int = 1
) -> BriefLine:
    label = (
        f"{s.kind} of {names[a]} toward {names[b]} from {s.month}: "
        f"{s.before_mean:+.1f} \u2192 {s.after_mean:+.1f} (t={s.t:+.1f})"
    )
    evs = shift_events(session, a, b, s, min_outlets=min_outlets)
    return BriefLine(label, label, tuple(_event_evidence(e) for e in evs))


def shift_events(session: Session, a: int, b: int, s: Shift, per_side: int = 3,
                 min_outlets: int = 1) -> list[EventFact]:
    """The last events before a shift and the first ones after it (with ``min_outlets``,
    of those that many outlets report)."""
    y, m = (int(x) for x in s.month.split("-"))
    cut = dt.date(y, m, 1)
    _, before = list_events(
        session, EventFilter(dyad=(a, b), end=cut - dt.timedelta(days=1),
                             min_outlets=min_outlets), limit=per_side
    )
    after_filter = EventFilter(dyad=(a, b), start=cut, min_outlets=min_outlets)
    total, _ = list_events(session, after_filter, limit=1)
    _, after = list_events(
        session, after_filter, limit=per_side, offset=max(0, total - per_side),
    )
    return [*before, *after]
