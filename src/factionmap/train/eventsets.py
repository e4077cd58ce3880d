"""Sentence-level event sets as labelled texts: the PLOVER gold records and ConfliBERT's
source/target tags.

PLOVER records mark their event inline (``textInfo.markup``): ``(EVT: ...)`` the words of the
event, ``(SRC: ...)`` its source, ``(TAR: ...)`` its target, ``(SRC/TAR: ...)`` an actor on
both sides (a compound actor, "X and Y agreed": a source in our guidelines), ``(LOC: ...)`` a
place (no argument). The labelled text is the markup without its marks. Each record is one
event:

- its trigger is the first marked word the event lexicon lists under the record's type, else
  the first marked verb or noun; the other marked words are the event's complements ("agreed
  to *cooperate*"), which our guidelines do not code as events of their own, so like every
  other word of the sentence they teach "no event";
- marked actor phrases are cut to our mention conventions with spaCy's entities: the entity
  that holds the phrase's head word ("Lebanon's new President Elias Hrawi" gives "Elias
  Hrawi"), else the head noun of an unnamed actor with its modifiers ("Russian negotiators"
  gives "negotiators"); the sentence's other entities are mentions that take no part
  (a place where the record marks one);
- types of older PLOVER drafts are mapped to today's (``OLD_TO_CURRENT``), and modes to ours
  where one is plainly meant (``MODE_RENAMES``), else left out.

The records mark no modality, so they train triggers, modes and roles but not the modality
decider (``train.models``), at a lower weight than our own annotations.

ConfliBERT's ``cameo_ner`` file tags source (S), target (T) and reciprocal (R) actors but no
trigger. Its texts carry the tagged spans as mentions and their roles in ``meta``
(``sources``, ``targets``: mention indices); without a trigger they cannot teach the
trigger-conditioned role decider, so no model is trained on them (``events_exhaustive`` is
false, which keeps them out of the event rows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from factionmap.evaluate.events.common import GoldFileError, read_lines
from factionmap.train.corpora import LabelledText, TEvent, TMention, normalise_span

PLOVER_WEIGHT = 0.5
# Draft PLOVER mode names -> ours, where the meaning is plain; other unknown modes are dropped.
MODE_RENAMES = {
    "strike-hun": "hunger", "strike-gen": "strike", "riot-spon": "riot", "demo-org": "demo",
    "demo-spon": "demo", "confiscate": "seize", "detain": "arrest", "assassinate": "targeted",
}
_OPEN = re.compile(r"\((SRC/TAR|TAR/SRC|SRC/LOC|TAR/LOC|EVT|SRC|TAR|LOC):\s*")
SOURCE_MARKS = frozenset({"SRC", "SRC/TAR", "TAR/SRC", "SRC/LOC"})
TARGET_MARKS = frozenset({"TAR", "TAR/LOC"})
_ACTOR_LABELS = frozenset({"Person", "Organisation", "Location", "Nationality"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})


class MarkupError(ValueError):
    """Inline markup that cannot be read (a mark never closed, an empty mark)."""


@dataclass(frozen=True, slots=True)
class Marked:
    tag: str  # EVT, SRC, TAR, SRC/TAR, LOC, ...
    start: int  # offsets into the text without marks
    end: int


def parse_markup(markup: str) -> tuple[str, list[Marked]]:
    """The text without its marks, and the marked spans (nested marks allowed)."""
    out: list[str] = []
    stack: list[tuple[str | None, int]] = []  # open marks; None: a parenthesis of the text
    marks: list[Marked] = []
    i = 0
    while i < len(markup):
        opened = _OPEN.match(markup, i)
        if opened is not None:
            stack.append((opened.group(1), len(out)))
            i = opened.end()
            continue
        ch = markup[i]
        i += 1
        if ch == "(":
            stack.append((None, len(out)))
        elif ch == ")" and stack:
            tag, start = stack.pop()
            if tag is not None:
                end = len(out)
                while start < end and out[start].isspace():
                    start += 1
                while end > start and out[end - 1].isspace():
                    end -= 1
                if start == end:
                    raise MarkupError(f"empty ({tag}: ) mark")
                marks.append(Marked(tag, start, end))
                continue
        out.append(ch)
    for tag, start in stack:
        if tag is not None:
            raise MarkupError(f"the ({tag}: mark opened at character {start} is never closed")
    return "".join(out), sorted(marks, key=lambda m: (m.start, -m.end))


@dataclass
class Converted:
    texts: list[LabelledText] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: record ID: reason"


def _markup(rec: dict[str, Any]) -> str | None:
    info = rec.get("textInfo")
    if isinstance(info, dict):
        info = info.get("markup")
    return info if isinstance(info, str) and info.strip() else None


def plover_texts(path: str | Path, weight: float = PLOVER_WEIGHT,
                 nlp: Language | None = None,
                 records: Sequence[dict[str, Any]] | None = None) -> Converted:
    """The PLOVER gold records of ``path`` (or ``records`` read from it) as labelled texts;
    a record whose markup cannot be read is skipped with its reason."""
    from factionmap.evaluate.events.plover import read_plover
    from factionmap.extract.pipeline import load_lookups
    from factionmap.train.parsing import parse_texts

    rows = list(records) if records is not None else read_plover(path)
    out = Converted()
    kept: list[tuple[dict[str, Any], str, list[Marked]]] = []
    for rec in rows:
        where = f"{path}: record {rec.get('id', '?')}"
        markup = _markup(rec)
        if markup is None:
            out.skipped.append(f"{where}: no textInfo.markup")
            continue
        try:
            text, marks = parse_markup(markup)
        except MarkupError as exc:
            out.skipped.append(f"{where}: textInfo.markup: {exc}")
            continue
        if not any(m.tag == "EVT" for m in marks):
            out.skipped.append(f"{where}: textInfo.markup: no (EVT: ...) mark")
            continue
        kept.append((rec, text, marks))
    docs = parse_texts(nlp or load_lookups(), [text for _, text, _ in kept], "plover")
    for (rec, text, marks), doc in zip(kept, docs, strict=True):
        try:
            out.texts.append(plover_text(rec, text, marks, doc, weight))
        except MarkupError as exc:
            out.skipped.append(f"{path}: record {rec.get('id', '?')}: textInfo.markup: {exc}")
    return out


def plover_text(rec: dict[str, Any], text: str, marks: Sequence[Marked], doc: Doc,
                weight: float = PLOVER_WEIGHT) -> LabelledText:
    """One record (its type in ``rec["event16"]``) with its parsed unmarked text."""
    etype = rec["event16"]
    mentions: list[TMention] = []
    index: dict[tuple[int, int], int] = {}

    def add(start: int, end: int, label: str, form: str) -> int:
        if (start, end) not in index:
            index[(start, end)] = len(mentions)
            mentions.append(TMention(start, end, label, text[start:end].lower(), form))
        return index[(start, end)]

    sources: list[int] = []
    targets: list[int] = []
    actor_marks = [m for m in marks if m.tag in SOURCE_MARKS | TARGET_MARKS]
    for m in actor_marks:
        found = actor_span(doc, m.start, m.end)
        if found is None:
            continue
        k = add(*found)
        side = sources if m.tag in SOURCE_MARKS else targets
        if k not in side:
            side.append(k)
    places = [m for m in marks if m.tag == "LOC"]
    for ent in doc.ents:
        label = _ontonotes(ent.label_)
        if label is None or any(ent.start_char < m.end and m.start < ent.end_char
                                for m in actor_marks):
            continue
        if any(ent.start_char < m.end and m.start < ent.end_char for m in places):
            label = "Location"  # the record marks it as the event's place
        s, e = normalise_span(text, ent.start_char, ent.end_char, label)
        if e > s:
            add(s, e, label, "name")
    trigger = _trigger(doc, [m for m in marks if m.tag == "EVT"], etype)
    mode = rec.get("mode")
    mode = MODE_RENAMES.get(mode, mode) if isinstance(mode, str) else None
    if mode not in _modes(etype):
        mode = None
    return LabelledText(
        id=f"plover:{rec.get('id')}", corpus="plover", group="plover", text=text,
        mentions=tuple(mentions),
        events=(TEvent((trigger.idx, trigger.idx + len(trigger.text)), etype, mode,
                       tuple(sources), tuple(targets)),),
        labels_covered=frozenset(), pairs_exhaustive=False, events_exhaustive=True,
        weight=weight, meta={"record": rec.get("id")},
    )


def _ontonotes(label: str) -> str | None:
    from factionmap.train.entities import ONTONOTES

    mapped = ONTONOTES.get(label)
    return mapped if mapped in _ACTOR_LABELS else None


def _modes(etype: str) -> tuple[str, ...]:
    from factionmap.evaluate.newsgold.schema import PLOVER_MODES

    return PLOVER_MODES.get(etype, ())


def actor_span(doc: Doc, start: int, end: int) -> tuple[int, int, str, str] | None:
    """(start, end, label, form) of the mention a marked actor phrase stands for."""
    toks = doc.char_span(start, end, alignment_mode="expand")
    if toks is None or not len(toks):
        return None
    root = toks.root
    for ent in doc.ents:
        label = _ontonotes(ent.label_)
        if label is not None and ent.start <= root.i < ent.end:
            s, e = max(ent.start_char, toks.start_char), min(ent.end_char, toks.end_char)
            s, e = normalise_span(doc.text, s, e, label)
            return (s, e, label, "name") if e > s else None
    if root.pos_ == "PRON":
        label = "Person" if root.lower_ in _PERSON_PRONOUNS else "Organisation"
        return root.idx, root.idx + len(root.text), label, "pronoun"
    if root.pos_ == "PROPN":
        s, e = normalise_span(doc.text, toks.start_char, toks.end_char, None)
        return (s, e, _name_label(doc.text[s:e]), "name") if e > s else None
    return _generic(root, toks)


def _name_label(name: str) -> str:
    from factionmap.extract.candidates import kind_of_name

    kind = kind_of_name(name)
    return {"person": "Person", "state": "Location"}.get(kind or "", "Organisation")


def _generic(root: Token, within: Span) -> tuple[int, int, str, str]:
    """An unnamed actor: its head noun with the lower-case modifiers just before it."""
    from factionmap.extract.candidates import PEOPLE_HEADS

    start = root.i
    for child in sorted(root.lefts, key=lambda c: -c.i):
        if child.i == start - 1 and child.i >= within.start \
                and child.dep_ in ("amod", "compound", "nmod") and child.text[:1].islower():
            start = child.i
    first = root.doc[start]
    label = "Person" if root.lower_ in PEOPLE_HEADS or root.lemma_.lower() in PEOPLE_HEADS \
        else "Organisation"
    return first.idx, root.idx + len(root.text), label, "generic"


@cache
def _lexicon() -> Any:
    from factionmap.extract.events import load_lexicon

    return load_lexicon()


def _trigger(doc: Doc, evt: Sequence[Marked], etype: str) -> Token:
    from factionmap.extract.deciders.events import TRIGGER_POS

    lexicon = _lexicon()
    pieces = [toks for m in evt
              if (toks := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
              and len(toks)]
    if not pieces:
        raise MarkupError("the (EVT: ...) mark covers no word")
    words = [t for toks in pieces for t in toks
             if t.pos_ in TRIGGER_POS and t.dep_ not in ("aux", "auxpass")]
    for t in words:
        if any(e.plover == etype for e in lexicon.candidates(t.lemma_.lower())):
            return t
    return words[0] if words else pieces[0].root


# -- ConfliBERT source/target tags ------------------------------------------------------------


def conflibert_texts(path: str | Path) -> list[LabelledText]:
    """ConfliBERT ``cameo_ner`` sentences with their tagged actors as mentions; roles are in
    ``meta["sources"]`` and ``meta["targets"]`` (a reciprocal actor is in both)."""
    from factionmap.evaluate.events.cameo_actors import read_bio

    out = []
    for k, (text, srcs, tgts) in enumerate(read_bio(path), start=1):
        spans = sorted(srcs | tgts)
        out.append(LabelledText(
            id=f"conflibert_ner:{k:05d}", corpus="conflibert_ner", group="conflibert_ner",
            text=text,
            mentions=tuple(TMention(s, e, None, f"#{i}") for i, (s, e) in enumerate(spans)),
            labels_covered=frozenset(), pairs_exhaustive=False, events_exhaustive=False,
            meta={"sources": tuple(i for i, sp in enumerate(spans) if sp in srcs),
                  "targets": tuple(i for i, sp in enumerate(spans) if sp in tgts)},
        ))
    return out


# -- sentence labels: NGEC story leads, ConfliBERT quad classes --------------------------------

SENTENCE_LABEL = "sentence_label"  # meta key of a text that labels a whole sentence
_AGENCY = re.compile(r"^\([^)]{1,60}\)\s*--\s*")


class SentenceSetError(GoldFileError):
    """A sentence-labelled file that cannot be read."""


def ngec_texts(path: str | Path) -> tuple[list[LabelledText], list[str]]:
    """The lead paragraph of each NGEC synthetic story, labelled with the story's PLOVER type
    (the document-level label is the lead's far more often than a later paragraph's; the
    headlines are templates, so they are left out). Returns the texts and the records that
    could not be used, each with its reason."""
    import json

    p = Path(path)
    texts: list[LabelledText] = []
    skipped: list[str] = []
    for lineno, line in enumerate(read_lines(p), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            etype = rec["events"][0]["type"]
            paragraphs = [q.strip() for q in str(rec["text"]).split("\n\n") if q.strip()]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise SentenceSetError(f"{p}:{lineno}: not an NGEC record ({exc})") from exc
        lead = _AGENCY.sub("", paragraphs[1]) if len(paragraphs) > 1 else ""
        if not etype or not lead:
            skipped.append(f"{rec.get('id', lineno)}: no event type or no lead paragraph")
            continue
        texts.append(LabelledText(
            id=f"ngec_lead:{rec.get('id', lineno)}", corpus="ngec", group="ngec", text=lead,
            labels_covered=frozenset(), pairs_exhaustive=False, events_exhaustive=False,
            meta={SENTENCE_LABEL: str(etype)}))
    return texts, skipped


def quad_texts(path: str | Path) -> list[LabelledText]:
    """ConfliBERT ``cameo_class`` sentences labelled with their CAMEO quad class (0-4)."""
    from factionmap.evaluate.events.cameo_class import read_cameo_class

    return [LabelledText(
        id=f"conflibert_class:{k:05d}", corpus="conflibert_class", group="conflibert_class",
        text=text, labels_covered=frozenset(), pairs_exhaustive=False, events_exhaustive=False,
        meta={SENTENCE_LABEL: str(label)})
        for k, (text, label) in enumerate(read_cameo_class(path), start=1)]
