"""Events → iCalendar feeds (RFC 5545, with RFC 7986 calendar properties).

The only module that imports :mod:`icalendar` (inside the functions, so ``aical parse``
never pays for it). Everything else in aical counts days inclusively; the exclusive DTEND
of an all-day iCalendar event is computed here and nowhere else (:func:`exclusive_end`).

A feed is deterministic: events are in model.event_order (days, body, summary, uid), the time
stamps and SEQUENCE are the calendar's memory's (:mod:`aical.publish.state`: unchanged
events keep theirs), and the VTIMEZONE is written out by hand rather than taken from the
machine's tz database.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from aical.model import MODE_LABELS, event_order
from aical.publish import hygiene
from aical.publish.naming import (body_color, clean_quote, css_color_name, range_ja,
                                  short_name)
from aical.publish.state import Stamps

if TYPE_CHECKING:
    from aical.model import Event

PRODID = "-//aical//aical Japanese business-report calendars//JA"

#: Japan has kept JST (UTC+9) without daylight saving since 1952.
TZID = "Asia/Tokyo"


#: Modes whose venue is a place on a map: only these give LOCATION. A 書面開催 period, an
#: online meeting, a bulletin board or a video has no place to map-search; its mode is in
#: DESCRIPTION and CATEGORIES instead.
PLACE_MODES = (None, "in_person", "hybrid")

#: RFC 5545 §3.8.1.11 STATUS of each aical status. iCalendar has no "postponed": such a
#: meeting is not firm (TENTATIVE), on its new day when the text gave one.
ICS_STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED",
              "postponed": "TENTATIVE"}

#: How a status reads in DESCRIPTION and CATEGORIES (confirmed says nothing).
STATUS_LABELS = {"tentative": "予定（日程未確定）", "cancelled": "中止", "postponed": "延期"}

PRECISION_LABELS = {"day": "日", "part_of_month": "旬", "month": "月", "quarter": "四半期",
                    "season": "季節", "year": "年", "fiscal_year": "年度"}

# C0 and C1 controls, DEL, and the characters Python's str.splitlines() treats as line
# breaks (U+2028, U+2029, U+0085, FS/GS/RS): none may survive into a value, where a parser
# could read them as the end of a content line and let the rest inject properties.
_LINE_BREAKS = re.compile("[\r\n\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_ESCAPE_OCTETS = re.compile(rb"\\.", re.DOTALL)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@functools.cache
def _text_class():
    from icalendar import vText

    class ExactText(vText):
        """vText escaped by RFC 5545 §3.3.11 exactly (:func:`aical.publish.hygiene.ical_escape`):
        icalendar's own turns a written ``\\N`` into a line break."""

        def to_ical(self) -> bytes:
            return hygiene.ical_escape(str(self)).encode(self.encoding)

    return ExactText


def ical_text(text: str):
    """An iCalendar TEXT value: cleaned by the shared hygiene, escaped exactly."""
    return _text_class()(hygiene.clean(text))


def clean_text(text: str) -> str:
    """One line of text safe for an iCalendar value: line breaks and tabs become one space,
    other control characters and lone surrogates are dropped; RFC 5545 §3.3.11 escaping of
    ``\\ ; ,`` is left to the serialiser (:func:`ical_text`, exact
    where icalendar's own reads a written ``\\N`` as a line break)."""
    text = _LINE_BREAKS.sub(" ", hygiene.clean(text))
    text = _CONTROLS.sub("", text)
    return _SURROGATES.sub("\ufffd", text).strip()


