"""The heading outline: a document's blocks as logical lines under their headings.

Every recogniser reads the same outline, so a meeting in a list, a table or a sentence
gets its body from the same heading path. :func:`outline` runs, in order:

1. **Lines.** Paragraph text is split into written lines and each is classified
   (:func:`classify_line`): blank, heading, bullet, agenda marker (〔審議事項〕), 開催実績なし
   ("no meetings held"), or prose. A reader's own :class:`aical.document.Heading` and
   :class:`aical.document.ListItem` blocks keep their kind (``h1`` … ``h6`` headings by
   level, bullets); tables and field blocks pass through whole.
2. **Joining**: a line the PDF broke mid-sentence (no closing 。, or a parenthesis left open)
   absorbs the plain lines after it, across blank lines, so ``情報セキュリテ`` + ``イ研究会…``
   and ``平成 24 年 7 月`` + ``にシステム…`` are read as one. Headings, bullets, agenda
   markers and 開催実績なし are never swallowed.
3. **The heading tree** (:class:`HeadingTree`): ``1`` / ``(1)`` / ``ア`` / ``(ア)`` /
   ``【…】``, nested in the order the document first uses them, below any headings the
   format marked (HTML ``<h2>``, Markdown ``##``, Word heading styles). Every line gets a
   body path: the names of the open headings without their numbering, outermost first. A
   ``(N)`` whose number goes backwards while a deeper level is open is read as a
   misnumbered child of that level (the sample's ``(4) 共通課題研究会`` for ``(ウ)``) and
   warned about (``heading_out_of_sequence``).
4. **Dates**: every line is scanned once (:func:`aical.dates.finder.scan_line`), year-less
   dates read against the last date before them; the engine's notes become warnings
   (``weekday_mismatch``, ``after_era_end``), and a line longer than
   :data:`MAX_LINE_CHARS` is not scanned (``line_too_long``).

The title and fiscal year come from the first lines before any heading
(:func:`fiscal_year_from_title`), or from the reader's ``Document.title``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from aical.dates.era import FiscalYear
from aical.dates.finder import scan_line
from aical.document import Fields, Location, Table
from aical.document import Heading as HeadingBlock
from aical.document import ListItem, Paragraph, pickled_by_fields
from aical.messages import Message, msg
from aical.model import DateMatch, Warning

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from aical.document import Document

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
_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """NFKC width folding, for matching only: what is displayed keeps the original.
    (Cached: the recognisers fold the same lines and names many times over.)"""
    return unicodedata.normalize("NFKC", text)


_INNER_SPACES = re.compile(r"(?<=\S)\s+(?=\S)")  # compiled once: tidy runs on every name


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

    return _INNER_SPACES.sub(keep, text)


def _is_wide_or_digit(ch: str) -> bool:
    return ch.isdigit() or unicodedata.east_asian_width(ch) in "WF"


@pickled_by_fields
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
    if len(folded) > 60 or _is_field(stripped, with_value=True):
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

    at: Location            # where its first written line is
    kind: str
    text: str               # joined stripped text (bullet removed for bullets)
    original: str           # joined stripped original lines
    heading: Heading | None = None


def _balance(text: str, depth: int = 0) -> int:
    """Brackets still open after ``text``, continuing from ``depth`` (a stray closer never goes
    below zero). Continuing is what keeps line joining linear: the depth of a joined line is
    carried forward line by line, never recounted over what was already joined."""
    for bracket in _BRACKET.findall(text):  # the brackets alone, found in C
        if bracket in _OPEN:
            depth += 1
        elif depth:
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
    return bool(_MEETING_NAME.match(text)) or text.startswith("(") or _is_field(following)


def _is_field(text: str, *, with_value: bool = False) -> bool:
    """A field line of a notice or minutes header (``日時：…``, ``２　場所　議場``): its own
    item, never joined to the line above; with ``with_value``, only one that holds its
    value or names a date, so a numbered field is no heading while a heading ``(2) 内容``
    stays one. :mod:`aical.extract.fields` reads them."""
    from aical.extract.fields import label_role, split_label_line

    split = split_label_line(text)
    if split is None:
        return False
    return not with_value or bool(split[1]) or label_role(split[0]) in ("date", "both")


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


def logical_lines(raws: list[_Raw]) -> Iterator[Logical | _Raw]:
    """Classify every written line and join the ones a PDF broke (blank lines are dropped;
    tables and field blocks are passed through as they are and end any joining), in
    order as they are made."""
    kinds = _Kinds(raws)
    i = 0
    while i < len(raws):
        k = kinds[i]
        if k.kind == "blank":
            i += 1
            continue
        if k.kind == "block":
            yield raws[i]
            i += 1
            continue
        item = Logical(raws[i].at, k.kind, k.text, raws[i].text.strip(), k.heading)
        i += 1
        if k.kind in ("prose", "bullet"):
            # The joined line grows as a list of pieces and its bracket depth and length are
            # carried along, so every written line is looked at a bounded number of times:
            # joining is linear in the file (1 MB of unclosed brackets took over a minute
            # when each step recounted the whole joined line).
            texts, originals = [item.text], [item.original]
            length, depth = len(item.text), _balance(item.text)
            # a meeting name is matched within its first 200 characters; 月 is looked for in
            # each piece as it is joined
            head, has_month = item.text[:200], "月" in fold(item.text)
            while True:
                j = i
                while j < len(raws) and kinds[j].kind == "blank" and j - i < 3:
                    j += 1
                if j >= len(raws) or kinds[j].kind != "prose" or raws[j].kind is not None:
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
                originals.append(_glue(originals[-1], raws[j].text.strip()))
                length += len(texts[-1])
                depth = _balance(following, depth)
                has_month = has_month or "月" in fold(texts[-1])
                if len(head) < 200:
                    head = (head + texts[-1])[:200]
                i = j + 1
            if len(texts) > 1:
                item.text, item.original = "".join(texts), "".join(originals)
        yield item


class _Kinds:
    """Each written line's kind, classified when first asked for (the joining looks a few
    lines ahead)."""

    def __init__(self, raws: list[_Raw]) -> None:
        self._raws = raws
        self._kinds: list[LineKind] = []

    def __getitem__(self, i: int) -> LineKind:
        kinds, raws = self._kinds, self._raws
        while len(kinds) <= i:
            r = raws[len(kinds)]
            kinds.append(r.kind or (LineKind("block", "") if r.block is not None
                                    else classify_line(r.text)))
        return kinds[i]


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

    def open(self, heading: Heading) -> Message | None:
        """Place a heading; returns a warning message when it is out of sequence."""
        kind = heading.kind
        if kind.startswith("h"):
            # a heading the format marked (<h2>, ##, a Word heading style): it closes every
            # open heading of its level or deeper, and every numbered one (those nest
            # inside the marked ones); marked headings carry no numbering to check
            rank = _rank(kind)
            depth = next((d for d, o in enumerate(self.stack) if _rank(o.kind) >= rank),
                         len(self.stack))
            del self.stack[depth:]
            self.stack.append(_Open(kind, heading, None))
            return None
        depth = next((d for d, o in enumerate(self.stack) if o.kind == kind), None)
        if kind == "bracket":
            depth = depth if depth is not None else len(self.stack)
            del self.stack[depth:]
            self.stack.append(_Open(kind, heading, None))
            return None
        if depth is None:
            # a kind not yet open nests below everything open, except that an outer kind
            # (by HEADING_KINDS) closes the inner ones and 【】 groups
            rank = _rank(kind)
            depth = len(self.stack)
            for d, o in enumerate(self.stack):
                if _rank(o.kind) > rank:
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
                return msg("extract.heading_out_of_sequence.backwards",
                           heading=f"{heading.marker} {heading.name}",
                           previous=self._last_marker(depth, kind, previous),
                           parent=f"{parent.heading.marker} {parent.heading.name}",
                           meant=meant)
            if previous is None:
                message = msg("extract.heading_out_of_sequence.start",
                              heading=f"{heading.marker} {heading.name}",
                              marker=heading.marker, first=_numbering(kind, 1))
            else:
                message = msg("extract.heading_out_of_sequence.gap",
                              heading=f"{heading.marker} {heading.name}",
                              previous=_numbering(kind, previous),
                              expected=" / ".join(_numbering(kind, n) for n in sorted(expected)))
        del self.stack[depth:]
        siblings[kind] = number if number is not None else 0
        self.stack.append(_Open(kind, heading, number))
        return message

    def _last_marker(self, depth: int, kind: str, previous: int | None) -> str:
        if depth < len(self.stack) and self.stack[depth].kind == kind:
            o = self.stack[depth]
            return f"{o.heading.marker} {o.heading.name}"
        return _numbering(kind, previous or 0)


def _rank(kind: str) -> int:
    """Nesting rank: marked headings h1 … h6 outermost, then :data:`HEADING_KINDS`."""
    if kind.startswith("h"):
        return int(kind[1:]) - 7
    return HEADING_KINDS.index(kind)


def _numbering(kind: str, number: int) -> str:
    if kind == "number":
        return str(number)
    if kind == "paren_number":
        return f"({number})"
    ch = _KANA_ORDERS[0][number - 1] if 0 < number <= len(_KANA_ORDERS[0]) else "?"
    return f"({ch})" if kind == "paren_kana" else ch




# --------------------------------------------------------------------------- the outline


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Line:
    """One logical line in its place in the outline.

    ``kind`` is one of :func:`classify_line`'s kinds; ``text`` is the stripped line (bullet
    removed), ``original`` the line as written (joined lines glued); ``path`` the body path
    of the headings open here — for a heading line it includes the heading itself.
    ``matches`` are the dates found in ``text`` (empty for a line too long to scan).
    ``section_year`` is the 年度 a heading above names for what it heads (◆ 令和７年度
    事業報告), when it is not the document's own: the days under it are that year's,
    not slips of the document's 年度.
    """

    kind: str
    text: str
    original: str
    at: Location
    path: tuple[str, ...]
    heading: Heading | None = None
    matches: tuple[DateMatch, ...] = ()
    section_year: FiscalYear | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """A table or field block in its place: ``path`` is the body path of the headings open
    above it; ``before`` the last line of text above it (a notice's title, a caption the
    format did not mark)."""

    block: Table | Fields
    path: tuple[str, ...]
    before: Line | None = None


Item = Line | Placed


@dataclass(frozen=True)
class Outline:
    """A document as the recognisers see it: title, fiscal year (年度, April–March) when the
    title names one, the items in reading order, and the outline's own warnings."""

    file: str
    title: str
    fiscal_year: FiscalYear | None
    items: tuple[Item, ...]
    warnings: tuple[Warning, ...] = ()


