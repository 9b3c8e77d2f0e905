"""Month grids with multi-day bars in lanes: pure data, no HTML.

A month is drawn as week rows of seven days. An event becomes one *piece* per week row it
touches, cut at week boundaries and at the month's edges (days of the neighbouring months
shown in the first and last rows carry no pieces: those days belong to the neighbouring
month's grid). Days are inclusive, as everywhere in aical.

Pieces get lanes greedily per week, the way wall calendars and FullCalendar's day grid do:
a bar carried over from the previous week first, in the lane it had there (so a long bar
keeps its line through the month), then longest piece first, then earliest start, then
body path (then uid, so the order is total and the output deterministic). A week has a fixed number of lanes; a piece that fits in no
lane is not drawn and each of its days counts one in that day's ``overflow`` (the "+N").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from aical.model import Event

SUNDAY = 6  #: ``week_start`` for weeks headed 日 (the Japanese wall-calendar default)
MONDAY = 0  #: ``week_start`` for weeks headed 月 (ISO 8601)

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Day:
    """One cell of a week row; ``in_month`` is False for days of the neighbouring months."""

    date: dt.date
    column: int
    in_month: bool


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of one event drawn in one week row: columns ``first_column``..``last_column``
    (inclusive, 0 = the week's first day) in ``lane`` (0 = top).

    ``continues_before``/``continues_after`` say the event goes on beyond this piece (into
    the previous or next week, or month), so the bar gets a square edge on that side.
    """

    event: Event
    lane: int
    first_column: int
    last_column: int
    first_day: dt.date
    last_day: dt.date
    continues_before: bool
    continues_after: bool

    @property
    def columns(self) -> int:
        """Number of day columns the piece spans (1 for a chip)."""
        return self.last_column - self.first_column + 1


@dataclass(frozen=True, slots=True)
class Week:
    """A row of seven days, its drawn pieces, and per day the number of pieces not drawn."""

    days: tuple[Day, ...]
    pieces: tuple[Piece, ...] = ()
    hidden: tuple[Piece, ...] = ()
    overflow: tuple[int, ...] = (0, 0, 0, 0, 0, 0, 0)

    @property
    def first_day(self) -> dt.date:
        return self.days[0].date

    @property
    def last_day(self) -> dt.date:
        return self.days[-1].date


@dataclass(frozen=True, slots=True)
class MonthLayout:
    """A month's week rows, with ``lanes`` lanes per week starting on ``week_start``."""

    year: int
    month: int
    week_start: int
    lanes: int
    weeks: tuple[Week, ...]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return _month_last_day(self.year, self.month)


