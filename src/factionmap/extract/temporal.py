"""When a relation held: "former", "ex-", "then-", "until 2019", "since 2014", "in January 2020"."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Token

from factionmap.records import EventDate, ValidTime

_FORMER = frozenset({"former", "ex", "erstwhile", "onetime", "one-time", "previous"})
_BOUND_PREPS = {"since": "start", "from": "start", "until": "end", "till": "end", "in": "during"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for m in names
}


def resolve_phrase(phrase: str, reference: dt.date | None) -> EventDate | None:
    """The shared date resolver when present, else our small year/month parser."""
    try:
        from factionmap.extract.dates import resolve_date_phrase
    except ImportError:
        resolve_date_phrase = None  # type: ignore[assignment]
    if resolve_date_phrase is not None:
        return resolve_date_phrase(phrase, reference)  # type: ignore[arg-type]
    return _local_parse(phrase)


def _local_parse(phrase: str) -> EventDate | None:
    year = _YEAR.search(phrase)
    if not year:
        return None
    y = int(year.group(1))
    for word in re.findall(r"[A-Za-z]+", phrase):
        month = _MONTHS.get(word.lower())
        if month:
            nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
            return EventDate(dt.date(y, month, 1), "month", phrase, nxt - dt.timedelta(days=1))
    return EventDate(dt.date(y, 1, 1), "year", phrase, dt.date(y, 12, 31))


def _is_former(tok: Token) -> bool:
    return tok.lower_ in _FORMER or tok.lower_.startswith("ex-")


def valid_time(anchors: list[Token], reference: dt.date | None) -> ValidTime | None:
    """Valid time from modifiers of the anchor tokens (the title and/or the clause verb)."""
    former = False
    phrase_parts: list[str] = []
    start: dt.date | None = None
    end: dt.date | None = None
    for anchor in anchors:
        for child in anchor.children:
            low = child.lower_
            if child.dep_ in ("amod", "compound", "advmod") and _is_former(child):
                former = True
                phrase_parts.append(child.text)
            elif low == "ex" or low == "then":
                former = former or low == "ex"
                phrase_parts.append(child.text + "-")
            elif child.dep_ == "prep" and low in _BOUND_PREPS:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is None or obj.ent_type_ != "DATE":
                    continue
                text = " ".join(t.text for t in obj.subtree)
                date = resolve_phrase(text, reference)
                if date is None or date.date is None:
                    continue
                phrase_parts.append(f"{low} {text}")
                kind = _BOUND_PREPS[low]
                if kind in ("start", "during"):
                    start = date.date
                if kind in ("end", "during"):
                    end = date.end or date.date
        # "ex-commander": the tokenizer keeps "ex" as its own token before a hyphen.
        left = anchor.i - 2
        prefix = anchor.doc[left].lower_ if left >= 0 else ""
        if prefix in ("ex", "then") and anchor.doc[left + 1].text == "-":
            former = former or prefix == "ex"
            phrase_parts.append(anchor.doc[left].text + "-")
    if not (former or phrase_parts):
        return None
    phrase = " ".join(dict.fromkeys(phrase_parts))
    return ValidTime(start=start, end=end, phrase=phrase, is_former=former)
