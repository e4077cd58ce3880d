"""Score a set of predictions (a pipeline's, or a second annotator's) against the gold.

Predictions are plain spans; each predicted span is read as the gold mention it overlaps
most in its sentence (so its cluster, "ref", is known) or as nothing. Relations are scored
per sentence on (type, subject ref, object ref) and per article on the same triple without
the sentence (the map an analyst sees); events on trigger overlap in one sentence, then type,
doers, targets and all of them together. Only aggregate figures leave this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from factionmap.evaluate.newsgold.loader import GoldArticle, relation_key
from factionmap.evaluate.newsgold.schema import EXHAUSTIVE_FORMS, GoldEntity

MICRO, MACRO = "micro", "macro"
# Ties between actors (what the map draws); same_as, located_in and has_attribute are not.
ACTOR_TIES = frozenset({
    "member_of", "leads", "role", "allied_with", "supports", "opposes", "fighting_against",
    "communicated_with", "backed_by", "controls", "split_from", "merged_with",
})
DONE = frozenset({"asserted", "attributed", "hedged"})  # modalities of facts that hold

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class PredEntity:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class PredRelation:
    type: str
    subject: Offsets
    object: Offsets
    modality: str = "asserted"
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class PredEvent:
    trigger: Offsets
    type: str
    sources: tuple[Offsets, ...] = ()
    targets: tuple[Offsets, ...] = ()
    modality: str = "asserted"


@dataclass(slots=True)
class Prediction:
    article: str
    entities: list[PredEntity] = field(default_factory=list)
    relations: list[PredRelation] = field(default_factory=list)
    events: list[PredEvent] = field(default_factory=list)


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


Table = dict[str, Counts]


def _sets(table: Table, key: str, gold: set, pred: set) -> None:  # type: ignore[type-arg]
    c = table.setdefault(key, Counts())
    c.tp += len(gold & pred)
    c.fp += len(pred - gold)
    c.fn += len(gold - pred)


def with_totals(table: Table, subset: Iterable[str] | None = None) -> Table:
    keys = [k for k in table if k not in (MICRO, MACRO)]
    if subset is not None:
        keys = [k for k in keys if k in set(subset)]
    micro = Counts()
    for k in keys:
        micro.add(table[k])
    out = {k: table[k] for k in sorted(keys)}
    out[MICRO] = micro
    return out


def macro_f1(table: Table) -> float:
    scores = [c.f1 for k, c in table.items() if k not in (MICRO, MACRO) and c.tp + c.fn > 0]
    return sum(scores) / len(scores) if scores else 0.0


class _Reader:
    """Reads predicted spans as gold mentions of one article."""

    def __init__(self, article: GoldArticle) -> None:
        self.article = article
        self.by_sentence: dict[int, list[GoldEntity]] = defaultdict(list)
        for e in article.gold.entities:
            self.by_sentence[article.sentence_of(e.start)].append(e)

    def sentence(self, span: Offsets) -> int:
        return self.article.sentence_of(span[0])

    def mention(self, span: Offsets) -> GoldEntity | None:
        best, best_overlap = None, 0
        for e in self.by_sentence.get(self.sentence(span), ()):
            overlap = min(e.end, span[1]) - max(e.start, span[0])
            if overlap > best_overlap:
                best, best_overlap = e, overlap
        return best

    def ref(self, span: Offsets) -> str | None:
        m = self.mention(span)
        return m.ref if m else None


def _greedy(gold: Sequence[Offsets], pred: Sequence[Offsets]) -> list[tuple[int, int]]:
    """One-to-one matching of overlapping spans, largest overlap first."""
    cands = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            overlap = min(g[1], p[1]) - max(g[0], p[0])
            if overlap > 0:
                cands.append((-overlap, i, j))
    used_g, used_p, out = set(), set(), []
    for _, i, j in sorted(cands):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


@dataclass
class Scores:
    entities_exact: Table = field(default_factory=dict)
    entities_overlap: Table = field(default_factory=dict)
    relations: Table = field(default_factory=dict)  # per sentence
    relations_article: Table = field(default_factory=dict)
    events: dict[str, Counts] = field(default_factory=dict)
    event_types: Table = field(default_factory=dict)
    type_matches: Counter[str] = field(default_factory=Counter)
    modality: Counter[str] = field(default_factory=Counter)
    # (confidence, whether right) of each predicted relation fact, for calibration
    confidences: list[tuple[float, bool]] = field(default_factory=list)
    documents: int = 0

    def calibration(self, bins: int = 10) -> dict[str, object]:
        """Expected calibration error of relation confidences, and the reliability table."""
        rows = []
        total, ece = len(self.confidences), 0.0
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            inside = [ok for c, ok in self.confidences
                      if lo <= c < hi or (b == bins - 1 and c == 1.0)]
            if not inside:
                continue
            mean_conf = sum(c for c, _ok in self.confidences
                            if lo <= c < hi or (b == bins - 1 and c == 1.0)) / len(inside)
            accuracy = sum(inside) / len(inside)
            ece += len(inside) / total * abs(accuracy - mean_conf)
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside),
                         "confidence": round(mean_conf, 3), "accuracy": round(accuracy, 3)})
        return {"ece": round(ece, 4), "n": total, "bins": rows}

    def to_dict(self) -> dict[str, object]:
        def table(t: Table, subset: Iterable[str] | None = None) -> dict[str, object]:
            full = with_totals(t, subset)
            out: dict[str, object] = {k: c.to_dict() for k, c in full.items()}
            out[MACRO] = round(macro_f1(full), 4)
            return out

        typed = self.type_matches
        return {
            "documents": self.documents,
            "entities_exact": table(self.entities_exact),
            "entities_overlap": table(self.entities_overlap),
            "relations": table(self.relations),
            "relations_actor_ties": table(self.relations, ACTOR_TIES),
            "relations_article": table(self.relations_article),
            "relations_article_actor_ties": table(self.relations_article, ACTOR_TIES),
            "events": {k: c.to_dict() for k, c in self.events.items()},
            "event_types": table(self.event_types),
            "event_type_accuracy": round(typed["same"] / typed["matched"], 4)
            if typed["matched"] else 0.0,
            "modality_accuracy": {
                layer: round(self.modality[f"{layer}_same"] / self.modality[layer], 4)
                if self.modality[layer] else 0.0
                for layer in ("relations", "events")
            },
            "modality_matched": {layer: self.modality[layer] for layer in ("relations", "events")},
            "relation_calibration": self.calibration(),
        }


def score(gold: Sequence[GoldArticle], predictions: dict[str, Prediction]) -> Scores:
    out = Scores()
    for article in gold:
        pred = predictions.get(article.gold.article, Prediction(article.gold.article))
        _score_article(out, article, pred)
        out.documents += 1
    return out


def _score_article(out: Scores, article: GoldArticle, pred: Prediction) -> None:
    reader = _Reader(article)
    doc = article.gold
    ents = {e.id: e for e in doc.entities}
    _score_entities(out, doc.entities, pred.entities)
    _score_relations(out, article, reader, ents, pred)
    _score_events(out, article, reader, ents, pred)


def _score_entities(out: Scores, gold_entities: Sequence[GoldEntity],
                    predicted: Sequence[PredEntity]) -> None:
    named = [e for e in gold_entities if e.form in EXHAUSTIVE_FORMS]
    unnamed = [e for e in gold_entities if e.form not in EXHAUSTIVE_FORMS]
    # A prediction on an unnamed gold mention (not exhaustively annotated) is not counted.
    preds = [p for p in predicted
             if not any(min(u.end, p.end) > max(u.start, p.start) for u in unnamed)
             or any(min(n.end, p.end) > max(n.start, p.start) for n in named)]
    labels = {e.label for e in named} | {p.label for p in preds}
    for label in labels:
        g = [(e.start, e.end) for e in named if e.label == label]
        p = [(x.start, x.end) for x in preds if x.label == label]
        _sets(out.entities_exact, label, set(g), set(p))
        matched = len(_greedy(g, p))
        c = out.entities_overlap.setdefault(label, Counts())
        c.tp += matched
        c.fp += len(p) - matched
        c.fn += len(g) - matched


def _score_relations(out: Scores, article: GoldArticle, reader: _Reader,
                     ents: dict[str, GoldEntity], pred: Prediction) -> None:
    gold_s: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    gold_a: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    gold_mod: dict[tuple[object, ...], str] = {}
    for r in article.gold.relations:
        s = article.sentence_of(ents[r.subject].start)
        key = relation_key(r.type, ents[r.subject].ref, ents[r.object].ref)
        gold_mod[(s, *key)] = r.modality
        if r.modality in DONE:
            gold_s[r.type].add((s, *key))
            gold_a[r.type].add(key)
    pred_s: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    pred_a: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    pred_mod: dict[tuple[object, ...], str] = {}
    confidence: dict[tuple[object, ...], float] = {}
    ckey: tuple[object, ...]
    for pr in pred.relations:
        s = reader.sentence(pr.subject)
        sref, oref = reader.ref(pr.subject), reader.ref(pr.object)
        # Unread spans stay distinct from every gold ref (and from each other).
        pkey = relation_key(pr.type, sref or f"?{pr.subject}", oref or f"?{pr.object}")
        pred_mod.setdefault((s, *pkey), pr.modality)
        if pr.modality in DONE:
            pred_s[pr.type].add((s, *pkey))
            pred_a[pr.type].add(pkey)
            if pr.confidence is not None:
                ckey = (s, *pkey)
                confidence[ckey] = max(confidence.get(ckey, 0.0), pr.confidence)
    for t in set(gold_s) | set(pred_s):
        _sets(out.relations, t, gold_s[t], pred_s[t])
    for t in set(gold_a) | set(pred_a):
        _sets(out.relations_article, t, gold_a[t], pred_a[t])
    for fact, conf in confidence.items():
        out.confidences.append((conf, fact in gold_s[str(fact[1])]))
    for mkey, modality in gold_mod.items():
        if mkey in pred_mod:
            out.modality["relations"] += 1
            out.modality["relations_same"] += pred_mod[mkey] == modality


def _score_events(out: Scores, article: GoldArticle, reader: _Reader,
                  ents: dict[str, GoldEntity], pred: Prediction) -> None:
    gold = list(article.gold.events)
    counts = out.events
    for name in ("detection", "typed", "sources", "targets", "full"):
        counts.setdefault(name, Counts())
    g_spans = [(e.trigger.start, e.trigger.end) for e in gold]
    p_spans = [e.trigger for e in pred.events]
    # Same sentence only: overlapping triggers are always in one sentence.
    pairs = _greedy(g_spans, p_spans)
    # Modality over every gold event a prediction found, denials included.
    for i, j in pairs:
        out.modality["events"] += 1
        out.modality["events_same"] += pred.events[j].modality == gold[i].modality
    done_g = {i for i, e in enumerate(gold) if e.modality in DONE}
    done_p = {j for j, e in enumerate(pred.events) if e.modality in DONE}
    matched = [(i, j) for i, j in pairs if i in done_g and j in done_p]
    det = counts["detection"]
    det.tp += len(matched)
    det.fp += len(done_p) - len(matched)
    det.fn += len(done_g) - len(matched)
    typed = [(i, j) for i, j in matched if gold[i].type == pred.events[j].type]
    t = counts["typed"]
    t.tp += len(typed)
    t.fp += len(done_p) - len(typed)
    t.fn += len(done_g) - len(typed)
    out.type_matches["matched"] += len(matched)
    out.type_matches["same"] += len(typed)
    for i in done_g:
        out.event_types.setdefault(gold[i].type, Counts()).fn += 1
    for j in done_p:
        out.event_types.setdefault(pred.events[j].type, Counts()).fp += 1
    for i, _j in typed:
        c = out.event_types[gold[i].type]
        c.fn -= 1
        c.fp -= 1
        c.tp += 1
    match_of = dict((j, i) for i, j in matched)
    full = counts["full"]
    for role in ("sources", "targets"):
        c = counts[role]
        gold_args = {(i, ents[m].ref) for i in done_g for m in getattr(gold[i], role)}
        pred_args: set[tuple[object, str]] = set()
        for j in done_p:
            for span in getattr(pred.events[j], role):
                ref = reader.ref(span)
                gi = match_of.get(j)
                pred_args.add((gi if gi is not None else f"p{j}", ref or f"?{span}"))
        c.tp += len(gold_args & pred_args)
        c.fp += len(pred_args - gold_args)
        c.fn += len(gold_args - pred_args)
    n_full = 0
    for i, j in typed:
        ok = all(
            {ents[m].ref for m in getattr(gold[i], role)}
            == {reader.ref(s) for s in getattr(pred.events[j], role)}
            for role in ("sources", "targets")
        )
        n_full += ok
    full.tp += n_full
    full.fp += len(done_p) - n_full
    full.fn += len(done_g) - n_full
