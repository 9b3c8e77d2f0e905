"""Excel reader (aical/read/xlsx.py): sheets as tables, header below a title row, real and
era-formatted date cells, merged cells, hostile sheets; the sample's 84 meetings as a
sheet of era-format dates."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.document import Paragraph, Table
from aical.read import document_from_bytes
from formats import ERA_DATE, sample_xlsx
from test_pipeline import essentials, expected


def extract(path) -> dict:
    result = CliRunner().invoke(cli, ["extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory, expected_rows):
    path = tmp_path_factory.mktemp("xlsx") / "r2-meetings.xlsx"
    sample_xlsx(path, expected_rows)
    return path


def test_the_sheet_reads_as_a_table_with_era_dates(sample_file, expected_rows):
    document = document_from_bytes(sample_file.read_bytes(), sample_file.name)
    title, table = document.blocks
    assert isinstance(title, Paragraph) and title.text == "令和2年度 会議開催実績"
    assert isinstance(table, Table) and table.caption == "会議日程"
    assert [c.text for c in table.header[0]] == ["会議体", "会議名", "開催日", "終了日",
                                                 "開催方法", "場所"]
    assert len(table.rows) == 84
    first = table.rows[0][2]
    row = expected_rows[0]
    assert first.date == dt.date.fromisoformat(row["first"])
    era = {2020: "令和2年", 2021: "令和3年"}[first.date.year]
    assert first.text == f"{era}{first.date.month}月{first.date.day}日"
    assert str(first.at) == "r2-meetings.xlsx:会議日程!C4"


def test_the_sheet_gives_the_84_events(sample_file, expected_rows):
    data = extract(sample_file)
    assert sorted(essentials(e) for e in data["events"]) == expected(expected_rows)


def test_merged_cells_and_a_header_below_the_title(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日程表"])
    sheet.append(["日付", "会議", "場所"])
    sheet.append([dt.datetime(2020, 5, 26, 14, 0), "総会", "県庁"])
    sheet.append([None, "幹事会", "県庁"])
    sheet.merge_cells("A3:A4")
    sheet["A3"].number_format = "yyyy/m/d h:mm"
    hidden = book.create_sheet("隠し")
    hidden.append(["日付", "会議"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "m.xlsx"
    book.save(str(path))
    blocks = document_from_bytes(path.read_bytes(), "m.xlsx").blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table"]
    table = blocks[1]
    assert table.rows[0][0] is table.rows[1][0]
    assert (table.rows[0][0].date, table.rows[0][0].time) == (dt.date(2020, 5, 26),
                                                            dt.time(14, 0))
    assert table.rows[0][0].text == "2020/5/26 14:00"


@pytest.mark.parametrize(("number_format", "shown"), [
    ('[$-ja-JP]ggge"年"m"月"d"日"', "令和2年5月26日"),
    ('[$-411]ggge"年"m"月"', "令和2年5月"),       # month-only: the day is not shown
    ("gge.m.d", "令2.5.26"), ("[$-411]ge.m.d", "R2.5.26"),
    ('yyyy"年"m"月"d"日"(aaa)', "2020年5月26日(火)"),
    ("yyyy/mm/dd", "2020/05/26"), ("mm-dd-yy", "2020/5/26"),   # built-in 14, Japanese locale
    ('m"月"d"日"', "5月26日"), ("yyyy/m/d h:mm", "2020/5/26 14:05"),
    ("[$-x-sysdate]dddd, mmmm dd, yyyy", "2020年5月26日"),
])
def test_a_date_cell_shows_what_its_number_format_shows(tmp_path, number_format, shown):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["会議", "開催日"])
    book.active.append(["総会", dt.datetime(2020, 5, 26, 14, 5)])
    book.active["B2"].number_format = number_format
    path = tmp_path / "f.xlsx"
    book.save(str(path))
    (table,) = document_from_bytes(path.read_bytes(), "f.xlsx").blocks
    cell = table.rows[0][1]
    assert (cell.text, cell.date, cell.time) == (shown if "h" in number_format else
                                                 f"{shown} 14:05", dt.date(2020, 5, 26),
                                                 dt.time(14, 5))


@pytest.mark.parametrize(("format_id", "shown"), [
    (31, "2020年5月26日"), (58, "令和2年5月26日"), (57, "R2.5.26"), (55, "2020年5月"),
    (56, "5月26日"),
])
def test_a_japanese_builtin_date_format_is_read_as_its_date(tmp_path, format_id, shown):
    """A Japanese Excel refers to its locale's built-in date formats by number only (no
    <numFmt> in styles.xml); the cell holds a serial number, which is the date."""
    import re
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["会議", "開催日"])
    book.active.append(["総会", dt.date(2020, 5, 26)])
    book.active["B2"].number_format = 'yyyy"年"m"月"d"日"'
    path = tmp_path / "ja.xlsx"
    book.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    styles = parts["xl/styles.xml"].decode()
    custom = re.search(r'<numFmt numFmtId="(\d+)" formatCode="yyyy&quot;年', styles)[1]
    styles = re.sub(r"<numFmts.*?</numFmts>", "", styles)
    parts["xl/styles.xml"] = styles.replace(f'numFmtId="{custom}"', f'numFmtId="{format_id}"') \
        .encode()
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    (table,) = document_from_bytes(path.read_bytes(), "ja.xlsx").blocks
    cell = table.rows[0][1]
    assert (cell.text, cell.date) == (shown, dt.date(2020, 5, 26))


def test_a_month_format_dates_a_month(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["会議名", "開始", "終了"])
    book.active.append(["技術的診断", dt.date(2020, 8, 1), dt.date(2020, 11, 30)])
    for ref in ("B2", "C2"):
        book.active[ref].number_format = 'ggge"年"m"月"'
    path = tmp_path / "m.xlsx"
    book.save(str(path))
    (event,) = extract(path)["events"]
    assert (event["first_day"], event["last_day"], event["precision"]) == \
        ("2020-08-01", "2020-11-30", "month")


def test_a_million_empty_rows_end_in_a_bounded_run(tmp_path):
    import time
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["日付", "会議"])
    book.active.append(["5月26日", "総会"])
    path = tmp_path / "empty.xlsx"
    book.save(str(path))
    # the sheet's XML rewritten with a million empty rows after the two real ones
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    rows = "".join(f'<row r="{n}"/>' for n in range(3, 1_000_003))
    parts["xl/worksheets/sheet1.xml"] = xml.replace("</sheetData>", rows + "</sheetData>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    start = time.monotonic()
    document = document_from_bytes(path.read_bytes(), "empty.xlsx")
    assert time.monotonic() - start < 60
    (table,) = document.blocks
    assert [[c.text for c in row] for row in table.rows] == [["5月26日", "総会"]]
