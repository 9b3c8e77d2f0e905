"""HTML reader (aical/read/html.py): charsets, blocks, chrome left out, tables with spans,
fields, hostile pages; and the sample as a Shift_JIS page gives the text build's events."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.document import Fields, Heading, ListItem, Paragraph, Table
from aical.errors import InputError
from aical.read import document_from_bytes
from conftest import SAMPLE, assert_handled
from formats import sample_html
from test_pipeline import essentials, expected


def read(html: str | bytes, name: str = "page.html"):
    data = html.encode("utf-8") if isinstance(html, str) else html
    return document_from_bytes(data, name)


def kinds(document):
    return [type(b).__name__ for b in document.blocks]


def extract(path) -> dict:
    result = CliRunner().invoke(cli, ["extract", "--json", "-v", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------ the sample


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "r2-jigyo-hokoku.html"
    path.write_bytes(sample_html().encode("cp932"))
    return path


def test_sample_page_gives_the_84_events(sample_page, expected_rows):
    data = extract(sample_page)
    assert sorted(essentials(e) for e in data["events"]) == expected(expected_rows)


def test_sample_page_has_the_text_builds_uids_titles_and_bodies(sample_page):
    page = extract(sample_page)["events"]
    text = extract(SAMPLE)["events"]
    assert sorted(e["uid"] for e in page) == sorted(e["uid"] for e in text)
    by_uid = {e["uid"]: e for e in text}
    for event in page:
        twin = by_uid[event["uid"]]
        assert (event["summary"], event["body"]) == (twin["summary"], twin["body"])
    assert {e["source"]["file"] for e in page} == {"r2-jigyo-hokoku.html"}


def test_sample_page_charset_and_chrome(sample_page):
    document = document_from_bytes(sample_page.read_bytes(), sample_page.name)
    assert (document.kind, document.encoding) == ("html", "cp932")
    assert document.title == "令和2年度事業報告｜あいち電子自治体推進協議会"
    text = "\n".join(getattr(b, "text", "") for b in document.blocks)
    for chrome in ("ホーム", "お知らせ", "関連リンク", "Copyright", "document.write", "menu"):
        assert chrome not in text
    assert document.blocks[0].text == "令和2年度事業報告"
    heading = next(b for b in document.blocks if isinstance(b, Heading) and b.level == 3)
    assert (heading.marker, heading.text) == ("(1)", "あいち電子申請・届出システムの運用")


# ------------------------------------------------------------------ charsets


@pytest.mark.parametrize("codec, meta", [
    ("cp932", '<meta charset="Shift_JIS">'),
    ("euc-jp", '<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">'),
    ("utf-8", '<meta charset="utf-8">'),
    ("cp932", ""),      # no declaration: the bytes decide
    ("euc-jp", ""),
])
def test_charset_from_meta_or_bytes(codec, meta):
    page = f"<html><head>{meta}</head><body><p>第1回総会（令和2年5月26日）を開催した。</p></body></html>"
    document = read(page.encode(codec))
    assert document.encoding == codec
    assert [b.text for b in document.blocks] == ["第1回総会（令和2年5月26日）を開催した。"]


def test_a_stale_meta_loses_to_the_bytes():
    # a page re-saved as UTF-8 by an editor that kept its Shift_JIS declaration
    page = '<html><head><meta charset="Shift_JIS"></head><body><p>令和６年第４回定例会</p></body></html>'
    document = read(page.encode("utf-8"))
    assert document.encoding == "utf-8"
    assert document.blocks[0].text == "令和６年第４回定例会"


def test_bom_wins_over_meta():
    page = '<html><head><meta charset="Shift_JIS"></head><body><p>総会</p></body></html>'
    assert read(page.encode("utf-8-sig")).encoding == "utf-8-sig"
    assert read(page.encode("utf-16")).blocks[0].text == "総会"


# ------------------------------------------------------------------ blocks


def test_lists_nest_into_depth_and_ordered_items_are_numbered():
    document = read("<html><body><ul><li>総会<ul><li>第1回（令和2年5月1日）</li>"
                    "<li>第2回</li></ul></li><li>幹事会</li></ul>"
                    '<ol start="3"><li>三</li><li>四</li></ol></body></html>')
    items = [(b.depth, b.marker, b.text) for b in document.blocks]
    assert items == [(0, "", "総会"), (1, "", "第1回（令和2年5月1日）"), (1, "", "第2回"),
                     (0, "", "幹事会"), (0, "3.", "三"), (0, "4.", "四")]


def test_table_spans_caption_header_and_breaks():
    document = read("""<html><body><table><caption>会議日程</caption>
        <thead><tr><th>日付</th><th>会議</th><th>場所</th></tr></thead>
        <tr><td rowspan="2">5月26日</td><td>総会<br>（第1回）</td><td>県庁</td></tr>
        <tr><td colspan="2">幹事会・書面</td></tr>
        <tr><td>6月1日</td><td>部会</td></tr>
        </table></body></html>""")
    (table,) = document.blocks
    assert isinstance(table, Table) and table.caption == "会議日程"
    assert [[c.text for c in row] for row in table.header] == [["日付", "会議", "場所"]]
    assert [[c.text for c in row] for row in table.rows] == [
        ["5月26日", "総会\n（第1回）", "県庁"],
        ["5月26日", "幹事会・書面", "幹事会・書面"],
        ["6月1日", "部会", ""]]
    assert table.rows[0][0].at.line == 3


def test_header_rows_made_of_th_without_thead():
    (table,) = read("<table><tr><th>日</th><th>会議</th></tr><tr><td>1日</td><td>総会</td></tr>"
                    "</table>", "t.html").blocks
    assert len(table.header) == 1 and [c.text for c in table.rows[0]] == ["1日", "総会"]


def test_layout_tables_are_read_as_blocks():
    document = read("<html><body><table><tr><td><h2>1 会議</h2><table><tr><td>日</td>"
                    "<td>会議</td></tr><tr><td>1日</td><td>総会</td></tr></table></td></tr>"
                    "</table></body></html>")
    assert kinds(document) == ["Heading", "Table"]


def test_definition_lists_are_fields():
    (fields,) = read("<html><body><dl><dt>日時</dt><dd>令和2年5月26日</dd><dt>場所</dt>"
                     "<dd>県庁</dd><dd>（本庁舎）</dd></dl></body></html>").blocks
    assert isinstance(fields, Fields)
    assert [(f.label, f.value) for f in fields.fields] == [("日時", "令和2年5月26日"),
                                                           ("場所", "県庁\n（本庁舎）")]


def test_br_runs_are_lines_and_whitespace_collapses():
    document = read("<html><body>令和６年12月\n  民生環境協議会<br>開催日時<BR>　令和６年12月17日"
                    "</body></html>")
    assert [b.text for b in document.blocks] == ["令和６年12月 民生環境協議会", "開催日時",
                                                 "　令和６年12月17日"]
    assert all(isinstance(b, Paragraph) for b in document.blocks)


def test_an_articles_own_header_is_kept_and_hidden_parts_are_not():
    document = read("<html><body><header>サイト名</header><article><header><h1>総会のお知らせ</h1>"
                    "</header><p hidden>隠し</p><p>本文</p><footer>担当：総務課</footer></article>"
                    "</body></html>")
    assert [b.text for b in document.blocks] == ["総会のお知らせ", "本文", "担当：総務課"]


def test_a_fragment_is_read_by_its_name():
    document = read("<h2>1 会議</h2><ul><li>総会（令和2年5月1日）</li></ul>", "excerpt.html")
    assert kinds(document) == ["Heading", "ListItem"]
    text = read("<h2>1 会議</h2> is how it starts", "notes.txt")
    assert text.kind == "text"


# ------------------------------------------------------------------ hostile pages


def test_deep_nesting_is_refused_in_one_line():
    page = "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>"
    with pytest.raises(InputError, match="levels deep"):
        read(page)


def test_nesting_deeper_than_the_walker_is_read_as_text():
    page = "<html><body>" + "<span>" * 1500 + "第1回総会" + "</span>" * 1500 + "</body></html>"
    assert [b.text for b in read(page).blocks] == ["第1回総会"]


def test_a_rowspan_bomb_is_bounded():
    rows = "".join(f'<tr><td rowspan="65534" colspan="1000">{i}</td></tr>' for i in range(300))
    with pytest.raises(InputError, match="cells"):
        read(f"<html><body><table>{rows}</table></body></html>")


@pytest.mark.parametrize("page", [
    b"<html>", b"<html><body></body></html>", b"<!DOCTYPE html>\xff\xfe\x00\x01",
    b"<html><body><table><tr><td rowspan=x colspan=-5>a</td></tr></table></body></html>",
    b"<html><body><ol start=99999999999999><li>a</li></ol></body></html>",
    b"<html><body><dl><dd>no label</dd><dt></dt></dl></body></html>",
])
def test_broken_pages_end_in_a_document_or_an_input_error(page):
    try:
        document = read(page)
    except InputError as error:
        assert "page.html" in str(error)
    else:
        assert document.kind == "html"


def test_the_cli_names_a_refused_page(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<b>" * 5000 + "</body></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert_handled(result)
    assert result.exit_code == 1 and "deep.html" in result.output
