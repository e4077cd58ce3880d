"""A linear-chain CRF (CRFsuite) that tags re3d-style entity spans (BIO over spaCy tokens).

re3d annotators mark descriptive spans ("the militia", "Iraqi Security Forces") that spaCy's
small NER misses; the tagger learns those boundaries from re3d and its spans are merged with
the rule-based mentions, which keep their KB links.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc

from factionmap.extract.arguments import EQUIPMENT_LABELS
from factionmap.extract.learned.clusters import WordClusters, shipped_word_clusters
from factionmap.extract.learned.features import doc_marks, rule_marks, sentence_features
from factionmap.extract.lexicon import SHIP_PREFIXES
from factionmap.extract.linking import label_for_kind
from factionmap.kb.agents import HEAD_SECTORS
from factionmap.nlp.cache import doc_text
from factionmap.records import ACTOR_LABELS, ENTITY_LABELS, Mention

ENTITY_MODEL_FILE = "re3d_entities.crfsuite"
# L1 keeps the model small (most feature weights go to zero); L2 smooths the rest.
CRF_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 300, "feature.possible_transitions": True}
# A tagged span is kept only if each of its tokens is more likely than not inside an entity of
# its label; where the tagger is less sure, the rule mentions under the span stand.
MIN_SPAN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    start: int  # character offsets into doc.text
    end: int
    label: str


def bio_tags(doc: Doc, spans: Iterable[TaggedSpan]) -> list[str]:
    """BIO labels per token; nested gold spans keep the longest (a BIO tagger cannot nest)."""
    tags = ["O"] * len(doc)
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if span.label not in ENTITY_LABELS:
            continue
        toks = doc.char_span(span.start, span.end, alignment_mode="expand")
        if toks is None or any(tags[i] != "O" for i in range(toks.start, toks.end)):
            continue
        tags[toks.start] = "B-" + span.label
        for i in range(toks.start + 1, toks.end):
            tags[i] = "I-" + span.label
    return tags


def spans_from_tags(doc: Doc, offset: int, tags: list[str]) -> list[TaggedSpan]:
    """Decode BIO tags of the tokens from ``offset``; a stray I- opens a new span."""
    spans: list[TaggedSpan] = []
    start: int | None = None
    label = ""
    end_tok = 0
    for k, tag in enumerate([*tags, "O"]):
        i = offset + k
        inside = tag.startswith("I-") and start is not None and tag[2:] == label
        if inside:
            end_tok = i
            continue
        if start is not None:
            spans.append(TaggedSpan(doc[start].idx, doc[end_tok].idx + len(doc[end_tok]), label))
            start = None
        if tag != "O":
            start, end_tok, label = i, i, tag[2:]
    return spans


def sure_spans(
    doc: Doc,
    offset: int,
    tags: list[str],
    marginal: Callable[[str, int], float],
    floor: float = MIN_SPAN_CONFIDENCE,
) -> list[TaggedSpan]:
    """The spans of ``spans_from_tags`` each of whose tokens is at least ``floor`` likely to
    lie inside an entity of the span's label, by the tagger's marginal probabilities
    (``marginal(tag, position in tags)``) of its B- and I- tags: where a span begins may be
    in doubt ("the" or not) while that it is there is not."""
    out = []
    for span in spans_from_tags(doc, offset, tags):
        toks = doc.char_span(span.start, span.end)
        inside = ("B-" + span.label, "I-" + span.label)
        if toks is not None and all(
            sum(marginal(tag, i - offset) for tag in inside) >= floor
            for i in range(toks.start, toks.end)
        ):
            out.append(span)
    return out


def within_brackets(text: str, span: TaggedSpan) -> TaggedSpan | None:
    """The part of a tagged span outside a bracket it opens or closes without the other:
    "Jonathan Karl (ABC" is "Jonathan Karl", "ABC) asked" is "asked"; None if nothing is left."""
    start, end = span.start, span.end
    piece = text[start:end]
    opened = piece.rfind("(")
    if opened != -1 and ")" not in piece[opened:]:
        end = start + opened
    piece = text[start:end]
    closed = piece.find(")")
    if closed != -1 and "(" not in piece[:closed]:
        start += closed + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    return span if (start, end) == (span.start, span.end) else TaggedSpan(start, end, span.label)


_EDGE_PUNCTUATION = ",;:"


def tidy_edges(text: str, span: TaggedSpan) -> TaggedSpan | None:
    """A tagged span without a bracket it leaves open (``within_brackets``) or a comma,
    semicolon or colon at an edge (", primarily Syrian forces"), and with the currency sign
    its amount follows ("$5 million"); None if nothing is left."""
    inner = within_brackets(text, span)
    if inner is None:
        return None
    start, end = inner.start, inner.end
    while start < end and (text[start] in _EDGE_PUNCTUATION or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE_PUNCTUATION or text[end - 1].isspace()):
        end -= 1
    if end <= start:
        return None
    if span.label == "Money":
        while start > 0 and unicodedata.category(text[start - 1]) == "Sc":
            start -= 1
    return span if (start, end) == (span.start, span.end) else TaggedSpan(start, end, span.label)


class EntityTagger:
    """Wraps a CRFsuite model file; ``tag(doc)`` returns typed character spans."""

    def __init__(self, model_path: Path, clusters: WordClusters | None = None) -> None:
        """``clusters``: the word clusters the model was trained with (default: shipped)."""
        self.path = model_path
        self.clusters = clusters or shipped_word_clusters()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        self._labels = frozenset(self._tagger.labels())

    def tag(self, doc: Doc, rule: Iterable[TaggedSpan] = ()) -> list[TaggedSpan]:
        """Typed spans the tagger is sure of (``sure_spans``); ``rule`` are the rule-based
        mentions, used as features."""
        kb, chunks = doc_marks(doc)
        rules = rule_marks(doc, ((s.start, s.end, s.label) for s in rule))
        spans: list[TaggedSpan] = []
        for sent in doc.sents:
            feats = sentence_features(doc, sent, kb, chunks, rules, self.clusters)
            tags = self._tagger.tag(feats)
            spans.extend(sure_spans(doc, sent.start, tags, self._marginal))
        text = doc_text(doc)
        return [t for s in spans if (t := tidy_edges(text, s)) is not None]

    def _marginal(self, tag: str, position: int) -> float:
        """The probability of ``tag`` at ``position`` of the sentence last tagged; 0 for a
        tag the model never saw in training ("I-Nationality")."""
        return self._tagger.marginal(tag, position) if tag in self._labels else 0.0


def train_entity_tagger(
    examples: Iterable[tuple[Doc, list[TaggedSpan], list[TaggedSpan]]],
    out_path: Path,
    clusters: WordClusters | None = None,
) -> EntityTagger:
    """Fit the CRF on (doc, gold spans, rule-mention spans) and write the model to ``out_path``.

    ``clusters`` default to the shipped word clusters; the tagger must be used with the same.
    """
    clusters = clusters or shipped_word_clusters()
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(CRF_PARAMS)
    n = 0
    for doc, spans, rule in examples:
        kb, chunks = doc_marks(doc)
        rules = rule_marks(doc, ((s.start, s.end, s.label) for s in rule))
        tags = bio_tags(doc, spans)
        for sent in doc.sents:
            trainer.append(
                sentence_features(doc, sent, kb, chunks, rules, clusters),
                tags[sent.start : sent.end],
            )
            n += 1
    if n == 0:
        raise ValueError("no training sentences for the entity tagger")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out_path))
    return EntityTagger(out_path, clusters)


def _cut_through(span: TaggedSpan, m: Mention) -> bool:
    """A learned span that takes part of a KB-linked rule name and not the rest of it
    ("Islamic State of Iraq" out of "Islamic State of Iraq and the Levant"), or that does
    not give a named ship its own span ("U.S. ships USS Mahan" is a navy and a ship)."""
    if _is_named_ship(m):
        return (span.start, span.end) != (m.start, m.end)
    if not (m.actor_id and m.actor_id.startswith("kb:")):
        return False
    inside = span.start <= m.start and m.end <= span.end
    return not inside and m.start < span.end and span.start < m.end


# Words that join a name to another thing, never two parts of one name.
_JOINING_WORDS = frozenset({"to", "of", "from", "at", "with", "and", "in", "on", "for", "by"})


def _runs_on_from_a_name(text: str, span: TaggedSpan, m: Mention) -> bool:
    """A learned span that opens with a person's name and runs on past a joining word or
    a possessive: "Hunter Biden to Burisma", "Jane Roe of the Brookings Institution" and
    "Obama's FBI" are a person and something else. (A title may hold a name and a joining
    word: "the Adviser to Ambassador Roe for Refugees" does not open with the name.)"""
    if m.label != "Person" or not m.actor_id or m.start != span.start or m.end >= span.end:
        return False
    rest = text[m.end : span.end]
    if rest.startswith(("'s ", "\u2019s ")):
        return True
    next_word = rest.split(maxsplit=1)
    return bool(next_word) and next_word[0] in _JOINING_WORDS


def _splits_a_word(text: str, span: TaggedSpan, m: Mention) -> bool:
    """A learned span with an edge at a hyphen inside a word the rule mention ``m`` spans:
    "ISIS" out of "ISIS-held territory" leaves "-held territory" without its head."""
    end_inside = m.start < span.end < m.end and text[span.end : span.end + 1] == "-"
    start_inside = m.start < span.start < m.end and text[span.start - 1 : span.start] == "-"
    return end_inside or start_inside


def _names_a_person(doc: Doc, span: TaggedSpan) -> bool:
    """spaCy's NER finds a person in the span (a tagger Person without one is a guess)."""
    toks = doc.char_span(span.start, span.end, alignment_mode="expand")
    return toks is None or any(t.ent_type_ == "PERSON" for t in toks)


