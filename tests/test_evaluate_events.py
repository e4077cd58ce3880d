"""Event evaluation commands on tiny hand-written fixtures, plus smoke runs on shared files."""

from __future__ import annotations

import json

import pytest

from factionmap.evaluate.events.cameo_actors import evaluate_cameo_actors, read_bio
from factionmap.evaluate.events.cameo_class import evaluate_cameo_class
from factionmap.evaluate.events.common import GoldFileError, SentenceCoder
from factionmap.evaluate.events.petrarch import evaluate_petrarch, read_dictionary
from factionmap.evaluate.events.plover import evaluate_plover


@pytest.fixture(scope="module")
def coder(nlp):
    return SentenceCoder(nlp)


def test_cameo_class_fixture(tmp_path, coder):
    f = tmp_path / "c.tsv"
    f.write_text(
        "Soldiers shelled the village.\t4\nThe minister met the envoy.\t1\n"
        "The weather was mild.\t0\n",
        "utf-8",
    )
    result = evaluate_cameo_class(f, coder, folds=0)
    assert result["sentences"] == 3 and result["accuracy"] == 1.0


def test_cameo_class_bad_row(tmp_path, coder):
    f = tmp_path / "bad.tsv"
    f.write_text("A sentence without label\n", "utf-8")
    with pytest.raises(GoldFileError, match=r"bad.tsv:1"):
        evaluate_cameo_class(f, coder)


def test_bio_reader_and_scores(tmp_path, coder):
    f = tmp_path / "n.txt"
    f.write_text(
        "Rebels B-S\nattacked O\nthe B-T\nconvoy I-T\n. O\n\nEgypt B-R\nand O\nJordan B-R\nmet O\n",
        "utf-8",
    )
    rows = read_bio(f)
    assert rows[0][0] == "Rebels attacked the convoy ."
    assert rows[0][1] == {(0, 6)} and rows[0][2] == {(16, 26)}
    assert rows[1][1] == rows[1][2] == {(0, 5), (10, 16)}
    result = evaluate_cameo_actors(f, coder, folds=0)
    assert result["source_overlap"]["recall"] > 0.5
    assert 0 <= result["target_exact"]["f1"] <= 1


def test_plover_fixture_maps_old_names(tmp_path, coder):
    f = tmp_path / "p.json"
    f.write_text(
        json.dumps(
            [
                {"event": "DOCUMENT", "eventText": "doc"},
                {
                    "event": "FIGHT",
                    "text": "Army units shelled rebel positions in the hills.",
                    "source": [{"actorText": "Army"}],
                    "target": [{"actorText": "rebel"}],
                },
                {"event": "DEMAND", "text": "Protesters demanded the release of the students."},
            ]
        ),
        "utf-8",
    )
    result = evaluate_plover(f, coder, folds=0)
    assert result["records"] == 2 and result["type_accuracy"] == 1.0
    assert result["category_mapping"]["FIGHT"] == "ASSAULT"


def test_petrarch_fixture(tmp_path, nlp):
    d = tmp_path / "dictionaries"
    d.mkdir()
    (d / "verbs.txt").write_text("--- CLOBBER [190] ---\nCLOBBER\n", "utf-8")
    (d / "actors.txt").write_text("RIVENDELL [RIV]\nMORDOR [MOR]\n", "utf-8")
    (d / "agents.txt").write_text("SOLDIERS [~MIL]\n", "utf-8")
    text_dir = tmp_path / "text"
    text_dir.mkdir()
    records = text_dir / "r.xml"
    records.write_text(
        "<Validation><Environment><Verbfile>verbs.txt</Verbfile><Actorfile>actors.txt</Actorfile>"
        "<Agentfile>agents.txt</Agentfile></Environment><Sentences>"
        '<Sentence id="A">'
        '<EventCoding sourcecode="RIVMIL" targetcode="MOR" eventcode="190"></EventCoding>'
        "<Text>Rivendell soldiers clobbered Mordor.</Text></Sentence>"
        '<Sentence id="B"><EventCoding noevents="True"></EventCoding>'
        "<Text>Mordor slept.</Text></Sentence>"
        "</Sentences></Validation>",
        "utf-8",
    )
    agents = read_dictionary(d / "agents.txt", agents=True)
    assert agents.code(("SOLDIERS",), "19950101") == "~MIL"
    result = evaluate_petrarch(records, nlp)
    assert result["records"] == 2 and result["records_exact"] == 1.0


def test_petrarch_missing_dictionary(tmp_path, nlp):
    f = tmp_path / "r.xml"
    f.write_text(
        "<Validation><Environment><Verbfile>nope.txt</Verbfile></Environment></Validation>", "utf-8"
    )
    with pytest.raises(GoldFileError, match="nope.txt"):
        evaluate_petrarch(f, nlp)


def test_smoke_shared_cameo_class(shared_dir, coder, tmp_path):
    src = shared_dir / "data/conflibert-cameo/cameo_class.train.tsv"
    sample = tmp_path / "sample.tsv"
    sample.write_text("\n".join(src.read_text("utf-8").splitlines()[:150]) + "\n", "utf-8")
    result = evaluate_cameo_class(sample, coder)
    assert result["sentences"] == 150 and 0.2 < result["macro_f1"] <= 1.0
    # The product's stored events are scored too, apart from the sentence classifier.
    assert 0.2 < result["event_macro_f1"] <= 1.0 and 0.2 < result["event_accuracy"] <= 1.0


def test_smoke_shared_plover(shared_dir, coder):
    result = evaluate_plover(shared_dir / "data/plover/PLOVER_GSR_CAMEO.txt", coder)
    assert result["records"] > 300 and 0.3 < result["type_accuracy"] <= 1.0


def test_petrarch_dictionary_conventions(tmp_path):
    f = tmp_path / "actors.txt"
    f.write_text(
        "# a comment\n"
        "RIVENDELL [RIV]\n"
        "+IMLADRIS\n"
        "BILBO_BAGGINS [HOB]\n"
        "\t[HOBGOV 19950101-19991231]\n"
        "LAKE TOWN\n"
        "\t[LKT]\n",
        "utf-8",
    )
    actors = read_dictionary(f)
    assert actors.code(("IMLADRIS",), "19900101") == "RIV"  # synonym shares the code
    assert actors.code(("LAKE", "TOWN"), "19900101") == "LKT"  # code on the next line
    assert actors.code(("BILBO", "BAGGINS"), "19960101") == "HOBGOV"  # dated code wins
    assert actors.code(("BILBO", "BAGGINS"), "20050101") == "HOB"  # else the default
    agents = tmp_path / "agents.txt"
    agents.write_text("!PEOPLE! = MAN, WOMAN\nSOLDIER [~MIL]\nPOLICE!PEOPLE! [~COP]\n", "utf-8")
    book = read_dictionary(agents, agents=True)
    assert book.code(("SOLDIERS",), "19900101") == "~MIL"  # plural form
    assert book.code(("POLICEWOMAN",), "19900101") == "~COP"  # substitution set
