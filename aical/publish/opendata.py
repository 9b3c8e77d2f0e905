"""Events → open data: ``events.json`` and ``events.csv``.

The CSV follows the columns of the 自治体標準オープンデータセット「イベント一覧」 (the
standard open-data set for municipal events, デジタル庁), UTF-8 with a BOM so that Excel
opens it as UTF-8, CRLF line ends, blank where a value is unknown. Dates are inclusive
(開始日 … 終了日), as everywhere a person reads them. The standard has no status column: a
tentative, cancelled or postponed meeting says so first in 開始日時特記事項 (events.json
carries ``status`` itself).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from aical.model import MODE_LABELS, Event, Warning, event_order
from aical.publish import hygiene

#: The columns of イベント一覧, in the standard's order.
EVENT_LIST_COLUMNS = (
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名",
    "イベント名_カナ", "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間",
    "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号",
    "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度", "アクセス方法",
    "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
)


def events_json(events: Sequence[Event], warnings: Sequence[Warning]) -> bytes:
    """``{"events": [...], "warnings": [...]}``, the shape ``aical extract --json`` prints."""
    return b"".join(events_json_chunks(events, warnings))


def events_json_chunks(events: Sequence[Event], warnings: Sequence[Warning]):
    """:func:`events_json` in chunks of bytes, each event's JSON made as it is written."""
    data = {"events": hygiene.Mapped(sorted(events, key=event_order), Event.to_json),
            "warnings": [w.to_json() for w in warnings]}
    return hygiene.json_chunks(data)


#: 開始日時特記事項 for a status other than confirmed (the standard has no status column).
_STATUS_NOTES = {"tentative": "予定（日程未確定）", "cancelled": "中止", "postponed": "延期"}
_PRECISION_NOTES = {
    "part_of_month": "旬単位の期間（日は未定）",
    "month": "月単位の期間（日は未定）",
    "quarter": "四半期単位の期間（日は未定）",
    "season": "季節単位の期間（日は未定）",
    "year": "年単位の期間",
    "fiscal_year": "年単位の期間",
}


def _special_note(event: Event) -> str:
    """開始日時特記事項: what the day columns alone would misstate."""
    notes = [_STATUS_NOTES[event.status]] if event.status in _STATUS_NOTES else []
    if event.precision in _PRECISION_NOTES:
        notes.append(_PRECISION_NOTES[event.precision])
    if event.mode == "written":
        notes.append("書面開催：期間中に書面で審議")
    return "、".join(notes)


def _description(event: Event) -> str:
    parts = [" / ".join(event.body)] if event.body else []
    if event.mode:
        parts.append(MODE_LABELS[event.mode])
    if event.agenda:
        parts.append("審議事項：" + "、".join(event.agenda))
    return "。".join(parts)


def events_csv(events: Sequence[Event], *, names: Mapping[tuple[str, ...], str],
               organisation: str = "", municipality_code: str = "", prefecture: str = "",
               municipality: str = "", url: str = "") -> bytes:
    """The イベント一覧 CSV. ``names`` gives each body's short name, which prefixes the
    event name so that two bodies' 第4回事業部会 stay apart."""
    return b"".join(events_csv_chunks(
        events, names=names, organisation=organisation, municipality_code=municipality_code,
        prefecture=prefecture, municipality=municipality, url=url))


def events_csv_chunks(events: Sequence[Event], *, names: Mapping[tuple[str, ...], str],
                      organisation: str = "", municipality_code: str = "",
                      prefecture: str = "", municipality: str = "", url: str = "",
                      batch: int = 1000):
    """:func:`events_csv` in chunks of bytes, ``batch`` rows each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EVENT_LIST_COLUMNS)
    yield b"\xef\xbb\xbf"
    for number, event in enumerate(sorted(events, key=event_order), start=1):
        if number % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        row = dict.fromkeys(EVENT_LIST_COLUMNS, "")
        # An event under no heading (a report without numbered headings) has body ().
        name = names.get(event.body) or (event.body[-1] if event.body else "")
        row.update({
            "都道府県コード又は市区町村コード": municipality_code,
            "NO": str(number),
            "都道府県名": prefecture,
            "市区町村名": municipality,
            "イベント名": f"{name} {event.summary}" if name else event.summary,
            "開始日": event.first_day.isoformat(),
            "終了日": event.last_day.isoformat(),
            "開始時間": event.start_time.strftime("%H:%M") if event.start_time else "",
            "終了時間": event.end_time.strftime("%H:%M") if event.end_time else "",
            "開始日時特記事項": _special_note(event),
            "説明": _description(event),
            "主催者": organisation or (event.body[-1] if event.body else ""),
            "場所名称": event.venue or (MODE_LABELS[event.mode] if event.mode else ""),
            "URL": url,
            "備考": f"{event.source.file} {_page(event)}{event.source.line}行目：{event.original}",
        })
        # each cell shown as text by a spreadsheet (hygiene.csv_cell): one starting like a
        # formula, in ASCII or full width (=HYPERLINK(…), ＝cmd|…), gets a leading ' as OWASP
        # advises; line separators become line breaks in the cell
        writer.writerow(hygiene.csv_cells(list(row.values())))
    yield buffer.getvalue().encode("utf-8")


def _page(event: Event) -> str:
    """``3ページ`` for an event read from a PDF (its line counts that page's lines)."""
    return f"{event.source.page}ページ" if event.source.page is not None else ""
