"""Text of a business report (事業報告) → bodies, events and warnings.

Pure: a ``str`` in, a :class:`aical.model.Report` out; no file I/O, no iCalendar, no HTML.

The pipeline, in the order :func:`extract_report` runs it:

1. **Lines** are classified (:func:`classify_line`): blank, heading, bullet, agenda marker
   (〔審議事項〕), 開催実績なし ("no meetings held"), or prose.
2. **Joining**: a line the PDF broke mid-sentence (no closing 。, or a parenthesis left open)
   absorbs the plain lines after it, across blank lines, so ``情報セキュリテ`` + ``イ研究会…``
   and ``平成 24 年 7 月`` + ``にシステム…`` are read as one. Headings, bullets, agenda
   markers and 開催実績なし are never swallowed.
3. **The heading tree**: ``1`` / ``(1)`` / ``ア`` / ``(ア)`` / ``【…】``, nested in the order
   the document first uses them. Every line gets a body path: the names of the open headings
   without their numbering, outermost first. A ``(N)`` whose number goes backwards while a
   deeper level is open is read as a misnumbered child of that level (the sample's
   ``(4) 共通課題研究会`` for ``(ウ)``) and warned about.
4. **Events**: one per dated meeting or dated activity (see :func:`_event_dates`), with mode,
   venue, times and the agenda bullets (〔審議事項〕 / [審議事項]) that follow. A heading that
   is itself a dated meeting (``ア 第1回幹事会（令和2年5月26日）``) is an event of the body
   around it. Not events: dates inside prose (``平成16年7月から…``), open-ended dates
   (``令和3年3月以降``, ``…から``), 年度 and year mentions, agenda items.
5. **Fiscal year repair** (年度 = April 1 – March 31): a span outside the document's fiscal
   year that lands inside it when its year moves by one is moved, with a warning. A span no
   one-year move brings inside is kept as written, with a warning: guessing further would
   hide a real mistake, and the person fixing the report needs to see the date they wrote.

Warnings (each names the file and line): ``line_too_long`` (see :data:`MAX_LINE_CHARS`),
``date_out_of_range`` (an event ending after :data:`LAST_DAY`, dropped),
``out_of_fiscal_year``, ``weekday_mismatch`` and
``after_era_end`` (from the era engine's notes, except weekdays of a year the finder only
guessed), ``heading_out_of_sequence``, ``no_date`` (a line that looks like a meeting,
``第N回…会`` or ``臨時…会``, without a usable date).

UIDs come from :func:`event_uid` alone; see there for what identifies a meeting.

What counts as a **body**: a heading (or 【…】 group) whose own section holds at least one
event or says 開催実績なし. Headings that only hold other headings or prose are structure,
not bodies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from aical.dates.era import FiscalYear, fiscal_year_of
from aical.dates.finder import fold_with_map, scan_line
from aical.extract.status import context_of, event_status, is_draft_title
from aical.model import Body, DateMatch, Event, Report, Source, Span, Warning

# --------------------------------------------------------------------------- lines

#: Heading kinds, outermost first as Japanese official documents number them.
HEADING_KINDS = ("number", "paren_number", "kana", "paren_kana", "bracket")

_KANA_ORDERS = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ",
    "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス",
)
_KANA = "ア-ヲ"
# Matched against the NFKC form of the stripped line; group "name" is located in the
# original line again so names keep their width (（メンバー全員）).
_HEADING_PATTERNS = (
    ("paren_number", re.compile(r"\((?P<n>\d{1,2})\)\s*(?P<name>\S.*)")),
    ("paren_kana", re.compile(rf"\((?P<n>[{_KANA}])\)\s*(?P<name>\S.*)")),
    ("number", re.compile(r"(?P<n>\d{1,2})(?:\s+|[.．]\s*)(?P<name>\S.*)")),
    # a kana heading needs the space after it: "イ研究会の決定" is a word the PDF broke
    ("kana", re.compile(rf"(?P<n>[{_KANA}])\s+(?P<name>\S.*)")),
    ("bracket", re.compile(r"【(?P<name>[^【】]+)】")),
)
# A number followed by one of these is a quantity or a date, not a heading ("16 日から").
_NOT_A_NAME = re.compile(r"(?:年|月|日|時|分|回|号|人|件|円|%|％|か所|箇所|団体|市|町|村|名)")
_AGENDA_MARKER = re.compile(
    r"[〔\[［【<＜(（]\s*(?:審議事項|協議事項|報告事項|議題|議事|議案)\s*[〕\]］】>＞)）]\s*[:：]?")
_NONE_HELD = re.compile(r"開催実績\s*(?:は\s*)?(?:なし|無し|ありません)|開催なし")
# "- ・" is how PDF extraction renders a list bullet; "-" alone only before another bullet.
_BULLET = re.compile(r"(?:[-‐－]\s*)?[・･○●◯◎■□◆◇▪•\u2460-\u2473]\s*|[-‐－]\s+(?=[^\d\s])")
_MEETING_NAME = re.compile(
    r"(?:第\s*\d+\s*回|臨時|定例|定期).{0,30}?(?:会議|総会|部会|委員会|研究会|検討会|幹事会|会)")
_ORDINAL = re.compile(r"第\s*(\d+)\s*回")
_SENTENCE_END = "。．.)）」』】〕］]!！?？:："
_OPEN = "(（「『【〔［["
_CLOSE = ")）」』】〕］]"


def fold(text: str) -> str:
    """NFKC width folding, for matching only: what is displayed keeps the original."""
    return unicodedata.normalize("NFKC", text)


def tidy(text: str) -> str:
    """Remove the spaces PDF extraction puts inside Japanese text (``第 1 回``).

    A space goes when the characters either side are both Japanese or digits (but not two
    digits); spaces between Latin words (``脱Java 対応`` keeps its space) stay.
    """
    text = text.strip().replace("\u3000", " ")

    def keep(m: re.Match) -> str:
        a, b = m.string[m.start() - 1], m.string[m.end()]
        if a.isdigit() and b.isdigit():
            return " "
        if _is_wide_or_digit(a) and _is_wide_or_digit(b):
            return ""
        return " "

    return re.sub(r"(?<=\S)\s+(?=\S)", keep, text)


def _is_wide_or_digit(ch: str) -> bool:
    return ch.isdigit() or unicodedata.east_asian_width(ch) in "WF"


@dataclass(frozen=True, slots=True)
class Heading:
    kind: str
    number: int | None  # 1-based position in its sequence; None for 【…】
    name: str           # as written, numbering removed, PDF spaces removed
    marker: str         # the numbering as written ("(4)", "オ", "【】")


@dataclass(frozen=True, slots=True)
class LineKind:
    """What one physical line is. ``kind``: blank, heading, bullet, agenda, none_held, prose."""

    kind: str
    text: str                    # stripped original, bullet removed for bullets
    heading: Heading | None = None


def _kana_number(ch: str) -> int:
    return _KANA_ORDERS[0].index(ch) + 1 if ch in _KANA_ORDERS[0] else 0


def classify_line(line: str) -> LineKind:
    """Classify one physical line (see the module docstring for the kinds)."""
    stripped = line.strip().replace("\f", "")
    if not stripped.strip():
        return LineKind("blank", "")
    stripped = stripped.strip()
    folded = fold(stripped)
    if _AGENDA_MARKER.fullmatch(folded) or _AGENDA_MARKER.fullmatch(stripped):
        return LineKind("agenda", stripped)
    heading = _heading(stripped, folded)
    if heading is not None:
        return LineKind("heading", stripped, heading)
    m = _BULLET.match(stripped)
    if m and _NONE_HELD.search(folded) and len(folded) <= 20:
        return LineKind("none_held", stripped[m.end():].strip())
    if m:
        return LineKind("bullet", stripped[m.end():].strip())
    if _NONE_HELD.search(folded) and len(folded) <= 20:
        return LineKind("none_held", stripped)
    return LineKind("prose", stripped)


def _heading(stripped: str, folded: str) -> Heading | None:
    if len(folded) > 60:
        return None
    for kind, pattern in _HEADING_PATTERNS:
        m = pattern.fullmatch(folded)
        if m is None:
            continue
        name_folded = m["name"]
        if "。" in name_folded or _NOT_A_NAME.match(name_folded):
            return None
        if kind in ("number", "paren_number"):
            number: int | None = int(m["n"])
            if not 1 <= number <= 50:
                return None
        elif kind in ("kana", "paren_kana"):
            number = _kana_number(m["n"])
        else:
            number = None
        marker = folded[: m.start("name")].strip() if kind != "bracket" else "【】"
        # the name as written: drop as many characters of the original as the marker used
        name = _original_tail(stripped, folded, m.start("name"))
        if kind == "bracket":
            name = name.strip()[:-1] if name.strip().endswith("】") else name
        return Heading(kind, number, tidy(name), marker)
    return None


def _original_tail(original: str, folded: str, folded_start: int) -> str:
    """The part of ``original`` whose NFKC form is ``folded[folded_start:]``."""
    consumed = 0
    for i, ch in enumerate(original):
        if consumed >= folded_start:
            return original[i:]
        consumed += len(fold(ch))
    return ""


# --------------------------------------------------------------------------- joining


@dataclass(slots=True)
class Logical:
    """One logical line: physical lines joined where the PDF broke a sentence."""

    line: int               # 1-based number of its first physical line
    kind: str
    text: str               # joined stripped text (bullet removed for bullets)
    original: str           # joined stripped original lines
    heading: Heading | None = None


def _balance(text: str, depth: int = 0) -> int:
    """Brackets still open after ``text``, continuing from ``depth`` (a stray closer never goes
    below zero). Continuing is what keeps line joining linear: the depth of a joined line is
    carried forward line by line, never recounted over what was already joined."""
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth


def _continues(text: str, kind: str, *, depth: int | None = None,
               length: int | None = None) -> bool:
    """Whether a line was broken mid-sentence: the next plain line belongs to it.

    Conservative: a bullet continues only while a parenthesis is open (a date broken across
    lines); prose continues when it ends without closing punctuation and is long enough to
    be a wrapped line, or ends in 、. When joining, ``text`` is only the last piece and
    ``depth`` / ``length`` describe the whole joined line.
    """
    if not text:
        return False
    if (_balance(text) if depth is None else depth) > 0:
        return True
    if kind != "prose":
        return False
    last = text.rstrip()[-1]
    if last in _SENTENCE_END:
        return False
    return (last in "、，," or (len(text) if length is None else length) >= 25
            or bool(re.search(r"[年月]\s*$", text)))


_DATE_START = re.compile(r"\s*(?:明治|大正|昭和|平成|令和|[MTSHR]\s*\d|\d{1,4}\s*[年月])")


def _date_on_next_line(kind: str, head: str, has_month: bool, following: str) -> bool:
    """A meeting bullet without a date whose date is the next line (``・第1回幹事会`` /
    ``令和2年5月26日（書面開催）``). ``head`` is the start of the line joined so far (a
    meeting name is matched there) and ``has_month`` whether it holds a 月 yet."""
    return (kind == "bullet" and not has_month and bool(_MEETING_NAME.match(fold(head)))
            and bool(_DATE_START.match(fold(following[:40]))))


def _stands_alone(following: str) -> bool:
    """A line that is its own item even after an unfinished one: a meeting line
    (``第1回定期総会（…）``) or a parenthesised date note (``(令和2年4月20日、…)``)."""
    text = fold(following)
    return bool(_MEETING_NAME.match(text)) or text.startswith("(")


def _glue(a: str, b: str) -> str:
    """What joining ``b`` after ``a`` appends: a space between two Latin words, else nothing."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return " " + b
    return b


