"""`aical build`: the folder, its manifest contract, determinism, atomicity, year forms."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.publish.opendata import EVENT_LIST_COLUMNS
from aical.publish.site import render_site, write_site
from aical.reports import expand_inputs, read_inputs
from conftest import SAMPLE, assert_handled, files_of, split_body

STAMP = dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc)


def build(tmp_path: Path, *args: str, name: str = "out"):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["build", "--out", str(out), *args],
                                env={"SOURCE_DATE_EPOCH": "1617235200"})
    return result, out


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("build")
    result, out = build(tmp, "--year", "R2", str(SAMPLE.parent))
    assert result.exit_code == 0, result.output
    return out


def test_the_sample_builds_84_events_in_24_bodies(sample_build, expected_rows):
    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["events"] == 84
    assert sum(b["events"] for b in manifest["bodies"]) == 84
    assert len(manifest["bodies"]) == 24  # 21 with meetings, 3 with 開催実績なし
    expected_bodies = {split_body(r["body"]) for r in expected_rows}
    assert expected_bodies <= {tuple(b["path"]) for b in manifest["bodies"]}
    assert [w["line"] for w in manifest["warnings"] if w["code"] == "out_of_fiscal_year"] == [98]


def test_manifest_contract(sample_build):
    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    assert {"fiscal_years", "bodies", "all_feed", "pages", "events_json", "events_csv",
            "warnings"} <= set(manifest)
    for body in manifest["bodies"]:
        assert {"name", "path", "slug", "feed", "events"} <= set(body)
        assert (sample_build / body["feed"]).is_file()
        assert body["feed"] == f"bodies/{body['slug']}.ics"
    assert manifest["pages"] == {"2020": "fy2020.html"}
    for key in ("all_feed", "events_json", "events_csv"):
        assert (sample_build / manifest[key]).is_file()
    assert (sample_build / "index.html").read_bytes() == (sample_build / "fy2020.html").read_bytes()


def test_each_feed_holds_its_body_and_all_holds_every_event(sample_build):
    from icalendar import Calendar

    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    events = json.loads((sample_build / "events.json").read_text(encoding="utf-8"))["events"]
    uids_by_body: dict[tuple, set] = {}
    for event in events:
        uids_by_body.setdefault(tuple(event["body"]), set()).add(event["uid"])
    for body in manifest["bodies"]:
        calendar = Calendar.from_ical((sample_build / body["feed"]).read_bytes())
        uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
        assert uids == uids_by_body.get(tuple(body["path"]), set()), body["name"]
    calendar = Calendar.from_ical((sample_build / "all.ics").read_bytes())
    all_uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(all_uids) == len(set(all_uids)) == 84


def test_events_use_the_model_vocabulary(sample_build):
    from aical.model import MODES, PRECISIONS

    events = json.loads((sample_build / "events.json").read_text(encoding="utf-8"))["events"]
    assert {e["precision"] for e in events} <= set(PRECISIONS)
    assert {e["mode"] for e in events} - {None} <= set(MODES)
    assert {e["mode"] for e in events} >= {"written", "in_person", "online", "bulletin", "video"}


def test_events_json_matches_extract(sample_build):
    result = CliRunner().invoke(cli, ["extract", "--json", str(SAMPLE)])
    built = json.loads((sample_build / "events.json").read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    extracted = json.loads(result.stdout)
    assert built["events"] == extracted["events"]


def test_events_csv_is_the_open_data_event_list(sample_build, expected_rows):
    data = (sample_build / "events.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EVENT_LIST_COLUMNS
    assert len(rows) == 85
    columns = {name: i for i, name in enumerate(rows[0])}
    spans = sorted((r[columns["開始日"]], r[columns["終了日"]]) for r in rows[1:])
    assert spans == sorted((r["first"], r["last"]) for r in expected_rows)
    assert [r[columns["NO"]] for r in rows[1:]] == [str(i) for i in range(1, 85)]


def test_rebuilds_are_byte_identical(tmp_path):
    first, out1 = build(tmp_path, "--year", "R2", str(SAMPLE), name="a")
    second, out2 = build(tmp_path, "--year", "R2", str(SAMPLE), name="b")
    assert first.exit_code == second.exit_code == 0
    assert files_of(out1) == files_of(out2)


@pytest.mark.parametrize("year", ["R2", "r2", "令和2", "令和2年度", "2020", "FY2020", "Ｒ２"])
def test_every_year_form_gives_the_same_build(tmp_path, sample_build, year):
    result, out = build(tmp_path, "--year", year, str(SAMPLE.parent))
    assert result.exit_code == 0, result.output
    assert files_of(out) == files_of(sample_build)


def test_a_year_with_no_document_fails_in_one_line(tmp_path):
    result, out = build(tmp_path, "--year", "H31", str(SAMPLE))
    assert result.exit_code == 1
    assert "no document of 令和元年度" in result.output and "令和2年度" in result.output
    assert_handled(result)
    assert not out.exists()


def test_an_unknown_year_is_a_usage_error(tmp_path):
    result, _ = build(tmp_path, "--year", "next", str(SAMPLE))
    assert result.exit_code == 2
    assert "--year" in result.output


def test_strict_fails_on_warnings_and_writes_nothing(tmp_path):
    result, out = build(tmp_path, "--strict", str(SAMPLE))
    assert result.exit_code == 1
    assert ":98: out_of_fiscal_year" in result.output
    assert not out.exists()


def test_without_year_every_year_found_is_built(tmp_path):
    r3 = tmp_path / "in" / "r3.txt"
    r3.parent.mkdir()
    r3.write_text("令和3年度事業報告\n\n1 会議\n\nア 総会\n\n・第1回総会（令和3年5月20日、県自治センター）\n",
                  encoding="utf-8")
    (tmp_path / "in" / "r2.txt").write_bytes(SAMPLE.read_bytes())
    result, out = build(tmp_path, str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pages"] == {"2020": "fy2020.html", "2021": "fy2021.html"}
    assert (out / "index.html").read_bytes() == (out / "fy2021.html").read_bytes()
    assert manifest["events"] == 85  # last year's meetings stay in the feeds
    assert "fy2020.html" in (out / "index.html").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path, monkeypatch):
    result, out = build(tmp_path, str(SAMPLE))
    assert result.exit_code == 0
    before = files_of(out)

    # fail in the middle of writing: three files are written, then the disk "fills"
    from aical.publish import site as site_module

    real_write = site_module._write_file
    calls = {"n": 0}

    def flaky(path, data):
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(site_module, "_write_file", flaky)
    inputs = read_inputs(expand_inputs([SAMPLE]))
    site = render_site(inputs, stamp=STAMP)
    with pytest.raises(OSError):
        write_site(site.files, out)
    monkeypatch.undo()
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.aical-work", "out"]
    assert [p.name for p in (tmp_path / ".out.aical-work").iterdir()] == ["lock"]


def test_a_folder_aical_did_not_build_is_never_replaced(tmp_path):
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "thesis.txt").write_text("irreplaceable", encoding="utf-8")
    result, _ = build(tmp_path, str(SAMPLE), name="docs")
    assert result.exit_code == 1
    assert "did not build" in result.output
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "irreplaceable"


def test_stale_staging_folders_of_a_killed_build_are_swept(tmp_path):
    stale = tmp_path / ".out.aical-work" / "new-dead"
    stale.mkdir(parents=True)
    (stale / "half.ics").write_text("BEGIN:VCALENDAR", encoding="utf-8")
    result, out = build(tmp_path, str(SAMPLE))
    assert result.exit_code == 0
    assert not stale.exists()


def test_config_names_the_calendar_and_bodies(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r2.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "aical.toml").write_text(
        'title = "テスト協議会"\nmunicipality_code = "230006"\nbase_url = "https://example.org/cal"\n'
        '[bodies."全団体事業/会議運営/幹事会"]\nslug = "kanjikai"\nshort_name = "幹事会"\n'
        'color = "#4169e1"\n', encoding="utf-8")
    result, out = build(tmp_path, str(folder))
    assert result.exit_code == 0, result.output
    assert (out / "bodies" / "kanjikai.ics").is_file()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "webcal://example.org/cal/bodies/kanjikai.ics" in page
    assert "テスト協議会" in page
    csv_text = (out / "events.csv").read_bytes().decode("utf-8-sig")
    assert "230006" in csv_text


def test_bad_config_names_the_file_and_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r2.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "aical.toml").write_text('title = "x"\nbroken = \n', encoding="utf-8")
    result, _ = build(tmp_path, str(folder))
    assert result.exit_code == 1
    assert "aical.toml:2" in result.output


def _uids(folder: Path) -> dict[str, str]:
    """UID → summary and days, read back from all.ics."""
    from icalendar import Calendar

    calendar = Calendar.from_ical((folder / "all.ics").read_bytes())
    return {str(e["UID"]): f"{e['SUMMARY']} {e['DTSTART'].to_ical().decode()}"
            for e in calendar.walk("VEVENT")}


def test_uids_survive_rename_venue_edit_and_an_inserted_meeting(tmp_path):
    result, out = build(tmp_path, str(SAMPLE), name="before")
    before = _uids(out)
    text = SAMPLE.read_text(encoding="utf-8")
    edited = text.replace("第2回幹事会（令和2年10月14日、県自治センター）",
                          "第2回幹事会（令和2年10月14日、三の丸庁舎）")
    assert "第2回幹事会（令和2年10月14日、三の丸庁舎）" in edited
    edited = edited.replace("- ・第1回幹事会（令和2年5月26日～29日、書面開催）",
                            "- ・第0回幹事会（令和2年4月20日、県本庁舎）\n"
                            "- ・第1回幹事会（令和2年5月26日～29日、書面開催）")
    assert edited.count("\n") == text.count("\n") + 1
    renamed = tmp_path / "renamed-report.txt"
    renamed.write_text(edited, encoding="utf-8")
    result, out = build(tmp_path, str(renamed), name="after")
    assert result.exit_code == 0, result.output
    after = _uids(out)
    assert set(before) <= set(after)
    assert len(after) == len(before) + 1
    for uid, what in before.items():
        assert after[uid] == what


def test_a_slash_in_a_body_name_is_not_a_deeper_path(tmp_path):
    # 総会/幹事会 (one name) and 総会 › 幹事会 (a path) used to get one UID, and the build
    # dropped the second meeting with a duplicate_event warning
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("令和2年度事業報告\n1 会議\n（1）総会/幹事会\n"
                               "・第1回幹事会（令和2年5月1日、書面開催）\n", encoding="utf-8")
    (src / "b.txt").write_text("令和2年度事業報告\n1 会議\n（1）総会\nア 幹事会\n"
                               "・第1回幹事会（令和2年5月1日、書面開催）\n", encoding="utf-8")
    result, out = build(tmp_path, str(src))
    assert result.exit_code == 0, result.output
    events = json.loads((out / "events.json").read_text(encoding="utf-8"))
    events = events["events"] if isinstance(events, dict) else events
    assert len(events) == 2 and len({e["uid"] for e in events}) == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [w for w in manifest["warnings"] if w["code"] == "duplicate_event"]


# ------------------------------------------------------------------ the forked page writer

def _two_files(page, other=lambda: [b"x"]):
    """A site of a page made ``apart`` and another file, with an aical manifest."""
    from aical.publish.site import GENERATOR, MANIFEST_FORMAT, Files

    files = Files()
    files.add("fy2020.html", page, apart=True)
    files.alias("index.html", "fy2020.html")
    files.add("other.txt", other)
    files.add("manifest.json", json.dumps({"generator": GENERATOR,
                                           "format": MANIFEST_FORMAT}).encode())
    return files


def _pid():
    yield str(os.getpid()).encode()


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the page is written by a forked process on Linux")


@linux_only
def test_the_page_is_written_by_a_second_process_while_the_rest_is(tmp_path):
    out = write_site(_two_files(_pid, _pid), tmp_path / "out")
    page, other = (out / "fy2020.html").read_text(), (out / "other.txt").read_text()
    assert other == str(os.getpid()) and page != other
    assert (out / "index.html").read_text() == page  # copied once the child wrote it


def test_with_another_thread_running_nothing_is_forked(tmp_path):
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        out = write_site(_two_files(_pid, _pid), tmp_path / "out")
    finally:
        stop.set()
        thread.join()
    assert (out / "fy2020.html").read_text() == (out / "other.txt").read_text() \
        == str(os.getpid())


def test_a_build_holding_much_memory_writes_in_one_process(tmp_path, monkeypatch):
    from aical.publish import site as site_module

    monkeypatch.setattr(site_module, "FORK_MAX_MB", 0)  # as if this process were big
    out = write_site(_two_files(_pid, _pid), tmp_path / "out")
    assert (out / "fy2020.html").read_text() == (out / "other.txt").read_text() \
        == str(os.getpid())


def _no_space():
    raise OSError(errno.ENOSPC, "No space left on device")
    yield b""  # a generator, as the page is


_TEST_PROCESS = os.getpid()


def _killed():
    if os.getpid() != _TEST_PROCESS:  # never the test's own process
        os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("the page was not written by a forked process")
    yield b""


@linux_only
@pytest.mark.parametrize("page, error", [(_no_space, errno.ENOSPC), (_killed, None)])
def test_a_failure_in_the_page_writer_fails_the_build_and_changes_nothing(tmp_path, page,
                                                                          error):
    result, out = build(tmp_path, str(SAMPLE))
    assert result.exit_code == 0
    before = files_of(out)
    with pytest.raises(OSError) as raised:
        write_site(_two_files(page), out)
    assert raised.value.errno == error or (error is None
                                           and isinstance(raised.value, ChildProcessError))
    assert files_of(out) == before
    assert [p.name for p in (tmp_path / ".out.aical-work").iterdir()] == ["lock"]
