"""Text hygiene shared by every publisher (issue 10's text findings).

Truth is outside aical: Python's json and csv modules and four independent iCalendar
parsers (icalendar, vobject, ``ical``, Mozilla's ical.js) read the published bytes back;
the characters checked for are named by their code points here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.model import Event, Source, Span
from aical.publish import hygiene, opendata
from aical.publish.ics import feed_bytes
from conftest import files_of
from test_ics import read_all

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# every C0/C1 control but tab, LF, CR and NEL (which become or stay line breaks)
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20),
                             *range(0x7f, 0x85), *range(0x86, 0xa0)]))
SEPARATORS = "\u2028\u2029"


def event(**changes) -> Event:
    values = dict(uid="u1@aical.test", body=("総会",), summary="第1回総会",
                  span=Span(dt.date(2020, 5, 1), dt.date(2020, 5, 1), "day"),
                  venue="本庁舎", source=Source("r.txt", 3), original="第1回総会")
    values.update(changes)
    return Event(**values)


def test_clean_removes_invisible_and_control_characters():
    text = f"第1{BIDI}回{ZERO_WIDTH}総会{CONTROLS}"
    assert hygiene.clean(text) == "第1回総会"
    assert hygiene.clean("a\tb\nc\x85d\r\ne") == "a\tb\nc\nd\ne"
    assert hygiene.clean("名\udc91") == "名\ufffd"  # a lone surrogate from a file name
    assert hygiene.clean("plain ASCII") == "plain ASCII"


def test_json_escapes_line_separators_and_reads_back():
    data = hygiene.json_bytes({"venue": f"A{SEPARATORS}B\x85C{BIDI}"})
    for char in SEPARATORS + "\x85" + BIDI:
        assert char.encode("utf-8") not in data
    assert json.loads(data) == {"venue": "A\u2028\u2029B\nC"}


@pytest.mark.parametrize("sign", ["=", "+", "-", "@", "＝", "＋", "－", "＠"])
def test_csv_neutralises_formulas_in_ascii_and_full_width(sign):
    data = opendata.events_csv([event(venue=f"{sign}HYPERLINK(\"x\")", summary=f"{sign}1+1")],
                               names={("総会",): "総会"})
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["場所名称"] == f"'{sign}HYPERLINK(\"x\")"
    assert rows[0]["イベント名"] == f"総会 {sign}1+1"  # not first in its cell: harmless


def test_csv_turns_separators_into_line_breaks_inside_the_cell():
    data = opendata.events_csv([event(venue=f"A\u2028B\u2029C\x85D{ZERO_WIDTH}")],
                               names={("総会",): "総会"})
    text = data.decode("utf-8-sig")
    assert not set(SEPARATORS + "\x85" + ZERO_WIDTH) & set(text)
    assert list(csv.DictReader(io.StringIO(text)))[0]["場所名称"] == "A\nB\nC\nD"


def test_a_written_backslash_n_round_trips_in_every_parser(tmp_path):
    """icalendar's escaping turned a literal ``\\N`` into a line break; four parsers
    must read back exactly what was written."""
    summary = "第1回総会\\N（C:\\Nagoya）"
    feed = feed_bytes([event(summary=summary, venue="C:\\Nagoya\\N会議室; 2F, 東")],
                      name="t", description="d", color="#708090",
                      stamp=dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc))
    assert b"\\\\N" in feed
    for parser, events in read_all(feed, tmp_path).items():
        assert events[0]["summary"] == summary, parser
        assert "会場: C:\\Nagoya\\N会議室; 2F, 東" in events[0]["description"], parser


def test_nothing_invisible_reaches_any_published_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.txt").write_text(
        "令和2年度事業報告\n1 会議\n（1）総\u202e会\n"
        f"・第1回総会（令和2年5月1日、本\u200b庁舎{SEPARATORS}\u2066A\u2069）\n",
        encoding="utf-8")
    (folder / "aical.toml").write_text(
        'title = "会議\\u0000\\u001b[31mカレンダー\\u202e\\u2028"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), str(folder)],
                                env={"SOURCE_DATE_EPOCH": "1617235200"})
    assert result.exit_code == 0, result.output
    files = files_of(tmp_path / "out")
    forbidden = BIDI + ZERO_WIDTH.replace("\ufeff", "") + CONTROLS + "\x85"
    for path, data in files.items():
        text = data.decode("utf-8")
        if path.endswith(".csv"):
            assert text.startswith("\ufeff")  # the BOM Excel needs, and only there
            text = text[1:]
        found = {f"U+{ord(c):04X}" for c in text if c in forbidden or c == "\ufeff"}
        assert not found, (path, found)
        if path.endswith((".json", ".csv")):
            assert not set(SEPARATORS) & set(text), path
    page = files["index.html"].decode("utf-8")
    assert "会議[31mカレンダー" in page  # the text stays, the controls are gone


def test_shown_name_decodes_cp932_and_escapes_the_rest():
    assert hygiene.shown_name("第１回報告.txt".encode("cp932")) == "第１回報告.txt"
    assert hygiene.shown_name(b"\xff\xfe.txt") == "\\xff\\xfe.txt"
    assert hygiene.shown_name("a\x1b[2Jb\u202ec") == "a\\x1b[2Jb\\u202ec"
    assert hygiene.shown_name("総会.txt") == "総会.txt"


def _categories(feed: bytes, tmp_path) -> dict[str, list[str]]:
    """The first VEVENT's CATEGORIES as each independent parser reads them."""
    import subprocess

    import icalendar
    import vobject
    from ical.calendar_stream import IcsCalendarStream

    from test_ics import JS

    found = {}
    vevent = next(iter(icalendar.Calendar.from_ical(feed).walk("VEVENT")))
    found["icalendar"] = [str(c) for c in vevent["CATEGORIES"].cats]
    cal = vobject.readOne(feed.decode("utf-8"))
    found["vobject"] = list(cal.vevent.categories.value)
    found["ical"] = list(IcsCalendarStream.calendar_from_ics(feed.decode("utf-8"))
                         .events[0].categories)
    path = tmp_path / "feed.ics"
    path.write_bytes(feed)
    read_all(feed, tmp_path)  # skips (or fails under CI) without node and ical.js
    done = subprocess.run(["node", str(JS / "read_ics.js"), str(path)], capture_output=True,
                          check=True)
    found["icaljs"] = json.loads(done.stdout)["events"][0]["categories"]
    return found


