"""aical's exception tree; the CLI turns these into one-line messages, never tracebacks.

    Error
    ├── DateError    a date expression that cannot be read (has a stable ``code``)
    └── InputError   a file that cannot be used (names the file and, where known, the line)
"""

from __future__ import annotations


class Error(Exception):
    """Base of every error aical raises on purpose."""

    def in_language(self, lang: str) -> str:
        """The one-line message in ``lang`` (``en`` or ``ja``); see :mod:`aical.messages`."""
        from aical.messages import render

        return render(getattr(self, "message", None) or str(self), lang)


class DateError(Error, ValueError):
    """A date or range that cannot be read.

    ``code`` is one of the contract codes in DESIGN.md (``no_date``, ``invalid_date``,
    ``invalid_year``, ``before_era_start``, ``after_era_end``, ``range_end_before_start``,
    ``nonexistent_date``, ``unsupported_era``, ``lunisolar_unsupported``).
    """

    def __init__(self, code: str, message: str, text: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.text = text

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class InputError(Error):
    """A file aical cannot use: unreadable, wrong kind, or rejected under ``--strict``."""

    def __init__(self, file: str, message: str, line: int | None = None, hint: str = "") -> None:
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """``FILE[:LINE]: message (hint)``, the message and hint in ``lang`` (en, ja)."""
        from aical.messages import render

        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {render(self.message, lang)}"
        if not self.hint:
            return text
        hint = render(self.hint, lang)
        return f"{text}（{hint}）" if lang == "ja" else f"{text} ({hint})"