def fold(line: str, limit: int = 75) -> str:
    """One content line folded per RFC 5545 §3.1: physical lines of at most ``limit``
    octets (a continuation's leading space included), CRLF + space between them, never
    inside a UTF-8 character nor inside a backslash escape such as ``\\,`` or ``\\\\``
    (RFC 5545 allows that split, but clients that unescape before unfolding garble it,
    and icalendar's own folder makes it for runs of backslashes). Each line is as long as
    those rules allow (greedy), so ``limit`` must leave room for one escape of a 4-octet
    character (≥ 6)."""
    if len(line) * 4 <= limit:
        return line
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    # Escapes pair backslashes from the left; a cut just after an escaping backslash
    # would part it from the character it escapes.
    escaped = ({m.start() + 1 for m in _ESCAPE_OCTETS.finditer(data)}
               if b"\\" in data else ())
    pieces: list[bytes] = []
    start, room = 0, limit
    while len(data) - start > room:
        cut = start + room
        while 0x80 <= data[cut] < 0xC0:  # a UTF-8 continuation octet
            cut -= 1
        if cut in escaped:
            cut -= 1
        pieces.append(data[start:cut])
        start, room = cut, limit - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def exclusive_end(span) -> dt.date:
    """DTEND of an all-day event: the day *after* the inclusive ``span.last_day``
    (RFC 5545 §3.6.1: DTEND is non-inclusive). The one place aical converts."""
    return span.last_day + dt.timedelta(days=1)


def _utc(stamp: dt.datetime) -> dt.datetime:
    """``stamp`` in UTC (a naive stamp is taken as UTC, as SOURCE_DATE_EPOCH is)."""
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc)


def _description(event: Event) -> str:
    """DESCRIPTION of one event: body path, days, mode, agenda, source and original text,
    one item a line (the serialiser writes the newlines as ``\\n``)."""
    lines = [f"主体: {' / '.join(clean_text(p) for p in event.body)}"]
    # as a Japanese notice writes them, with weekdays: 2020年4月30日（木）～5月8日（金）
    days = range_ja(event.first_day, event.last_day, event.precision)
    if event.precision != "day":
        days += f"（{PRECISION_LABELS.get(event.precision, event.precision)}単位の記載）"
    lines.append(f"期間: {days}")
    if event.start_time is not None:
        times = event.start_time.strftime("%H:%M")
        if event.end_time is not None:
            times += f"～{event.end_time.strftime('%H:%M')}"
        lines.append(f"時刻: {times}（日本時間）")
    if event.status in STATUS_LABELS:
        lines.append(f"状況: {STATUS_LABELS[event.status]}")
    if event.mode:
        lines.append(f"開催方法: {MODE_LABELS.get(event.mode, event.mode)}")
    if event.venue:
        lines.append(f"会場: {clean_text(event.venue)}")
    if event.agenda:
        lines.append("議題:")
        lines.extend(f"・{clean_text(item)}" for item in event.agenda)
    if event.source.file:
        lines.append(f"出典: {clean_text(str(event.source))}")
    if event.original:
        lines.append(f"原文: {clean_text(clean_quote(event.original))}")
    return "\n".join(lines)


def _location(event: Event) -> str | None:
    """LOCATION holds only a place: the venue of a meeting held in a room."""
    if event.venue and event.mode in PLACE_MODES:
        return clean_text(event.venue) or None
    return None


def _vtimezone():
    """VTIMEZONE for Asia/Tokyo (RFC 5545 §3.6.5): JST, UTC+9, no daylight saving.

    Written by hand, not derived from the local tz database, so every machine writes the
    same bytes. Valid for any date from 1952 on."""
    from icalendar import Timezone, TimezoneStandard

    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=9))
    standard.add("tzoffsetto", dt.timedelta(hours=9))
    standard.add("tzname", "JST")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(standard)
    return zone