def test_categories_keep_a_written_backslash_n_and_separators(tmp_path):
    """CATEGORIES went through icalendar's escaping, which turns a written ``\\N`` into a
    line break; each category is one TEXT value, so its own ``;`` and ``,`` are escaped
    and it stays one category."""
    def feed(label):
        return feed_bytes([event(body=(label,), mode="online")], name="t", description="d",
                          color="#708090",
                          stamp=dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc),
                          prefix_summaries=True)

    label = "C:\\Nagoya\\N部会; 第1"
    data = feed(label)
    assert b"C:\\\\Nagoya\\\\N" in data
    for parser, categories in _categories(data, tmp_path).items():
        assert categories == ["オンライン開催", label], parser
    for parser, events in read_all(data, tmp_path).items():
        assert events[0]["summary"] == f"[{label}] 第1回総会", parser
    # an escaped comma inside a category: the python `ical` library splits it anyway
    # (its bug: RFC 5545 §3.3.11 makes "\\," a comma within the value), the others agree
    label = "第1, 第2部会"
    data = feed(label)
    assert "CATEGORIES:オンライン開催,第1\\, 第2部会".encode() in data
    for parser, categories in _categories(data, tmp_path).items():
        if parser != "ical":
            assert categories == ["オンライン開催", label], parser


def _json_values():
    """Any JSON value (NaN left out: it equals nothing, not even itself)."""
    from hypothesis import strategies as st

    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       st.text(max_size=6))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)),
        max_leaves=20)


def test_json_in_pieces_is_json_dumps():
    """events.json and the manifest are written in pieces by hygiene's own indented writer
    (json's indented encoder is pure Python and was slow): the text must be exactly
    json.dumps's, for any JSON value, at any batch size."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    values = _json_values()

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.text(max_size=4), values, max_size=5), st.integers(1, 4),
           st.integers(1, 3))
    def check(data, indent, batch):
        assert ("".join(hygiene.indented_json(data, indent, batch))
                == json.dumps(data, ensure_ascii=False, indent=indent) + "\n")
        assert b"".join(hygiene.json_chunks(data, batch=batch)) == hygiene.json_bytes(data)

    check()


def test_json_a_line_per_item_reads_back_as_the_data():
    """state.json is written with each event on a line of its own by json's C encoder
    (hygiene.line_per_item_json): for any JSON value and batch size it must read back as
    what was written, a top-level list item per line."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    values = _json_values()

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.text(max_size=4), values, max_size=5), st.integers(1, 3))
    def check(data, batch):
        text = "".join(hygiene.line_per_item_json(data, batch))
        assert json.loads(text) == data and text.endswith("\n")
        items = sum(len(v) for v in data.values() if isinstance(v, list))
        lists = sum(1 for v in data.values() if isinstance(v, list) and v)
        # a line for each key and each list item, one closing each list, and the braces'
        assert text.count("\n") == (len(data) + items + lists + 2 if data else 1)

    check()


def test_the_page_cleaned_in_batches_is_the_page_cleaned_whole():
    from aical.publish.html import _cleaned_pieces

    pieces = ["<p>a\r", "\nb\u202e", "\r", "c\x00\r", "\r\n", "d\r"]
    for count in range(1, len(pieces) + 1):
        assert "".join(_cleaned_pieces(pieces, count)) == hygiene.clean("".join(pieces))


def test_a_row_of_csv_cells_is_each_cell_made_safe():
    """events.csv searches a row once for anything to clean (hygiene.csv_cells): whatever
    the row holds, each cell must come out as hygiene.csv_cell makes it alone, an empty
    cell empty. The characters drawn are the ones a cell may be changed for."""
    from hypothesis import example, given, settings
    from hypothesis import strategies as st

    groups = [BIDI + ZERO_WIDTH, CONTROLS + "\ud800", SEPARATORS + "\x85", "\r\n\t",
              "".join(hygiene.FORMULA_START), "a会議 '"]
    cell = st.text(alphabet=st.one_of([st.sampled_from(group) for group in groups]),
                   max_size=5)

    @settings(max_examples=500, deadline=None)
    @given(st.lists(cell, max_size=5))
    @example(["a\u2028b", "", "＝1"])  # a separator alone: the row is not clean as it is
    @example(["=1", "\u200b=2", "x\x85"])
    def check(values):
        assert hygiene.csv_cells(values) == [hygiene.csv_cell(v) if v else v for v in values]

    check()
