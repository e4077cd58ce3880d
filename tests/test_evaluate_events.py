"""Event evaluations: the gold-file readers, the PLOVER and ConfliBERT training readers, the
scorers on hand-made predictions, the folds that keep figures out of sample, and each command
end to end on a handful of our own sentences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factionmap.evaluate.events.cameo_actors import read_bio
from factionmap.evaluate.events.cameo_actors import score as score_actors
from factionmap.evaluate.events.cameo_class import read_cameo_class
from factionmap.evaluate.events.cameo_class import score as score_quads
from factionmap.evaluate.events.common import GoldFileError, sentence_events, strongest
from factionmap.evaluate.events.folds import fold_assignment, training_sets
from factionmap.evaluate.events.petrarch import read_dictionary
from factionmap.evaluate.events.plover import read_plover
from factionmap.evaluate.events.plover import score as score_plover
from factionmap.records import Event, Span
from factionmap.train.eventsets import (
    SENTENCE_LABEL,
    MarkupError,
    SentenceSetError,
    conflibert_texts,
    ngec_texts,
    parse_markup,
    plover_texts,
    quad_texts,
)
from factionmap.train.models import Sources

NO_OTHER_SOURCES = Sources(news=None, re3d=None, public=None)


def _flat(output: str) -> str:
    return " ".join(output.split())  # the console wraps long lines


def _event(etype: str, text: str, sources=(), targets=(), quad: int = 4, cameo: str = "19",
           modality: str = "asserted", confidence: float = 0.9) -> Event:
    def span(word: str) -> Span:
        start = text.index(word)
        return Span(start, start + len(word), word)

    return Event(type=etype, cameo=cameo, goldstein=-5.0, quad_class=quad,  # type: ignore[arg-type]
                 evidence=Span(0, len(text), text), trigger=Span(0, 1, text[:1]),
                 sources=tuple(span(w) for w in sources), targets=tuple(span(w) for w in targets),
                 modality=modality, confidence=confidence)  # type: ignore[arg-type]


# -- our own PLOVER-style records ----------------------------------------------------------------

PLOVER_RECORDS = [
    {"id": "DOC-0001", "event": "DOCUMENT", "eventText": "how to read this file"},
    {"id": "T-AGREE-1", "event": "AGREE",
     "text": "The Rivera Council and the Delta Front agreed on Monday to share the water.",
     "source": [{"actorText": "Rivera Council"}, {"actorText": "Delta Front"}],
     "textInfo": {"markup": "The (SRC/TAR: Rivera Council) and the (SRC/TAR: Delta Front) "
                            "(EVT: agreed) on Monday to (EVT: share) the water."}},
    {"id": "T-CONSULT-1", "event": "CONSULT",
     "text": "Foreign Minister Lina Haddad met the Jordanian envoy in Amman on Tuesday.",
     "source": [{"actorText": "Lina Haddad"}], "target": [{"actorText": "Jordanian envoy"}],
     "textInfo": {"markup": "(SRC: Foreign Minister Lina Haddad) (EVT: met) (TAR: the "
                            "Jordanian envoy) in Amman on Tuesday."}},
    {"id": "T-DEMAND-1", "event": "DEMAND",
     "text": "Opposition leaders demanded the release of Omar Saleh, a reporter held since May.",
     "source": [{"actorText": "Opposition leaders"}], "target": [{"actorText": "Omar Saleh"}],
     "textInfo": {"markup": "(SRC: Opposition leaders) (EVT: demanded) the (EVT: release) of "
                            "(TAR: Omar Saleh), a reporter held since May."}},
    {"id": "T-FIGHT-1", "event": "FIGHT", "mode": "heavy-weapons",
     "text": "Army units shelled rebel positions near Tel Hamra for two days.",
     "source": [{"actorText": "Army units"}], "target": [{"actorText": "rebel positions"}],
     "textInfo": {"markup": "(SRC: Army units) (EVT: shelled) (TAR: rebel positions) near "
                            "(LOC: Tel Hamra) for two days."}},
    {"id": "T-DISAPPROVE-1", "event": "DISAPPROVE",
     "text": "The Azadi (Freedom) bloc criticised the governor over the curfew.",
     "source": [{"actorText": "Azadi (Freedom) bloc"}], "target": "governor",
     "textInfo": "The (SRC: Azadi (Freedom) bloc) (EVT: criticised) the (TAR: governor) "
                 "over the curfew."},
    {"id": "T-BROKEN-1", "event": "ASSAULT",
     "text": "Gunmen attacked a convoy near the border.",
     "textInfo": {"markup": "(SRC: Gunmen) (EVT: attacked} a (TAR: convoy) near the border."}},
]


@pytest.fixture
def plover_file(tmp_path: Path) -> Path:
    path = tmp_path / "plover.json"
    path.write_text(json.dumps(PLOVER_RECORDS), "utf-8")
    return path


# -- gold-file readers ---------------------------------------------------------------------------


def test_plover_reader_maps_old_names_and_passes_over_documentation(plover_file: Path) -> None:
    records = read_plover(plover_file)
    assert [r["event16"] for r in records] == ["AGREE", "CONSULT", "REQUEST", "ASSAULT",
                                               "ACCUSE", "ASSAULT"]
    twice = plover_file.parent / "twice.json"
    twice.write_text(json.dumps(PLOVER_RECORDS[1:3] + PLOVER_RECORDS[1:2]), "utf-8")
    assert [r["id"] for r in read_plover(twice)] == ["T-AGREE-1", "T-CONSULT-1", "T-AGREE-1~2"]


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "cannot read PLOVER JSON"),
    ('{"event": "AGREE"}', "expected a JSON list"),
    ('[1]', "record 1 is not an object"),
    ('[{"event": "AGREE", "text": 5}]', "record 1: field 'text' is not a string"),
])
def test_plover_reader_names_the_file_and_reason(tmp_path: Path, content: str,
                                                 reason: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, "utf-8")
    with pytest.raises(GoldFileError, match=f"bad.json: {reason}"):
        read_plover(bad)


def test_cameo_class_reader(tmp_path: Path) -> None:
    good = tmp_path / "c.tsv"
    good.write_text("Soldiers shelled the village.\t4\n\nThe weather was mild.\t0\n", "utf-8")
    assert read_cameo_class(good) == [("Soldiers shelled the village.", 4),
                                      ("The weather was mild.", 0)]
    bad = tmp_path / "bad.tsv"
    bad.write_text("A line.\t2\nA sentence without label\n", "utf-8")
    with pytest.raises(GoldFileError, match=r"bad.tsv:2: expected"):
        read_cameo_class(bad)
    bad.write_text("A line.\t7\n", "utf-8")
    with pytest.raises(GoldFileError, match=r"bad.tsv:1: expected"):
        read_cameo_class(bad)


BIO = ("Rebels B-S\nattacked O\nthe B-T\nconvoy I-T\n. O\n\n"
       "Egypt B-R\nand O\nJordan B-R\nmet O\n")


def test_bio_reader_spans(tmp_path: Path) -> None:
    f = tmp_path / "n.txt"
    f.write_text(BIO, "utf-8")
    rows = read_bio(f)
    assert rows[0][0] == "Rebels attacked the convoy ."
    assert rows[0][1] == {(0, 6)} and rows[0][2] == {(16, 26)}
    assert rows[1][1] == rows[1][2] == {(0, 5), (10, 16)}  # reciprocal: both sides
    f.write_text("Rebels B-S\nattacked X-V\n", "utf-8")
    with pytest.raises(GoldFileError, match=r"n.txt:2: expected 'token TAG'"):
        read_bio(f)


# -- training readers ----------------------------------------------------------------------------


def test_markup_keeps_the_texts_own_brackets_and_nested_marks() -> None:
    text, marks = parse_markup("The (SRC: Azadi (Freedom) bloc) went (LOC:to (TAR: Doha)).")
    assert text == "The Azadi (Freedom) bloc went to Doha."
    found = {(m.tag, text[m.start:m.end]) for m in marks}
    assert found == {("SRC", "Azadi (Freedom) bloc"), ("LOC", "to Doha"), ("TAR", "Doha")}


@pytest.mark.parametrize(("markup", "reason"), [
    ("(SRC: Gunmen) (EVT: attacked} a convoy.", "never closed"),
    ("(SRC: ) met the envoy.", "empty"),
])
def test_markup_errors(markup: str, reason: str) -> None:
    with pytest.raises(MarkupError, match=reason):
        parse_markup(markup)


def test_plover_records_become_events_in_our_conventions(plover_file: Path) -> None:
    converted = plover_texts(plover_file)
    assert len(converted.texts) == 5
    (skipped,) = converted.skipped
    assert "plover.json: record T-BROKEN-1: textInfo.markup" in skipped
    by_id = {t.id: t for t in converted.texts}

    def show(lt, indices):  # type: ignore[no-untyped-def]
        return [lt.text[lt.mentions[i].start:lt.mentions[i].end] for i in indices]

    agree = by_id["plover:T-AGREE-1"]
    (ev,) = agree.events
    # the word the lexicon lists under the type, not the complement "share"
    assert agree.text[ev.trigger[0]:ev.trigger[1]] == "agreed"
    assert show(agree, ev.sources) == ["Rivera Council", "Delta Front"]  # no "the"
    assert ev.targets == ()
    consult = by_id["plover:T-CONSULT-1"]
    (ev,) = consult.events
    assert show(consult, ev.sources) == ["Lina Haddad"]  # no title
    assert show(consult, ev.targets) == ["envoy"]  # the unnamed actor's head noun
    assert consult.mentions[ev.sources[0]].label == "Person"
    assert "Amman" in show(consult, range(len(consult.mentions)))  # a mention, no argument
    fight = by_id["plover:T-FIGHT-1"]
    (ev,) = fight.events
    assert (ev.type, ev.mode) == ("ASSAULT", "heavy-weapons")
    assert by_id["plover:T-DEMAND-1"].events[0].type == "REQUEST"
    accuse = by_id["plover:T-DISAPPROVE-1"]  # textInfo given as the markup itself
    assert accuse.text == "The Azadi (Freedom) bloc criticised the governor over the curfew."
    for lt in converted.texts:
        assert lt.events_exhaustive and lt.weight == 0.5 and not lt.pairs_exhaustive


def test_conflibert_tags_become_mentions_with_roles(tmp_path: Path) -> None:
    f = tmp_path / "n.txt"
    f.write_text(BIO, "utf-8")
    first, second = conflibert_texts(f)
    assert [first.text[m.start:m.end] for m in first.mentions] == ["Rebels", "the convoy"]
    assert first.meta == {"sources": (0,), "targets": (1,)}
    assert second.meta == {"sources": (0, 1), "targets": (0, 1)}
    assert not first.events and not first.events_exhaustive  # no trigger: trains nothing


def _ngec_line(rid: str, text: str, etype: str = "PROTEST") -> str:
    return json.dumps({"id": rid, "text": text, "events": [{"type": etype}]})


@pytest.fixture
def ngec_file(tmp_path: Path) -> Path:
    f = tmp_path / "ngec.jsonl"
    f.write_text("\n".join([
        _ngec_line("n1", "Teachers Strike Again\n\n(Wire Service) -- Teachers in the capital "
                   "walked out on Monday.\n\nMore follows."),
        _ngec_line("n2", "Militia Shells Town\n\nGunmen shelled the town overnight.",
                   "ASSAULT"),
        _ngec_line("n3", "A headline with no story"),
    ]) + "\n", "utf-8")
    return f


@pytest.fixture
def quad_file(tmp_path: Path) -> Path:
    f = tmp_path / "quad.tsv"
    f.write_text("Soldiers shelled the village.\t4\nThe two ministers met in Rome.\t1\n"
                 "The weather was mild.\t0\nThe army sent food to the town.\t2\n", "utf-8")
    return f


def test_ngec_leads_and_quad_sentences_label_whole_sentences(ngec_file: Path,
                                                             quad_file: Path) -> None:
    texts, skipped = ngec_texts(ngec_file)
    assert [t.text for t in texts] == ["Teachers in the capital walked out on Monday.",
                                       "Gunmen shelled the town overnight."]
    assert [t.meta[SENTENCE_LABEL] for t in texts] == ["PROTEST", "ASSAULT"]
    assert skipped == ["n3: no event type or no lead paragraph"]
    assert not any(t.events_exhaustive for t in texts)  # they train no trigger rows
    quads = quad_texts(quad_file)
    assert [t.meta[SENTENCE_LABEL] for t in quads] == ["4", "1", "0", "2"]
    bad = ngec_file.parent / "bad.jsonl"
    bad.write_text(_ngec_line("ok", "H\n\nA lead.") + "\n{\"text\": \"no events\"}\n",
                   "utf-8")
    with pytest.raises(SentenceSetError, match=r"bad.jsonl:2: not an NGEC record"):
        ngec_texts(bad)


def test_gather_keeps_plover_apart_from_the_main_event_texts(plover_file: Path) -> None:
    from factionmap.train.models import gather

    corpus = gather(Sources(news=None, re3d=None, public=None, plover=plover_file))
    assert corpus.event_texts == [] and corpus.entity_texts == []
    assert len(corpus.extra_event_texts) == 5 and len(corpus.skipped) == 1


def test_event_models_train_on_a_base_without_touching_it(plover_file: Path,
                                                          tmp_path: Path) -> None:
    from factionmap.evaluate.extraction import shipped_models
    from factionmap.train.models import train_models

    base = shipped_models()
    out = tmp_path / "fold"
    sources = Sources(news=None, re3d=None, public=None, plover=plover_file)
    report = train_models(sources, out, "spacy", base=base)
    assert "event_triggers.joblib" in report["event_models_fitted"]  # type: ignore[operator]
    assert report["sentence_context"] == {}  # no sentence set given: none fitted
    assert "modality.joblib" not in report["event_models_fitted"]  # type: ignore[operator]
    for name in ("entities.crfsuite", "relations.joblib", "vectors-spacy.npy",
                 "modality.joblib"):  # lent by the base
        assert (out / name).read_bytes() == (base / name).read_bytes()
    assert (out / "event_triggers.joblib").read_bytes() != \
        (base / "event_triggers.joblib").read_bytes()


def test_sentence_sets_train_the_context_the_triggers_read(plover_file: Path, ngec_file: Path,
                                                           quad_file: Path,
                                                           tmp_path: Path) -> None:
    from factionmap.evaluate.extraction import scoring_pipeline, shipped_models
    from factionmap.extract.deciders.linear import LinearModel
    from factionmap.extract.deciders.sentences import LEXICON_TYPE
    from factionmap.train.models import SENTENCE_MODELS, train_models

    out = tmp_path / "fold"
    sources = Sources(news=None, re3d=None, public=None, plover=plover_file, ngec=ngec_file,
                      quad=quad_file)
    report = train_models(sources, out, "spacy", base=shipped_models())
    assert report["sentence_context"] == {SENTENCE_MODELS["types"]: 2,
                                          SENTENCE_MODELS["quad"]: 4}
    quad = LinearModel.load(out / SENTENCE_MODELS["quad"])
    assert quad.classes == ["0", "1", "2", "4"]
    triggers = LinearModel.load(out / "event_triggers.joblib")
    vocabulary = triggers.vectorizer.vocabulary_
    assert "sq=4" in vocabulary and "st=ASSAULT" in vocabulary and LEXICON_TYPE in vocabulary
    # the pipeline reads the folder's own sentence models, and runs without them too
    sentences = ["Gunmen shelled the town overnight.", "The ministers met in Rome."]
    with_context = sentence_events(scoring_pipeline(out).nlp, sentences)
    bare = tmp_path / "bare"
    shutil.copytree(out, bare)
    for name in SENTENCE_MODELS.values():
        (bare / name).unlink()
    assert len(sentence_events(scoring_pipeline(bare).nlp, sentences)) == len(with_context)


# -- folds ---------------------------------------------------------------------------------------


def test_fold_training_never_holds_a_scored_record() -> None:
    from factionmap.train.corpora import LabelledText

    texts = [f"Sentence number {k} about a ceasefire." for k in range(6)]
    pool = [LabelledText(f"plover:{k}", "plover", "plover", t) for k, t in enumerate(texts)]
    pool.append(LabelledText("plover:copy", "plover", "plover", "SENTENCE number 2 about a "
                                                                  "ceasefire"))
    assignment = fold_assignment(len(texts), 3, "f")
    groups = training_sets(texts, assignment, pool, [f"plover:{k}" for k in range(6)])
    assert sorted(k for _, ks in groups for k in ks) == [0, 1, 2]
    for extra, ks in groups:
        scored = {i for i, f in enumerate(assignment) if f in ks}
        ids = {t.id for t in extra}
        assert not ids & {f"plover:{i}" for i in scored}
        assert ("plover:copy" in ids) == (2 not in scored)  # the same text, differently written
    # another file's sentences: no overlap, one training for every fold
    other = ["A line of another file.", "Yet another line.", "A third.", "And a fourth."]
    (only,) = training_sets(other, fold_assignment(4, 2, "g"), pool)
    assert only[1] == [0, 1] and len(only[0]) == len(pool)
    with pytest.raises(GoldFileError, match="too few for 5-fold"):
        fold_assignment(6, 5, "small.tsv")


# -- scorers on hand-made predictions ---------------------------------------------------------


def test_strongest_event_is_one_that_happened() -> None:
    text = "Troops shelled the town and denied raiding it."
    shelled = _event("ASSAULT", text, confidence=0.6)
    denied = _event("COERCE", text, modality="negated", confidence=0.95)
    assert strongest([denied, shelled]) is shelled
    assert strongest([denied]) is None


def test_plover_score() -> None:
    text = "Army units shelled rebel positions."
    records = [
        {"event16": "ASSAULT", "source": [{"actorText": "Army units"}],
         "target": [{"actorText": "rebel positions"}]},
        {"event16": "AGREE", "source": [{"actorText": "Delta Front"}], "target": ""},
        {"event16": "ASSAULT", "source": None},
    ]
    events = [_event("ASSAULT", text, sources=["units"], targets=["Army"]),
              _event("CONSULT", text), None]
    result = score_plover(records, events)
    assert result["type_accuracy"] == round(1 / 3, 4)
    assert result["records_with_source"] == 2 and result["source_text_match"] == 0.5
    assert result["records_with_target"] == 1 and result["target_text_match"] == 0.0
    assert result["accuracy_by_type"] == {"AGREE": 0.0, "ASSAULT": 0.5}


def test_quad_score() -> None:
    result = score_quads([4, 4, 1, 0, 3], [4, 0, 1, 0, 4])
    assert result["accuracy"] == 0.6
    assert result["f1_per_class"]["1"] == 1.0 and result["f1_per_class"]["2"] == 0.0
    assert result["confusion"][0] == [1, 0, 0, 0, 0]
    assert result["confusion"][4] == [1, 0, 0, 0, 1]  # gold 4 read as 0 once


def test_actor_score_normalises_gold_and_counts_overlaps() -> None:
    text = "The rebels attacked the convoy of Omar Saleh ."
    rows = [(text, {(0, 10)}, {(20, 44)})]
    exact = score_actors(rows, [_event("ASSAULT", text, sources=["rebels"],
                                       targets=["convoy"])])
    assert exact["source_exact"]["tp"] == 1  # "The rebels" is "rebels" in our conventions
    assert exact["target_exact"]["tp"] == 0 and exact["target_overlap"]["tp"] == 1
    none = score_actors(rows, [None])
    assert none["source_overlap"]["recall"] == 0.0 and none["source_overlap"]["gold"] == 1


def test_petrarch_codings_at_the_cameo_root(nlp) -> None:
    from factionmap.evaluate.events.petrarch import DatedCode, Dictionary, code_sentence, score

    actors = Dictionary({("ARNOR",): [DatedCode("ARN")], ("GONDOR",): [DatedCode("GON")]})
    agents = Dictionary({("SOLDIERS",): [DatedCode("~MIL")]})
    text = "Arnor soldiers attacked Gondor on Monday."
    doc = nlp(text)
    events = [_event("ASSAULT", text, sources=["soldiers"], targets=["Gondor"], cameo="190"),
              _event("ACCUSE", text, sources=["Gondor"], targets=["Arnor"], cameo="111",
                     modality="negated")]
    coded = code_sentence(doc, events, "19950101", actors, agents)
    assert coded == {("ARNMIL", "GON", "19")}  # the denied act is not coded
    records = [{"codings": {("ARNMIL", "GON", "190")}}, {"codings": set()}]
    result = score(records, [coded, set()], [events[0], None])
    assert result["root_agreement"] == 1.0 and result["no_event_agreement"] == 1.0
    assert result["records_exact_root"] == 1.0 and result["codings_recall_root"] == 1.0


def test_petrarch_dictionary_conventions(tmp_path: Path) -> None:
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


# -- each command end to end on a handful of our sentences ---------------------------------------

CLASS_ROWS = ("Soldiers shelled the village near the border on Sunday.\t4\n"
              "The foreign minister met the visiting envoy in the capital.\t1\n"
              "The weather in the valley was mild this spring.\t0\n"
              "The ministry condemned the militia for the attack on the camp.\t3\n")


def _petrarch_fixture(tmp_path: Path) -> Path:
    d = tmp_path / "dictionaries"
    d.mkdir()
    (d / "actors.txt").write_text("RIVENDELL [RIV]\nMORDOR [MOR]\n", "utf-8")
    (d / "agents.txt").write_text("SOLDIERS [~MIL]\n", "utf-8")
    text_dir = tmp_path / "text"
    text_dir.mkdir()
    records = text_dir / "r.xml"
    records.write_text(
        "<Validation><Environment><Actorfile>actors.txt</Actorfile>"
        "<Agentfile>agents.txt</Agentfile></Environment><Sentences>"
        '<Sentence id="A" date="19950101">'
        '<EventCoding sourcecode="RIVMIL" targetcode="MOR" eventcode="190"></EventCoding>'
        "<Text>Rivendell soldiers attacked Mordor on Monday.</Text></Sentence>"
        '<Sentence id="B" date="19950101"><EventCoding noevents="True"></EventCoding>'
        "<Text>Mordor slept through the winter.</Text></Sentence>"
        "</Sentences></Validation>",
        "utf-8",
    )
    return records


@pytest.mark.slow
def test_commands_score_the_shipped_models(tmp_path: Path, plover_file: Path) -> None:
    from factionmap.cli.main import app

    cls = tmp_path / "c.tsv"
    cls.write_text(CLASS_ROWS, "utf-8")
    bio = tmp_path / "n.txt"
    bio.write_text(BIO, "utf-8")
    runs = {"cameo-class": cls, "cameo-actors": bio, "plover": plover_file,
            "petrarch": _petrarch_fixture(tmp_path)}
    for name, path in runs.items():
        out = tmp_path / f"{name}.json"
        result = CliRunner().invoke(app, ["evaluate", name, str(path), "--folds", "0",
                                          "--json", str(out)])
        assert result.exit_code == 0, (name, result.output)
        report = json.loads(out.read_text("utf-8"))
        assert report["mode"].startswith("fixed models"), name
    cc = json.loads((tmp_path / "cameo-class.json").read_text("utf-8"))
    assert cc["sentences"] == 4 and 0.0 <= cc["macro_f1"] <= 1.0
    assert sum(cc["predicted_per_class"].values()) == 4
    pl = json.loads((tmp_path / "plover.json").read_text("utf-8"))
    assert pl["records"] == 6 and pl["category_mapping"]["FIGHT"] == "ASSAULT"
    pt = json.loads((tmp_path / "petrarch.json").read_text("utf-8"))
    assert pt["records"] == 2 and pt["records_with_codings"] == 1


def test_commands_refuse_bad_input(tmp_path: Path, plover_file: Path) -> None:
    from factionmap.cli.main import app

    bad = tmp_path / "bad.tsv"
    bad.write_text("no label here\n", "utf-8")
    result = CliRunner().invoke(app, ["evaluate", "cameo-class", str(bad), "--folds", "0"])
    assert result.exit_code == 2 and "bad.tsv:1: expected" in _flat(result.output)
    result = CliRunner().invoke(app, ["evaluate", "plover", str(plover_file), "--folds", "1"])
    assert result.exit_code == 2 and "--folds must be 0" in _flat(result.output)
    xml = tmp_path / "r.xml"
    xml.write_text("<Validation><Environment><Actorfile>nope.txt</Actorfile>"
                   "<Agentfile>nope.txt</Agentfile></Environment></Validation>", "utf-8")
    result = CliRunner().invoke(app, ["evaluate", "petrarch", str(xml), "--folds", "0"])
    assert result.exit_code == 2 and "nope.txt" in _flat(result.output)


@pytest.mark.slow
def test_plover_cross_validation_scores_each_record_out_of_sample(plover_file: Path) -> None:
    from factionmap.evaluate.events.plover import evaluate_plover

    result = evaluate_plover(plover_file, folds=2, training=NO_OTHER_SOURCES)
    assert result["mode"].startswith("2-fold cross-validation")
    assert result["trainings"] == 2  # each fold leaves its own records out
    assert result["records"] == 6 and len(result["plover_records_skipped"]) == 1
    assert not any("annotated news" in s for s in result["event_training"])
    assert 0.0 <= result["type_accuracy"] <= 1.0


@pytest.mark.slow
def test_other_files_train_once_when_no_sentence_is_a_record(tmp_path: Path,
                                                               plover_file: Path) -> None:
    from factionmap.evaluate.events.cameo_class import evaluate_cameo_class

    cls = tmp_path / "c.tsv"
    cls.write_text(CLASS_ROWS, "utf-8")
    result = evaluate_cameo_class(cls, folds=2, plover=plover_file, training=NO_OTHER_SOURCES)
    assert result["trainings"] == 1 and "one training serves all folds" in result["note"]
    assert result["sentences"] == 4


@pytest.mark.slow
def test_smoke_shared_plover_sample(shared_dir: Path, tmp_path: Path) -> None:
    from factionmap.evaluate.events.plover import evaluate_plover

    records = json.loads((shared_dir / "data/plover/PLOVER_GSR_CAMEO.txt").read_text("utf-8"))
    assert len(read_plover(shared_dir / "data/plover/PLOVER_GSR_CAMEO.txt")) == 322
    sample = tmp_path / "sample.json"  # a temporary copy of 40 records, never kept
    sample.write_text(json.dumps(records[:41]), "utf-8")
    result = evaluate_plover(sample, folds=0)
    assert result["records"] == 40
    assert 0.0 < result["type_accuracy"] <= 1.0
    converted = plover_texts(shared_dir / "data/plover/PLOVER_GSR_CAMEO.txt",
                             records=read_plover(sample))
    # every record is either training text or named with its reason: nothing lost silently
    assert len(converted.texts) + len(converted.skipped) == 40


def test_sentence_classifiers_cross_validate_on_their_own_data(tmp_path: Path) -> None:
    from factionmap.evaluate.extraction import shipped_models
    from factionmap.train.models import SENTENCE_MODELS, sentence_cv

    quad = tmp_path / "quad.tsv"
    quad.write_text("".join(f"Troops shelled village number {k}.\t4\n"
                            f"The ministers of town {k} met for talks.\t1\n"
                            for k in range(4)), "utf-8")
    report = sentence_cv(Sources(news=None, re3d=None, public=None, quad=quad),
                         shipped_models(), folds=2, grid=(1.0,))
    scores = report[SENTENCE_MODELS["quad"]]["by_penalty"]["1.0"]  # type: ignore[index]
    assert scores["accuracy"] == 1.0 and scores["macro_f1"] == 1.0  # shelling is not a meeting
    assert SENTENCE_MODELS["types"] not in report  # no NGEC file given
