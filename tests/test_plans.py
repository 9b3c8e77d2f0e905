"""The calendar's memory through the CLI, with a real scenario (issue 13):

1. build a plan with tentative meetings;
2. build the report of the same year into the same folder: the same UIDs, now CONFIRMED,
   SEQUENCE 1;
3. correct one date: only that event changes;
4. delete one meeting (its body's only one): it is CANCELLED in its feed, which stays;
5. rebuild from a copy in another folder, with new modification times and a later clock:
   byte-identical.

Every step's feeds are read back by icalendar, vobject, ical and Mozilla's ical.js with
the same STATUS and SEQUENCE, and a CalDAV server (Radicale, started here on 127.0.0.1 with
a temporary storage folder) accepts every step's events as updates of the same resources.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from aical.cli import cli
from conftest import files_of, require
from test_ics import read_icaljs

PLAN = """令和2年度事業計画
1 理事会
・第1回理事会（令和2年6月下旬）
・第2回理事会（令和2年9月中旬予定）
・第3回理事会（令和3年3月上旬）
2 総会
・第1回定期総会（令和2年6月頃、市民会館）
3 広報委員会
・第1回広報委員会（令和2年7月予定）
"""

REPORT = """令和2年度事業報告
1 理事会
・第1回理事会（令和2年6月25日、本庁舎会議室）
・第2回理事会（令和2年9月15日、本庁舎会議室、Zoom）
・第3回理事会（令和3年3月5日、書面開催）
2 総会
・第1回定期総会（令和2年6月30日、市民会館）
3 広報委員会
・第1回広報委員会（令和2年7月20日）
"""

#: "now" of each step: inside 令和2年度, so a vanished meeting's year has not ended
EPOCHS = [dt.datetime(2020, 4, 10), dt.datetime(2020, 7, 1), dt.datetime(2020, 8, 1),
          dt.datetime(2020, 9, 1), dt.datetime(2020, 10, 1)]


def _epoch(when: dt.datetime) -> str:
    return str(int(when.replace(tzinfo=dt.timezone.utc).timestamp()))


def _build(docs: Path, out: Path, when: dt.datetime, monkeypatch):
    """``aical build --out OUT docs`` at ``when``, run from the folder holding ``docs``, as
    a person in their own folder would."""
    monkeypatch.chdir(docs.parent)
    env = {"SOURCE_DATE_EPOCH": _epoch(when)}
    result = CliRunner().invoke(cli, ["build", "--out", str(out), docs.name], env=env)
    assert result.exit_code == 0, result.output
    return result


# --- readers: {uid: (STATUS, SEQUENCE)} from each independent parser ----------------------

def _icalendar(data: bytes) -> dict:
    import icalendar

    return {str(v["UID"]): (str(v["STATUS"]), int(v["SEQUENCE"]))
            for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def _vobject(data: bytes) -> dict:
    import vobject

    cal = vobject.readOne(data.decode("utf-8"))
    return {v.uid.value: (v.status.value, int(v.sequence.value))
            for v in cal.contents.get("vevent", [])}


def _ical(data: bytes) -> dict:
    from ical.calendar_stream import IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {e.uid: (str(e.status.value if hasattr(e.status, "value") else e.status).upper(),
                    int(e.sequence)) for e in cal.events}


def _icaljs(data: bytes, tmp_path: Path) -> dict:
    node = shutil.which("node")
    require(node is not None, "node is not installed")
    path = tmp_path / "feed.ics"
    path.write_bytes(data)
    done = subprocess.run([node, str(Path(__file__).parent / "js" / "read_ics.js"), str(path)],
                          capture_output=True, check=True)
    return {e["uid"]: (e["status"], int(e["sequence"]))
            for e in json.loads(done.stdout)["events"]}


def read_back(data: bytes, tmp_path: Path) -> dict:
    """STATUS and SEQUENCE by UID, the same from all four parsers (or the test fails)."""
    readings = {"icalendar": _icalendar(data), "vobject": _vobject(data), "ical": _ical(data),
                "icaljs": _icaljs(data, tmp_path)}
    first = readings["icalendar"]
    for name, reading in readings.items():
        assert reading == first, f"{name} reads STATUS/SEQUENCE differently"
    return first


def _vevents(data: bytes) -> dict[str, bytes]:
    """Each VEVENT's exact bytes, by UID."""
    out = {}
    for block in data.split(b"BEGIN:VEVENT\r\n")[1:]:
        block = block.split(b"END:VEVENT\r\n")[0]
        uid = next(line for line in block.split(b"\r\n") if line.startswith(b"UID:"))
        out[uid[4:].decode()] = block
    return out


