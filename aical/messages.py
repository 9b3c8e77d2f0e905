"""Every message a person reads, in English and Japanese: one plain table, rendered at the edge.

Why a table and not gettext: the catalog is small, both languages sit side by side so a
missing translation is visible in review, nothing has to be compiled in the build, and a test
(``tests/test_messages.py``) checks that every message exists in both languages with the same
placeholders and that every id used in the code is in the table.

How it works:

- Code that raises or warns never formats a sentence itself. It calls
  ``msg("read.no_such_file")`` or ``msg("extract.no_date", text=…, found=…)``, which returns
  a :class:`Message`: a ``str`` whose value is the English text (so logs, ``str(error)``,
  JSON files and existing comparisons keep working) and which carries its id and parameters.
- Warnings keep their ``code`` (``out_of_fiscal_year`` …) in every language; only the
  sentence changes. An :class:`~aical.errors.InputError`'s message and hint, a
  :class:`~aical.errors.DateError`'s message and a :class:`~aical.model.Warning`'s message
  are Messages.
- The edge (``cli.py``) picks the language once — ``--lang ja|en``, else ``LC_ALL``,
  ``LC_MESSAGES``, ``LANG`` (the first one set decides, as POSIX says; ``ja…`` means
  Japanese) — and renders with :func:`render`. Parameters that are Messages themselves are
  rendered in the same language.
- Files aical writes (events.json, manifest.json) and ``--json`` output keep the English
  sentence: machine output must not depend on the reader's locale, and the code is the
  contract there.

How to add a message:

1. Pick an id ``<area>.<what>`` in the section of your module below (``read.``,
   ``extract.``, ``dates.``, ``config.``, ``publish.``, ``serve.``, ``cli.``); a warning's id
   usually starts with its code (``extract.out_of_fiscal_year.repaired``).
2. Add ``"id": ("English {param}", "日本語 {param}")`` there. Placeholders are
   :meth:`str.format` fields (``{size:,}`` works) and must be the same set in both.
3. In the code: ``from aical.messages import msg`` and pass ``msg("id", param=value)`` where
   a message string went (``Warning(code, msg(…), file, line)``,
   ``InputError(name, msg(…), hint=msg(…))``).
4. ``pytest tests/test_messages.py`` tells you what is missing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

LANGUAGES = ("en", "ja")

#: id → (English, Japanese). Sections by module; keep each section's ids sorted loosely.
CATALOG: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- cli (the edge)
    "cli.error": ("Error: {message}", "エラー: {message}"),
    "cli.warning": ("warning: {code}: {message}", "警告: {code}: {message}"),
    "cli.internal_error": (
        "internal error ({kind}: {error}); this is a bug in aical — rerun with AICAL_DEBUG=1 "
        "for the traceback and report it",
        "内部エラー（{kind}: {error}）。aical の不具合です。AICAL_DEBUG=1 を付けて再実行すると"
        "トレースバックが表示されます。報告してください"),
    "cli.strict_failed": ("{count} warning(s) under --strict",
                          "--strict のため警告 {count} 件で失敗しました"),
    "cli.read_as": ("{file}: read as {encoding}; {count} date expression(s)",
                    "{file}: {encoding} として読み込み。日付表現 {count} 件"),
    "cli.describe": ("{file}: read as {encoding}; {year}, {bodies} bodies, {events} events, "
                     "{warnings} warning(s)",
                     "{file}: {encoding} として読み込み。{year}、会議体 {bodies}、"
                     "行事 {events} 件、警告 {warnings} 件"),
    "cli.no_fiscal_year": ("no fiscal year", "年度なし"),
    "cli.reading": ("reading", "読み込み中"),
    "cli.lint_summary": ("{files} file(s), {events} event(s), {warnings} warning(s)",
                         "ファイル {files} 件、行事 {events} 件、警告 {warnings} 件"),
    "cli.lint_accepted": ("{files} file(s), {events} event(s), {warnings} warning(s), "
                          "{accepted} accepted in {config}",
                          "ファイル {files} 件、行事 {events} 件、警告 {warnings} 件、"
                          "{config} で了承済み {accepted} 件"),
    "cli.config_file": ("# settings from {path}", "# 設定ファイル: {path}"),
    "cli.config_none": ("# no aical.toml (looked beside the inputs and in the current "
                        "folder): the defaults are in force",
                        "# aical.toml がありません（入力の隣と現在のフォルダを探しました）。"
                        "既定値を使います"),
    "cli.built": ("Built {out}/ ({years}): {bodies} bodies, {events} events, "
                  "{warnings} warning(s).",
                  "{out}/ を作成しました（{years}）: 会議体 {bodies}、行事 {events} 件、"
                  "警告 {warnings} 件。"),
    "cli.built_page": ("  page:  {out}/index.html", "  ページ:   {out}/index.html"),
    "cli.built_feeds": ("  feeds: {out}/all.ics and {out}/bodies/*.ics",
                        "  フィード: {out}/all.ics と {out}/bodies/*.ics"),
    "cli.built_data": ("  data:  {out}/events.json, {out}/events.csv, {out}/manifest.json",
                       "  データ:   {out}/events.json、{out}/events.csv、{out}/manifest.json"),
    "cli.built_changes": ("  since the last build: {new} new, {changed} changed, {removed} "
                          "removed",
                          "  前回のビルドから: 新規 {new} 件、変更 {changed} 件、削除 {removed} 件"),
    "cli.built_removed": ("  removed: {summary} ({span}, {body}) is no longer in the documents; "
                          "its feed keeps it as cancelled until its fiscal year ends",
                          "  削除: {summary}（{span}、{body}）は文書から消えました。年度末まで"
                          "中止としてフィードに残します"),
    # OS failures (InputError.from_os): what happened after the path, and what to do
    "cli.os_other": ("{reason}", "{reason}"),
    "cli.os_detail": ("{reason} ({file})", "{reason}（{file}）"),
    "cli.os_full": ("the disk is full", "ディスクがいっぱいです"),
    "cli.os_full.hint": ("free some space, or choose an --out on another disk",
                         "空きを作るか、別のディスクの --out を指定してください"),
    "cli.os_quota": ("your disk quota is used up", "ディスクの割り当て（クォータ）を使い切りました"),
    "cli.os_denied": ("permission denied", "権限がありません"),
    "cli.os_denied.hint": ("choose a folder you may write, or change its permissions",
                           "書き込めるフォルダを指定するか、権限を変えてください"),
    "cli.os_read_only": ("the file system is read-only", "読み取り専用のファイルシステムです"),
    "cli.os_too_long": ("the name is too long", "名前が長すぎます"),
    "cli.os_too_long.hint": ("use a shorter path (at most 255 bytes a name)",
                             "短いパスにしてください（名前 1 つは 255 バイトまで）"),
    "cli.os_not_a_folder": ("a part of this path is a file, not a folder",
                            "パスの途中にフォルダではなくファイルがあります"),
    "cli.os_not_a_folder.hint": ("choose a path whose folders are folders",
                                 "途中がすべてフォルダであるパスを指定してください"),
    "cli.os_missing": ("no such file or folder", "ファイルもフォルダもありません"),
    "cli.os_missing.hint": ("check the path", "パスを確かめてください"),
    "cli.os_busy": ("is busy (a mount point cannot be replaced)",
                    "は使用中です（マウントポイントは置き換えられません）"),
    "cli.os_busy.hint": ("build into a folder inside it", "その中のフォルダに作成してください"),
    "cli.os_loop": ("too many levels of symbolic links", "シンボリックリンクが多すぎます"),
    "cli.os_loop.hint": ("check where the links point", "リンクの向き先を確かめてください"),
    "cli.os_exists": ("exists and is not a folder", "がありますが、フォルダではありません"),
    "cli.os_exists.hint": ("choose another path", "別のパスを指定してください"),
    "cli.os_is_folder": ("is a folder", "はフォルダです"),
    "cli.os_is_folder.hint": ("give a file", "ファイルを指定してください"),
    "cli.os_other_disk": ("is on another file system", "は別のファイルシステムにあります"),
    "cli.os_other_disk.hint": ("choose a folder on the same disk",
                               "同じディスクのフォルダを指定してください"),
    "cli.os_io": ("input/output error (a failing disk?)",
                  "入出力エラーです（ディスクの故障かもしれません）"),
    "cli.os_io.hint": ("check the disk, then retry", "ディスクを確かめてから再実行してください"),
    # ---------------------------------------------------------------- dates (the date engine)
    "dates.no_year_in_era": ("{era}{year}年: there is no year {year} in an era (the first "
                             "year is 元年 = 1)",
                             "{era}{year}年: 元号に {year} 年はありません（最初の年は元年 = 1）"),
    "dates.beyond_9999": ("{era}{year}年 is beyond the year 9999", "{era}{year}年は 9999 年より後です"),
    "dates.before_era_start": ("{text}: {era} began on {first}; this date belongs to the era "
                               "before it",
                               "{text}: {era}は {first} に始まりました。この日付はその前の元号"
                               "のものです"),
    "dates.after_era_end": ("{text}: {era} ended on {last}; {label} never existed (read as "
                            "{year}); check the date as written",
                            "{text}: {era}は {last} に終わっており、{label}はありません（{year} "
                            "年として読みました）。書かれた日付を確かめてください"),
    "dates.no_month": ("{text}: there is no month {month}", "{text}: {month} 月はありません"),
    "dates.no_day": ("{text}: {year}-{month:02d} has no day {day}",
                     "{text}: {year}-{month:02d} に {day} 日はありません"),
    "dates.lunisolar_no_day": ("{text}: a lunisolar month has no day {day}",
                               "{text}: 旧暦の月に {day} 日はありません"),
    "dates.nonexistent": ("{text}: never happened — 明治5年12月3日 became 明治6年1月1日 "
                          "(1873-01-01) when Japan adopted the Gregorian calendar",
                          "{text}: この日はありません。改暦で明治5年12月3日が明治6年1月1日"
                          "（1873-01-01）になりました"),
    "dates.lunisolar_day": ("{text}: 明治1–5年 used the lunisolar calendar, which aical does "
                            "not convert; write the Gregorian date instead",
                            "{text}: 明治1～5年は旧暦で、aical は換算しません。新暦（グレゴリオ暦）"
                            "の日付で書いてください"),
    "dates.lunisolar": ("{text}: 明治1–5年 used the lunisolar calendar, which aical does not "
                        "convert",
                        "{text}: 明治1～5年は旧暦で、aical は換算しません"),
    "dates.fiscal_year_before_era": ("{text}: {era} began on {first}",
                                     "{text}: {era}は {first} に始まりました"),
    "dates.fiscal_year_after_era": ("{text}: {era} ended on {last}; read as {label} "
                                    "({first_day} to {last_day}); check the date as written",
                                    "{text}: {era}は {last} に終わっています。{label}（{first_day}"
                                    "～{last_day}）として読みました。書かれた日付を確かめてください"),
    "dates.year_out_of_range": ("{text}: the year {year} is out of range",
                                "{text}: {year} 年は範囲外です"),
    "dates.fiscal_year_out_of_range": ("the fiscal year {year} is out of range (1 to 9998)",
                                       "{year} 年度は範囲外です（1～9998）"),
    "dates.not_a_fiscal_year": ("{value} is not a fiscal year: write R2, 令和2年度, FY2020 or "
                                "2020",
                                "{value} は年度ではありません。R2、令和2年度、FY2020、2020 の"
                                "ように書いてください"),
    "dates.weekday_mismatch": ("{text}: {date} is a {actual}曜日, not {written}曜日; check "
                               "the date",
                               "{text}: {date} は{actual}曜日で、{written}曜日ではありません。"
                               "日付を確かめてください"),
    "dates.era_year_is_not": ("{text}: {written} is {year}, not {other}",
                              "{text}: {written}は {year} 年で、{other} 年ではありません"),
    "dates.year_is_not_era_year": ("{text}: {year} is not {written}",
                                   "{text}: {year} 年は{written}ではありません"),
    "dates.end_year_no_era": ("{text}: the end's year {year} names no era",
                              "{text}: 終わりの年 {year} に元号がありません"),
    "dates.years_disagree": ("{text}: the two years written disagree ({year} and {other})",
                             "{text}: 書かれた二つの年が合いません（{year} と {other}）"),
    "dates.year_range_needs_year": ("{text}: a range from a whole year or 年度 needs an end "
                                    "with its year",
                                    "{text}: 年や年度から始まる期間は、終わりにも年が必要です"),
    "dates.month_range_day_end": ("{text}: a range from a whole month cannot end on a day "
                                  "alone",
                                  "{text}: 月から始まる期間は、日だけで終われません"),
    "dates.unsupported_era": ("{text}: {era} is before 明治; aical reads 明治 to 令和",
                              "{text}: {era}は明治より前です。aical が読むのは明治から令和まで"
                              "です"),
    "dates.not_a_date": ("{text} is not a date aical can read",
                         "{text} は aical が読める日付ではありません"),
    "dates.end_day_before_start": ("{text}: the end (day {day}) is before the start (day "
                                   "{start}); write the month of the end too",
                                   "{text}: 終わり（{day} 日）が始まり（{start} 日）より前です。"
                                   "終わりの月も書いてください"),
    "dates.end_before_start": ("{text}: the end ({end}) is before the start ({start})",
                               "{text}: 終わり（{end}）が始まり（{start}）より前です"),
    "dates.open_ended": ("{text}: a start with no end written (…から, …以降)",
                         "{text}: 始まりだけで終わりが書かれていません（…から、…以降）"),
    "dates.year_inferred": ("{text}: {why}", "{text}: {why}"),
    "dates.relative_year": ("{word} read as {year}", "{word}を {year} 年と読みました"),
    "dates.nearest_year": ("no year written; read as {year}, nearest {anchor}",
                           "年の記載がないため、{anchor} に最も近い {year} 年と読みました"),
    # approximate dates, lists and rules (aical.dates.spans, aical.dates.finder)
    "dates.unknown_day": ("{text}: the day is not written yet (xx, ○); read as the month",
                          "{text}: 日がまだ書かれていません（xx、○）。月全体と読みました"),
    "dates.part_of_month": ("{text}: {part} of the month, days {first}–{last}",
                            "{text}: 月の{part}、{first}日から{last}日と読みました"),
    "dates.part_before_era": ("{text}: {era} began on {first}; this part of the month "
                              "belongs to the era before it",
                              "{text}: {era}は {first} に始まりました。この旬は前の元号のものです"),
    "dates.season_before_era": ("{text}: {era} began on {first}",
                                "{text}: {era}は {first} に始まりました"),
    "dates.season": ("{text}: {what}, {first} to {last}", "{text}: {what}、{first} から {last}"),
    "dates.approximate": ("{text}: {word}, an approximate date", "{text}: {word}、おおよその日付です"),
    "dates.rule_needs_year": ("{text}: a recurring rule needs its fiscal year "
                              "(令和2年度偶数月中旬, or --year)",
                              "{text}: 繰り返しの規則には年度が必要です（令和2年度偶数月中旬、または --year）"),
    "dates.rule_days": ("{text}: {count} days in {label}", "{text}: {label}の {count} 日"),
    "dates.list_needs_year": ("{text}: a list of months needs its year (令和2年5月、9月, or "
                              "--year)",
                              "{text}: 月の列挙には年が必要です（令和2年5月、9月、または --year）"),
    "dates.season_year": ("no year written; read in FY{year}, the fiscal year of {anchor}",
                          "年の記載がないため、{anchor} の年度（{year}年度）と読みました"),
    "dates.listed_day": ("a day listed after {day}: same month",
                         "{day} の後に並ぶ日: 同じ月と読みました"),
    "dates.from_today": ("本日 read as {day}, the document's day",
                         "本日 は文書の日付 {day} と読みました"),
    "dates.same_as_before": ("同月/同日: the month or day of {day}, written before it",
                             "同月・同日: 前に書かれた {day} の月・日と読みました"),
    "dates.listed_month": ("a month listed after {month}: same year, or the next when the "
                           "month is smaller",
                           "{month} の後に並ぶ月: 同じ年（月が小さければ翌年）と読みました"),
    "dates.recurring": ("{text}: a recurring rule, expanded within {label}",
                        "{text}: 繰り返しの規則。{label}の中に展開しました"),
    # ---------------------------------------------------------------- config (aical.toml)
    "config.base_url_chars": ("{url} has spaces, quotes or control characters",
                              "{url} に空白・引用符・制御文字が含まれています"),
    "config.base_url_not_absolute": (
        "{url} is not an absolute https address (write it as https://example.org/calendar)",
        "{url} は https で始まる絶対アドレスではありません（https://example.org/calendar の"
        "ように書いてください）"),
    "config.base_url_userinfo": ("{url} carries a user name or password",
                                 "{url} にユーザー名またはパスワードが含まれています"),
    "config.base_url_query": ("{url} has a query or fragment; give the folder's address",
                              "{url} に ? や # が含まれています。フォルダーのアドレスを指定して"
                              "ください"),
    "config.base_url_port": ("{url} has an invalid port", "{url} のポート番号が正しくありません"),
    "config.base_url_http": (
        "base URL {url} is http, not https: calendar apps may refuse to subscribe and the "
        "feeds can be altered on the way",
        "公開アドレス {url} は https ではなく http です。カレンダーアプリが購読を拒むこと"
        "があり、途中で内容を書き換えられるおそれがあります"),
    "config.base_url": ("base_url: {error}", "base_url: {error}"),
    "config.hint_base_url": ('write base_url = "https://example.org/calendar"',
                             'base_url = "https://example.org/calendar" のように書いてください'),
    "publish.no_base_url": (
        "no base URL (--base-url or base_url in aical.toml): the page shows no subscribe "
        "addresses, QR codes or links until it is set",
        "公開アドレスがありません（--base-url または aical.toml の base_url）。設定するまで"
        "ページに購読用のアドレス・QRコード・リンクは表示されません"),
    "config.bad_toml": ("is not valid TOML: {error}", "は正しい TOML ではありません: {error}"),
    "config.hint_optional": ("fix it or remove it; every setting is optional",
                             "直すか削除してください。設定はすべて省略できます"),
    "config.body_not_table": ('[bodies."{key}"] must be a table',
                              '[bodies."{key}"] は表（テーブル）でなければなりません'),
    "config.bodies_not_tables": ("bodies must be a list of [[bodies]] tables, each with a path",
                                 "bodies は [[bodies]] の表の並びで、それぞれに path が必要です"),
    "config.body_path": ('a [[bodies]] entry needs path = ["heading", "…", "body"], the '
                         "body's headings outermost first",
                         '[[bodies]] には path = ["見出し", "…", "会議体"] のように、外側の見出し'
                         "から順に会議体までの経路が必要です"),
    "config.hint_bodies": ('write [[bodies]] then path = ["全団体事業", "会議運営", "幹事会"] and '
                           'short_name = "幹事会"',
                           '[[bodies]] の次の行に path = ["全団体事業", "会議運営", "幹事会"] と '
                           'short_name = "幹事会" を書いてください'),
    "config.unknown_body": ("no input has the body {path}; check its path (aical extract "
                            "--json shows every body's path)",
                            "会議体 {path} はどの入力にもありません。経路を確かめてください"
                            "（aical extract --json で各会議体の経路がわかります）"),
    "config.unknown_body_near": ("no input has the body {path}; did you mean {near}?",
                                 "会議体 {path} はどの入力にもありません。{near} のことですか？"),
    "config.unknown_key": ("unknown setting {key}, ignored (known: {known})",
                           "{key} という設定はありません。無視しました（使える設定: {known}）"),
    "config.unknown_key_near": ("unknown setting {key}, ignored; did you mean {near}?",
                                "{key} という設定はありません。無視しました。{near} のことですか？"),
    "config.not_text": ("{key} must be text", "{key} は文字列でなければなりません"),
    "config.hint_text": ('write it in quotes: {key} = "…"', '引用符で囲んでください: {key} = "…"'),
    "config.not_found": ("no such settings file", "設定ファイルがありません"),
    "config.hint_path": ("check the path given with --config",
                         "--config に指定したパスを確かめてください"),
    "config.bad_encoding": ("is neither UTF-8 nor Shift_JIS text",
                            "は UTF-8 でも Shift_JIS でもありません"),
    "config.hint_encoding": ("save it as UTF-8", "UTF-8 で保存してください"),
    "config.accept_not_tables": ("accept must be a list of [[accept]] tables, each with a code",
                                 "accept は [[accept]] の表の並びで、それぞれに code が必要です"),
    "config.accept_needs_place": ("[[accept]] code = \"{code}\" needs text = \"…\" (as written "
                                  "in the report) or file and line",
                                  "[[accept]] code = \"{code}\" には text = \"…\"（報告書に書かれた"
                                  "とおり）か、file と line が必要です"),
    "config.hint_accept": ('write [[accept]] then code = "out_of_fiscal_year" and text = '
                           '"令和2年3月3日～8日"',
                           '[[accept]] の次の行に code = "out_of_fiscal_year" と text = '
                           '"令和2年3月3日～8日" を書いてください'),
    "config.bad_color": ('[bodies."{key}"] color = {color} is not a colour',
                         '[bodies."{key}"] の color = {color} は色ではありません'),
    "config.hint_color": ('write it as "#rrggbb", e.g. color = "#4169e1"',
                          '"#rrggbb" の形で書いてください（例: color = "#4169e1"）'),
    # ---------------------------------------------------------------- read (files, encodings)
    "read.not_regular": ("is not a regular file", "は通常のファイルではありません"),
    "read.hint_give_file": ("give a text or PDF file", "テキストか PDF のファイルを指定してください"),
    "read.too_big": ("is {size:,} bytes, over the {limit} MB limit",
                     "は {size:,} バイトで、上限の {limit} MB を超えています"),
    "read.over_limit": ("is over the {limit} MB limit", "は上限の {limit} MB を超えています"),
    "read.worker_died": ("the process reading it ended without a result (out of memory or disk space?)",
                         "読み込んでいたプロセスが結果を返さずに終了しました（メモリかディスクの空き不足の可能性があります）"),
    "read.hint_worker_died": ("build again; if it happens again, build fewer or smaller files at once",
                              "もう一度ビルドしてください。繰り返す場合は、一度に渡すファイルを減らすか小さくしてください"),
    "read.hint_split": ("split the document or give the text of the report alone",
                        "文書を分けるか、報告書の本文だけを指定してください"),
    "read.no_such_file": ("no such file", "ファイルがありません"),
    "read.hint_check_path": ("check the path", "パスを確かめてください"),
    "read.is_directory": ("is a directory", "はフォルダです"),
    "read.hint_files_inside": ("give the report files inside it",
                               "中の報告書ファイルを指定してください"),
    "read.permission_denied": ("permission denied", "読む権限がありません"),
    "read.hint_permissions": ("check the file's permissions", "ファイルの権限を確かめてください"),
    "read.cannot_read": ("cannot read: {reason}", "読めません: {reason}"),
    "read.kind_zip": ("a ZIP archive (Word .docx / Excel .xlsx are ZIP files)",
                      "ZIP 書庫（Word の .docx や Excel の .xlsx も ZIP です）"),
    "read.kind_old_office": ("an old Office document (.doc / .xls)",
                             "古い Office 文書（.doc / .xls）"),
    "read.kind_png": ("a PNG image", "PNG 画像"),
    "read.kind_jpeg": ("a JPEG image", "JPEG 画像"),
    "read.kind_gif": ("a GIF image", "GIF 画像"),
    "read.kind_gzip": ("a gzip archive", "gzip 書庫"),
    "read.kind_rtf": ("an RTF document", "RTF 文書"),
    "read.binary_kind": ("is {kind}, not text or PDF", "は{kind}で、テキストでも PDF でもありません"),
    "read.hint_save_as": ("save it as PDF or as text (UTF-8 or Shift_JIS) and give that file",
                          "PDF かテキスト（UTF-8 または Shift_JIS）で保存し、そのファイルを"
                          "指定してください"),
    "read.empty": ("the file is empty", "ファイルが空です"),
    "read.hint_right_file": ("check that this is the right file",
                             "正しいファイルか確かめてください"),
    "read.controls": ("holds binary data (control characters), not text",
                      "はテキストではなくバイナリデータ（制御文字）を含みます"),
    "read.bad_utf16_bom": ("starts with a UTF-16 byte-order mark but is not UTF-16 text",
                           "は UTF-16 の BOM で始まりますが UTF-16 のテキストではありません"),
    "read.truncated_utf8": ("ends in the middle of a UTF-8 character: the file looks truncated",
                            "は UTF-8 の文字の途中で終わっています。ファイルが途中で切れて"
                            "いるようです"),
    "read.hint_save_again": ("download or save the file again",
                             "ファイルをもう一度ダウンロードするか保存し直してください"),
    "read.damaged_utf8": ("is damaged UTF-8: byte {byte} is not part of any character",
                          "は壊れた UTF-8 です: バイト {byte} はどの文字にも属しません"),
    "read.not_japanese": ("decodes only to characters that are not Japanese text; it is "
                          "binary data or in an unsupported encoding",
                          "は日本語のテキストとして読めません。バイナリデータか、対応して"
                          "いない文字コードです"),
    "read.unknown_encoding": ("is not text in UTF-8, Shift_JIS (cp932), EUC-JP or UTF-16 "
                              "(best guess {codec}: byte {byte} cannot be decoded)",
                              "は UTF-8、Shift_JIS（cp932）、EUC-JP、UTF-16 のいずれのテキスト"
                              "でもありません（最も近い {codec} でもバイト {byte} が読めません）"),
    "read.invalid_codec": ("is not valid {codec}: byte {offset} cannot be decoded ({reason})",
                           "は正しい {codec} ではありません: {offset} バイト目が読めません"
                           "（{reason}）"),
    "read.nul_bytes": ("holds binary data (NUL bytes), not text",
                       "はテキストではなくバイナリデータ（NUL バイト）を含みます"),
    "read.hint_install": ("pip install {package}", "pip install {package} で入れてください"),
    "read.hint_resave_page": ("open it in a browser and save it again, or give its text",
                              "ブラウザで開いて保存し直すか、本文のテキストを指定してください"),
    "read.hint_resave_office": ("save it again from Word or Excel, or give it as PDF or text",
                                "Word や Excel で保存し直すか、PDF かテキストにして指定して"
                                "ください"),
    "read.hint_save_office": ("save it as .docx, .xlsx, PDF or text and give that file",
                              ".docx、.xlsx、PDF かテキストで保存し、そのファイルを指定して"
                              "ください"),
    "read.hint_smaller": ("split the document", "文書を分けてください"),
    "html.no_lxml": ("is an HTML page, but lxml is not installed",
                     "は HTML ですが、lxml が入っていません"),
    "html.unreadable": ("is not readable HTML ({detail})", "は読めない HTML です（{detail}）"),
    "html.too_deep": ("nests elements more than {limit:,} levels deep (unclosed tags?); its "
                      "text cannot be read reliably",
                      "は要素の入れ子が {limit:,} 段を超えています（閉じていないタグ？）。"
                      "本文を確かに読めません"),
    "html.too_many_cells": ("has tables of more than {limit:,} cells (after rowspan/colspan)",
                            "の表はセルが {limit:,} を超えます（rowspan/colspan を展開して）"),
    "html.hint_smaller_table": ("give the schedule as a smaller page or a sheet",
                                "日程をもっと小さなページか表計算のシートで指定してください"),
    "office.damaged_zip": ("is a damaged ZIP archive ({detail})", "は壊れた ZIP 書庫です（{detail}）"),
    "office.too_many_members": ("is a ZIP of {count:,} members, over the {limit:,} an Office "
                                "file may have",
                                "は {count:,} 個のファイルを含む ZIP で、Office ファイルの上限 "
                                "{limit:,} を超えています"),
    "office.bomb": ("unpacks {member} {ratio:,}-fold ({size:,} bytes): a zip bomb, not an "
                    "Office file",
                    "は {member} を {ratio:,} 倍（{size:,} バイト）に展開します。Office "
                    "ファイルではなく zip 爆弾です"),
    "office.too_big": ("unpacks to {size:,} bytes, over the {limit} MB limit for an Office file",
                       "は展開すると {size:,} バイトになり、Office ファイルの上限 {limit} MB を"
                       "超えています"),
    "office.kind_odf": ("an OpenDocument file (.odt / .ods)", "OpenDocument ファイル（.odt / .ods）"),
    "office.kind_pptx": ("a PowerPoint file (.pptx)", "PowerPoint ファイル（.pptx）"),
    "office.kind_zip": ("a ZIP archive, not a Word or Excel file",
                        "Word でも Excel でもない ZIP 書庫"),
    "office.is_kind": ("is {kind}", "は{kind}です"),
    "docx.no_docx": ("is a Word file, but python-docx is not installed",
                     "は Word ファイルですが、python-docx が入っていません"),
    "docx.damaged": ("is a damaged Word file ({kind}: {detail})",
                     "は壊れた Word ファイルです（{kind}: {detail}）"),
    "xlsx.no_openpyxl": ("is an Excel file, but openpyxl is not installed",
                         "は Excel ファイルですが、openpyxl が入っていません"),
    "xlsx.damaged": ("is a damaged Excel file ({kind}: {detail})",
                     "は壊れた Excel ファイルです（{kind}: {detail}）"),
    "inputs.no_reports": ("holds no file aical reads ({formats}){skipped}",
                          "には aical が読めるファイル（{formats}）がありません{skipped}"),
    "inputs.too_many": ("holds more than {limit:,} files to read",
                        "には読むファイルが {limit:,} 件を超えてあります"),
    "inputs.hint_report_folder": ("give the folder of the reports themselves",
                                  "報告書そのものを入れたフォルダを指定してください"),
    "inputs.skipped": ("skipped {count} file(s): {files}", "読まなかったファイル {count} 件: {files}"),
    "inputs.and_more": ("{names} and {more} more", "{names} ほか {more} 件"),
    "inputs.why_doc": ("Word 97–2003: save as .docx or PDF",
                       "Word 97–2003 形式: .docx か PDF で保存してください"),
    "inputs.why_xls": ("Excel 97–2003: save as .xlsx", "Excel 97–2003 形式: .xlsx で保存してください"),
    "inputs.why_ichitaro": ("Ichitaro: save as PDF or .docx",
                            "一太郎: PDF か .docx で保存してください"),
    "inputs.why_rtf": ("RTF: save as .docx", "RTF: .docx で保存してください"),
    "inputs.why_odt": ("OpenDocument: save as .docx", "OpenDocument: .docx で保存してください"),
    "inputs.why_ods": ("OpenDocument: save as .xlsx", "OpenDocument: .xlsx で保存してください"),
    "inputs.why_slides": ("slides", "スライド"),
    "inputs.why_archive": ("an archive: unpack it", "書庫: 展開してください"),
    "inputs.why_csv": ("a CSV: save the sheet as .xlsx or as TAB-separated .tsv",
                       "CSV: シートを .xlsx かタブ区切りの .tsv で保存してください"),
    "inputs.why_image": ("an image: scan it into a PDF", "画像: PDF にしてください"),
    "inputs.why_other": ("not a format aical reads", "aical が読めない形式"),
    "inputs.why_folder": ("a folder: add --recursive to read it",
                          "フォルダ: 読むには --recursive を付けてください"),
    "inputs.why_not_regular": ("not a regular file", "通常のファイルではありません"),
    "inputs.why_unreadable": ("cannot be read", "読めません"),
    "pdf.no_pdfplumber": ("is a PDF, but pdfplumber is not installed",
                          "は PDF ですが、pdfplumber が入っていません"),
    "pdf.hint_install": ("pip install pdfplumber", "pip install pdfplumber で入れてください"),
    "pdf.encrypted": ("is an encrypted PDF", "は暗号化された PDF です"),
    "pdf.hint_unprotected": ("save an unprotected copy", "保護を外した写しを保存してください"),
    "pdf.damaged": ("is a damaged PDF ({kind}: {detail})", "は壊れた PDF です（{kind}: {detail}）"),
    "pdf.hint_new_copy": ("download it again, or open it and save a new copy",
                          "もう一度ダウンロードするか、開いて新しい写しを保存してください"),
    "pdf.no_text": ("is a PDF without a text layer (a scan?)",
                    "は文字情報のない PDF です（スキャン画像？）"),
    "pdf.no_unicode": ("is a PDF whose fonts carry no Unicode mapping",
                       "はフォントに Unicode の対応表がない PDF です"),
    "pdf.hint_resave": ("give the report's text, or a PDF saved again from the source",
                        "報告書のテキストか、元の文書から保存し直した PDF を指定してください"),
    "pdf.no_pages": ("is a PDF without pages", "はページのない PDF です"),
    "pdf.too_many_pages": ("has {pages} pages, over the limit of {limit}",
                           "は {pages} ページあり、上限の {limit} ページを超えています"),
    "pdf.hint_split": ("split the PDF, or give the pages that hold the report",
                       "PDF を分けるか、報告書のページだけを指定してください"),
    "pdf.over_budget": ("decompresses to more than {mb} MB (the limit for a {size}-byte PDF): "
                        "a compression bomb or a damaged file",
                        "は展開すると {mb} MB を超えます（{size} バイトの PDF の上限）。"
                        "圧縮爆弾か壊れたファイルです"),
    "pdf.page_ocr": ("page {page} has no text layer and was read by OCR; check its dates and "
                     "names against the page",
                     "{page} ページは文字情報がなく OCR で読みました。日付と名前を元のページと"
                     "照らし合わせてください"),
    "pdf.page_no_text": ("page {page} has no text layer (a scanned page?) and was not read; "
                         "run with --ocr to read it by OCR",
                         "{page} ページは文字情報がなく（スキャン画像？）読んでいません。"
                         "--ocr を付けると OCR で読みます"),
    "ocr.hint_install": ("install Tesseract with its Japanese data (Debian/Ubuntu: apt-get "
                         "install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan) "
                         "to read it by OCR, or give "
                         "the report's text",
                         "Tesseract と日本語データを入れると OCR で読めます（Debian/Ubuntu: "
                         "apt-get install tesseract-ocr tesseract-ocr-jpn "
                         "tesseract-ocr-script-jpan）。または報告書の"
                         "テキストを指定してください"),
    "ocr.hint_nothing_read": ("the scan held no text Tesseract could read; give the report's "
                              "text", "スキャン画像から Tesseract が文字を読み取れませんでした。"
                              "報告書のテキストを指定してください"),
    "ocr.too_many_pages": ("has {pages} pages without text, over the OCR limit of {limit}",
                           "は文字情報のないページが {pages} あり、OCR の上限 {limit} ページを"
                           "超えています"),
    "ocr.no_pypdfium2": ("needs OCR, but pypdfium2 is not installed",
                         "は OCR が必要ですが、pypdfium2 が入っていません"),
    "ocr.hint_install_pdfium": ("pip install pypdfium2", "pip install pypdfium2 で入れてください"),
    "ocr.cannot_render": ("cannot be rendered for OCR ({detail})",
                          "は OCR のために描画できません（{detail}）"),
    "ocr.timeout": ("page {page}: OCR took over {seconds} s",
                    "{page} ページ: OCR が {seconds} 秒を超えました"),
    "ocr.cannot_run": ("page {page}: cannot run tesseract ({detail})",
                       "{page} ページ: tesseract を実行できません（{detail}）"),
    "ocr.failed": ("page {page}: tesseract failed ({detail})",
                   "{page} ページ: tesseract が失敗しました（{detail}）"),
    "ocr.hint_text": ("give the report's text", "報告書のテキストを指定してください"),
    # ---------------------------------------------------------------- publish (the build)
    "site.hint_give_reports": ("give the report files, or a folder that holds them",
                               "報告書のファイルか、それを入れたフォルダを指定してください"),
    "site.none": ("none", "なし"),
    "site.no_document_of_year": ("no document of {year}; years found: {found}",
                                 "{year}の文書がありません。見つかった年度: {found}"),
    "site.hint_year": ("check --year or add that year's report",
                       "--year を確かめるか、その年度の報告書を加えてください"),
    "site.duplicate_event": ("{summary} ({span}) is also in {where}; kept once",
                             "{summary}（{span}）は {where} にもあります。1 件にまとめました"),
    "site.out_not_folder": ("exists and is not a folder", "がありますが、フォルダではありません"),
    "site.hint_other_out": ("choose another --out", "別の --out を指定してください"),
    "site.out_not_ours": ("is a folder aical did not build (no aical manifest.json); "
                          "refusing to replace it",
                          "は aical が作ったフォルダではありません（aical の manifest.json が"
                          "ない）。置き換えません"),
    "site.hint_new_out": ("choose an empty or new --out folder",
                          "空のフォルダか新しいフォルダを --out に指定してください"),
    "site.out_dangling": ("is a symbolic link to {target}, which does not exist",
                          "は {target} へのシンボリックリンクですが、その先がありません"),
    "site.hint_dangling": ("create the folder it points to, or remove the link",
                           "リンク先のフォルダを作るか、リンクを削除してください"),
    "site.out_root": ("is the root folder; a build replaces its --out folder entirely",
                      "はルートフォルダです。作成は --out のフォルダを丸ごと置き換えます"),
    "site.out_holds_cwd": ("is or holds the current folder; a build replaces its --out "
                           "folder entirely",
                           "は現在のフォルダか、それを含むフォルダです。作成は --out の"
                           "フォルダを丸ごと置き換えます"),
    "site.out_holds_home": ("is or holds your home folder; a build replaces its --out "
                            "folder entirely",
                            "はホームフォルダか、それを含むフォルダです。作成は --out の"
                            "フォルダを丸ごと置き換えます"),
    "site.hint_name_new_out": ("name a new folder, e.g. --out build",
                               "新しいフォルダを指定してください（例: --out build）"),
    "site.out_holds_input": ("is or holds the input {input}; building there would delete it",
                             "は入力 {input} か、それを含むフォルダです。そこに作成すると"
                             "入力が消えます"),
    "site.hint_out_outside_inputs": ("choose an --out folder outside the inputs",
                                     "入力の外にある --out フォルダを指定してください"),
    "site.out_is_work": ("is the work folder of another build",
                         "は別の作成の作業フォルダです"),
    "site.out_below_file": ("lies below {file}, which is a file, not a folder",
                            "は {file} の下にありますが、それはフォルダではなくファイルです"),
    "site.out_mount_point": ("is a mount point; a build swaps its folder in whole, which a "
                             "mount point cannot be",
                             "はマウントポイントです。作成はフォルダを丸ごと入れ替えますが、"
                             "マウントポイントは入れ替えられません"),
    "site.hint_inside_mount": ("build into a folder inside it, e.g. --out {inside}",
                               "その中のフォルダに作成してください（例: --out {inside}）"),
    "site.out_foreign_manifest": ("holds a manifest.json that aical did not write; refusing "
                                  "to replace it",
                                  "には aical が書いたものではない manifest.json があります。"
                                  "置き換えません"),
    "site.guard_no_meetings": ("not replaced: the build found no meetings, and the published "
                               "folder has {published}",
                               "は置き換えませんでした: 会議が 1 件も見つからず、公開中の"
                               "フォルダには {published} 件あります"),
    "site.guard_drops_events": ("not replaced: the build would drop {gone} of the "
                                "{published} published events",
                                "は置き換えませんでした: 公開中の行事 {published} 件のうち "
                                "{gone} 件がなくなります"),
    "site.guard_drops_bodies": ("not replaced: the build would drop {gone} of the "
                                "{published} published bodies",
                                "は置き換えませんでした: 公開中の会議体 {published} のうち "
                                "{gone} がなくなります"),
    "site.hint_guard_never": ("check the inputs; to empty the calendar, delete the folder",
                              "入力を確かめてください。カレンダーを空にするならフォルダを"
                              "削除してください"),
    "site.hint_guard_force": ("check the inputs, or rerun with --force to publish anyway",
                              "入力を確かめるか、それでも公開するなら --force を付けて"
                              "再実行してください"),
    # ---------------------------------------------------------------- serve
    "serve.not_a_folder": ("is not a folder", "はフォルダではありません"),
    "serve.hint_give_build": ("give the folder aical build wrote",
                              "aical build が書いたフォルダを指定してください"),
    "serve.no_such_folder": ("no such folder", "フォルダがありません"),
    "serve.hint_build_first": ("run aical build first", "先に aical build を実行してください"),
    "serve.unknown_host": ("unknown host: {reason}", "不明なホストです: {reason}"),
    "serve.hint_address": ("use an address such as 127.0.0.1",
                           "127.0.0.1 のようなアドレスを使ってください"),
    "serve.cannot_listen": ("cannot listen: {reason}", "待ち受けできません: {reason}"),
    "serve.hint_port": ("choose another --port or --host", "別の --port か --host を指定してください"),
    # ---------------------------------------------------------------- extract
    "extract.heading_out_of_sequence.backwards": (
        "heading '{heading}' comes after '{previous}', so its number goes backwards; read as "
        "the next item under '{parent}' (probably meant {meant}). Renumber the heading if "
        "that is wrong.",
        "見出し「{heading}」が「{previous}」の後にあり、番号が戻っています。「{parent}」の次の項目"
        "として読みました（{meant} の誤りと思われます）。違う場合は見出しの番号を直してください。"),
    "extract.heading_out_of_sequence.start": (
        "heading '{heading}' starts its list at {marker} instead of {first}; check for a "
        "missing heading before it",
        "見出し「{heading}」は {first} ではなく {marker} から始まっています。前に見出しが"
        "抜けていないか確かめてください"),
    "extract.heading_out_of_sequence.gap": (
        "heading '{heading}' follows {previous} out of sequence (expected {expected}); check "
        "the numbering",
        "見出し「{heading}」が {previous} の次として順番どおりではありません（{expected} の"
        "はず）。番号を確かめてください"),
    "extract.no_meetings": (
        "no meeting found in this document ({kind}); if it lists meetings, write each with "
        "its date (令和2年6月5日 第1回総会) or see the README's \"Layouts aical reads\"",
        "この文書（{kind}）には会議が見つかりませんでした。会議を載せている場合は、日付と一緒に書いて"
        "ください（令和2年6月5日 第1回総会）。README の「Layouts aical reads」も参照"),
    "extract.line_too_long": (
        "the line is {length:,} characters long; aical reads dates only in lines of up to "
        "{limit:,}. Break it into lines (one meeting a line) if it holds meetings",
        "この行は {length:,} 文字あります。aical が日付を読むのは {limit:,} 文字までの行です。"
        "会議が書かれているなら、1 行に 1 会議となるよう改行してください"),
    "extract.date_note": ("'{text}': {note}", "「{text}」: {note}"),
    "extract.no_date": (
        "'{line}' looks like a meeting but holds no date aical can read; write it as "
        "令和2年6月5日 or 令和2年6月5日～10日 so the meeting is not lost",
        "「{line}」は会議のようですが、読める日付がありません。会議が漏れないよう "
        "令和2年6月5日 や 令和2年6月5日～10日 のように書いてください"),
    "extract.no_date.vague": (
        "'{line}' looks like a meeting but holds no date aical can read ({problem}); write it "
        "as 令和2年6月5日 or 令和2年6月5日～10日 so the meeting is not lost",
        "「{line}」は会議のようですが、読める日付がありません（{problem}）。会議が漏れないよう "
        "令和2年6月5日 や 令和2年6月5日～10日 のように書いてください"),
    "extract.vague_date": ("'{text}' is open-ended or not a day or month",
                           "「{text}」は終わりがないか、日や月ではありません"),
    "extract.suspicious_year": (
        "'{text}' names {year} ({western}), {distance} years from this {fy} report, while "
        "line {where} names '{neighbour}'; probably {meant} was meant. Correct the year in "
        "the report if so",
        "「{text}」は{year}（{western} 年度）で、この{fy}の文書から {distance} 年離れています。"
        "{where} 行目には「{neighbour}」とあるので、{meant}の誤りと思われます。そうなら報告書の"
        "年を直してください"),
    "extract.date_out_of_range": (
        "'{text}' ends on {last}, after the last day aical can publish ({limit}); check the "
        "year",
        "「{text}」は {last} に終わり、aical が出力できる最終日（{limit}）より後です。年を"
        "確かめてください"),
    "extract.out_of_fiscal_year.repaired": (
        "'{text}' ({written}) lies outside {fy} ({first}–{last}); used {used} instead, its "
        "year moved by one. Correct the year in the report if this is wrong.",
        "「{text}」（{written}）は{fy}（{first}～{last}）の外です。年を 1 つずらして {used} "
        "としました。違う場合は報告書の年を直してください。"),
    "extract.out_of_fiscal_year.kept": (
        "'{text}' ({written}) lies outside {fy} ({first}–{last}) and moving its year by one "
        "does not bring it inside; kept as written. Check the date, or pass the right fiscal "
        "year (--year).",
        "「{text}」（{written}）は{fy}（{first}～{last}）の外で、年を 1 つずらしても入りません。"
        "書かれたとおりにしました。日付を確かめるか、正しい年度を --year で指定してください。"),
    # click's own usage errors, matched by their English text (click formats them itself);
    # the English side must be click's wording with {fields} where click puts values.
    "click.usage": ("Usage: {rest}", "使い方: {rest}"),
    "click.try_help": ("Try '{command}' for help.", "'{command}' で使い方を表示します。"),
    "click.aborted": ("Aborted!", "中断しました。"),
    "click.missing_argument": ("Missing argument {name}.", "引数 {name} がありません。"),
    "click.missing_option": ("Missing option {name}.", "オプション {name} がありません。"),
    "click.missing_command": ("Missing command.", "コマンドがありません。"),
    "click.no_such_option": ("No such option {name}.", "そのようなオプションはありません: {name}。"),
    "click.no_such_option_did_you_mean": (
        "No such option {name}. Did you mean {possibility}?",
        "そのようなオプションはありません: {name}。{possibility} のことですか？"),
    "click.no_such_command": ("No such command {name}.", "そのようなコマンドはありません: {name}。"),
    "click.no_such_command_did_you_mean": (
        "No such command {name}. Did you mean {possibility}?",
        "そのようなコマンドはありません: {name}。{possibility} のことですか？"),
    "click.extra_argument": ("Got unexpected extra argument ({args})",
                             "余分な引数があります（{args}）"),
    "click.extra_arguments": ("Got unexpected extra arguments ({args})",
                              "余分な引数があります（{args}）"),
    "click.requires_argument": ("Option {name} requires an argument.",
                                "オプション {name} には値が必要です。"),
    "click.no_value": ("Option {name} does not take a value.",
                       "オプション {name} は値を取りません。"),
    "click.invalid_value": ("Invalid value for {name}: {detail}",
                            "{name} の値が正しくありません: {detail}"),
    "click.not_one_of": ("{value} is not one of {choices}.",
                         "{value} は {choices} のいずれでもありません。"),
    "click.not_choice": ("{value} is not {choice}.", "{value} は {choice} ではありません。"),
    "click.not_integer": ("{value} is not a valid integer.", "{value} は整数ではありません。"),
    "click.not_in_range": ("{value} is not in the range {range}.",
                           "{value} は範囲 {range} の外です。"),
    "click.path_missing": ("{kind} {path} does not exist.", "{path} がありません（{kind}）。"),
    "click.path_is_dir": ("{kind} {path} is a directory.", "{path} はフォルダです（{kind}）。"),
    "click.path_is_file": ("{kind} {path} is a file.", "{path} はファイルです（{kind}）。"),
}

_FIELD = re.compile(r"\{(\w+)(?:[^{}]*)\}")


class Message(str):
    """A catalog message: its English text as a ``str``, with ``key`` and ``params`` kept so
    the edge can render it in another language (:func:`render`)."""

    key: str
    params: Mapping[str, object]

    def __new__(cls, key: str, params: Mapping[str, object]) -> Message:
        self = super().__new__(cls, _format(key, params, "en"))
        self.key = key
        self.params = params
        return self

    def __getnewargs__(self):  # pickling and copying rebuild from the id, not the text
        return (self.key, self.params)

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` (``en`` or ``ja``)."""
        return _format(self.key, self.params, lang)


