"""Source/target span evaluation on BIO files (S source, T target, R reciprocal)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder, prf

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
    words: list[tuple[str, str, int]] = []

    def flush() -> None:
        if not words:
            return
        text, spans = "", {"S": set(), "T": set()}  # type: dict[str, Spans]
        offsets = []
        for word, _, _ in words:
            offsets.append(len(text) + (1 if text else 0))
            text = f"{text} {word}" if text else word
        cur: tuple[str, int, int] | None = None
        for (word, tag, _), start in zip(words, offsets, strict=True):
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
        if not sep or not (tag == "O" or tag[:2] in ("B-", "I-") and tag[2:] in ("S", "T", "R")):
            raise GoldFileError(
                f"{p}:{lineno}: expected 'token TAG' with TAG O or B-/I- S/T/R, got {line!r}"
            )
        words.append((word, tag, lineno))
    flush()
    return out


def _close(cur: tuple[str, int, int], spans: dict[str, Spans]) -> None:
    kind, start, end = cur
    for role in ("S", "T") if kind == "R" else (kind,):
        spans[role].add((start, end))


def _matches(pred: Spans, gold: Spans, overlap: bool) -> int:
    if not overlap:
        return len(pred & gold)
    used: set[tuple[int, int]] = set()
    hits = 0
    for ps, pe in pred:
        for g in gold:
            if g not in used and ps < g[1] and g[0] < pe:
                used.add(g)
                hits += 1
                break
    return hits


def evaluate_cameo_actors(path: str | Path, coder: SentenceCoder) -> dict[str, Any]:
    rows = read_bio(path)
    events = coder.strongest([t for t, _, _ in rows])
    totals = {
        (role, mode): [0, 0, 0] for role in ("source", "target") for mode in ("exact", "overlap")
    }
    for (_, gold_s, gold_t), event in zip(rows, events, strict=True):
        pred_s: Spans = {(s.start, s.end) for s in event.sources} if event else set()
        pred_t: Spans = {(s.start, s.end) for s in event.targets} if event else set()
        for role, pred, gold in (("source", pred_s, gold_s), ("target", pred_t, gold_t)):
            for mode in ("exact", "overlap"):
                t = totals[(role, mode)]
                t[0] += _matches(pred, gold, mode == "overlap")
                t[1] += len(pred)
                t[2] += len(gold)
    result: dict[str, Any] = {"file": str(path), "sentences": len(rows)}
    for (role, mode), (tp, n_pred, n_gold) in totals.items():
        result[f"{role}_{mode}"] = prf(tp, n_pred, n_gold)
    return result
