"""The rule-based event coder: lexicon triggers + dependency parse -> PLOVER events.

Only tokens whose lemma hits the lexicon are examined, so coding costs little next
to the parse. For each trigger we find sources and targets in active ("X struck Y"),
passive ("Y was struck by X"), relative ("Y, who X killed") and nominal ("the killing
of Y by X", "X's airstrikes on Y", "X carried out strikes on Y") forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from factionmap.extract.dates import find_event_date
from factionmap.extract.events import cameo, syntax
from factionmap.extract.events.learned import (
    DocIndex,
    EventModels,
    RoleFeatureCache,
    main_coding,
    role_features,
    sentence_features,
    shipped_event_models,
)
from factionmap.extract.events.lexicon import LexEntry, Lexicon, load_lexicon, load_petrarch_verbs
from factionmap.extract.events.places import article_country, find_event_place
from factionmap.extract.sparse import vectorize
from factionmap.nlp.cache import doc_text
from factionmap.records import ACTOR_LABELS, Article, Event, Mention, Modality, Span

# An act embedded under one of these is its content, not something done:
# "threatened to attack" is a THREATEN, "called for the release" a REQUEST.
CONTENT_TAKERS = frozenset({"THREATEN", "REQUEST", "AGREE", "REJECT"})
# Verbs whose conjoined subjects act on each other: "X and Y met".
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
RECIPROCAL_LEMMAS = frozenset({"fight", "clash", "battle"})
# CAMEO refinements when a content-taking trigger embeds an act (REQUEST: ``DEMANDED_ACTS``).
EMBEDDED_REFINEMENT = {
    ("THREATEN", "ASSAULT"): "138",
    ("AGREE", "CONSULT"): "036",
    ("REJECT", "CONSULT"): "125",
}
# What a demand (CAMEO 10) or an appeal (02) asks for, by the CAMEO code of the act asked
# for (longest prefix wins), from the CAMEO codebook: (act prefix, demand code, appeal code).
DEMANDED_ACTS: tuple[tuple[str, str, str], ...] = (
    ("087", "1056", "0256"),  # withdraw, ceasefire, demobilise, retreat: de-escalate
    ("0841", "1053", "0253"),  # release persons
    ("0842", "1053", "0253"),  # return property
    ("081", "1051", "0251"),  # ease administrative sanctions
    ("085", "1054", "0254"),  # ease economic sanctions
    ("045", "108", "028"),  # mediation
    ("04", "106", "026"),  # meetings, talks, negotiation
)
# Demand verbs whose content is the condition ("conditioned talks on the withdrawal"),
# while the act conditioned ("talks") is only hypothetical.
CONDITION_VERBS = frozenset({"condition", "predicate"})
CONDITION_PREPS = frozenset({"on", "upon"})
PATTERN_WINDOW = 10
# Modality that changes the PLOVER type (see ``EventCoder._modal_retype``).
REFUSABLE_TYPES = frozenset({"AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
THREATENABLE_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
OFFERABLE_TYPES = frozenset({"CONSULT", "AID", "COOPERATE", "SUPPORT", "RETREAT", "CONCEDE"})
READINESS_WORDS = frozenset({"ready", "willing", "prepared", "eager"})
# Governors that commit their subject to a future act: "vowed to fight", "plans to impose".
COMMITMENT_WORDS = READINESS_WORDS | frozenset(
    {"prepare", "promise", "pledge", "vow", "swear", "commit", "plan", "intend", "decide", "offer"}
)
OBLIGATION_AUX = frozenset({"must", "should"})
FUTURE_AUX = frozenset({"will", "would", "shall", "'ll"})
REJECT_CODE, THREATEN_CODE, AGREE_CODE, REQUEST_CODE = "120", "130", "030", "100"
EMBEDDED_CLAUSES = frozenset({"relcl"})
# The learned sentence classifier retypes a sentence's main event only when this sure.
RETYPE_MIN_PROBABILITY = 0.5
# An event whose quad class the quad model gives less than this is marked doubtful.
QUAD_DOUBT_PROBABILITY = 0.15
# Beyond its likeliest source and target phrase, the role tagger adds others this sure.
ROLE_EXTRA_PROBABILITY = 0.8
NAME_ENTITY_TYPES = frozenset(
    {"ORG", "PERSON", "GPE", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "DATE", "TIME"}
)


def _has_aux(tok: Token, words: frozenset[str]) -> bool:
    return any(ch.dep_ in ("aux", "auxpass") and ch.lower_ in words for ch in tok.children)


def _committed(head: Token) -> bool:
    """A future act its subject commits to: "will release", "is ready to withdraw",
    "vowed to fight" (walking up at most two governing clauses)."""
    node = head
    for _ in range(3):
        if _has_aux(node, FUTURE_AUX):
            return True
        if node is not head and node.lemma_.lower() in COMMITMENT_WORDS:
            return True
        if node.dep_ not in ("xcomp", "acomp") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _obliged(head: Token) -> bool:
    """"X must withdraw", "X has to withdraw": a duty put on the act's subject."""
    if _has_aux(head, OBLIGATION_AUX):
        return True
    gov = head.head
    return head.dep_ == "xcomp" and gov.lemma_.lower() == "have" and any(
        ch.lower_ == "to" for ch in head.children
    )


