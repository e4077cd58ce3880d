"""Read the re3d gold layout: DIR/<source>/{documents,entities,relations}.json (mongoexport lines).

Only gold rows the protocol scores are kept: confidence >= 0.5, entity types we extract, relation
types mapped onto our relation vocabulary (``Apart`` is dropped).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factionmap.records import ENTITY_LABELS, SYMMETRIC_RELATIONS

MIN_CONFIDENCE = 0.5

# re3d relation type -> our relation type. InChargeOf is scored as ``leads``; a predicted
# ``controls`` also counts as ``leads`` (see scoring.PREDICTED_TYPE_ALIASES).
RELATION_MAP: dict[str, str] = {
    "BelongsTo": "member_of",
    "InChargeOf": "leads",
    "IsSynonymOf": "same_as",
    "Likes": "supports",
    "Dislikes": "opposes",
    "FightingAgainst": "fighting_against",
    "AlliesOf": "allied_with",
    "CommWith": "communicated_with",
    "CoLocated": "located_in",
    "HasAttrOf": "has_attribute",
}
IGNORED_RELATIONS = frozenset({"Apart"})


class Re3dFormatError(ValueError):
    """A re3d file that cannot be read; the message names the file and row."""


@dataclass(frozen=True, slots=True)
class GoldEntity:
    doc_id: str
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class GoldRelation:
    doc_id: str
    type: str  # our relation type
    subject_start: int
    subject_end: int
    object_start: int
    object_end: int


@dataclass(frozen=True, slots=True)
class Re3dDocument:
    id: str
    text: str
    title: str | None
    source: str


@dataclass(slots=True)
class Re3dSource:
    """One source folder: its documents and the gold rows that the protocol scores."""

    name: str
    documents: list[Re3dDocument] = field(default_factory=list)
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)


def read_corpus(root: Path) -> list[Re3dSource]:
    """Every source folder under ``root`` (sorted by name)."""
    if not root.is_dir():
        raise Re3dFormatError(f"{root}: not a directory")
    folders = sorted(p for p in root.iterdir() if (p / "documents.json").is_file())
    if not folders:
        raise Re3dFormatError(f"{root}: no <source>/documents.json folders")
    return [read_source(p) for p in folders]


def read_source(folder: Path) -> Re3dSource:
    source = Re3dSource(name=folder.name)
    texts: dict[str, str] = {}
    for row, obj in _rows(folder / "documents.json"):
        doc_id = _field(obj, "_id", str, folder / "documents.json", row)
        text = _field(obj, "text", str, folder / "documents.json", row)
        title = obj.get("title")
        source.documents.append(
            Re3dDocument(doc_id, text, title if isinstance(title, str) else None, folder.name)
        )
        texts[doc_id] = text
    source.entities = _entities(folder / "entities.json", texts)
    source.relations = _relations(folder / "relations.json", texts)
    return source


def _entities(path: Path, texts: dict[str, str]) -> list[GoldEntity]:
    out: set[GoldEntity] = set()
    for row, obj in _rows(path):
        if _confidence(obj, path, row) < MIN_CONFIDENCE:
            continue
        label = _field(obj, "type", str, path, row)
        if label not in ENTITY_LABELS:
            continue
        doc_id = _field(obj, "documentId", str, path, row)
        start, end = _offsets(obj, "begin", "end", texts, doc_id, path, row)
        out.add(GoldEntity(doc_id, start, end, label, texts[doc_id][start:end]))
    return sorted(out, key=lambda e: (e.doc_id, e.start, e.end, e.label))


def _relations(path: Path, texts: dict[str, str]) -> list[GoldRelation]:
    out: set[GoldRelation] = set()
    for row, obj in _rows(path):
        if _confidence(obj, path, row) < MIN_CONFIDENCE:
            continue
        re3d_type = _field(obj, "type", str, path, row)
        if re3d_type in IGNORED_RELATIONS:
            continue
        if re3d_type not in RELATION_MAP:
            raise Re3dFormatError(f"{path}:{row}: unknown relation type {re3d_type!r}")
        doc_id = _field(obj, "documentId", str, path, row)
        s = _offsets(obj, "sourceBegin", "sourceEnd", texts, doc_id, path, row)
        o = _offsets(obj, "targetBegin", "targetEnd", texts, doc_id, path, row)
        rel_type = RELATION_MAP[re3d_type]
        # Annotators often mark symmetric facts in both directions; that is one fact, not two.
        if rel_type in SYMMETRIC_RELATIONS and o < s:
            s, o = o, s
        out.add(GoldRelation(doc_id, rel_type, s[0], s[1], o[0], o[1]))
    return sorted(out, key=lambda r: (r.doc_id, r.subject_start, r.object_start, r.type))


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise Re3dFormatError(f"{path}: missing")
    rows: list[tuple[int, dict[str, Any]]] = []
    with path.open(encoding="utf-8") as fh:
        for row, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise Re3dFormatError(f"{path}:{row}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise Re3dFormatError(f"{path}:{row}: expected a JSON object")
            rows.append((row, obj))
    return rows


def _field(obj: dict[str, Any], name: str, kind: type, path: Path, row: int) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Re3dFormatError(f"{path}:{row}: field {name!r} missing or not {kind.__name__}")
    return value


def _confidence(obj: dict[str, Any], path: Path, row: int) -> float:
    value = obj.get("confidence")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise Re3dFormatError(f"{path}:{row}: field 'confidence' missing or not a number")
    return float(value)


def _offsets(
    obj: dict[str, Any],
    begin: str,
    end: str,
    texts: dict[str, str],
    doc_id: str,
    path: Path,
    row: int,
) -> tuple[int, int]:
    if doc_id not in texts:
        raise Re3dFormatError(f"{path}:{row}: documentId {doc_id!r} not in documents.json")
    start = _field(obj, begin, int, path, row)
    stop = _field(obj, end, int, path, row)
    if not 0 <= start < stop <= len(texts[doc_id]):
        raise Re3dFormatError(f"{path}:{row}: offsets {start}-{stop} outside the document text")
    return start, stop
