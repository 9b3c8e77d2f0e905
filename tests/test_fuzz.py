"""Fuzzing whole documents (issue 7): nothing but aical's own errors, ever.

Generated reports (tests/strategies.py) go through every stage a build runs — bytes →
:func:`aical.read.decode` → :func:`aical.extract.extract_report` → :func:`render_site`
— and through :func:`aical.dates.finder.find_dates`. The invariants: only
:class:`aical.errors.Error` is raised; every warning and event names a line of the text;
the files have safe names; feeds hold exactly the events; pages hold nothing injected.

Sizes here keep the suite fast; ``make fuzz`` (bench/fuzz.py) runs the same properties
with many more examples.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aical.errors import Error
from aical.extract import extract_report
from aical.dates.finder import find_dates
from aical.read import decode
from aical.publish.site import render_site
from aical.reports import Input
from strategies import check_report, check_site, document, encoded_documents, line_count

STAMP = dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def build(text: str, name: str = "fuzz.txt"):
    """The pure path of ``aical build`` for one text."""
    report = extract_report(text, file=name)
    check_report(report, text)
    site = render_site([Input(name, "utf-8", "0" * 64, report)], stamp=STAMP)
    return report, site


def property_find_dates(text: str) -> None:
    lines = text.split("\n")
    for match in find_dates(text):
        assert 1 <= match.line <= len(lines)
        assert lines[match.line - 1][match.start:match.end] == match.text
        assert match.span.first_day <= match.span.last_day


def property_document(text: str) -> None:
    """Extract and build one document; only aical's errors may escape."""
    try:
        _, site = build(text)
    except Error:
        return
    check_site(site)


def property_bytes(data: bytes) -> None:
    """A file's bytes through decode and the whole build."""
    try:
        text = decode(data, "fuzz.txt").text
    except Error as error:
        assert "fuzz.txt" in str(error) and "\n" not in str(error)
        return
    assert "\r" not in text and "\x00" not in text
    property_document(text)


@FAST
@given(document())
def test_documents_build_cleanly(text):
    property_document(text)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document(extreme=True, max_lines=10))
def test_extreme_numbers_build_cleanly(text):
    """Years of thousands of digits, 令和7981年度, the year 9999."""
    property_document(text)


@FAST
@given(encoded_documents())
def test_files_decode_and_build_cleanly(data):
    property_bytes(data)


@FAST
@given(document(max_lines=15))
def test_find_dates_points_at_what_is_written(text):
    # find_dates reads text after decode: LF line ends only (other breaks stay in a line)
    property_find_dates(text.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(document(max_lines=10), min_size=2, max_size=3))
def test_several_reports_build_together(texts):
    """Two or three reports in one build: merged bodies, duplicate UIDs kept once."""
    property_several(texts)


def property_several(texts: list[str]) -> None:
    """The property behind the test above; `make fuzz` runs it longer."""
    inputs = []
    for i, text in enumerate(texts):
        report = extract_report(text, file=f"r{i}.txt")
        check_report(report, text)
        inputs.append(Input(f"r{i}.txt", "utf-8", "0" * 64, report))
    site = render_site(inputs, stamp=STAMP)
    check_site(site)
    assert len({e.uid for e in site.events}) == len(site.events)


def test_line_count_agrees_with_reading():
    text = "a\r\nb\rc\nd\x0ce\u2028f"
    assert line_count(text) == len(decode(text.encode(), "x").lines)
