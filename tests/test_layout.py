"""aical.publish.layout: week rows, lanes and "+N" — exact small cases and hypothesis properties.

The properties are checked against an independent model: the calendar module's own month
matrix and plain day arithmetic, not the layout's columns.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aical.publish.layout import (
    MONDAY,
    SUNDAY,
    fiscal_year_months,
    lay_out_month,
    max_concurrent,
    month_weeks,
)
from aical.model import Event, Span

ONE = dt.timedelta(days=1)


def event(first: str | dt.date, last: str | dt.date | None = None, *, uid: str = "e",
          body: tuple[str, ...] = ("会議",), summary: str = "会議") -> Event:
    first = dt.date.fromisoformat(first) if isinstance(first, str) else first
    last = first if last is None else (dt.date.fromisoformat(last) if isinstance(last, str)
                                       else last)
    return Event(uid=uid, body=body, summary=summary, span=Span(first, last))


def days_of(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += ONE


# --- week rows ------------------------------------------------------------------------

@pytest.mark.parametrize("week_start, firstweekday", [(SUNDAY, 6), (MONDAY, 0)])
@pytest.mark.parametrize("year, month", [(2020, 4), (2020, 5), (2021, 2), (2026, 2), (2024, 2)])
def test_weeks_match_the_calendar_module(year, month, week_start, firstweekday):
    expected = calendar.Calendar(firstweekday).monthdatescalendar(year, month)
    weeks = month_weeks(year, month, week_start=week_start)
    assert [[d.date for d in w.days] for w in weeks] == expected
    for week in weeks:
        assert [d.column for d in week.days] == list(range(7))
        for day in week.days:
            assert day.in_month == (day.date.month == month)


def test_april_2020_starts_on_wednesday_after_march_29_30_31():
    weeks = month_weeks(2020, 4)
    assert [d.date.day for d in weeks[0].days] == [29, 30, 31, 1, 2, 3, 4]
    assert [d.in_month for d in weeks[0].days] == [False] * 3 + [True] * 4
    assert weeks[0].days[0].date.weekday() == 6  # Sunday first


def test_february_2026_fills_exactly_four_sunday_weeks():
    assert len(month_weeks(2026, 2)) == 4
    assert len(month_weeks(2026, 2, week_start=MONDAY)) == 5


def test_week_start_must_be_sunday_or_monday():
    with pytest.raises(ValueError):
        month_weeks(2020, 4, week_start=2)


def test_fiscal_year_runs_april_to_march():
    months = fiscal_year_months(2020)
    assert months[0] == (2020, 4) and months[-1] == (2021, 3) and len(months) == 12


# --- exact small cases -----------------------------------------------------------------

def test_written_period_across_new_year_is_cut_at_week_and_month_edges():
    # 第8回検討会 2020-12-28..2021-01-08 (書面開催): Mon..Thu of one week in December,
    # then Fri-Sat of that week and the whole next week in January.
    e = event("2020-12-28", "2021-01-08")
    dec = lay_out_month([e], 2020, 12, lanes=2)
    pieces = [p for w in dec.weeks for p in w.pieces]
    assert [(p.first_day, p.last_day, p.first_column, p.last_column,
             p.continues_before, p.continues_after) for p in pieces] == [
        (dt.date(2020, 12, 28), dt.date(2020, 12, 31), 1, 4, False, True)]
    jan = lay_out_month([e], 2021, 1, lanes=2)
    pieces = [p for w in jan.weeks for p in w.pieces]
    assert [(p.first_day, p.last_day, p.first_column, p.last_column,
             p.continues_before, p.continues_after) for p in pieces] == [
        (dt.date(2021, 1, 1), dt.date(2021, 1, 2), 5, 6, True, True),
        (dt.date(2021, 1, 3), dt.date(2021, 1, 8), 0, 5, True, False)]


def test_monday_weeks_move_the_cut():
    e = event("2020-12-28", "2021-01-08")
    jan = lay_out_month([e], 2021, 1, lanes=2, week_start=MONDAY)
    assert [(p.first_day, p.last_day, p.first_column, p.last_column)
            for w in jan.weeks for p in w.pieces] == [
        (dt.date(2021, 1, 1), dt.date(2021, 1, 3), 4, 6),
        (dt.date(2021, 1, 4), dt.date(2021, 1, 8), 0, 4)]


def test_single_day_is_a_one_column_piece():
    layout = lay_out_month([event("2020-07-28")], 2020, 7, lanes=1)
    (piece,) = [p for w in layout.weeks for p in w.pieces]
    assert piece.columns == 1 and piece.first_day == piece.last_day == dt.date(2020, 7, 28)
    assert not piece.continues_before and not piece.continues_after


def test_longest_first_then_start_then_body():
    short_early = event("2020-07-06", "2020-07-07", uid="a", body=("A",))
    long_late = event("2020-07-08", "2020-07-11", uid="b", body=("B",))
    same_len_z = event("2020-07-06", "2020-07-08", uid="c", body=("Z",))
    same_len_a = event("2020-07-06", "2020-07-08", uid="d", body=("A",))
    layout = lay_out_month([short_early, long_late, same_len_z, same_len_a], 2020, 7, lanes=4)
    week = next(w for w in layout.weeks if w.first_day == dt.date(2020, 7, 5))
    lanes = {p.event.uid: p.lane for p in week.pieces}
    # b (4 days) first → lane 0; d and c (3 days, same start) by body, A before Z, both
    # share the 8th with b → lanes 1 and 2; a (2 days, last) fits beside b in lane 0.
    assert lanes == {"b": 0, "d": 1, "c": 2, "a": 0}


def test_overflow_counts_each_hidden_day():
    events = [event("2020-07-06", "2020-07-08", uid=f"x{i}", body=(f"B{i}",)) for i in range(3)]
    layout = lay_out_month(events, 2020, 7, lanes=2)
    week = next(w for w in layout.weeks if w.first_day == dt.date(2020, 7, 5))
    assert len(week.pieces) == 2 and len(week.hidden) == 1
    assert week.overflow == (0, 1, 1, 1, 0, 0, 0)


def test_zero_lanes_hides_everything():
    layout = lay_out_month([event("2020-07-06", "2020-07-08")], 2020, 7, lanes=0)
    assert sum(sum(w.overflow) for w in layout.weeks) == 3
    assert not any(w.pieces for w in layout.weeks)


def test_events_outside_the_month_are_ignored():
    layout = lay_out_month([event("2020-06-01", "2020-06-30")], 2020, 7, lanes=3)
    assert not any(w.pieces or w.hidden for w in layout.weeks)


def test_sample_needs_at_most_seven_lanes(expected_events):
    # The default of html.render_year_page draws every sample event on the month pages.
    assert max(max_concurrent(expected_events, y, m) for y, m in fiscal_year_months(2020)) <= 7


# --- properties ------------------------------------------------------------------------

@st.composite
def month_and_events(draw):
    year = draw(st.integers(1990, 2040))
    month = draw(st.integers(1, 12))
    anchor = dt.date(year, month, 1)
    n = draw(st.integers(0, 14))
    events = []
    for i in range(n):
        start = anchor + dt.timedelta(days=draw(st.integers(-40, 40)))
        length = draw(st.integers(0, 45))
        events.append(event(start, start + dt.timedelta(days=length), uid=f"u{i}",
                            body=(draw(st.sampled_from(["総会", "幹事会", "検討会"])),)))
    return year, month, events


@settings(max_examples=300, deadline=None)
@given(month_and_events(), st.integers(0, 5), st.sampled_from([SUNDAY, MONDAY]))
def test_layout_properties(case, lanes, week_start):
    year, month, events = case
    layout = lay_out_month(events, year, month, lanes=lanes, week_start=week_start)
    month_days = {d for w in calendar.Calendar().monthdatescalendar(year, month) for d in w
                  if d.month == month}

    drawn: dict[tuple[str, dt.date], int] = {}
    counted: dict[dt.date, int] = {}
    for week in layout.weeks:
        assert len(week.days) == 7
        week_days = [d.date for d in week.days]
        # no two pieces of one lane share a column
        for lane in range(lanes):
            cols = [c for p in week.pieces if p.lane == lane
                    for c in range(p.first_column, p.last_column + 1)]
            assert len(cols) == len(set(cols))
        for piece in week.pieces + week.hidden:
            # never across a week, never outside the month, columns agree with days
            assert piece.first_day in week_days and piece.last_day in week_days
            assert week_days[piece.first_column] == piece.first_day
            assert week_days[piece.last_column] == piece.last_day
            assert piece.first_day.month == month and piece.last_day.month == month
            # the square edges: the event goes on exactly where a flag says so
            assert piece.continues_before == (piece.event.first_day < piece.first_day)
            assert piece.continues_after == (piece.event.last_day > piece.last_day)
            assert piece.event.first_day <= piece.first_day <= piece.last_day \
                <= piece.event.last_day
        for piece in week.pieces:
            assert 0 <= piece.lane < lanes
            for day in days_of(piece.first_day, piece.last_day):
                drawn[(piece.event.uid, day)] = drawn.get((piece.event.uid, day), 0) + 1
        for piece in week.hidden:
            assert piece.lane == -1
            # hidden only for want of room: every lane holds a drawn piece on one of its
            # days (lanes fill and never empty, so a lane free then would be free now)
            for lane in range(lanes):
                assert any(p.lane == lane and p.first_column <= piece.last_column
                           and piece.first_column <= p.last_column for p in week.pieces)
        for day, n in zip(week_days, week.overflow):
            counted[day] = counted.get(day, 0) + n
        # overflow is exactly the hidden pieces' days
        expected_overflow = [sum(p.first_column <= c <= p.last_column for p in week.hidden)
                             for c in range(7)]
        assert list(week.overflow) == expected_overflow

    # every event day inside the month: drawn exactly once, or counted in a "+N"
    for e in events:
        for day in days_of(e.first_day, e.last_day):
            if day not in month_days:
                assert (e.uid, day) not in drawn
                continue
            assert drawn.get((e.uid, day), 0) <= 1
    needed: dict[dt.date, int] = {}
    for e in events:
        for day in days_of(max(e.first_day, min(month_days)), min(e.last_day, max(month_days))):
            needed[day] = needed.get(day, 0) + 1
    for day in month_days:
        shown = sum(1 for (uid, d) in drawn if d == day)
        assert shown + counted.get(day, 0) == needed.get(day, 0)
    assert all(n == 0 for d, n in counted.items() if d not in month_days)


@settings(max_examples=100, deadline=None)
@given(month_and_events())
def test_enough_lanes_draw_everything(case):
    year, month, events = case
    need = max_concurrent(events, year, month)
    layout = lay_out_month(events, year, month, lanes=need)
    assert not any(w.hidden for w in layout.weeks)


@settings(max_examples=50, deadline=None)
@given(month_and_events(), st.randoms(use_true_random=False))
def test_layout_does_not_depend_on_input_order(case, rnd):
    year, month, events = case
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert lay_out_month(events, year, month, lanes=3) == lay_out_month(shuffled, year, month,
                                                                        lanes=3)


def test_a_long_bar_keeps_its_lane_through_the_month():
    # week 1 of July 2020 (Sun 6/28..Sat 7/4): two short bars take lanes 0 and 1 on 7/1..7/2
    # beside the long bar's start on 7/3; from week 2 on, a new longer bar would win lane 0
    # by longest-first, yet the carried bar keeps the lane it had.
    long = event("2020-07-02", "2020-07-24", uid="long", body=("b",))
    first = event("2020-07-01", "2020-07-02", uid="a", body=("a",))
    new = event("2020-07-05", "2020-07-11", uid="new", body=("a",))
    layout = lay_out_month([long, first, new], 2020, 7, lanes=4)
    lanes = [{p.event.uid: p.lane for p in w.pieces} for w in layout.weeks]
    assert len({week["long"] for week in lanes if "long" in week}) == 1
    assert all("long" in week for week in lanes[:4])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 20)), min_size=1, max_size=10))
def test_carried_bars_keep_their_lane_when_they_all_fit(spans):
    start = dt.date(2020, 7, 1)
    events = [event(start + dt.timedelta(days=a), start + dt.timedelta(days=a + n), uid=str(i))
              for i, (a, n) in enumerate(spans)]
    layout = lay_out_month(events, 2020, 7, lanes=50)
    seen: dict[str, int] = {}
    for week in layout.weeks:
        for piece in week.pieces:
            if piece.continues_before and piece.event.uid in seen:
                assert piece.lane == seen[piece.event.uid]
            seen[piece.event.uid] = piece.lane
