"""Read the stored annotations and join them with the shared article text.

Every span is checked against its digest, and the article against its text digest: if the
shared text ever changes, loading fails loudly instead of scoring against shifted offsets.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from factionmap.evaluate.newsgold.corpus import DEFAULT_NEWS, NewsRow, load_rows
from factionmap.evaluate.newsgold.schema import (
    NONE,
    PAIR_LABELS,
    GoldDoc,
    GoldEntity,
    digest,
    is_symmetric,
    text_digest,
)

# The repository's annotation folder (beside src/).
GOLD_DIR = Path(__file__).resolve().parents[4] / "data" / "annotations" / "news"
SPLIT_FILES = {"train": "train.jsonl", "blind": "blind.jsonl"}


class GoldDataError(ValueError):
    """A stored annotation does not fit the text it points into."""


@dataclass(frozen=True, slots=True)
class GoldArticle:
    gold: GoldDoc
    row: NewsRow

    @property
    def text(self) -> str:
        return self.row.text

    def entity(self, eid: str) -> GoldEntity:
        return self._entities()[eid]

    def _entities(self) -> dict[str, GoldEntity]:
        return {e.id: e for e in self.gold.entities}

    def sentence_of(self, start: int) -> int:
        for i, (a, b) in enumerate(self.gold.sentences):
            if a <= start < b:
                return i
        return -1


@dataclass(frozen=True, slots=True)
class Pair:
    """One unordered pair of actor mentions of a sentence with its label(s).

    ``labels`` holds (type, subject id, object id, modality) for each relation listed between
    the two, or is empty for ``none``.
    """

    sentence: int
    a: str
    b: str
    labels: tuple[tuple[str, str, str, str], ...]

    @property
    def label(self) -> str:
        return self.labels[0][0] if self.labels else NONE


def read_gold_file(path: Path) -> list[GoldDoc]:
    docs = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldDataError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            docs.append(GoldDoc.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            raise GoldDataError(f"{path}:{number}: not a gold record ({exc})") from exc
    return docs


def verify(doc: GoldDoc, text: str) -> list[str]:
    problems = []
    if text_digest(text) != doc.text_digest:
        return [f"article {doc.article}: the shared text differs from the annotated one"]
    spans = [(f"entity {e.id}", e.start, e.end, e.digest) for e in doc.entities]
    for i, ev in enumerate(doc.events):
        t = ev.trigger
        spans.append((f"event {i} trigger", t.start, t.end, t.digest))
    for i, rel in enumerate(doc.relations):
        if rel.title is not None:
            t = rel.title
            spans.append((f"relation {i} title", t.start, t.end, t.digest))
    for name, start, end, want in spans:
        if not (0 <= start < end <= len(text)) or digest(text[start:end]) != want:
            problems.append(f"article {doc.article}: {name} at {start}-{end} does not slice "
                            "the annotated string")
    return problems


def load_split(split: str, *, gold_dir: Path = GOLD_DIR,
               news: Path = DEFAULT_NEWS) -> list[GoldArticle]:
    if split not in SPLIT_FILES:
        raise GoldDataError(f"unknown split {split!r} (train or blind)")
    return load_docs(read_gold_file(gold_dir / SPLIT_FILES[split]), news=news)


def load_docs(docs: Iterable[GoldDoc], *, news: Path = DEFAULT_NEWS) -> list[GoldArticle]:
    docs = list(docs)
    rows = load_rows({d.article for d in docs}, news)
    problems = [p for d in docs for p in verify(d, rows[d.article].text)]
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise GoldDataError("; ".join(problems[:5]) + more)
    return [GoldArticle(d, rows[d.article]) for d in docs]


def pairs(article: GoldArticle) -> list[Pair]:
    """Every pair of actor mentions in each sentence, labelled with what the annotator listed.

    Two mentions of one ref pair only when a ``same_as`` joins them. A pair left unlisted is
    ``none`` unless the same two refs are related through other mentions of that sentence
    (then it is no evidence either way and is left out).
    """
    doc = article.gold
    ents = {e.id: e for e in doc.entities}
    by_sentence: dict[int, list[GoldEntity]] = defaultdict(list)
    for e in doc.entities:
        if e.label in PAIR_LABELS:
            by_sentence[article.sentence_of(e.start)].append(e)
    listed: dict[tuple[str, str], list[tuple[str, str, str, str]]] = defaultdict(list)
    related_refs: set[tuple[int, frozenset[str]]] = set()
    for r in doc.relations:
        key = (r.subject, r.object) if r.subject < r.object else (r.object, r.subject)
        listed[key].append((r.type, r.subject, r.object, r.modality))
        s = article.sentence_of(ents[r.subject].start)
        related_refs.add((s, frozenset({ents[r.subject].ref, ents[r.object].ref})))
    out = []
    for s, mentions in sorted(by_sentence.items()):
        for i, x in enumerate(mentions):
            for y in mentions[i + 1:]:
                key = (x.id, y.id) if x.id < y.id else (y.id, x.id)
                labels = tuple(listed.get(key, ()))
                if x.ref == y.ref and not labels:
                    continue
                if not labels and (s, frozenset({x.ref, y.ref})) in related_refs:
                    continue
                out.append(Pair(s, x.id, y.id, labels))
    return out


def relation_key(rel_type: str, subject_ref: str, object_ref: str) -> tuple[str, str, str]:
    if is_symmetric(rel_type) and object_ref < subject_ref:
        subject_ref, object_ref = object_ref, subject_ref
    return rel_type, subject_ref, object_ref
