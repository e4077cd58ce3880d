"""The JSONL schema, the extract CLI on a temporary file, and the seed articles end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from factionmap.extract import extract_article, extract_articles, extraction_to_dict
from factionmap.records import Article

SPAN_KEYS = {"start", "end", "text", "actor_id", "actor_name"}


def test_schema_keys(nlp, kb):
    text = "Hadi al-Amiri, the leader of the Badr Organization, met Falih al-Fayyadh."
    x = extract_article(nlp(text), Article(id="s", text=text), kb)
    d = extraction_to_dict(x)
    json.dumps(d)
    assert {"id", "path", "title", "date", "date_inferred"} <= d["document"].keys()
    assert d["mentions"] and all(
        {"start", "end", "text", "label", "actor_id", "actor_name"} <= m.keys()
        for m in d["mentions"]
    )
    assert d["relations"]
    for r in d["relations"]:
        keys = {"type", "role", "subject", "object", "evidence", "modality", "confidence"}
        assert keys <= r.keys()
        assert r["subject"].keys() >= SPAN_KEYS and r["object"].keys() >= SPAN_KEYS
        assert set(r["evidence"]) == {"start", "end"}
    for e in d["events"]:
        assert {"type", "cameo", "goldstein", "quad_class", "source", "target", "date",
                "location", "evidence", "modality", "confidence"} <= e.keys()


def test_extract_articles_keeps_order(nlp, kb):
    texts = ["Hadi al-Amiri met Falih al-Fayyadh.", "The Badr Organization held a rally."]
    out = list(extract_articles([Article(id=str(i), text=t) for i, t in enumerate(texts)], nlp, kb))
    assert [x.article.id for x in out] == ["0", "1"]


def test_worker_processes_give_the_same_extractions_in_order(nlp, kb):
    texts = [
        "Hadi al-Amiri met Falih al-Fayyadh in Baghdad on Monday.",
        "The Badr Organization held a rally.",
        "Kataib Hezbollah fighters fired rockets at a base near Erbil.",
        "Iran supports Kataib Hezbollah with money and rockets.",
        "Qais al-Khazali, the leader of Asaib Ahl al-Haq, condemned the strike.",
    ]
    articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    one = [extraction_to_dict(x) for x in extract_articles(articles, nlp, kb)]
    two = [extraction_to_dict(x) for x in extract_articles(articles, nlp, kb, n_process=2,
                                                            batch_size=2)]
    assert two == one
    assert [d["document"]["id"] for d in two] == ["0", "1", "2", "3", "4"]


def test_cli_extract_tmp_file(tmp_path):
    from factionmap.cli.main import app

    good = tmp_path / "a.txt"
    good.write_text("Hadi al-Amiri, the leader of the Badr Organization, visited Basra.\n",
                    encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(good), "--format", "jsonl",
                                      "--output", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["document"]["path"].endswith("a.txt")
    assert any(r["type"] == "leads" for r in doc["relations"])

    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(app, ["extract", str(good), str(missing), "--quiet"])
    assert result.exit_code == 1
    assert "missing.txt" in result.output  # the error line names the file


def test_seed_articles_analyst_facts(nlp, kb, shared_dir):
    found: set[tuple[str, str | None, str | None]] = set()
    for path in sorted((shared_dir / "corpus" / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        x = extract_article(nlp(text), Article(id="x", text=text), kb)
        for r in x.relations:
            assert text[r.subject.start : r.subject.end] == r.subject.text
            found.add((r.type, r.subject.actor_id, r.object.actor_id))
    assert ("leads", "kb:hadi_al_amiri", "kb:badr_organization") in found
    assert ("leads", "kb:hadi_al_amiri", "kb:fatah_alliance") in found
    assert ("same_as", "kb:pmu", "kb:pmu") in found
    assert any(t == "backed_by" and o == "kb:iran" for t, _, o in found)
    assert any(t == "role" and o == "kb:usa" for t, _, o in found)
