"""Word reader (aical/read/docx.py) and the Office ZIP checks (aical/read/office.py): the
sample as a .docx with Word's heading styles gives the text build's 84 events, UIDs and
bodies; merged cells, numbering; zip bombs and damaged files end in one InputError."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.document import Heading, ListItem, Table
from aical.errors import InputError
from aical.read import document_from_bytes
from conftest import SAMPLE, assert_handled
from formats import sample_docx
from test_pipeline import essentials, expected


def extract(path) -> dict:
    result = CliRunner().invoke(cli, ["extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "r2-jigyo-hokoku.docx"
    sample_docx(path)
    return path


def test_sample_docx_gives_the_84_events(sample_file, expected_rows):
    data = extract(sample_file)
    assert sorted(essentials(e) for e in data["events"]) == expected(expected_rows)


def test_sample_docx_has_the_text_builds_uids_titles_and_bodies(sample_file):
    word = extract(sample_file)["events"]
    text = {e["uid"]: e for e in extract(SAMPLE)["events"]}
    assert sorted(e["uid"] for e in word) == sorted(text)
    for event in word:
        assert (event["summary"], event["body"]) == (text[event["uid"]]["summary"],
                                                     text[event["uid"]]["body"])


def test_heading_styles_and_list_style_numbering(sample_file):
    document = document_from_bytes(sample_file.read_bytes(), sample_file.name)
    assert (document.kind, document.title) == ("docx", "令和2年度事業報告")
    first = next(b for b in document.blocks if isinstance(b, Heading))
    assert (first.level, first.marker, first.text) == (1, "1", "全団体事業")
    item = next(b for b in document.blocks if isinstance(b, ListItem))
    assert (item.depth, item.marker) == (0, "・")


def test_numbered_list_markers_and_merged_cells(tmp_path):
    import docx

    word = docx.Document()
    for text in ("総会", "幹事会"):
        word.add_paragraph(text, style="List Number")
    table = word.add_table(rows=3, cols=3)
    for r, row in enumerate([["日付", "会議", "場所"], ["5月26日", "総会", "県庁"],
                             ["6月1日", "部会", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))   # vertical merge
    table.cell(2, 1).merge(table.cell(2, 2))   # horizontal merge
    path = tmp_path / "t.docx"
    word.save(str(path))
    document = document_from_bytes(path.read_bytes(), "t.docx")
    items = [(b.marker, b.text) for b in document.blocks if isinstance(b, ListItem)]
    assert items == [("1.", "総会"), ("2.", "幹事会")]
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    rows = [[c.text for c in row] for row in (*table.header, *table.rows)]
    assert rows[1][0] == rows[2][0] == "5月26日\n6月1日"   # Word joins merged text
    assert rows[2][1] == rows[2][2]


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _zip({"word/document.xml": b"<w/>" + b" " * (300 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(InputError, match="zip bomb"):
        document_from_bytes(bomb, "bomb.docx")


def test_too_many_members_and_too_much_in_all_are_refused():
    many = _zip({f"word/m{i}.xml": b"" for i in range(10_001)}, zipfile.ZIP_STORED)
    with pytest.raises(InputError, match="members"):
        document_from_bytes(many, "many.docx")


@pytest.mark.parametrize("members", [
    {"word/document.xml": b"<not xml"},
    {"word/document.xml": b"", "[Content_Types].xml": b"<Types/>"},
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
    {"hello.txt": b"hi"},
])
def test_damaged_or_other_zips_end_in_an_input_error(members):
    with pytest.raises(InputError):
        document_from_bytes(_zip(members), "x.docx")


def test_the_cli_names_a_bomb_in_one_line(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_zip({"word/document.xml": b" " * (300 * 1024 * 1024)}))
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert_handled(result)
    assert result.exit_code == 1 and "bomb.docx" in result.output