@dataclass(slots=True)
class _Raw:
    """A written line before joining: text, where it is, and a kind the format decided."""

    text: str
    at: Location
    kind: LineKind | None = None  # set for reader headings and list items
    block: Table | Fields | None = None


def _raw_lines(document: Document) -> list[_Raw]:
    out: list[_Raw] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            for offset, line in enumerate(block.text.split("\n")):
                at = block.at if offset == 0 or block.at.line is None else Location(
                    block.at.file, block.at.line + offset, block.at.page, block.at.sheet,
                    block.at.cell)
                out.append(_Raw(line, at))
        elif isinstance(block, HeadingBlock):
            text = " ".join(block.text.split())
            if text:
                mark = Heading(f"h{max(1, min(block.level, 6))}", None, tidy(text), block.marker)
                out.append(_Raw(text, block.at, LineKind("heading", text, mark)))
        elif isinstance(block, ListItem):
            text = " ".join(block.text.split("\n")).strip()
            if text:
                kind = classify_line(text)
                if kind.kind not in ("agenda", "none_held"):
                    kind = LineKind("bullet", text)
                out.append(_Raw(text, block.at, kind))
        else:
            out.append(_Raw("", block.at, block=block))
    return out


def text_document(text: str, file: str) -> Document:
    """A text given as a string as a document: one paragraph per written line, as the text
    reader reads a file (``\r\n`` and ``\r`` end lines too)."""
    from collections.abc import Iterable, Iterator

    from aical.document import Document

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = tuple(Paragraph(line, Location(file, line=n)) for n, line in enumerate(lines, 1))
    return Document(file, "text", blocks)


