"""The actor KB: our data files, name keys, countries, generic agents, PETRARCH import."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
from typer.testing import CliRunner

from factionmap.kb import KbDataError, name_key
from factionmap.kb.base import actor_from_record, actor_to_record
from factionmap.kb.countries import demonyms
from factionmap.kb.loading import build_kb, own_actors, read_actor_file, with_countries
from factionmap.kb.petrarch import DictionaryWarning, parse_code, parse_petrarch_actors
from factionmap.records import ACTOR_KINDS

D = dt.date
PETRARCH_DIR = Path("data/petrarch2/dictionaries")
# Name keys two of our own actors may share on purpose (none so far).
SHARED_KEYS_ALLOWED: set[str] = set()
MENA = {
    "DZA",
    "BHR",
    "EGY",
    "IRN",
    "IRQ",
    "ISR",
    "JOR",
    "KWT",
    "LBN",
    "LBY",
    "MAR",
    "OMN",
    "PSE",
    "QAT",
    "SAU",
    "SYR",
    "TUN",
    "TUR",
    "ARE",
    "YEM",
    "SDN",
    "MRT",
    "DJI",
}
G20 = {
    "ARG",
    "AUS",
    "BRA",
    "CAN",
    "CHN",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ITA",
    "JPN",
    "KOR",
    "MEX",
    "RUS",
    "SAU",
    "ZAF",
    "TUR",
    "GBR",
    "USA",
}


@pytest.fixture(scope="module")
def own():
    return own_actors()


# --- our data files -------------------------------------------------------------------------


def test_at_least_300_own_actors(own):
    assert len(own) >= 300


def test_own_records_are_valid(own):
    ids = [a.id for a in own]
    assert len(ids) == len(set(ids)), "duplicate ids"
    by_id = {a.id: a for a in own}
    for a in own:
        assert re.fullmatch(r"kb:[a-z0-9_]+", a.id), a.id
        assert a.kind in ACTOR_KINDS, a.id
        assert a.country is None or pycountry.countries.get(alpha_3=a.country), a.id
        assert a.wikidata is None or re.fullmatch(r"Q[1-9]\d*", a.wikidata), a.id
        for tie in a.member_of:
            assert tie.actor_id in by_id, f"{a.id}: member_of {tie.actor_id} unknown"
            assert by_id[tie.actor_id].kind != "person", a.id
        for tie in a.leaders:
            assert tie.actor_id in by_id, f"{a.id}: leader {tie.actor_id} unknown"
            assert by_id[tie.actor_id].kind == "person", f"{a.id}: leader {tie.actor_id}"
        for tie in a.member_of + a.leaders:
            assert tie.start is None or tie.end is None or tie.start <= tie.end, a.id


def test_generated_countries_do_not_clash_with_own_ids(own):
    everything = with_countries(own)
    ids = [a.id for a in everything]
    assert len(ids) == len(set(ids))


def test_no_alias_shared_by_two_own_actors(own):
    owners: dict[str, set[str]] = defaultdict(set)
    for a in own:
        for name in a.names():
            owners[name_key(name)].add(a.id)
    shared = {k: ids for k, ids in owners.items() if len(ids) > 1 and k not in SHARED_KEYS_ALLOWED}
    assert not shared


LEADS, GONE = True, False


@pytest.mark.parametrize(
    ("actor", "when", "person", "leads"),
    [
        ("kb:badr_organization", D(2019, 6, 1), "kb:hadi_al_amiri", LEADS),
        ("kb:kataib_hezbollah", D(2019, 12, 31), "kb:abu_mahdi_al_muhandis", LEADS),
        ("kb:asaib_ahl_al_haq", D(2020, 1, 1), "kb:qais_al_khazali", LEADS),
        ("kb:harakat_al_nujaba", D(2020, 1, 1), "kb:akram_al_kaabi", LEADS),
        ("kb:hezbollah", D(2024, 9, 1), "kb:hassan_nasrallah", LEADS),
        ("kb:hezbollah", D(2025, 1, 1), "kb:naim_qassem", LEADS),
        ("kb:quds_force", D(2019, 1, 1), "kb:qasem_soleimani", LEADS),
        ("kb:quds_force", D(2020, 6, 1), "kb:esmail_qaani", LEADS),
        ("kb:pmu", D(2019, 1, 1), "kb:falih_al_fayyadh", LEADS),
        ("kb:pmu", D(2019, 1, 1), "kb:abu_mahdi_al_muhandis", LEADS),
        ("kb:pmu", D(2021, 1, 1), "kb:abu_fadak_al_mohammedawi", LEADS),
        # tenures end
        ("kb:kataib_hezbollah", D(2020, 2, 1), "kb:abu_mahdi_al_muhandis", GONE),
        ("kb:pmu", D(2020, 2, 1), "kb:abu_mahdi_al_muhandis", GONE),
        ("kb:hezbollah", D(2024, 10, 1), "kb:hassan_nasrallah", GONE),
        ("kb:quds_force", D(2020, 6, 1), "kb:qasem_soleimani", GONE),
        ("kb:quds_force", D(2019, 1, 1), "kb:esmail_qaani", GONE),
    ],
)
def test_leaders_on_a_date(kb, actor, when, person, leads):
    leaders = {leader.id for leader, _ in kb.leaders_at(actor, when)}
    assert (person in leaders) is leads, leaders


def test_bad_actor_file_names_file_and_record(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                {"id": "kb:a", "name": "A", "kind": "person"},
                {"id": "kb:b", "name": "B", "kind": "warlord"},
            ]
        )
    )
    with pytest.raises(KbDataError, match=r"bad\.json: record 1 \(kb:b\): unknown kind"):
        read_actor_file(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    with pytest.raises(KbDataError, match="broken.json"):
        read_actor_file(broken)


def test_record_round_trip(kb):
    for actor_id in ("kb:pmu", "kb:hezbollah", "kb:usa"):
        actor = kb.get(actor_id)
        assert actor_from_record(actor_to_record(actor)) == actor


# --- name keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ("al-Sadr", "Al-Sadr", "el-Sadr", "Sadr", "al Sadr"),
        ("Kataib Hezbollah", "Kata'ib Hezbollah", "Kata\u2019ib Hizballah", "Kataeb Hizbullah"),
        ("Hezbollah", "Hizballah", "Hizbullah", "Hizbollah", "Hizb Allah"),
        ("Asaib Ahl al-Haq", "Asa'ib Ahl al-Haq", "Asa\u2019ib Ahl al-Haq"),
        ("Hashd al-Sha'abi", "Hashd al-Shaabi", "Hashd al-Sha\u2019bi"),
        ("Husssein", "Hussein", "Hussain", "Husayn", "Husain"),
        ("Muhandis", "Mohandes"),
        ("Amiri", "Ameri"),
        ("Qasem", "Qassem", "Qassim", "Qasim"),
        ("Nujaba", "Nujaba'"),
        ("Muqtada al-Sadr", "Moqtada al-Sadr"),
        ("Mohammed", "Muhammad", "Mohamed", "Mohammad"),
        ("Fayyadh", "Fayyad"),
        ("Houthi", "Huthi"),
        ("Soleimani", "Suleimani", "Sulaimani"),
        ("U.S.", "US"),
        (
            "Popular Mobilization Forces",
            "Popular Mobilisation Forces",
            "the Popular Mobilization Forces",
        ),
        ("Iraq's", "Iraq"),
    ],
)
def test_variants_share_a_key(variants):
    assert len({name_key(v) for v in variants}) == 1, [name_key(v) for v in variants]


@pytest.mark.parametrize(
    "distinct",
    [
        ("Hassan", "Hussein"),
        ("Hamas", "Homs"),
        ("Iraq", "Iran"),
        ("Niger", "Nigeria"),
        ("ICC", "EC"),
        ("OPEC", "OPEC+"),
        ("Oman", "Amman"),
        ("AAH", "AH"),
    ],
)
def test_different_names_keep_different_keys(distinct):
    assert name_key(distinct[0]) != name_key(distinct[1])


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Kata\u2019ib Hizballah", "kb:kataib_hezbollah"),
        ("Asa'ib Ahl al-Haq", "kb:asaib_ahl_al_haq"),
        ("al-Hashd al-Sha'abi", "kb:pmu"),
        ("Abu Mahdi al-Mohandes", "kb:abu_mahdi_al_muhandis"),
        ("Hadi al-Ameri", "kb:hadi_al_amiri"),
        ("Qassim Suleimani", "kb:qasem_soleimani"),
        ("PMF", "kb:pmu"),
        ("PMU", "kb:pmu"),
        ("AAH", "kb:asaib_ahl_al_haq"),
        ("KH", "kb:kataib_hezbollah"),
        ("IRGC", "kb:irgc"),
        ("CTS", "kb:counter_terrorism_service"),
        ("ISIL", "kb:isis"),
        ("Daesh", "kb:isis"),
        ("SDF", "kb:sdf"),
        ("HTS", "kb:hts"),
        ("Ansar Allah", "kb:houthis"),
        ("Washington", "kb:usa"),
        # the outside powers' own institutions, as US news names them
        ("GOP", "kb:us_republican_party"),
        ("the Republican Party", "kb:us_republican_party"),
        ("Democrats", "kb:us_democratic_party"),
        ("F.B.I.", "kb:fbi"),
        ("Justice Department", "kb:us_justice"),
    ],
)
def test_lookup_by_alias_and_variant(kb, text, actor):
    assert kb.lookup(text).id == actor


def test_all_caps_aliases_only_match_all_caps_text(kb):
    assert kb.lookup("IS").id == "kb:isis"
    assert kb.lookup("is") is None
    assert kb.lookup("Is") is None
    assert kb.lookup("is", case_sensitive_acronyms=False).id == "kb:isis"
    assert kb.lookup("US").id == "kb:usa"
    assert kb.lookup("us") is None
    assert kb.lookup("ISLAMIC STATE").id == "kb:isis"  # headline capitals still match names


def test_fuzzy_lookup_takes_one_typo_but_not_short_keys(kb):
    found = kb.lookup_fuzzy("Asaib Ahl al-Hak")
    assert found is not None and found[0].id == "kb:asaib_ahl_al_haq" and found[1] < 100
    assert kb.lookup_fuzzy("Popular Mobilzation Units")[0].id == "kb:pmu"
    assert kb.lookup_fuzzy("Badr")[1] == 100.0
    assert kb.lookup_fuzzy("Irak") is None  # four letters: exact only
    assert kb.lookup_fuzzy("Kataib Sayyid al-Shuhada Front Brigade") is None


# --- countries and demonyms -------------------------------------------------------------------


def test_every_country_is_a_state(kb):
    for country in pycountry.countries:
        actor = kb.lookup(getattr(country, "common_name", None) or country.name)
        assert actor is not None and actor.kind == "state", country.name
        assert actor.country == country.alpha_3, country.name


def test_hand_written_country_absorbs_generated_one(kb):
    usa = [a for a in kb.actors.values() if a.kind == "state" and a.country == "USA"]
    assert [a.id for a in usa] == ["kb:usa"]
    assert kb.lookup("United States of America").id == "kb:usa"
    assert kb.lookup("American").id == "kb:usa"


def test_demonyms_cover_mena_and_g20(kb):
    table = demonyms()
    assert not (MENA | G20) - set(table)
    for code in MENA | G20:
        for word in table[code]:
            assert kb.lookup(word).country == code, word
    assert kb.lookup("Iraqi").id == "kb:iraq"


# --- generic agents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "country", "sector", "backed_by"),
    [
        ("Iraqi forces", "IRQ", "MIL", None),
        ("the Iraqi government", "IRQ", "GOV", None),
        ("US troops", "USA", "MIL", None),
        ("U.S. troops", "USA", "MIL", None),
        ("Iranian-backed militias", None, "UAF", "IRN"),
        ("pro-Iran militias", None, "UAF", "IRN"),
        ("protesters", None, "PRO", None),
        ("Iraqi security forces", "IRQ", "COP", None),
        ("Syrian rebel fighters", "SYR", "REB", None),
        ("Turkish soldiers", "TUR", "MIL", None),
        ("Saudi-led coalition forces", None, "MIL", "SAU"),
        ("civilians in Syria", "SYR", "CVL", None),
        ("Lebanese lawmakers", "LBN", "LEG", None),
        # service people by branch, as defence reporting names them
        ("U.S. service members", "USA", "MIL", None),
        ("British sailors", "GBR", "MIL", None),
        ("American airmen", "USA", "MIL", None),
        ("French peacekeepers", "FRA", "MIL", None),
        ("Iraqi commandos", "IRQ", "MIL", None),
        # a coalition or insurgency in politics is no armed force
        ("Iraq's ruling coalition", "IRQ", "PTY", None),
        ("the Saudi-led coalition", None, "MIL", "SAU"),
        ("political militias", None, "UAF", None),
    ],
)
def test_generic_agents(kb, phrase, country, sector, backed_by):
    agent = kb.generic_agent(phrase)
    assert agent is not None
    assert (agent.country, agent.sector, agent.backed_by) == (country, sector, backed_by)


def test_generic_agent_keeps_a_named_group(kb):
    agent = kb.generic_agent("Hezbollah fighters")
    assert agent.actor_id == "kb:hezbollah" and agent.sector == "UAF"


def test_no_generic_agent_without_a_known_head(kb):
    assert kb.generic_agent("the Iraqi capital") is None
    assert kb.generic_agent("an electoral insurgency") is None  # a campaign, not insurgents
    assert kb.generic_agent("") is None


# --- PETRARCH import --------------------------------------------------------------------------

FIXTURE = """\
# A small dictionary in the TABARI/PETRARCH format, written for this test.
<!-- a block comment
     over two lines -->
