"""Rules for deciding that two names are one actor, free of any database.

The store's ``ActorResolver`` (store/actors.py) applies them in this order of evidence,
strongest first: a KB id; an earlier discovery with the same key; an existing alias with
the same name key; a fuzzy name match (same kind, keys longer than 4 characters, word by
word: ``kb.fuzzy``); an acronym of an existing actor's name; a lone surname of the one
person stored with it ("Hagel" after "Chuck Hagel" in an earlier article; never a name
that is also someone's first name, "Kim"); a full name with or without a middle name;
else a new actor.
"""

from __future__ import annotations

import re

from factionmap.extract.lexicon import ROLE_WORDS, TITLE_MODIFIERS

FUZZY_MIN_SCORE = 90.0
FUZZY_MIN_KEY_CHARS = 5  # "never for keys of 4 characters or fewer": short names collide
# Aliases a document linked for itself (surname -> full name); never matched across documents.
DOCUMENT_LINK_ORIGIN = "link"
GLOBAL_ALIAS_ORIGINS = ("kb", "text", "analyst")
LOCAL_PREFIX = "local:"  # actor keys scoped to one document
LABEL_KIND = {"Person": "person"}
_ACRONYM = re.compile(r"^[A-Z][A-Z.&-]{1,7}$")
SURNAME = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*$")
MIN_SURNAME_CHARS = 3
_ACRONYM_SKIP = {"of", "the", "for", "and", "al", "el", "in", "de"}
# Link reasons extract gives for plain name matches; anything else is a within-document link.
PLAIN_LINK_REASONS = {"kb alias", "kb name", "same name", "exact name"}
# Words between a first and a last name that make no middle name.
NOT_MIDDLE_NAMES = ROLE_WORDS | TITLE_MODIFIERS | {
    "prince", "princess", "queen", "sheikh", "sir", "lord", "dame", "emir", "crown"}


def acronym(name: str) -> str:
    """Initials of the significant words: 'Popular Mobilization Units' -> 'PMU'."""
    words = re.findall(r"[A-Za-z][A-Za-z']*", name.replace("-", " "))
    return "".join(w[0].upper() for w in words if w.lower() not in _ACRONYM_SKIP)


def looks_like_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text.strip())) and sum(c.isalpha() for c in text) >= 2


def acronym_letters(text: str) -> str:
    """The capitals an acronym-looking name stands for ("U.S.A." -> "USA")."""
    return re.sub(r"[^A-Z]", "", text.upper())


def kinds_compatible(a: str | None, b: str | None) -> bool:
    """Unknown/other kinds go with anything; a person never merges with a non-person."""
    if not a or not b or a == "other" or b == "other":
        return True
    return (a == "person") == (b == "person")


def written_as_full_name(name: str) -> bool:
    """Two to four capitalised words ("Chuck Hagel", "Harry S. Truman")."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def lone_surname(name: str, kind: str | None) -> bool:
    """A one-word person name that may be the surname of someone stored in full."""
    return kind == "person" and len(name) >= MIN_SURNAME_CHARS and bool(SURNAME.match(name))


def middle_name_form(name: str, kind: str | None) -> str | None:
    """How a person's full name relates to forms with or without a middle name:
    "short" (two words: look for the one longer form), "long" (a middle *name*: the
    short form may be the same person), or None (no rule applies: initials, titles,
    "Abdullah Abdullah")."""
    words = name.split()
    if kind != "person" or not written_as_full_name(name):
        return None
    first, last = words[0], words[-1]
    if first == last or not (SURNAME.match(first) and SURNAME.match(last)):
        return None  # "Abdullah Abdullah" is a name of its own
    if any(w.lower() in NOT_MIDDLE_NAMES for w in words[1:-1]):
        return None  # "Abdullah King Abdullah": a title glued between two names
    if len(words) == 2:
        return "short"
    if all(len(w.strip(".")) > 1 for w in words[1:-1]):
        return "long"
    return None  # initials tell a father and a son of one name apart
