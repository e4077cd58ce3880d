"""Analyst corrections: merge/split actors, confirm/reject facts, add aliases.

Each correction is stored as a ``Correction`` row (who, when, why, payload) and
applied to the store. Payloads name actors and facts by keys that survive
re-ingestion (KB id, discovery key, name; a fact's document + evidence offsets
+ type), not only by row ids, so ``replay_corrections`` can re-apply the whole
audit trail after the ingest side rebuilt the rows.

Payload shapes (``actor ref`` = {"id", "kb_id", "discovery_key", "name"}):
  merge   {"absorbed": ref, "survivor": ref}
  split   {"actor": ref}                        undo a merge of this actor
          {"actor": ref, "names": [...]}        move these aliases to a new actor
  confirm / reject {"fact": "relation"|"event", "id", "document_id",
                    "evidence_start", "evidence_end", "type"}
  alias   {"actor": ref, "name": "..."}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factionmap.kb import name_key
from factionmap.store.models import Actor, Alias, Correction, EventFact, Mention, RelationFact
from factionmap.store.summaries import apply_event_delta, bump_revision

ACTIONS = ("merge", "split", "confirm", "reject", "alias")
# Bounds of what a correction may carry (the web form and the API share them): names as long
# as the name columns, a reason of a few paragraphs, ids of 32-bit integer columns.
MAX_NAME_CHARS = 255
MAX_WHO_CHARS = 255
MAX_WHY_CHARS = 4000
MAX_SPLIT_NAMES = 20
MAX_ID = 2**31 - 1
MAX_DOCUMENT_ID_CHARS = 64
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_ACTOR_REF_KEYS = {"id", "kb_id", "discovery_key", "name"}
_FACT_KEYS = {"fact", "id", "document_id", "evidence_start", "evidence_end", "type"}
_PAYLOAD_KEYS = {
    "merge": {"absorbed", "survivor"},
    "split": {"actor", "names"},
    "alias": {"actor", "name"},
    "confirm": _FACT_KEYS,
    "reject": _FACT_KEYS,
}


class CorrectionError(ValueError):
    """A correction that cannot be applied (unknown action, missing actor or fact)."""


def check_correction(action: str, payload: object, who: str, why: str | None) -> None:
    """Refuse, with a reason, a correction whose shape or sizes are out of bounds: unknown
    keys, names longer than a name column, ids outside the id columns' range."""
    if action not in _PAYLOAD_KEYS:
        raise CorrectionError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    _check_text("who", who, MAX_WHO_CHARS)
    if why is not None:
        _check_text("why", why, MAX_WHY_CHARS)
    if not isinstance(payload, dict):
        raise CorrectionError("payload must be an object")
    unknown = set(payload) - _PAYLOAD_KEYS[action]
    if unknown:
        raise CorrectionError(f"{action} payload has unknown keys: {', '.join(sorted(unknown))}")
    if action in ("confirm", "reject"):
        _check_fact_ref(payload)
        return
    for key in ("absorbed", "survivor", "actor"):
        if key in payload:
            _check_actor_ref(key, payload[key])
    if "name" in payload:
        _check_text("name", payload["name"], MAX_NAME_CHARS)
    if "names" in payload:
        names = payload["names"]
        if not isinstance(names, list) or len(names) > MAX_SPLIT_NAMES:
            raise CorrectionError(f"names must be a list of at most {MAX_SPLIT_NAMES} names")
        for name in names:
            _check_text("each name", name, MAX_NAME_CHARS)


def _check_text(field_name: str, value: object, limit: int) -> None:
    if not isinstance(value, str):
        raise CorrectionError(f"{field_name} must be text")
    if len(value) > limit:
        raise CorrectionError(f"{field_name} is {len(value):,} characters (at most {limit:,})")
    if _UNSTORABLE.search(value):  # PostgreSQL refuses NUL; no backend stores a lone surrogate
        raise CorrectionError(f"{field_name} holds NUL or a lone surrogate")