def msg(key: str, /, **params: object) -> Message:
    """The message ``key`` with ``params``; its ``str`` value is English. Unknown ids raise
    KeyError at once, so a typo fails in the tests, not in front of a user."""
    if key not in CATALOG:
        raise KeyError(f"no message {key!r} in aical.messages.CATALOG")
    return Message(key, params)


def render(text: object, lang: str) -> str:
    """``text`` in ``lang``: a :class:`Message` is rendered from the catalog; any other
    string is returned as it is."""
    if isinstance(text, Message):
        return text.in_language(lang)
    return str(text)


def _format(key: str, params: Mapping[str, object], lang: str) -> str:
    template = CATALOG[key][LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    values = {name: (value.in_language(lang) if isinstance(value, Message) else value)
              for name, value in params.items()}
    return template.format(**values)


def placeholders(template: str) -> set[str]:
    """The field names of a catalog template (for the tests and for matching)."""
    return set(_FIELD.findall(template))


def language(choice: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``en`` or ``ja``: ``choice`` (``--lang``) if given, else the locale of the messages.

    POSIX order: the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set and not
    empty decides; ``ja``, ``ja_JP.UTF-8``, ``ja_JP.eucJP``… mean Japanese, anything else
    (``C``, ``en_US.UTF-8``, unset) English.
    """
    if choice:
        return "ja" if choice.lower().startswith("ja") else "en"
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def _pattern(template: str) -> re.Pattern:
    """A regex that matches text made from an English ``template`` and captures its
    fields (used to translate click's own, already formatted, messages)."""
    parts = re.split(r"(\{\w+(?:[^{}]*)\})", template)
    out = []
    for part in parts:
        field = _FIELD.fullmatch(part)
        out.append(f"(?P<{field[1]}>.*?)" if field else re.escape(part))
    return re.compile("".join(out) + r"\Z", re.S)


_CLICK = {key: _pattern(en) for key, (en, _) in CATALOG.items()
          if key.startswith("click.") and key not in ("click.usage", "click.try_help",
                                                        "click.aborted")}


#: click's names for a path's kind, as its messages start ("File 'x' does not exist.").
_PATH_KINDS = {"File": "ファイル", "Directory": "フォルダ", "Path": "パス"}


def translate_click(text: str, lang: str) -> str:
    """One of click's usage messages in ``lang``; the English text when no template fits
    (click may add wording in a later version; English is then still correct)."""
    if lang == "en":
        return text
    for key, pattern in sorted(_CLICK.items(), key=lambda kv: -len(CATALOG[kv[0]][0])):
        found = pattern.match(text)
        if found:
            params = dict(found.groupdict())
            if key == "click.invalid_value":
                params["detail"] = translate_click(params["detail"], lang)
            if "kind" in params:
                params["kind"] = _PATH_KINDS.get(params["kind"], params["kind"])
            return Message(key, params).in_language(lang)
    return text


__all__ = ["CATALOG", "LANGUAGES", "Message", "language", "msg", "placeholders", "render",
           "translate_click"]
