"""iCalendar feeds read back by four independent parsers and checked against the expected TSV.

Truth is the expected TSV (84 events, inclusive days). Every feed is read by python
icalendar, vobject, ``ical`` (allenporter) and Mozilla ical.js (through node); they must
agree with each other and with the TSV's first day and last day + 1 (DTEND is exclusive).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aical.publish.ics import ICS_STATUS, clean_text, exclusive_end, feed_bytes
from aical.model import Event, Source, Span
from aical.publish.naming import PALETTE, body_color, body_slugs, css_color_name, short_name
from conftest import require

JS = Path(__file__).parent / "js"
STAMP = dt.datetime(2021, 5, 31, 9, 0, tzinfo=dt.timezone.utc)
PARSERS = ("icalendar", "vobject", "ical", "icaljs")


@pytest.fixture(scope="module")
def events(expected_events) -> list[Event]:
    """The 84 expected events, built from the TSV by conftest (independent of extract)."""
    return expected_events


@pytest.fixture(scope="module")
def truth(expected_rows) -> dict[str, tuple[str, str]]:
    """uid → (first day, exclusive end) straight from the TSV."""
    return {
        f"expected-{row['line']}@aical.test": (
            row["first"],
            (dt.date.fromisoformat(row["last"]) + dt.timedelta(days=1)).isoformat(),
        )
        for row in expected_rows
    }


@pytest.fixture(scope="module")
def feeds(events) -> dict[str, bytes]:
    """all.ics and one feed per body, named by slug, as the build would write them."""
    by_body: dict[tuple[str, ...], list[Event]] = defaultdict(list)
    for event in events:
        by_body[event.body].append(event)
    slugs = body_slugs(by_body)
    out = {"all": feed_bytes(events, name="あいち電子自治体推進協議会 全体",
                             description="r2-jigyo-hokoku.txt 令和2年度", color="#708090",
                             stamp=STAMP, prefix_summaries=True)}
    for path, body_events in by_body.items():
        out[slugs[path]] = feed_bytes(body_events, name=short_name(path),
                                      description="r2-jigyo-hokoku.txt 令和2年度",
                                      color=body_color(path), stamp=STAMP)
    return out


# --- independent readers: each returns [{uid, summary, start, end}] ----------------------

def _iso(value) -> str:
    return value.isoformat()


def read_icalendar(data: bytes) -> list[dict]:
    import icalendar

    cal = icalendar.Calendar.from_ical(data)
    return [{"uid": str(v["UID"]), "summary": str(v["SUMMARY"]),
             "description": str(v.get("DESCRIPTION", "")),
             "start": _iso(v.decoded("DTSTART")),
             "end": _iso(v.decoded("DTEND")) if "DTEND" in v else None}
            for v in cal.walk("VEVENT")]


def read_vobject(data: bytes) -> list[dict]:
    import vobject

    cal = vobject.readOne(data.decode("utf-8"))
    return [{"uid": v.uid.value, "summary": v.summary.value,
             "description": v.description.value if hasattr(v, "description") else "",
             "start": _iso(v.dtstart.value),
             "end": _iso(v.dtend.value) if hasattr(v, "dtend") else None}
            for v in cal.contents.get("vevent", [])]


def read_ical(data: bytes) -> list[dict]:
    from ical.calendar_stream import IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return [{"uid": e.uid, "summary": e.summary, "description": e.description or "",
             "start": _iso(e.dtstart), "end": _iso(e.dtend) if e.dtend else None}
            for e in cal.events]


def read_icaljs(data: bytes, tmp_path: Path) -> list[dict]:
    node = shutil.which("node")
    require(node is not None, "node is not installed")
    require((JS / "node_modules" / "ical.js").is_dir(),
            "ical.js is not installed: run `cd tests/js && npm install`")
    path = tmp_path / "feed.ics"
    path.write_bytes(data)
    done = subprocess.run([node, str(JS / "read_ics.js"), str(path)],
                          capture_output=True, check=True)
    result = json.loads(done.stdout)

    def when(value):
        if value is None:
            return None
        if value["is_date"]:
            return value["value"]
        # Compare instants: ical.js resolves TZID through the feed's own VTIMEZONE.
        return dt.datetime.fromisoformat(value["utc"].replace("Z", "+00:00")).isoformat()

    return [{"uid": e["uid"], "summary": e["summary"], "description": e["description"] or "",
             "start": when(e["dtstart"]), "end": when(e["dtend"])} for e in result["events"]]


def read_all(data: bytes, tmp_path: Path) -> dict[str, list[dict]]:
    return {"icalendar": read_icalendar(data), "vobject": read_vobject(data),
            "ical": read_ical(data), "icaljs": read_icaljs(data, tmp_path)}


def _instant(iso: str) -> str:
    """Dates as they are; aware date-times as the UTC instant, so parsers that keep the
    zone and ical.js (which reports UTC) compare equal."""
    if "T" not in iso:
        return iso
    return dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc).isoformat()


def days_by_uid(events: list[dict]) -> dict[str, tuple[str, str | None]]:
    return {e["uid"]: (_instant(e["start"]), e["end"] and _instant(e["end"])) for e in events}


# --- raw-bytes lint -----------------------------------------------------------------------

def lint(data: bytes) -> None:
    """RFC 5545 §3.1 on the bytes themselves: what a strict client would choke on."""
    assert not data.startswith(b"\xef\xbb\xbf"), "BOM"
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    physical = data[:-2].split(b"\r\n")
    for line, following in zip(physical, physical[1:] + [b""]):
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # each physical line alone: folding never splits a character
        if following.startswith(b" "):
            trailing = len(line) - len(line.rstrip(b"\\"))
            assert trailing % 2 == 0, f"fold inside a backslash escape: {line!r}"
    logical = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-2] == "END:VCALENDAR"
    assert logical.count("BEGIN:VEVENT") == logical.count("END:VEVENT")
    assert not any(l.startswith(("X-WR-TIMEZONE", "METHOD:")) and l != "METHOD:PUBLISH"
                   for l in logical)
    event: dict[str, str] | None = None
    for line in logical:
        if line == "BEGIN:VEVENT":
            event = {}
            continue
        if line == "END:VEVENT":
            assert event is not None and "DTSTART" in event
            if "DTEND" in event:
                assert event["DTEND"] > event["DTSTART"], event
            event = None
            continue
        name, _, value = line.partition(":")
        if event is not None and name.split(";")[0] in {"DTSTART", "DTEND"}:
            if re.fullmatch(r"\d{8}", value):
                assert ";VALUE=DATE" in name, f"untyped DATE: {line}"
            else:
                assert re.fullmatch(r"\d{8}T\d{6}Z?", value), line
            event[name.split(";")[0]] = value


# --- the sample's feeds -----------------------------------------------------------------

def test_all_feed_holds_every_expected_event_with_its_days(feeds, truth, tmp_path):
    read = read_all(feeds["all"], tmp_path)
    for parser, events in read.items():
        assert len(events) == 84, parser
        assert days_by_uid(events) == truth, parser


def test_each_body_feed_holds_its_own_events(feeds, events, truth, tmp_path):
    slugs = body_slugs({e.body for e in events})
    seen: set[str] = set()
    for path, slug in slugs.items():
        own = {e.uid for e in events if e.body == path}
        for parser, read in read_all(feeds[slug], tmp_path).items():
            got = days_by_uid(read)
            assert set(got) == own, (parser, slug)
            assert got == {uid: truth[uid] for uid in own}, (parser, slug)
        seen |= own
    assert seen == set(truth)
    assert len(feeds) == 1 + len(slugs)


def test_parsers_agree_on_summaries(feeds, tmp_path):
    read = read_all(feeds["all"], tmp_path)
    reference = {e["uid"]: e["summary"] for e in read["icalendar"]}
    for parser, events in read.items():
        assert {e["uid"]: e["summary"] for e in events} == reference, parser


def test_every_feed_passes_the_byte_lint(feeds):
    for data in feeds.values():
        lint(data)


def test_all_feed_summaries_tell_bodies_apart(feeds, events):
    """第4回事業部会 on 2020-10-08 exists in two projects; all.ics must not show two
    identical entries."""
    read = read_icalendar(feeds["all"])
    per_day = defaultdict(list)
    for e in read:
        per_day[e["start"]].append(e["summary"])
    for summaries in per_day.values():
        assert len(summaries) == len(set(summaries)), summaries
    twins = [e for e in events if e.summary == "第4回事業部会"
             and e.first_day == dt.date(2020, 10, 8)]
    assert len(twins) == 2, "the sample's twin meetings are the point of this test"
    assert all(e["summary"].startswith("[") for e in read)


def test_uids_are_unique_and_the_events_own(feeds, events):
    uids = [e["uid"] for e in read_icalendar(feeds["all"])]
    assert len(uids) == len(set(uids)) == len(events)
    assert set(uids) == {e.uid for e in events}


def test_calendar_properties(feeds, events):
    import icalendar

    path = next(e.body for e in events if e.body[-1] == "事業部会" and "CALS" in e.body[1])
    data = feeds[body_slugs([path])[path]]
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "CALS/EC 事業部会"
    assert str(cal["DESCRIPTION"]) == str(cal["X-WR-CALDESC"])
    assert "令和2年度" in str(cal["DESCRIPTION"])
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH"
    assert "X-WR-TIMEZONE" not in cal
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:P1D\r\n" in data
    hex_ = body_color(path)
    assert str(cal["COLOR"]) == css_color_name(hex_)
    assert str(cal["X-APPLE-CALENDAR-COLOR"]).lower() == hex_
    # COLOR is a CSS3 name whose sRGB is the hex the HTML draws with.
    assert (str(cal["COLOR"]), hex_) in PALETTE


def test_event_properties_follow_mode_and_body(feeds, events):
    import icalendar

    cal = icalendar.Calendar.from_ical(feeds["all"])
    by_uid = {str(v["UID"]): v for v in cal.walk("VEVENT")}
    for event in events:
        v = by_uid[event.uid]
        assert str(v["STATUS"]) == "CONFIRMED" == ICS_STATUS[event.status]
        assert v.decoded("DTSTAMP") == STAMP and v.decoded("LAST-MODIFIED") == STAMP
        categories = [str(c) for c in v["CATEGORIES"].cats]
        assert short_name(event.body) in categories
        description = str(v["DESCRIPTION"])
        assert " / ".join(event.body) in description
        assert f"{event.source.file}:{event.source.line}" in description
        assert event.original in description
        if event.mode == "written":
            assert str(v["TRANSP"]) == "TRANSPARENT"
            assert "書面開催" in categories and "開催方法: 書面開催" in description
        # LOCATION is only ever a place (apps map-search it): never a mode's name
        if event.venue and event.mode in (None, "in_person", "hybrid"):
            assert str(v["LOCATION"]) == event.venue
        else:
            assert "LOCATION" not in v
        if event.mode == "online":
            assert "オンライン開催" in categories


def test_feeds_are_deterministic(events):
    def build(evs):
        return feed_bytes(evs, name="全体", description="d", color="#708090", stamp=STAMP,
                          prefix_summaries=True)

    assert build(events) == build(events)
    assert build(events) == build(list(reversed(events)))


@pytest.mark.parametrize("all_first", [True, False], ids=["all-first", "bodies-first"])
def test_feeds_sharing_their_events_lines_are_the_feeds_made_alone(feeds, events, all_first):
    """A VEVENT's lines after its SUMMARY are made once for all.ics and its body's feed
    (``shared``), whichever is written first: every feed is byte for byte the one made
    alone, and nothing is left in the shared dict once both are written."""
    by_body: dict[tuple[str, ...], list[Event]] = defaultdict(list)
    for event in events:
        by_body[event.body].append(event)
    slugs = body_slugs(by_body)
    shared: dict = {}

    def all_feed():
        return feed_bytes(events, name="あいち電子自治体推進協議会 全体",
                          description="r2-jigyo-hokoku.txt 令和2年度", color="#708090",
                          stamp=STAMP, prefix_summaries=True, shared=shared)

    made = {"all": all_feed()} if all_first else {}
    for path, body_events in by_body.items():
        made[slugs[path]] = feed_bytes(body_events, name=short_name(path),
                                       description="r2-jigyo-hokoku.txt 令和2年度",
                                       color=body_color(path), stamp=STAMP, shared=shared)
    if not all_first:
        made["all"] = all_feed()
    assert made == feeds
    assert shared == {}


# --- text: folding, escaping, injection -------------------------------------------------

def _event(**changes) -> Event:
    base = Event(uid="t-1@aical.test", body=("全団体事業", "会議運営", "総会"), summary="総会",
                 span=Span(dt.date(2020, 5, 18), dt.date(2020, 5, 18)),
                 source=Source("r2.txt", 10), original="・総会（令和2年5月18日）")
    return dataclasses.replace(base, **changes)


def test_long_japanese_text_folds_and_round_trips(tmp_path):
    summary = ("第1回あいち電子調達共同システム事業部会、議題；規約改正\\について" * 12)[:300]
    agenda = tuple(f"議題{i}：" + "施設予約システムの次期更改に係る仕様書（案）について、" * 4
                   for i in range(3))
    data = feed_bytes([_event(summary=summary, agenda=agenda)], name="総会" * 40,
                      description="説明" * 100, color="#4169e1", stamp=STAMP)
    lint(data)
    assert max(len(line) for line in data.split(b"\r\n")) > 60  # really folded
    for parser, read in read_all(data, tmp_path).items():
        assert [e["summary"] for e in read] == [summary], parser
        for item in agenda:
            assert item in read[0]["description"], parser


def test_injected_line_breaks_do_not_create_properties_or_events(tmp_path):
    evil = "会議\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT\nDTSTART:19990101\rX-EVIL:1"
    data = feed_bytes([_event(summary=evil, venue=evil, agenda=(evil,), original=evil,
                              source=Source(evil, 3))],
                      name=evil, description=evil, color="#4169e1", stamp=STAMP)
    lint(data)
    logical = data.decode().replace("\r\n ", "").split("\r\n")
    assert logical.count("BEGIN:VEVENT") == 1
    assert not any(l.startswith(("UID:evil", "X-EVIL", "DTSTART:1999")) for l in logical)
    for parser, read in read_all(data, tmp_path).items():
        assert [e["uid"] for e in read] == ["t-1@aical.test"], parser
        assert read[0]["summary"] == clean_text(evil), parser


@pytest.mark.parametrize("prefix", range(6))
def test_folding_never_splits_a_backslash_escape(prefix, tmp_path):
    summary = "あ" * prefix + "\\" * 90 + ",;" * 20 + "\\n"
    data = feed_bytes([_event(summary=summary)], name="n", description="d", color="#008080",
                      stamp=STAMP)
    lint(data)
    for parser, read in read_all(data, tmp_path).items():
        assert [e["summary"] for e in read] == [summary], parser


def test_control_characters_are_stripped():
    text = "a\x00b\x07c\x1bd\x7fe\u2028f\x85g\td"
    assert clean_text(text) == "abcde f g d"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_any_summary_gives_lint_clean_feed_that_round_trips(summary):
    import icalendar

    data = feed_bytes([_event(summary=summary)], name="n", description="d", color="#008080",
                      stamp=STAMP)
    lint(data)
    [vevent] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == clean_text(summary)


# --- empty and timed feeds --------------------------------------------------------------

def test_empty_feed_is_a_valid_calendar(tmp_path):
    data = feed_bytes([], name="開催実績なし", description="d", color="#008080", stamp=STAMP)
    lint(data)
    for parser, read in read_all(data, tmp_path).items():
        assert read == [], parser


def test_timed_event_is_local_tokyo_time_in_every_parser(tmp_path):
    event = _event(start_time=dt.time(13, 30), end_time=dt.time(15, 0))
    data = feed_bytes([event], name="総会", description="d", color="#008080", stamp=STAMP)
    lint(data)
    assert b"DTSTART;TZID=Asia/Tokyo:20200518T133000\r\n" in data
    assert b"DTEND;TZID=Asia/Tokyo:20200518T150000\r\n" in data
    assert b"BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n" in data
    expected = ("2020-05-18T04:30:00+00:00", "2020-05-18T06:00:00+00:00")
    for parser, read in read_all(data, tmp_path).items():
        assert [(_instant(e["start"]), _instant(e["end"])) for e in read] == [expected], parser


def test_multi_day_span_is_one_event_with_exclusive_end(tmp_path):
    span = Span(dt.date(2020, 12, 28), dt.date(2021, 1, 8))
    data = feed_bytes([_event(span=span, mode="written")], name="n", description="d",
                      color="#008080", stamp=STAMP)
    for parser, read in read_all(data, tmp_path).items():
        assert [(e["start"], e["end"]) for e in read] == [("2020-12-28", "2021-01-09")], parser


def test_exclusive_end_is_the_day_after_the_inclusive_last_day():
    assert exclusive_end(Span(dt.date(2021, 2, 28), dt.date(2021, 2, 28))) == dt.date(2021, 3, 1)
    assert exclusive_end(Span(dt.date(2020, 2, 1), dt.date(2020, 2, 29))) == dt.date(2020, 3, 1)
    assert exclusive_end(Span(dt.date(2020, 12, 1), dt.date(2020, 12, 31))) == dt.date(2021, 1, 1)
