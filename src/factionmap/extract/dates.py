"""When an event happened: resolve date phrases against the article's date.

``resolve_date_phrase`` turns one phrase ("on Sunday", "last week", "in December and
March", "June 4", "4 June 2018", "2019") into an ``EventDate``; ``find_event_date``
picks the phrase for one event trigger from its sentence (or the paragraph before it)
and falls back to the publication date with precision "reported".
Relative phrases use our own rules; explicit dates go through python-dateutil.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dateutil import parser as dateparser
from spacy.tokens import Doc, Span, Token

from factionmap.records import EventDate

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# "June 4" is read in the reference year unless that lands this many days after it.
FUTURE_SLACK_DAYS = 3
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)
_MONTH = re.compile(rf"\b({_MONTH_RE})\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_AGO = re.compile(
    r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+ago\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?:(last|this|past|previous|next)\s+(week|month|year)|yesterday|today|tonight|"
    r"this\s+(?:morning|afternoon|evening))\b",
    re.I,
)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_on_or_before(month: int, reference: dt.date) -> int:
    """The year of the latest ``month`` that starts on or before ``reference``."""
    return reference.year if month <= reference.month else reference.year - 1


def _explicit_day(phrase: str) -> EventDate | None:
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.search(phrase)
        if match:
            try:
                day = dateparser.parse(
                    match.group(0), fuzzy=True, default=dt.datetime(2000, 1, 1)
                ).date()
            except (ValueError, OverflowError):
                continue
            return EventDate(day, "day", phrase)
    return None


def _relative(phrase: str, reference: dt.date) -> EventDate | None:
    low = phrase.lower()
    if re.search(r"\byesterday\b", low):
        return EventDate(reference - dt.timedelta(days=1), "day", phrase)
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", low):
        return EventDate(reference, "day", phrase)
    ago = _AGO.search(low)
    if ago:
        raw, unit = ago.group(1), ago.group(2)
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        if unit == "day":
            return EventDate(reference - dt.timedelta(days=n), "day", phrase)
        if unit == "week":
            return EventDate(reference - dt.timedelta(weeks=n), "day", phrase)
        if unit == "month":
            month0 = reference.month - 1 - n
            year, month = reference.year + month0 // 12, month0 % 12 + 1
            return EventDate(dt.date(year, month, 1), "month", phrase, _month_end(year, month))
        return EventDate(
            dt.date(reference.year - n, 1, 1), "year", phrase, dt.date(reference.year - n, 12, 31)
        )
    rel = _RELATIVE.search(low)
    if rel and rel.group(1):
        which, unit = rel.group(1), rel.group(2)
        back = 0 if which == "this" else (-1 if which == "next" else 1)
        if unit == "week":
            monday = reference - dt.timedelta(days=reference.weekday()) - dt.timedelta(weeks=back)
            return EventDate(monday, "day", phrase, monday + dt.timedelta(days=6))
        if unit == "month":
            month0 = reference.month - 1 - back
            year, month = reference.year + month0 // 12, month0 % 12 + 1
            return EventDate(dt.date(year, month, 1), "month", phrase, _month_end(year, month))
        year = reference.year - back
        return EventDate(dt.date(year, 1, 1), "year", phrase, dt.date(year, 12, 31))
    weekday = _WEEKDAY.search(low)
    if weekday and not _MONTH_DAY.search(low) and not _DAY_MONTH.search(low):
        back = (reference.weekday() - WEEKDAYS[weekday.group(1)]) % 7
        if re.search(r"\blast\s+" + weekday.group(1), low) and back == 0:
            back = 7
        return EventDate(reference - dt.timedelta(days=back), "day", phrase)
    return None


def _day_without_year(phrase: str, reference: dt.date) -> EventDate | None:
    match = _MONTH_DAY.search(phrase)
    if match:
        month, day = MONTHS[match.group(1).lower()], int(match.group(2))
    else:
        match = _DAY_MONTH.search(phrase)
        if not match:
            return None
        day, month = int(match.group(1)), MONTHS[match.group(2).lower()]
    try:
        when = dt.date(reference.year, month, day)
        if when > reference + dt.timedelta(days=FUTURE_SLACK_DAYS):
            when = dt.date(reference.year - 1, month, day)
    except ValueError:
        return None
    return EventDate(when, "day", phrase)


def _months(phrase: str, reference: dt.date | None) -> EventDate | None:
    match = _MONTH_YEAR.search(phrase)
    if match:
        month, year = MONTHS[match.group(1).lower()], int(match.group(2))
        return EventDate(dt.date(year, month, 1), "month", phrase, _month_end(year, month))
    months = [MONTHS[m.group(1).lower()] for m in _MONTH.finditer(phrase)]
    # "may" alone is far more often the verb than the month.
    months = [
        m
        for m, w in zip(months, _MONTH.findall(phrase), strict=True)
        if w.lower() != "may" or w == "May"
    ]
    if not months or reference is None:
        return None
    starts = sorted(dt.date(_month_on_or_before(m, reference), m, 1) for m in months)
    first, last = starts[0], starts[-1]
    return EventDate(first, "month", phrase, _month_end(last.year, last.month))


def resolve_date_phrase(phrase: str, reference: dt.date | None) -> EventDate | None:
    """The date a phrase denotes, relative to ``reference`` (usually the publication date)."""
    if not phrase or not phrase.strip():
        return None
    explicit = _explicit_day(phrase)
    if explicit:
        return explicit
    if reference is not None:
        for rule in (_relative, _day_without_year):
            found = rule(phrase, reference)
            if found:
                return found
    months = _months(phrase, reference)
    if months:
        return months
    year = _YEAR.search(phrase)
    if year:
        y = int(year.group(1))
        return EventDate(dt.date(y, 1, 1), "year", phrase, dt.date(y, 12, 31))
    return None


def _date_phrases(sent: Span) -> list[Span]:
    """DATE entities of a sentence, read off its tokens' entity tags (``Span.ents`` walks
    every entity of the document on each call)."""
    doc, out, start = sent.doc, [], None
    for tok in sent:
        inside = tok.ent_type_ == "DATE" and tok.ent_iob_ in ("B", "I")
        if start is not None and (not inside or tok.ent_iob_ == "B"):
            out.append(doc[start : tok.i])
            start = None
        if inside and start is None:
            start = tok.i
    if start is not None:
        out.append(doc[start : sent.end])
    return out


def _distance(ent: Span, trigger: Token | Span) -> int:
    start = trigger.i if isinstance(trigger, Token) else trigger.start
    return abs(ent.start - start)


def _from_sentence(
    sent: Span, trigger: Token | Span | None, reference: dt.date | None
) -> EventDate | None:
    ents = _date_phrases(sent)
    if trigger is not None:
        ents.sort(key=lambda e: _distance(e, trigger))
    for ent in ents:
        found = resolve_date_phrase(ent.text, reference)
        if found:
            return found
    return None


def _previous_sentence_same_paragraph(doc: Doc, sent: Span) -> Span | None:
    if sent.start == 0:
        return None
    # Walk back to the previous sentence start (``Token.sent`` rescans the whole doc).
    start = sent.start - 1
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    prev = doc[start : sent.start]
    between = doc[sent.start - 1].whitespace_  # ``doc.text`` would rebuild the whole text
    return None if "\n" in between else prev


def find_event_date(
    doc: Doc, sentence_span: Span, trigger: Token | Span | None, reference: dt.date | None
) -> EventDate:
    """The event's date from its sentence, else the sentence before it in the same
    paragraph (reports often date the first sentence only), else the publication date."""
    found = _from_sentence(sentence_span, trigger, reference)
    if found is None:
        prev = _previous_sentence_same_paragraph(doc, sentence_span)
        if prev is not None:
            found = _from_sentence(prev, None, reference)
    if found is not None:
        return found
    return EventDate(reference, "reported", None)