def batches(items: Iterable, size: int = 512) -> Iterator[list]:
    """``items`` in lists of ``size``. The stages of extraction pass items on as they make
    them; each stage making a batch in a row, rather than the stages taking turns item by
    item, keeps each one's code and data in the processor's caches (a fifth faster)."""
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


def outline(document: Document, *, fiscal_year: FiscalYear | None = None) -> Outline:
    """The outline of one document (see the module docstring). ``fiscal_year`` overrides the
    one the title names."""
    stream = outline_stream(document, fiscal_year=fiscal_year)
    head = next(stream)
    items = []
    for part in stream:
        if isinstance(part, OutlineEnd):
            return replace(head, items=tuple(items), warnings=part.warnings)
        items.append(part)
    raise AssertionError("an outline stream ends with its warnings")


@dataclass(frozen=True, slots=True)
class OutlineEnd:
    """The last part of an outline stream: the outline's warnings."""

    warnings: tuple[Warning, ...]


def outline_stream(document: Document, *, fiscal_year: FiscalYear | None = None,
                   ) -> Iterator[Outline | Item | OutlineEnd]:
    """The outline of :func:`outline` in parts, made as they are read: first an
    :class:`Outline` without items (file, title, 年度), then each item in reading order,
    last an :class:`OutlineEnd`. A big document's recognisers read the items while the
    rest is made, in another process (:mod:`aical.extract`)."""
    file = document.name
    rest = itertools.chain.from_iterable(batches(logical_lines(_raw_lines(document))))
    # the title is read from the first lines and the document's date from its header, so
    # the recognisers can start on the first items while the rest is joined
    logical: list[Logical | _Raw] = []
    lines = 0
    for part in rest:
        logical.append(part)
        lines += not isinstance(part, _Raw)
        if len(logical) >= _HEADER_LINES and lines >= _TITLE_LINES:
            break
    title, title_year = fiscal_year_from_title(
        [x for x in logical if not isinstance(x, _Raw)])
    if not title and document.title:
        title = tidy(document.title)
        # the title a reader found outside the text (a Markdown front matter's title:, a
        # Word Title) names the 年度 as a title line would
        if title_year is None and "年度" in fold(title) and len(title) <= 40:
            title_year = next((FiscalYear(m.span.first_day.year) for m in scan_line(title, 0)
                               if m.span.precision == "fiscal_year"), None)
    fy = fiscal_year or title_year
    yield Outline(file, title, fy, ())
    warnings: list[Warning] = []
    tree = HeadingTree()
    # The year-less dates' anchor: the fiscal year the title names, the document's date
    # in its header, a session named with its year, and last the day the file's metadata
    # says it was made (a mayor's report to the council names none of the others).
    header_day = None if fy else _document_date(logical)
    if not fy and not header_day:
        logical.extend(rest)  # a session is named anywhere
    reference: dt.date | None = (_middle(fy) if fy else header_day
                                 or _session_anchor(logical) or document.date)
    # A 年度 or a dated header fixes when the document speaks; a day written far from it
    # (minutes of 2025-12-08 telling of next August's conference) is told in passing and
    # must not carry the year-less days after it into the next year.
    held = reference if fy or header_day else None
    last_line: Line | None = None
    section_year: FiscalYear | None = None

    def warn(code: str, at: Location, message: Message) -> None:
        warnings.append(Warning(code, message, file, at.line, at.page))

    for item in itertools.chain(logical, rest):
        if isinstance(item, _Raw):  # a table or field block
            yield Placed(item.block, tree.path, last_line)
            continue
        if item.kind == "heading":
            message = tree.open(item.heading)
            if message:
                warn("heading_out_of_sequence", item.at, message)
        text = item.heading.name if item.kind == "heading" else item.text
        matches: tuple[DateMatch, ...] = ()
        if item.kind == "heading" and not _MAYBE_DATE.search(text):
            pass
        elif item.kind in ("agenda", "none_held"):
            pass
        elif len(text) > MAX_LINE_CHARS:
            warn("line_too_long", item.at,
                 msg("extract.line_too_long", length=len(text), limit=MAX_LINE_CHARS))
        else:
            matches = tuple(scan_line(text, item.at.line or 0, reference=reference,
                                      fiscal_year=fy))
            # The anchor moves with what is written on the line (not a recurring rule's
            # days or a season's, which the finder expands within the fiscal year, nor a
            # year it guessed). Dates on headings, titles and list items anchor the year
            # of what follows; a date in a sentence is mentioned in passing (a budget's,
            # a law's, last year's) and moves it only while nothing better anchors it.
            written = [m for m in matches
                       if m.span.precision in ("day", "part_of_month", "month")
                       and not any(c in ("recurring", "year_inferred") for c, _ in m.notes)]
            if written and ("。" not in text or reference is None) and (
                    held is None or abs((written[-1].span.first_day - held).days) <= _HELD_DAYS):
                reference = written[-1].span.first_day
            elif (not written and (item.kind == "heading" or item.kind == "bullet"
                                   and item.original.lstrip(" -*\u3000")[:1] in _LABEL_MARKS)
                  and "。" not in text
                  and len(text) <= _FY_HEADING_CHARS and _YEAR_PLAN.search(text)
                  and not _MONEY.search(text)
                  and (fiscal := [m for m in matches if m.span.precision == "fiscal_year"])):
                # a heading naming a 年度 (◆ 令和７年度 事業報告, 令和８年度 事業計画) sets the
                # year of the year-less days under it; a budget's 年度 says nothing of them
                named = FiscalYear(fiscal[-1].span.first_day.year)
                reference = _middle(named)
                # the document's own 年度 keeps its repair of slips (令和2年3月 in a 令和2年度
                # report); another year's section has days of that year
                section_year = None if named == fy else named
            for m in matches:
                codes = {code for code, _ in m.notes}
                for code, note in m.notes:
                    # a weekday contradicting a guessed year says the guess is wrong, not
                    # the text
                    if code in _FORWARDED_NOTES and not (
                            code == "weekday_mismatch" and "year_inferred" in codes):
                        warn(code, item.at, msg("extract.date_note", text=m.text, note=note))
        last_line = Line(item.kind, item.text, item.original, item.at, tree.path,
                         item.heading, matches, section_year)
        yield last_line
    yield OutlineEnd(tuple(warnings))