# --- a CalDAV server ---------------------------------------------------------------------

class CalDAV:
    """Radicale on 127.0.0.1 with a temporary storage folder, one calendar collection."""

    def __init__(self, storage: Path):
        require(shutil.which(sys.executable) is not None, "no python")
        try:
            import radicale  # noqa: F401
        except ImportError:
            require(False, "radicale is not installed: pip install -e '.[test]'")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", f"--storage-filesystem-folder={storage}",
             f"--server-hosts=127.0.0.1:{self.port}", "--auth-type=none",
             "--rights-type=authenticated", "--logging-level=warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{self.port}"
        end = time.monotonic() + 60
        while True:
            try:
                self.request("MKCOL", "/aical/")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > end or self.process.poll() is not None:
                    raise AssertionError("radicale did not start: "
                                         + self.process.stderr.read().decode()) from None
                time.sleep(0.2)
        assert self.request("MKCALENDAR", "/aical/calendar/") == 201

    def request(self, method: str, path: str, data: bytes | None = None) -> int:
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "text/calendar"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read()

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stderr.close()


def resources(feed: bytes) -> dict[str, bytes]:
    """One calendar object resource per event (RFC 4791 §4.1: one UID each, no METHOD):
    the feed's own header and time zone, then the event exactly as published."""
    head, _, _ = feed.partition(b"BEGIN:VEVENT\r\n")
    head = b"".join(line + b"\r\n" for line in head.split(b"\r\n")
                    if line and not line.startswith(b"METHOD:"))
    return {uid: head + b"BEGIN:VEVENT\r\n" + block + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
            for uid, block in _vevents(feed).items()}


@pytest.fixture
def caldav(tmp_path):
    server = CalDAV(tmp_path / "radicale")
    yield server
    server.close()


# --- the scenario ------------------------------------------------------------------------

