"""Within-document linking: later, shorter references take the actor of an earlier name.

Handles person and organisation name parts ("Amiri" after "Hadi al-Amiri"), acronyms and
aliases defined in text ("Popular Mobilization Units (PMU)", "the Hashd, or PMU"), definite
descriptions ("the group" -> nearest preceding fitting organisation) and he/she where only one
person can be meant. Every link keeps a ``link_reason`` an analyst can check.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from factionmap.extract.lexicon import DEFINITE_HEADS, DEFINITE_NAME_HINTS, ROLE_WORDS
from factionmap.extract.linking import clean_name
from factionmap.kb import KnowledgeBase, name_key
from factionmap.records import Article, Mention

# How far back (in sentences) a definite description or pronoun may look for its antecedent.
_DEFINITE_WINDOW = 3
_PRONOUNS = frozenset({"he", "she"})
_NAME_PARTICLES = frozenset({"abu", "bin", "ibn", "umm", "abd", "abdul", "al", "el"})


def _is_new(m: Mention) -> bool:
    return m.actor_id is None or m.actor_id.startswith("new:")


def _relink(m: Mention, ante: Mention, reason: str) -> Mention:
    return replace(
        m,
        label=ante.label,
        actor_id=ante.actor_id,
        actor_name=ante.actor_name,
        actor_kind=ante.actor_kind,
        country=ante.country,
        sector=ante.sector,
        link_reason=reason,
    )


def link_mentions(
    doc: Doc, mentions: list[Mention], article: Article, kb: KnowledgeBase | None = None
) -> list[Mention]:
    """Mentions with within-document links applied, plus new pronoun mentions, by offset."""
    out = _link_aliases(doc, list(mentions))
    out = _link_name_parts(out)
    out = _link_definites(doc, out)
    out = out + _pronoun_mentions(doc, out, article)
    out.sort(key=lambda m: m.start)
    return out


def _name_parts(m: Mention) -> set[str]:
    """Keys a later short reference may use: last word, last two words (no particles)."""
    words = [w for w in name_key(clean_name(m.text)).split() if w not in _NAME_PARTICLES]
    if len(words) < 2:
        return set()
    parts = {words[-1], " ".join(words[-2:])}
    if m.label == "Person":
        parts.add(words[0] + " " + words[-1])
    return {p for p in parts if p not in ROLE_WORDS and p != name_key(clean_name(m.text))}


def _link_name_parts(mentions: list[Mention]) -> list[Mention]:
    parts: dict[str, Mention] = {}
    out = []
    for m in mentions:
        key = name_key(clean_name(m.text))
        ante = parts.get(key)
        if (
            ante is not None
            and _is_new(m)
            and m.label in ("Person", "Organisation", "Location")
            and (ante.label == "Person" or m.label == "Organisation")
        ):
            m = _relink(m, ante, f"name part of '{ante.text}'")
        if m.label in ("Person", "Organisation") and m.actor_id:
            for part in _name_parts(m):
                parts.setdefault(part, m)
        out.append(m)
    return out


def _link_aliases(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"Long Name (ACR)" and "X, or Y": the two names are one actor; acronym reuses follow."""
    by_alias: dict[str, Mention] = {}
    out = list(mentions)
    for i, m in enumerate(out):
        key = name_key(clean_name(m.text))
        if key in by_alias and _is_new(m):
            out[i] = m = _relink(m, by_alias[key], f"alias of '{by_alias[key].text}'")
        if i == 0:
            continue
        prev = out[i - 1]
        if prev.label not in ("Organisation", "Person") or not prev.actor_id:
            continue
        if is_alias_pair(doc.text, prev, m):
            if _is_new(m) and not _is_new(prev):
                out[i] = m = _relink(m, prev, f"alias of '{prev.text}'")
            elif _is_new(prev) and not _is_new(m):
                out[i - 1] = _relink(prev, m, f"alias of '{m.text}'")
            elif _is_new(m) and _is_new(prev):
                out[i] = m = _relink(m, prev, f"alias of '{prev.text}'")
            by_alias.setdefault(name_key(clean_name(m.text)), out[i - 1])
    return out


def is_alias_pair(text: str, first: Mention, second: Mention) -> bool:
    """"Long Name (ACR)", "X, or Y," and "X, also known as Y": two names of one actor."""
    between = text[first.end : second.start].strip()
    after = text[second.end : second.end + 1]
    if between == "(":
        return after == ")"
    if between in (", or", ", also known as", ", known as", ", aka"):
        return after in (",", ")", ".", ";", "")
    return False


def _definite_head(m: Mention) -> str | None:
    words = m.text.lower().split()
    if m.actor_id is not None or m.label != "Organisation" or not words:
        return None
    if len(words) == 1 or (len(words) == 2 and words[0] in ("the", "this", "that")):
        # Plural bare nouns ("militias") are generic, not references to one named group.
        return words[-1] if words[-1] in DEFINITE_HEADS else None
    return None


def _fits(ante: Mention, head: str) -> bool:
    if ante.label != "Organisation" or not ante.actor_id or ante.actor_kind == "state":
        return False
    hints = DEFINITE_NAME_HINTS.get(head)
    if hints and any(h in ante.text.lower() for h in hints):
        return True
    return (ante.actor_kind or "") in DEFINITE_HEADS[head]


def _link_definites(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    sent_of = _sentence_index(doc)
    out = list(mentions)
    for i, m in enumerate(out):
        head = _definite_head(m)
        if head is None:
            continue
        here = sent_of(m.start)
        for ante in reversed(out[:i]):
            if here - sent_of(ante.start) > _DEFINITE_WINDOW:
                break
            if _fits(ante, head):
                out[i] = _relink(m, ante, f"coref: {m.text.lower()}")
                break
    return out


def _sentence_index(doc: Doc):  # type: ignore[no-untyped-def]
    starts = [s.start_char for s in doc.sents]
    import bisect

    return lambda char: bisect.bisect_right(starts, char) - 1


def _pronoun_mentions(doc: Doc, mentions: list[Mention], article: Article) -> list[Mention]:
    """he/she -> the one person named just before (same or previous sentence), else nothing."""
    persons = [m for m in mentions if m.label == "Person" and m.actor_id]
    if not persons:
        return []
    covered = {m.start for m in mentions}
    sents = list(doc.sents)
    out = []
    for si, sent in enumerate(sents):
        for tok in sent:
            if tok.lower_ not in _PRONOUNS or tok.idx in covered:
                continue
            window_start = sents[si - 1].start_char if si > 0 else sent.start_char
            before = [p for p in persons if window_start <= p.start < tok.idx]
            same = [p for p in before if p.start >= sent.start_char]
            pool = same or before
            actors = {p.actor_id for p in pool}
            if len(actors) != 1:
                continue  # two people could be meant: not confident
            ante = pool[-1]
            text = article.text[tok.idx : tok.idx + len(tok.text)]
            out.append(
                _relink(
                    Mention(tok.idx, tok.idx + len(tok.text), text, "Person"),
                    ante,
                    f"coref: {tok.lower_} -> '{ante.text}'",
                )
            )
    return out
