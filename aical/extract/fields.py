"""Field blocks (``日時：`` / ``場所：`` / ``議題：``) → findings for the event builder.

A notice, a minutes header or a search result names its meeting's parts by label:

    第2回環境審議会                       ← the title: the heading or line above
    日　時：令和6年7月3日（水）14時～16時   ← date (and times)
    場　所：市役所3階 第1会議室            ← venue
    議　題：（1）…                         ← agenda

    １．日 時：令和６年２月１７日 午後１時   ← minutes number their fields; such a
    ２．場 所：議場                          numbered field is no heading

Labels (:func:`label_role`), spaces inside them ignored (``日　時``), a numbering before them
allowed (``１．``, ``1)``, ``(1)``, ``①``, ``一、``):

- date: 日時, 開催日時, 開催日, 開催年月日, 期日, 月日, 日程, 期間, 招集年月日, 開催期間;
- venue: 場所, 会場, 開催場所, 招集の場所; both: 開催日時及び場所, 日時・場所;
- agenda: 議題, 議事, 案件, 内容, スケジュール, プログラム, 次第; name: 会議名, 件名, 名称, 行事名, 大会名;
  note: 方法, 形式, 開催方法 (how it was held: 書面, オンライン).

They come as :class:`aical.document.Fields` blocks (an HTML ``<dl>``, read by
:func:`recognise`), as the rows of a two-column table (:mod:`aical.extract.tables` hands
them to :func:`from_pairs`), or as label lines in text and PDF pages, which
:func:`gathered` turns into field blocks before the recognisers read them: ``label：value`` on
one line, ``label　value`` after a numbering, or a label alone with its value on the next line.
A block whose date fields are the same day as an earlier block's (a minutes system's
``開催日：`` header above the minutes' own ``日時`` / ``場所``) is read into that block.

A block with a date label but no readable date is an
:class:`~aical.extract.builder.Undated` finding (the builder warns ``no_date``).
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING

from aical.dates.finder import scan_line
from aical.document import Field, Fields
from aical.extract.builder import Candidate, Undated
from aical.extract.outline import Line, Placed, fold, tidy

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator

    from aical.document import Location
    from aical.extract.builder import Finding
    from aical.extract.outline import Outline
    from aical.model import DateMatch

_LABELS: dict[str, str] = {
    **dict.fromkeys(("日時", "開催日時", "開催日", "開催年月日", "期日", "月日", "日程", "期間",
                     "開催期間", "招集年月日", "開催日程", "実施日", "実施日時", "会期"), "date"),
    **dict.fromkeys(("場所", "会場", "開催場所", "招集の場所", "招集場所", "実施場所",
                     "開催会場"), "venue"),
    **dict.fromkeys(("開催日時及び場所", "日時及び場所", "日時・場所", "日時場所",
                     "開催日時・場所", "日時及び会場"), "both"),
    **dict.fromkeys(("議題", "議事", "案件", "内容", "協議事項", "審議事項", "議案", "スケジュール",
                     "プログラム", "次第", "議事次第"), "agenda"),
    **dict.fromkeys(("会議名", "件名", "名称", "行事名", "大会名", "会合名"), "name"),
    **dict.fromkeys(("方法", "形式", "開催方法", "開催形式"), "note"),
}
_LABEL_FIRST = frozenset(label[0] for label in _LABELS)
_NUMBERING = re.compile(
    r"^(?:\d{1,2}\s*[.)、]|\(\s*\d{1,2}\s*\)|[\u2460-\u2473]|[一二三四五六七八九十]{1,2}\s*[、.]"
    r"|\d{1,2}(?=\s))\s*")
_TITLE_NOISE = re.compile(
    r"[　\s]*(?:の開催|開催|本文|議事日程・名簿|議事日程|名簿|〔資料〕|\[資料\]|資料|目次|会議録|記録|"
    r"のお知らせ|のご案内|ご案内|開催案内|開催通知|について)\s*$")


def label_role(label: str) -> str | None:
    """The role of a field label (see the module docstring), or ``None``."""
    key = re.sub(r"\s+", "", _NUMBERING.sub("", fold(label).strip()))
    return _LABELS.get(key.rstrip(":："))


def split_label_line(text: str) -> tuple[str, str] | None:
    """``(label, value)`` when a written line is a field: ``日時：令和…``, ``１．日 時：…``,
    ``２　場所　議場``, or a label alone (value ``""``, written on the next line).

    The label is what stands before the first colon, or, without one, the first word or
    two (``日　時　令和…``) when they make a label and a space follows them.
    """
    folded = fold(text).strip()
    numbered = _NUMBERING.match(folded)
    rest = folded[numbered.end():] if numbered else folded
    if not rest or rest[0] not in _LABEL_FIRST:
        return None  # most lines (・第1回…, prose) start with no label's first letter
    if label_role(rest) is not None:
        return _spaced(rest.rstrip(":：")), ""
    colon = re.search(r"[:：]", rest[:16])
    if colon is not None:
        label = rest[:colon.start()].strip()
        if label_role(label) is None:
            return None
        return _spaced(label), _original_value(text, rest[colon.end():])
    words = rest.split()
    for n in (1, 2):
        if len(words) > n and label_role("".join(words[:n])) is not None:
            value = rest.split(None, n)[n] if len(rest.split(None, n)) > n else ""
            return _spaced(" ".join(words[:n])), _original_value(text, value)
    return None


def _spaced(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip()


def _original_value(text: str, folded_value: str) -> str:
    """The value as written (its width kept), found from the end of the original line."""
    if not folded_value:
        return ""
    stripped = text.strip()
    for start in range(len(stripped)):
        if fold(stripped[start:]).strip() == folded_value.strip():
            return stripped[start:].strip()
    return folded_value.strip()


# --------------------------------------------------------------------------- gathering


def gathered(items: Iterable, out: list) -> Iterator[int]:
    """The outline's items with runs of label lines made into field blocks (see the
    module docstring), as the items come: appends them to ``out`` and yields each index
    of ``out`` once the item there stays (the last item may still go: a notice's title
    line is read with the block below it).

    A block joins an earlier one with the same first day when it names no meeting of its
    own, or names the same one (one name starts the other: a search result's 〔資料〕, 本文
    and 議事日程・名簿 entries of one day); otherwise it is a meeting of its own. So a
    field block may still grow after its index came; only lines are final then."""
    ahead = _Ahead(items)
    made: dict[str, list[tuple[int, str]]] = {}  # first day → (index in out, folded name)
    told = 0  # indexes of out yielded so far
    i = 0
    while ahead.has(i):
        item = ahead[i]
        pairs, j = _label_run(ahead, i)
        if not pairs:
            out.append(item)
            i += 1
        else:
            before = _line_above(out)
            block = Fields(tuple(Field(label, value, at) for label, value, at in pairs),
                           pairs[0][2])
            day = _first_day(block)
            name = _name_key(block)
            for k, made_name in made.get(day, []) if day else []:
                if not name or not made_name or name.startswith(made_name) \
                        or made_name.startswith(name):
                    old = out[k]
                    fields = old.block.fields + tuple(
                        f for f in block.fields if label_role(f.label) != "name" or not made_name)
                    out[k] = Placed(Fields(fields, old.block.at), old.path, old.before)
                    break
            else:
                path = item.path[:-1] if item.kind == "heading" else item.path
                if before is not None and out and out[-1] is before \
                        and before.kind in ("prose", "bullet") and not before.matches:
                    # the notice's title (第2回環境審議会の開催について) names the block's
                    # meeting: it is read with the block, not as an undated meeting of its own
                    out.pop()
                out.append(Placed(block, path, before))
                if day:
                    made.setdefault(day, []).append((len(out) - 1, name))
            i = j
        ahead.forget(i)
        while told < len(out) - 1:
            yield told
            told += 1
    while told < len(out):
        yield told
        told += 1


class _Ahead:
    """The items still to be gathered, read from their iterator only as far as a run of
    label lines needs: indexes count from the first item, and those forgotten are gone."""

    def __init__(self, items: Iterable) -> None:
        self._items = iter(items)
        self._kept: list = []
        self._first = 0  # the index of _kept[0]

    def has(self, i: int) -> bool:
        while i - self._first >= len(self._kept):
            try:
                self._kept.append(next(self._items))
            except StopIteration:
                return False
        return True

    def __getitem__(self, i: int):
        if not self.has(i):
            raise IndexError(i)
        return self._kept[i - self._first]

    def forget(self, i: int) -> None:
        """Items before ``i`` are no longer needed."""
        del self._kept[:i - self._first]
        self._first = max(self._first, i)


def _line_above(out: list) -> Line | None:
    """The nearest line above with words in it (not a rule ``────`` drawn as text)."""
    for item in reversed(out[-3:]):
        if not isinstance(item, Line):
            return None
        if _RULE.sub("", item.text).strip():
            return item
    return None


#: A title that names a meeting or an event (a block of dates alone under another title,
#: such as a search form's 期間, is no meeting).
_MEETING = re.compile(r"会|会議|委員会|大会|総会|説明|研修|講演|訓練|式|祭|視察|フォーラム|セミナー|"
                      r"イベント|行事|教室|講座|ワークショップ")

#: A rule drawn with characters; text after one is no longer the field's value.
_RULE = re.compile(r"[─━—―‐\-=＝_＿~〜]{5,}")


def _name_key(block: Fields) -> str:
    names = [f.value for f in block.fields if label_role(f.label) == "name"]
    return re.sub(r"\s+", "", fold(_clean_title(names[0]))) if names else ""


#: A date field inside a line, after the meeting's name: ``第４回定例会（第６日） 開催日: 2025-12-18``.
_INLINE = re.compile(r"^(?:\d{1,3}\s+)?(?P<name>\S.{1,80}?)\s+(?P<label>開催日時|開催日|日時|期日)"
                     r"\s*[:：]\s*(?P<value>\S.*)$")


def _label_run(items: _Ahead, i: int) -> tuple[list[tuple[str, str, Location]], int]:
    """The field lines starting at ``items[i]`` and the index after them; a run needs a
    date field, and a label alone takes the next line as its value."""
    pairs: list[tuple[str, str, Location]] = []
    j = i
    first = items[i]
    if isinstance(first, Line) and split_label_line(first.original or first.text) is None:
        m = _INLINE.match(fold(first.original or first.text).strip())
        if m is not None and "。" not in m["name"]:
            return [("会議名", m["name"], first.at), (m["label"], m["value"], first.at)], i + 1
        return [], i
    while items.has(j) and isinstance(items[j], Line):
        line = items[j]
        if line.heading is not None and line.heading.kind.startswith("h"):
            break  # a heading the format marked (<h3>日程</h3>) is a heading
        split = split_label_line(line.original or line.text)
        if split is None:
            break
        label, value = split
        value = _RULE.split(value)[0].strip()
        j += 1
        if not value:
            nxt = items[j] if items.has(j) else None
            if not isinstance(nxt, Line) or split_label_line(nxt.original) is not None:
                break
            value = _RULE.split(nxt.original)[0].strip()
            j += 1
        pairs.append((label, value, line.at))
    if not any(label_role(label) in ("date", "both") for label, _, _ in pairs):
        return [], i
    return pairs, j


def _first_day(block: Fields) -> str:
    """The first day the block's first readable date field names (ISO), or ``""``."""
    for f in block.fields:
        if label_role(f.label) in ("date", "both"):
            for m in _dates(f.value, f.at, None):
                return m.span.first_day.isoformat()
    return ""