NORTHLAND_ [NTL]  # a state
+NORTHLANDER_
+NORTH_LAND
NORTHLAND_ARMY_ [NTLMIL]
RIVER_FRONT_(RVF)_ [IMGREB]
+RIVER_FRONT_FIGHTERS+RIVER_FRONT_MILITIA
JANE_ROE_
+J._ROE
\t[NTLELI <19990101]
\t[NTLGOV 990101-051231]
\t[NTLGOV 20060101 - 20101231]
\t[NTLELI >20110101]
\t[NTLGOV 2011]
NOBODY_IN_PARTICULAR_
+NOBODY
NORTHLAND_ [NTL]
+NORDLAND
"""


@pytest.fixture()
def fixture_dictionary(tmp_path) -> Path:
    path = tmp_path / "Test.actors.txt"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


def test_parse_code_date_forms():
    assert parse_code("IRQGOV 030409-061230").start == D(2003, 4, 9)
    assert parse_code("IRQGOV 030409-061230").end == D(2006, 12, 30)
    assert parse_code("IRQ >20060520").start == D(2006, 5, 20)
    assert parse_code("IRQ <20030320").end == D(2003, 3, 20)
    assert parse_code("ELI 320101-680717").start == D(1932, 1, 1)
    with pytest.raises(ValueError):
        parse_code("IRQOCC 1920030320-20060520")


def test_petrarch_fixture(fixture_dictionary):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        actors = {a.id: a for a in parse_petrarch_actors(fixture_dictionary)}
    messages = [str(w.message) for w in caught if w.category is DictionaryWarning]
    assert any(f"{fixture_dictionary}:16:" in m for m in messages)  # [NTLGOV 2011]
    assert any(f"{fixture_dictionary}:9:" in m for m in messages)  # two aliases on one line
    assert any("NOBODY_IN_PARTICULAR_" in m for m in messages)  # entry without a code

    assert set(actors) == {
        "petrarch:northland",
        "petrarch:northland_army",
        "petrarch:river_front_rvf",
        "petrarch:jane_roe",
    }
    northland = actors["petrarch:northland"]
    assert northland.origin == "petrarch" and northland.name == "Northland"
    assert {"Northlander", "North Land", "Nordland"} <= set(northland.aliases)  # entries merged
    river = actors["petrarch:river_front_rvf"]
    assert river.kind == "armed_group" and river.name == "River Front"
    assert {"RVF", "River Front Fighters", "River Front Militia"} <= set(river.aliases)
    roe = actors["petrarch:jane_roe"]
    assert roe.kind == "person" and "J. Roe" in roe.aliases
    assert [(c.code, c.start, c.end) for c in roe.codes] == [
        ("NTLELI", None, D(1999, 1, 1)),
        ("NTLGOV", D(1999, 1, 1), D(2005, 12, 31)),
        ("NTLGOV", D(2006, 1, 1), D(2010, 12, 31)),
        ("NTLELI", D(2011, 1, 1), None),
    ]


def test_petrarch_real_countries_file(shared_dir):
    path = shared_dir / PETRARCH_DIR / "Phoenix.Countries.actors.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DictionaryWarning)
        actors = {a.id: a for a in parse_petrarch_actors(path)}
    assert len(actors) > 1000
    iraq = actors["petrarch:iraq"]
    assert iraq.kind == "state" and iraq.country == "IRQ"
    assert {"IRQ", "IRQOCC"} & {c.code for c in iraq.codes}
    saddam = actors["petrarch:saddam_hussein"]
    assert saddam.kind == "person" and saddam.country == "IRQ"
    assert any(c.code == "IRQGOV" and c.end and c.end.year == 2003 for c in saddam.codes)


def test_petrarch_real_nonstate_file(shared_dir):
    path = shared_dir / PETRARCH_DIR / "Phoenix.MilNonState.actors.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DictionaryWarning)
        actors = parse_petrarch_actors(path)
    assert sum(a.kind == "armed_group" for a in actors) > 500


def test_imported_actors_load_but_own_win(fixture_dictionary, tmp_path, monkeypatch):
    from factionmap.cli.kb_cmd import app

    into = tmp_path / "userkb"
    fixture_dictionary.write_text(FIXTURE + "IRAQ_ [IRQ]\n+MESOPOTAMIA_\n", encoding="utf-8")
    args = ["import-petrarch", str(fixture_dictionary), "--into", str(into)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = list(into.glob("*.json"))
    assert len(written) == 1 and not list(into.glob("*.tmp"))

    kb = build_kb(user_dir=into)
    assert kb.lookup("Northland").id == "petrarch:northland"
    assert kb.lookup("Iraq").id == "kb:iraq"  # our entry wins
    assert [a.id for a in kb.lookup_all("Iraq")] == ["kb:iraq", "petrarch:iraq"]
    assert kb.lookup("Mesopotamia").id == "petrarch:iraq"

    monkeypatch.setenv("FACTIONMAP_KB_DIR", str(into))
    shown = CliRunner().invoke(app, ["show", "Hizballah"])
    assert shown.exit_code == 0 and "kb:hezbollah" in shown.output and "Nasrallah" in shown.output
    stats = CliRunner().invoke(app, ["stats"])
    assert stats.exit_code == 0 and "petrarch" in stats.output


def test_import_of_a_missing_file_fails_cleanly(tmp_path):
    from factionmap.cli.kb_cmd import app

    result = CliRunner().invoke(
        app, ["import-petrarch", str(tmp_path / "nope.txt"), "--into", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()