def _add_times(vevent, event: Event) -> None:
    """DTSTART/DTEND: all-day dates with an exclusive end, or local times in Asia/Tokyo
    where the report wrote a time (RFC 5545 §3.3.5 form 3, local time with TZID)."""
    if event.start_time is None:
        # A plain date makes icalendar write VALUE=DATE; a vDate would lose the parameter.
        vevent.add("dtstart", event.first_day)
        vevent.add("dtend", exclusive_end(event.span))
        return
    tz = {"TZID": TZID}
    start = dt.datetime.combine(event.first_day, event.start_time)
    vevent.add("dtstart", start, parameters=tz)
    end = None
    if event.end_time is not None:
        end = dt.datetime.combine(event.last_day, event.end_time)
    if (end is None or end <= start) and event.last_day > event.first_day:
        # A start time without a usable end on a multi-day span: run to the end of its
        # last day rather than invent a duration.
        end = dt.datetime.combine(exclusive_end(event.span), dt.time())
    if end is not None and end > start:
        vevent.add("dtend", end, parameters=tz)
    # Otherwise RFC 5545 §3.6.1: a DATE-TIME DTSTART without DTEND ends when it starts.


def _vevent(event: Event, stamp: Stamps, prefix_summaries: bool, url: str | None = None):
    from icalendar import Event as VEvent

    label = short_name(event.body)
    summary = clean_text(event.summary)
    if prefix_summaries and label:
        summary = f"[{clean_text(label)}] {summary}"

    vevent = VEvent()
    vevent.add("uid", ical_text(clean_text(event.uid)))
    # DTSTAMP is LAST-MODIFIED: with METHOD:PUBLISH it says when this version was made
    # (RFC 5545 §3.8.7.2), and it must not move while the event does not
    vevent.add("dtstamp", _utc(stamp.last_modified))
    vevent.add("created", _utc(stamp.created))
    vevent.add("last-modified", _utc(stamp.last_modified))
    vevent.add("sequence", stamp.sequence)
    _add_times(vevent, event)
    vevent.add("summary", ical_text(summary))
    location = _location(event)
    if location:
        vevent.add("location", ical_text(location))
    vevent.add("description", ical_text(_description(event)))
    if url:  # RFC 5545 §3.8.4.6: the event's place on the published page
        vevent.add("url", url, parameters={"VALUE": "URI"})
    categories = [MODE_LABELS.get(event.mode, event.mode)] if event.mode else []
    if event.status in STATUS_LABELS:
        categories.append(STATUS_LABELS[event.status])
    if label:
        categories.append(clean_text(label))
    if categories:
        vevent.add("categories", categories)
    color = css_color_name(body_color(event.body))
    if color:
        vevent.add("color", ical_text(color))
    vevent.add("status", ICS_STATUS.get(event.status, "CONFIRMED"))
    # A 書面開催 period, a date known only to the month, or a cancelled meeting does not
    # fill anyone's days.
    busy = (event.mode != "written" and event.precision == "day"
            and event.status != "cancelled")
    vevent.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return vevent