def _is_named_ship(m: Mention) -> bool:
    prefix, _, name = m.text.partition(" ")
    return m.label == "MilitaryPlatform" and bool(name) and prefix in SHIP_PREFIXES


def _equipment_label(span: TaggedSpan, overlapping: list[Mention]) -> str | None:
    """The lexicon's label for a span ending in a weapon or platform the lexicon knows
    ("a VBIED" is a weapon, whatever label the tagger guessed)."""
    if span.label in EQUIPMENT_LABELS:
        return None
    for m in overlapping:
        if m.label in EQUIPMENT_LABELS and m.end == span.end and m.start >= span.start:
            return m.label
    return None


# Plural sector heads that name things or places, not people.
_NOT_PEOPLE = frozenset(
    {"aircraft", "artillery", "drones", "jets", "tanks", "warplanes", "hospitals", "courts",
     "universities"}
)


def _people_label(doc: Doc, span: TaggedSpan) -> str | None:
    """"Organisation" for a span headed by a plural noun for people of a sector ("Ninety-Four
    Citizen Airmen", "camp residents") that the tagger called a place, time or person: a
    group of people is an organisation in re3d's scheme, and an actor in ours."""
    if span.label not in ("Location", "Temporal", "Person", "Quantity", "Nationality"):
        return None
    toks = doc.char_span(span.start, span.end, alignment_mode="expand")
    if toks is None:
        return None
    word = toks.root.lower_
    if word not in HEAD_SECTORS or word in _NOT_PEOPLE or not _plural(word):
        return None
    return "Organisation"


