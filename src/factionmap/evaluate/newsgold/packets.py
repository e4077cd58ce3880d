"""Work packets for annotators: each article as numbered sentences, nothing pre-labelled.

Sentences come from spaCy's parser; they only number the text so annotators can name spans
by sentence, exact text and occurrence. Packets hold article text, so they are written
outside the repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from factionmap.config import DEFAULT_MODEL
from factionmap.evaluate.newsgold.corpus import NewsRow

# One character for one: offsets found in the display string are offsets in the text.
_DISPLAY = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u00a0": " "})
# Quote and dash variants an annotator may type either way; also one for one.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def display(text: str) -> str:
    return text.translate(_DISPLAY)


def fold(text: str) -> str:
    return text.translate(_FOLD)


def sentence_spans(
    texts: Iterable[str], model: str = DEFAULT_MODEL
) -> Iterator[list[tuple[int, int]]]:
    """Sentence (start, end) offsets per text, trimmed of surrounding white space."""
    import spacy

    nlp = spacy.load(model, exclude=["ner", "lemmatizer"])
    for doc in nlp.pipe(texts, batch_size=16):
        spans = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            raw = doc.text[start:end]
            start += len(raw) - len(raw.lstrip())
            end -= len(raw) - len(raw.rstrip())
            if end > start:
                spans.append((start, end))
        yield spans


def render(row: NewsRow, sentences: list[tuple[int, int]]) -> str:
    head = [
        f"ARTICLE {row.id}",
        f"OUTLET: {row.source} | DATE: {row.date or '?'} | TOPIC: {row.topic}",
        f"TITLE (context only, not annotated): {display(row.title)}",
        f"SENTENCES: {len(sentences)}",
        "",
    ]
    body = [f"[s{i}] {display(row.text[a:b])}" for i, (a, b) in enumerate(sentences)]
    return "\n".join(head + body) + "\n"


def write_packets(rows: list[NewsRow], out: Path, model: str = DEFAULT_MODEL) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for row, spans in zip(rows, sentence_spans((r.text for r in rows), model), strict=True):
        (out / f"{row.id}.txt").write_text(render(row, spans), encoding="utf-8")
    return len(rows)