def feed_bytes(
    events: Sequence[Event],
    *,
    name: str,
    description: str,
    color: str,
    stamp: dt.datetime,
    prefix_summaries: bool = False,
    refresh: str = "P1D",
    memo: dict | None = None,
    stamps: Mapping[str, Stamps] | None = None,
    event_url=None,
) -> bytes:
    """One iCalendar feed (RFC 5545 VCALENDAR, METHOD:PUBLISH) for ``events``.

    - ``name`` → NAME and X-WR-CALNAME; ``description`` → DESCRIPTION and X-WR-CALDESC
      (RFC 7986 §5.1, §5.2, and the de-facto X-WR- forms older clients read).
    - ``color`` is ``#rrggbb`` (normally :func:`aical.publish.naming.body_color`). RFC 7986 §5.9
      COLOR takes a CSS3 colour *name*, so the palette consists of CSS3 named colours and
      COLOR carries the name (``teal``) while X-APPLE-CALENDAR-COLOR carries the same colour
      as ``#RRGGBB`` for Apple and Thunderbird; the HTML uses the hex. A CSS3 name may be
      passed instead of hex; a hex outside the palette is written to
      X-APPLE-CALENDAR-COLOR only.
    - ``stamps`` gives each event's CREATED, LAST-MODIFIED (= DTSTAMP) and SEQUENCE by UID,
      from the calendar's memory (:mod:`aical.publish.state`); an event it does not name
      gets ``stamp`` for all three times and SEQUENCE 0.
    - ``prefix_summaries`` puts the body's short name before each SUMMARY
      (``[CALS/EC 事業部会] 第4回事業部会``), for all.ics.
    - ``refresh`` is an RFC 5545 duration for REFRESH-INTERVAL;VALUE=DURATION (RFC 7986
      §5.7) and X-PUBLISHED-TTL.
    - ``event_url``: a function from an event to its URL on the published page (URL,
      RFC 5545 §3.8.4.6), or None for no URL.
    - ``memo``: a dict the caller shares between the feeds of one build, so that an event
      is serialised once for its body's feed and all.ics (same bytes as without it).

    All-day events get DTSTART;VALUE=DATE and an exclusive DTEND;VALUE=DATE
    (:func:`exclusive_end`); a multi-day span is one VEVENT. Events with a written time are
    local times with TZID=Asia/Tokyo. Every feed carries the Asia/Tokyo VTIMEZONE, so a feed
    with no events still holds the one component RFC 5545 §3.6 requires. Output is UTF-8
    without BOM, CRLF line ends, folded at 75 octets by :func:`fold` (never inside a
    character or a backslash escape).
    """
    from icalendar import Calendar, vDuration

    duration = vDuration.from_ical(refresh)
    fresh = Stamps(_utc(stamp), _utc(stamp), 0)
    stamps = stamps or {}

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", ical_text(clean_text(name)))
    cal.add("x-wr-calname", ical_text(clean_text(name)))
    cal.add("description", ical_text(clean_text(description)))
    cal.add("x-wr-caldesc", ical_text(clean_text(description)))
    cal.add("refresh-interval", vDuration(duration), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(duration))
    if _HEX.match(color):
        color_name = css_color_name(color)
        if color_name:
            cal.add("color", ical_text(color_name))
        cal.add("x-apple-calendar-color", ical_text(color.upper()))
    elif re.fullmatch(r"[a-zA-Z]+", color):
        cal.add("color", ical_text(color.lower()))
    lines = _folded_lines(cal)
    end = lines.pop()  # END:VCALENDAR, after the time zone and the events
    lines.extend(_vtimezone_lines())
    for event in sorted(events, key=event_order):
        lines.extend(_vevent_lines(event, stamps.get(event.uid, fresh), prefix_summaries,
                                   memo, event_url(event) if event_url else None))
    lines.append(end)
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def _folded_lines(component) -> list[str]:
    """An icalendar component's content lines, folded by :func:`fold` (the serialiser's
    own folding is skipped: it may split an escape, and is slow)."""
    return [fold(line) for line in component.content_lines(sorted=True) if line]


@functools.cache
def _vtimezone_lines() -> tuple[str, ...]:
    """The folded lines of :func:`_vtimezone`: the same in every feed, made once."""
    return tuple(_folded_lines(_vtimezone()))


def _vevent_lines(event: Event, stamp: Stamps, prefix_summaries: bool,
                  memo: dict | None, url: str | None = None) -> list[str]:
    """The folded lines of one VEVENT. An event is in its body's feed and in all.ics, the
    two differing only in SUMMARY, so the lines are kept in ``memo`` and the prefixed
    SUMMARY is swapped in."""
    key = (event, stamp, url)
    lines = memo.get(key) if memo is not None else None
    if lines is None:
        lines = _folded_lines(_vevent(event, stamp, prefix_summaries=False, url=url))
        if memo is not None:
            memo[key] = lines
    label = short_name(event.body)
    if not (prefix_summaries and label):
        return lines

    summary = ical_text(f"[{clean_text(label)}] {clean_text(event.summary)}").to_ical()
    prefixed = fold("SUMMARY:" + summary.decode("utf-8"))
    return [prefixed if line.startswith("SUMMARY:") else line for line in lines]