@dataclass
class Coding:
    """One trigger and its arguments, before spans and dates are attached."""

    entry: LexEntry
    cameo: str
    tokens: tuple[int, int]  # token range of the trigger phrase
    head: Token
    sources: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    modality: Modality = "asserted"
    speaker: Token | None = None
    dropped: bool = False
    # For a demand: the act demanded, folded into this coding and not coded as done.
    content: Coding | None = None

    @property
    def plover(self) -> str | None:
        return cameo.plover_for(self.cameo) if self.cameo else self.entry.plover


# Reuse the shared ``extract.modality.modality_for`` as a second opinion. It terminates now,
# but measured 2026-11-21 it lowered every event figure (rules: quad macro-F1 0.583 -> 0.565,
# PLOVER type 0.562 -> 0.547, PETRARCH 0.535 -> 0.525), so it stays off here.
USE_SHARED_MODALITY = False


def _external_modality() -> Any:
    """The shared modality checker of ``extract.modality``, when it is importable."""
    if not USE_SHARED_MODALITY:
        return None
    try:
        from factionmap.extract.modality import modality_for
    except ImportError:
        return None
    return modality_for


class EventCoder:
    """Codes events with the default lexicon plus optional user lexicon files and
    PETRARCH verb dictionaries (``cameo_verbs``)."""

    def __init__(
        self,
        lexicon_paths: Iterable[str | Path] = (),
        cameo_verbs: Iterable[str | Path] = (),
        *,
        include_default: bool = True,
        lexicon: Lexicon | None = None,
        models: EventModels | None = None,
    ) -> None:
        """``models``: learned layer to apply (default: the shipped ``events_*`` weights;
        pass ``learned.NO_MODELS`` for rules only)."""
        self.lexicon = lexicon or load_lexicon(lexicon_paths, include_default=include_default)
        self._start_hashes: np.ndarray | None = None
        self._start_count = 0
        for path in cameo_verbs:
            self.lexicon.extend(load_petrarch_verbs(path))
        self._modality_for = _external_modality()
        self.models = shipped_event_models() if models is None else models

    # --- triggers --------------------------------------------------------------

    def _match(self, doc: Doc, i: int) -> tuple[LexEntry, int, Token] | None:
        tok = doc[i]
        # The written form first: a dictionary that lists "left" means that form, more
        # specifically than the lemma "leave" (a fixed order, not a set's hash order).
        for key in dict.fromkeys((tok.lower_, tok.lemma_.lower())):
            for entry in self.lexicon.candidates(key):
                n = len(entry.lemmas)
                if i + n > len(doc):
                    continue
                words = doc[i : i + n]
                if any(
                    w.lemma_.lower() != lem and w.lower_ != lem
                    for w, lem in zip(words, entry.lemmas, strict=True)
                ):
                    continue
                head = words[0] if entry.pos == "V" or words[0].pos_ == "VERB" else words[-1]
                if entry.pos == "V" and head.pos_ != "VERB":
                    continue
                if entry.pos == "N" and head.pos_ not in ("NOUN", "PROPN"):
                    continue
                if head.pos_ not in ("VERB", "NOUN", "PROPN"):
                    continue
                return entry, i + n, head
        return None

    def _pattern_code(self, entry: LexEntry, head: Token) -> str | None:
        """The most specific PETRARCH pattern whose words follow the verb."""
        after = [
            t
            for t in head.doc[
                head.i + 1 : min(syntax.sentence_of(head).end, head.i + 1 + PATTERN_WINDOW)
            ]
        ]
        forms = [(t.lemma_.lower(), t.lower_) for t in after]
        best: tuple[int, str] | None = None
        for words, code in entry.patterns:
            pos = 0
            for word in words:
                while pos < len(forms) and word not in forms[pos]:
                    pos += 1
                if pos == len(forms):
                    break
                pos += 1
            else:
                if best is None or len(words) > best[0]:
                    best = (len(words), code)
        return best[1] if best else None

    def triggers(self, doc: Doc) -> list[Coding]:
        out: list[Coding] = []
        lexicon = self.lexicon
        i = 0
        for k in self._possible_starts(doc):
            if k < i:
                continue  # inside the previous trigger
            i = k
            tok = doc[i]
            if tok.lower_ not in lexicon and tok.lemma_.lower() not in lexicon:
                continue
            # Words inside names are not events: "Popular Mobilization Units".
            found = None if tok.ent_type_ in NAME_ENTITY_TYPES else self._match(doc, i)
            if found is None:
                continue
            entry, end, head = found
            code = (self._pattern_code(entry, head) if entry.patterns else None) or entry.cameo
            if code:
                out.append(Coding(entry, code, (i, end), head))
            i = end
        return out

    def _possible_starts(self, doc: Doc) -> list[int]:
        """Token positions whose word or lemma may start an entry, found on spaCy's hash
        arrays rather than by building a Token object for every word."""
        if self._start_hashes is None or self._start_count != len(self.lexicon):
            self._start_count = len(self.lexicon)
            strings = doc.vocab.strings
            words = {v for w in self.lexicon.first_words()
                     for v in (w, w.capitalize(), w.upper(), w.title())}
            self._start_hashes = np.array(sorted(strings.add(w) for w in words), dtype=np.uint64)
        arr = doc.to_array([LOWER, LEMMA])
        hit = np.isin(arr[:, 0], self._start_hashes) | np.isin(arr[:, 1], self._start_hashes)
        return [int(k) for k in np.flatnonzero(hit)]

    # --- arguments -------------------------------------------------------------

    def _verb_arguments(self, c: Coding) -> None:
        v = c.head
        if v.dep_ == "relcl":
            rel = next((t for t in v.children if t.lower_ in syntax.RELATIVE_PRONOUNS), None)
            if rel is not None and rel.dep_ in syntax.SUBJ:
                c.sources.append(v.head)
            elif rel is not None:
                c.targets.append(v.head)
        if v.dep_ == "acl":  # "the militia backed by Iran", "fighters attacking the base"
            (c.targets if v.tag_ == "VBN" else c.sources).append(v.head)
        if syntax.is_passive(v):
            for subj in syntax.children(v, syntax.PASSIVE_SUBJ):
                c.targets.extend(syntax.conjuncts(subj))
            for agent in syntax.agent_objects(v):
                c.sources.extend(syntax.conjuncts(agent))
        else:
            subject = syntax.verb_subject(v) if not c.sources else None
            if subject is not None and subject.lower_ not in syntax.RELATIVE_PRONOUNS:
                c.sources.extend(syntax.conjuncts(subject))
            objs = [
                o
                for o in syntax.children(v, syntax.OBJ)
                if o.lower_ not in syntax.RELATIVE_PRONOUNS
            ]
            for obj in objs:
                c.targets.extend(syntax.conjuncts(obj))
            if not objs and not c.targets:
                preps = syntax.VERB_TARGET_PREPS | (
                    {"to"} if c.plover in ("CONSULT", "REQUEST") else set()
                )
                for _, obj in syntax.prep_objects(v, frozenset(preps)):
                    c.targets.extend(syntax.conjuncts(obj))

    def _noun_arguments(self, c: Coding) -> None:
        n = c.head
        c.sources.extend(t for t in n.children if t.dep_ == "poss")
        for agent in syntax.agent_objects(n):
            c.sources.extend(syntax.conjuncts(agent))
        for child in n.children:
            if (
                child.dep_ in ("compound", "amod", "nmod")
                and child.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
                and child.i < c.tokens[0]
            ):
                c.sources.append(child)
        pairs = syntax.prep_objects(n, frozenset(syntax.TARGET_PREPS | {"between"}))
        between = _between_parties([obj for prep, obj in pairs if prep == "between"])
        if between:
            c.sources.append(between[0])
            c.targets.extend(between[1:])
        for prep, obj in pairs:
            parts = syntax.conjuncts(obj)
            if prep == "between":
                continue
            elif prep == "of" and (c.plover == "CONSULT" or c.cameo.startswith("087")):
                # "talks of X", "the withdrawal of X forces": X takes part / withdraws.
                c.sources.extend(parts)
            else:
                c.targets.extend(parts)
        # "carried out two rounds of airstrikes": climb quantity nouns to the light verb.
        anchor = n
        while (
            anchor.dep_ == "pobj"
            and anchor.head.lower_ == "of"
            and anchor.head.head.pos_ in ("NOUN", "NUM")
        ):
            anchor = anchor.head.head
        head = anchor.head
        if (
            anchor.dep_ in syntax.OBJ + syntax.PASSIVE_SUBJ
            and head.lemma_.lower() in syntax.LIGHT_VERBS
        ):
            if not c.sources:
                if syntax.is_passive(head):
                    for agent in syntax.agent_objects(head):
                        c.sources.extend(syntax.conjuncts(agent))
                else:
                    head_subj = syntax.verb_subject(head)
                    if head_subj is not None:
                        c.sources.extend(syntax.conjuncts(head_subj))
            if not c.targets:
                for _, obj in syntax.prep_objects(head, syntax.VERB_TARGET_PREPS):
                    c.targets.extend(syntax.conjuncts(obj))

    def _arguments(self, c: Coding) -> None:
        if c.head.pos_ == "VERB":
            self._verb_arguments(c)
        else:
            self._noun_arguments(c)
        lemma = c.head.lemma_.lower()
        if (
            len(c.sources) > 1
            and not c.targets
            and (c.plover in RECIPROCAL_TYPES or lemma in RECIPROCAL_LEMMAS)
        ):
            c.targets = list(c.sources)  # reciprocal: each acts on the others

    # --- modality and embedding ----------------------------------------------

    def _modality(self, c: Coding, doc: Doc) -> None:
        head = c.head
        if syntax.negated(head):
            c.modality = "negated"
        elif syntax.hedged(head, deontic_hedges=c.plover != "REQUEST"):
            c.modality = "hedged"
        else:
            gov = syntax.speech_governor(head)
            if gov is not None and gov.i != head.i:
                c.modality, c.speaker = "attributed", syntax.speaker(gov)
            elif self._modality_for is not None:
                modality, _ = self._modality_for(doc, head)
                if modality in ("negated", "hedged"):
                    c.modality = modality

    @staticmethod
    def _embedding_parent(c: Coding, by_head: dict[int, Coding]) -> Coding | None:
        node = c.head
        for _ in range(4):
            if (
                node.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "prep", "advcl", "acl")
                or node.head.i == node.i
            ):
                return None
            node = node.head
            parent = by_head.get(node.i)
            if parent is not None:
                return parent
        return None

    @staticmethod
    def _modal_retype(c: Coding) -> None:
        """PLOVER types that a modality turns an act into (PLOVER manual): refusing a
        cooperative act is a REJECT ("will not accept refugees"); announcing a future hostile
        act, conditional or not, a THREATEN ("would blockade the city unless ..."); promising
        or being ready to do a cooperative act an AGREE ("will release the hostages"); saying
        another party must act a REQUEST ("X must withdraw")."""
        head = c.head
        if c.modality == "negated" and c.plover in REFUSABLE_TYPES:
            c.cameo, c.modality = REJECT_CODE, "asserted"
        elif c.modality == "negated":
            return
        elif c.modality != "hedged":
            # "willing to withdraw" is not hedged, yet an offer.
            if c.plover in OFFERABLE_TYPES and _committed(head) and head.dep_ == "xcomp":
                c.cameo = AGREE_CODE
        elif _obliged(head) and c.plover not in ("REQUEST", "THREATEN", "ACCUSE"):
            # The duty is the speaker's demand, made now; the obliged party is its target.
            c.cameo, c.modality = REQUEST_CODE, "asserted"
            c.targets, c.sources = c.sources or c.targets, []
            gov = syntax.speech_governor(head)
            if gov is not None and gov.i != head.i:
                c.modality, c.speaker = "attributed", syntax.speaker(gov)
                c.sources = [c.speaker] if c.speaker is not None else []
        elif _committed(head) and c.plover in THREATENABLE_TYPES:
            c.cameo, c.modality = THREATEN_CODE, "asserted"
        elif _committed(head) and c.plover in OFFERABLE_TYPES:
            c.cameo, c.modality = AGREE_CODE, "asserted"

    @staticmethod
    def _condition_contents(found: list[Coding], by_head: dict[int, Coding]) -> dict[int, Coding]:
        """id(act) -> the condition demand whose condition it is: in "X conditioned the
        meeting on the withdrawal" and "talks must be conditioned on the withdrawal" the
        withdrawal, wherever the parser hung its "on" (the verb or its object)."""
        out: dict[int, Coding] = {}
        for c in found:
            if c.plover != "REQUEST" or c.head.lemma_.lower() not in CONDITION_VERBS:
                continue
            holders = [c.head] + syntax.children(c.head, syntax.OBJ + syntax.PASSIVE_SUBJ)
            for holder in holders:
                for _, obj in syntax.prep_objects(holder, CONDITION_PREPS):
                    act = by_head.get(obj.i)
                    if act is not None and act is not c:
                        out.setdefault(id(act), c)
        return out

    @staticmethod
    def _fold_demand(demand: Coding, act: Coding) -> None:
        """A demanded act is not done: it refines the demand's CAMEO code, and the party
        expected to carry it out ("the withdrawal of US forces": US) is the demand's target."""
        act.dropped = True
        demand.content = act
        code = demanded_code(demand.cameo, act.cameo)
        if code is not None:
            demand.cameo = code
        demander = {t.i for t in demand.sources}
        # A condition verb's own object is the act conditioned, not who must act.
        own = [] if demand.head.lemma_.lower() in CONDITION_VERBS else demand.targets
        targets = [t for t in own if t.i != act.head.i]
        if not targets:
            # A speech verb that a dictionary codes as a request ("said ... for") reports
            # its content; only a demand proper is addressed to the act's agent.
            reported = demand.head.lemma_.lower() in syntax.SPEECH_VERBS
            actors = [] if reported else [t for t in act.sources if t.i not in demander]
            targets = actors or [t for t in act.targets if t.i not in demander]
        demand.targets = targets

    def codings(self, doc: Doc) -> list[Coding]:
        """All triggers with arguments and modality; embedded and duplicate acts marked dropped."""
        found = self.triggers(doc)
        by_head = {c.head.i: c for c in found}
        for c in found:
            self._arguments(c)
            self._modality(c, doc)
            self._modal_retype(c)
        conditions = self._condition_contents(found, by_head)
        for c in found:
            # "an airstrike killed X": the noun trigger stands in for its own sources.
            new_sources: list[Token] = []
            for tok in c.sources:
                sub = by_head.get(tok.i)
                new_sources.extend(sub.sources if sub is not None and sub is not c else [tok])
                if sub is not None and sub is not c and sub.plover == c.plover:
                    sub.dropped = True
            c.sources = new_sources
            parent = conditions.get(id(c)) or self._embedding_parent(c, by_head)
            if parent is None or parent.dropped:
                continue
            if parent.head.lemma_.lower() in CONDITION_VERBS and id(c) not in conditions:
                # The act conditioned ("talks" in "talks conditioned on X") may not happen.
                if c.modality in ("asserted", "attributed"):
                    c.modality = "hedged"
                continue
            if parent.plover == "REQUEST":
                self._fold_demand(parent, c)
            elif parent.plover in CONTENT_TAKERS:
                c.dropped = True
                if parent.plover == "AGREE" and c.plover == "THREATEN":
                    parent.cameo = THREATEN_CODE  # "vowed to fight": a promise of harm
                refined = EMBEDDED_REFINEMENT.get((str(parent.plover), str(c.plover)))
                if refined and len(parent.cameo) <= 3 and parent.cameo.endswith("0"):
                    parent.cameo = refined
                if not parent.targets and c.targets:
                    parent.targets = list(c.targets)
            elif parent.plover == "ACCUSE" and c.modality == "asserted":
                c.modality = "attributed"
                c.speaker = parent.sources[0] if parent.sources else None
            elif parent.plover == c.plover and c.head.pos_ != "VERB":
                # "killed in an airstrike": one act; keep the more specific code.
                c.dropped = True
                if (
                    len(c.cameo) >= len(parent.cameo)
                    and c.cameo != parent.cameo
                    and c.cameo[-1] != "0"
                ):
                    parent.cameo = c.cameo
        for c in found:
            # "X issued a statement saying talks must be conditioned on ...": X demands.
            if c.content is not None and not c.sources and c.speaker is not None:
                c.sources = [c.speaker]
        return found

    # --- spans -----------------------------------------------------------------

    def code(self, doc: Doc, mentions: list[Mention], article: Article) -> list[Event]:
        actors = sorted((m for m in mentions if m.label in ACTOR_LABELS), key=lambda m: m.start)
        country = article_country(mentions) if mentions else None
        events: list[Event] = []
        codings = [
            c
            for c in self.codings(doc)
            if not c.dropped
            and c.plover is not None
            and not _inside_actor(doc[c.tokens[0]].idx, actors)
        ]
        index = DocIndex(doc)
        text = doc_text(doc)
        doubtful = self._apply_sentence_models(codings, index)
        roles = self._apply_role_model(codings, actors, index)
        for c in codings:
            ptype = c.plover
            if ptype is None:
                continue
            sent = index.sent(c.head.i)
            sources, targets = roles.get(id(c)) or (
                _spans(c.sources, actors),
                _target_spans(c, actors),
            )
            start_tok, end_tok = doc[c.tokens[0]], doc[c.tokens[1] - 1]
            trigger = Span(
                start_tok.idx,
                end_tok.idx + len(end_tok),
                text[start_tok.idx : end_tok.idx + len(end_tok)],
            )
            info = cameo.lookup(c.cameo)
            # The sentence's main verb (or its object noun) is what the sentence reports.
            depth = syntax.depth(c.head)
            confidence = 0.3 + 0.2 * bool(sources) + 0.2 * bool(targets)
            confidence += 0.1 * (depth == 0) + 0.05 * (depth == 1)
            if c.modality in ("negated", "hedged"):
                confidence /= 2
            if id(c) in doubtful:
                confidence /= 2
            speakers = _spans([c.speaker], actors) if c.speaker is not None else []
            speaker = speakers[0] if speakers else None
            events.append(
                Event(
                    type=ptype,  # type: ignore[arg-type]
                    cameo=c.cameo,
                    goldstein=cameo.goldstein(c.cameo),
                    quad_class=cameo.quad_class(c.cameo),
                    evidence=_sentence_span(sent),
                    trigger=trigger,
                    sources=tuple(dict.fromkeys(sources)),
                    targets=tuple(dict.fromkeys(targets)),
                    mode=c.entry.mode or (info.mode if info else None),
                    context=c.entry.context or (info.context if info else None),
                    date=find_event_date(doc, sent, c.head, article.date),
                    location=find_event_place(
                        sent.start_char, sent.end_char, c.head.idx, mentions, country, text=text
                    ),
                    modality=c.modality,
                    confidence=round(confidence, 2),
                    attributed_to=speaker,
                )
            )
        return events

    # --- learned layer -------------------------------------------------------------

    def _apply_sentence_models(self, codings: list[Coding], index: DocIndex) -> set[int]:
        """Retype each sentence's main coding with the PLOVER model; return the ids of
        codings the quad model doubts. One vectorised call per model per document."""
        plover, quad = self.models.plover, self.models.quad
        if not codings or (plover is None and quad is None):
            return set()
        by_sent: dict[int, list[Coding]] = {}
        for c in codings:
            by_sent.setdefault(index.sent(c.head.i).start, []).append(c)
        groups = list(by_sent.values())
        rows = [sentence_features(index.sent(g[0].head.i), g) for g in groups]
        doubtful: set[int] = set()
        if quad is not None:
            classes = [str(k) for k in quad.classifier.classes_]
            proba = quad.classifier.predict_proba(vectorize(quad.vectorizer, rows))
            for g, p in zip(groups, proba, strict=True):
                for c in g:
                    q = str(cameo.quad_class(c.cameo))
                    if q in classes and p[classes.index(q)] < QUAD_DOUBT_PROBABILITY:
                        doubtful.add(id(c))
        if plover is not None:
            for g, (label, p) in zip(groups, plover.predict(rows), strict=True):
                top = main_coding(g)
                if top is None or label == top.plover or p < RETYPE_MIN_PROBABILITY:
                    continue
                code = cameo.base_code(label)
                if code is not None:
                    top.cameo = code
        return doubtful

    def _apply_role_model(
        self, codings: list[Coding], actors: list[Mention], index: DocIndex
    ) -> dict[int, tuple[list[Span], list[Span]]]:
        """Sources and targets from the role tagger, where it finds any (else the rules')."""
        model = self.models.roles
        if model is None or not codings:
            return {}
        rows, owners = [], []
        cache = RoleFeatureCache()
        for c in codings:
            sent = index.sent(c.head.i)
            for ph in index.phrases(sent):
                if ph.start <= c.head.i < ph.end:
                    continue  # the trigger's own phrase is not its argument
                rows.append(role_features(ph, c.head, c, sent, cache))
                owners.append((c, ph))
        # Per trigger and side: the likeliest phrase, plus any other the model is sure of.
        best: dict[tuple[int, str], list[tuple[float, SpacySpan]]] = {}
        for (c, ph), (label, p) in zip(owners, model.predict(rows), strict=True):
            if label != "O":
                best.setdefault((id(c), label), []).append((p, ph))
        out: dict[int, tuple[list[Span], list[Span]]] = {}
        for (key, label), scored in best.items():
            scored.sort(key=lambda sp: -sp[0])
            keep = [scored[0][1]] + [ph for p, ph in scored[1:] if p >= ROLE_EXTRA_PROBABILITY]
            sources, targets = out.setdefault(key, ([], []))
            side = sources if label == "S" else targets
            side.extend(_phrase_span(ph, actors) for ph in sorted(keep, key=lambda ph: ph.start))
        named = {(m.start, m.end) for m in actors}
        for key, (sources, targets) in list(out.items()):
            rule = next(c for c in codings if id(c) == key)
            # The tagger's phrases win, except that a rule argument naming an actor beats a
            # tagged phrase that names none ("attacks on camps with French troops").
            rs, rt = _spans(rule.sources, actors), _target_spans(rule, actors)
            if _explicit_roles(rule):
                sources, targets = rs or sources, rt or targets
            elif _explicit_target(rule):
                targets = rt or targets
            sources = (
                rs
                if _names_actor(rs, named) and not _names_actor(sources, named)
                else (sources or rs)
            )
            targets = (
                rt
                if _names_actor(rt, named) and not _names_actor(targets, named)
                else (targets or rt)
            )
            # One phrase plays one part, unless the act is mutual ("X and Y met").
            if rule.plover not in RECIPROCAL_TYPES:
                targets = [t for t in targets if t not in sources]
            out[key] = (sources, targets)
        return out