# --------------------------------------------------------------------------- recognising


def _dates(value: str, at: Location, reference: dt.date | None) -> list[DateMatch]:
    matches = scan_line(value, at.line or 0, reference=reference)
    dated = [m for m in matches if m.span.precision in ("day", "month")]
    out: list[DateMatch] = []
    for m in sorted(dated, key=lambda m: (m.start, -(m.end - m.start))):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def recognise(placed: Placed, outline: Outline) -> list[Finding]:
    """Findings for one field block (a reader's, or one :func:`gathered` made)."""
    block: Fields = placed.block
    return from_pairs([(f.label, f.value, f.at) for f in block.fields], placed, outline)


#: Per outline, the reference date at each of its blocks (computed once, in one pass, so
#: a document of many tables stays linear). Weak: it goes with the outline.
_REFERENCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def reference_before(placed: Placed, outline: Outline) -> dt.date | None:
    """The date year-less dates in a block are read against: the last day or month
    written above it, else the first day of the document's 年度, else the middle of a
    year written alone above it (None without any)."""
    table = _REFERENCES.get(outline)
    if table is None:
        table = {}
        reference = outline.fiscal_year.first_day if outline.fiscal_year else None
        for item in outline.items:
            if isinstance(item, Line):
                for m in item.matches:
                    if m.span.precision in ("day", "month"):
                        reference = m.span.first_day
                    elif m.span.precision == "year" and reference is None:
                        # a year alone (令和６年 over a listing): from 2 July every day of
                        # that year is nearer than the same day a year before or after
                        reference = m.span.first_day.replace(month=7, day=2)
            else:
                table[id(item)] = reference
        _REFERENCES[outline] = table
    return table.get(id(placed))


