"""Hostile inputs through the command line (issue 7).

Each input ends in a clean message — exit status 1, one line naming the file, no traceback,
no output folder touched — or in a correct build whose files have safe names (ASCII, inside
the output folder), whose pages hold no element or attribute the templates did not write,
and whose feeds hold exactly the events built, read line by line and by icalendar.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import markupsafe
import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.extract.builder import LAST_DAY
from aical.extract.outline import MAX_LINE_CHARS
from aical.read import MAX_BYTES
from conftest import ROOT, SAMPLE, assert_handled, files_of
from strategies import HOSTILE_NAMES, check_feed, check_html, check_names

ENV = {"SOURCE_DATE_EPOCH": "1617235200"}
PDF = ROOT / "tests" / "data" / "r2-jigyo-hokoku.pdf"
AICAL = Path(sys.executable).parent / "aical"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env=ENV)


def build(tmp_path: Path, *inputs: Path, out: str = "out"):
    folder = tmp_path / out
    before = {p.name for p in tmp_path.iterdir()}
    result = run("build", "--out", str(folder), *map(str, inputs))
    result.new_beside = {p.name for p in tmp_path.iterdir()} - before
    return result, folder


def assert_clean_failure(result, name: str, folder: Path | None = None) -> str:
    """Exit 1, nothing on stdout, exactly one line on stderr naming the file."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert_handled(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and name in lines[0], lines[0]
    if folder is not None:
        assert not folder.exists()
    return lines[0]


def assert_good_build(result, folder: Path, tmp_path: Path) -> dict:
    """A build that succeeded: safe names, everything inside the folder, clean contents."""
    assert result.exit_code == 0, result.output
    assert_handled(result)
    files = files_of(folder)
    check_names(files)
    # nothing written beside the folder but the folder and its work folder, which keeps
    # only the lock once the build is done
    work = f".{folder.name}.aical-work"
    assert result.new_beside <= {folder.name, work}, result.new_beside
    assert [p.name for p in (folder.parent / work).iterdir()] == ["lock"]
    for path in folder.rglob("*"):
        assert path.resolve().is_relative_to(folder.resolve())
        assert not path.is_symlink()
    manifest = json.loads(files["manifest.json"])
    check_feed(files["all.ics"], manifest["events"])
    for body in manifest["bodies"]:
        check_feed(files[body["feed"]], body["events"])
    for path, data in files.items():
        if path.endswith(".html"):
            check_html(data)
    return manifest


# ------------------------------------------------------------------ files that are not reports


