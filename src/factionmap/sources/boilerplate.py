"""Find lines of an article that are page furniture, not content, as character ranges.

Nothing is deleted: the ranges go into ``Article.boilerplate`` and the NLP stage blanks them
out, so every offset into ``Article.text`` stays exact. Five small rules:
1. stock phrases that fill a whole line ("Comments are closed.", "Share this article", ...);
2. a line repeated verbatim or nearly so (a photo caption printed twice, once with a credit):
   the first copy is content, later copies are boilerplate;
3. a photo gallery's or video player's controls inside a line: "Hide Caption 3 of 22", the
   gallery title printed twice before each caption ("Photos: Photos: Floods in X Floods in
   X –"), and the titles of other videos ("JUST WATCHED X Replay More Videos ... MUST WATCH
   X 02:47"); a picture's credit and label ("Image copyright Reuters Image caption"); the
   captions themselves are content;
4. a politician's hover card run into the sentence: after "Sen. Ted Cruz" the page prints the
   full legal name glued to headlines about him, up to "MORE" ("Rafael (Ted) Edward
   CruzWarren goes local ... MORE (R-Texas)"); the card goes, the name it follows stays;
5. a photo credit: "Evan Vucci/AP", "(Photo: Susan Walsh, AP)", "(AP Photo/Cliff Owen)", with
   the player's words before it ("Enlarge this image toggle caption"): else the photographer
   becomes an actor of the story and the agency a source it cites.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

_STOCK_LINE = re.compile(
    r"""^(?:
        comments?\ are\ (?:closed|disabled)
      | (?:leave|post|add)\ a\ (?:comment|reply)
      | share\ (?:this|the)\ (?:article|story|post|page)(?:\ on\ \w+)?
      | share\ on\ \w+
      | click\ here\b.*
      | (?:subscribe|sign\ up)\ (?:to|for)\ (?:our|the)\ .*
      | follow\ us\ on\ .*
      | (?:read|see)\ (?:more|also)\b.*
      | related\ (?:articles|stories|coverage|posts)
      | (?:©|\(c\)|copyright)\ .*
      | .*\ball\ rights\ reserved
      | advertisement(?:\ continue\ reading\ the\ main\ story)?
      | skip\ to\ (?:main\ )?content
    )[.!:]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# A long line is unlikely to be furniture even if it contains a stock phrase.
_MAX_STOCK_LINE = 120
# Credits and similar asides removed before comparing lines for repetition.
_PARENTHETICAL = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[\W_]+")
_MIN_REPEAT_WORDS = 4
_NEAR_DUPLICATE_SCORE = 92.0
_GALLERY_CONTROLS = re.compile(
    r"Hide Caption \d+ of \d+|Photos?: (?:Photos?: )?(?P<title>[^\n]{3,100}?) (?P=title) [–-]"
    r"|JUST WATCHED [^\n]{3,150}? Replay More Videos \.\.\."
    r"(?: MUST WATCH(?: [^\n]{3,150}? \d{1,2}:\d{2})?)?"
    r"|Image copyright [^\n]{1,60}?(?= Image caption|$)|Image caption",
    re.MULTILINE,
)
_CARD_END = re.compile(r" MORE(?![A-Za-z])")
# The legal surname glued to the first headline: "CruzWarren", "Harris2020".
_GLUED_SURNAME = re.compile(r"\b([A-Z][A-Za-z'’-]*[a-z])(?=[A-Z0-9\"'“‘])")
_CARD_REACH = 1200  # characters from a card's start to its "MORE"
_NAME_REACH = 80  # from the name shown in the sentence to the glued surname
# Photo agencies as credits print them (a credit names one of these, so a name before "/" in a
# sentence, "the AP/NORC poll", is left alone unless it is followed by one).
_PHOTO_AGENCIES = (
    "AFP", "AP", "Associated Press", "Reuters", "Getty Images", "EPA-EFE", "EPA", "Bloomberg",
    "Anadolu Agency", "Anadolu", "Xinhua", "Sipa USA", "Sipa", "NurPhoto", "ZUMA Wire",
    "ZUMA Press", "Pool", "SANA", "Polaris", "Redux", "Landov", "Shutterstock", "UPI", "TASS",
    "NPR", "The Washington Post", "The New York Times",
)
_AGENCY = "(?:" + "|".join(re.escape(a) for a in _PHOTO_AGENCIES) + ")"
# A photographer's name: one to three capitalised words or initials ("J. Scott Applewhite").
_NAME = r"(?:[A-Z]\.|[A-Z][\w'’-]+)(?: (?:[A-Z]\.(?:[A-Z]\.)?|[A-Z][\w'’-]+)){0,2}"
_AGENCIES = rf"{_AGENCY}(?: ?/ ?{_AGENCY})*(?: via {_AGENCY})?(?![/\w]| poll)"
_PHOTO_CREDIT = re.compile(
    rf"(?:(?:Enlarge this image )?toggle caption |Previous Next |Photo(?:graph|grapher)?: )?"
    rf"(?:\b{_NAME} ?/ ?{_AGENCIES}|(?<=toggle caption ){_AGENCIES})"
    rf"|\b{_AGENCY} Photo ?/ ?{_NAME}"
    rf"|\((?:{_AGENCY} )?[Pp]hoto(?:graph)?(?: by)?[:/] ?(?:{_NAME})?"
    rf"(?:(?:, ?| ?/ ?){_AGENCIES})?\)"
    rf"|\bPhoto: {_AGENCIES}"
)
# Beyond this many lines only exact repeats are looked for (fuzzy matching is quadratic).
_MAX_LINES_FOR_FUZZY = 400


