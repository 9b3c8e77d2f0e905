"""Status of a meeting (aical.extract.status), through the extractor and in every output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from aical.extract import extract_report
from aical.extract.builder import mode_and_venue
from aical.extract.status import context_of, event_status, is_draft_title
from aical.dates.finder import scan_line
from aical.model import STATUSES


def _events(lines: str, title: str = "令和2年度事業報告"):
    report = extract_report(f"{title}\n1 理事会\n{lines}\n", file="x.txt")
    return report.events


@pytest.mark.parametrize("line, status, day", [
    ("・第1回理事会（令和2年5月15日）", "confirmed", "2020-05-15"),
    ("・第1回理事会（令和2年5月15日、中止）", "cancelled", "2020-05-15"),
    ("・第1回理事会（令和2年5月15日）※新型コロナウイルス感染症のため中止", "cancelled", "2020-05-15"),
    ("・第1回理事会（令和2年5月15日、開催を取りやめ）", "cancelled", "2020-05-15"),
    ("・第2回理事会（令和2年6月1日予定）", "tentative", "2020-06-01"),
    ("・第2回理事会（令和2年6月1日、日程未定）", "tentative", "2020-06-01"),
    ("・第2回理事会（案）（令和2年6月1日）", "tentative", "2020-06-01"),
    # postponed: on the new day when one is written, after 延期 or before に延期
    ("・第3回理事会（令和2年7月1日、延期、令和2年8月3日開催）", "postponed", "2020-08-03"),
    ("・第3回理事会（令和2年7月1日から令和2年8月3日に延期）", "postponed", "2020-08-03"),
    ("・第3回理事会（令和2年7月1日、延期）", "postponed", "2020-07-01"),
])
def test_status_from_the_text(line, status, day):
    events = _events(line)
    assert [(e.status, e.first_day.isoformat()) for e in events] == [(status, day)]


def test_agenda_about_a_cancellation_is_no_cancellation():
    # 中止について names what was discussed, not what happened to the meeting
    assert event_status("第1回理事会（令和2年5月15日）事業の中止について").status == "confirmed"


def test_draft_document_makes_every_meeting_tentative():
    assert is_draft_title("令和3年度事業計画（案）") and not is_draft_title("令和3年度事業計画")
    events = _events("・第1回理事会（令和3年5月15日）", title="令和3年度事業計画（案）")
    assert [e.status for e in events] == ["tentative"]


def test_each_meeting_on_a_line_has_its_own_status():
    line = "第1回（令和2年5月15日、中止）、第2回（令和2年6月1日）"
    found = scan_line(line)
    parts = context_of(line, found)
    assert [event_status(line, date=m, matches=found, part=p).status
            for m, p in zip(found, parts)] == ["cancelled", "confirmed"]
    # one parenthesis of several dates: what follows the last speaks for all
    line = "理事会（令和2年5月15日、6月1日予定）"
    found = scan_line(line)
    assert [event_status(line, date=m, matches=found, part=p).status
            for m, p in zip(found, context_of(line, found))] == ["tentative", "tentative"]


@pytest.mark.parametrize("segments, mode, venue", [
    (["本庁舎会議室", "Zoom"], "hybrid", "本庁舎会議室"),
    (["ハイブリッド開催"], "hybrid", None),
    (["Web会議"], "online", None),
])
def test_hybrid_mode(segments, mode, venue):
    assert mode_and_venue(segments, loose=True)[:2] == (mode, venue)


def test_status_in_json_csv_and_feeds():
    import icalendar

    from aical.publish import ics, opendata

    events = _events("・第1回理事会（令和2年5月15日、中止）\n・第2回理事会（令和2年6月1日予定）\n"
                     "・第3回理事会（令和2年7月1日、本庁舎会議室、Zoom）\n"
                     "・第4回理事会（令和2年8月1日、書面開催）")
    assert [e.status for e in events] == ["cancelled", "tentative", "confirmed", "confirmed"]
    assert {e.status for e in events} <= set(STATUSES)
    data = json.loads(opendata.events_json(events, ()))
    assert [e["status"] for e in data["events"]] == ["cancelled", "tentative", "confirmed",
                                                      "confirmed"]
    rows = list(csv.DictReader(io.StringIO(
        opendata.events_csv(events, names={}).decode("utf-8-sig"))))
    assert rows[0]["開始日時特記事項"].startswith("中止")
    assert rows[1]["開始日時特記事項"].startswith("予定")
    feed = ics.feed_bytes(events, name="n", description="d", color="#708090",
                          stamp=dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc))
    vevents = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert [str(v["STATUS"]) for v in vevents] == ["CANCELLED", "TENTATIVE", "CONFIRMED",
                                                   "CONFIRMED"]
    assert str(vevents[0]["TRANSP"]) == "TRANSPARENT"  # a cancelled day is free again
    # LOCATION only ever holds a place: the hybrid meeting's room; 書面開催 has none
    assert str(vevents[2]["LOCATION"]) == "本庁舎会議室"
    assert "LOCATION" not in vevents[3]
    assert "書面開催" in [str(c) for c in vevents[3]["CATEGORIES"].cats]
