"""Inputs that used to kill a batch or mangle text, one regression test each (our own text)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources import read_paths
from factionmap.sources.article import parse_date
from factionmap.sources.decoding import decode_bytes

TODAY = dt.date(2026, 1, 15)
GOOD = "The council of the Badr Organization met in Basra on Monday, its spokesman said."
OTHER = "Kataib Hezbollah denied on Friday that its men had fired at the convoy."
ACCENTED = "Le comité de Bagdad a réuni les délégués; « Fatah » était là, à côté — déjà."


def read(path: Path) -> list[Article | ReadError | ReadWarning]:
    return list(read_paths([path], today=TODAY))


def kinds(items) -> list[str]:
    return [type(i).__name__ for i in items]


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_jsonl_nested_100000_deep_is_one_error_and_the_rest_is_read(tmp_path):
    path = _jsonl(tmp_path / "deep.jsonl", [
        json.dumps({"text": GOOD}), "[" * 100_000 + "]" * 100_000, json.dumps({"text": OTHER}),
    ])
    items = read(path)
    assert kinds(items) == ["Article", "ReadError", "Article"]
    assert items[1].row == 2 and "nested too deeply" in items[1].reason


def test_jsonl_number_of_5000_digits_is_one_error(tmp_path):
    path = _jsonl(tmp_path / "big.jsonl", [
        json.dumps({"text": GOOD}), '{"text": "x", "count": ' + "9" * 5000 + "}",
        json.dumps({"text": OTHER}),
    ])
    items = read(path)
    assert kinds(items) == ["Article", "ReadError", "Article"]
    assert items[1].row == 2 and items[1].reason.startswith("malformed JSON")
    assert len(str(items[1])) < 200


def test_jsonl_lone_surrogate_is_replaced_with_a_warning(tmp_path):
    path = _jsonl(tmp_path / "sur.jsonl", [
        json.dumps({"text": GOOD}), '{"text": "A lone \\ud800 escape in the text.", '
        '"title": "T\\udfff"}', json.dumps({"text": OTHER}),
    ])
    items = read(path)
    assert kinds(items) == ["Article", "ReadWarning", "Article", "Article"]
    warning, article = items[1], items[2]
    assert warning.row == 2 and "2 characters" in warning.reason
    assert article.text == "A lone \ufffd escape in the text." and article.title == "T\ufffd"
    article.text.encode("utf-8")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_extreme_metadata_dates_warn_and_keep_the_article(tmp_path, date):
    path = _jsonl(tmp_path / "d.jsonl", [json.dumps({"text": "On 4 June 2018 the talks ended.",
                                                     "date": date})])
    warning, article = read(path)
    assert isinstance(warning, ReadWarning) and "cannot be a publication date" in warning.reason
    assert article.date == dt.date(2018, 6, 4) and article.date_inferred


@pytest.mark.parametrize("value", ["May", "2019", "May 2019", "Tuesday"])
def test_an_incomplete_date_is_not_stored_as_a_full_one(tmp_path, value):
    assert parse_date(value) is None
    path = _jsonl(tmp_path / "m.jsonl", [json.dumps({"text": GOOD, "date": value})])
    warning, article = read(path)
    assert "not a full date" in warning.reason
    assert article.date is None or article.date_inferred


@pytest.mark.parametrize("value, expected", [
    ("2019-05-04", dt.date(2019, 5, 4)), ("June 4, 2018", dt.date(2018, 6, 4)),
    ("4 June 2018", dt.date(2018, 6, 4)), ("2018-06-04T10:00:00Z", dt.date(2018, 6, 4)),
])
def test_full_dates_are_still_read(value, expected):
    assert parse_date(value) == expected


# --- decoding ----------------------------------------------------------------------------------


# Mostly English with a few typographic characters: charset detection read this, with one
# stray byte, as Mac Roman ("‚Äúnew phase‚Äù", "caf√©").
QUOTED = GOOD * 4 + (" He called it a \u201cnew phase\u201d for the caf\u00e9 owners \u2014 "
                     "all of them.")


@pytest.mark.parametrize("text", [ACCENTED, QUOTED])
def test_utf8_with_one_stray_byte_stays_utf8_with_a_warning(tmp_path, text):
    path = tmp_path / "stray.txt"
    data = text.encode("utf-8")
    path.write_bytes(data[:20] + b"\xe9" + data[20:])
    warning, article = read(path)
    assert isinstance(warning, ReadWarning) and "1 byte is not valid UTF-8" in warning.reason
    at = len(data[:20].decode("utf-8"))  # the character the stray byte stands before
    assert article.text == text[:at] + "\ufffd" + text[at:]  # nothing else mangled
    assert article.encoding == "utf-8 with replacements"


def test_utf8_with_several_invalid_sequences_counts_them(tmp_path):
    path = tmp_path / "bad.txt"
    text = (ACCENTED + "\n") * 5
    data = bytearray(text.encode("utf-8"))
    for at in (3, 40, 90):
        data[at:at] = b"\xc3\x28"  # a lead byte followed by a non-continuation byte
    path.write_bytes(bytes(data))
    warning, article = read(path)
    assert "3 bytes are not valid UTF-8" in warning.reason
    assert article.text.count("\ufffd") == 3
    assert article.text.replace("\ufffd", "").replace("(", "") == text.replace("(", "")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_with_a_warning(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes((GOOD + "\n" + ACCENTED).encode(encoding))
    warning, article = read(path)
    assert "no byte order mark" in warning.reason and encoding.upper() in warning.reason
    assert article.text == GOOD + "\n" + ACCENTED and article.encoding == encoding


def test_arabic_utf16_without_bom_is_read(tmp_path):
    text = "قالت منظمة بدر في بيان يوم الاثنين إن المجلس اجتمع في البصرة لمناقشة الوضع."
    decoded = decode_bytes((text * 3).encode("utf-16-le"))
    assert decoded.text == text * 3 and decoded.encoding == "utf-16-le"


def test_plain_utf8_and_bom_say_nothing(tmp_path):
    for data in (ACCENTED.encode("utf-8"), b"\xef\xbb\xbf" + ACCENTED.encode("utf-8")):
        decoded = decode_bytes(data)
        assert (decoded.text, decoded.encoding, decoded.warning) == (ACCENTED, "utf-8", None)


def test_the_chosen_encoding_is_on_every_article_of_a_file(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes("\n".join(json.dumps({"text": t}, ensure_ascii=False)
                               for t in (GOOD, ACCENTED)).encode("cp1252"))
    items = read(path)
    assert isinstance(items[0], ReadWarning) and "cp1252" in items[0].reason
    assert [a.encoding for a in items if isinstance(a, Article)] == ["cp1252", "cp1252"]
    assert items[-1].text == ACCENTED


def test_an_error_about_a_file_with_a_newline_in_its_name_is_one_line(tmp_path):
    (tmp_path / "two\nlines [").mkdir()
    path = tmp_path / "two\nlines [" / "x] :100:.txt"  # the path reads "...[/x] :100:.txt"
    path.write_bytes(b"")
    [error] = read(path)
    assert "\n" not in str(error) and "two\\nlines [/x] :100:.txt: empty" in str(error)


def test_a_million_characters_without_a_sentence_break_are_cut_with_a_warning(tmp_path):
    from factionmap.sources.article import MAX_RUN_CHARS

    phrase = "fighters of the brigade moved along the river road and "
    path = tmp_path / "run.txt"
    path.write_text("A short first sentence.\n" + phrase * (990_000 // len(phrase)),
                    encoding="utf-8")
    warning, article = read(path)
    assert "without a sentence break from character 24" in warning.reason
    assert len(article.text) <= 24 + MAX_RUN_CHARS
    assert article.text.startswith("A short first sentence.\nfighters of the brigade")
    assert not article.text.endswith(" ")  # cut at a space, not inside a word


def test_long_prose_with_sentence_breaks_is_not_cut(tmp_path):
    path = tmp_path / "long.txt"
    text = (GOOD + " ") * 10_000  # 800,000 characters of ordinary sentences
    path.write_text(text, encoding="utf-8")
    [article] = read(path)
    assert article.text == text
