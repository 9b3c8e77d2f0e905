"""Every row of era-cases.tsv (independent truth, copied from ../shared), in both modes."""

from __future__ import annotations

import csv

import pytest

from aical import DateError, parse
from conftest import DATA

with open(DATA / "era-cases.tsv", encoding="utf-8", newline="") as _f:
    CASES = list(csv.DictReader(_f, delimiter="\t"))


def _answer(text: str, strict: bool) -> str:
    try:
        return str(parse(text, strict=strict))
    except DateError as error:
        return f"ERROR({error.code})"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['id']}-{c['category']}" for c in CASES])
def test_lenient(case):
    assert _answer(case["input"], strict=False) == case["expected"], case["reason"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['id']}-{c['category']}" for c in CASES])
def test_strict(case):
    expected = case["expected"] if case["expected_strict"] == "=" else case["expected_strict"]
    assert _answer(case["input"], strict=True) == expected, case["reason"]


def test_the_case_file_is_complete():
    assert len(CASES) >= 44
    assert {c["category"] for c in CASES} >= {"range-full", "range-elided", "fiscal", "meiji"}
