"""Actor resolution across articles: one actor per real actor, every merge explained."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factionmap import records as rec
from factionmap.kb import KbActor, KnowledgeBase, name_key
from factionmap.resolve.actors import acronym
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.models import Actor, Alias, Document


@pytest.fixture()
def session(db_url):
    store = open_store(db_url)
    with store.session() as s:
        yield s
    store.close()


def small_kb() -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.add(
        KbActor(
            "kb:pmu",
            "Popular Mobilization Units",
            "armed_group",
            "IRQ",
            ("PMU", "Hashd", "Hashd al-Shaabi"),
            wikidata="Q19880540",
        )
    )
    kb.add(
        KbActor(
            "kb:aah", "Asaib Ahl al-Haq", "armed_group", "IRQ", ("League of the Righteous", "AAH")
        )
    )
    return kb


def mention(
    text: str,
    key: str | None,
    label: rec.EntityLabel = "Organisation",
    kind: rec.ActorKind | None = None,
    reason: str | None = None,
    name: str | None = None,
) -> rec.Mention:
    return rec.Mention(0, len(text), text, label, key, name or text, kind, link_reason=reason)


def new_key(text: str, label: str = "organisation") -> str:
    return f"new:{label}:{name_key(text)}"


def test_kb_actor_created_once_with_all_aliases(session):
    r = ActorResolver(small_kb())
    a = r.resolve_mention(session, mention("Hashd", "kb:pmu"))
    b = r.resolve_mention(session, mention("Popular Mobilization Units", "kb:pmu"))
    assert a is b
    assert (a.name, a.kind, a.country, a.wikidata) == (
        "Popular Mobilization Units",
        "armed_group",
        "IRQ",
        "Q19880540",
    )
    kb_aliases = {x.name: x.reason for x in a.aliases if x.origin == "kb"}
    assert set(kb_aliases) >= {"PMU", "Hashd", "Hashd al-Shaabi"}
    assert set(kb_aliases.values()) == {"knowledge base alias"}
    assert len(session.scalars(select(Actor)).all()) == 1


@pytest.mark.parametrize(
    "surface", ["Hashd al-Sha'abi", "Hashd", "PMU", "Popular Mobilization Units"]
)
def test_pmu_spellings_from_text_join_the_kb_actor(session, surface):
    r = ActorResolver(small_kb())
    pmu = r.resolve_mention(session, mention("Popular Mobilization Units", "kb:pmu"))
    found = r.resolve_mention(session, mention(surface, new_key(surface)))
    assert found is pmu


def test_league_of_the_righteous_is_asaib(session):
    r = ActorResolver(small_kb())
    aah = r.resolve_mention(session, mention("Asaib Ahl al-Haq", "kb:aah"))
    other = r.resolve_mention(
        session, mention("League of the Righteous", new_key("League of the Righteous"))
    )
    assert other is aah


def test_spelling_variant_same_name_key_with_reason(session):
    r = ActorResolver(KnowledgeBase())
    first = r.resolve_mention(
        session, mention("Fuad Hussein", new_key("Fuad Hussein", "person"), "Person", "person")
    )
    second = r.resolve_mention(
        session, mention("Fuad Husssein", new_key("Fuad Husssein", "person"), "Person", "person")
    )
    assert second is first
    assert first.discovery_key == new_key("Fuad Hussein", "person")


def test_fuzzy_merge_stores_score_and_name(session):
    r = ActorResolver(KnowledgeBase())
    first = r.resolve_mention(
        session,
        mention(
            "Nizar Abdulwahid Tamimi",
            new_key("Nizar Abdulwahid Tamimi", "person"),
            "Person",
            "person",
        ),
    )
    second = r.resolve_mention(
        session,
        mention(
            "Nizar Abdulwahid Timimi",
            new_key("Nizar Abdulwahid Timimi", "person"),
            "Person",
            "person",
        ),
    )
    assert second is first
    reasons = [a.reason for a in first.aliases if a.name == "Nizar Abdulwahid Timimi"]
    assert len(reasons) == 1 and reasons[0].startswith("fuzzy ")
    assert reasons[0].endswith("with 'Nizar Abdulwahid Tamimi'")


def test_fuzzy_never_for_short_keys_or_across_kinds(session):
    r = ActorResolver(KnowledgeBase())
    ali = r.resolve_mention(session, mention("Alia", new_key("Alia", "person"), "Person", "person"))
    ala = r.resolve_mention(session, mention("Alib", new_key("Alib", "person"), "Person", "person"))
    assert ali is not ala
    person = r.resolve_mention(
        session, mention("Hamid Karimi", new_key("Hamid Karimi", "person"), "Person", "person")
    )
    group = r.resolve_mention(
        session, mention("Hamid Karimy", new_key("Hamid Karimy"), kind="armed_group")
    )
    assert person is not group


def test_acronym_merge_with_reason(session):
    r = ActorResolver(KnowledgeBase())
    full = r.resolve_mention(
        session,
        mention(
            "Islamic Resistance Coordination Committee",
            new_key("Islamic Resistance Coordination Committee"),
            kind="armed_group",
        ),
    )
    short = r.resolve_mention(session, mention("IRCC", new_key("IRCC"), kind="armed_group"))
    assert short is full
    alias = session.scalars(select(Alias).where(Alias.name == "IRCC")).one()
    assert alias.reason == "acronym of 'Islamic Resistance Coordination Committee'"
    assert acronym("Popular Mobilization Units") == "PMU"


def test_surname_links_only_within_the_document(session):
    r = ActorResolver(KnowledgeBase())
    full_key = new_key("Qasim Rahimi", "person")
    full = r.resolve_mention(session, mention("Qasim Rahimi", full_key, "Person", "person"), None)
    linked = r.resolve_mention(
        session,
        mention(
            "Rahimi",
            full_key,
            "Person",
            "person",
            reason="name part of 'Qasim Rahimi'",
            name="Qasim Rahimi",
        ),
    )
    assert linked is full
    alias = session.scalars(select(Alias).where(Alias.name == "Rahimi")).one()
    assert alias.reason == "within-document link: name part of 'Qasim Rahimi'"
    # the document's own link is no global alias: "Rahimi" the organisation is not him
    other = r.resolve_mention(session, mention("Rahimi", new_key("Rahimi"), kind="other"))
    assert other is not full


def test_a_lone_surname_is_the_one_person_stored_with_it(session):
    r = ActorResolver(KnowledgeBase())

    def person(text: str) -> Actor:
        return r.resolve_mention(session, mention(text, new_key(text, "person"), "Person",
                                                  "person"))

    rahimi, jaber, nouri = person("Qasim Rahimi"), person("Ali Jaber"), person("Nouri Haddad")
    assert person("Rahimi") is rahimi
    alias = session.scalars(select(Alias).where(Alias.name == "Rahimi")).one()
    assert alias.reason == "surname of 'Qasim Rahimi', the one person so named"
    person("Hassan Jaber")
    assert person("Jaber") not in (jaber, None) and person("Jaber").name == "Jaber"  # two Jabers
    salim = person("Salim Nouri")
    assert person("Nouri") not in (nouri, salim)  # also someone's first name: "Nouri Haddad"


def test_a_middle_name_makes_no_second_person(session):
    r = ActorResolver(KnowledgeBase())

    def person(text: str) -> Actor:
        return r.resolve_mention(session, mention(text, new_key(text, "person"), "Person",
                                                  "person"))

    full = person("Nadia Karam Haddad")
    assert person("Nadia Haddad") is full  # the short form after the long one
    alias = session.scalars(select(Alias).where(Alias.name == "Nadia Haddad")).one()
    assert alias.reason == "'Nadia Karam Haddad' with or without a middle name"
    short = person("Samir Tal")
    assert person("Samir Khalil Tal") is short  # the long form after the short one
    # two people fit the short form: it stays its own actor
    one, two = person("Omar Bakr Aziz"), person("Omar Hamid Aziz")
    assert one is not two
    assert person("Omar Aziz") not in (one, two)
    assert person("Nadia Salem") is not full  # another surname is another person
    # a name that repeats itself, and a title glued between two names, make no middle name
    twice = person("Karim Karim")
    assert person("Karim Emir Karim") is not twice


def test_analyst_merge_is_followed(session):
    r = ActorResolver(KnowledgeBase())
    a = r.resolve_mention(
        session, mention("Saraya Alpha", new_key("Saraya Alpha"), kind="armed_group")
    )
    b = r.resolve_mention(
        session, mention("Brigade Omega", new_key("Brigade Omega"), kind="armed_group")
    )
    a.merged_into_id = b.id
    session.flush()
    fresh = ActorResolver(KnowledgeBase())
    assert fresh.resolve_mention(session, mention("Saraya Alpha", new_key("Saraya Alpha"))) is b
    assert fresh.find_existing(session, "Saraya Alpha") is b


def test_unlinked_mention_has_no_actor(session):
    r = ActorResolver(KnowledgeBase())
    assert r.resolve_mention(session, mention("Tuesday", None, "Temporal")) is None


def test_unnamed_generic_agents_stay_within_their_document(session):
    session.add_all([Document(id=d, text="x") for d in ("doc-1", "doc-2")])
    session.flush()
    resolver = ActorResolver(small_kb())
    key = "local:UAF:militants"
    first = resolver.resolve_mention(session, mention("militants", key), document_id="doc-1")
    again = resolver.resolve_mention(session, mention("the militants", key), document_id="doc-1")
    other = resolver.resolve_mention(session, mention("militants", key), document_id="doc-2")
    assert first is not None and other is not None
    assert first.id == again.id
    assert first.id != other.id
    # its name never becomes a global alias that text elsewhere could merge into
    origins = {a.origin for a in first.aliases}
    assert origins == {"link"}


def test_fuzzy_never_swaps_a_word(session):
    # "Israel government" is 91 by whole-string ratio to "Iraq government": not one actor
    r = ActorResolver(KnowledgeBase())
    iraq, israel = (
        r.resolve_mention(session, mention(name, new_key(name), kind="government_body"))
        for name in ("Iraq government", "Israel government")
    )
    senior, junior = (
        r.resolve_mention(session, mention(name, new_key(name, "person"), "Person", "person"))
        for name in ("George H.W. Bush", "George W. Bush")
    )
    assert israel is not iraq
    assert junior is not senior


def test_names_resolved_before_a_flush_match_as_if_stored(session):
    """The writer resolves an article's mentions unflushed (``settle=False``, autoflush
    off) and flushes once; a spelling, acronym, surname or middle-name form of a name first
    seen in the same article must still find that pending actor."""
    r = ActorResolver(KnowledgeBase())

    def resolve(text: str, label: rec.EntityLabel = "Person", kind: str = "person") -> Actor:
        key = new_key(text, "person" if kind == "person" else "organisation")
        return r.resolve_mention(session, mention(text, key, label, kind), settle=False)

    with session.no_autoflush:
        committee = resolve("Islamic Resistance Coordination Committee", "Organisation",
                            "armed_group")
        nizar = resolve("Nizar Abdulwahid Tamimi")
        nadia = resolve("Nadia Karam Haddad")
        qasim = resolve("Qasim Rahimi")
        assert resolve("IRCC", "Organisation", "armed_group") is committee
        assert resolve("Nizar Abdulwahid Timimi") is nizar
        assert resolve("Nadia Haddad") is nadia
        assert resolve("Rahimi") is qasim
        assert session.scalars(select(Actor)).all() == []  # nothing written yet
        r.settle(session)
    assert all(a.id is not None for a in (committee, nizar, nadia, qasim))
    reasons = dict(session.execute(select(Alias.name, Alias.reason)).all())
    assert reasons["IRCC"] == "acronym of 'Islamic Resistance Coordination Committee'"
    assert reasons["Nizar Abdulwahid Timimi"].startswith("fuzzy ")
    assert reasons["Rahimi"] == "surname of 'Qasim Rahimi', the one person so named"
    # settled rows are in the name index: later articles find them as stored actors
    assert resolve("Nizar Abdulwahid Tamimy") is nizar


def test_preload_finds_stored_actors_in_one_query(db_url):
    """The writer asks once per article which of its mention keys are stored, instead of
    once per name; what it finds is what asking one by one would find."""
    from sqlalchemy import event

    store = open_store(db_url)
    r = ActorResolver(KnowledgeBase())
    names = ["Saraya Alpha", "Liwa Beta", "Kataib Gamma"]
    with store.session() as s:
        stored = {n: r.resolve_mention(s, mention(n, new_key(n), kind="armed_group")).id
                  for n in names}
    fresh = ActorResolver(KnowledgeBase())  # a new process: nothing cached
    queries: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if "discovery_key" in statement and statement.lstrip().upper().startswith("SELECT"):
            queries.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.session() as s, s.no_autoflush:
            keys = [new_key(n) for n in [*names, "Brand New Front"]]
            fresh.preload(s, keys)
            found = {n: fresh.resolve_mention(s, mention(n, new_key(n), kind="armed_group"))
                     for n in [*names, "Brand New Front"]}
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
        store.close()
    assert {n: found[n].id for n in names} == stored
    assert found["Brand New Front"].id not in stored.values()
    assert len(queries) == 1


def test_preload_of_more_keys_than_one_query_takes(session, monkeypatch):
    """An article with thousands of names (a long list, a hostile input) is preloaded in
    several queries, never one over a backend's limit on bound values."""
    import factionmap.store.actors as actors

    monkeypatch.setattr(actors, "PRELOAD_CHUNK", 2)
    r = ActorResolver(KnowledgeBase())
    names = [f"Liwa Number {n}" for n in range(5)]
    stored = r.resolve_mention(session, mention(names[3], new_key(names[3]), kind="armed_group"))
    fresh = ActorResolver(KnowledgeBase())
    with session.no_autoflush:
        fresh.preload(session, [new_key(n) for n in names])
        assert fresh.resolve_mention(
            session, mention(names[3], new_key(names[3]), kind="armed_group")) is stored

