"""aical.parse against japanera on the same 50,000 distinct era dates, and start-up time."""

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


def bench_parse() -> dict[str, float]:
    from japanera import EraDate

    from aical import parse

    texts, days = era_dates()

    def japanera_parse(text: str):
        return EraDate.strptime(text, "%-K%-y年%-m月%-d日")[0]

    # Same answers first: a fast wrong parser would be no result.
    sample = range(0, len(texts), 997)
    for i in sample:
        assert parse(texts[i]).first_day == days[i], texts[i]
        assert japanera_parse(texts[i]).to_date() == days[i], texts[i]

    aical_rate = best_rate(parse, texts, repeats=3)
    japanera_rate = best_rate(japanera_parse, texts, repeats=1)
    spaced = [t.replace("年", " 年 ").replace("月", " 月 ") + "～" + "28日" for t in texts[:5000]]
    general_rate = best_rate(lambda t: _quiet(parse, t), spaced, repeats=3)
    print(f"parse: {len(texts):,} distinct era dates")
    print(f"  aical.parse     {aical_rate:>10,.0f} dates/s")
    print(f"  japanera        {japanera_rate:>10,.0f} dates/s")
    print(f"  ratio           {aical_rate / japanera_rate:>10.1f}x   (goal: >= 5x)")
    print(f"  aical.parse on PDF-spaced ranges (令和 2 年 10 月 5 日～28日): "
          f"{general_rate:,.0f} /s")
    return {"parse_ratio": aical_rate / japanera_rate}


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
