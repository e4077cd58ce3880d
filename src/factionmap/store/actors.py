"""Map the actor keys extract puts on mentions to canonical ``Actor`` rows across articles.

Order of evidence, strongest first: a KB id; an earlier discovery with the same key;
an existing alias with the same name key; a fuzzy name match (same kind, keys longer
than 4 characters, word by word: ``kb.fuzzy``); an acronym of an existing actor's name;
a lone surname of the one person stored with it ("Hagel" after "Chuck Hagel" in an earlier
article; never a name that is also someone's first name, "Kim"); else a new actor.
Every alias attached stores *why* in ``Alias.reason`` so analysts can audit merges.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factionmap.extract.lexicon import ROLE_WORDS, TITLE_MODIFIERS
from factionmap.kb import KbActor, KnowledgeBase, name_key
from factionmap.kb.fuzzy import closest_variant
from factionmap.records import TITLED_NAME_REASON, Mention, Span
from factionmap.store.models import Actor, Alias

FUZZY_MIN_SCORE = 90.0
FUZZY_MIN_KEY_CHARS = 5  # "never for keys of 4 characters or fewer": short names collide
# Aliases a document linked for itself (surname -> full name); never matched across documents.
DOCUMENT_LINK_ORIGIN = "link"
GLOBAL_ALIAS_ORIGINS = ("kb", "text", "analyst")
LOCAL_PREFIX = "local:"  # actor keys scoped to one document
_LABEL_KIND = {"Person": "person"}
_ACRONYM = re.compile(r"^[A-Z][A-Z.&-]{1,7}$")
_SURNAME = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*$")
_MIN_SURNAME_CHARS = 3
_ACRONYM_SKIP = {"of", "the", "for", "and", "al", "el", "in", "de"}
# Link reasons extract gives for plain name matches; anything else is a within-document link.
_PLAIN_LINK_REASONS = {"kb alias", "kb name", "same name", "exact name"}


@dataclass(frozen=True, slots=True)
class Resolution:
    """The actor a key resolved to, and why (None when it is the actor's own name)."""

    actor: Actor
    reason: str | None


@dataclass(frozen=True, slots=True)
class _KeyFacts:
    """What the mention says about the actor behind ``key``: used when no stored actor has it."""

    key: str
    name: str
    kind: str | None
    country: str | None
    sector: str | None
    document_id: str | None

    def new_actor(self, **identity: str) -> Actor:
        """An unsaved actor with these facts; ``identity`` is ``kb_id=`` or ``discovery_key=``."""
        return Actor(
            name=self.name,
            kind=self.kind or "other",
            country=self.country,
            sector=self.sector,
            **identity,
        )


def acronym(name: str) -> str:
    """Initials of the significant words: 'Popular Mobilization Units' -> 'PMU'."""
    words = re.findall(r"[A-Za-z][A-Za-z']*", name.replace("-", " "))
    return "".join(w[0].upper() for w in words if w.lower() not in _ACRONYM_SKIP)


def _looks_like_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text.strip())) and sum(c.isalpha() for c in text) >= 2


def kinds_compatible(a: str | None, b: str | None) -> bool:
    """Unknown/other kinds go with anything; a person never merges with a non-person."""
    if not a or not b or a == "other" or b == "other":
        return True
    return (a == "person") == (b == "person")


