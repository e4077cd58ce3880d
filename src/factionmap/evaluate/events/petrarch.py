"""PETRARCH unit-test records: share whose expected (source, target, CAMEO) codings we produce.

Actor and agent dictionaries named by the records file are read minimally here
(phrase -> code); verbs come from ``--cameo-verbs`` PETRARCH verb dictionaries.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Token

from factionmap.evaluate.events.common import GoldFileError
from factionmap.extract.events import EventCoder
from factionmap.extract.events.learned import NO_MODELS

Phrases = dict[tuple[str, ...], str]
_ENTRY = re.compile(r"^([^\[\]{}#<]+?)\s*(?:\{[^}]*\})?\s*\[~?([A-Z0-9]+)")


def read_petrarch_phrases(path: str | Path) -> Phrases:
    """ "NAME_WORDS [CODE]" lines of a PETRARCH actor or agent dictionary."""
    p = Path(path)
    try:
        lines = p.read_text("utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise GoldFileError(f"{p}: cannot read dictionary: {exc}") from exc
    out: Phrases = {}
    for line in lines:
        line = line.strip().lstrip("+")
        if not line or line[0] in "#<!":
            continue
        match = _ENTRY.match(line)
        if match:
            words = tuple(w for w in re.split(r"[\s_]+", match.group(1).upper()) if w)
            if words:
                out.setdefault(words, match.group(2))
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
            records.append({"id": sent.get("id"), "text": text, "codings": codings})
    return env, records


def _longest(words: list[str], phrases: Phrases) -> str | None:
    best: tuple[int, str] | None = None
    for i in range(len(words)):
        for n in range(min(6, len(words) - i), 0, -1):
            code = phrases.get(tuple(words[i : i + n]))
            if code is not None:
                if best is None or n > best[0]:
                    best = (n, code)
                break
    return best[1] if best else None


def actor_code(tok: Token, actors: Phrases, agents: Phrases) -> str | None:
    words = [t.text.upper() for t in tok.doc[tok.left_edge.i : tok.i + 1]]
    actor = _longest(words, actors)
    agent = _longest(words, agents)
    if actor and agent:
        return actor + agent
    return actor or agent


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
    actors = read_petrarch_phrases(folder / env["Actorfile"])
    agents = read_petrarch_phrases(folder / env["Agentfile"])
    coder = EventCoder(cameo_verbs=verbs, include_default=False, models=NO_MODELS)  # no learning
    exact = produced = expected = 0
    for rec, doc in zip(
        records, nlp.pipe([r["text"] for r in records], batch_size=64), strict=True
    ):
        predicted = set()
        for c in coder.codings(doc):
            if c.dropped or c.modality == "negated":
                continue
            for s in c.sources or []:
                for t in c.targets or []:
                    src, tgt = actor_code(s, actors, agents), actor_code(t, actors, agents)
                    if src and tgt:
                        predicted.add((src, tgt, c.cameo))
        gold = rec["codings"]
        exact += gold == predicted
        produced += len(gold & predicted)
        expected += len(gold)
    n = len(records)
    return {
        "file": str(path),
        "records": n,
        "records_exact": round(exact / n, 4) if n else 0.0,
        "codings_recall": round(produced / expected, 4) if expected else 0.0,
        "verb_files": [str(v) for v in verbs],
    }
