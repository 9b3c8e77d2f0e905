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

    def __reduce__(self):
        # rebuilt from its parts when it comes back from a worker process (its args hold
        # only the English line)
        return (type(self), (self.file, self.message, self.line, self.hint))

    @classmethod
    def from_os(cls, error: OSError, path: str | None = None) -> "InputError":
        """What a person should hear when the operating system refuses ``path`` (default:
        the error's own file name): the path, what happened, and what to do."""
        from aical.messages import msg
        from aical.publish.hygiene import shown_name

        name = path if path is not None else error.filename
        if name is None:
            name = "(?)"
        reason, hint = _os_reasons().get(error.errno or 0, (None, ""))
        if reason is None:
            reason = msg("cli.os_other", reason=(error.strerror or str(error)).lower())
        if path is not None and error.filename not in (None, path):
            reason = msg("cli.os_detail", reason=reason, file=shown_name(error.filename))
        return cls(str(name), reason, hint=hint)

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """``FILE[:LINE]: message (hint)``, the message and hint in ``lang`` (en, ja). The
        file name is shown by :func:`aical.publish.hygiene.shown_name`: any bytes, safely."""
        from aical.messages import render
        from aical.publish.hygiene import shown_name

        shown = shown_name(self.file)
        where = f"{shown}:{self.line}" if self.line else shown
        text = f"{where}: {render(self.message, lang)}"
        if not self.hint:
            return text
        hint = render(self.hint, lang)
        return f"{text}（{hint}）" if lang == "ja" else f"{text} ({hint})"


def _os_reasons() -> dict:
    """errno → (what happened, what to do), for :meth:`InputError.from_os`."""
    import errno

    from aical.messages import msg

    full = (msg("cli.os_full"), msg("cli.os_full.hint"))
    denied = (msg("cli.os_denied"), msg("cli.os_denied.hint"))
    table = {
        errno.ENOSPC: full,
        errno.EACCES: denied,
        errno.EPERM: denied,
        errno.ENAMETOOLONG: (msg("cli.os_too_long"), msg("cli.os_too_long.hint")),
        errno.ENOTDIR: (msg("cli.os_not_a_folder"), msg("cli.os_not_a_folder.hint")),
        errno.ENOENT: (msg("cli.os_missing"), msg("cli.os_missing.hint")),
        errno.EROFS: (msg("cli.os_read_only"), msg("cli.os_denied.hint")),
        errno.EBUSY: (msg("cli.os_busy"), msg("cli.os_busy.hint")),
        errno.ELOOP: (msg("cli.os_loop"), msg("cli.os_loop.hint")),
        errno.EEXIST: (msg("cli.os_exists"), msg("cli.os_exists.hint")),
        errno.EISDIR: (msg("cli.os_is_folder"), msg("cli.os_is_folder.hint")),
        errno.EXDEV: (msg("cli.os_other_disk"), msg("cli.os_other_disk.hint")),
        errno.EIO: (msg("cli.os_io"), msg("cli.os_io.hint")),
    }
    if hasattr(errno, "EDQUOT"):
        table[errno.EDQUOT] = (msg("cli.os_quota"), full[1])
    return table
