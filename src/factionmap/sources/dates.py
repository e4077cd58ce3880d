"""Guess when an article was published from the dates it mentions (used only without metadata).

The rule, in short: an article cannot predate the latest year it names, nor any date it
names. Month-day mentions without a year ("on June 8") are placed in that latest named year;
when the same sentence gives a weekday ("Friday, June 8") they go in the latest year, from
that named year up to ``today``, in which the day falls on that weekday (a named year is often
background, "since 1979", while the weekday pins the news itself). Nothing after ``today``.
The guess is the latest date so placed or named explicitly (day or month precise). A bare year alone
("in 2019") only bounds the guess; with nothing else to go on the answer is None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
}
# Month names must be capitalised so the modal verb "may" is not read as a month.
_MONTH = r"(?P<month>(?:" + "|".join(sorted((m.title() for m in _MONTHS), key=len, reverse=True))
_MONTH += r")\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_ISO_DATE = re.compile(r"\b" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")
# "June 4, 2018" / "June 4" and "4 June 2018" / "4 June"; the year is optional.
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r"\b)?")
_DAY_MONTH = re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r"\b)?")
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b")
_BARE_YEAR = re.compile(
    r"\b(?:(?:in|since|of|from|until|till|by|during|before|after|early|late|year)\s+|mid-)"
    + _YEAR
    + r"\b(?![-,.]?\d)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])|\n\s*")

# How far back to look for a year when the text names no year at all (weekday rule only).
_YEARS_WITHOUT_ANCHOR = 30


@dataclass(frozen=True, slots=True)
class _MonthDay:
    month: int
    day: int
    position: int
    weekday: int | None = None


@dataclass(slots=True)
class _Found:
    explicit: list[dt.date]  # day- or month-precise dates with a year
    years: list[int]  # every year named, including bare years
    month_days: list[_MonthDay]


def infer_publication_date(text: str, today: dt.date) -> dt.date | None:
    """Best guess of the publication date from the text, or None when nothing supports one."""
    found = _collect(text, today)
    min_year = max(found.years, default=None)
    if found.month_days:
        year = _latest_fitting_year(found.month_days, min_year, today)
        if year is not None:
            placed = [_date(year, md.month, md.day) for md in found.month_days]
            return max(d for d in [*placed, *found.explicit] if d is not None and d <= today)
    return max(found.explicit, default=None)


def _collect(text: str, today: dt.date) -> _Found:
    found = _Found(explicit=[], years=[], month_days=[])
    for start, sentence in _sentences(text):
        days: list[_MonthDay] = []
        taken: list[tuple[int, int]] = []
        for match in _ISO_DATE.finditer(sentence):
            _add_explicit(found, today, int(match["year"]), int(match["mnum"]), int(match["day"]))
            taken.append(match.span())
        for pattern in (_MONTH_DAY, _DAY_MONTH):
            for match in pattern.finditer(sentence):
                if _overlaps(match.span(), taken):
                    continue
                taken.append(match.span())
                month, day = _MONTHS[match["month"].rstrip(".").lower()], int(match["day"])
                if match["year"]:
                    _add_explicit(found, today, int(match["year"]), month, day)
                elif _date(2000, month, day) is not None:  # a leap year accepts Feb 29
                    days.append(_MonthDay(month, day, start + match.start()))
        for match in _MONTH_YEAR.finditer(sentence):
            if not _overlaps(match.span(), taken):
                _add_explicit(found, today, int(match["year"]), _MONTHS[_month_key(match)], 1)
        for match in _BARE_YEAR.finditer(sentence):
            if int(match["year"]) <= today.year:
                found.years.append(int(match["year"]))
        found.month_days.extend(_attach_weekdays(days, sentence, start))
    return found


def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for brk in _SENTENCE_BREAK.finditer(text):
        out.append((pos, text[pos : brk.start()]))
        pos = brk.end()
    out.append((pos, text[pos:]))
    return out


def _attach_weekdays(days: list[_MonthDay], sentence: str, start: int) -> list[_MonthDay]:
    """Give each weekday named in the sentence to the nearest month-day in that sentence."""
    if not days:
        return days
    result = list(days)
    for match in _WEEKDAY.finditer(sentence):
        where = start + match.start()
        i = min(range(len(result)), key=lambda k: abs(result[k].position - where))
        md = result[i]
        result[i] = _MonthDay(md.month, md.day, md.position, _WEEKDAYS[match.group()])
    return result


def _latest_fitting_year(days: list[_MonthDay], min_year: int | None, today: dt.date) -> int | None:
    constrained = any(md.weekday is not None for md in days)
    if min_year is None and not constrained:
        return None  # "on June 8" with no year and no weekday supports no guess
    if not constrained:
        years = [min_year]  # without a weekday, a later year than the text names has no support
    else:
        lowest = min_year if min_year is not None else today.year - _YEARS_WITHOUT_ANCHOR
        years = list(range(today.year, lowest - 1, -1))
    return next((year for year in years if year is not None and _fits(year, days, today)), None)


def _fits(year: int, days: list[_MonthDay], today: dt.date) -> bool:
    placed = []
    for md in days:
        day = _date(year, md.month, md.day)
        if day is None:
            return False
        if md.weekday is not None and day.weekday() != md.weekday:
            return False
        placed.append(day)
    return min(placed) <= today


def _add_explicit(found: _Found, today: dt.date, year: int, month: int, day: int) -> None:
    date = _date(year, month, day)
    if date is not None and date <= today:
        found.explicit.append(date)
        found.years.append(year)


def _month_key(match: re.Match[str]) -> str:
    return match["month"].rstrip(".").lower()


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
