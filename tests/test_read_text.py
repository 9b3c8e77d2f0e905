"""Text and Markdown readers (aical/read/text.py, aical/read/markdown.py): the blocks and
their locations for headings, lists, pipe tables and TAB-separated rows, and the sample
written as Markdown and as a TAB-separated sheet giving its 84 meetings.

The expected blocks are written by hand from the inputs below (which line holds what), not
from the readers' output.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.document import Heading, ListItem, Paragraph, Table
from aical.read import document_from_bytes
from conftest import SAMPLE
from formats import sample_markdown, sample_tsv
from test_pipeline import essentials, expected


def read(text: str, name: str = "t.md"):
    return document_from_bytes(text.encode("utf-8"), name)


def shown(document) -> list[tuple]:
    """Each non-empty block as (kind, what it holds, line)."""
    out = []
    for b in document.blocks:
        if isinstance(b, Heading):
            out.append(("h", b.level, b.marker, b.text, b.at.line))
        elif isinstance(b, ListItem):
            out.append(("li", b.depth, b.marker, b.text, b.at.line))
        elif isinstance(b, Table):
            out.append(("table", [[c.text for c in r] for r in b.header],
                        [[c.text for c in r] for r in b.rows], b.at.line))
        elif isinstance(b, Paragraph) and b.text:
            out.append(("p", b.text, b.at.line))
    return out


# --------------------------------------------------------------------------- Markdown


def test_atx_and_setext_headings_with_their_numbering_and_lines():
    doc = read("# 令和2年度 事業報告\n\n## 1 全団体事業 ##\n### (1) 電子申請\n"
               "#### ア 研修\n##### (ア) 勉強会\n###### 【会議】\n\n総会\n===\n幹事会\n---\n")
    assert doc.kind == "markdown"
    assert shown(doc) == [
        ("h", 1, "", "令和2年度 事業報告", 1), ("h", 2, "1", "全団体事業", 3),
        ("h", 3, "(1)", "電子申請", 4), ("h", 4, "ア", "研修", 5),
        ("h", 5, "(ア)", "勉強会", 6), ("h", 6, "", "【会議】", 7),
        ("h", 1, "", "総会", 9), ("h", 2, "", "幹事会", 11)]
    # the underlines are consumed, not read as text or rules: block n is still line n
    assert [b.at.line for b in doc.blocks] == list(range(1, 13))


@pytest.mark.parametrize("marker", ["-", "*", "+", "1.", "1)"])
def test_list_items_of_every_marker_with_nesting(marker):
    doc = read(f"## 会議\n\n{marker} 第1回幹事会（令和2年5月26日）\n"
               f"    {marker} 審議事項 **予算**\n        {marker} [資料](a.pdf)\n"
               f"{marker} 第2回幹事会\n")
    assert shown(doc)[1:] == [
        ("li", 0, marker, "第1回幹事会（令和2年5月26日）", 3),
        ("li", 1, marker, "審議事項 予算", 4),      # emphasis marks go
        ("li", 2, marker, "資料", 5),               # a link keeps its text
        ("li", 0, marker, "第2回幹事会", 6)]


def test_a_pipe_table_with_a_delimiter_row_has_its_header_and_cells_by_line():
    doc = read("## 日程\n\n| 開催日 | 会議名 | 場所 |\n|:---|---|--:|\n"
               "| 5月26日 | 幹事会<br>（書面） | 県庁 |\n| 6月5日 | 総会 | a \\| b |\n")
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert shown(doc)[1] == ("table", [["開催日", "会議名", "場所"]],
                             [["5月26日", "幹事会\n（書面）", "県庁"], ["6月5日", "総会", "a | b"]],
                             3)
    assert [c.at.line for c in table.header[0]] == [3, 3, 3]
    assert [r[0].at.line for r in table.rows] == [5, 6]
    # the delimiter row leaves an empty paragraph on its line
    assert any(isinstance(b, Paragraph) and not b.text and b.at.line == 4 for b in doc.blocks)


def test_a_pipe_table_without_outer_pipes_or_without_a_delimiter_row():
    github = read("## a\n## b\n開催日 | 会議名\n---|---\n5月26日 | 幹事会\n")
    assert shown(github)[2] == ("table", [["開催日", "会議名"]], [["5月26日", "幹事会"]], 3)
    # kramdown writes header-less tables: a first row of words over rows with numbers is
    # the header, a first row with a number is not
    kramdown = read("| 開催日 | 会議名 |\n| 5月26日 | 幹事会 |\n", "k.md")
    assert shown(kramdown) == [("table", [["開催日", "会議名"]], [["5月26日", "幹事会"]], 1)]
    plain = read("| 5月26日 | 幹事会 |\n| 6月5日 | 総会 |\n", "k.md")
    assert shown(plain) == [("table", [], [["5月26日", "幹事会"], ["6月5日", "総会"]], 1)]


def test_front_matter_fences_rules_and_quotes():
    doc = read("---\ntitle: \"令和2年度 事業報告\"\nlayout: page\n---\n"
               "# 報告\n\n> 引用の行\n\n```\n# no heading\n```\n\n***\n{:.note}\n本文\n")
    assert doc.title == "令和2年度 事業報告"
    assert shown(doc) == [("h", 1, "", "報告", 5), ("p", "引用の行", 7),
                          ("p", "# no heading", 10), ("p", "本文", 15)]


def test_markdown_is_told_by_name_or_by_two_headings_else_plain_text():
    assert read("# 一つだけ\n本文\n", "a.md").kind == "markdown"
    assert read("# 一つ\n## 二つ\n", "a.txt").kind == "markdown"
    single = read("# 一つだけ\n本文\n", "a.txt")
    assert single.kind == "text" and shown(single) == [("p", "# 一つだけ", 1), ("p", "本文", 2)]


def test_tab_rows_inside_markdown_are_a_table():
    doc = read("# 予定\n\n開催日\t会議名\n5月26日\t幹事会\n6月5日\t総会\n")
    assert shown(doc)[1] == ("table", [["開催日", "会議名"]],
                             [["5月26日", "幹事会"], ["6月5日", "総会"]], 3)


def test_the_sample_as_markdown_gives_the_84_events(tmp_path, expected_rows):
    path = tmp_path / "r2-jigyo-hokoku.md"
    path.write_text(sample_markdown(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    assert sorted(essentials(e) for e in events) == expected(expected_rows)
    # the text build's UIDs, and each event located on the Markdown line that writes what
    # the text build's line for it writes
    text = CliRunner().invoke(cli, ["extract", "--json", str(SAMPLE)])
    text_events = {e["uid"]: e for e in json.loads(text.stdout)["events"]}
    assert sorted(e["uid"] for e in events) == sorted(text_events)
    md_lines = path.read_text(encoding="utf-8").split("\n")
    text_lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    for e in events:
        written = text_lines[text_events[e["uid"]]["source"]["line"] - 1].strip()
        assert md_lines[e["source"]["line"] - 1].removeprefix("- ") == \
            written.removeprefix("- ・").strip()


# --------------------------------------------------------------------------- plain text


def test_tab_separated_runs_are_tables_with_a_header_over_numbers():
    doc = read("予定表\n日付\t会議\t場所\n5月26日\t幹事会\t県庁\n6月5日\t総会\t\n後の行\n", "t.txt")
    assert doc.kind == "text"
    assert shown(doc) == [
        ("p", "予定表", 1),
        ("table", [["日付", "会議", "場所"]], [["5月26日", "幹事会", "県庁"], ["6月5日", "総会", ""]], 2),
        ("p", "後の行", 5)]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [[c.at.line for c in r] for r in table.rows] == [[3, 3, 3], [4, 4, 4]]


def test_tab_rows_need_two_filled_cells_and_one_width():
    # a single TAB row, a row with one filled cell, and a change of width end a table
    doc = read("a\tb\n\nx\t\n1\t2\t3\n4\t5\t6\n7\t8\n", "t.txt")
    assert shown(doc) == [("p", "a\tb", 1), ("p", "x\t", 3),
                          ("table", [], [["1", "2", "3"], ["4", "5", "6"]], 4),
                          ("p", "7\t8", 6)]


def test_plain_text_is_one_paragraph_per_line_with_blank_lines_kept():
    doc = read("1 全団体事業\n\n・第1回幹事会（令和2年5月26日）\n", "t.txt")
    assert [(type(b).__name__, b.text, b.at.line) for b in doc.blocks] == [
        ("Paragraph", "1 全団体事業", 1), ("Paragraph", "", 2),
        ("Paragraph", "・第1回幹事会（令和2年5月26日）", 3)]


def test_the_sample_as_a_tab_separated_sheet_gives_the_84_events(tmp_path, expected_rows):
    path = tmp_path / "r2-meetings.tsv"
    path.write_text(sample_tsv(expected_rows), encoding="utf-8")
    document = document_from_bytes(path.read_bytes(), path.name)
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert len(table.rows) == 84 and table.at.line == 3
    result = CliRunner().invoke(cli, ["extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    assert sorted(essentials(e) for e in events) == expected(expected_rows)
    assert sorted(e["source"]["line"] for e in events) == list(range(4, 88))
