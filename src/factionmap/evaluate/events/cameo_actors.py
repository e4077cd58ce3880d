"""Source/target span evaluation on BIO files (S source, T target, R reciprocal).

Rules: sources/targets of the strongest event. Learned: the role tagger
(``events_roles``) labels the noun phrases around each trigger through the product
path; scored k-fold held-out when trained on the file being scored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder, prf
from factionmap.evaluate.events.learning import (
    code_with,
    fingerprint,
    held_out,
    parse_all,
    role_rows,
    save_trained,
    scoring_mode,
)
from factionmap.extract.events.learned import (
    NO_MODELS,
    ROLE_MODEL_FILE,
    EventModels,
    RoleModel,
    train_role_model,
)
from factionmap.records import Event

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
        text = ""
        spans: dict[str, Spans] = {"S": set(), "T": set()}
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


def _score(rows: list[tuple[str, Spans, Spans]], events: list[Event | None]) -> dict[str, Any]:
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
    return {f"{role}_{mode}": prf(*t) for (role, mode), t in totals.items()}


def evaluate_cameo_actors(
    path: str | Path,
    coder: SentenceCoder,
    *,
    folds: int = 5,
    model: RoleModel | None = None,
    train_out: Path | None = None,
) -> dict[str, Any]:
    """``model`` given: applied as is (refused if trained on this file). Else ``folds`` >= 2:
    k-fold held-out training of the role tagger; ``folds`` 0/1: rules only."""
    rows = read_bio(path)
    parsed = parse_all(coder, [t for t, _, _ in rows])
    gold = [(s, t) for _, s, t in rows]
    digest = fingerprint(path)
    mode = scoring_mode(path, len(rows), folds, model, digest, model_name="role")
    if model is not None:
        events = code_with(coder, parsed, EventModels(roles=model))
    elif folds >= 2:

        def train(idx: Any) -> EventModels:
            return EventModels(roles=train_role_model(*role_rows(parsed, gold, idx)))

        events = held_out(coder, parsed, train, folds)
    else:
        events = code_with(coder, parsed, NO_MODELS)
    result: dict[str, Any] = {"file": str(path), "mode": mode, "sentences": len(rows)}
    result["with_trigger"] = sum(bool(p.codings) for p in parsed)
    result.update(_score(rows, events))
    if train_out is not None:
        final = train_role_model(*role_rows(parsed, gold, range(len(parsed))))
        result["trained"] = save_trained(final, digest, train_out, ROLE_MODEL_FILE)
    return result
