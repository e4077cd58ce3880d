"""Mentions as the deciders see them: offsets, label, form, actor kind, and cluster."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass(frozen=True, slots=True)
class Arg:
    start: int
    end: int
    label: str
    form: str = "name"  # name / generic / nominal / pronoun
    kind: str | None = None  # actor kind (person, state, armed_group, ...) when known
    ref: str = ""  # mentions of one thing share it

    def tokens(self, doc: Doc) -> Span | None:
        return doc.char_span(self.start, self.end, alignment_mode="expand")


def bucket(n: int) -> str:
    for edge in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= edge:
            return str(edge)
    return "far"