def demanded_code(request_code: str, act_code: str) -> str | None:
    """The CAMEO code of a generic demand (10) or appeal (02) for an act of ``act_code``:
    a demand for withdrawal is 1056, for talks 106; None when the code is already specific
    or the act is not one the codebook names."""
    root = request_code[:2]
    if root not in ("10", "02") or request_code not in (root, root + "0"):
        return None
    for prefix, demand, appeal in sorted(DEMANDED_ACTS, key=lambda row: -len(row[0])):
        if act_code.startswith(prefix):
            return demand if root == "10" else appeal
    return None


def _explicit_roles(c: Coding) -> bool:
    """Forms whose roles the parse states outright, where the rules beat the tagger (which
    leans to the main clause's subject): a "by" agent ("the killing of X by Y", "X was
    struck by Y"), a relative clause ("X, whom the army killed"), a demand whose
    demanded act names who must act ("demanded the withdrawal of X") and the parties of a
    noun trigger's "between" ("a meeting between X and Y")."""
    if c.content is not None:
        return True
    if c.head.pos_ != "VERB" and any(
        t.dep_ == "pobj" and t.head.lower_ == "between" for t in c.sources
    ):
        return True
    if c.head.dep_ in EMBEDDED_CLAUSES and c.head.pos_ == "VERB":
        return True
    return any(t.head.lower_ == "by" and t.dep_ == "pobj" for t in c.sources)


