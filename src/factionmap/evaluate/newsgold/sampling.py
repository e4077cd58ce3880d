"""Seeded, outlet-aware sampling of the articles to annotate.

Outlets are split first: a seeded quarter of them is reserved for the blind test, so no
blind article shares an outlet with a training article. Training articles are then drawn to
cover as many outlets as possible (one each, round robin), with a stratum found by searching
the text for the wording of rare relations (splits, mergers, patronage, control, alliances),
and filled to two thirds or more on conflict, security and foreign policy.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from factionmap.evaluate.newsgold.corpus import NewsRow

SEED = 20261207
MIN_WORDS, MAX_WORDS = 100, 650  # exhaustive annotation of long articles is not affordable
BLIND_OUTLET_SHARE = 0.25
TRAIN_SIZE, BLIND_SIZE, DOUBLE_SIZE = 400, 80, 20
CONFLICT_SHARE = 2 / 3
TRAIN_OUTLET_CAP, BLIND_OUTLET_CAP = 20, 6

CONFLICT_TOPICS = frozenset({
    "middle_east", "world", "national_security", "foreign_policy", "terrorism", "isis",
    "north_korea", "us_military", "national_defense", "defense", "state_department",
    "russia", "israel", "palestine", "nuclear_weapons", "cia", "homeland_security",
    "cybersecurity", "europe", "asia", "china", "great_britain", "mexico", "africa",
    "south_korea", "violence_in_america", "nsa",
})
POLITICS_TOPICS = frozenset({"politics", "elections", "white_house", "us_congress",
                             "us_senate", "us_house"})
# Wording that signals the rarest relation types; found by plain search of the text.
RARE_WORDING: dict[str, re.Pattern[str]] = {
    "split_from": re.compile(r"\b(splinter|broke away|breakaway|break away|offshoot|"
                             r"split (?:from|off)|defected|defectors?)\b", re.I),
    "merged_with": re.compile(r"\b(merged?|merger|joined forces|pledged allegiance|"
                              r"united with|absorbed)\b", re.I),
    "backed_by": re.compile(r"\b(\w+-backed|backed by|funded by|financed by|armed by|"
                            r"sponsored|proxy|proxies)\b", re.I),
    "controls": re.compile(r"\b(controlled by|under (?:the )?control|seized control|"
                           r"took control|captured the|holds? territory|stronghold)\b", re.I),
    "allied_with": re.compile(r"\b(allied|alliance|allies with|coalition partners?|"
                              r"fought alongside|joint (?:operation|attack|offensive))\b", re.I),
}
# Articles taken per rare type, and the longer length allowed for them (the wording is rare).
RARE_PER_TYPE = {"split_from": 30, "merged_with": 30, "backed_by": 16, "controls": 16,
                 "allied_with": 12}
RARE_MAX_WORDS = 1000


@dataclass
class Sample:
    seed: int
    blind_outlets: list[str]
    train: list[NewsRow] = field(default_factory=list)
    blind: list[NewsRow] = field(default_factory=list)
    double: list[str] = field(default_factory=list)  # blind ids annotated twice
    rare: dict[str, list[str]] = field(default_factory=dict)  # stratum ids by type

    def to_dict(self) -> dict[str, object]:
        def rows(items: Sequence[NewsRow]) -> list[dict[str, object]]:
            return [{"id": r.id, "outlet": r.source, "topic": r.topic, "date": r.date,
                     "words": r.words, "conflict": r.topic in CONFLICT_TOPICS} for r in items]
        return {
            "seed": self.seed,
            "words": [MIN_WORDS, MAX_WORDS],
            "blind_outlets": self.blind_outlets,
            "train": rows(self.train),
            "blind": rows(self.blind),
            "double": self.double,
            "rare_stratum": self.rare,
        }


def _unit(seed: int, key: str) -> float:
    """A stable uniform number per key (independent of iteration order and Python's hash)."""
    h = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def eligible(row: NewsRow, max_words: int = MAX_WORDS) -> bool:
    return MIN_WORDS <= row.words <= max_words and bool(row.source)


def _round_robin(by_outlet: dict[str, list[NewsRow]], rng: random.Random, want: int,
                 taken: set[str], counts: dict[str, int], cap: int) -> list[NewsRow]:
    outlets = sorted(by_outlet)
    rng.shuffle(outlets)
    queues = {o: [r for r in by_outlet[o] if r.id not in taken] for o in outlets}
    picked: list[NewsRow] = []
    while len(picked) < want:
        progressed = False
        for outlet in outlets:
            if len(picked) >= want:
                break
            queue = queues[outlet]
            while queue and queue[0].id in taken:
                queue.pop(0)
            if not queue or counts[outlet] >= cap:
                continue
            row = queue.pop(0)
            picked.append(row)
            taken.add(row.id)
            counts[outlet] += 1
            progressed = True
        if not progressed:
            break
    return picked


def draw(rows: Sequence[NewsRow], seed: int = SEED) -> Sample:
    rng = random.Random(seed)
    pool = sorted((r for r in rows if eligible(r, RARE_MAX_WORDS)), key=lambda r: r.id)
    seen_titles: set[str] = set()
    unique = []
    for r in pool:
        if r.title not in seen_titles:
            seen_titles.add(r.title)
            unique.append(r)
    outlets = sorted({r.source for r in unique})
    blind_outlets = sorted(o for o in outlets if _unit(seed, o) < BLIND_OUTLET_SHARE)
    sample = Sample(seed=seed, blind_outlets=blind_outlets)
    blind_pool = [r for r in unique if r.source in set(blind_outlets) and eligible(r)]
    long_train = [r for r in unique if r.source not in set(blind_outlets)]
    for part in (blind_pool, long_train):
        rng.shuffle(part)
    train_pool = [r for r in long_train if eligible(r)]

    # Training: rare wording first, then one article per outlet, then conflict, then the rest.
    taken: set[str] = set()
    counts: dict[str, int] = defaultdict(int)
    topical = [r for r in long_train if r.topic in CONFLICT_TOPICS | POLITICS_TOPICS]
    for rel_type, pattern in RARE_WORDING.items():
        hits = [r for r in topical if r.id not in taken and pattern.search(r.text)]
        chosen = hits[:RARE_PER_TYPE[rel_type]]
        sample.rare[rel_type] = [r.id for r in chosen]
        for r in chosen:
            taken.add(r.id)
            counts[r.source] += 1
            sample.train.append(r)
    by_outlet: dict[str, list[NewsRow]] = defaultdict(list)
    for r in sorted(train_pool, key=lambda r: r.topic not in CONFLICT_TOPICS):  # stable
        by_outlet[r.source].append(r)
    sample.train += _round_robin(by_outlet, rng, len(by_outlet), taken, counts, cap=1)
    n_conflict = sum(r.topic in CONFLICT_TOPICS for r in sample.train)
    want_conflict = max(0, round(TRAIN_SIZE * CONFLICT_SHARE) + 4 - n_conflict)
    conflict: dict[str, list[NewsRow]] = defaultdict(list)
    for r in train_pool:
        if r.topic in CONFLICT_TOPICS:
            conflict[r.source].append(r)
    sample.train += _round_robin(conflict, rng, want_conflict, taken, counts, TRAIN_OUTLET_CAP)
    rest: dict[str, list[NewsRow]] = defaultdict(list)
    for r in train_pool:
        if r.topic not in CONFLICT_TOPICS:
            rest[r.source].append(r)
    sample.train += _round_robin(rest, rng, TRAIN_SIZE - len(sample.train), taken, counts,
                                 TRAIN_OUTLET_CAP)

    # Blind: mostly conflict news, spread over its outlets.
    bcounts: dict[str, int] = defaultdict(int)
    btaken: set[str] = set()
    bconf: dict[str, list[NewsRow]] = defaultdict(list)
    bother: dict[str, list[NewsRow]] = defaultdict(list)
    for r in blind_pool:
        (bconf if r.topic in CONFLICT_TOPICS else bother)[r.source].append(r)
    sample.blind = _round_robin(bconf, rng, round(BLIND_SIZE * 0.75), btaken, bcounts,
                                BLIND_OUTLET_CAP)
    sample.blind += _round_robin(bother, rng, BLIND_SIZE - len(sample.blind), btaken, bcounts,
                                 BLIND_OUTLET_CAP)
    double = [r.id for r in sample.blind]
    rng.shuffle(double)
    sample.double = sorted(double[:DOUBLE_SIZE])
    extend_rare(sample, rows)
    return sample


# A second search for the two rarest types, after the first annotations held fewer than 40
# of each: articles of training outlets (up to 1,200 words) whose text uses the wording,
# conflict topics first, then most uses. Business mergers and acquisitions count: one
# organisation absorbing another is ``merged_with``.
EXTRA_WORDING: dict[str, re.Pattern[str]] = {
    "merged_with": re.compile(r"\b(merg(?:e|ed|er|ers|ing)|acquisition of|acquired|absorbed "
                              r"into|folded into|joined forces)\b", re.I),
    "split_from": re.compile(r"\b(split (?:from|off|with)|splinter|broke (?:away|with)|"
                             r"breakaway|offshoot|defect(?:ed|ion|or|ors)|spun off|spin-off|"
                             r"quit the party|left the party)\b", re.I),
}
EXTRA_PER_TYPE = {"merged_with": 30, "split_from": 20}
EXTRA_MAX_WORDS = 1200


def extend_rare(sample: Sample, rows: Sequence[NewsRow]) -> list[NewsRow]:
    """Training articles added for the rarest types (seeded order among equal counts)."""
    blind = set(sample.blind_outlets)
    taken = {r.id for r in sample.train} | {r.id for r in sample.blind}
    titles = {r.title for r in sample.train} | {r.title for r in sample.blind}
    pool = [r for r in rows if r.source not in blind and r.id not in taken
            and r.title not in titles and MIN_WORDS <= r.words <= EXTRA_MAX_WORDS]
    added: list[NewsRow] = []
    for rel_type, pattern in EXTRA_WORDING.items():
        hits = [(len(pattern.findall(r.text)), _unit(sample.seed, r.id), r) for r in pool
                if r.id not in taken and pattern.search(r.text)]
        hits.sort(key=lambda h: (h[2].topic not in CONFLICT_TOPICS, -h[0], h[1]))
        chosen = [r for _, _, r in hits[:EXTRA_PER_TYPE[rel_type]]]
        sample.rare[rel_type + "_search"] = [r.id for r in chosen]
        for r in chosen:
            taken.add(r.id)
        added += chosen
    sample.train += added
    return added
