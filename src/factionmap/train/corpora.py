"""Labelled texts from every source, in one shape: our annotated news, re3d, the public sets.

Each source says what it marks exhaustively (which entity labels; whether unlisted actor
pairs are ``none``), so a learner never reads a gap in one source's labelling as a negative.
Spans from other sources are normalised to our guidelines (no leading article, no trailing
possessive, no title before a person's name) so every source teaches one convention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from factionmap.nlp.components import TITLE_ABBREVIATIONS
from factionmap.records import ENTITY_LABELS, RELATION_TYPES, SYMMETRIC_RELATIONS

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
UNIFIED = SHARED / "train" / "unified"
ALL_LABELS = frozenset(ENTITY_LABELS)


@dataclass(frozen=True, slots=True)
class TMention:
    start: int
    end: int
    label: str | None  # one of the 10 labels, or None (typed by its source as something else)
    ref: str  # mentions of one thing share it
    form: str = "name"  # name / generic / nominal / pronoun


@dataclass(frozen=True, slots=True)
class TRelation:
    type: str
    subject: int  # index into mentions
    object: int
    modality: str = "asserted"


@dataclass(frozen=True, slots=True)
class TEvent:
    trigger: tuple[int, int]
    type: str
    mode: str | None = None
    sources: tuple[int, ...] = ()
    targets: tuple[int, ...] = ()
    modality: str = "asserted"


@dataclass(frozen=True, slots=True)
class LabelledText:
    id: str
    corpus: str
    group: str  # outlet or source folder: what cross-validation keeps apart
    text: str
    mentions: tuple[TMention, ...] = ()
    relations: tuple[TRelation, ...] = ()
    events: tuple[TEvent, ...] = ()
    labels_covered: frozenset[str] = ALL_LABELS  # entity labels marked exhaustively
    pairs_exhaustive: bool = True  # unlisted pairs of marked actor mentions are "none"
    events_exhaustive: bool = False
    sentences: tuple[tuple[int, int], ...] = ()  # known sentence offsets, if any
    weight: float = 1.0
    meta: dict[str, object] = field(default_factory=dict, compare=False)


# -- span conventions -------------------------------------------------------------------------

_LEADING = re.compile(r"^(?:the|The|THE|a|A|an|An)\s+")
_POSSESSIVE = re.compile(r"\s*['\u2019]s?$")
_TITLES = frozenset(t.lower() for t in TITLE_ABBREVIATIONS) | frozenset({
    "president", "vice", "prime", "minister", "secretary", "general", "gen", "king", "queen",
    "prince", "crown", "sheikh", "ayatollah", "imam", "pope", "chancellor", "ambassador",
    "senator", "representative", "governor", "mayor", "judge", "justice", "colonel",
    "lieutenant", "major", "captain", "sergeant", "admiral", "commander", "chief", "foreign",
    "defense", "defence", "interior", "state", "deputy", "former", "mr", "mrs", "ms", "dr",
    "sir", "lord", "lady", "emir", "leader", "spokesman", "spokeswoman", "speaker", "house",
    "senate", "majority", "minority", "u.s.", "us", "attorney",
})


def normalise_span(text: str, start: int, end: int, label: str | None) -> tuple[int, int]:
    """Our span convention applied to someone else's span (offsets into ``text``)."""
    span = text[start:end]
    m = _LEADING.match(span)
    if m and m.end() < len(span):
        start += m.end()
        span = text[start:end]
    m = _POSSESSIVE.search(span)
    if m and m.start() > 0:
        end = start + m.start()
        span = text[start:end]
    if label == "Person":
        words = list(re.finditer(r"\S+", span))
        k = 0
        while k < len(words) - 1 and words[k].group().lower().rstrip(".") in {
                t.rstrip(".") for t in _TITLES}:
            k += 1
        if k:
            start += words[k].start()
    return start, end


def _normalised(lt: LabelledText) -> LabelledText:
    mentions = []
    for m in lt.mentions:
        if m.form != "name":
            mentions.append(m)
            continue
        s, e = normalise_span(lt.text, m.start, m.end, m.label)
        mentions.append(replace(m, start=s, end=e) if e > s else m)
    return replace(lt, mentions=tuple(mentions))


# -- our annotated news ------------------------------------------------------------------------


def news_gold(split: str = "train", **kwargs: object) -> list[LabelledText]:
    from factionmap.evaluate.newsgold.loader import load_split

    return from_gold(load_split(split, **kwargs))  # type: ignore[arg-type]


def from_gold(articles: Iterable[object]) -> list[LabelledText]:
    """Our annotated articles (``GoldArticle``) as labelled texts."""
    out = []
    for a in articles:
        g = a.gold  # type: ignore[attr-defined]
        index = {e.id: i for i, e in enumerate(g.entities)}
        out.append(LabelledText(
            id=f"news:{g.article}", corpus="news", group=g.outlet,
            text=a.text,  # type: ignore[attr-defined]
            mentions=tuple(TMention(e.start, e.end, e.label, e.ref, e.form) for e in g.entities),
            relations=tuple(TRelation(r.type, index[r.subject], index[r.object], r.modality)
                            for r in g.relations),
            events=tuple(TEvent((ev.trigger.start, ev.trigger.end), ev.type, ev.mode,
                                tuple(index[x] for x in ev.sources),
                                tuple(index[x] for x in ev.targets), ev.modality)
                         for ev in g.events),
            events_exhaustive=True, sentences=g.sentences, weight=1.0,
            meta={"topic": a.row.topic},  # type: ignore[attr-defined]
        ))
    return out


