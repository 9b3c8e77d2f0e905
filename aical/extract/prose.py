"""Recogniser ``prose``: sentences that report or announce a meeting.

Reports to a council (市政報告), minutes and newsletters tell of meetings in sentences::

    令和2年6月5日に第1回総会を開催し、…
    審査のため６月１０日に委員会を開き、…
    １０月２６日には、日章福祉交流センターで地震・津波避難訓練を実施しました。
    次の本会議は、３月１日午前10時開議とし、…
    10月1日から10月31日までの間、…を実施します。

A day-precise date is a meeting's when its own clause (from the date to the next date or the end of
the sentence, at most :data:`WINDOW` characters) holds a verb of holding or taking part
(開催, 開き, 実施, 行い, 開議, 参加 …) and no word ruling it out
(:mod:`aical.extract.guards`: 就任, 現在, 締切, まで(に), 施行 …). Dates in passing
(``平成16年7月から運用している``, ``３月２１日をもって全面解除``) have no such verb and stay
non-events.

The name is what is held: the words between the date and the verb (``第1回総会``), or,
when the date comes last (``総会は6月5日に開催``), the words before it in its clause; the
subject said before where (``…協議会が本市で開催``), the object of a long clause
(``…南国市水防訓練を、…実施``), a quoted title, the sentence's topic (``…祭りは、``), or the
heading over a sentence that opens with its date. A place written with で
(``日章福祉交流センターで``) is passed on as the venue hint. Meetings listed before a verb
they share (``４月２１日に…審議会、同月２８日に…審議会において、…説明を行いました``) each get it.

A month is taken only when the sentence says plainly that something is held in it
(:func:`_month_held`), and the sentence's tense tells a report of what took place
(開催いたしました: confirmed) from an announcement (開催いたします: tentative).
"""

from __future__ import annotations

import re

from aical.extract.builder import BODY_NOUN, Candidate, Finding
from aical.extract.guards import not_a_meeting
from aical.extract.lists import LIST_GAP, day_runs, qualifies
from aical.extract.outline import Line, fold, tidy

#: How far after a date its verb may stand, in characters as written; further for the
#: only date of its sentence, which no other date's clause can claim the verb from.
WINDOW = 60
LONE_WINDOW = 100
_VERB = re.compile(
    r"開催|開き|開か|開く|開いた|開会|開議|開幕|実施|行い|行わ|行う|行った|行いま|執り行|挙行|"
    # not the nouns they start: 審議会, 参加者, 出席者, 視察団 are what is held or who came
    r"参加(?!者)|出席(?!者)|参列(?!者)|出展|出場(?!校|権|枠)|訪問(?!介護|看護)|視察(?!団)|招集|召集|"
    r"議決|審議(?!会)|協議し|報告され|説明会|を迎え|が開|に臨|"
    # a plan's day: 片付けは5月6日を予定, 総会は5月20日を予定しています
    r"を予定(?!価格|額|数|量|地|者)")
# National politics a report tells of in passing (通常国会, 総裁選挙): no body's calendar
_NATIONAL = re.compile(r"国会|総裁選|衆議院|参議院|内閣(?!府)|総理|政権")
# The day's meeting named right after it: １２月１３日の本会議において, ６月５日の総会で
_MEETING_OF_DAY = re.compile(
    r"^\s*の\s*((?:第\s*\d+\s*回)?[^、。\s]{0,15}?(?:" + BODY_NOUN.pattern + r"|定例会|臨時会))"
    r"(?=において|で|に|は|が|を|、|。|の(?:席|場))")
# What a passive verb of holding names after it: 開催された予算特別委員会の組織会において
_HELD_NOUN = re.compile(r"(?:された|れた|される|れる|されました|れました)\s*"
                        r"([^、。]{2,30}?)(?:の(?:概略|概要|結果|報告|内容)|において|にて|では|で|に|は|が|を|、|。)")
# A period told with its length right after it: …までの３３日間, …の２日間.
_DAYS_LONG = re.compile(r"^\s*(?:まで)?の\s*[0-9一二三四五六七八九十]+\s*日間")
# The subject just before the date: 次の本会議は、３月１日… / 会期は、…
_SUBJECT = re.compile(r"(?:^|[、，,])\s*(?:次の|次回の|今回の|本日の)?([^、，,。]{2,20}?)は[、，,\s]*"
                      r"(?:明|翌)?$")