#: Longest logical line searched for dates, in characters. A longer line (a whole file
#: without line breaks, a minified blob) is skipped with a ``line_too_long`` warning; the
#: work per date grows with the line, so without a bound one line could take hours.
#: Real report lines are under 300 characters; joined paragraphs stay below this too.
MAX_LINE_CHARS = 5000


def logical_lines(text: str) -> list[Logical]:
    """Classify every line and join the ones a PDF broke (blank lines are dropped)."""
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kinds = [classify_line(line) for line in physical]
    out: list[Logical] = []
    i = 0
    while i < len(physical):
        k = kinds[i]
        if k.kind == "blank":
            i += 1
            continue
        item = Logical(i + 1, k.kind, k.text, physical[i].strip(), k.heading)
        i += 1
        if k.kind in ("prose", "bullet"):
            # The joined line grows as a list of pieces and its bracket depth and length are
            # carried along, so every physical line is looked at a bounded number of times:
            # joining is linear in the file (1 MB of unclosed brackets took over a minute
            # when each step recounted the whole joined line).
            texts, originals = [item.text], [item.original]
            length, depth = len(item.text), _balance(item.text)
            # a meeting name is matched within its first 200 characters; 月 is looked for in
            # each piece as it is joined
            head, has_month = item.text[:200], "月" in fold(item.text)
            while True:
                j = i
                while j < len(physical) and kinds[j].kind == "blank" and j - i < 3:
                    j += 1
                if j >= len(physical) or kinds[j].kind != "prose":
                    break
                following = kinds[j].text
                # Joining stops at MAX_LINE_CHARS: an unclosed parenthesis would otherwise
                # swallow every prose line after it.
                if length + len(following) > MAX_LINE_CHARS:
                    break
                if not (_continues(texts[-1], item.kind, depth=depth, length=length)
                        or _date_on_next_line(item.kind, head, has_month, following)):
                    break
                if depth == 0 and _stands_alone(following):
                    break
                texts.append(_glue(texts[-1], following))
                originals.append(_glue(originals[-1], physical[j].strip()))
                length += len(texts[-1])
                depth = _balance(following, depth)
                has_month = has_month or "月" in fold(texts[-1])
                if len(head) < 200:
                    head = (head + texts[-1])[:200]
                i = j + 1
            if len(texts) > 1:
                item.text, item.original = "".join(texts), "".join(originals)
        out.append(item)
    return out


