"""Checks over a whole document that no single line can make: years that look like slips.

A report on 令和2年度 (FY2020) talks about the 事業報告 and 決算 of 令和元年度 and the 事業計画
and 予算 of 令和3年度. When one section names the 事業報告 of 平成2年度 (FY1990) while its
sister sections name the 事業報告 of 令和元年度, the era was mistyped: 平成 for 令和, and 2 for
元. Such a date is not a meeting, so no event is wrong, but a reader of the report (or of
the minutes built from it) is misled. :func:`suspicious_years` warns about it and names the
likely meaning.

The rule (both parts must hold, so history such as 平成17年度から… or a plan's 平成30年度に
入札 never warns):

- a 年度 or date more than :data:`FEW_YEARS` years from the document's fiscal year names a
  report, plan or settlement (事業報告, 決算, 事業計画, 予算) right after it;
- another place in the document names the same kind of item for a near year (within
  :data:`NEAR_YEARS` of the document's fiscal year). The nearest such place gives the likely
  meaning.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aical.dates.era import FiscalYear, fiscal_year_of
from aical.messages import msg
from aical.model import Warning

if TYPE_CHECKING:
    from aical.extract.outline import Outline

#: A year further than this from the document's fiscal year is far.
FEW_YEARS = 3
#: A year at most this far from the document's fiscal year is near (last year's 決算, next
#: year's 事業計画).
NEAR_YEARS = 1

#: The kinds of item, as written right after the year (収支決算, 補正予算, 当初予算 …: up to
#: four characters may stand between, but no punctuation, so 令和2年度は、…予算 is not one).
_KINDS = ("事業報告", "事業計画", "決算", "予算")
_KIND_AFTER = re.compile(r"\s*(?:の)?\s*[^\s、。・,，;；:：()（）「」]{0,4}?(" + "|".join(_KINDS) + ")")


@dataclass(frozen=True)
class _Mention:
    line: int | None
    index: int
    fiscal_year: FiscalYear
    kind: str
    written: str


def suspicious_years(doc: Outline) -> list[Warning]:
    """A ``suspicious_year`` warning for each far year naming a report, plan or settlement
    whose kind the document names elsewhere for a near year."""
    from aical.extract.outline import Line

    fy = doc.fiscal_year
    if fy is None:
        return []
    mentions: list[_Mention] = []
    for index, item in enumerate(doc.items):
        # the title names the document itself (令和2年度事業報告), not a neighbouring section
        if not isinstance(item, Line) or (doc.title and item.text.strip() == doc.title):
            continue
        for m in item.matches:
            kind = _KIND_AFTER.match(item.text, m.end)
            if kind is None:
                continue
            year = (FiscalYear(m.span.first_day.year) if m.span.precision == "fiscal_year"
                    else fiscal_year_of(m.span.first_day))
            mentions.append(_Mention(item.at.line, index, year, kind[1],
                                     item.text[m.start:kind.end()]))
    # The near mentions of each kind, by item index (mentions come in index order), with
    # the first mention of each item: the nearest is found by bisection, not by a scan of
    # every mention per far one (a report of 5,000 sections took minutes so).
    near: dict[str, tuple[list[int], list[_Mention]]] = {}
    for m in mentions:
        if abs(m.fiscal_year.start_year - fy.start_year) <= NEAR_YEARS:
            indices, firsts = near.setdefault(m.kind, ([], []))
            if not indices or indices[-1] != m.index:
                indices.append(m.index)
                firsts.append(m)
    warnings = []
    for far in mentions:
        distance = abs(far.fiscal_year.start_year - fy.start_year)
        if distance <= FEW_YEARS or far.kind not in near:
            continue
        likely = _nearest(*near[far.kind], far.index)
        warnings.append(Warning("suspicious_year", msg(
            "extract.suspicious_year", text=far.written, year=far.fiscal_year.label,
            western=far.fiscal_year.start_year, distance=distance, fy=fy.label,
            where=likely.line or "?",
            neighbour=likely.written, meant=likely.fiscal_year.label), doc.file, far.line))
    return warnings


def _nearest(indices: list[int], firsts: list[_Mention], index: int) -> _Mention:
    """The mention nearest ``index`` (the earlier of two as near): the last one before it
    or the first one from it, as ``indices`` is sorted."""
    at = bisect.bisect_left(indices, index)
    candidates = [i for i in (at - 1, at) if 0 <= i < len(indices)]
    best = min(candidates, key=lambda i: (abs(indices[i] - index), indices[i]))
    return firsts[best]


__all__ = ["FEW_YEARS", "NEAR_YEARS", "suspicious_years"]
