"""Source and target spans on BIO files (``token TAG`` lines, S source, T target, R reciprocal;
a blank line ends a sentence): the sources and targets of the event that sums up each
sentence against the tagged spans, exact and overlapping.

Gold spans are normalised to our conventions first (no leading article, no trailing
possessive), as our mentions are; a reciprocal (R) span counts as a source and a target.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factionmap.evaluate.events.common import GoldFileError, prf, strongest
from factionmap.evaluate.events.folds import Progress, default_plover, no_progress, score_events
from factionmap.records import Event

if TYPE_CHECKING:
    from factionmap.train.models import Sources

Spans = set[tuple[int, int]]


def read_bio(path: str | Path) -> list[tuple[str, Spans, Spans]]:
    """Sentences as (text joined by spaces, gold source char spans, gold target char spans).
    Reciprocal (R) spans count as both source and target."""
    p = Path(path)
    try:
        lines = p.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{p}: cannot read: {exc}") from exc
    out: list[tuple[str, Spans, Spans]] = []
    words: list[tuple[str, str]] = []

    def flush() -> None:
        if not words:
            return
        text = ""
        spans: dict[str, Spans] = {"S": set(), "T": set()}
        offsets = []
        for word, _ in words:
            offsets.append(len(text) + (1 if text else 0))
            text = f"{text} {word}" if text else word
        cur: tuple[str, int, int] | None = None
        for (word, tag), start in zip(words, offsets, strict=True):
            kind = tag[2:] if len(tag) > 2 else ""
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != kind)):
                if cur:
                    _close(cur, spans)
                cur = (kind, start, start + len(word))
            elif tag.startswith("I-") and cur is not None:
                cur = (cur[0], cur[1], start + len(word))
            else:
                if cur:
                    _close(cur, spans)
                cur = None
        if cur:
            _close(cur, spans)
        out.append((text, spans["S"], spans["T"]))
        words.clear()

    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            flush()
            continue
        word, sep, tag = line.rpartition(" ")
        if not sep or not word.strip() or not (
                tag == "O" or tag[:2] in ("B-", "I-") and tag[2:] in ("S", "T", "R")):
            raise GoldFileError(
                f"{p}:{lineno}: expected 'token TAG' with TAG O or B-/I- S/T/R, got {line!r}"
            )
        words.append((word, tag))
    flush()
    return out


def _close(cur: tuple[str, int, int], spans: dict[str, Spans]) -> None:
    kind, start, end = cur
    for role in ("S", "T") if kind == "R" else (kind,):
        spans[role].add((start, end))


def normalised(text: str, spans: Spans) -> Spans:
    from factionmap.train.corpora import normalise_span

    out = set()
    for start, end in spans:
        s, e = normalise_span(text, start, end, None)
        out.add((s, e) if e > s else (start, end))
    return out


def matches(pred: Spans, gold: Spans, overlap: bool) -> int:
    """Hits, one to one; with ``overlap`` a prediction hits a gold span it overlaps."""
    if not overlap:
        return len(pred & gold)
    used: set[tuple[int, int]] = set()
    hits = 0
    for ps, pe in sorted(pred):
        for g in sorted(gold):
            if g not in used and ps < g[1] and g[0] < pe:
                used.add(g)
                hits += 1
                break
    return hits


def score(rows: Sequence[tuple[str, Spans, Spans]],
          events: Sequence[Event | None]) -> dict[str, Any]:
    totals = {
        (role, mode): [0, 0, 0] for role in ("source", "target") for mode in ("exact", "overlap")
    }
    for (text, gold_s, gold_t), event in zip(rows, events, strict=True):
        pred_s: Spans = {(s.start, s.end) for s in event.sources} if event else set()
        pred_t: Spans = {(s.start, s.end) for s in event.targets} if event else set()
        for role, pred, gold in (("source", pred_s, normalised(text, gold_s)),
                                 ("target", pred_t, normalised(text, gold_t))):
            for mode in ("exact", "overlap"):
                t = totals[(role, mode)]
                t[0] += matches(pred, gold, mode == "overlap")
                t[1] += len(pred)
                t[2] += len(gold)
    return {f"{role}_{mode}": prf(*t) for (role, mode), t in totals.items()}


def evaluate_cameo_actors(path: str | Path, *, folds: int = 5, models: Path | None = None,
                          encoder: str | None = None, plover: Path | None = None,
                          training: Sources | None = None,
                          progress: Progress = no_progress) -> dict[str, Any]:
    """``folds`` >= 2: event models trained with the PLOVER records (``plover``, default the
    shared file when present) minus any of the scored sentences; 0: fixed models."""
    rows = read_bio(path)
    if plover is None and default_plover().is_file():
        plover = default_plover()
    scored = score_events([t for t, _, _ in rows], path, folds=folds, models=models,
                          encoder=encoder, plover=plover, training=training,
                          progress=progress)
    result: dict[str, Any] = {"file": str(path), **scored.how, "sentences": len(rows)}
    events = [strongest(evs) for evs in scored.events]
    result["sentences_with_event"] = sum(e is not None for e in events)
    result.update(score(rows, events))
    return result
