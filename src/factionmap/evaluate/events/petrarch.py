"""PETRARCH unit-test records: share whose expected (source, target, CAMEO) codings we produce.

No learning. Verbs come from the PETRARCH verb dictionary the records name (``--cameo-verbs``
overrides it), coded by our rule coder. Actors and agents follow PETRARCH's dictionary
conventions as far as this reader goes:

- ``NAME_WORDS [CODE]``; ``+SYNONYM`` lines share their group's code; a code may sit on the
  lines below its names; date-restricted codes (``[HOB < 950601]``, ``[X 19950601 - 19990815]``,
  ``[X > 990816]``) are chosen by the sentence date;
- agents: ``[~GOV]`` is appended to the actor code, ``[NGO~]`` put before it; plurals are
  the ``{...}`` forms or the name plus S/ES; ``!SET! = A, B`` substitution sets are expanded;
- a phrase's code is its first actor (longest match) combined with its first agent; an
  agent with no actor gets PETRARCH's null actor ``---``;
- paired verb codes (``[032:033]``) also yield the reverse coding (target -> source);
- a verb with no coded target takes the first actor in the phrases after it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from factionmap.evaluate.events.common import GoldFileError
from factionmap.extract.events import EventCoder
from factionmap.extract.events.learned import NO_MODELS

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


def _subtree(tok: Token) -> list[Token]:
    return list(tok.doc[tok.left_edge.i : tok.right_edge.i + 1])


def _after_verb(head: Token, sources: list[Token]) -> list[list[Token]]:
    """Phrases after the trigger, nearest first: where PETRARCH looks for a target."""
    taken = {t.i for s in sources for t in _subtree(s)}
    out = []
    for child in head.children:
        if child.i > head.i and child.dep_ not in ("punct", "cc", "advmod", "neg", "aux"):
            phrase = [t for t in _subtree(child) if t.i not in taken]
            if phrase:
                out.append(phrase)
    return out


def _codes(tokens: list[Token], actors: Dictionary, agents: Dictionary, date: str) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        for code in phrase_codes(_subtree(tok), actors, agents, date):
            if code not in out:
                out.append(code)
    return out


def code_sentence(
    coder: EventCoder, doc: Doc, date: str, actors: Dictionary, agents: Dictionary
) -> set[tuple[str, str, str]]:
    """(source, target, CAMEO) codings of one parsed sentence, PETRARCH style."""
    predicted: set[tuple[str, str, str]] = set()
    for c in coder.codings(doc):
        # PETRARCH codes embedded acts too ("X signed a deal, officials said").
        if c.modality == "negated" or not c.cameo:
            continue
        srcs = _codes(c.sources, actors, agents, date)
        tgts = _codes(c.targets, actors, agents, date)
        if not tgts:
            for phrase in _after_verb(c.head, c.sources):
                tgts = phrase_codes(phrase, actors, agents, date)
                if tgts:
                    break
        if not tgts and len(srcs) > 1:
            tgts = list(srcs)  # "Gondor and Osgiliath renewed ties": with each other
        for src in srcs:
            for tgt in tgts:
                if src == tgt:
                    continue
                predicted.add((src, tgt, c.cameo))
                if c.entry.paired and c.cameo == c.entry.cameo:
                    predicted.add((tgt, src, c.entry.paired))
    return predicted


def evaluate_petrarch(
    path: str | Path,
    nlp: Language,
    cameo_verbs: list[Path] | None = None,
    dictionaries: Path | None = None,
) -> dict[str, Any]:
    env, records = read_records(path)
    folder = dictionaries or Path(path).parent.parent / "dictionaries"
    verbs = cameo_verbs or [folder / env.get("Verbfile", "")]
    for needed in [*verbs, folder / env.get("Actorfile", ""), folder / env.get("Agentfile", "")]:
        if not needed.is_file():
            raise GoldFileError(f"{path}: dictionary {needed} named by the records is missing")
    actors = read_dictionary(folder / env["Actorfile"])
    agents = read_dictionary(folder / env["Agentfile"], agents=True)
    coder = EventCoder(cameo_verbs=verbs, include_default=False, models=NO_MODELS)  # no learning
    exact = produced = expected = 0
    for rec, doc in zip(
        records, nlp.pipe([r["text"] for r in records], batch_size=64), strict=True
    ):
        predicted = code_sentence(coder, doc, rec["date"], actors, agents)
        gold = rec["codings"]
        exact += gold == predicted
        produced += len(gold & predicted)
        expected += len(gold)
    n = len(records)
    return {
        "file": str(path),
        "mode": "rules only (PETRARCH dictionaries; no learning)",
        "records": n,
        "records_exact": round(exact / n, 4) if n else 0.0,
        "codings_recall": round(produced / expected, 4) if expected else 0.0,
        "verb_files": [str(v) for v in verbs],
    }
