"""The body that issued a document, for meetings no heading, caption or name places.

A mayor's report to the council (市政報告, 施政方針) or a council's minutes tells of the
city's drills, festivals and committees in sentences under no heading that names a body.
Those meetings belong to the municipality the document is about: the one it names far
more often than any other (``南国市議会``, ``南国市観光大使``, ``南国市美術展覧会``).
Without such a name, no body is guessed.

An association's minutes or notice names itself at the top instead (``立田自治会`` above
``令和８年度 定期総会 議事録``, ``日本地図学会　2024年度　定期大会``): an organisation named in
the document's opening lines is its issuer, before any municipality it mentions.
"""

from __future__ import annotations

import re
from collections import Counter

#: A municipality named as the holder of something: 南国市議会, 青森市長, 葛飾区民, 守山市役所.
_MUNICIPALITY = re.compile(r"(?<![一-龯々ヶ])([一-龯々ヶ]{1,5}?[市町村区])(?![町村区長場])")
#: What stands before a name without being part of it: 第４４４回南国市議会, 高知県南国市.
_BEFORE_NAME = re.compile(r"^(?:[回第号年月日期度]+|[一-龯]{1,3}[県都府道](?=[一-龯]{2}))")
#: 区 that is an area, not a ward: 地区, 工区, 学区, 選挙区, 特区, 財産区, 管区; and a kind of
#: city, not one (健康都市, 姉妹都市, 中核都市).
_AREA = re.compile(r"[地工学挙特産管校]区$|都市$")
#: Words ending in 市/町/区 that are not a municipality's name.
_NOT_NAMES = frozenset({"本市", "当市", "同市", "各市", "全市", "市町", "本町", "当町", "同町",
                        "各区", "本区", "当区", "同区", "区市", "都市", "市区", "市区町村",
                        "町村", "市町村", "政令市", "都区"})
#: How often the name must appear: once may be a neighbour (香南市消防団と合同で).
_MIN_MENTIONS = 2


#: An organisation's name, as a letterhead gives it (spaces left out first: 立 田 自 治 会).
_ORGANISATION = re.compile(
    r"(?:(?:一般|公益)(?:社団|財団)法人|特定非営利活動法人|NPO法人)?"
    r"[一-龯々ヶァ-ヶーA-Za-z]{1,15}?(?:自治会|町内会|町会|組合|協会|学会|機構|公社|財団|"
    r"商工会|振興会|保存会|連合会|青年会議所)(?![一-龯ァ-ヶ])")
#: How many of the first lines are the letterhead, and how long one may be.
_OPENING_LINES, _OPENING_CHARS = 3, 40


def issuer(texts: list[str]) -> str | None:
    """The organisation the document's opening lines (its first non-empty ``texts``) name,
    or else the municipality its ``texts`` name most often as a holder, if any."""
    for text in [t for t in texts if t.strip()][:_OPENING_LINES]:
        squeezed = re.sub(r"[\s\u3000]+", "", text)
        if len(squeezed) <= _OPENING_CHARS and (m := _ORGANISATION.search(squeezed)):
            return m.group(0)
    counts: Counter[str] = Counter()
    for text in texts:
        for m in _MUNICIPALITY.finditer(text):
            name = m.group(1)
            name = name[_BEFORE_NAME.match(name).end():] if _BEFORE_NAME.match(name) else name
            if len(name) >= 2 and name not in _NOT_NAMES and not _AREA.search(name):
                counts[name] += 1
    if not counts:
        return None
    (name, n), *rest = counts.most_common(2)
    # a clear majority: a report names its own city far more often than its neighbours
    if n < _MIN_MENTIONS or rest and rest[0][1] * 2 > n:
        return None
    return name


__all__ = ["issuer"]