class ActorResolver:
    """Resolves mention actor keys to ``Actor`` rows; stateless across transactions
    except a key cache that ``forget()`` clears after a rollback."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        if kb is None:
            from factionmap.kb import default_kb

            kb = default_kb()
        self.kb = kb
        self._cache: dict[str, int] = {}
        # (actor id, name key) pairs known to be stored: saves a query per repeated mention
        self._alias_seen: set[tuple[int, str]] = set()
        # actors already loaded in the current session, by key (one article = one session)
        self._session_ref: weakref.ref[Session] | None = None
        self._session_actors: dict[str, Actor] = {}

    def forget(self) -> None:
        """Drop cached ids: call after a rolled-back transaction."""
        self._cache.clear()
        self._alias_seen.clear()
        self._session_actors.clear()

    def _memo(self, session: Session) -> dict[str, Actor]:
        # a weak reference, not id(): a new session may reuse a freed one's id
        if self._session_ref is None or self._session_ref() is not session:
            self._session_ref = weakref.ref(session)
            self._session_actors = {}
        return self._session_actors

    # ---- public entry points -------------------------------------------------

    def resolve_mention(
        self, session: Session, mention: Mention, document_id: str | None = None
    ) -> Actor | None:
        """The canonical actor of a mention (None if extract linked it to no actor)."""
        if not mention.actor_id:
            return None
        kind = mention.actor_kind or _LABEL_KIND.get(mention.label, "other")
        name = mention.actor_name or mention.text
        res = self.resolve_key(
            session,
            mention.actor_id,
            name=name,
            kind=kind,
            country=mention.country,
            sector=mention.sector,
            document_id=document_id,
        )
        self._note_surface_form(session, res.actor, mention, document_id)
        return res.actor

    def resolve_span(
        self, session: Session, span: Span, document_id: str | None = None
    ) -> Actor | None:
        """The actor of a relation/event argument span (keyed like mentions)."""
        if span.actor_id:
            return self.resolve_key(
                session,
                span.actor_id,
                name=span.actor_name or span.text,
                document_id=document_id,
            ).actor
        return self.find_existing(session, span.text)

    def resolve_key(
        self,
        session: Session,
        key: str,
        *,
        name: str,
        kind: str | None = None,
        country: str | None = None,
        sector: str | None = None,
        document_id: str | None = None,
    ) -> Resolution:
        if key.startswith(LOCAL_PREFIX):
            # unnamed generic agents ("the militants") are actors of one document only
            key = f"{key}@{document_id}"
        memo = self._memo(session)
        if key in memo:
            return Resolution(memo[key], None)
        cached = self._cache.get(key)
        if cached is not None:
            actor = session.get(Actor, cached)
            if actor is not None:
                memo[key] = follow_merges(session, actor)
                return Resolution(memo[key], None)
        kb_actor = self.kb.get(key)
        facts = _KeyFacts(key, name, kind, country, sector, document_id)
        if kb_actor is not None:
            res = Resolution(self._kb_actor(session, kb_actor), None)
        elif key.startswith("kb:"):
            # a KB id our KB does not know (older or newer KB): keep it as its own actor
            res = Resolution(self._by_kb_id(session, facts), None)
        elif key.startswith(LOCAL_PREFIX):
            res = self._local_actor(session, facts)
        else:
            res = self._discovered(session, facts)
        actor = follow_merges(session, res.actor)
        self._cache[key] = actor.id
        memo[key] = actor
        return Resolution(actor, res.reason)

    def find_existing(self, session: Session, name: str) -> Actor | None:
        """An existing actor with this exact name key (global aliases only), merges followed."""
        key = name_key(name)
        if not key:
            return None
        kb_actor = self.kb.lookup(name)
        if kb_actor is not None:
            return self._kb_actor(session, kb_actor)
        alias = session.scalars(
            select(Alias)
            .where(Alias.key == key, Alias.origin.in_(GLOBAL_ALIAS_ORIGINS))
            .order_by(Alias.id)
            .limit(1)
        ).first()
        return follow_merges(session, alias.actor) if alias else None

    # ---- KB actors -----------------------------------------------------------

    def _kb_actor(self, session: Session, kb_actor: KbActor) -> Actor:
        actor = session.scalars(select(Actor).where(Actor.kb_id == kb_actor.id)).first()
        if actor is not None:
            return actor
        actor = Actor(
            name=kb_actor.name,
            kind=kb_actor.kind,
            country=kb_actor.country,
            sector=kb_actor.sector,
            kb_id=kb_actor.id,
            wikidata=kb_actor.wikidata,
        )
        session.add(actor)
        seen: set[str] = set()
        for alias_name in kb_actor.names():
            key = name_key(alias_name)
            if key and key not in seen:
                seen.add(key)
                actor.aliases.append(
                    Alias(name=alias_name, key=key, origin="kb", reason="knowledge base alias")
                )
        session.flush()
        return actor

    def _by_kb_id(self, session: Session, facts: _KeyFacts) -> Actor:
        actor = session.scalars(select(Actor).where(Actor.kb_id == facts.key)).first()
        if actor is None:
            name = facts.name
            actor = facts.new_actor(kb_id=facts.key)
            actor.aliases.append(
                Alias(name=name, key=name_key(name), origin="kb", reason="knowledge base name")
            )
            session.add(actor)
            session.flush()
        return actor

    # ---- text-discovered actors ---------------------------------------------

    def _discovered(self, session: Session, facts: _KeyFacts) -> Resolution:
        actor = session.scalars(select(Actor).where(Actor.discovery_key == facts.key)).first()
        if actor is not None:
            return Resolution(actor, None)
        name, kind = facts.name, facts.kind
        nkey = name_key(name)
        kb_actor = self.kb.lookup(name)
        if kb_actor is not None and kinds_compatible(kind, kb_actor.kind):
            res = Resolution(self._kb_actor(session, kb_actor), "knowledge base name")
        else:
            res = (
                self._by_alias_key(session, nkey, kind)
                or self._by_fuzzy(session, nkey, kind)
                or self._by_acronym(session, name, kind)
                or self._by_surname(session, name, kind)
                or self._by_middle_name(session, name, kind)
                or self._new_actor(session, facts)
            )
        if res.reason is not None:
            add_alias(
                session,
                res.actor,
                name,
                origin="text",
                reason=res.reason,
                document_id=facts.document_id,
            )
        return res

    def _by_alias_key(self, session: Session, nkey: str, kind: str | None) -> Resolution | None:
        if not nkey:
            return None
        rows = session.scalars(
            select(Alias)
            .where(Alias.key == nkey, Alias.origin.in_(GLOBAL_ALIAS_ORIGINS))
            .order_by(Alias.id)
        ).all()
        for alias in rows:
            if kinds_compatible(kind, alias.actor.kind):
                return Resolution(alias.actor, f"same name key as '{alias.actor.name}'")
        return None

    def _by_fuzzy(self, session: Session, nkey: str, kind: str | None) -> Resolution | None:
        if len(nkey) < FUZZY_MIN_KEY_CHARS:
            return None
        query = (
            select(Alias.key, Alias.actor_id)
            .join(Actor, Actor.id == Alias.actor_id)
            .where(Alias.origin.in_(GLOBAL_ALIAS_ORIGINS))
        )
        if kind and kind != "other":
            query = query.where(Actor.kind == kind)
        candidates = [
            (k, actor_id) for k, actor_id in session.execute(query) if len(k) >= FUZZY_MIN_KEY_CHARS
        ]
        if not candidates:
            return None
        best = closest_variant(nkey, [k for k, _ in candidates], FUZZY_MIN_SCORE)
        if best is None:
            return None
        index, score = best
        actor = session.get(Actor, candidates[index][1])
        if actor is None:
            return None
        return Resolution(actor, f"fuzzy {round(score)} with '{actor.name}'")

    def _by_acronym(self, session: Session, name: str, kind: str | None) -> Resolution | None:
        if kind == "person" or not _looks_like_acronym(name):
            return None
        letters = re.sub(r"[^A-Z]", "", name.upper())
        query = (
            select(Alias)
            .join(Actor, Actor.id == Alias.actor_id)
            .where(Actor.kind != "person", Alias.origin.in_(GLOBAL_ALIAS_ORIGINS))
        )
        for alias in session.scalars(query.order_by(Alias.id)):
            if len(alias.name.split()) >= 2 and acronym(alias.name) == letters:
                return Resolution(alias.actor, f"acronym of '{alias.name}'")
        return None

    def _by_surname(self, session: Session, name: str, kind: str | None) -> Resolution | None:
        """A lone surname is the one person stored under a full name ending in it. Not when
        two people share it, nor when it is also someone's first name ("Kim", "Omar")."""
        if kind != "person" or len(name) < _MIN_SURNAME_CHARS or not _SURNAME.match(name):
            return None
        people = select(Actor).where(Actor.kind == "person", Actor.merged_into_id.is_(None))
        if session.scalars(people.where(Actor.name.ilike(f"{name} %")).limit(1)).first():
            return None
        holders = session.scalars(people.where(Actor.name.ilike(f"% {name}")).limit(2)).all()
        if len(holders) != 1 or not _written_as_full_name(holders[0].name):
            return None
        return Resolution(holders[0], f"surname of '{holders[0].name}', the one person so named")

    def _by_middle_name(self, session: Session, name: str, kind: str | None) -> Resolution | None:
        """A full name with a middle name or initial and the same name without it are one
        person ("Hillary Rodham Clinton", "Hillary Clinton"); not when two stored people fit
        ("George Bush" after "George W. Bush" and "George H. W. Bush"). A longer form after
        the short one joins it only with a middle *name*: initials are how a father and a son
        of one name are told apart ("George W. Bush" after "George Bush" stays apart)."""
        words = name.split()
        if kind != "person" or not _written_as_full_name(name):
            return None
        first, last = words[0], words[-1]
        if first == last or not (_SURNAME.match(first) and _SURNAME.match(last)):
            return None  # "Abdullah Abdullah" is a name of its own
        if any(w.lower() in _NOT_MIDDLE_NAMES for w in words[1:-1]):
            return None  # "Abdullah King Abdullah": a title glued between two names
        people = select(Actor).where(Actor.kind == "person", Actor.merged_into_id.is_(None))
        if len(words) == 2:  # the short form: look for the one longer form
            stored = people.where(Actor.name.ilike(f"{first} % {last}"))
            fits = [a for a in session.scalars(stored.limit(3)) if _written_as_full_name(a.name)]
        elif all(len(w.strip(".")) > 1 for w in words[1:-1]):
            fits = list(session.scalars(people.where(Actor.name.ilike(f"{first} {last}")).limit(2)))
        else:
            return None
        fits = [a for a in fits if a.name.split()[0] == first and a.name.split()[-1] == last]
        if len(fits) != 1:
            return None
        return Resolution(fits[0], f"'{fits[0].name}' with or without a middle name")

    def _local_actor(self, session: Session, facts: _KeyFacts) -> Resolution:
        """A document-scoped actor: never merged by name with anything outside its document."""
        actor = session.scalars(select(Actor).where(Actor.discovery_key == facts.key)).first()
        if actor is None:
            actor = facts.new_actor(discovery_key=facts.key)
            session.add(actor)
            session.flush()
            add_alias(
                session,
                actor,
                facts.name,
                origin="link",
                reason="unnamed generic agent: this document only",
                document_id=facts.document_id,
            )
        return Resolution(actor, None)

    def _new_actor(self, session: Session, facts: _KeyFacts) -> Resolution:
        actor = facts.new_actor(discovery_key=facts.key)
        session.add(actor)
        nkey = name_key(facts.name)
        if nkey:
            actor.aliases.append(
                Alias(
                    name=facts.name,
                    key=nkey,
                    origin="text",
                    reason="first seen in text",
                    document_id=facts.document_id,
                )
            )
        session.flush()
        return Resolution(actor, None)

    def _note_surface_form(
        self, session: Session, actor: Actor, mention: Mention, document_id: str | None
    ) -> None:
        """Remember a new spelling of the actor, with the reason extract linked it."""
        reason = mention.link_reason
        if not any(c.isupper() for c in mention.text):
            return  # "he", "the group": coreference, not a name worth keeping
        if reason and reason.startswith(TITLED_NAME_REASON):
            return  # "US Secretary of State John Kerry": the name inside is the alias
        seen = (actor.id, name_key(mention.text))
        if seen in self._alias_seen:
            return
        self._alias_seen.add(seen)
        if reason and reason not in _PLAIN_LINK_REASONS:
            # a within-document link (surname, coreference): valid in this document only
            add_alias(
                session,
                actor,
                mention.text,
                origin=DOCUMENT_LINK_ORIGIN,
                reason=f"within-document link: {reason}",
                document_id=document_id,
            )
        elif mention.actor_id and mention.actor_id.startswith("kb:"):
            add_alias(
                session,
                actor,
                mention.text,
                origin="text",
                reason=f"linked to knowledge base actor '{actor.name}'",
                document_id=document_id,
            )


