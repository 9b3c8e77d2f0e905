"""aical.parse against japanera, and start-up time.

The parse ratio that counts is japanera in its fastest format (``%m月%d日``) on 30,000
distinct 昭和–令和 dates, both timed in the same run, turn by turn; the earlier figure
(50,000 consecutive days from 1890, japanera's slower ``%-m`` format) is printed beside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from bench.common import best_rate, interleaved_medians

DISTINCT = 50_000


def era_dates(count: int = DISTINCT) -> tuple[list[str], list[dt.date]]:
    """``count`` consecutive days written as 令和2年12月28日 (distinct, so no cache helps)."""
    from aical.dates.era import era_of

    texts, days = [], []
    day = dt.date(1890, 1, 1)
    for _ in range(count):
        era = era_of(day)
        year = day.year - era.offset
        texts.append(f"{era.name}{'元' if year == 1 else year}年{day.month}月{day.day}日")
        days.append(day)
        day += dt.timedelta(days=1)
    return texts, days


SHOWA_TO_REIWA = 30_000


def showa_to_reiwa_dates(count: int = SHOWA_TO_REIWA, seed: int = 15
                         ) -> tuple[list[str], list[dt.date]]:
    """``count`` distinct days drawn from 昭和元年 (1926-12-25) to 2030, written as
    ``令和2年05月07日`` (zero-padded month and day: the form of japanera's fastest format,
    ``%m月%d日``). Distinct, so a cache in either parser cannot help."""
    import random

    from aical.dates.era import era_of

    first, last = dt.date(1926, 12, 25), dt.date(2030, 12, 31)
    offsets = random.Random(seed).sample(range((last - first).days + 1), count)
    days = [first + dt.timedelta(days=n) for n in offsets]
    texts = []
    for day in days:
        era = era_of(day)
        texts.append(f"{era.name}{day.year - era.offset}年{day.month:02d}月{day.day:02d}日")
    return texts, days


def interleaved_seconds(functions: dict, items: list, chunk: int = 1000) -> dict[str, float]:
    """Seconds each function takes over ``items``, each item once, the functions taking
    turns chunk by chunk so that the machine's load falls on all alike."""
    import time

    spent = dict.fromkeys(functions, 0.0)
    for start in range(0, len(items), chunk):
        part = items[start:start + chunk]
        for name, function in functions.items():
            began = time.perf_counter()
            for item in part:
                function(item)
            spent[name] += time.perf_counter() - began
    return spent


def bench_parse() -> dict[str, float]:
    from japanera import EraDate

    from aical import parse

    # The measure that counts (issue 15): japanera in its fastest format on distinct
    # 昭和–令和 dates, the two timed in the same run, turn by turn.
    texts, days = showa_to_reiwa_dates()

    def japanera_fast(text: str):
        return EraDate.strptime(text, "%-K%-y年%m月%d日")[0]

    for i in range(0, len(texts), 997):  # same answers first: a fast wrong parser is none
        assert parse(texts[i]).first_day == days[i], texts[i]
        assert japanera_fast(texts[i]).to_date() == days[i], texts[i]
    spent = interleaved_seconds({"aical": parse, "japanera": japanera_fast}, texts)
    ratio = spent["japanera"] / spent["aical"]
    print(f"parse: {len(texts):,} distinct 昭和–令和 dates (令和2年05月07日), same run, "
          "interleaved")
    print(f"  aical.parse     {len(texts) / spent['aical']:>10,.0f} dates/s")
    print(f"  japanera %m月%d日 {len(texts) / spent['japanera']:>10,.0f} dates/s")
    print(f"  ratio           {ratio:>10.1f}x   (goal: >= 5x)")

    # The earlier figure, kept beside it: consecutive days from 1890, japanera's %-m form.
    old_texts, old_days = era_dates()

    def japanera_parse(text: str):
        return EraDate.strptime(text, "%-K%-y年%-m月%-d日")[0]

    sample = range(0, len(old_texts), 997)
    for i in sample:
        assert parse(old_texts[i]).first_day == old_days[i], old_texts[i]
        assert japanera_parse(old_texts[i]).to_date() == old_days[i], old_texts[i]
    aical_rate = best_rate(parse, old_texts, repeats=3)
    japanera_rate = best_rate(japanera_parse, old_texts, repeats=1)
    spaced = [t.replace("年", " 年 ").replace("月", " 月 ") + "～" + "28日" for t in old_texts[:5000]]
    general_rate = best_rate(lambda t: _quiet(parse, t), spaced, repeats=3)
    print(f"  (earlier measure: {len(old_texts):,} consecutive days from 1890, japanera "
          f"%-m月%-d日: {aical_rate / japanera_rate:.1f}x)")
    print(f"  aical.parse on PDF-spaced ranges (令和 2 年 10 月 5 日～28日): "
          f"{general_rate:,.0f} /s")
    return {"parse_ratio": ratio, "parse_ratio_consecutive": aical_rate / japanera_rate}


def _quiet(function, text):
    try:
        return function(text)
    except Exception:  # ranges whose end precedes the start: still timed
        return None


def bench_startup() -> dict[str, float]:
    aical = shutil.which("aical", path=str(Path(sys.executable).parent))
    assert aical, "aical is not installed in this environment"
    medians = interleaved_medians({
        "bare": [sys.executable, "-c", "pass"],
        "aical parse": [aical, "parse", "令和2年12月28日"],
    })
    ratio = medians["aical parse"] / medians["bare"]
    print("start-up (median of 21, interleaved)")
    print(f"  python -c pass  {medians['bare'] * 1000:>8.1f} ms")
    print(f"  aical parse     {medians['aical parse'] * 1000:>8.1f} ms")
    print(f"  ratio           {ratio:>8.1f}x   (goal: <= 5x)")
    return {"startup_ratio": ratio}
