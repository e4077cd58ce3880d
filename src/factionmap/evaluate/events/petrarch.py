"""PETRARCH unit-test records: whether the pipeline's events agree with the expected
(source, target, CAMEO) codings, at the level of the CAMEO root (the first two digits).

Kept from PETRARCH's conventions: actors and agents are coded with the dictionaries the
records name, as far as this reader goes:

- ``NAME_WORDS [CODE]``; ``+SYNONYM`` lines share their group's code; a code may sit on the
  lines below its names; date-restricted codes (``[HOB < 950601]``, ``[X 19950601 - 19990815]``,
  ``[X > 990816]``) are chosen by the sentence date;
- agents: ``[~GOV]`` is appended to the actor code, ``[NGO~]`` put before it; plurals are
  the ``{...}`` forms or the name plus S/ES; ``!SET! = A, B`` substitution sets are expanded;
- a phrase's code is its first actor (longest match) combined with its first agent; an
  agent with no actor gets PETRARCH's null actor ``---``.

The phrase coded is the noun phrase around each source or target mention of an event (its
head noun with its modifiers, without clauses, appositions or conjuncts); an event with
several sources and no target is coded between its sources ("X and Y renewed ties").

Dropped with the rule coder: full 3- and 4-digit CAMEO codes (ours come from our event
lexicon, not PETRARCH's verb dictionary, so ``--cameo-verbs`` is gone), the reverse codings
of paired verb codes, and PETRARCH's rule that a verb without a coded target takes the first
actor after it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Token

from factionmap.evaluate.events.common import DONE, GoldFileError, strongest
from factionmap.evaluate.events.folds import Progress, default_plover, no_progress, score_events
from factionmap.records import Event

if TYPE_CHECKING:
    from factionmap.train.models import Sources

Words = tuple[str, ...]
_CODE = re.compile(r"\[([^\]]*)\]")
_PLURAL = re.compile(r"\{([^}]*)\}")
_SET = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
_RANGE = re.compile(r"^(\S*)\s*(?:(<|>)\s*(\d{6,8})|(\d{6,8})\s*-\s*(\d{6,8}))$")
MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class DatedCode:
    code: str
    start: str = ""  # yyyymmdd, "" open
    end: str = ""


@dataclass
class Dictionary:
    """Phrase (upper-case words) -> dated codes."""

    phrases: dict[Words, list[DatedCode]] = field(default_factory=dict)

    def code(self, words: Words, date: str) -> str | None:
        codes = self.phrases.get(words)
        if not codes:
            return None
        # A date-restricted code that holds beats the undated default.
        for c in sorted(codes, key=lambda c: not (c.start or c.end)):
            if (not c.start or c.start <= date) and (not c.end or date <= c.end):
                return c.code
        return None


def _full_date(raw: str) -> str:
    if len(raw) == 8:
        return raw
    return ("19" if int(raw[:2]) > 30 else "20") + raw


def _dated(raw: str) -> DatedCode | None:
    """One bracket's content: "ARN", "HOB < 950601", "HOBGOV 19950601 - 19990815"."""
    raw = raw.strip()
    match = _RANGE.match(raw)
    if match is None:
        code = raw.split()[0] if raw.split() else ""
        return DatedCode(code) if code else None
    code, op, when, lo, hi = match.groups()
    if op == "<":
        return DatedCode(code, end=_full_date(when))
    if op == ">":
        return DatedCode(code, start=_full_date(when))
    return DatedCode(code, start=_full_date(lo), end=_full_date(hi))


def _words(name: str) -> Words:
    return tuple(w for w in re.split(r"[\s_]+", name.strip().upper()) if w)


