"""Builders for hand-made ArticleExtraction records (no spaCy): shared by store/CLI tests."""

from __future__ import annotations

import datetime as dt
import hashlib

from factionmap import records as rec
from factionmap.kb import name_key


def doc_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Builder:
    """Find spans in a hand-written text by their words, so offsets are always exact."""

    def __init__(self, text: str, date: dt.date | None = dt.date(2020, 1, 5), **kw: object):
        self.article = rec.Article(id=doc_id(text), text=text, date=date, path="mem.txt", **kw)  # type: ignore[arg-type]
        self.text = text
        self.sentences = _split(text)
        self.mentions: list[rec.Mention] = []
        self.relations: list[rec.Relation] = []
        self.events: list[rec.Event] = []

    def span(
        self, words: str, actor: str | None = None, name: str | None = None, nth: int = 0
    ) -> rec.Span:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(words, start + 1)
        return rec.Span(start, start + len(words), words, actor, name)

    def sentence_of(self, span: rec.Span) -> rec.Span:
        for s in self.sentences:
            if s.start <= span.start < s.end:
                return rec.Span(s.start, s.end, s.text)
        raise AssertionError(span)

    def mention(
        self,
        words: str,
        actor: str | None,
        label: rec.EntityLabel = "Organisation",
        name: str | None = None,
        kind: rec.ActorKind | None = None,
        link_reason: str | None = None,
        nth: int = 0,
    ) -> rec.Span:
        sp = self.span(words, actor, name, nth)
        self.mentions.append(
            rec.Mention(
                sp.start, sp.end, words, label, actor, name or words, kind, link_reason=link_reason
            )
        )
        return sp

    def relation(
        self, type_: rec.RelationType, subj: rec.Span, obj: rec.Span, **kw: object
    ) -> None:
        self.relations.append(
            rec.Relation(type_, subj, obj, self.sentence_of(subj), **kw)  # type: ignore[arg-type]
        )

    def event(
        self,
        type_: rec.PloverType,
        trigger: str,
        sources: tuple[rec.Span, ...],
        targets: tuple[rec.Span, ...],
        cameo: str = "190",
        quad: int = 4,
        goldstein: float = -10.0,
        **kw: object,
    ) -> None:
        trig = self.span(trigger)
        self.events.append(
            rec.Event(
                type_, cameo, goldstein, quad, self.sentence_of(trig), trig, sources, targets, **kw
            )  # type: ignore[arg-type]
        )

    def build(self) -> rec.ArticleExtraction:
        return rec.ArticleExtraction(
            self.article, self.sentences, self.mentions, self.relations, self.events
        )


def _split(text: str) -> list[rec.Sentence]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(rec.Sentence(start, i + 1, text[start : i + 1]))
            start = i + 2
    if start < len(text):
        out.append(rec.Sentence(start, len(text), text[start:]))
    return out


def strike_report(
    text: str,
    date: dt.date,
    when: rec.EventDate | None,
    place: rec.Place | None = None,
    target: str = "Kataib Hezbollah",
) -> rec.ArticleExtraction:
    """An article reporting a US strike on ``target`` (found by text), in the caller's words."""
    b = Builder(text, date)
    us = b.mention("United States", "kb:usa", "Location", kind="state")
    kh = b.mention(target, f"new:organisation:{name_key(target)}", kind="armed_group")
    trigger = next(w for w in ("struck", "bombed", "hit") if w in text)
    b.event("ASSAULT", trigger, (us,), (kh,), cameo="195", date=when, location=place)
    return b.build()


def amiri_article() -> rec.ArticleExtraction:
    text = (
        "Hadi al-Amiri leads the Badr Organization. "
        "Amiri also heads the Fatah Alliance in parliament. "
        "The Hashd al-Sha'abi said the PMU would not withdraw."
    )
    b = Builder(text, dt.date(2018, 5, 1))
    amiri = b.mention("Hadi al-Amiri", "kb:hadi_al_amiri", "Person", kind="person")
    badr = b.mention("Badr Organization", "kb:badr_organization")
    amiri2 = b.mention(
        "Amiri",
        "kb:hadi_al_amiri",
        "Person",
        name="Hadi al-Amiri",
        kind="person",
        link_reason="name part of 'Hadi al-Amiri'",
        nth=1,
    )
    fatah = b.mention("Fatah Alliance", "kb:fatah_alliance")
    b.mention("Hashd al-Sha'abi", "kb:pmu")
    b.mention("PMU", "kb:pmu")
    b.relation("leads", amiri, badr, role="leader", confidence=0.9)
    b.relation("leads", amiri2, fatah, confidence=0.8, valid=rec.ValidTime(phrase="in parliament"))
    return b.build()


# ---- small corpora of our own sentences, for ingest tests that run spaCy ----------------

_PLACES = ("Basra", "Erbil", "Mosul", "Kirkuk", "Najaf", "Tikrit", "Samarra", "Fallujah")
_PEOPLE = ("Hadi al-Amiri", "Qais al-Khazali", "Abu Fadak al-Mohammedawi", "Falih al-Fayyadh")
_GROUPS = ("Badr Organization", "Kataib Hezbollah", "Asaib Ahl al-Haq", "Harakat al-Nujaba")


def news_article(k: int) -> str:
    """The k-th article of a made-up news stream: leaders, groups, strikes and meetings
    that recur across articles, so resolution and happening linking have work to do."""
    place, other = _PLACES[k % len(_PLACES)], _PLACES[(k + 3) % len(_PLACES)]
    person, group = _PEOPLE[k % len(_PEOPLE)], _GROUPS[k % len(_GROUPS)]
    rival = _GROUPS[(k + 1) % len(_GROUPS)]
    day = 1 + k % 27
    return (
        f"{place}, {day} March 2021. {person}, who leads the {group}, met the prime minister "
        f"on Tuesday. {person.split()[-1]} said the Popular Mobilization Units would stay in "
        f"{other}. The United States struck {rival} positions near {other} on {day} March "
        f"2021. The {group} condemned the strike and accused Washington of violating Iraqi "
        f"sovereignty. Article number {k} of the test stream."
    )


def write_corpus(folder, indices) -> None:  # type: ignore[no-untyped-def]
    """One text file per article index."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in indices:
        (folder / f"article{k:03d}.txt").write_text(news_article(k), encoding="utf-8")


def store_rows(store) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    """Every row of every table in primary-key order, ingest timestamps left out: two
    stores with equal rows hold the same documents, actors, facts and merge reasons."""
    from sqlalchemy import select

    from factionmap.store.models import Base

    out: dict[str, list[tuple[object, ...]]] = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if c.name not in ("ingested_at", "created_at")]
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(*columns).order_by(*order))]
    return out