def _check_id(field_name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise CorrectionError(f"{field_name} must be a whole number from 0 to {MAX_ID}")


def _check_actor_ref(key: str, ref: object) -> None:
    if not isinstance(ref, dict) or not ref or set(ref) - _ACTOR_REF_KEYS:
        raise CorrectionError(
            f"{key} must name an actor by some of {', '.join(sorted(_ACTOR_REF_KEYS))}"
        )
    if ref.get("id") is not None:
        _check_id(f"{key} id", ref["id"])
    for field_name in ("kb_id", "discovery_key", "name"):
        if ref.get(field_name) is not None:
            _check_text(f"{key} {field_name}", ref[field_name], MAX_NAME_CHARS)


def _check_fact_ref(ref: dict[str, Any]) -> None:
    for field_name in ("id", "evidence_start", "evidence_end"):
        if ref.get(field_name) is not None:
            _check_id(field_name, ref[field_name])
    if ref.get("document_id") is not None:
        _check_text("document_id", ref["document_id"], MAX_DOCUMENT_ID_CHARS)
    if ref.get("type") is not None:
        _check_text("type", ref["type"], 32)


def actor_ref(actor: Actor) -> dict[str, Any]:
    """A reference to an actor that can be found again after re-ingestion."""
    return {"id": actor.id, "kb_id": actor.kb_id, "discovery_key": actor.discovery_key,
            "name": actor.name}


def fact_ref(fact: RelationFact | EventFact) -> dict[str, Any]:
    return {
        "fact": "relation" if isinstance(fact, RelationFact) else "event",
        "id": fact.id, "document_id": fact.document_id, "evidence_start": fact.evidence_start,
        "evidence_end": fact.evidence_end, "type": fact.type,
    }


def find_actor(session: Session, ref: dict[str, Any]) -> Actor:
    """Stable keys first (they survive re-ingestion), then the row id."""
    for column, key in ((Actor.kb_id, "kb_id"), (Actor.discovery_key, "discovery_key")):
        if ref.get(key):
            found = session.scalars(select(Actor).where(column == ref[key])).first()
            if found:
                return found
    if ref.get("id") is not None:
        found = session.get(Actor, int(ref["id"]))
        if found and (not ref.get("name") or found.name == ref["name"]
                      or not (ref.get("kb_id") or ref.get("discovery_key"))):
            return found
    raise CorrectionError(f"actor not found: {ref}")


def find_fact(session: Session, ref: dict[str, Any]) -> RelationFact | EventFact:
    model: type[RelationFact] | type[EventFact]
    if ref.get("fact") == "relation":
        model = RelationFact
    elif ref.get("fact") == "event":
        model = EventFact
    else:
        raise CorrectionError(f"fact must be 'relation' or 'event', got {ref.get('fact')!r}")
    if ref.get("document_id") is not None:
        found = session.scalars(select(model).where(
            model.document_id == ref["document_id"],
            model.evidence_start == ref.get("evidence_start"),
            model.evidence_end == ref.get("evidence_end"),
            model.type == ref.get("type"),
        )).first()
        if found:
            return cast(RelationFact | EventFact, found)
    if ref.get("id") is not None:
        by_id = session.get(model, int(ref["id"]))
        if by_id is not None:
            return cast(RelationFact | EventFact, by_id)
    raise CorrectionError(f"{ref.get('fact')} not found: {ref}")


def _merge(session: Session, payload: dict[str, Any]) -> None:
    absorbed = find_actor(session, payload["absorbed"])
    survivor = find_actor(session, payload["survivor"])
    while survivor.merged_into_id is not None:  # merge into the final survivor
        survivor = session.get(Actor, survivor.merged_into_id) or survivor
        if survivor.merged_into_id == survivor.id:
            break
    if absorbed.id == survivor.id:
        raise CorrectionError("cannot merge an actor into itself")
    absorbed.merged_into_id = survivor.id
    # Keep chains one step long so every query follows a single pointer.
    session.execute(
        update(Actor).where(Actor.merged_into_id == absorbed.id).values(merged_into_id=survivor.id)
    )


def _split(session: Session, payload: dict[str, Any], why: str | None) -> None:
    actor = find_actor(session, payload["actor"])
    names = payload.get("names") or []
    if not names:
        if actor.merged_into_id is None:
            raise CorrectionError(f"actor {actor.name!r} is not merged; name aliases to split off")
        actor.merged_into_id = None
        return
    keys = {name_key(n) for n in names}
    moved = [a for a in actor.aliases if a.key in keys]
    if not moved:
        raise CorrectionError(f"actor {actor.name!r} has none of the aliases {names}")
    new = Actor(name=names[0], kind=actor.kind, country=actor.country,
                discovery_key=f"split:{actor.id}:{sorted(keys)[0]}")
    session.add(new)
    session.flush()
    for alias in moved:
        alias.actor_id = new.id
        alias.reason = f"split by analyst: {why or ''}".strip()
    mentions = session.scalars(select(Mention).where(Mention.actor_id == actor.id)).all()
    for m in mentions:
        if name_key(m.text) in keys:
            m.actor_id = new.id
    touching = (RelationFact.subject_actor_id == actor.id) | (
        RelationFact.object_actor_id == actor.id
    )
    for rel in session.scalars(select(RelationFact).where(touching)):
        if rel.subject_actor_id == actor.id and name_key(rel.subject_text) in keys:
            rel.subject_actor_id = new.id
        if rel.object_actor_id == actor.id and name_key(rel.object_text) in keys:
            rel.object_actor_id = new.id


def _alias(session: Session, payload: dict[str, Any], why: str | None) -> None:
    actor = find_actor(session, payload["actor"])
    name = str(payload.get("name") or "").strip()
    if not name:
        raise CorrectionError("alias needs a non-empty name")
    key = name_key(name)
    if any(a.key == key for a in actor.aliases):
        return
    actor.aliases.append(Alias(name=name, key=key, origin="analyst",
                               reason=f"added by analyst: {why or ''}".strip()))


def apply_correction(session: Session, correction: Correction) -> None:
    """Apply one stored correction to the current rows (idempotent)."""
    payload = correction.payload or {}
    try:
        if correction.action == "merge":
            _merge(session, payload)
        elif correction.action == "split":
            _split(session, payload, correction.why)
        elif correction.action in ("confirm", "reject"):
            _review(session, find_fact(session, payload), correction.action)
        elif correction.action == "alias":
            _alias(session, payload, correction.why)
        else:
            raise CorrectionError(f"unknown action {correction.action!r}; use one of {ACTIONS}")
    except KeyError as exc:
        raise CorrectionError(f"{correction.action} payload lacks {exc.args[0]!r}") from exc
    bump_revision(session)  # cached analyses (blocs) of the old state go stale
    session.flush()


def _review(session: Session, fact: RelationFact | EventFact, action: str) -> None:
    """Set the review; an event entering or leaving the counts updates the summaries."""
    was_counted = fact.review != "rejected"
    fact.review = "confirmed" if action == "confirm" else "rejected"
    counted = fact.review != "rejected"
    if isinstance(fact, EventFact) and counted != was_counted:
        apply_event_delta(session, [fact.id], +1 if counted else -1)


def record_correction(
    session: Session, action: str, payload: dict[str, Any], who: str, why: str | None
) -> Correction:
    """Apply a new correction and add it to the audit trail (caller commits)."""
    check_correction(action, payload, who, why)
    correction = Correction(action=action, payload=_stable(session, action, payload),
                            who=who, why=why)
    apply_correction(session, correction)  # raises before anything is stored
    session.add(correction)
    session.flush()
    return correction


def _stable(session: Session, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Rewrite row-id references into keys that still resolve after re-ingestion."""
    out = dict(payload)
    try:
        for key in ("absorbed", "survivor", "actor"):
            if isinstance(out.get(key), dict):
                out[key] = actor_ref(find_actor(session, out[key]))
        if action in ("confirm", "reject"):
            out = fact_ref(find_fact(session, out))
    except KeyError as exc:
        raise CorrectionError(f"{action} payload lacks {exc.args[0]!r}") from exc
    return out


@dataclass(slots=True)
class ReplayReport:
    applied: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (correction id, reason)


def replay_corrections(session: Session) -> ReplayReport:
    """Re-apply the whole audit trail in order, e.g. after re-ingestion.

    A correction whose actor or fact no longer exists is reported, not fatal:
    the rest of the trail still applies. The caller commits.
    """
    report = ReplayReport()
    for correction in session.scalars(select(Correction).order_by(Correction.id)):
        try:
            with session.begin_nested():
                apply_correction(session, correction)
            report.applied += 1
        except CorrectionError as exc:
            report.failed.append((correction.id, str(exc)))
    return report