def from_pairs(pairs: list[tuple[str, str, Location]], placed: Placed,
               outline: Outline) -> list[Finding]:
    """Findings for label/value pairs in the order written: one meeting per date field."""
    reference = reference_before(placed, outline)
    names = [_clean_title(v) for label, v, _ in pairs
             if label_role(label) == "name" and v.strip()]
    # a place field's first line is the place; what follows is directions (アクセス)
    venue_parts = [tidy(v.strip().split("\n")[0]) for label, v, _ in pairs
                   if label_role(label) == "venue" and v.strip()]
    agenda = tuple(tidy(line) for label, v, _ in pairs if label_role(label) == "agenda"
                   for line in v.split("\n") if line.strip())
    note = "、".join(tidy(v) for label, v, _ in pairs if label_role(label) == "note")
    original = " / ".join(f"{label}：{v}".replace("\n", " ") for label, v, _ in pairs)
    title = names[0] if names else _title(placed, outline)
    roles = {label_role(label) for label, _, _ in pairs}
    if not names and not roles & {"venue", "both", "agenda", "note"} \
            and not _MEETING.search(fold(title)):
        return []  # a date and nothing that makes it a meeting's (a search form's 期間)
    findings: list[Finding] = []
    for label, value, at in pairs:
        role = label_role(label)
        if role not in ("date", "both"):
            continue
        matches = _dates(value, at, reference)
        if not matches:
            findings.append(Undated(f"{title} {label}：{value}".strip(), at))
            continue
        m = matches[0]
        venue = " ".join(p for p in venue_parts if p) or None
        details = note
        if role == "both" or venue is None:
            rest = _after_dates(value, matches)
            if role == "both" and rest:
                venue = venue or rest
            else:
                details = "、".join(p for p in (note, rest) if p)
        mode = None
        if venue and re.search(r"オンライン|Zoom|ウェブ|Web|WEB|web", venue):
            details, venue, mode = "、".join(p for p in (details, venue) if p), None, None
        findings.append(Candidate(
            match=m, name=title, body=placed.path or own_body(title), at=at, original=original,
            details=details, loose=bool(details), time_text=value, venue=venue,
            mode=mode, agenda=agenda, context=original))
        break  # one meeting per block: later date fields restate it (開催日 / 日時)
    return findings