# --------------------------------------------------------------------------- heading tree


@dataclass(slots=True)
class _Open:
    kind: str               # the slot's kind: what later headings pop back to
    heading: Heading
    number: int | None      # the number this slot counts from (the expected one if misnumbered)
    last_child: dict[str, int] = field(default_factory=dict)


class HeadingTree:
    """The stack of open headings; levels nest in the order the document first uses them."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.top_last: dict[str, int] = {}

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(o.heading.name for o in self.stack)

    def _siblings_last(self, depth: int) -> dict[str, int]:
        return self.stack[depth - 1].last_child if depth > 0 else self.top_last

    def _expected_next(self, kind: str, previous: int | None) -> set[int]:
        if previous is None:
            return {1}
        if kind in ("kana", "paren_kana"):
            ch = _KANA_ORDERS[0][previous - 1] if 0 < previous <= len(_KANA_ORDERS[0]) else ""
            nexts = set()
            for order in _KANA_ORDERS:
                at = order.find(ch)
                if 0 <= at < len(order) - 1:
                    nexts.add(_kana_number(order[at + 1]))
            return nexts
        return {previous + 1}

    def open(self, heading: Heading) -> str | None:
        """Place a heading; returns a warning message when it is out of sequence."""
        kind = heading.kind
        depth = next((d for d, o in enumerate(self.stack) if o.kind == kind), None)
        if kind == "bracket":
            depth = depth if depth is not None else len(self.stack)
            del self.stack[depth:]
            self.stack.append(_Open(kind, heading, None))
            return None
        if depth is None:
            # a kind not yet open nests below everything open, except that an outer kind
            # (by HEADING_KINDS) closes the inner ones and 【】 groups
            rank = HEADING_KINDS.index(kind)
            depth = len(self.stack)
            for d, o in enumerate(self.stack):
                if HEADING_KINDS.index(o.kind) > rank:
                    depth = d
                    break
        siblings = self._siblings_last(depth)
        previous = siblings.get(kind)
        expected = self._expected_next(kind, previous)
        message = None
        number = heading.number
        if number not in expected:
            deeper = [o for o in self.stack[depth + 1:] if o.kind in ("kana", "paren_kana")]
            went_back = previous is not None and number is not None and number <= previous
            if went_back and deeper and kind == "paren_number":
                # A backwards (N) while a deeper level is open: a misnumbered child of the
                # first level below this one, taking the place of its next item.
                parent_depth = depth + 1
                parent = self.stack[parent_depth]
                child = self.stack[parent_depth + 1] if len(self.stack) > parent_depth + 1 \
                    and self.stack[parent_depth + 1].kind != "bracket" else None
                slot_kind = child.kind if child is not None else kind
                prev_child = parent.last_child.get(slot_kind)
                slot_number = min(self._expected_next(slot_kind, prev_child), default=1)
                del self.stack[parent_depth + 1:]
                parent.last_child[slot_kind] = slot_number
                self.stack.append(_Open(slot_kind, heading, slot_number))
                meant = _numbering(slot_kind, slot_number)
                return (f"heading '{heading.marker} {heading.name}' comes after "
                        f"'{self._last_marker(depth, kind, previous)}', so its number goes "
                        f"backwards; read as the next item under '{parent.heading.marker} "
                        f"{parent.heading.name}' (probably meant {meant}). "
                        f"Renumber the heading if that is wrong.")
            if previous is None:
                message = (f"heading '{heading.marker} {heading.name}' starts its list at "
                           f"{heading.marker} instead of {_numbering(kind, 1)}; "
                           "check for a missing heading before it")
            else:
                message = (f"heading '{heading.marker} {heading.name}' follows "
                           f"{_numbering(kind, previous)} out of sequence (expected "
                           f"{' or '.join(_numbering(kind, n) for n in sorted(expected))}); "
                           "check the numbering")
        del self.stack[depth:]
        siblings[kind] = number if number is not None else 0
        self.stack.append(_Open(kind, heading, number))
        return message

    def _last_marker(self, depth: int, kind: str, previous: int | None) -> str:
        if depth < len(self.stack) and self.stack[depth].kind == kind:
            o = self.stack[depth]
            return f"{o.heading.marker} {o.heading.name}"
        return _numbering(kind, previous or 0)


def _numbering(kind: str, number: int) -> str:
    if kind == "number":
        return str(number)
    if kind == "paren_number":
        return f"({number})"
    ch = _KANA_ORDERS[0][number - 1] if 0 < number <= len(_KANA_ORDERS[0]) else "?"
    return f"({ch})" if kind == "paren_kana" else ch


# --------------------------------------------------------------------------- mode, venue, time

_VIDEO = re.compile(r"動画(?:配信|ファイル|研修|視聴)?|オンデマンド")
_BULLETIN = re.compile(r"LGWAN\s*掲示板|電子掲示板|掲示板")
_ONLINE = re.compile(r"オンライン|ウェブ会議|Web\s*会議|WEB\s*会議|テレビ会議|Zoom|リモート開催",
                     re.IGNORECASE)
_HYBRID = re.compile(r"ハイブリッド(?:開催|形式|方式)?")
_WRITTEN = re.compile(r"書面(?:開催|会議|決議|審議|表決|による|議決)?")
_PLACE_SUFFIX = re.compile(
    r"(?:センター|庁舎|会館|ホール|会議室|室|館|ホテル|役所|役場|プラザ|ビル|棟|階|サイト|"
    r"大学|学校|会場|庁|本庁|公園|ホーム)$")
_NOT_A_PLACE = re.compile(
    r"中止|延期|予定|未定|調整|開催|実施|配付|配布|について|診断|頃|ごろ|程度|以内|→|等$|中$"
    r"|旬|^末$|^初め$|四半期")
_TIME_POINT = (r"(?:(?P<{p}ampm>午前|午後)\s*)?(?P<{p}h>\d{{1,2}})\s*"
               r"(?:時\s*(?:(?P<{p}m>\d{{1,2}})\s*分|(?P<{p}half>半))?|:\s*(?P<{p}mm>\d{{2}}))")
_TIME = re.compile(_TIME_POINT.format(p="a") + r"(?:\s*(?:~|〜|-|－|ー|から)\s*"
                   + _TIME_POINT.format(p="b") + r")?")


def _time_of(m: re.Match, p: str, ampm: str | None) -> dt.time | None:
    hour = int(m[f"{p}h"])
    minute = int(m[f"{p}m"] or m[f"{p}mm"] or (30 if m[f"{p}half"] else 0))
    if ampm == "午後" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def find_times(text: str) -> tuple[tuple[dt.time | None, dt.time | None], str]:
    """The first ``13時30分～15時`` / ``14：00～16：00`` in ``text``; and the text without it."""
    quick = fold(text)
    if "時" not in quick and ":" not in quick:
        # no time can be written here; skip the per-character fold, which called once per
        # date on a line listing hundreds of dates made extraction quadratic
        return (None, None), text
    # the finder's fold (spaces out, one range separator, kanji numerals as digits), so
    # times read like dates: 午後 二 時 ー 四 時 too
    folded, origin = fold_with_map(text)
    m = _TIME.search(folded)
    if m is None:
        return (None, None), text
    start = _time_of(m, "a", m["aampm"])
    end = _time_of(m, "b", m["bampm"] or m["aampm"]) if m["bh"] else None
    first, last = origin[m.start()], origin[m.end() - 1] + 1
    return (start, end), (text[:first] + text[last:]).strip()


def mode_and_venue(segments: list[str], *, loose: bool) -> tuple[str | None, str | None, bool]:
    """Mode and venue from the parts of a parenthesis (split on 、).

    A place and an online part (会議室、Zoom), or ハイブリッド, is ``hybrid`` (venue: the
    place). Otherwise precedence video > bulletin > online > written > in_person. ``loose`` (the parenthesis
    that holds the date): any short leftover part is taken as a place; otherwise only parts
    ending like a place (…センター, …庁舎, …サイト) are. The third value says whether any
    part was recognised.
    """
    found: dict[str, str | None] = {}
    for raw in segments:
        seg = tidy(raw).strip()
        if not seg:
            continue
        f = fold(seg)
        if _HYBRID.search(f):
            found.setdefault("hybrid", None)
        elif _VIDEO.search(f):
            found.setdefault("video", _before_nite(seg))
        elif _BULLETIN.search(f):
            found.setdefault("bulletin", _before_nite(seg))
        elif _ONLINE.search(f):
            found.setdefault("online", None)
        elif _WRITTEN.search(f):
            found.setdefault("written", None)
        elif _PLACE_SUFFIX.search(f) and not _NOT_A_PLACE.search(f):
            found.setdefault("in_person", _before_nite(seg))
        elif loose and 2 <= len(f) <= 30 and not _NOT_A_PLACE.search(f) \
                and not re.search(r"\d", f):
            found.setdefault("in_person", seg)
    if "hybrid" in found or ("online" in found and "in_person" in found):
        # a room and a link at once (会議室、Zoom): both kinds of member attend
        return "hybrid", found.get("in_person"), True
    for mode in ("video", "bulletin", "online", "written", "in_person"):
        if mode in found:
            return mode, found[mode], True
    return None, None, False


def _before_nite(seg: str) -> str:
    """``発注者ポータルサイトにて動画ファイルの配付開始`` → the place before にて."""
    return seg.split("にて", 1)[0].strip() if "にて" in seg else seg


def _split_segments(text: str) -> list[str]:
    return [s for s in re.split(r"[、，,]", text) if s.strip()]


# --------------------------------------------------------------------------- events


@dataclass(slots=True)
class _Draft:
    body: tuple[str, ...]
    summary: str
    span: Span
    written: Span           # the span as written, before any fiscal-year repair
    match: DateMatch
    mode: str | None
    venue: str | None
    line: int
    original: str
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    agenda: list[str] = field(default_factory=list)
    status: str = "confirmed"


# After these a date starts or ends something open (令和3年3月以降, 令和2年4月から); 予定 and
# 頃 are not here: a plan's ``第1回総会（令和3年5月予定）`` is still a meeting.
_OPEN_ENDED_AFTER = re.compile(r"\s*(?:以降|以後|から|より|以来|まで|迄|を目途|目途)")
_EVENT_PRECISIONS = ("day", "month")
_FORWARDED_NOTES = ("weekday_mismatch", "after_era_end")
_MAYBE_DATE = re.compile(r"[年月]")


def _enclosing_paren(text: str, start: int) -> tuple[int, int] | None:
    """(open, close) of the parenthesis whose content starts with position ``start``."""
    i = start - 1
    while i >= 0 and text[i] in " \u3000\t":
        i -= 1
    if i < 0 or text[i] not in "(（":
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "(（":
            depth += 1
        elif text[j] in ")）":
            depth -= 1
            if depth == 0:
                return i, j
    return i, len(text)


def _qualifies(m: DateMatch, text: str) -> bool:
    if m.span.precision not in _EVENT_PRECISIONS:
        return False
    if any(code == "open_ended" for code, _ in m.notes):
        return False
    return not _OPEN_ENDED_AFTER.match(text[m.end:])


def _event_dates(item: Logical, matches: list[DateMatch]) -> list[DateMatch]:
    """The matches on a logical line that are meetings or dated activities.

    - a bullet: its first day- or month-precise date that is not open-ended (…以降, …から),
      plus dates listed right after it (``、`` between them);
    - any other line: a date that opens a parenthesis closing the line
      (``第1回定期総会（令和2年6月5日～10日、書面開催）``, ``…実施した。(令和2年12月7日～12月17日)``),
      or a date in a short line that starts with a meeting name (``第1回総会 令和2年6月5日``).
    Narrative dates inside prose (平成16年7月から…, 平成 18 年 10 月 16 日から稼動し) are not.
    """
    text = item.text
    good = [m for m in matches if _qualifies(m, text)]
    if not good:
        return []
    if item.kind == "bullet":
        chosen = [good[0]]
        for m in good[1:]:
            between = text[chosen[-1].end:m.start]
            if re.fullmatch(r"[\s、，,・及びと]*", between):
                chosen.append(m)
        return chosen
    chosen = []
    for m in good:
        paren = _enclosing_paren(text, m.start)
        if paren is not None and not text[paren[1] + 1:].strip(" 。．.\u3000"):
            chosen.append(m)
            break
    if chosen:
        return chosen
    if len(fold(text)) <= 80 and "。" not in text and _MEETING_NAME.match(fold(text)):
        return [good[0]]
    return []


def _summary_and_place(item: Logical, m: DateMatch, heading_name: str | None
                       ) -> tuple[str, str | None, str | None, tuple]:
    """Summary, mode, venue and (start, end) times for one dated line."""
    text = item.text
    paren = _enclosing_paren(text, m.start)
    times: tuple[dt.time | None, dt.time | None] = (None, None)
    mode = venue = None
    if paren is not None:
        open_, close = paren
        before = text[:open_].strip()
        inside_after = text[m.end:close]
        times, inside_after = find_times(inside_after)
        mode, venue, _ = mode_and_venue(_split_segments(inside_after), loose=True)
        after = text[close + 1:].strip()
        summary = before
        if not before or "。" in before or len(before) > 40:
            summary = heading_name or tidy(before)[:40]
        elif after and not after.startswith(("。", "、")):
            summary = before + after
    else:
        before = text[: m.start].strip()
        after = text[m.end:].strip()
        times, after_wo_time = find_times(after)
        if times[0] is not None and fold(after).find(":") < 8:
            after = after_wo_time
        summary = before or after
        if not before:
            # the date opens the line: "令和2年7月14日～20日 全体説明会及び勉強会（…）"
            trailing = re.search(r"[(（]([^()（）]*)[)）]\s*$", after)
            if trailing:
                mode, venue, recognised = mode_and_venue(
                    _split_segments(trailing[1]), loose=False)
                if recognised:
                    after = after[: trailing.start()].strip()
            summary = after or heading_name or ""
        else:
            mode, venue, _ = mode_and_venue(_split_segments(
                " ".join(re.findall(r"[(（]([^()（）]*)[)）]", after))), loose=False)
    summary = tidy(summary).strip(" 、。:：")
    if not summary:
        summary = heading_name or m.text
    return summary, mode, venue, times


# --------------------------------------------------------------------------- identity


def _key_text(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def event_uid(fiscal_year: FiscalYear | None, body: tuple[str, ...], summary: str,
              first_day: dt.date, occurrence: int = 1) -> str:
    """The stable UID of a meeting: ``<sha1 hex>@aical``.

    Identity is what names the meeting, never where it was written:

    - the fiscal year (年度; from the document, else the one the event falls in),
    - the body path and
    - its ordinal ``第N回`` with the summary, or, for meetings without an ordinal
      (``意見交換及び審議``, ``臨時幹事会``), the summary **and its first day**,
    - ``occurrence`` (2, 3 …) only when all of the above repeat within one report.

    Width and spaces are folded (``第 1 回`` = ``第１回``). File names, line numbers, venues
    and modes are left out, so renaming the file, editing a venue or inserting a meeting
    above keeps every UID. Trade-off: an ordinal meeting keeps its UID when its date is
    corrected (calendar clients move it); an un-numbered one gets a new UID when its first
    day changes, because nothing else tells two of them apart.
    """
    fy = fiscal_year or fiscal_year_of(first_day)
    summary_key = _key_text(summary)
    what = [summary_key] if _ORDINAL.search(summary_key) else [summary_key, first_day.isoformat()]
    # The key is hashed as a JSON array, a sequence with every part quoted: joining parts
    # with a character ("/", " › ", even U+001F) would let a name containing it collide
    # with a deeper path (the body 総会/幹事会 and the path 総会 › 幹事会 were one UID).
    key: list = ["aical-event-v2", fy.start_year, [_key_text(b) for b in body], what]
    if occurrence > 1:
        key.append(occurrence)
    digest = hashlib.sha1(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{digest}@aical"


# --------------------------------------------------------------------------- fiscal year


def _shift_year(span: Span, years: int) -> Span | None:
    try:
        first = span.first_day.replace(year=span.first_day.year + years)
        last = span.last_day.replace(year=span.last_day.year + years)
    except ValueError:  # 29 February
        return None
    if span.precision == "month":  # keep month ends right (February)
        import calendar

        last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    return Span(first, last, span.precision)


def repair_fiscal_year(span: Span, fiscal_year: FiscalYear) -> tuple[Span, bool]:
    """Move a span into the fiscal year when moving its year by one lands it inside.

    Returns (span to use, repaired?). A span that no single-year move brings inside is
    returned unchanged (repaired False); the caller warns about it.
    """
    def inside(s: Span) -> bool:
        return fiscal_year.contains(s.first_day) and fiscal_year.contains(s.last_day)

    if inside(span):
        return span, False
    candidates = [s for s in (_shift_year(span, +1), _shift_year(span, -1))
                  if s is not None and inside(s)]
    if len(candidates) == 1:
        return candidates[0], True
    return span, False


_TITLE_LINES = 5

#: The last day an event may end on: the end of fiscal year 9998. Feeds need the day after
#: an event (DTEND) and pages the whole fiscal year, and Python's dates stop at 9999-12-31.
LAST_DAY = dt.date(9999, 3, 31)


def fiscal_year_from_title(lines: list[Logical]) -> tuple[str, FiscalYear | None]:
    """Title and fiscal year, from the first lines before any heading: the first short line
    (no 。) naming a 年度 is the title and gives the fiscal year; without one, the first
    short line is the title and the year is unknown."""
    title = ""
    for item in lines[:_TITLE_LINES]:
        if item.kind == "heading":
            break
        if item.kind != "prose" or len(item.text) > 40 or "。" in item.text:
            continue  # a title is a short line without a sentence end
        if not title:
            title = tidy(item.original)
        if "年度" in fold(item.text):
            for m in scan_line(item.text, item.line):
                if m.span.precision == "fiscal_year":
                    return tidy(item.original), FiscalYear(m.span.first_day.year)
    return title, None


# --------------------------------------------------------------------------- the report


def extract_report(text: str, *, file: str, fiscal_year: FiscalYear | None = None) -> Report:
    """Bodies, events and warnings of one report (事業報告) given as text.

    ``file`` is only the name used in sources and warnings. ``fiscal_year`` overrides the
    one read from the title (``令和2年度事業報告``); without either, no year is repaired.
    """
    lines = logical_lines(text)
    title, title_year = fiscal_year_from_title(lines)
    fy = fiscal_year or title_year
    draft = is_draft_title(title)  # 事業計画（案）: every meeting in it may still move
    warnings: list[Warning] = []
    drafts: list[_Draft] = []
    bodies: list[tuple[str, ...]] = []
    known: set[tuple[str, ...]] = set()
    tree = HeadingTree()
    agenda_open = False
    last_event: _Draft | None = None  # the meeting an agenda marker right after belongs to
    reference: dt.date | None = fy.first_day if fy else None

    def warn(code: str, line: int, message: str) -> None:
        warnings.append(Warning(code, message, file, line))

    def add_body(path: tuple[str, ...]) -> None:
        if path and path not in known:  # a set: a report may hold a thousand bodies
            known.add(path)
            bodies.append(path)

    for item in lines:
        if item.kind == "agenda":
            agenda_open = last_event is not None
            continue
        if item.kind == "none_held":
            add_body(tree.path)
            agenda_open, last_event = False, None
            continue
        if item.kind == "heading":
            agenda_open, last_event = False, None
            message = tree.open(item.heading)
            parent = tree.path[:-1]
            if message:
                warn("heading_out_of_sequence", item.line, message)
            if not _MAYBE_DATE.search(item.heading.name):
                continue
            # a heading that is itself a dated meeting (ア 第1回幹事会（令和2年5月26日）):
            # an event of the body around it
            item = Logical(item.line, "prose", item.heading.name, item.original)
            body_path = parent
        else:
            body_path = tree.path
        if len(item.text) > MAX_LINE_CHARS:
            warn("line_too_long", item.line,
                 f"the line is {len(item.text):,} characters long; aical reads dates only "
                 f"in lines of up to {MAX_LINE_CHARS:,}. Break it into lines (one meeting a "
                 "line) if it holds meetings")
            agenda_open, last_event = False, None
            continue
        matches = scan_line(item.text, item.line, reference=reference)
        if matches:
            reference = matches[-1].span.first_day
        for m in matches:
            codes = {code for code, _ in m.notes}
            for code, note in m.notes:
                # a weekday contradicting a guessed year says the guess is wrong, not the text
                if code in _FORWARDED_NOTES and not (
                        code == "weekday_mismatch" and "year_inferred" in codes):
                    advice = "" if "check" in note else "; check the date as written"
                    warn(code, item.line, f"'{m.text}': {note}{advice}")
        if agenda_open and item.kind == "bullet" and not _MEETING_NAME.match(fold(item.text)):
            last_event.agenda.append(tidy(item.text))
            continue
        agenda_open, last_event = False, None
        dated = _event_dates(item, matches)
        if not dated:
            if (item.kind == "bullet" or len(fold(item.text)) <= 60) \
                    and _MEETING_NAME.match(fold(item.text)):
                found = "".join(f" ('{m.text}' is open-ended or not a day or month)"
                                for m in matches[:1])
                warn("no_date", item.line,
                     f"'{tidy(item.original)}' looks like a meeting but holds no date aical "
                     f"can read{found}; write it as 令和2年6月5日 or 令和2年6月5日～10日 so "
                     "the meeting is not lost")
            continue
        heading_name = body_path[-1] if body_path else None
        statuses = [event_status(item.text, date=m, matches=matches, part=part, draft=draft)
                    for m, part in zip(dated, context_of(item.text, dated))]
        moved_to = {id(s.new_date) for s in statuses if s.new_date is not None}
        for m, status in zip(dated, statuses):
            if id(m) in moved_to:
                continue  # the new day of a postponed meeting, not a meeting of its own
            if m.span.last_day > LAST_DAY:
                warn("date_out_of_range", item.line,
                     f"'{m.text}' ends on {m.span.last_day.isoformat()}, after the last day "
                     f"aical can publish ({LAST_DAY.isoformat()}); check the year")
                continue
            summary, mode, venue, (start, end) = _summary_and_place(item, m, heading_name)
            # a postponed meeting is published on the day it moved to, when one is written
            span = status.new_span or m.span
            last_event = _Draft(body_path, summary, span, span, m, mode, venue,
                                item.line, item.original, start, end, status=status.status)
            drafts.append(last_event)
            add_body(body_path)

    if fy is not None:
        for d in drafts:
            span, repaired = repair_fiscal_year(d.span, fy)
            if repaired:
                d.span = span
                warn("out_of_fiscal_year", d.line,
                     f"'{d.match.text}' ({d.written}) lies outside {fy.label} "
                     f"({fy.first_day.isoformat()}–{fy.last_day.isoformat()}); used {span} "
                     f"instead, its year moved by one. Correct the year in the report if "
                     "this is wrong.")
            elif not (fy.contains(span.first_day) and fy.contains(span.last_day)):
                warn("out_of_fiscal_year", d.line,
                     f"'{d.match.text}' ({d.written}) lies outside {fy.label} "
                     f"({fy.first_day.isoformat()}–{fy.last_day.isoformat()}) and moving its "
                     "year by one does not bring it inside; kept as written. Check the date, "
                     "or pass the right fiscal year (--year).")

    events = _finish(drafts, fy, file)
    warnings.sort(key=lambda w: (w.line or 0, w.code))
    return Report(file=file, title=title, fiscal_year=fy,
                  bodies=tuple(Body(p) for p in bodies), events=tuple(events),
                  warnings=tuple(_dedupe(warnings)))


def _finish(drafts: list[_Draft], fy: FiscalYear | None, file: str) -> list[Event]:
    seen: dict[str, int] = {}
    events = []
    for d in drafts:
        # repeats are counted by the first UID itself, so "the same meeting" means exactly
        # what event_uid folds together (width and spaces included)
        key = event_uid(fy, d.body, d.summary, d.span.first_day)
        seen[key] = seen.get(key, 0) + 1
        events.append(Event(
            uid=event_uid(fy, d.body, d.summary, d.span.first_day, seen[key]),
            body=d.body, summary=d.summary, span=d.span, mode=d.mode, venue=d.venue,
            agenda=tuple(d.agenda), source=Source(file, d.line), original=d.original,
            start_time=d.start_time, end_time=d.end_time, status=d.status))
    return events


def _dedupe(warnings: list[Warning]) -> list[Warning]:
    out, seen = [], set()
    for w in warnings:
        if (w.code, w.line, w.message) not in seen:
            seen.add((w.code, w.line, w.message))
            out.append(w)
    return out


__all__ = ["HEADING_KINDS", "Heading", "HeadingTree", "LineKind", "Logical", "classify_line",
           "event_uid", "extract_report", "find_times", "fiscal_year_from_title",
           "logical_lines", "mode_and_venue", "repair_fiscal_year", "tidy"]