# Words between a first and a last name that make no middle name.
_NOT_MIDDLE_NAMES = ROLE_WORDS | TITLE_MODIFIERS | {
    "prince", "princess", "queen", "sheikh", "sir", "lord", "dame", "emir", "crown"}


def _written_as_full_name(name: str) -> bool:
    """Two to four capitalised words ("Chuck Hagel", "Harry S. Truman")."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def add_alias(
    session: Session,
    actor: Actor,
    name: str,
    *,
    origin: str,
    reason: str,
    document_id: str | None = None,
) -> Alias | None:
    """Attach ``name`` to ``actor`` unless it already has that name key."""
    key = name_key(name)
    if not key:
        return None
    existing = session.scalars(
        select(Alias).where(Alias.actor_id == actor.id, Alias.key == key)
    ).first()
    if existing is not None:
        return None
    alias = Alias(
        name=name[:255],
        key=key[:255],
        origin=origin,
        reason=reason,
        document_id=document_id,
    )
    actor.aliases.append(alias)  # keeps the loaded collection in step with the table
    session.flush()
    return alias


def follow_merges(session: Session, actor: Actor) -> Actor:
    """The surviving actor after analyst merges (guards against merge cycles)."""
    seen = {actor.id}
    while actor.merged_into_id is not None and actor.merged_into_id not in seen:
        survivor = session.get(Actor, actor.merged_into_id)
        if survivor is None:
            break
        seen.add(survivor.id)
        actor = survivor
    return actor