# The topic a report's sentence opens with: 成人式につきましては、… / 消防団については、…
_TOPIC = re.compile(r"^[\s、]*(?:また|次に|さらに|なお|まず)?[、\s]*"
                    r"([^、。]{2,30}?)(?:につきましては|につきまして|については|に関しては)[、，,]")
# The subject a sentence opens with: 本市の市民祭であります第３７回土佐のまほろば祭りは、…
_OPENING_TOPIC = re.compile(r"^[\s、]*(?:また|次に|さらに|なお|まず|特に)?[、\s]*([^、。]{2,40}?)は[、，,]")
_APPOSITION = re.compile(r"^.*(?:であります|である|という|といった)")
# What is done, marked with を when the clause runs long: …におきまして、南国市水防訓練を、…
_OBJECT = re.compile(r"(?:^|[、，,])\s*([^、，,。]{2,30}?)を[、，,]")
# The object right before the verb, after the clause's last comma: …と連携し、火災予防の広報を
_DONE_BEFORE_VERB = re.compile(r"[、，,]\s*([^、，,。]{2,30}?)\s*を\s*$")
_PARTS = re.compile(r"[、，,].*[、，,]")
# A relative clause before the name: 新規顧客の開拓を支援する第１１回町工場見本市
_MODIFIER = re.compile(r"^.*(?:する|した|している|された|される|であります|である)(?=..)")
# What a passive verb of holding names in quotes further on: 彦根市で開催された、全国の
# ゆるキャラが集まる「ご当地キャラ博２０２５」は
_HELD_QUOTED = re.compile(r"^(?:された|れた|される|れる)[、，,\s]*[^。「」]{0,30}?「([^」]{2,30})」")
# A clause that lists one of several meetings sharing the sentence's verb:
# ４月２１日に久礼田公民館運営審議会、同月２８日に十市公民館運営審議会において、…説明を行いました
_ENUMERATED = re.compile(r"^\s*(?:に|には)\s*([^、。に]{2,30}?)\s*(?:において|におきまして|にて|で)?\s*[、，,]\s*$")
# How the sentence tells of what is held, from just after the verb: done (開催されました,
# 開催することになった, 実施済み) or announced (開催いたします, 開催される予定). At each
# position the done forms are tried first: されました before される.
_TOLD = re.compile(
    r"(?P<done>(?:する)?こと[にと]なった|(?:する)?こと[にと]なりました|いたしました|致しました|"
    r"されました|しました|されており|されています|しております|しています|ました|でした|された|"
    r"した|れた|った|済み|済)"
    # する before ことに asks (…とすることに異議ありませんか), it does not announce
    r"|(?P<announced>いたします|致します|されます|します|される|する(?!ことに)|予定|まいります|"
    r"参ります|いく|ください|たい|に向け)")
# Particles and punctuation around the name.
_LEAD = re.compile(r"^[\s、，,]*(?:まで|の間|には|にも|に|は|より|から)?[\s、，,]*"
                   r"(?:の\s*[0-9０-９一二三四五六七八九十]+\s*日間[\s、，,]*)?")
_TAIL = re.compile(r"[\s、，,]*(?:を|が|は|も|に|の|へ)?[\s、，,]*$")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_PLACE = re.compile(r"(?:^|[、，,\s])([^、，,\s]{2,30}?)(?:において|におきまして|にて|で)(?=[^きすなはも]|$)")
# What is held, said before where (第６１回…協議会が本市で開催され): the subject is the name,
# the place only what follows its particle.
_SUBJECT_AT = re.compile(r"(?P<subject>.{2,}?)(?:が|は)(?P<place>[^がは]{2,})$")
# A place named anywhere in the date's clause with において / にて (…の後、日章福祉交流センター
# において、約１３０名の参加により): those particles name where, not how (で also says 合同で,
# 書面で). What they follow is not a place when it is a meeting, a programme or a time.
_AT_PLACE = re.compile(r"(?:^|[、，,\s]|[にはでの](?=[^、，,\s]))([^、，,\s。「」]{2,30}?)(?:において|におきまして|にて)")
_NOT_A_VENUE = re.compile(r"(?:会|会議|議会|委員会|番組|中|上|際|時|場合|段階|計画|事業|制度|期間|"
                          r"本市|全国|各地区|市内|県内|国|県|市)$")


