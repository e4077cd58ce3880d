"""Our spaCy components, added after the statistical pipeline.

``KbMatcher`` marks knowledge-base surface forms (span group ``fm_kb``, span label = actor id)
and ``LexiconMatcher`` marks weapons, military platforms and vehicles (span group ``fm_lex``,
span label = entity label); ``extract`` registers them as components. Both are
PhraseMatchers: one pass over the doc in C, and they pickle, so ``nlp.pipe(n_process=...)``
and Ray can ship the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

KB_SPANS = "fm_kb"
LEXICON_SPANS = "fm_lex"
_APOSTROPHES = ("\u2019", "'")


def _variants(name: str) -> set[str]:
    """The name as written plus its other-apostrophe spelling (’ vs ')."""
    out = {name}
    for a, b in (_APOSTROPHES, _APOSTROPHES[::-1]):
        if a in name:
            out.add(name.replace(a, b))
    return out


def _case_sensitive(name: str) -> bool:
    # Short forms and acronyms ("US", "PMU", "Badr"?) must match case: "us" is a pronoun.
    return len(name) <= 4 or name.isupper()


class KbMatcher:
    """Marks every KB surface form; longest match wins where they overlap."""

    def __init__(self, vocab: Vocab, names: Iterable[tuple[str, str]]) -> None:
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.folded = PhraseMatcher(vocab, attr="LOWER")
        from spacy.lang.en import English

        tokenizer = English(vocab=vocab).tokenizer
        for name, actor_id in names:
            for variant in _variants(name):
                matcher = self.exact if _case_sensitive(variant) else self.folded
                matcher.add(actor_id, [tokenizer(variant)])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=match_id)
            for matcher in (self.exact, self.folded)
            for match_id, start, end in matcher(doc)
        ]
        doc.spans[KB_SPANS] = filter_spans(spans)
        return doc


class LexiconMatcher:
    """Marks weapons, platforms and vehicles from our own small lexicons (by lemma)."""

    def __init__(
        self, vocab: Vocab, terms: dict[str, Iterable[str]], ship_prefixes: Iterable[str] = ()
    ) -> None:
        self.ships = Matcher(vocab)
        prefixes = list(ship_prefixes)
        if prefixes:
            self.ships.add(
                "MilitaryPlatform",
                [[{"TEXT": {"IN": prefixes}}, {"IS_TITLE": True, "OP": "+"}]],
                greedy="LONGEST",
            )
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.lemma_matcher = PhraseMatcher(vocab, attr="LEMMA")
        from spacy.lang.en import English

        tokenizer = English(vocab=vocab).tokenizer
        for label, words in terms.items():
            words = list(words)
            # multi-word terms and acronyms are matched as written, so their plurals are
            # listed too ("rocket launchers", "VBIEDs")
            words += [w + "s" for w in words
                      if (" " in w or w.isupper()) and not w.endswith("s")]
            docs = [tokenizer(w) for w in words]
            self.matcher.add(label, docs)
            # Lemma patterns need lemmas on the pattern docs: single lowercase words only.
            singles = []
            for w in words:
                if " " not in w and w.islower():
                    d = tokenizer(w)
                    d[0].lemma_ = w
                    singles.append(d)
            if singles:
                self.lemma_matcher.add(label, singles)

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=match_id)
            for matcher in (self.matcher, self.lemma_matcher, self.ships)
            for match_id, start, end in matcher(doc)
        ]
        doc.spans[LEXICON_SPANS] = filter_spans(spans)
        return doc


def kb_names(kb: object) -> list[tuple[str, str]]:
    return [(name, actor.id) for name, actor in kb.surface_forms()]  # type: ignore[attr-defined]


@Language.component("factionmap_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break starts a sentence (set before the parser, which keeps it).

    Scraped news runs headlines, captions and credits into the next paragraph with only a
    newline between: parsed as one sentence, "...our Privacy Policy\n\nThe New York Times"
    became one name. Sentences broken across lines are rare (under 0.1 % of newlines in a
    news sample).
    """
    for tok in doc[1:]:
        before = doc[tok.i - 1]
        broken = "\n" in before.whitespace_ or (before.is_space and "\n" in before.text)
        if broken and not tok.is_space:
            tok.is_sent_start = True
    return doc


# Abbreviated titles and ranks written before a name ("Sgt. Bergdahl", "Sen. McCain"): one
# token each, and never part of the person's name.
TITLE_ABBREVIATIONS: tuple[str, ...] = (
    "Sgt.", "Capt.", "Col.", "Lt.", "Maj.", "Cpl.", "Pvt.", "Pfc.", "Spc.", "Cmdr.", "Cdr.",
    "Brig.", "Amb.", "Supt.", "Insp.", "Gen.", "Adm.", "Sen.", "Rep.", "Gov.", "Dr.", "Mr.",
    "Mrs.", "Ms.", "Prof.",
)


# A stretch of more tokens than this without a sentence break is split (about 2,000
# characters; real sentences of news stay far below it). Parsing and extraction cost grows
# faster than linearly with sentence length: a million characters without a full stop never
# finished, while the same text in bounded sentences takes minutes.
MAX_SENTENCE_TOKENS = 400
# Doc.user_data key: how many times ``sentence_cap`` split a sentence (read by the ingest,
# which warns about it).
FORCED_BREAKS = "factionmap_forced_sentence_breaks"
_SENTENCE_ENDS = frozenset({".", "!", "?"})


@Language.component("factionmap_sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """Start a sentence after ``MAX_SENTENCE_TOKENS`` tokens without one (set before the
    parser, which keeps it), and count how often that was needed."""
    run = 0
    forced = 0
    for tok in doc:
        if tok.is_sent_start and tok.i > 0:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS and not tok.is_space:
            tok.is_sent_start = True
            forced += 1
            run = 0
        run += 1
        if tok.text in _SENTENCE_ENDS:
            run = 0  # the parser will likely end the sentence here itself
    if forced:
        doc.user_data[FORCED_BREAKS] = forced
    return doc


def add_components(nlp: Language) -> None:
    """Keep title abbreviations whole, start a sentence at each line break and after a run
    too long to be one (once)."""
    # spaCy keeps "Gen." whole but splits "Sgt" + ".": the parser then ends the sentence at
    # the full stop and the name after it is lost ("holding Sgt. Bergdahl" gave "Sgt").
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for title in TITLE_ABBREVIATIONS:
            tokenizer.add_special_case(title, [{ORTH: title}])
    if "factionmap_line_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("factionmap_line_breaks", before="parser")
    if "factionmap_sentence_cap" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("factionmap_sentence_cap", after="factionmap_line_breaks")