def _month_last_day(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - _ONE_DAY


def _check_week_start(week_start: int) -> None:
    if week_start not in (SUNDAY, MONDAY):
        raise ValueError(f"week_start must be {SUNDAY} (Sunday) or {MONDAY} (Monday), "
                         f"not {week_start!r}")


def month_weeks(year: int, month: int, *, week_start: int = SUNDAY) -> list[Week]:
    """The week rows that show ``year``-``month``: whole weeks starting on ``week_start``
    (``date.weekday()`` numbering: 6 = Sunday, 0 = Monday), with the neighbouring months'
    days that fill the first and last rows marked ``in_month=False``. No pieces yet."""
    _check_week_start(week_start)
    first = dt.date(year, month, 1)
    last = _month_last_day(year, month)
    start = first - dt.timedelta(days=(first.weekday() - week_start) % 7)
    weeks = []
    while start <= last:
        days = tuple(
            Day(d, column, d.month == month and d.year == year)
            for column, d in enumerate(start + dt.timedelta(days=i) for i in range(7))
        )
        weeks.append(Week(days=days))
        start += dt.timedelta(days=7)
    return weeks


def _placement_key(piece: Piece) -> tuple:
    # Longest first keeps long written-resolution periods in the top lanes where the eye
    # follows them across weeks; the rest only makes the order total.
    return (-piece.columns, piece.first_column, piece.event.body, piece.event.uid,
            piece.event.first_day, piece.event.summary)


def lay_out_month(events: Iterable[Event], year: int, month: int, *, lanes: int = 4,
                  week_start: int = SUNDAY) -> MonthLayout:
    """Lay ``events`` out on the grid of ``year``-``month``: one piece per event per week row
    it touches (cut at week boundaries and month edges), greedy lanes per week, and per day
    the count of pieces that found no lane among the ``lanes`` available."""
    if lanes < 0:
        raise ValueError(f"lanes must be zero or more, not {lanes!r}")
    month_first = dt.date(year, month, 1)
    month_last = _month_last_day(year, month)
    touching = [e for e in events
                if e.span.first_day <= month_last and e.span.last_day >= month_first]
    weeks = []
    # lane of each bar that goes on into the next week, by the event's identity: hashing
    # a frozen Event hashes every field, and the page of a big build does it per piece
    kept: dict[int, int] = {}
    for week in month_weeks(year, month, week_start=week_start):
        lo = max(week.first_day, month_first)
        hi = min(week.last_day, month_last)
        candidates = []
        for event in touching:
            span = event.span
            if span.first_day > hi or span.last_day < lo:
                continue
            first = max(span.first_day, lo)
            last = min(span.last_day, hi)
            candidates.append(Piece(
                event=event,
                lane=-1,
                first_column=(first - week.first_day).days,
                last_column=(last - week.first_day).days,
                first_day=first,
                last_day=last,
                continues_before=event.first_day < first,
                continues_after=event.last_day > last,
            ))
        occupied = [[False] * 7 for _ in range(lanes)]
        free = [lanes] * 7  # lanes still free in each column
        drawn, hidden = [], []
        overflow = [0] * 7
        # A bar carried over from last week keeps last week's lane (they were apart then,
        # and all start in column 0 now, so none can take another's): the eye follows a
        # long 書面開催 period along one line through the month.
        carried = sorted((p for p in candidates if id(p.event) in kept), key=_placement_key)
        rest = sorted((p for p in candidates if id(p.event) not in kept), key=_placement_key)
        for piece in carried + rest:
            cols = range(piece.first_column, piece.last_column + 1)
            if 0 in free[piece.first_column:piece.last_column + 1]:
                lane = None  # a column with no lane free: no lane is free on all of them
            else:
                wanted = kept.get(id(piece.event))
                lane = wanted if wanted is not None and not any(
                    occupied[wanted][c] for c in cols) else next(
                    (i for i, used in enumerate(occupied) if not any(used[c] for c in cols)),
                    None)
            if lane is None:
                hidden.append(piece)
                for c in cols:
                    overflow[c] += 1
                continue
            for c in cols:
                occupied[lane][c] = True
                free[c] -= 1
            drawn.append(_with_lane(piece, lane))
        drawn.sort(key=lambda p: (p.lane, p.first_column))
        kept = {id(p.event): p.lane for p in drawn if p.continues_after}
        weeks.append(Week(days=week.days, pieces=tuple(drawn), hidden=tuple(hidden),
                          overflow=tuple(overflow)))
    return MonthLayout(year=year, month=month, week_start=week_start, lanes=lanes,
                       weeks=tuple(weeks))


def _with_lane(piece: Piece, lane: int) -> Piece:
    return Piece(piece.event, lane, piece.first_column, piece.last_column, piece.first_day,
                 piece.last_day, piece.continues_before, piece.continues_after)


def fiscal_year_months(start_year: int) -> list[tuple[int, int]]:
    """The (year, month) pairs of 年度 ``start_year``: April of ``start_year`` to March of
    the next year (FY2020 = 令和2年度 = 2020-04-01..2021-03-31)."""
    return [(start_year + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def max_concurrent(events: Iterable[Event], year: int, month: int, *,
                   week_start: int = SUNDAY) -> int:
    """The most lanes any week of the month would need to draw every piece: the greedy
    placement with unlimited lanes. Longest-first is not an optimal colouring, so this can
    exceed the most events sharing one day."""
    layout = lay_out_month(events, year, month, lanes=10_000, week_start=week_start)
    return max((p.lane + 1 for w in layout.weeks for p in w.pieces), default=0)