#: A line naming a 年度 this short, without a sentence, is a heading or a label.
_FY_HEADING_CHARS = 40
#: What a heading naming a 年度 heads when it sets the year of the days under it.
_YEAR_PLAN = re.compile(r"年度\s*の?\s*(?:事業|活動|行事|会議|開催)?\s*"
                        r"(?:報告|計画|予定|実績|日程|スケジュール|状況)\s*(?:[(（]案[)）])?\s*$")
#: Marks that set a label apart as a heading would (◆ 令和７年度 事業報告), unlike the ・ of
#: an item, which may be an agenda item naming a year (・令和3年度事業計画（案）).
_LABEL_MARKS = frozenset("◆◇■□●★☆▼▽▲△【")
#: Budgets and accounts name the 年度 they are for, not the year of what is told under them.
_MONEY = re.compile(r"予算|決算|会計|補正|可決|歳入|歳出")


def _middle(fy: FiscalYear) -> dt.date:
    """30 September of a fiscal year: the day from which the nearest year of every month
    and day is the one inside the 年度 (April nearest in the same calendar year, March in
    the next), so a year-less date before any written one falls in the document's 年度."""
    return dt.date(fy.start_year, 9, 30)


#: How many logical lines from the top may hold the document's own date.
_HEADER_LINES = 40