def read_dictionary(path: str | Path, *, agents: bool = False) -> Dictionary:
    """A PETRARCH actor or agent dictionary (see the module docstring for what is read)."""
    p = Path(path)
    try:
        lines = p.read_text("utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise GoldFileError(f"{p}: cannot read dictionary: {exc}") from exc
    out = Dictionary()
    sets: dict[str, list[str]] = {}
    group: list[Words] = []
    codes: list[DatedCode] = []

    def commit() -> None:
        for words in group:
            if codes:
                out.phrases.setdefault(words, []).extend(codes)

    for raw in lines:
        line = re.sub(r"#.*$", "", raw).strip()
        if not line or line.startswith(("<", "-->")):
            continue
        set_def = _SET.match(line)
        if set_def:
            sets[set_def.group(1)] = [w.strip() for w in set_def.group(2).split(",") if w.strip()]
            continue
        found = [d for d in (_dated(m) for m in _CODE.findall(line)) if d is not None]
        name = _PLURAL.sub(" ", _CODE.sub(" ", line)).strip()
        plurals = [w for m in _PLURAL.findall(line) for w in m.split(",") if w.strip()]
        if line.startswith("["):
            codes.extend(found)  # codes for the names above
            continue
        if not line.startswith("+"):
            commit()
            group, codes = [], []
        name = name.lstrip("+").strip()
        names = [name]
        for key, members in sets.items():
            if key in name:
                names = [name.replace(key, m) for m in members]
        for n in names:
            words = _words(n)
            if not words:
                continue
            group.append(words)
            if agents:
                group.extend(words[:-1] + (words[-1] + s,) for s in ("S", "ES"))
        group.extend(_words(pl) for pl in plurals if _words(pl))
        if found:
            if line.startswith("+"):
                # A synonym with its own code is its own entry.
                for words in group[-1:]:
                    out.phrases.setdefault(words, []).extend(found)
            else:
                codes.extend(found)
    commit()
    return out


def read_records(path: str | Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except (OSError, ET.ParseError) as exc:
        raise GoldFileError(f"{p}: cannot parse records XML: {exc}") from exc
    env = {child.tag: (child.text or "").strip() for child in root.find("Environment") or []}
    records = []
    for sent in root.iter("Sentence"):
        text = " ".join((sent.findtext("Text") or "").split())
        codings = {
            (c.get("sourcecode", ""), c.get("targetcode", ""), c.get("eventcode", ""))
            for c in sent.findall("EventCoding")
            if c.get("eventcode")
        }
        if text:
            date = _full_date(sent.get("date", "19950101")[-8:])
            records.append({"id": sent.get("id"), "text": text, "codings": codings, "date": date})
    return env, records


def _matches(words: list[str], book: Dictionary, date: str) -> list[tuple[int, int, str]]:
    """Non-overlapping longest matches, left to right: (start, end, code)."""
    out = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            code = book.code(tuple(words[i : i + n]), date)
            if code is not None:
                out.append((i, i + n, code))
                i += n
                break
        else:
            i += 1
    return out


def _first_match(words: list[str], book: Dictionary, date: str) -> str | None:
    found = _matches(words, book, date)
    return found[0][2] if found else None


def _usable(code: str | None) -> str | None:
    if not code or set(code) <= set("-+#") or code.startswith("---"):
        return None
    return code


def phrase_code(
    tokens: list[Token], actors: Dictionary, agents: Dictionary, date: str
) -> str | None:
    """The PETRARCH code of a phrase: first actor, combined with its first agent."""
    words, _ = _words_of(tokens)
    actor = _usable(_first_match(words, actors, date))
    agent = _usable(_first_match(words, agents, date))
    if agent is None:
        return actor
    agent = agent.replace(" ", "")
    if agent.endswith("~"):
        return agent[:-1] + (actor or "---")
    agent = agent.lstrip("~")
    if actor is None:
        return "---" + agent  # PETRARCH's null actor: "officials said"
    if actor and actor.endswith(agent):
        return actor  # "White House security officials": the actor already says GOV
    return (actor or "") + agent


def _words_of(tokens: list[Token]) -> tuple[list[str], list[Token]]:
    kept = [t for t in tokens if not t.is_punct or t.text == "-"]
    return [t.text.upper() for t in kept], kept


def phrase_codes(
    tokens: list[Token], actors: Dictionary, agents: Dictionary, date: str
) -> list[str]:
    """Codes of a phrase, one per coordinated actor ("Gondor and Arnor" gives two)."""
    first = phrase_code(tokens, actors, agents, date)
    if first is None:
        return []
    words, kept = _words_of(tokens)
    found = [m for m in _matches(words, actors, date) if _usable(m[2])]
    if len(found) < 2:
        return [first]
    heads = [_span_root(kept[a:b]) for a, b, _ in found]
    linked = set(heads[0].conjuncts) | {heads[0]}
    codes = [first]
    for head, (_, _, code) in zip(heads[1:], found[1:], strict=True):
        if head in linked and code not in codes:
            codes.append(code)
    return codes


def _span_root(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[-1])


def _phrase(head: Token) -> list[Token]:
    """The noun phrase of a head word, without its clauses, appositions and conjuncts."""
    while head.dep_ in ("compound", "amod", "nmod", "poss") and head.head.i != head.i:
        head = head.head
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in _NOT_PHRASE:
            skip.update(t.i for t in child.subtree)
    return [t for t in head.subtree if t.i not in skip]


_NOT_PHRASE = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl"})


def event_codes(doc: Doc, spans: Sequence[Any], actors: Dictionary, agents: Dictionary,
                date: str) -> list[str]:
    out: list[str] = []
    for span in spans:
        toks = doc.char_span(span.start, span.end, alignment_mode="expand")
        if toks is None:
            continue
        for code in phrase_codes(_phrase(toks.root), actors, agents, date):
            if code not in out:
                out.append(code)
    return out


def code_sentence(doc: Doc, events: Sequence[Event], date: str, actors: Dictionary,
                  agents: Dictionary) -> set[tuple[str, str, str]]:
    """(source, target, CAMEO root) codings of the events of one sentence that happened."""
    predicted: set[tuple[str, str, str]] = set()
    for e in events:
        if e.modality not in DONE or not e.cameo:
            continue
        srcs = event_codes(doc, e.sources, actors, agents, date)
        tgts = event_codes(doc, e.targets, actors, agents, date)
        if not tgts and len(srcs) > 1:
            tgts = list(srcs)  # "Gondor and Osgiliath renewed ties": with each other
        for src in srcs:
            for tgt in tgts:
                if src != tgt:
                    predicted.add((src, tgt, e.cameo[:2]))
    return predicted


def roots(codings: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {(s, t, code[:2]) for s, t, code in codings}


def score(records: Sequence[dict[str, Any]], predicted: Sequence[set[tuple[str, str, str]]],
          summing_up: Sequence[Event | None]) -> dict[str, Any]:
    """Agreement at the CAMEO root: of the summing-up event with the expected codings, of
    records without any expected coding with no event, and of the coding sets."""
    root_ok = root_n = quiet_ok = quiet_n = exact = produced = expected = made = 0
    for rec, pred, top in zip(records, predicted, summing_up, strict=True):
        gold = roots(rec["codings"])
        if gold:
            root_n += 1
            root_ok += top is not None and top.cameo[:2] in {c for _, _, c in gold}
        else:
            quiet_n += 1
            quiet_ok += top is None
        exact += gold == pred
        produced += len(gold & pred)
        expected += len(gold)
        made += len(pred)
    n = len(records)
    return {
        "records": n,
        "records_with_codings": root_n,
        "root_agreement": round(root_ok / root_n, 4) if root_n else 0.0,
        "records_without_codings": quiet_n,
        "no_event_agreement": round(quiet_ok / quiet_n, 4) if quiet_n else 0.0,
        "records_exact_root": round(exact / n, 4) if n else 0.0,
        "codings_recall_root": round(produced / expected, 4) if expected else 0.0,
        "codings_precision_root": round(produced / made, 4) if made else 0.0,
    }


def evaluate_petrarch(path: str | Path, *, folds: int = 5, models: Path | None = None,
                      encoder: str | None = None, dictionaries: Path | None = None,
                      plover: Path | None = None,
                      training: Sources | None = None,
                      progress: Progress = no_progress) -> dict[str, Any]:
    from factionmap.nlp import load_pipeline

    env, records = read_records(path)
    folder = dictionaries or Path(path).parent.parent / "dictionaries"
    for key in ("Actorfile", "Agentfile"):
        if not env.get(key):
            raise GoldFileError(f"{path}: <Environment> names no <{key}>")
        if not (folder / env[key]).is_file():
            raise GoldFileError(f"{path}: dictionary {folder / env[key]} named by the records "
                                "is missing")
    actors = read_dictionary(folder / env["Actorfile"])
    agents = read_dictionary(folder / env["Agentfile"], agents=True)
    if plover is None and default_plover().is_file():
        plover = default_plover()
    texts = [r["text"] for r in records]
    scored = score_events(texts, path, folds=folds, models=models, encoder=encoder,
                          plover=plover, training=training, progress=progress)
    # The same tokens and parse as the pipeline's (spaCy's model with our settings), for
    # the phrases around each mention.
    docs = list(load_pipeline().pipe(texts, batch_size=64))
    predicted = [code_sentence(doc, evs, rec["date"], actors, agents)
                 for doc, evs, rec in zip(docs, scored.events, records, strict=True)]
    result: dict[str, Any] = {"file": str(path), **scored.how,
                              "dictionaries": [str(folder / env["Actorfile"]),
                                               str(folder / env["Agentfile"])]}
    result.update(score(records, predicted, [strongest(evs) for evs in scored.events]))
    return result