def _listed_groups(text: str, matches: list) -> list[list]:
    """The sentence's dates, those listed together (及び, 、, ・, と between them) in one
    group."""
    groups: list[list] = []
    for m in matches:
        if groups and LIST_GAP.fullmatch(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _sentences(text: str):
    for m in _SENTENCE.finditer(text):
        if m.group(0).strip():
            yield m.start(), m.end()


def read(line: Line) -> list[Finding] | None:
    """The meetings a prose line reports, or ``None`` when it reports none."""
    if line.kind not in ("prose", "bullet") or not line.matches:
        return None
    text = line.text
    found: list[Finding] = []
    dated = []
    # day-precise, or a month that :func:`_held` finds a meeting's: a month in a sentence
    # is mostly history told in passing (平成30年10月にリプレイスを実施し)
    matches = [m for m in line.matches if qualifies(m, text) and m.span.precision in ("day", "month")]
    for begin, end in _sentences(text):
        groups = _listed_groups(text, [m for m in matches if begin <= m.start < end])
        clauses = []
        for i, group in enumerate(groups):
            # days listed together (12月17日及び12月18日に開催し) share the clause after
            # the last of them
            last = group[-1]
            following = groups[i + 1][0].start if i + 1 < len(groups) else None
            # a sentence with one date may say what is held far from it (…におきまして、
            # 南国市水防訓練を、堤防が決壊したことにより…を想定して実施いたしました)
            window = LONE_WINDOW if len(groups) == 1 else WINDOW
            stop = min(following if following is not None else end, last.end + window)
            clauses.append((group, stop, text[last.end:stop]))
        for i, (group, stop, clause) in enumerate(clauses):
            m = group[0]
            held = _held(text, begin, m, clause, end)
            if held is None and (listed := _ENUMERATED.match(clause)):
                # one of several meetings the sentence's verb is for: the next clauses are
                # listed the same way until one that holds the verb
                later = next((c for c in clauses[i + 1:] if not _ENUMERATED.match(c[2])), None)
                shared = later and _held(text, begin, later[0][0], later[2], end)
                if shared:
                    held = (listed.group(1), None, None, shared[3])
            if held is None:
                continue
            name, venue, at_place, told = held
            name = re.sub(r"(?:について|に関して|につき)$", "", tidy(name or ""))
            if len(name) < 2 and line.path and not text[begin:m.start].strip(" \u3000"):
                # ２．中洲夢花火 / 8月31日（土）開催予定となっています。: the heading names it
                name = line.path[-1]
            if len(name) < 2 or len(name) > 60 or _NATIONAL.search(name):
                continue
            for day in day_runs(group) if len(group) > 1 else group:
                dated.append(day)
                found.append(Candidate(match=day, name=name, body=line.path, at=line.at,
                                       original=line.original, details=venue or "",
                                       venue=at_place,
                                       time_text=text[m.start:stop], context=text,
                                       line_dates=line.matches, told=told))
    if not found:
        return None
    siblings = tuple(dated)
    return [Candidate(**{**{f: getattr(c, f) for f in Candidate.__slots__},
                         "siblings": siblings}) for c in found]


# A month something is done in: 本年１月に、…アンケートを実施 / 令和７年６月に、…を開催します
_IN_MONTH = re.compile(r"^\s*(?:に|には)[、，,\s]")
_RECENT_YEAR = re.compile(r"^(?:本年|今年|昨年|去年|前年|来年|翌年)")
_WRITTEN_YEAR = re.compile(r"^(?:令和|平成|\d{4}\s*年)")


def _month_held(m, clause: str, verb, told: str | None) -> bool:
    """A month is a meeting's or an activity's only when the sentence says so plainly:
    the meeting is named with it (昨年１１月の権利者会議で), it is a period something is
    done over (９月から１１月にかけて…立入検査を実施), or it opens what is done in it with
    its year told as this one's or a neighbour (本年１月に、…アンケートを実施いたしました), or
    written out for what is announced (令和７年６月に、…プレイベントを開催します). A written
    year of what was done is history (平成30年10月にリプレイスを実施し)."""
    if verb.re is _MEETING_OF_DAY or _MEETING_OF_DAY.match(fold(clause)):
        return True
    if (m.span.last_day - m.span.first_day).days > 31 and fold(m.text).endswith("にかけて"):
        return True
    if _IN_MONTH.match(clause) is None:
        return False
    written = fold(m.text)
    return _RECENT_YEAR.match(written) is not None or \
        told == "announced" and _WRITTEN_YEAR.match(written) is not None


def _held(text: str, begin: int, m, clause: str, end: int):
    """``(name, venue hint, place, told)`` of the meeting the date ``m`` (in the sentence
    from ``begin`` to ``end``) is for, read from its ``clause``; ``None`` when the clause
    holds no verb of holding, or a word rules the date out. ``told`` is ``"done"``,
    ``"announced"`` or ``None`` (:data:`_TOLD`)."""
    verb = _VERB.search(fold(clause)) if clause else None
    if verb is None and m.span.last_day > m.span.first_day \
            and (days := _DAYS_LONG.match(fold(clause))):
        # 会期は、２月１７日から３月２１日までの３３日間: a period told with its length
        verb = days
    if verb is None and (held := _MEETING_OF_DAY.match(fold(clause))):
        # 昨年１２月１３日の本会議において: the meeting the day is named with
        verb = held
    if verb is None or not_a_meeting(text[begin:m.start], clause):
        return None
    said_after = fold(text[m.end + len(clause[:verb.end()]):end])
    tense = _TOLD.search(said_after)
    told = None if tense is None else tense.lastgroup
    if m.span.precision == "month" and not _month_held(m, clause, verb, told):
        return None
    # the verb position in the folded clause maps back closely enough: NFKC keeps
    # the length of Japanese text; only the name's end depends on it
    if verb.re is _MEETING_OF_DAY:
        name = verb.group(1)
    elif (after := _HELD_NOUN.match(clause[verb.end():])) is not None:
        # 本会議終了後に開催された予算特別委員会の組織会において: what was held
        # follows the verb
        name = after.group(1)
    elif (quoted := _HELD_QUOTED.match(clause[verb.end():])) is not None:
        name = quoted.group(1)
    else:
        name = clause[:verb.start()]
        if (done := _DONE_BEFORE_VERB.search(name)) is not None and _PARTS.search(name):
            # …週間中には、消防団、…と連携し、火災予防の広報を実施: what is done is the
            # object right before the verb, not the clauses before it
            name = done.group(1)
    name = name[_LEAD.match(name).end():]
    said = name
    venue = None
    place = _PLACE.search(name)
    if place:
        venue = place.group(1)
        rest = name[place.end():]
        if (subject := _SUBJECT_AT.match(venue)) is not None and len(fold(rest).strip()) < 2:
            # 第６１回高知県市町村行政連絡協議会が本市で: what is held, then where
            name, venue = subject["subject"], subject["place"]
        else:
            name = rest
    name = _TAIL.sub("", name)
    short = len(fold(name).strip()) < 2
    if (short or len(fold(name).strip()) > 30) and \
            (done := _OBJECT.search(said[:place.start(1)] if short and place else name)):
        # …におきまして、南国市水防訓練を、堤防が決壊したことにより… / …を支援する第１１回
        # 町工場見本市を、…東京ビッグサイトで開催: what is done is the object
        name = _MODIFIER.sub("", done.group(1))
    if len(fold(name).strip()) > 30 and (quoted := re.search(r"「([^「」]{2,40})」\s*$", name)):
        name = quoted.group(1)  # …の共催として、「Vivliostyle 開発者とユーザーの集い 2019夏」を開催
    at_place = next((p.group(1).lstrip("にはでのを") for p in _AT_PLACE.finditer(clause)
                     if not _NOT_A_VENUE.search(p.group(1))), None)
    before = text[begin:m.start]
    if len(fold(name).strip()) < 2 and (topic := _TOPIC.match(before)
                                         or _SUBJECT.search(before)):
        # 成人式につきましては、令和8年1月3日に…挙行 / 次の本会議は、３月１日午前10時開議
        name = topic.group(1)
    if len(fold(name).strip()) < 2 and (topic := _OPENING_TOPIC.match(before)):
        # 本市の市民祭であります第３７回土佐のまほろば祭りは、…９月２７日に吾岡山で開催
        name = _APPOSITION.sub("", topic.group(1))
    if len(fold(name).strip()) < 2:
        start = max(text.rfind(c, begin, m.start) for c in "、，,")
        start = begin if start < 0 else start + 1
        name = _TAIL.sub("", text[start:m.start])
        name = _LEAD.match(name) and name
    if len(fold(name or "").strip()) < 2 and (topic := _TOPIC.match(text[begin:m.start])):
        # 成人式につきましては、来年１月１１日に市民会館において挙行いたします
        name = topic.group(1)
    return name, venue, at_place, told


def read_after(line: Line, start: int, taken) -> list[Finding]:
    """The meetings the sentences from column ``start`` on report, on dates other than the
    ``taken`` ones (which another recogniser read from the line's first sentence)."""
    taken_at = {m.start for m in taken}
    found = [c for c in read(line) or () if c.match.start >= start and c.match.start not in taken_at]
    return found


__all__ = ["read", "read_after"]
