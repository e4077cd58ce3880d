"""Map the actor keys extract puts on mentions to canonical ``Actor`` rows across articles.

The rules are ``resolve.actors``' (strongest evidence first: KB id, earlier discovery,
alias name key, fuzzy spelling, acronym, lone surname, middle name, else a new actor).
Every alias attached stores *why* in ``Alias.reason`` so analysts can audit merges.

Name matching reads an in-memory ``NameIndex`` of the stored aliases and people instead
of scanning the alias table for every new name: it is loaded once per resolver, topped up
with rows newer than the last it saw at the start of each transaction, and extended with
the rows this resolver writes. Hits are checked against the session before use.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from factionmap.kb import KbActor, KnowledgeBase, name_key
from factionmap.kb.fuzzy import closest_variant
from factionmap.records import TITLED_NAME_REASON, Mention, Span
from factionmap.resolve.actors import (
    DOCUMENT_LINK_ORIGIN,
    FUZZY_MIN_KEY_CHARS,
    FUZZY_MIN_SCORE,
    GLOBAL_ALIAS_ORIGINS,
    LABEL_KIND,
    LOCAL_PREFIX,
    PLAIN_LINK_REASONS,
    acronym,
    acronym_letters,
    kinds_compatible,
    lone_surname,
    looks_like_acronym,
    middle_name_form,
    written_as_full_name,
)
from factionmap.store.models import Actor, Alias

__all__ = ["GLOBAL_ALIAS_ORIGINS", "ActorResolver", "NameIndex", "Resolution", "acronym",
           "add_alias", "follow_merges", "kinds_compatible"]


PRELOAD_CHUNK = 500  # discovery keys per query when preloading an article's actors


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


def _fuzzy_lengths(n: int) -> range:
    """Key lengths that can reach FUZZY_MIN_SCORE against a key of length ``n``: a ratio
    of 2*common/(n+m) needs |n-m| <= (1-score/100)*(n+m)."""
    share = FUZZY_MIN_SCORE / 100
    low = int(n * share / (2 - share))
    high = int(n * (2 - share) / share) + 1
    return range(max(low, FUZZY_MIN_KEY_CHARS), high + 1)


def _words(key: str) -> int:
    """Words longer than an initial: a spelling variant has as many (``is_spelling_variant``),
    so keys with another count are never fuzzy candidates."""
    return sum(len(w) > 1 for w in key.split())


@dataclass
class NameIndex:
    """What name matching reads, in memory: global aliases by key, by key length (fuzzy)
    and by acronym; people by first and last word. Entries keep alias-id order."""

    alias_max: int = 0
    actor_max: int = 0
    by_key: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    # (key length, kind of the alias's actor, words) -> (alias id, key, actor id)
    by_length: dict[tuple[int, str | None, int], list[tuple[int, str, int]]] = field(
        default_factory=lambda: defaultdict(list))
    by_acronym: dict[str, list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list))
    kinds: dict[int, str] = field(default_factory=dict)
    first_words: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    last_words: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def refresh(self, session: Session) -> None:
        """Read the actors and aliases stored since the last refresh."""
        actors = session.execute(
            select(Actor.id, Actor.kind, Actor.name).where(Actor.id > self.actor_max)
            .order_by(Actor.id)
        ).all()
        for actor_id, kind, name in actors:
            self.add_actor(actor_id, kind, name)
        aliases = session.execute(
            select(Alias.id, Alias.key, Alias.name, Alias.actor_id)
            .where(Alias.id > self.alias_max, Alias.origin.in_(GLOBAL_ALIAS_ORIGINS))
            .order_by(Alias.id)
        ).all()
        for alias_id, key, name, actor_id in aliases:
            self.add_alias(alias_id, key, name, actor_id)

    def add_actor(self, actor_id: int, kind: str, name: str) -> None:
        self.actor_max = max(self.actor_max, actor_id)
        self.kinds[actor_id] = kind
        if kind == "person":
            words = name.lower().split()
            if len(words) >= 2:
                self.first_words[words[0]].add(actor_id)
                self.last_words[words[-1]].add(actor_id)

    def add_alias(self, alias_id: int, key: str, name: str, actor_id: int) -> None:
        self.alias_max = max(self.alias_max, alias_id)
        self.by_key[key].append((alias_id, actor_id))
        if len(key) >= FUZZY_MIN_KEY_CHARS:
            shape = (len(key), self.kinds.get(actor_id), _words(key))
            self.by_length[shape].append((alias_id, key, actor_id))
        if len(name.split()) >= 2:
            self.by_acronym[acronym(name)].append((alias_id, actor_id))

    def fuzzy_candidates(self, nkey: str, kind: str | None) -> list[tuple[str, int]]:
        """(key, actor id) of aliases long enough to be a fuzzy match, in alias-id order."""
        lengths, words = _fuzzy_lengths(len(nkey)), _words(nkey)
        wanted = kind if kind and kind != "other" else None
        # buckets are in alias-id order already; sorting their concatenation restores it
        # across buckets at C speed (this runs for every new name, over every stored alias)
        found = sorted(entry for (n, k, w), bucket in self.by_length.items()
                       if n in lengths and w == words and (wanted is None or k == wanted)
                       for entry in bucket)
        return [(k, actor_id) for _, k, actor_id in found]


class ActorResolver:
    """Resolves mention actor keys to ``Actor`` rows. Keeps a key cache and a name index
    across transactions; ``forget()`` drops both after a rollback."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        if kb is None:
            from factionmap.kb import default_kb

            kb = default_kb()
        self.kb = kb
        self._cache: dict[str, int] = {}  # actor key -> surviving actor id
        self._kb_rows: dict[str, int] = {}  # KB id -> its own row (merges not followed)
        # (actor id, name key) pairs known to be stored: saves a query per repeated mention
        self._alias_seen: set[tuple[int, str]] = set()
        # actors already loaded in the current session, by key
        self._session_ref: weakref.ref[Session] | None = None
        self._session_actors: dict[str, Actor] = {}
        self._index: NameIndex | None = None
        # rows added but not flushed yet (see ``settle``): keys to cache, actors and aliases
        # to index once they have ids
        self._pending_keys: list[tuple[str, Actor]] = []
        self._pending_rows: list[tuple[Actor | None, list[Alias]]] = []
        # discovery key -> its stored actor or None, read by ``preload`` for what follows
        self._looked_up: dict[str, Actor | None] = {}

    def forget(self) -> None:
        """Drop cached ids and the name index: call after a rolled-back transaction."""
        self._cache.clear()
        self._kb_rows.clear()
        self._alias_seen.clear()
        self._session_actors.clear()
        self._session_ref = None
        self._index = None
        self._pending_keys.clear()
        self._pending_rows.clear()
        self._looked_up.clear()

    def preload(self, session: Session, keys: Iterable[str],
                document_id: str | None = None) -> None:
        """Read in one query which of these mention keys' actors are stored, so resolving
        them asks nothing more of the database (one question per article, not per name)."""
        memo = self._memo(session)
        wanted = {f"{k}@{document_id}" if k.startswith(LOCAL_PREFIX) else k for k in keys
                  if not k.startswith("kb:")}
        wanted -= memo.keys() | self._cache.keys()
        if not wanted:
            return
        self._looked_up = dict.fromkeys(wanted)
        ordered = sorted(wanted)
        for i in range(0, len(ordered), PRELOAD_CHUNK):  # under any backend's bind limit
            chunk = ordered[i:i + PRELOAD_CHUNK]
            for actor in session.scalars(select(Actor).where(Actor.discovery_key.in_(chunk))):
                self._looked_up[actor.discovery_key] = actor  # type: ignore[index]

    def _stored(self, session: Session, key: str) -> Actor | None:
        """The actor stored under a discovery key (as preloaded, else asked for)."""
        if key in self._looked_up:
            return self._looked_up.pop(key)  # good once: what is resolved next is memoised
        return session.scalars(select(Actor).where(Actor.discovery_key == key)).first()

    def settle(self, session: Session) -> None:
        """Flush the actors and aliases resolution added, then cache and index them.

        New actors and their aliases are not flushed one by one: nothing needs their ids
        until the name index is read or a fact row is built, so they go in together (one
        multi-row INSERT per table) when the index is next read, or when the caller settles.
        """
        if not self._pending_rows and not self._pending_keys:
            return
        session.flush()
        rows, self._pending_rows = self._pending_rows, []
        keys, self._pending_keys = self._pending_keys, []
        # the index keeps alias-id order; ids follow the order rows were added in, but sort
        # rather than rely on a backend numbering a multi-row INSERT in order
        for actor, _ in rows:
            if actor is not None:
                self._indexed(actor)
        self._indexed(aliases=sorted((a for _, aliases in rows for a in aliases),
                                     key=lambda a: a.id))
        for key, actor in keys:
            self._cache[key] = actor.id

    def _pending_aliases(self) -> list[Alias]:
        """Unflushed aliases other documents may match by, in the order their ids will follow."""
        return [a for _, aliases in self._pending_rows for a in aliases
                if a.origin in GLOBAL_ALIAS_ORIGINS]

    def _pending_people(self, first: str | None = None, last: str | None = None) -> list[Actor]:
        """Unflushed people of two words or more, by first or last word (as ``NameIndex``)."""
        found = []
        for actor, _ in self._pending_rows:
            if actor is None or actor.kind != "person" or actor.merged_into_id is not None:
                continue
            words = actor.name.lower().split()
            if len(words) >= 2 and (first is None or words[0] == first) and (
                    last is None or words[-1] == last):
                found.append(actor)
        return found

    def _memo(self, session: Session) -> dict[str, Actor]:
        # a weak reference, not id(): a new session may reuse a freed one's id
        if self._session_ref is None or self._session_ref() is not session:
            self._session_ref = weakref.ref(session)
            self._session_actors = {}
            self._looked_up = {}
            if self._index is not None:
                self._index.refresh(session)  # rows other writers stored meanwhile
        return self._session_actors

    def index(self, session: Session) -> NameIndex:
        """The stored rows; those not flushed yet are read from ``_pending_*`` beside it."""
        self._memo(session)
        if self._index is None:
            self._index = NameIndex()
            self._index.refresh(session)
        return self._index

    def _indexed(self, actor: Actor | None = None, aliases: list[Alias] | None = None) -> None:
        """Put rows this resolver just flushed into the name index."""
        if self._index is None:
            return
        if actor is not None:
            self._index.add_actor(actor.id, actor.kind, actor.name)
        for alias in aliases or []:
            if alias.origin in GLOBAL_ALIAS_ORIGINS:
                self._index.add_alias(alias.id, alias.key, alias.name, alias.actor_id)

    # ---- public entry points -------------------------------------------------

    def resolve_mention(
        self, session: Session, mention: Mention, document_id: str | None = None,
        *, settle: bool = True,
    ) -> Actor | None:
        """The canonical actor of a mention (None if extract linked it to no actor).

        ``settle=False``: a new actor may be returned unflushed (no id yet); the caller
        calls ``settle`` before it needs ids.
        """
        if not mention.actor_id:
            return None
        kind = mention.actor_kind or LABEL_KIND.get(mention.label, "other")
        name = mention.actor_name or mention.text
        res = self.resolve_key(
            session,
            mention.actor_id,
            name=name,
            kind=kind,
            country=mention.country,
            sector=mention.sector,
            document_id=document_id,
            settle=False,
        )
        self._note_surface_form(session, res.actor, mention, document_id)
        if settle:
            self.settle(session)
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
        settle: bool = True,
    ) -> Resolution:
        if key.startswith(LOCAL_PREFIX):
            # unnamed generic agents ("the militants") are actors of one document only
            key = f"{key}@{document_id}"
        memo = self._memo(session)
        if key in memo:
            if settle:
                self.settle(session)
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
        if actor.id is None:
            self._pending_keys.append((key, actor))
        else:
            self._cache[key] = actor.id
        memo[key] = actor
        if settle:
            self.settle(session)
        return Resolution(actor, res.reason)

    def find_existing(self, session: Session, name: str) -> Actor | None:
        """An existing actor with this exact name key (global aliases only), merges followed."""
        key = name_key(name)
        if not key:
            return None
        kb_actor = self.kb.lookup(name)
        if kb_actor is not None:
            return self._kb_actor(session, kb_actor)
        for _, actor_id in self.index(session).by_key.get(key, []):
            actor = session.get(Actor, actor_id)
            if actor is not None:
                return follow_merges(session, actor)
        for alias in self._pending_aliases():
            if alias.key == key:
                return alias.actor
        return None

    # ---- KB actors -----------------------------------------------------------

    def _kb_actor(self, session: Session, kb_actor: KbActor) -> Actor:
        known = self._kb_rows.get(kb_actor.id)
        actor = session.get(Actor, known) if known is not None else None
        if actor is None:
            actor = session.scalars(select(Actor).where(Actor.kb_id == kb_actor.id)).first()
        if actor is not None:
            self._kb_rows[kb_actor.id] = actor.id
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
        self._pending_rows.append((actor, list(actor.aliases)))
        self.settle(session)
        self._kb_rows[kb_actor.id] = actor.id
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
            self._pending_rows.append((actor, list(actor.aliases)))
            self.settle(session)
        return actor

    # ---- text-discovered actors ---------------------------------------------

    def _discovered(self, session: Session, facts: _KeyFacts) -> Resolution:
        actor = self._stored(session, facts.key)
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
            self.add_alias(session, res.actor, name, origin="text", reason=res.reason,
                           document_id=facts.document_id)
        return res

    def _by_alias_key(self, session: Session, nkey: str, kind: str | None) -> Resolution | None:
        if not nkey:
            return None
        stored = (session.get(Actor, actor_id)
                  for _, actor_id in self.index(session).by_key.get(nkey, []))
        pending = (a.actor for a in self._pending_aliases() if a.key == nkey)
        for actor in (*stored, *pending):
            if actor is not None and kinds_compatible(kind, actor.kind):
                return Resolution(actor, f"same name key as '{actor.name}'")
        return None

    def _by_fuzzy(self, session: Session, nkey: str, kind: str | None) -> Resolution | None:
        if len(nkey) < FUZZY_MIN_KEY_CHARS:
            return None
        candidates: list[tuple[str, int | Actor]] = [
            *self.index(session).fuzzy_candidates(nkey, kind)]
        lengths, wanted = _fuzzy_lengths(len(nkey)), kind if kind and kind != "other" else None
        candidates += [(a.key, a.actor) for a in self._pending_aliases()
                       if len(a.key) >= FUZZY_MIN_KEY_CHARS and len(a.key) in lengths
                       and _words(a.key) == _words(nkey)
                       and (wanted is None or a.actor.kind == wanted)]
        if not candidates:
            return None
        best = closest_variant(nkey, [k for k, _ in candidates], FUZZY_MIN_SCORE)
        if best is None:
            return None
        index, score = best
        found = candidates[index][1]
        actor = found if isinstance(found, Actor) else session.get(Actor, found)
        if actor is None:
            return None
        return Resolution(actor, f"fuzzy {round(score)} with '{actor.name}'")

    def _by_acronym(self, session: Session, name: str, kind: str | None) -> Resolution | None:
        if kind == "person" or not looks_like_acronym(name):
            return None
        letters = acronym_letters(name)
        for alias_id, actor_id in self.index(session).by_acronym.get(letters, []):
            actor = session.get(Actor, actor_id)
            if actor is None or actor.kind == "person":
                continue
            alias = session.get(Alias, alias_id)
            if alias is not None and alias.actor_id == actor_id:
                return Resolution(actor, f"acronym of '{alias.name}'")
        for alias in self._pending_aliases():
            if (len(alias.name.split()) >= 2 and acronym(alias.name) == letters
                    and alias.actor.kind != "person"):
                return Resolution(alias.actor, f"acronym of '{alias.name}'")
        return None

    def _people(self, session: Session, ids: set[int]) -> list[Actor]:
        """The surviving people among ``ids``, in id order."""
        found = (session.get(Actor, i) for i in sorted(ids))
        return [a for a in found
                if a is not None and a.kind == "person" and a.merged_into_id is None]

    def _by_surname(self, session: Session, name: str, kind: str | None) -> Resolution | None:
        """A lone surname is the one person stored under a full name ending in it. Not when
        two people share it, nor when it is also someone's first name ("Kim", "Omar")."""
        if not lone_surname(name, kind):
            return None
        index, word = self.index(session), name.lower()
        if (self._people(session, index.first_words.get(word, set()))
                or self._pending_people(first=word)):
            return None
        holders = [*self._people(session, index.last_words.get(word, set())),
                   *self._pending_people(last=word)]
        if len(holders) != 1 or not written_as_full_name(holders[0].name):
            return None
        return Resolution(holders[0], f"surname of '{holders[0].name}', the one person so named")

    def _by_middle_name(self, session: Session, name: str, kind: str | None) -> Resolution | None:
        """A full name with a middle name or initial and the same name without it are one
        person ("Hillary Rodham Clinton", "Hillary Clinton"); not when two stored people fit
        ("George Bush" after "George W. Bush" and "George H. W. Bush"). A longer form after
        the short one joins it only with a middle *name*: initials are how a father and a son
        of one name are told apart ("George W. Bush" after "George Bush" stays apart)."""
        form = middle_name_form(name, kind)
        if form is None:
            return None
        words = name.split()
        first, last = words[0], words[-1]
        index = self.index(session)
        ids = index.first_words.get(first.lower(), set()) & index.last_words.get(
            last.lower(), set())
        people = [*self._people(session, ids),
                  *self._pending_people(first=first.lower(), last=last.lower())]
        if form == "short":  # the one longer form
            fits = [a for a in people if len(a.name.split()) > 2]
        else:  # the short form
            fits = [a for a in people if len(a.name.split()) == 2]
        fits = [a for a in fits if written_as_full_name(a.name)
                and a.name.split()[0] == first and a.name.split()[-1] == last]
        if len(fits) != 1:
            return None
        return Resolution(fits[0], f"'{fits[0].name}' with or without a middle name")

    def _local_actor(self, session: Session, facts: _KeyFacts) -> Resolution:
        """A document-scoped actor: never merged by name with anything outside its document."""
        actor = self._stored(session, facts.key)
        if actor is None:
            actor = facts.new_actor(discovery_key=facts.key)
            session.add(actor)
            self._pending_rows.append((actor, []))
            self.add_alias(
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
        self._pending_rows.append((actor, list(actor.aliases)))
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
        if actor.id is not None:  # a new actor's aliases are all in memory: nothing to save
            seen = (actor.id, name_key(mention.text))
            if seen in self._alias_seen:
                return
            self._alias_seen.add(seen)
        if reason and reason not in PLAIN_LINK_REASONS:
            # a within-document link (surname, coreference): valid in this document only
            self.add_alias(
                session,
                actor,
                mention.text,
                origin=DOCUMENT_LINK_ORIGIN,
                reason=f"within-document link: {reason}",
                document_id=document_id,
            )
        elif mention.actor_id and mention.actor_id.startswith("kb:"):
            self.add_alias(
                session,
                actor,
                mention.text,
                origin="text",
                reason=f"linked to knowledge base actor '{actor.name}'",
                document_id=document_id,
            )

    def add_alias(self, session: Session, actor: Actor, name: str, *, origin: str, reason: str,
                  document_id: str | None = None) -> Alias | None:
        """``add_alias``, flushed and indexed with the next ``settle``."""
        alias = add_alias(session, actor, name, origin=origin, reason=reason,
                          document_id=document_id, flush=False)
        if alias is not None:
            self._pending_rows.append((None, [alias]))
        return alias


def add_alias(
    session: Session,
    actor: Actor,
    name: str,
    *,
    origin: str,
    reason: str,
    document_id: str | None = None,
    flush: bool = True,
) -> Alias | None:
    """Attach ``name`` to ``actor`` unless it already has that name key.

    Aliases other documents may match by (``GLOBAL_ALIAS_ORIGINS``) are flushed at once, so
    the next name resolved sees them (unless ``flush=False``: the resolver flushes them
    before its index is next read); a document's own links go in with its other rows.
    """
    key = name_key(name)
    if not key:
        return None
    # the actor's aliases, loaded once per session and kept in step below, say what it has
    if any(a.key == key[:255] for a in actor.aliases):
        return None
    alias = Alias(
        name=name[:255],
        key=key[:255],
        origin=origin,
        reason=reason,
        document_id=document_id,
    )
    actor.aliases.append(alias)
    if flush and origin in GLOBAL_ALIAS_ORIGINS:
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
