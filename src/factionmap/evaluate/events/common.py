"""Shared machinery of the event evaluations: gold-file errors, one sentence as a one-sentence
article through the extraction pipeline (in batches), the event that sums up a sentence, and
P/R/F1."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from factionmap.records import Article, Event

# Modalities of events that happened (as in the news-gold scoring): a denied act is no event.
DONE = frozenset({"asserted", "attributed", "hedged"})


class GoldFileError(ValueError):
    """A gold file that cannot be read; the message names the file, row and reason."""


def read_lines(path: str | Path) -> list[str]:
    """A text file's lines, or an error naming the file."""
    p = Path(path)
    try:
        return p.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{p}: cannot read: {exc}") from exc


def sentence_article(text: str) -> Article:
    return Article(id=hashlib.sha1(text.encode("utf-8")).hexdigest()[:16], text=text)


def sentence_events(nlp: Language, texts: Sequence[str],
                    progress: Callable[[int], None] | None = None) -> list[list[Event]]:
    """The events the pipeline finds in each text (parsed in batches)."""
    from factionmap.evaluate.extraction import run_pipeline

    return [x.events for x in run_pipeline(nlp, (sentence_article(t) for t in texts),
                                           batch_size=64, progress=progress)]


def strongest(events: Sequence[Event]) -> Event | None:
    """The event that sums up a sentence, if it happened (``extract.events.strongest_event``:
    done acts first, then the surest, then the most intense)."""
    from factionmap.extract.events import strongest_event

    best = strongest_event(list(events))
    return best if best is not None and best.modality in DONE else None


def same_text(text: str) -> str:
    """A key under which two copies of a sentence compare equal (case, spacing, punctuation)."""
    return re.sub(r"\W+", "", text.lower())


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
    }