@pytest.mark.parametrize("name, data", [
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    ("nul.txt", "令和2年度事業報告\n".encode() + b"\x00\x01\x02" * 300),
    ("random.bin.txt", random.Random(7).randbytes(4096)),
    ("truncated.txt", "令和2年度事業報告\n・第1回総会（令和2年5月1日）\n".encode()[:-2]),
    ("damaged.txt", "令和2年度事業報告\n・第1回総会\n".encode().replace(b"\xe7\xb7", b"\xe7\x41")),
    ("corrupt.pdf", b"%PDF-1.4\n" + random.Random(1).randbytes(5000)),
    ("half.pdf", None),
    ("empty.txt", b""),
    ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200),
    ("utf16-odd.txt", b"\xff\xfe" + "令和".encode("utf-16-le") + b"\x00"),
])
def test_unreadable_files_end_in_one_line(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if data is not None else PDF.read_bytes()[:len(PDF.read_bytes()) // 2])
    for command in (["build", "--out", str(tmp_path / "out")], ["extract"], ["lint"],
                    ["dates"]):
        result = run(*command, str(path))
        if command[0] == "build":
            assert_clean_failure(result, name, tmp_path / "out")
        else:
            assert_clean_failure(result, name)


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\n\n", b"\xef\xbb\xbf \r\n\t\x0c"])
def test_a_file_of_blanks_builds_an_empty_calendar(tmp_path, data):
    """Blank text (a BOM alone, line ends) is text with no meetings: an empty, valid build
    (only a file of no bytes at all is refused, by reading)."""
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    assert manifest["events"] == 0 and manifest["bodies"] == []


def test_a_real_process_prints_one_line_and_no_traceback(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\x00\xff" * 1000 + b"\x01")
    done = subprocess.run([str(AICAL), "build", "--out", str(tmp_path / "out"), str(path)],
                          capture_output=True, text=True, env={**os.environ, **ENV},
                          timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(path) in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:  # sparse: costs no disk, and must never be read
        f.truncate(MAX_BYTES + 1)
    result, folder = build(tmp_path, path)
    line = assert_clean_failure(result, "huge.txt", folder)
    assert "50 MB limit" in line


# ------------------------------------------------------------------ size


def test_a_1mb_line_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "long.txt"
    line = "・第1回総会（令和2年5月1日）、" * (2**20 // 40)
    path.write_text("令和2年度事業報告\n1 会議\nア 総会\n・第2回総会（令和2年6月1日）\n"
                    + line + "\n・第3回総会（令和2年7月1日）\n", encoding="utf-8")
    assert path.stat().st_size > 2**20
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    assert manifest["events"] == 2
    assert "long.txt:5: line_too_long" in result.stderr
    assert [w["line"] for w in manifest["warnings"] if w["code"] == "line_too_long"] == [5]


def test_a_line_at_the_limit_is_read():
    from aical.extract import extract_report

    meeting = "第1回総会（令和2年5月1日）"
    text = meeting + "。" * (MAX_LINE_CHARS - len(meeting))  # the bullet is not counted
    report = extract_report(f"1 会議\nア 総会\n・{text}\n・{text}。\n", file="x")
    assert len(report.events) == 1
    assert [(w.code, w.line) for w in report.warnings] == [("line_too_long", 4)]


def test_an_unclosed_parenthesis_does_not_swallow_the_report():
    """Joining a PDF-broken line stops at MAX_LINE_CHARS; what follows is read."""
    from aical.extract import extract_report

    prose = "これは説明の文章であり句点で終わらない長い行が続くことがある文書の例です\n"
    text = ("1 会議\nア 総会\n・第1回総会（令和2年5月1日\n" + prose * 2000
            + "イ 幹事会\n・第1回幹事会（令和2年6月1日）\n")
    report = extract_report(text, file="x")
    assert [e.summary for e in report.events][-1] == "第1回幹事会"


def test_a_10mb_report_builds(tmp_path):
    filler = "本協議会は、構成団体の電子自治体の推進に関する調査研究を行い、その成果を共有した。\n"
    sample = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "big.txt"
    path.write_text(sample + filler * ((10 * 2**20 - len(sample.encode())) // len(
        filler.encode()) + 1), encoding="utf-8")
    assert path.stat().st_size >= 10 * 2**20
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    assert manifest["events"] >= 83


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("written", [
    "令和99999999999999999999年5月1日", "令和2年99999999999999999999月1日",
    "令和2年5月99999999999999999999日", "99999999999999999999年5月1日",
    "令和0年5月1日", "令和2年0月0日", "平成99年1月1日", "明治3年3月3日",
    "令和7981年12月31日", "令和7980年4月1日～令和7981年12月31日",
    "令和2年5月1日～99999999999999999999日", "R99999999999999999999.1.1",
])
def test_absurd_numbers_build_without_them(tmp_path, written):
    path = tmp_path / "absurd.txt"
    path.write_text("令和2年度事業報告\n1 会議\nア 総会\n"
                    f"・第99999999999999999999回総会（{written}）\n"
                    "・第1回総会（令和2年5月1日）\n", encoding="utf-8")
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
    for event in events:
        assert event["last_day"] <= LAST_DAY.isoformat()
    assert "第1回総会" in {e["summary"] for e in events}
    del manifest


# ------------------------------------------------------------------ markup and names

INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</style><script>alert(1)</script>",
    "<!--",
    "]]><x>",
    "{{ 7*7 }}{% if 1 %}x{% endif %}",
    "&lt;b&gt;",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("bad", INJECTIONS)
def test_markup_in_titles_headings_and_meetings_is_text(tmp_path, bad):
    path = tmp_path / "markup.txt"
    path.write_text(
        f"令和2年度事業報告{bad}\n1 会議{bad}\nア {bad}\n"
        f"・第1回{bad}総会（令和2年5月1日、{bad}会議室）\n"
        f"〔審議事項〕\n・{bad}について\n【{bad}】\n・第2回検討会（令和2年6月1日、書面開催）{bad}\n",
        encoding="utf-8")
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    assert manifest["events"] == 2
    page = (folder / "index.html").read_text(encoding="utf-8")
    # shown as text: escaped exactly as Jinja escapes it, and never evaluated as a template
    assert str(markupsafe.escape(bad)) in page
    if "<" in bad or '"' in bad or "'" in bad:
        assert bad not in page
    assert "49x" not in page


@pytest.mark.parametrize("breaker", ["\r\nBEGIN:VEVENT\r\nSUMMARY:x", "\rBEGIN:VEVENT",
                                     "\u2028BEGIN:VEVENT", "\x0bBEGIN:VEVENT",
                                     "\x0cBEGIN:VEVENT", "\x85BEGIN:VEVENT",
                                     "\u2029END:VCALENDAR"])
def test_line_breaks_in_headings_and_titles_inject_nothing(tmp_path, breaker):
    path = tmp_path / "breaks.txt"
    path.write_text(f"令和2年度事業報告\n1 会議\nア 総会{breaker}\n"
                    f"・第1回総会{breaker}（令和2年5月1日、会議室{breaker}）\n",
                    encoding="utf-8", newline="")
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    assert manifest["events"] == 1


#: keeps control characters in a name below reading's binary-data share
PADDING = "本協議会は、構成団体の電子自治体の推進に関する調査研究を行った。" * 4


@pytest.mark.parametrize("name", HOSTILE_NAMES + ("あ" * 10000, "x" * 10000, "\u202e" * 50,
                                                  "CON.txt", "lpt1", "..", "."))
def test_body_names_become_safe_file_names(tmp_path, name):
    path = tmp_path / "names.txt"
    path.write_text(f"令和2年度事業報告\n1 会議\n【{name}】\n・第1回総会（令和2年5月1日）\n"
                    f"(1) {name}\n・第2回部会（令和2年6月1日）\n{PADDING}\n", encoding="utf-8")
    result, folder = build(tmp_path, path)
    manifest = assert_good_build(result, folder, tmp_path)
    assert manifest["events"] == 2
    slugs = [b["slug"] for b in manifest["bodies"]]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("slug", ["../../etc/passwd", "CON", "/abs", "a/../../b", ".hidden",
                                  "", "\u202e", "index", "all"])
def test_config_slugs_are_sanitised(tmp_path, slug):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r2.txt").write_text("令和2年度事業報告\n1 会議\nア 総会\n・第1回総会（令和2年5月1日）\n",
                                   encoding="utf-8")
    (folder / "aical.toml").write_text(
        f'title = "<script>alert(1)</script>"\n[bodies."会議/総会"]\nslug = {json.dumps(slug)}\n'
        f'short_name = "<b onmouseover=x>"\n', encoding="utf-8")
    result, out = build(tmp_path, folder)
    manifest = assert_good_build(result, out, tmp_path)
    assert all(b["slug"] not in ("con", "index", "all") for b in manifest["bodies"])


@pytest.mark.parametrize("color", ["red", "#12", "</style><script>alert(1)</script>"])
def test_a_bad_colour_in_the_config_is_a_message(tmp_path, color):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r2.txt").write_text("令和2年度事業報告\n1 会議\nア 総会\n・第1回総会（令和2年5月1日）\n",
                                   encoding="utf-8")
    (folder / "aical.toml").write_text(f'[bodies."会議/総会"]\ncolor = {json.dumps(color)}\n',
                                       encoding="utf-8")
    result, out = build(tmp_path, folder)
    assert_clean_failure(result, "aical.toml", out)


# ------------------------------------------------------------------ the era engine (lead's)


@pytest.mark.parametrize("text", ["9999年度", "FY9999", "令和7981年度"])
def test_fiscal_year_9999_is_a_date_error(text):
    from aical.errors import DateError
    from aical.dates.finder import find_dates
    from aical.dates.spans import parse

    with pytest.raises(DateError):
        parse(text)
    assert find_dates(f"・{text}事業報告\n") == []


def test_a_year_with_thousands_of_digits_is_a_date_error():
    from aical.errors import DateError
    from aical.dates.finder import find_dates
    from aical.dates.spans import parse

    with pytest.raises(DateError):
        parse("令和" + "9" * 5000 + "年")
    assert all(m.span.last_day.year <= 9999 and "9" * 20 not in m.text
               for m in find_dates("令和" + "9" * 5000 + "年5月1日\n"))


@pytest.mark.parametrize("text", ["9999年度", "令和7981年度", "令和7982年1月1日",
                                  "9999年12月28日～1月8日", "令和99999999999999999999年"])
def test_parse_command_never_tracebacks(text):
    result = run("parse", "--json", text)
    assert result.exit_code == 1
    assert_handled(result)
    assert json.loads(result.stdout)["error"]["code"] in {"invalid_year", "invalid_date"}


def test_find_dates_counts_lines_as_reading_does():
    from aical.dates.finder import find_dates

    text = "表紙\x0c目次\u2028\n令和2年5月1日\n"
    assert [m.line for m in find_dates(text)] == [2]


# ------------------------------------------------------------------ file names and the CSV


def test_a_hostile_input_file_name_injects_nothing(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "<img src=x onerror=1>\r\nBEGIN:VEVENT\n\u202e.txt").write_text(
        "令和2年度事業報告\n1 会議\nア 総会\n・第1回総会（令和2年5月1日）\n", encoding="utf-8")
    result, out = build(tmp_path, folder)
    manifest = assert_good_build(result, out, tmp_path)
    assert manifest["events"] == 1


@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                     "=cmd|' /C calc'!A0"])
def test_csv_cells_never_start_a_formula(tmp_path, formula):
    """CSV injection: a spreadsheet must show every cell taken from a report as text."""
    import csv
    import io

    path = tmp_path / f"{formula[:1]}report.txt"
    path.write_text(f"令和2年度事業報告\n1 {formula}\n【{formula}】\n"
                    f"・{formula}（令和2年5月1日、{formula}）\n", encoding="utf-8")
    result, out = build(tmp_path, path)
    assert_good_build(result, out, tmp_path)
    rows = list(csv.reader(io.StringIO((out / "events.csv").read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 2
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), rows[1]