def _explicit_target(c: Coding) -> bool:
    """A noun trigger's "on"/"against" object names its target outright ("attacks on X")."""
    return c.head.pos_ != "VERB" and any(
        t.dep_ == "pobj" and t.head.lower_ in ("on", "against") and t.head.head.i == c.head.i
        for t in c.targets
    )


def _names_actor(spans: list[Span], named: set[tuple[int, int]]) -> bool:
    return any((s.start, s.end) in named for s in spans)


def _between_parties(objects: list[Token]) -> list[Token]:
    """The parties of "a meeting between X and [title] Y": all conjoined objects (and a name
    the parser hung on as an unpunctuated apposition), minus a title phrase that runs
    straight into the next party's name ("US Ambassador to Iraq")."""
    found = {t.i: t for o in objects for t in syntax.conjuncts(o)}
    for t in list(found.values()):
        for child in t.children:
            if child.dep_ == "appos" and not child.doc[child.left_edge.i - 1].is_punct:
                found[child.i] = child
    parts = sorted(found.values(), key=lambda t: t.i)
    return [
        t
        for k, t in enumerate(parts)
        if k + 1 == len(parts) or _last_own_token(t) + 1 != parts[k + 1].left_edge.i
    ]


def _last_own_token(tok: Token) -> int:
    """Where a party's own words end: its subtree minus coordinated and appended parties."""
    end = tok.i
    for child in tok.children:
        if child.i > tok.i and child.dep_ not in ("conj", "cc", "appos", "punct"):
            end = max(end, child.right_edge.i)
    return end


