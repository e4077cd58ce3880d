"""Turn an annotator's file into the stored gold record, or say exactly what is wrong.

Spans are found inside their sentence by exact text and occurrence, at word boundaries
("Iran" never matches inside "Iranian"); quotes and dashes may be typed straight or curly.
Every problem is reported with the article, the field and the reason, and a file with any
error is not stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from factionmap.evaluate.newsgold.packets import display, fold
from factionmap.evaluate.newsgold.schema import (
    PAIR_LABELS,
    PLOVER_MODES,
    AnnEvent,
    AnnotatorDoc,
    GoldDoc,
    GoldEntity,
    GoldEvent,
    GoldRelation,
    GoldSpan,
    digest,
    is_symmetric,
    text_digest,
)

ARGUMENT_FORMS = frozenset({"nominal", "pronoun"})


@dataclass
class BuildResult:
    doc: GoldDoc | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def find_span(sentence: str, base: int, wanted: str, occ: int) -> tuple[int, int] | str:
    """Offsets of the ``occ``-th word-bounded occurrence of ``wanted`` in ``sentence``."""
    hay, needle = fold(display(sentence)), fold(display(wanted))
    if needle != needle.strip():
        return f"{wanted!r} starts or ends with white space"
    found = 0
    at = hay.find(needle)
    while at >= 0:
        end = at + len(needle)
        left_ok = at == 0 or not (_is_word_char(hay[at - 1]) and _is_word_char(hay[at]))
        right_ok = end == len(hay) or not (_is_word_char(hay[end - 1]) and _is_word_char(hay[end]))
        if left_ok and right_ok:
            found += 1
            if found == occ:
                return base + at, base + end
        at = hay.find(needle, at + 1)
    if found == 0:
        return f"{wanted!r} is not in the sentence (as whole words)"
    return f"{wanted!r} occurs {found} time(s) in the sentence, not {occ}"


def read_annotator_file(path: Path) -> AnnotatorDoc | str:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"{path}: not readable JSON ({exc})"
    try:
        return AnnotatorDoc.model_validate(raw)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:10]:
            loc = ".".join(str(x) for x in err["loc"])
            parts.append(f"{loc}: {err['msg']}")
        return f"{path}: " + "; ".join(parts)


def build(ann: AnnotatorDoc, text: str, sentences: list[tuple[int, int]], *, split: str,
          outlet: str) -> BuildResult:
    res = BuildResult(doc=None)
    err, warn = res.errors.append, res.warnings.append
    n = len(sentences)

    def locate(where: str, s: int, wanted: str, occ: int) -> tuple[int, int] | None:
        if s >= n:
            err(f"{where}: sentence s{s} does not exist (the article has {n})")
            return None
        a, b = sentences[s]
        found = find_span(text[a:b], a, wanted, occ)
        if isinstance(found, str):
            err(f"{where} (s{s}): {found}")
            return None
        return found

    # Entities, with article-local cluster ids in order of first mention.
    entities: dict[str, GoldEntity] = {}
    sent_of: dict[str, int] = {}
    refs: dict[str, str] = {}
    taken: list[tuple[int, int, str]] = []
    for i, e in enumerate(ann.entities):
        where = f"entities[{i}] {e.id}"
        if e.id in entities or e.id in sent_of:
            err(f"{where}: duplicate id")
            continue
        span = locate(where, e.s, e.text, e.occ)
        if span is None:
            continue
        for a, b, other in taken:
            if span[0] < b and a < span[1]:
                err(f"{where}: overlaps {other} (mentions are flat, never nested)")
        taken.append((span[0], span[1], e.id))
        if e.form in ARGUMENT_FORMS and not e.ref:
            err(f"{where}: a {e.form} needs ref, the name of what it refers to")
        key = e.ref or (e.text if e.label in PAIR_LABELS else f"#{e.id}")
        refs.setdefault(key, f"r{len(refs) + 1}")
        entities[e.id] = GoldEntity(
            id=e.id, start=span[0], end=span[1], digest=digest(text[span[0]:span[1]]),
            label=e.label, form=e.form, ref=refs[key],
        )
        sent_of[e.id] = e.s

    used: set[str] = set()

    def mention(where: str, eid: str | None, *, pair: bool = False, label: str | None = None,
                sentence: int | None = None) -> bool:
        if eid is None:
            return True
        if eid not in entities:
            if eid not in sent_of:
                err(f"{where}: no entity {eid}")
            return False
        used.add(eid)
        ent = entities[eid]
        if pair and ent.label not in PAIR_LABELS:
            err(f"{where}: {eid} is {ent.label}; relations join Person, Organisation, "
                "Location or Nationality mentions")
            return False
        if label and ent.label != label:
            err(f"{where}: {eid} is {ent.label}, expected {label}")
            return False
        if sentence is not None and sent_of[eid] != sentence:
            err(f"{where}: {eid} is in s{sent_of[eid]}, not s{sentence}")
            return False
        return True

    relations: list[GoldRelation] = []
    seen_rel: set[tuple[str, str, str]] = set()
    for i, r in enumerate(ann.relations):
        where = f"relations[{i}] {r.type}({r.subject}, {r.object})"
        ok = mention(where, r.subject, pair=True) & mention(where, r.object, pair=True)
        if not ok:
            continue
        if r.subject == r.object:
            err(f"{where}: subject and object are the same mention")
            continue
        if sent_of[r.subject] != sent_of[r.object]:
            err(f"{where}: the two mentions are in different sentences; relate mentions of "
                "one sentence (annotate a nominal or pronoun there if needed)")
            continue
        same_ref = entities[r.subject].ref == entities[r.object].ref
        if same_ref != (r.type == "same_as"):
            err(f"{where}: " + ("same_as joins two mentions with one ref" if r.type == "same_as"
                                 else "both mentions have the same ref"))
            continue
        # Symmetric types once per pair; others once per direction ("and vice versa").
        ends = sorted((r.subject, r.object)) if is_symmetric(r.type) else [r.subject, r.object]
        rel_key = (r.type, ends[0], ends[1])
        if rel_key in seen_rel:
            err(f"{where}: listed twice")
            continue
        seen_rel.add(rel_key)
        if r.speaker is not None:
            mention(where + " speaker", r.speaker)
        if r.modality == "attributed" and r.speaker is None:
            warn(f"{where}: attributed without a speaker mention")
        title = None
        if r.title is not None:
            span = locate(where + " title", sent_of[r.subject], r.title, 1)
            if span is not None:
                title = GoldSpan(start=span[0], end=span[1],
                                 digest=digest(text[span[0]:span[1]]))
        elif r.type == "role":
            err(f"{where}: role needs title")
        relations.append(GoldRelation(
            type=r.type, subject=r.subject, object=r.object, modality=r.modality,
            speaker=r.speaker, former=r.former, title=title,
        ))

    events: list[GoldEvent] = []
    for i, ev in enumerate(ann.events):
        where = f"events[{i}] {ev.type} {ev.trigger!r}"
        built = _event(where, ev, locate, mention, err, text)
        if built is not None:
            events.append(built)

    for eid, ent in entities.items():
        if ent.form in ARGUMENT_FORMS and eid not in used:
            err(f"entity {eid}: a {ent.form} is annotated only as an argument of a relation "
                "or event")
    if res.errors:
        return res
    res.doc = GoldDoc(
        article=ann.article, split=split, outlet=outlet,  # type: ignore[arg-type]
        annotator=ann.annotator, text_digest=text_digest(text), sentences=tuple(sentences),
        entities=tuple(sorted(entities.values(), key=lambda e: (e.start, e.end))),
        relations=tuple(relations), events=tuple(events),
    )
    return res


def _event(where, ev: AnnEvent, locate, mention, err, text: str) -> GoldEvent | None:  # type: ignore[no-untyped-def]
    span = locate(where, ev.s, ev.trigger, ev.occ)
    if span is None:
        return None
    if ev.mode is not None and ev.mode not in PLOVER_MODES.get(ev.type, ()):
        err(f"{where}: mode {ev.mode!r} is not a {ev.type} mode "
            f"({', '.join(PLOVER_MODES.get(ev.type, ())) or 'it has none'})")
        return None
    ok = True
    for eid in (*ev.sources, *ev.targets):
        ok &= mention(where, eid, pair=True, sentence=ev.s)
    if set(ev.sources) & set(ev.targets):
        err(f"{where}: a mention is both source and target")
        ok = False
    ok &= mention(where + " location", ev.location, label="Location", sentence=ev.s)
    ok &= mention(where + " date", ev.date, label="Temporal", sentence=ev.s)
    ok &= mention(where + " speaker", ev.speaker)
    if not ok:
        return None
    return GoldEvent(
        trigger=GoldSpan(start=span[0], end=span[1], digest=digest(text[span[0]:span[1]])),
        type=ev.type, mode=ev.mode, sources=tuple(ev.sources), targets=tuple(ev.targets),
        location=ev.location, date=ev.date, modality=ev.modality, speaker=ev.speaker,
    )
