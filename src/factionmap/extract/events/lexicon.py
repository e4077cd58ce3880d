"""The event-word lexicon: lemma or phrase -> PLOVER type, CAMEO code, mode, context.

Our default lexicon is ``data/events.tsv``; users add or override entries with
their own TSV files (same columns) and with PETRARCH-format verb dictionaries.
Entries are indexed by their first lemma so coding only looks at words that hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from factionmap.extract.events import cameo
from factionmap.records import PLOVER_TYPES, PloverType

POS_FILTERS = ("V", "N", "*")


class LexiconError(ValueError):
    """A lexicon or verb-dictionary file that cannot be read; names file, line and reason."""


@dataclass(frozen=True, slots=True)
class LexEntry:
    lemmas: tuple[str, ...]
    plover: PloverType | None  # None: a CAMEO code with no PLOVER type (01 statements)
    cameo: str
    mode: str | None = None
    context: str | None = None
    pos: str = "*"  # "V" verbs only, "N" nouns only, "*" both
    origin: str = "default"
    # PETRARCH patterns: (words that must follow the verb, CAMEO code)
    patterns: tuple[tuple[tuple[str, ...], str], ...] = ()
    # PETRARCH paired code ("032:033"): the second act, done by the target to the source.
    paired: str = ""


@dataclass
class Lexicon:
    """Entries indexed by first lemma; a later entry for the same phrase and pos wins."""

    _index: dict[str, dict[tuple[tuple[str, ...], str], LexEntry]] = field(default_factory=dict)

    def add(self, entry: LexEntry) -> None:
        self._index.setdefault(entry.lemmas[0], {})[(entry.lemmas, entry.pos)] = entry

    def extend(self, entries: Iterable[LexEntry]) -> None:
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def candidates(self, first_lemma: str) -> list[LexEntry]:
        """Entries starting with this lemma, longest phrase first."""
        found = self._index.get(first_lemma)
        if not found:
            return []
        return sorted(found.values(), key=lambda e: -len(e.lemmas))

    def __contains__(self, lemma: str) -> bool:
        return lemma in self._index

    def first_words(self) -> Iterator[str]:
        """Every word an entry can start with (the index keys)."""
        return iter(self._index)


def _opt(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-") else value


def parse_lexicon_text(text: str, origin: str) -> list[LexEntry]:
    entries: list[LexEntry] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3:
            raise LexiconError(
                f"{origin}:{lineno}: expected at least 3 tab-separated columns "
                f"(phrase, PLOVER type, CAMEO code), got {len(cols)}"
            )
        cols += ["-"] * (6 - len(cols))
        phrase, ptype, code, mode, context, pos = (c.strip() for c in cols[:6])
        if ptype not in PLOVER_TYPES:
            raise LexiconError(f"{origin}:{lineno}: unknown PLOVER type {ptype!r}")
        if not re.fullmatch(r"\d{2,4}", code):
            raise LexiconError(f"{origin}:{lineno}: CAMEO code must be 2-4 digits, got {code!r}")
        pos = pos if pos not in ("", "-") else "*"
        if pos not in POS_FILTERS:
            raise LexiconError(f"{origin}:{lineno}: pos must be V, N or *, got {pos!r}")
        lemmas = tuple(phrase.lower().split())
        if not lemmas:
            raise LexiconError(f"{origin}:{lineno}: empty phrase")
        entries.append(LexEntry(lemmas, ptype, code, _opt(mode), _opt(context), pos, origin))  # type: ignore[arg-type]
    return entries


def load_lexicon(paths: Iterable[str | Path] = (), *, include_default: bool = True) -> Lexicon:
    """The default lexicon plus user TSV files (later files override earlier entries)."""
    lexicon = Lexicon()
    if include_default:
        text = (
            resources.files("factionmap.extract.events")
            .joinpath("data/events.tsv")
            .read_text("utf-8")
        )
        lexicon.extend(parse_lexicon_text(text, "events.tsv"))
    for path in paths:
        p = Path(path)
        try:
            text = p.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LexiconError(f"{p}: cannot read lexicon file: {exc}") from exc
        lexicon.extend(parse_lexicon_text(text, str(p)))
    return lexicon


# --- PETRARCH verb dictionaries -------------------------------------------------

_HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s*---")
_CODE = re.compile(r"\[([^\]]+)\]")


def _first_code(raw: str) -> str | None:
    """ "042:043" -> "042"; "---" -> None; keeps codes like "075A" out (not CAMEO)."""
    code = raw.strip().split(":")[0].strip()
    return code if re.fullmatch(r"\d{2,4}", code) else None


def _pattern_words(pattern: str) -> tuple[str, ...]:
    """Plain words that follow the verb marker ``*`` in a PETRARCH pattern."""
    _, _, after = pattern.partition("*")
    words = []
    for raw in re.split(
        r"[\s_]+", after.replace("(", " ").replace(")", " ").replace("{", " ").replace("}", " ")
    ):
        if not raw or raw[0] in "&$%+^#=" or not raw[0].isalpha():
            continue
        words.append(raw.lower())
    return tuple(words)


def _paired_code(raw: str) -> str:
    """ "032:033" -> "033" (the reverse act); "" when there is none."""
    parts = raw.strip().split(":")
    return parts[1].strip() if len(parts) > 1 and re.fullmatch(r"\d{2,4}", parts[1].strip()) else ""


def _entry(
    lemmas: tuple[str, ...],
    code: str | None,
    patterns: list[tuple[tuple[str, ...], str]],
    origin: str,
    paired: str = "",
) -> LexEntry | None:
    if code is None and not patterns:
        return None
    info = cameo.lookup(code) if code else None
    return LexEntry(
        lemmas,
        info.plover if info else None,
        code or "",
        info.mode if info else None,
        info.context if info else None,
        "V",
        origin,
        tuple(patterns),
        paired if code else "",
    )


def load_petrarch_verbs(path: str | Path) -> list[LexEntry]:
    """Verb entries from a PETRARCH verb dictionary (``--- VERB [code] ---`` blocks).

    Each verb line of a block becomes an entry with the block's code; ``- * WORDS [code]``
    patterns are kept with the plain words that must follow the verb.
    """
    p = Path(path)
    try:
        text = p.read_text("utf-8", errors="replace")
    except OSError as exc:
        raise LexiconError(f"{p}: cannot read PETRARCH verb file: {exc}") from exc
    entries: list[LexEntry] = []
    block_code: str | None = None
    block_paired = ""
    verbs: list[tuple[str, ...]] = []
    patterns: list[tuple[tuple[str, ...], str]] = []
    in_block = False

    def flush() -> None:
        for lemmas in verbs:
            entry = _entry(lemmas, block_code, patterns, str(p), block_paired)
            if entry is not None:
                entries.append(entry)

    for lineno, line in enumerate(text.splitlines(), 1):
        # "#" starts a comment, except inside a code bracket such as "[###]".
        stripped = re.sub(r"#[^\]]*$", "", line).strip() if "#" in line else line.strip()
        header = _HEADER.match(stripped)
        if header:
            flush()
            in_block, verbs, patterns = True, [], []
            block_code = _first_code(header.group(2))
            block_paired = _paired_code(header.group(2))
            continue
        if not stripped or stripped.startswith("<"):
            continue
        if stripped.startswith("&"):
            in_block = False  # a synonym set starts; the verb block is over
            continue
        if not in_block:
            continue  # "+WORD" members of a synonym set
        stripped = stripped.lstrip("+")
        if stripped.startswith("-"):
            match = _CODE.search(stripped)
            if match is None:
                raise LexiconError(f"{p}:{lineno}: pattern without [code]")
            code = _first_code(match.group(1))
            words = _pattern_words(stripped[: match.start()])
            if code and words:
                patterns.append((words, code))
            continue
        word = stripped.split("{", 1)[0].split()[0] if stripped.split() else ""
        if word and word[0].isalpha():
            own = _CODE.search(stripped)  # a verb line may carry its own code
            lemmas = tuple(w.lower() for w in word.split("_") if w)
            if own and _first_code(own.group(1)):
                code = own.group(1)
                entry = _entry(lemmas, _first_code(code), [], str(p), _paired_code(code))
                if entry is not None:
                    entries.append(entry)
            else:
                verbs.append(lemmas)
    flush()
    return entries
