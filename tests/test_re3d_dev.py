"""The re3d protocol end to end: leave-one-source-out training on a tiny corpus of our own
sentences, fixed models on the real dev split (skipped without ../shared), and the command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factionmap.evaluate.re3d import evaluate_re3d
from factionmap.train.models import Sources

# Our own sentences; [text|Label] marks a gold entity, relations name entity numbers.
FOLDERS = {
    "Alpha": [
        ("[Northern Brigade|Organisation] fighters clashed with the [Qaryat Guard|Organisation] "
         "near [Tel Hamra|Location] on [Monday|Temporal], and [Amal Haddad|Person] condemned "
         "the attack.", [("FightingAgainst", 0, 1)]),
        ("The [Qaryat Guard|Organisation] said [Northern Brigade|Organisation] units fired "
         "[rockets|Weapon] at [Tel Hamra|Location] for [three|Quantity] days.",
         [("FightingAgainst", 1, 0)]),
    ],
    "Beta": [
        ("[Samir Aziz|Person], the leader of the [Eastern Front|Organisation], met envoys of "
         "the [River Council|Organisation] in [Wadi Sur|Location] on [Friday|Temporal].",
         [("InChargeOf", 0, 1), ("CommWith", 1, 2)]),
        ("The [Eastern Front|Organisation] and the [River Council|Organisation] agreed to "
         "share [two|Quantity] checkpoints near [Wadi Sur|Location].",
         [("AlliesOf", 0, 1)]),
    ],
    "Gamma": [
        ("[Hana Mirza|Person] praised the [Green Union|Organisation] after its volunteers "
         "reached [Kafr Dala|Location] on [Sunday|Temporal].", [("Likes", 0, 1)]),
        ("Gunmen from the [Black Hand|Organisation] attacked the [Green Union|Organisation] "
         "office in [Kafr Dala|Location] with a [car bomb|Weapon].",
         [("FightingAgainst", 0, 1)]),
    ],
}
_MARK = re.compile(r"\[([^|\]]+)\|([A-Za-z]+)\]")


def _unmark(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    text, spans, last = "", [], 0
    for m in _MARK.finditer(marked):
        text += marked[last:m.start()]
        spans.append((len(text), len(text) + len(m.group(1)), m.group(2)))
        text += m.group(1)
        last = m.end()
    return text + marked[last:], spans


def _flat(output: str) -> str:
    return " ".join(output.split())  # the console wraps long lines


def _lines(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("re3d")
    for name, docs in FOLDERS.items():
        folder = root / name
        folder.mkdir()
        documents, entities, relations = [], [], []
        for k, (marked, rels) in enumerate(docs):
            doc_id = f"{name}-{k}"
            text, spans = _unmark(marked)
            documents.append({"_id": doc_id, "text": text, "title": name})
            for j, (s, e, label) in enumerate(spans):
                entities.append({"_id": f"{doc_id}-e{j}", "begin": s, "end": e, "type": label,
                                 "documentId": doc_id, "confidence": 1.0})
            for j, (kind, a, b) in enumerate(rels):
                relations.append({"_id": f"{doc_id}-r{j}", "type": kind, "documentId": doc_id,
                                  "confidence": 1.0, "sourceBegin": spans[a][0],
                                  "sourceEnd": spans[a][1], "targetBegin": spans[b][0],
                                  "targetEnd": spans[b][1]})
        (folder / "documents.json").write_text(_lines(documents), encoding="utf-8")
        (folder / "entities.json").write_text(_lines(entities), encoding="utf-8")
        (folder / "relations.json").write_text(_lines(relations), encoding="utf-8")
    return root


@pytest.mark.slow
def test_loso_trains_each_fold_without_its_folder(corpus: Path) -> None:
    # Only re3d here (no news, no public sets), so each fold trains in seconds.
    report = evaluate_re3d(corpus, training=Sources(news=None, re3d=None, public=None))
    assert report.mode == "loso"
    assert [f.name for f in report.folds] == ["Alpha", "Beta", "Gamma"]
    for fold in report.folds:
        assert f"re3d {fold.name}" not in fold.trained_on
        assert len([s for s in fold.trained_on if s.startswith("re3d ")]) == 2
        assert fold.documents == 2
        # no annotated news in training: no event or modality model, and it is said
        assert "fm_modality" in fold.left_out
    pooled = report.pooled
    assert pooled is not None and pooled.documents == 6
    gold = pooled.entities_exact["micro"].tp + pooled.entities_exact["micro"].fn
    assert gold == sum(len(_unmark(m)[1]) for docs in FOLDERS.values() for m, _ in docs)
    assert pooled.entities_overlap["micro"].tp >= pooled.entities_exact["micro"].tp
    assert json.loads(json.dumps(report.to_dict()))["pooled"]["name"] == "pooled"


@pytest.mark.slow
def test_re3d_command_scores_fixed_models(corpus: Path, tmp_path: Path) -> None:
    from factionmap.cli.main import app

    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["evaluate", "re3d", str(corpus), "--no-loso",
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "normalised to our conventions" in _flat(result.output)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["mode"] == "fixed" and report["pooled"]["documents"] == 6
    # our own sentences are in no training folder
    assert report["in_sample_documents"] in (0, None)


def test_re3d_command_refuses_a_bad_folder(tmp_path: Path) -> None:
    from factionmap.cli.main import app

    result = CliRunner().invoke(app, ["evaluate", "re3d", str(tmp_path / "none"), "--no-loso"])
    assert result.exit_code == 2 and "none: not a directory" in _flat(result.output)
    result = CliRunner().invoke(app, ["evaluate", "re3d", str(tmp_path), "--models",
                                      str(tmp_path)])
    assert result.exit_code == 2 and "use it with --no-loso" in _flat(result.output)


@pytest.mark.slow
def test_dev_split_with_shipped_models_is_in_sample(shared_dir: Path) -> None:
    report = evaluate_re3d(shared_dir / "data" / "re3d-dev", loso=False)
    pooled = report.pooled
    assert pooled is not None and pooled.documents == 71
    # the shipped models are trained on this folder, and the report says so
    assert report.in_sample_documents == 71
    for table in (pooled.entities_exact, pooled.entities_overlap, pooled.relations,
                  pooled.actor_relations):
        for prf in table.values():
            assert 0.0 <= prf.precision <= 1.0 and 0.0 <= prf.recall <= 1.0
    assert pooled.entities_overlap["micro"].tp >= pooled.entities_exact["micro"].tp
    assert pooled.entities_exact["micro"].tp + pooled.entities_exact["micro"].fn > 1000
