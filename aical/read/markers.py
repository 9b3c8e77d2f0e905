"""Numbering markers at the start of a heading or list item, as Japanese documents write
them: ``1``, ``１．``, ``(1)``, ``（ア）``, ``⑴``, ``ア``, ``①``, ``第2章``, ``Ⅲ``.

Readers of formats that mark headings themselves (HTML ``<h2>``, Word heading styles,
Markdown ``#``) still carry the author's numbering inside the text; the model keeps it
apart (:attr:`aical.document.Heading.marker`) so a recogniser can read the outline
without parsing the text again. Shared by every reader, so ``1 総会`` splits the same
way from HTML, DOCX and Markdown. Pure; no I/O.
"""

from __future__ import annotations

import re

_DIGITS = "0-9０-９"
_KANJI_NUMBERS = "一二三四五六七八九十百〇"
_KATAKANA = "ア-ヲ"
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"

# A marker needs a separator after it (space, ideographic space, or its own
# punctuation): "1 総会" and "1. 総会" are numbered, "16日から" and "イ研究会" are not.
_MARKER = re.compile(
    rf"""(?P<marker>
        第[{_DIGITS}{_KANJI_NUMBERS}]+[章節部編款条項]
      | [(（][{_DIGITS}]{{1,3}}[)）]
      | [(（][{_KATAKANA}][)）]
      | [(（][a-zａ-ｚ][)）]
      | [\u2474-\u2487]                      # ⑴ … ⒇
      | [\u2460-\u2473\u3251-\u325f]          # ① … ㊿
      | [{_DIGITS}]{{1,3}}(?:[-‐－.．][{_DIGITS}]{{1,3}})*[.．、)）]?
      | [{_KATAKANA}][.．、)）]?
      | [{_ROMAN}][.．、]?
      | [IVX]{{1,4}}[.．]
    )
    (?P<sep>[ \t\u3000]+|(?<=[.．、)）章節部編款条項\u2460-\u2487\u3251-\u325f]))
    (?P<text>\S.*)""",
    re.VERBOSE | re.DOTALL,
)
# A bare number or kana must be followed by a space to be a marker (see above); one that
# ends in its own punctuation or brackets may run straight into the text.
_NEEDS_SPACE = re.compile(rf"[{_DIGITS}{_KATAKANA}]+|[{_ROMAN}]")
# "1 月" and "3 日間" are quantities the PDF spaced out, not numbered headings.
_QUANTITY = re.compile(r"[年月日時分回号人件円%％]")


def split_marker(text: str) -> tuple[str, str]:
    """``(marker, rest)`` of a heading's text as written; ``("", text)`` when it has none.

    >>> split_marker("(1) あいち電子申請・届出システムの運用")
    ('(1)', 'あいち電子申請・届出システムの運用')
    >>> split_marker("１．総会")
    ('１．', '総会')
    >>> split_marker("16日から")
    ('', '16日から')
    """
    stripped = text.strip()
    m = _MARKER.match(stripped)
    if m is None:
        return "", stripped
    marker, sep, rest = m["marker"], m["sep"], m["text"].strip()
    if not sep and _NEEDS_SPACE.fullmatch(marker):
        return "", stripped
    if marker[0] in _DIGITS + "０１２３４５６７８９" and _QUANTITY.match(rest):
        return "", stripped
    return marker, rest


__all__ = ["split_marker"]
