"""What every relation pattern needs: the sentence, its mentions by token, and ``add``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from factionmap.extract.linking import ActorLinker
from factionmap.extract.modality import modality_for
from factionmap.extract.temporal import valid_time
from factionmap.nlp.cache import doc_text
from factionmap.records import Mention, Relation, RelationType, Span, ValidTime

# What can be held, taken or used: places, and weapons, platforms and vehicles.
HELD_LABELS = frozenset({"Location", "Weapon", "MilitaryPlatform", "Vehicle"})

ACTOR_LABELS = frozenset({"Person", "Organisation", "Location", "Nationality"})
# Relations that are attitudes: held as much when only meant ("vowed to back X").
_STANCES = frozenset({"supports", "opposes"})


@dataclass
class SentenceContext:
    doc: Doc
    sent: SpacySpan
    by_token: dict[int, Mention]  # token index -> mention covering it
    linker: ActorLinker
    reference: dt.date | None
    text: str = ""  # the whole doc text (``Doc.text`` rebuilds it on every access)
    relations: list[Relation] = field(default_factory=list)
    # The sentence's tokens, built once: every pattern walks them, and iterating a Span
    # makes new Token objects each time.
    tokens: list[Token] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = doc_text(self.doc)
        if not self.tokens:
            self.tokens = list(self.sent)

    @cached_property
    def lemmas(self) -> frozenset[str]:
        """The sentence's lower-case lemmas and words: patterns whose trigger words are all
        absent skip the sentence without walking its tokens."""
        return frozenset(w for t in self.tokens for w in (t.lemma_.lower(), t.lower_))

    def lacks(self, words: frozenset[str]) -> bool:
        return self.lemmas.isdisjoint(words)

    def may_have_prefix(self, words: frozenset[str]) -> bool:
        """Whether an "X-led" / "X-held" compound with one of ``words`` can be here."""
        return not self.lacks(words) or any("-" in w for w in self.lemmas)

    @property
    def evidence(self) -> Span:
        start, end = self.sent.start_char, self.sent.end_char
        return Span(start, end, self.text[start:end])

    def mention(self, tok: Token | None) -> Mention | None:
        """The actor mention covering ``tok`` (None for weapons, dates, unlinked phrases)."""
        if tok is None:
            return None
        m = self.by_token.get(tok.i)
        if m is None or m.label not in ACTOR_LABELS:
            return None
        return m

    def held_things(self, tok: Token) -> list[Mention]:
        """Places and equipment at ``tok`` and its conjuncts: what can be held or used.

        A conjunct no mention covers may name its equipment in a compound ("two mortar
        systems", where the weapon is "mortar")."""
        out = []
        for t in _list_items(tok):
            m = self.by_token.get(t.i)
            if m is None:
                m = next((self.by_token[c.i] for c in t.lefts
                          if c.dep_ == "compound" and c.i in self.by_token), None)
            if m is not None and m.label in HELD_LABELS and m not in out:
                out.append(m)
        return out

    def with_conjuncts(self, tok: Token) -> list[Mention]:
        """The mention at ``tok`` and at its conjuncts ("Badr and Asaib Ahl al-Haq"), and the
        name a title is glossed with ("the Iraqi Foreign Minister, Ibrahim al-Jaafari"): the
        fact holds of the person under either."""
        out = []
        items = [tok, *tok.conjuncts]
        # "Jordan, the Coalition and Iraq": the parser may hang the rest of a list on its
        # first item as a coordinated apposition
        items += [t for c in tok.children if c.dep_ == "appos"
                  and any(x.dep_ == "conj" for x in c.children) for t in (c, *c.conjuncts)]
        for t in items:
            m = self.mention(t)
            if m is not None and m not in out:
                out.append(m)
            if m is None or m.label == "Person":
                out += [n for n in self._named_in_apposition(t) if n not in out]
        return out

    def _named_in_apposition(self, tok: Token) -> list[Mention]:
        out = []
        for c in tok.children:
            if c.dep_ == "appos" and c.i > tok.i:
                n = self.mention(c)
                if n is not None and n.label == "Person" and n is not self.by_token.get(tok.i):
                    out.append(n)
        return out

    def add(
        self,
        type_: RelationType,
        subject: Mention | Span,
        object_: Mention | Span,
        *,
        confidence: float,
        pattern: str,
        anchor: Token,
        role: str | None = None,
        time_anchors: list[Token] | None = None,
        definitional: bool = False,
        lost: bool = False,
        negation_read: bool = False,
    ) -> None:
        """Record a relation read at ``anchor``. ``lost``: the sentence tells of its end
        ("X retook the town from Y": Y held the town, and holds it no more).
        ``negation_read``: the anchor's own negation states the fact ("will not allow X")."""
        subj = subject.span() if isinstance(subject, Mention) else subject
        obj = object_.span() if isinstance(object_, Mention) else object_
        if (subj.start, subj.end) == (obj.start, obj.end):
            return
        if subj.actor_id is not None and subj.actor_id == obj.actor_id and type_ != "same_as":
            return  # "Amiri ... Amiri": a relation of an actor with itself says nothing
        modality, speaker = modality_for(self.doc, anchor, definitional=definitional,
                                         stance=type_ in _STANCES, negation_read=negation_read)
        valid = valid_time(time_anchors or [anchor], self.reference)
        self.relations.append(
            Relation(
                type=type_,
                subject=subj,
                object=obj,
                evidence=self.evidence,
                modality=modality,
                confidence=confidence,
                role=role,
                attributed_to=speaker,
                valid=_ended(valid, anchor) if lost else valid,
                pattern=pattern,
            )
        )

    def hyphen_prefix(self, tok: Token, words: frozenset[str]) -> tuple[Token, int, int] | None:
        """For "Iran-backed" or "U.S.-led" (one token or three), the token holding the
        prefix and its character span; None when ``tok`` is no such compound."""
        low = tok.lower_
        if low not in words and "-" not in low:
            return None  # the common case, decided without slicing
        if low in words and tok.i >= 2 and self.doc[tok.i - 1].text == "-":
            prefix = self.doc[tok.i - 2]
            return prefix, prefix.idx, prefix.idx + len(prefix.text)
        head, dash, word = low.rpartition("-")
        if dash and head and word in words:
            return tok, tok.idx, tok.idx + len(head)
        return None

    def prefix_actor(
        self, prefix: Token, start: int, end: int, other: Mention | None
    ) -> Mention | Span | None:
        """The actor a compound's prefix names: its own mention, or a state/nationality link
        when the prefix sits inside ``other`` ("the U.S.-led coalition" is one mention)."""
        found = self.mention(prefix)
        if found is not None and found is not other:
            return found
        name = self.text[start:end]
        link = self.linker.link(name, "Nationality")
        if link is None:
            return None
        return Span(start, end, name, link.actor_id, link.actor_name)

    def prefixed_mentions(
        self, words: frozenset[str], labels: frozenset[str]
    ) -> Iterator[tuple[Token, Mention, Mention | Span]]:
        """(compound token, the mention it modifies, the prefix's actor) for each "X-led" /
        "X-backed" compound whose modified mention has one of ``labels``."""
        if not self.may_have_prefix(words):
            return
        for tok in self.tokens:
            found = self.hyphen_prefix(tok, words)
            if found is None:
                continue
            modified = self.mention(tok.head) or self.mention(tok)
            if modified is None or modified.label not in labels:
                continue
            prefix = self.prefix_actor(*found, modified)
            if prefix is not None:
                yield tok, modified, prefix


def _ended(valid: ValidTime | None, anchor: Token) -> ValidTime:
    if valid is None:
        return ValidTime(phrase=anchor.text, is_former=True)
    return replace(valid, is_former=True, phrase=valid.phrase or anchor.text)


def _list_items(tok: Token) -> list[Token]:
    """``tok`` and the other items of its list. In long comma lists of counted things ("four
    vehicles, two mortar systems, a tunnel and a cache") the parser links some items as
    appositions instead of conjuncts; an item that is counted or has an article is one of them."""
    out = [tok]
    i = 0
    while i < len(out):
        for c in out[i].children:
            if c in out:
                continue
            if c.dep_ == "conj" or (c.dep_ == "appos" and c.pos_ == "NOUN" and _counted(c)):
                out.append(c)
        i += 1
    return out


def _counted(tok: Token) -> bool:
    first = tok.left_edge  # "a VBIED staging facility": the article hangs on a compound
    return (first.like_num or first.lower_ in ("a", "an")
            or any(c.dep_ == "nummod" for c in tok.lefts))
