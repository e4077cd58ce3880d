"""A small hand-written example store: a few invented reports about Iraqi factions.

Used by the tests, the browser tests and for trying the web app without a
corpus. The sentences are our own, written for this purpose; one document
deliberately carries HTML/JS payloads so escaping can be checked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from factionmap.kb import name_key
from factionmap.store.models import (
    Actor,
    Alias,
    Document,
    EventActor,
    EventFact,
    Mention,
    RelationFact,
    Sentence,
)
from factionmap.store.summaries import rebuild_summaries

XSS_NAME = '<img src=x onerror=alert(1)>Saraya Test'

ACTORS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    ("United States", "state", "USA", ("US", "Washington")),
    ("Kataib Hezbollah", "armed_group", "IRQ", ("KH", "Kata'ib Hizballah")),
    ("Asaib Ahl al-Haq", "armed_group", "IRQ", ("AAH",)),
    ("Harakat al-Nujaba", "armed_group", "IRQ", ("Nujaba",)),
    ("Badr Organization", "armed_group", "IRQ", ("Badr",)),
    ("Popular Mobilization Forces", "armed_group", "IRQ", ("PMF", "Hashd")),
    ("Hadi al-Amiri", "person", "IRQ", ("Amiri",)),
    ("Qais Khazali", "person", "IRQ", ("Khazali",)),
    ("Government of Iraq", "government_body", "IRQ", ("Baghdad",)),
    (XSS_NAME, "armed_group", "IRQ", ()),
]

# (doc id, date, title, [(sentence, [facts])]); a fact is
# ("rel", type, subject, object, valid_from) or ("ev", type, cameo, goldstein, quad, src, tgt)
Fact = tuple
DOCS: list[tuple[str, dt.date, str, list[tuple[str, list[Fact]]]]] = [
    ("doc-a", dt.date(2023, 11, 20), "Rocket fire on a coalition base", [
        ("Kataib Hezbollah fighters fired rockets at a base hosting United States troops.",
         [("ev", "ASSAULT", "190", -10.0, 4, "Kataib Hezbollah", "United States")]),
        ("Harakat al-Nujaba praised the strike and threatened the United States.",
         [("ev", "THREATEN", "138", -7.0, 3, "Harakat al-Nujaba", "United States")]),
        ("Asaib Ahl al-Haq is allied with Kataib Hezbollah in the resistance front.",
         [("rel", "allied_with", "Asaib Ahl al-Haq", "Kataib Hezbollah", None)]),
        ("Harakat al-Nujaba stands allied with Kataib Hezbollah.",
         [("rel", "allied_with", "Harakat al-Nujaba", "Kataib Hezbollah", None)]),
    ]),
    ("doc-b", dt.date(2023, 12, 5), "Badr keeps its distance", [
        ("Hadi al-Amiri has led the Badr Organization since 2003.",
         [("rel", "leads", "Hadi al-Amiri", "Badr Organization", dt.date(2003, 1, 1))]),
        ("The Badr Organization met United States diplomats to discuss security.",
         [("ev", "CONSULT", "040", 1.0, 1, "Badr Organization", "United States")]),
        ("The Badr Organization criticised Kataib Hezbollah for the attacks.",
         [("ev", "ACCUSE", "111", -2.0, 3, "Badr Organization", "Kataib Hezbollah")]),
        ("Qais Khazali leads Asaib Ahl al-Haq.",
         [("rel", "leads", "Qais Khazali", "Asaib Ahl al-Haq", None)]),
        ("Asaib Ahl al-Haq opposes the United States presence.",
         [("rel", "opposes", "Asaib Ahl al-Haq", "United States", None)]),
    ]),
    ("doc-c", dt.date(2024, 2, 10), "Strikes and talks", [
        ("The United States struck a Kataib Hezbollah headquarters near the border.",
         [("ev", "ASSAULT", "195", -10.0, 4, "United States", "Kataib Hezbollah")]),
        ("Kataib Hezbollah is a member of the Popular Mobilization Forces.",
         [("rel", "member_of", "Kataib Hezbollah", "Popular Mobilization Forces", None)]),
        ("The Government of Iraq held talks with the United States about the coalition.",
         [("ev", "CONSULT", "040", 1.0, 1, "Government of Iraq", "United States")]),
        ("The Badr Organization pledged support to the Government of Iraq.",
         [("rel", "supports", "Badr Organization", "Government of Iraq", None)]),
    ]),
    ("doc-d", dt.date(2024, 5, 2), 'Payload <script>alert("t")</script> test', [
        (f'A group naming itself {XSS_NAME} warned the United States: <script>alert("x")</script>.',
         [("ev", "THREATEN", "138", -7.0, 3, XSS_NAME, "United States")]),
        ('Its site linked to javascript:alert(2) and <a href="javascript:alert(3)">this</a>.',
         []),
    ]),
]


@dataclass(frozen=True, slots=True)
class SampleIds:
    actors: dict[str, int]
    documents: list[str]


def _document(session: Session, doc_id: str, day: dt.date, title: str,
              sentences: list[tuple[str, list[Fact]]], actors: dict[str, Actor],
              source: str = "sample") -> None:
    text = " ".join(s for s, _ in sentences)
    session.add(Document(id=doc_id, title=title, published=day, text=text, source=source,
                         url="javascript:alert(4)" if doc_id == "doc-d" else None))
    cursor = 0
    names = sorted(actors, key=len, reverse=True)
    for position, (sentence, facts) in enumerate(sentences):
        start = text.index(sentence, cursor)
        end = start + len(sentence)
        cursor = end
        row = Sentence(document_id=doc_id, position=position, start=start, end=end, text=sentence)
        session.add(row)
        session.flush()
        taken: list[tuple[int, int]] = []
        for name in names:
            for m in re.finditer(re.escape(name), sentence):
                s, e = start + m.start(), start + m.end()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                session.add(Mention(document_id=doc_id, sentence_id=row.id, start=s, end=e,
                                    text=name, label="Organisation", actor_id=actors[name].id))

        def span(name: str, _sentence: str = sentence, _start: int = start) -> tuple[int, int]:
            i = _sentence.index(name)
            return _start + i, _start + i + len(name)

        common = dict(document_id=doc_id, evidence_start=start, evidence_end=end,
                      sentence_text=sentence, reported_at=day, confidence=0.8)
        for fact in facts:
            if fact[0] == "rel":
                _, rtype, subj, obj, valid_from = fact
                (ss, se), (os_, oe) = span(subj), span(obj)
                session.add(RelationFact(
                    type=rtype, subject_actor_id=actors[subj].id, object_actor_id=actors[obj].id,
                    subject_start=ss, subject_end=se, subject_text=subj, object_start=os_,
                    object_end=oe, object_text=obj, valid_from=valid_from, **common))
            else:
                _, etype, cameo, goldstein, quad, src, tgt = fact
                ev = EventFact(type=etype, cameo=cameo, goldstein=goldstein, quad_class=quad,
                               source_actor_id=actors[src].id, target_actor_id=actors[tgt].id,
                               trigger_start=start, trigger_end=start + 1,
                               trigger_text=sentence[:1], date=day, country="IRQ", **common)
                session.add(ev)
                session.flush()
                for side, name in (("source", src), ("target", tgt)):
                    s, e = span(name)
                    session.add(EventActor(event_id=ev.id, side=side, actor_id=actors[name].id,
                                           start=s, end=e, text=name))


def build_sample_store(session: Session) -> SampleIds:
    """Fill an empty store with the sample actors, documents and facts (caller commits)."""
    actors: dict[str, Actor] = {}
    for name, kind, country, aliases in ACTORS:
        actor = Actor(name=name, kind=kind, country=country,
                      discovery_key=f"sample:{name_key(name) or name}")
        by_key = {name_key(n): n for n in reversed((name, *aliases))}  # first spelling wins
        actor.aliases = [Alias(name=n, key=k, origin="kb", reason="sample data")
                         for k, n in by_key.items()]
        session.add(actor)
        actors[name] = actor
    session.flush()
    for doc_id, day, title, sentences in DOCS:
        _document(session, doc_id, day, title, sentences, actors)
    session.flush()
    rebuild_summaries(session)  # rows were written directly, not through the ingester
    return SampleIds(actors={n: a.id for n, a in actors.items()},
                     documents=[d[0] for d in DOCS])


# ---- a larger invented network, for the network view at realistic size ---------------

_ADJECTIVES = ("Northern", "Southern", "Eastern", "Western", "Free", "Popular", "Revolutionary",
               "National", "United", "Democratic", "Patriotic", "Independent", "Liberation",
               "Republican", "Highland", "Coastal", "Desert", "River", "Mountain", "Valley")
_NOUNS = ("Front", "Brigades", "Movement", "Army", "Council", "Guard", "Alliance", "Union",
          "Battalions", "Forces", "Party", "Committee")
_PEOPLE = ("Amal Haddad", "Bassam Karim", "Dalia Nasser", "Fadi Saleh", "Hana Mansour",
           "Jamil Aziz", "Karim Farah", "Layla Yousef", "Majid Rahal", "Nour Khalil",
           "Omar Qasim", "Rania Tarek", "Samir Jaber", "Tariq Hamdan", "Yara Sabbagh",
           "Zaid Harb")
_KINDS = ("armed_group", "armed_group", "armed_group", "party", "government_body", "state",
          "international_org")
_COUNTRIES = ("IRQ", "SYR", "LBN", "YEM", "IRN")
_FRIENDLY = (("CONSULT", "040", 1.0, 1), ("COOPERATE", "057", 8.0, 2), ("AID", "070", 7.0, 2))
_HOSTILE = (("ASSAULT", "190", -10.0, 4), ("THREATEN", "138", -7.0, 3),
            ("ACCUSE", "111", -2.0, 3))


@dataclass(frozen=True, slots=True)
class NetworkSample:
    actors: dict[str, int]
    camps: dict[str, int]  # actor name -> the camp it was written into
    media: list[str]  # media outlets: in the store, never nodes of the network
    future_event_id: int  # an event dated after the article that reports it
    outlier_event_id: int  # an event misdated to 1850


_NETWORK_OUTLETS = ("Levant Wire", "Gulf Daily", "Tigris Post")


def build_network_sample(session: Session, n_actors: int = 150, seed: int = 7) -> NetworkSample:
    """An invented conflict of ``n_actors`` actors in six camps over two years: friendly
    events and alliances inside a camp, attacks and threats between rival camps, leaders
    of the bigger groups, two media outlets that report a lot, one event dated after its
    article and one misdated to 1850 (caller commits). Deterministic for a seed."""
    import random

    rng = random.Random(seed)
    names: list[str] = []
    for adjective in _ADJECTIVES:
        for noun in _NOUNS:
            names.append(f"{adjective} {noun}")
    rng.shuffle(names)
    n_people = min(len(_PEOPLE), max(0, n_actors // 10))
    spec: list[tuple[str, str, str | None]] = []
    for i, name in enumerate(names[: n_actors - n_people]):
        spec.append((name, _KINDS[i % len(_KINDS)], _COUNTRIES[i % len(_COUNTRIES)]))
    spec += [(p, "person", _COUNTRIES[i % len(_COUNTRIES)]) for i, p in
             enumerate(_PEOPLE[:n_people])]
    media = ["Levant Ledger", "Gulf Wire"]
    actors: dict[str, Actor] = {}
    for name, kind, country in [*spec, *[(m, "other", None) for m in media]]:
        actor = Actor(name=name, kind=kind, country=country,
                      sector="MED" if name in media else None,
                      discovery_key=f"netsample:{name_key(name) or name}")
        actor.aliases = [Alias(name=name, key=name_key(name) or name, origin="kb",
                               reason="sample data")]
        session.add(actor)
        actors[name] = actor
    session.flush()

    n_camps = 6
    camp = {name: i % n_camps for i, (name, _, _) in enumerate(spec)}
    rivals = {(0, 1), (2, 3), (4, 5), (0, 3), (1, 4)}
    # a few busy actors and many quiet ones, as in the news
    activity = {name: 1.0 / (1 + i) ** 0.7 for i, (name, _, _) in enumerate(spec)}
    groups = [n for n, k, _ in spec if k != "person"]
    start = dt.date(2022, 1, 1)
    docs: list[tuple[str, dt.date, str, list[tuple[str, list[Fact]]]]] = []
    for d in range(260):
        day = start + dt.timedelta(days=rng.randrange(0, 730))
        sentences: list[tuple[str, list[Fact]]] = []
        for _ in range(4):
            a = rng.choices(groups, weights=[activity[g] for g in groups])[0]
            b = rng.choices(groups, weights=[activity[g] for g in groups])[0]
            if a == b:
                continue
            pair = tuple(sorted((camp[a], camp[b])))
            if camp[a] == camp[b]:
                etype, cameo, gold, quad = rng.choice(_FRIENDLY)
                verb = {"CONSULT": "met", "COOPERATE": "worked with", "AID": "sent aid to"}[etype]
            elif pair in rivals:
                etype, cameo, gold, quad = rng.choice(_HOSTILE)
                verb = {"ASSAULT": "attacked", "THREATEN": "threatened",
                        "ACCUSE": "accused"}[etype]
            else:
                continue
            sentences.append((f"The {a} {verb} the {b}.",
                              [("ev", etype, cameo, gold, quad, a, b)]))
        if d % 3 == 0:
            a = rng.choice(groups)
            b = rng.choice([g for g in groups if camp[g] == camp[a] and g != a])
            sentences.append((f"The {a} is allied with the {b}.",
                              [("rel", "allied_with", a, b, None)]))
        if d % 7 == 0:
            a = rng.choice(groups)
            b = rng.choice([g for g in groups if (min(camp[a], camp[g]), max(camp[a], camp[g]))
                            in rivals])
            sentences.append((f"The {a} opposes the {b}.", [("rel", "opposes", a, b, None)]))
        if d % 5 == 0:
            m = media[d % 2]
            g = rng.choice(groups[:20])
            sentences.append((f"The {m} interviewed the {g}.",
                              [("ev", "CONSULT", "040", 1.0, 1, m, g)]))
        if sentences:
            docs.append((f"net-{d:03d}", day, f"Report {d}", sentences))
    for i, person in enumerate(_PEOPLE[:n_people]):
        group = groups[i]
        docs.append((f"net-lead-{i:02d}", start + dt.timedelta(days=30 * i), f"Profile {i}", [
            (f"{person} leads the {group}.", [("rel", "leads", person, group, None)]),
        ]))
    # reports from a few outlets, so ties are corroborated by one to three of them
    for i, (doc_id, day, title, sentences) in enumerate(docs):
        _document(session, doc_id, day, title, sentences, actors,
                  source=_NETWORK_OUTLETS[i % len(_NETWORK_OUTLETS)])
    session.flush()
    future = session.query(EventFact).filter(EventFact.document_id == docs[0][0]).first()
    outlier = session.query(EventFact).filter(EventFact.document_id == docs[1][0]).first()
    assert future is not None and outlier is not None
    future.date = (future.reported_at or start) + dt.timedelta(days=400)
    outlier.date = dt.date(1850, 1, 1)
    session.flush()
    rebuild_summaries(session)
    return NetworkSample(actors={n: a.id for n, a in actors.items()},
                         camps={n: c for n, c in camp.items()}, media=media,
                         future_event_id=future.id, outlier_event_id=outlier.id)