def boilerplate_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted (start, end) ranges of non-content lines in ``text``."""
    lines = list(_lines(text))
    ranges = [(s, e) for s, e in lines if _is_stock_line(text[s:e])]
    ranges.extend(_repeated_lines(text, lines, fuzzy=len(lines) <= _MAX_LINES_FOR_FUZZY))
    if any(word in text for word in ("Photo", "Hide Caption", "JUST WATCHED", "Image c")):
        ranges.extend(m.span() for m in _GALLERY_CONTROLS.finditer(text))
    if " MORE" in text:
        ranges.extend(_hover_cards(text))
    if "/" in text or "hoto" in text:
        ranges.extend(m.span() for m in _PHOTO_CREDIT.finditer(text))
    return tuple(sorted(set(ranges)))


def _lines(text: str):
    """(start, end) of each non-blank line, trimmed of surrounding whitespace."""
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + (len(raw) - len(raw.lstrip()))
            yield start, start + len(stripped)


def _hover_cards(text: str):
    """(start, end) of each hover card: from after the name the sentence shows to "MORE"."""
    done = 0
    for end in _CARD_END.finditer(text):
        lo = max(done, end.start() - _CARD_REACH, text.rfind("\n", 0, end.start()) + 1)
        for glued in _GLUED_SURNAME.finditer(text, lo, end.start()):
            surname = glued.group(1)
            shown = text.rfind(f" {surname} ", max(lo, glued.start() - _NAME_REACH), glued.start())
            if shown != -1:
                yield shown + len(surname) + 2, end.end()
                done = end.end()
                break


def _is_stock_line(line: str) -> bool:
    return len(line) <= _MAX_STOCK_LINE and _STOCK_LINE.match(line) is not None


def _repeat_key(line: str) -> str:
    without_asides = _PARENTHETICAL.sub(" ", line)
    return _NON_WORD.sub(" ", without_asides).strip().lower()


def _repeated_lines(text: str, lines: list[tuple[int, int]], *, fuzzy: bool):
    seen: list[str] = []
    exact: set[str] = set()
    for start, end in lines:
        key = _repeat_key(text[start:end])
        if len(key.split()) < _MIN_REPEAT_WORDS:
            continue
        if key in exact or (
            fuzzy
            and process.extractOne(
                key, seen, scorer=fuzz.ratio, score_cutoff=_NEAR_DUPLICATE_SCORE
            )
        ):
            yield start, end
            continue
        exact.add(key)
        seen.append(key)
