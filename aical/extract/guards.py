"""Dates that are not meetings: what a sentence says about a date that rules it out.

A date is written for many reasons besides a meeting: the day someone took office (就任),
the day figures stand at (現在), a page's update or publication day (更新日, 発行, 掲載), a
deadline (締切, まで(に), 期限), a term of office (任期), a law's start (施行, 公布), a
contract, a decision (可決, 採択). The recognisers for date-first lines and prose (``lines``, ``prose``) ask
:func:`not_a_meeting` before taking a date; ``lists`` keeps the sample's own rules.
"""

from __future__ import annotations

import re
import unicodedata

# Right after the date (particles and brackets allowed between): the date is of this.
_AFTER = re.compile(
    r"^[\s)）(（]*(?:付け?で?|を?もって|を?もちまして|の?時点|時点で)?\s*(?:に|の|を|で)?\s*(?:"
    r"就任|退任|辞任|任命|委嘱(?!式)|選任|着任|現在|更新|改訂|改正|作成|発行|発刊|刊行|掲載|公開|公表|"
    r"締切|締め切|〆切|まで|迄|期限|必着|任期|施行|公布|告示|適用|契約|締結|成立|設立|創立|生まれ|"
    r"受付開始|受付を開始|申込開始|届出|提出|支給|交付決定|満了|撤廃|解除|廃止|開設(?!式)|開所(?!式)|"
    r"開業|オープン(?!イベント|記念|セレモニー)|運用開始|稼働|開通(?!式)|供用開始|"
    # a broadcast or an article is not something to attend (9月18日に放送された番組)
    r"放送|放映|報道|報じ|"
    # money and paperwork on a day: 12月7日に緊急支払いした, 10月13日に応募有り
    r"支払|支払い|入金|振込|振り込|請求|精算|応募|申請|時点|"
    # a decision's day in a results table (原案可決) is not a meeting by itself
    r"原案可決|可決|否決|採択|不採択|承認|同意|認定|継続審査|撤回)")
# Right before the date: the date is this kind of day.
_BEFORE = re.compile(
    r"(?:更新日|更新|作成日|作成|発行日|発行|掲載日|掲載|公開日|公表日|締切日?|締め切り|〆切|"
    r"期限|提出期限|申込期限|任期|施行日|公布日|基準日|現在|契約日|投稿日|最終更新|印刷日|参考|"
    # an account's day (事業外費用（令和4年3月31日）, 貸借対照表（…現在）)
    r"費用|準備金|資産|負債|残高|収益|損益|貸借対照表|計算書|剰余金|引当金|資本金|"
    # the day money or mail goes out (初回支給は来年１月31日を予定, 発送日：)
    r"(?:支給|支払い?|振込み?|振り込み|納付|入金|給付|発送|郵送)(?:日|予定日)?は?)"
    r"\s*[:：]?\s*[(（]?\s*$")
# A budget or fiscal year mentioned by itself is never a meeting day (令和6年度予算).
_BUDGET = re.compile(r"^\s*(?:度|分)?\s*(?:予算|決算|補正|一般会計|特別会計)")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SPACES = re.compile(r"\s+")  # compiled once: every dated candidate is asked


def not_a_meeting(before: str, after: str) -> str | None:
    """Why the date between ``before`` and ``after`` (text as written) is no meeting, or
    ``None``: the word that rules it out (``就任``, ``更新日``, ``まで`` …)."""
    tail = _SPACES.sub("", fold(after[:24]))
    m = _AFTER.match(tail) or _BUDGET.match(tail)
    if m:
        return m.group(0).strip()
    head = _SPACES.sub("", fold(before[-12:]))
    m = _BEFORE.search(head)
    if m:
        return m.group(0)
    return None


__all__ = ["not_a_meeting"]