def _plural(word: str) -> bool:
    """A plural sector head by its form (the tagger calls capitalised "Airmen" NNP)."""
    return word.endswith(("s", "men")) or word in ("people", "personnel", "police")


def _site_label(doc: Doc, span: TaggedSpan, overlapping: list[Mention]) -> str | None:
    """"Location" for a span headed by an unlinked place the rules found ("four UAV
    construction facilities", "the town of Talamenes"), whatever label the tagger guessed."""
    if span.label != "Organisation" or not overlapping:
        return None  # a Person span over a place is trimmed later ("Near Mosul")
    toks = doc.char_span(span.start, span.end, alignment_mode="expand")
    if toks is None:
        return None
    root = toks.root.idx
    for m in overlapping:
        if m.label == "Location" and m.actor_id is None and m.start <= root < m.end:
            return "Location"
    return None


def _names_the_span(text: str, inner: Mention) -> bool:
    """Whether a linked rule mention inside a learned span names what the whole span names.

    Not when the name is glued by a hyphen into a modifier: "the counter-ISIL coalition" is
    not ISIL and "the U.S.-led coalition" is not the US.
    """
    return text[inner.start - 1 : inner.start] != "-" and text[inner.end : inner.end + 1] != "-"


# Heads under which a state adjective names the state itself ("the Iraqi nation"); a sector
# head ("the Iraqi people") makes the span that sector of the state instead.
_A_STATES_PEOPLE = frozenset({"nation", "public", "state", "population"})