def _after_dates(value: str, matches: list[DateMatch]) -> str:
    """What a date field holds after its date and times: a place (開催日時及び場所)."""
    from aical.extract.builder import find_times

    end = max(m.end for m in matches)
    rest = value[end:] if end <= len(value) else ""
    _, rest = find_times(rest)
    rest = re.sub(r"^[\s（(]*[月火水木金土日祝](?:曜日?)?[)）]?", "", rest.strip())
    rest = re.sub(r"^(?:[~〜～\-－]|から|より|まで)+", "", rest.strip())
    return tidy(rest).strip(" ,、，")


#: The organ a meeting's name names (長期総合計画審査特別委員会, 民生環境協議会, 理事会), read
#: without what only dates or numbers it (令和7年, 第3回).
_ORGAN = re.compile(r"[^\s\d０-９第回年月日度（）()【】「」・、,，:：]*?"
                    r"(?:委員会|審議会|協議会|理事会|評議員会|幹事会|総会|部会|本会議|研究会|検討会)")
#: A council's session (定例会, 臨時会) sits as its plenary (本会議) on each of its days.
_SESSION = re.compile(r"定例会|臨時会")


def own_body(name: str) -> tuple[str, ...]:
    """The body a meeting's own name gives when no heading does: ``第3回総務委員会`` →
    ``総務委員会``; a council session's day (``令和6年第4回定例会（第1号）``) → ``本会議``."""
    text = re.sub(r"[（(][^）)]*[）)]", "", tidy(name))
    found = [m[0] for m in _ORGAN.finditer(text) if m[0]]
    if found:
        return (found[-1],)
    if _SESSION.search(text):
        return ("本会議",)
    return ()


def _clean_title(text: str) -> str:
    """A title without the words that name the document rather than the meeting."""
    text = tidy(text)
    while True:
        cleaned = _TITLE_NOISE.sub("", text).strip()
        if cleaned == text:
            return text
        text = cleaned


def _title(placed: Placed, outline: Outline) -> str:
    """The meeting's name: the line or heading above the block, without the words that
    name the document rather than the meeting (本文, 会議録, のお知らせ …)."""
    candidates: list[str] = []
    if placed.before is not None:
        before = placed.before
        candidates.append(before.heading.name if before.heading else before.text)
    if placed.path:
        candidates.append(placed.path[-1])
    if outline.title:
        candidates.append(outline.title)
    for text in candidates:
        text = _clean_title(text)
        if text and len(text) <= 60 and "。" not in text and split_label_line(text) is None:
            return text
    return ""


__all__ = ["from_pairs", "gathered", "label_role", "own_body", "recognise",
           "reference_before", "split_label_line"]