#: How far from a document's fixed time (its 年度's middle, its header's day) a written
#: day may move the anchor of year-less days: half a year, so a 年度's April and March both do.
_HELD_DAYS = 183


def _document_date(logical: list) -> dt.date | None:
    """The document's own date, which year-less dates are read against before any other:
    the first day written in full (with its year) on a line of the header that is not a
    sentence — a minutes system's ``開催日: 2024-12-26``, a notice's date line."""
    for item in logical[:_HEADER_LINES]:
        if isinstance(item, _Raw) or "。" in item.text or len(item.text) > 80:
            continue
        for m in scan_line(item.text, 0):
            if m.span.precision == "day" and not m.notes:
                return m.span.first_day
    return None


# A session named with its year: 令和６年第４回青森市議会定例会, 2024年第1回臨時総会
_SESSION = re.compile(r"(?:明治|大正|昭和|平成|令和|\d{4})\s*[\d０-９元一二三四五六七八九十]*\s*年\s*第")


def _session_anchor(logical: list) -> dt.date | None:
    """The middle of the year a session's name gives (``令和６年第４回…定例会``): a
    minutes page names its session but not always a day, and every year-less date in it
    then falls in that year (1 July is nearer to any day of the year than the year
    before or after is).

    Minutes also name other sessions in passing (``令和７年第１回定例会において…手続``,
    ``令和４年第４回定例会におきまして御同意をいただき``). The document's own session is
    the one named on a line of its own (a header, a title), else the one opened or
    closed (``…定例会を閉会いたします``), else the first named.
    """
    ranked: list[tuple[int, int, int]] = []  # (rank, order, year)
    for order, item in enumerate(logical):
        if isinstance(item, _Raw) or not _SESSION.search(item.text):
            continue
        for m in scan_line(item.text, 0):
            if m.span.precision == "year" and _SESSION.match(item.text, m.start):
                after = item.text[m.end:m.end + 40]
                rank = (0 if "。" not in item.text and len(item.text) <= 80
                        else 1 if _OWN_SESSION.match(after) else 2)
                ranked.append((rank, order, m.span.first_day.year))
    return dt.date(min(ranked)[2], 7, 1) if ranked else None


# what follows the name of the session a document is the record of: 第４回青森市議会定例会
# を閉会いたします, …臨時会が開会
_OWN_SESSION = re.compile(r"[^。、]{0,24}?(?:定例会|臨時会|会議)\s*(?:を|が|は)?\s*(?:開会|閉会|招集|開議|散会)")


_FORWARDED_NOTES = ("weekday_mismatch", "after_era_end")
_MAYBE_DATE = re.compile(r"[年月]")
_TITLE_LINES = 5


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
            for m in scan_line(item.text, item.at.line or 0):
                if m.span.precision == "fiscal_year":
                    return tidy(item.original), FiscalYear(m.span.first_day.year)
    return title, None
