"""Meetings named by reference: ``本委員会`` in a committee chair's report is the committee
the minutes named last (``総務企画常任委員長の報告を求めます`` … ``本委員会は12月12日に開催し``).

Minutes of a council's plenary hear each committee's chair report in turn, and each report
calls its own committee 本委員会, 当委員会 or 同委員会. A reader knows which one from what was
said just before; so does :class:`Referents`, which follows the committees the lines name and
gives such a meeting the name of the last one. Pure; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import replace

from aical.extract.builder import Candidate

# A committee named by its name or its chair's: 総務企画常任委員会, 予算特別委員長, 民生環境常任委員長
_COMMITTEE = re.compile(r"([一-龯ァ-ヶー・Ａ-Ｚａ-ｚA-Za-z]{2,20}?(?:常任委員|特別委員|委員))(?:会|長)")
# Words that point at a committee instead of naming it.
_POINTER = re.compile(r"^[\s　]*(?:本|当|同|この|その)(?:常任|特別)?委員会\s*$")
# A name that is itself a pointer or a collective (本委員会, 各常任委員会, 全委員会).
_NOT_A_NAME = re.compile(r"^(?:本|当|同|各|全|両|この|その|次の|前の)")


class Referents:
    """The committee last named in the lines read so far."""

    def __init__(self) -> None:
        self.committee: str | None = None

    def read(self, text: str) -> None:
        """Follow the committees a line names (after its findings are resolved: a line that
        reports on 本委員会 names its own committee only before)."""
        for m in _COMMITTEE.finditer(text):
            name = m.group(1)
            if not _NOT_A_NAME.match(name):
                self.committee = name + "会"

    def resolve(self, found: list) -> list:
        """The findings with 本委員会 / 当委員会 / 同委員会 named as the committee meant."""
        if self.committee is None:
            return found
        return [replace(f, name=self.committee) if isinstance(f, Candidate) and
                _POINTER.match(f.name) else f for f in found]


__all__ = ["Referents"]