def test_plan_report_correction_deletion_and_a_copy_elsewhere(tmp_path, monkeypatch, caldav):
    out = tmp_path / "site"
    docs = tmp_path / "here" / "docs"
    docs.mkdir(parents=True)
    (docs / "r2.txt").write_text(PLAN, encoding="utf-8")
    seen: dict[str, int] = {}  # CalDAV: resource → the SEQUENCE it holds

    def publish_to_caldav(feed: bytes, step: int) -> None:
        for uid, body in resources(feed).items():
            href = f"/aical/calendar/{uid.split('@')[0]}.ics"
            status = caldav.request("PUT", href, body)
            # 201 the first time, 204 (an update of the same resource) every time after
            assert status == (204 if uid in seen else 201), (step, uid, status)
            stored = _icalendar(caldav.get(href))
            assert stored == _icalendar(body)
            seen[uid] = stored[uid][1]

    # 1. the plan: every meeting tentative, SEQUENCE 0
    _build(docs, out, EPOCHS[0], monkeypatch)
    feed1 = (out / "all.ics").read_bytes()
    step1 = read_back(feed1, tmp_path)
    assert len(step1) == 5
    assert set(step1.values()) == {("TENTATIVE", 0)}
    publish_to_caldav(feed1, 1)

    # 2. the report of the same year, same folder: same UIDs, CONFIRMED, SEQUENCE 1
    (docs / "r2.txt").write_text(REPORT, encoding="utf-8")
    _build(docs, out, EPOCHS[1], monkeypatch)
    feed2 = (out / "all.ics").read_bytes()
    step2 = read_back(feed2, tmp_path)
    assert set(step2) == set(step1)
    assert set(step2.values()) == {("CONFIRMED", 1)}
    publish_to_caldav(feed2, 2)

    # 3. one date corrected (in place: no line moves): only that event changes
    (docs / "r2.txt").write_text(REPORT.replace("令和2年7月20日", "令和2年7月21日"),
                                 encoding="utf-8")
    result = _build(docs, out, EPOCHS[2], monkeypatch)
    feed3 = (out / "all.ics").read_bytes()
    step3 = read_back(feed3, tmp_path)
    before, after = _vevents(feed2), _vevents(feed3)
    moved = [uid for uid in after if after[uid] != before[uid]]
    assert len(moved) == 1
    assert step3[moved[0]] == ("CONFIRMED", 2)
    assert all(step3[uid] == ("CONFIRMED", 1) for uid in step3 if uid != moved[0])
    assert b"LAST-MODIFIED:20200801T000000Z" in after[moved[0]]
    assert b"CREATED:20200410T000000Z" in after[moved[0]]  # created by the plan
    assert "1 changed" in result.output
    publish_to_caldav(feed3, 3)

    # 4. the meeting deleted (its body's only one): CANCELLED in its feed, which stays
    slugs = {b["name"]: b["feed"] for b in
             json.loads((out / "manifest.json").read_text(encoding="utf-8"))["bodies"]}
    committee_feed = next(feed for name, feed in slugs.items() if "広報委員会" in name)
    text = (docs / "r2.txt").read_text(encoding="utf-8")
    (docs / "r2.txt").write_text(text.replace("・第1回広報委員会（令和2年7月21日）\n", ""),
                                 encoding="utf-8")
    result = _build(docs, out, EPOCHS[3], monkeypatch)
    assert "removed: 第1回広報委員会" in result.output
    feed4 = (out / "all.ics").read_bytes()
    step4 = read_back(feed4, tmp_path)
    assert step4[moved[0]] == ("CANCELLED", 3)
    assert all(step4[uid] == ("CONFIRMED", 1) for uid in step4 if uid != moved[0])
    own = read_back((out / committee_feed).read_bytes(), tmp_path)
    assert own == {moved[0]: ("CANCELLED", 3)}
    events = json.loads((out / "events.json").read_text(encoding="utf-8"))["events"]
    assert moved[0] not in {e["uid"] for e in events}  # open data: what the documents say
    publish_to_caldav(feed4, 4)

    # 5. a copy elsewhere, new modification times, a later clock: byte-identical
    expected = files_of(out)
    elsewhere = tmp_path / "somewhere" / "else" / "docs"
    shutil.copytree(docs, elsewhere)
    for path in elsewhere.iterdir():
        os.utime(path, (2_000_000_000, 2_000_000_000))
    _build(elsewhere, out, EPOCHS[4], monkeypatch)
    assert files_of(out) == expected
    _build(elsewhere, out, dt.datetime(2021, 3, 31), monkeypatch)  # the year's last day
    assert files_of(out) == expected
    publish_to_caldav((out / "all.ics").read_bytes(), 5)
    assert seen == {uid: sequence for uid, (_, sequence) in step4.items()}


def test_a_vanished_event_leaves_the_feeds_once_its_fiscal_year_is_over(tmp_path,
                                                                           monkeypatch):
    out = tmp_path / "site"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "r2.txt").write_text(REPORT, encoding="utf-8")
    _build(docs, out, EPOCHS[1], monkeypatch)
    (docs / "r2.txt").write_text(REPORT.replace("・第1回広報委員会（令和2年7月20日）\n", ""),
                                 encoding="utf-8")
    _build(docs, out, dt.datetime(2021, 4, 1), monkeypatch)  # 令和2年度 has ended
    assert len(_icalendar((out / "all.ics").read_bytes())) == 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not any("広報委員会" in b["name"] for b in manifest["bodies"])


def test_the_build_time_is_the_clock_or_source_date_epoch_never_a_file(monkeypatch):
    from aical.publish.site import build_time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1617235200")
    assert build_time() == dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((build_time() - now).total_seconds()) < 5