def _lends_to(doc: Doc, span: TaggedSpan, label: str, inner: Mention) -> bool:
    """Whether ``inner``'s actor may label a learned span of ``label``.

    A place, weapon or date span is no discovered actor: "a Louis Vuitton store" and "the
    Aude region" are places, even though the rules read their names as organisations. Known
    actors and states still lend ("northern Iraq" is Iraq's territory). A state adjective
    does not name a group of one sector of it ("the Syrian opposition" is no Syria): left
    unlinked, the span gets its generic agent (Syria's opposition) from the KB table.
    """
    if inner.actor_kind == "state" and label == "Organisation" and inner.label == "Nationality":
        toks = doc.char_span(span.start, span.end, alignment_mode="expand")
        if toks is not None and not (inner.start <= toks.root.idx < inner.end) and (
            toks.root.lower_ in HEAD_SECTORS
            or (toks.root.pos_ == "NOUN" and toks.root.lower_ not in _A_STATES_PEOPLE)
        ):
            return False  # "the American delegation" is no United States either
    if label in ("Person", "Organisation", "Nationality") or not inner.actor_id:
        return True
    return not inner.actor_id.startswith("new:") or inner.actor_kind == "state"


def merge_mentions(doc: Doc, rule: list[Mention], learned: list[TaggedSpan]) -> list[Mention]:
    """Learned spans win on boundaries and type; rule mentions keep their KB links.

    A rule mention inside a learned span lends its actor link to it when it names the span
    (the learned span is usually the same name plus a determiner or modifier, see
    ``_names_the_span``); rule mentions no learned span touches are kept as they are.
    """
    out: list[Mention] = []
    covered: set[int] = set()
    full_text = doc_text(doc)
    # Rule mentions do not overlap one another, so sorted by start their ends are sorted
    # too and the ones a span touches are one contiguous run, found by bisection.
    rule = sorted(rule, key=lambda m: m.start)
    starts = [m.start for m in rule]
    ends = [m.end for m in rule]
    disjoint = all(ends[k] <= starts[k + 1] for k in range(len(rule) - 1))
    for span in learned:
        if disjoint:
            lo, hi = bisect.bisect_right(ends, span.start), bisect.bisect_left(starts, span.end)
        else:  # overlapping input (not from find_mentions): look at every mention
            lo, hi = 0, len(rule)
        overlapping = [
            k for k in range(lo, hi) if rule[k].start < span.end and rule[k].end > span.start
        ]
        if any(
            _cut_through(span, rule[k]) or _splits_a_word(full_text, span, rule[k])
            or _runs_on_from_a_name(full_text, span, rule[k])
            for k in overlapping
        ):
            continue  # the span cuts a name or a word, or glues on to one: the rules stand
        inner = [
            (k, rule[k])
            for k in overlapping
            if rule[k].start >= span.start
            and rule[k].end <= span.end
            and rule[k].actor_id
            and _names_the_span(full_text, rule[k])
        ]
        covered.update(overlapping)
        text = full_text[span.start : span.end]
        label = (
            _equipment_label(span, [rule[k] for k in overlapping])
            or _people_label(doc, span)
            or _site_label(doc, span, [rule[k] for k in overlapping])
            or span.label
        )
        lender = max(inner, key=lambda km: km[1].end - km[1].start)[1] if inner else None
        if lender is not None and _lends_to(doc, span, label, lender):
            m = lender
            # A KB-known kind outranks the tagger's guess (Kataib Hezbollah is no Person).
            if m.actor_kind is not None and label in ACTOR_LABELS:
                label = label_for_kind(m.actor_kind, label)
            elif label == "Person" and m.label in ACTOR_LABELS and not _names_a_person(doc, span):
                label = m.label  # "321st Field Artillery Regiment" is the unit the rules saw
            out.append(
                Mention(
                    span.start,
                    span.end,
                    text,
                    label,  # type: ignore[arg-type]
                    m.actor_id,
                    m.actor_name,
                    m.actor_kind,
                    m.country,
                    m.sector,
                    m.link_reason,
                )
            )
        else:
            out.append(Mention(span.start, span.end, text, label))  # type: ignore[arg-type]
    out.extend(m for k, m in enumerate(rule) if k not in covered)
    out.sort(key=lambda m: (m.start, m.end))
    return out
