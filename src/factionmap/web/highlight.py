"""Split an article into sentences and marked spans for the document page.

The template escapes every piece; we only decide where spans start and end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factionmap.store.models import EventFact, Mention, RelationFact, Sentence


@dataclass(slots=True)
class Piece:
    text: str
    actor_id: int | None = None
    mention: bool = False


@dataclass(slots=True)
class SentenceView:
    start: int
    end: int
    pieces: list[Piece]
    kinds: list[str] = field(default_factory=list)  # "event" / "relation" if it is evidence


def _pieces(text: str, start: int, end: int, mentions: list[Mention]) -> list[Piece]:
    out: list[Piece] = []
    cursor = start
    for m in mentions:
        if m.start < cursor or m.end > end or m.start < start:
            continue  # overlapping or outside this sentence
        if m.start > cursor:
            out.append(Piece(text[cursor:m.start]))
        out.append(Piece(text[m.start:m.end], m.actor_id, True))
        cursor = m.end
    if cursor < end:
        out.append(Piece(text[cursor:end]))
    return out


def sentence_views(
    text: str,
    sentences: list[Sentence],
    mentions: list[Mention],
    relations: list[RelationFact],
    events: list[EventFact],
) -> list[SentenceView]:
    spans = [(s.start, s.end) for s in sorted(sentences, key=lambda s: s.start)]
    # Evidence spans the sentence table does not cover still get their own anchor.
    facts: list[RelationFact | EventFact] = [*relations, *events]
    for f in facts:
        if not any(a <= f.evidence_start < b for a, b in spans):
            spans.append((f.evidence_start, f.evidence_end))
    spans.sort()
    views: list[SentenceView] = []
    cursor = 0
    ordered = sorted(mentions, key=lambda m: m.start)
    for a, b in spans:
        if a < cursor:
            continue
        if a > cursor:
            views.append(SentenceView(cursor, a, [Piece(text[cursor:a])]))
        kinds = sorted({"relation" for r in relations if a <= r.evidence_start < b}
                       | {"event" for e in events if a <= e.evidence_start < b})
        views.append(SentenceView(a, b, _pieces(text, a, b, ordered), kinds))
        cursor = b
    if cursor < len(text):
        views.append(SentenceView(cursor, len(text), [Piece(text[cursor:])]))
    return views