# -- re3d ----------------------------------------------------------------------------------------


def re3d(directory: Path, exclude: Collection[str] = ()) -> list[LabelledText]:
    """Every document of the re3d source folders under ``directory``, but those named in
    ``exclude`` (leave-one-source-out)."""
    from factionmap.evaluate.re3d_data import read_corpus

    sources = read_corpus(directory)
    unknown = set(exclude) - {s.name for s in sources}
    if unknown:
        raise ValueError(f"{directory}: no re3d source folder named {', '.join(sorted(unknown))}")
    out = []
    for source in sources:
        if source.name in exclude:
            continue
        ents: dict[str, list] = {}
        for e in source.entities:
            ents.setdefault(e.doc_id, []).append(e)
        rels: dict[str, list] = {}
        for r in source.relations:
            rels.setdefault(r.doc_id, []).append(r)
        for doc in source.documents:
            spans = sorted({(e.start, e.end, e.label) for e in ents.get(doc.id, [])})
            mentions = [TMention(s, e, label, f"#{k}") for k, (s, e, label) in enumerate(spans)]
            where = {(m.start, m.end): k for k, m in enumerate(mentions)}
            relations = []
            for r in rels.get(doc.id, []):
                a = where.get((r.subject_start, r.subject_end))
                b = where.get((r.object_start, r.object_end))
                if a is not None and b is not None and a != b:
                    relations.append(TRelation(r.type, a, b))
            out.append(_normalised(LabelledText(
                id=f"re3d:{doc.id}", corpus="re3d", group=source.name, text=doc.text,
                mentions=tuple(mentions), relations=tuple(relations), weight=1.0,
            )))
    return out


# -- the public sets in shared/data/train/unified --------------------------------------------------

# Which of our labels each set marks (the rest may hide unmarked inside its text).
UNIFIED_LABELS: dict[str, frozenset[str]] = {
    "dwie": frozenset({"Person", "Organisation", "Location", "Nationality", "Temporal", "Money"}),
    "crossre": frozenset({"Person", "Organisation", "Location"}),
    "conll04": frozenset({"Person", "Organisation", "Location"}),
    "crossner_conll2003": frozenset({"Person", "Organisation", "Location"}),
    "crossner_politics": frozenset({"Person", "Organisation", "Location"}),
    "redocred": frozenset({"Person", "Organisation", "Location", "Temporal", "Quantity"}),
    "wnut17": frozenset({"Person", "Organisation", "Location"}),
    "gum": frozenset({"Person", "Organisation", "Location", "Temporal", "Quantity"}),
    "knowledgenet": frozenset(),
    "fewrel_val_wiki": frozenset(),
}
# Sets whose relations are exhaustive over the marked entities of a sentence.
PAIR_EXHAUSTIVE = frozenset({"crossre", "conll04"})
# Relation types our schema reads differently from the mapped one, or not at all.
_SKIP_TYPES = frozenset({"role"})  # the public "role" objects are titles, ours organisations
_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us",
                       "them", "my", "your", "his", "its", "our", "their", "who", "whom"})


def unified(name: str, root: Path = UNIFIED, splits: Iterable[str] | None = None,
            weight: float = 0.5) -> Iterator[LabelledText]:
    path = root / f"{name}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: training set not found")
    wanted = set(splits) if splits is not None else None
    covered = UNIFIED_LABELS.get(name, frozenset())
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            raw = json.loads(line)
            if wanted is not None and raw.get("split") not in wanted:
                continue
            text = raw["text"]
            mentions: list[TMention] = []
            keep: dict[int, int] = {}
            for k, e in enumerate(raw.get("entities", [])):
                if name == "gum" and text[e["start"]:e["end"]].lower() in _PRONOUNS:
                    continue
                label = e.get("label")
                ref = f"c{e['cluster']}" if "cluster" in e else f"#{k}"
                keep[k] = len(mentions)
                mentions.append(TMention(e["start"], e["end"], label, ref))
            relations = []
            for r in raw.get("relations", []):
                t = r.get("type")
                a, b = keep.get(r["subject"]), keep.get(r["object"])
                if t in RELATION_TYPES and t not in _SKIP_TYPES and a is not None and b is not None:
                    if t in SYMMETRIC_RELATIONS and b < a:
                        a, b = b, a
                    relations.append(TRelation(t, a, b))
            sentences = tuple(tuple(s) for s in raw.get("meta", {}).get("sentences", []))
            yield _normalised(LabelledText(
                id=f"{name}:{raw['id']}", corpus=name, group=name, text=text,
                mentions=tuple(mentions), relations=tuple(relations), labels_covered=covered,
                pairs_exhaustive=name in PAIR_EXHAUSTIVE, sentences=sentences,  # type: ignore[arg-type]
                weight=weight, meta={"split": raw.get("split")},
            ))