def _phrase_span(phrase: SpacySpan, actors: list[Mention]) -> Span:
    """An actor mention inside the phrase (it carries the actor link), else the phrase."""
    inside = [m for m in actors if phrase.start_char <= m.start and m.end <= phrase.end_char]
    if inside:
        return inside[-1].span()
    return Span(phrase.start_char, phrase.end_char, phrase.text)


def _sentence_span(sent: SpacySpan) -> Span:
    text = sent.text.rstrip()
    return Span(sent.start_char, sent.start_char + len(text), text)


def _mention_span(m: Mention) -> Span:
    return m.span()


def _spans(tokens: list[Token], actors: list[Mention]) -> list[Span]:
    out = []
    for tok in tokens:
        span = _actor_for(tok, actors)
        if span is not None:
            out.append(span)
    return out


def _actor_for(tok: Token, actors: list[Mention]) -> Span | None:
    """The actor a parse argument denotes: the mention on it, else inside its phrase,
    else inside its "with"/"of" modifier ("bases with US forces"), else its own words."""
    if tok.lower_ in syntax.RELATIVE_PRONOUNS:
        return None
    start, end = tok.idx, tok.idx + len(tok)
    for m in actors:
        if m.start <= start < m.end:
            return m.span()
    phrase_start = tok.left_edge.idx
    inside = [m for m in actors if phrase_start <= m.start and m.end <= end]
    if inside:
        return inside[-1].span()
    for _, obj in syntax.prep_objects(tok, frozenset({"with", "of"})):
        lo, hi = obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)
        nested = [m for m in actors if lo <= m.start and m.end <= hi]
        if nested:
            return nested[0].span()
    if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    return Span(phrase_start, end, tok.doc[tok.left_edge.i : tok.i + 1].text)


def _target_spans(c: Coding, actors: list[Mention]) -> list[Span]:
    """A demand's targets are everyone named in the phrase of those who must act:
    "the withdrawal of US and foreign forces" is addressed to the US and foreign forces."""
    if c.content is None:
        return _spans(c.targets, actors)
    out: list[Span] = []
    for tok in c.targets:
        start, end = tok.left_edge.idx, tok.idx + len(tok)
        named = [m.span() for m in actors if start <= m.start and m.end <= end]
        covering = _actor_for(tok, actors)
        if covering is not None and covering not in named:
            named.append(covering)
        out.extend(named)
    return out


def _inside_actor(char: int, actors: list[Mention]) -> bool:
    return any(m.start <= char < m.end for m in actors)
