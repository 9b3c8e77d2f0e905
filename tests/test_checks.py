"""Suspicious years (aical/extract/checks.py): a far year naming a report, plan or settlement
that the neighbouring sections name for a near year."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import ROOT

from aical.cli import cli
from aical.extract import extract_report

SAMPLE = ROOT / "samples" / "r2-jigyo-hokoku.txt"


def _suspicious(text: str):
    report = extract_report(text, file="r.txt")
    return [w for w in report.warnings if w.code == "suspicious_year"]


def _report(*sections: str) -> str:
    body = "\n\n".join(f"{i + 1} 部会{i + 1}\n\n{s}" for i, s in enumerate(sections))
    return f"令和2年度事業報告\n\n{body}\n"


def test_the_samples_heisei_2_report_is_flagged_with_its_likely_meaning():
    found = _suspicious(SAMPLE.read_text(encoding="utf-8"))
    assert [w.line for w in found] == [247]
    message = str(found[0].message)
    assert "平成2年度事業報告" in message and "1990" in message
    assert "line 204" in message and "令和元年度 was meant" in message


def test_lint_of_the_sample_reports_its_three_known_slips():
    result = CliRunner().invoke(cli, ["lint", str(ROOT / "samples")],
                                env={"LANG": "C", "LC_ALL": None})
    codes = [(line.split(":")[1], line.split(": ")[1]) for line in result.stdout.splitlines()]
    assert codes == [("98", "out_of_fiscal_year"), ("144", "heading_out_of_sequence"),
                     ("247", "suspicious_year")]
    assert "3 warning(s)" in result.stderr


def test_a_far_budget_beside_a_near_one_is_flagged():
    found = _suspicious(_report("令和3年度予算について審議した。", "平成3年度予算について審議した。"))
    assert len(found) == 1 and "令和3年度 was meant" in str(found[0].message)


def test_history_and_a_far_year_without_a_near_sister_are_not():
    assert _suspicious(_report("平成17年度から監査を共同で実施している。",
                               "令和元年度事業報告について審議した。")) == []
    # a far 事業報告 alone: nothing nearby says what was meant
    assert _suspicious(_report("平成2年度事業報告について審議した。",
                               "令和3年度事業計画について審議した。")) == []
    # a year a little away (two years) is ordinary: last-but-one year's 決算
    assert _suspicious(_report("平成30年度決算について", "令和元年度決算について")) == []


def test_no_fiscal_year_no_check():
    text = "会議録\n\n平成2年度事業報告について\n令和元年度事業報告について\n"
    assert _suspicious(text) == []


def test_the_warning_speaks_japanese_too():
    found = _suspicious(SAMPLE.read_text(encoding="utf-8"))
    ja = found[0].in_language("ja")
    assert "suspicious_year" in ja and "令和元年度の誤りと思われます" in ja


def test_the_nearest_sister_is_named_from_either_side_the_earlier_when_as_near():
    near, far = "令和元年度事業報告について", "平成2年度事業報告について"
    # sections: near (line 5), far (9), near (13): as near both ways, the earlier is named
    found = _suspicious(_report(near, far, near))
    assert [w.line for w in found] == [9] and "line 5 " in str(found[0].message)
    # far (5), other (9), near (13), near (17): the nearest, after it
    found = _suspicious(_report(far, "総会を開催した。", near, near))
    assert [w.line for w in found] == [5] and "line 13 " in str(found[0].message)


def test_checking_many_sections_is_linear():
    """Each far year scanned every mention of the document for its nearest sister, so a
    report of 5,000 sections took minutes. The bound is a ratio between two sizes, so a
    slow machine does not fail it: 8× the sections may cost about 8× (quadratic: 64×)."""
    import time

    from aical.extract.checks import suspicious_years
    from aical.extract.outline import outline, text_document

    def timed(sections: int) -> float:
        text = _report(*["令和元年度事業報告について", "平成2年度事業報告について"] * sections)
        doc = outline(text_document(text, "r.txt"))
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            found = suspicious_years(doc)
            best = min(best, time.perf_counter() - start)
        assert len(found) == sections
        return best

    small, large = timed(250), timed(2000)
    assert large < 20 * small + 0.05, (small, large)
