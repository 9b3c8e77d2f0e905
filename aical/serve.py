"""Serve a build folder over HTTP the way a static feed host does: read-only, GET and HEAD.

What a calendar client needs from a feed host, and nothing more:

- Content types by suffix (``text/calendar; charset=utf-8`` for .ics, RFC 5545 §8.1).
- Revalidation (RFC 7232): a strong ``ETag`` from the content and ``Last-Modified`` from the
  file's mtime; ``If-None-Match`` (weak comparison, §3.2) takes precedence over
  ``If-Modified-Since`` (§3.3, §6) and either answers 304 on a match.
- ``Cache-Control: max-age=300``: subscribers poll, and a build can land at any time.

Nothing outside the root is ever read: the request path is percent-decoded exactly once,
split into segments, and refused if any segment is ``.``/``..``/hidden or holds a backslash,
NUL or control character; the real path (symlinks resolved) must then lie inside the real
root. Refusals are 404 (400 for a path that cannot be decoded); folders are never listed.

The root is resolved per request, so ``aical build`` swapping the folder in by rename while
the server runs is picked up at once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.client
import http.server
import os
import re
import socket
import stat
import sys
import threading
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from aical.errors import InputError
from aical.messages import msg

CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
    # With nosniff, a stylesheet or script served as octet-stream is refused by browsers.
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
DEFAULT_TYPE = "application/octet-stream"
CACHE_CONTROL = "max-age=300"
ALLOW = "GET, HEAD"

# One entity tag, found left to right with re.finditer: each character is looked at a
# bounded number of times, so the scan is linear. (The previous pattern began with \s* and
# was retried at every position of a run of spaces: quadratic, 31 s for 60 KB of header,
# while it held the interpreter lock for every client.)
_ENTITY_TAG = re.compile(r'(?:W/)?("[^"]*")')

#: Limits on what a client may send before it is answered (README, "Limits and failure").
MAX_LINE = 8 * 1024          # the request line and each header line, in bytes
MAX_HEADERS = 32 * 1024      # all header lines together
MAX_CONNECTIONS = 64         # open connections; one more is answered 503 and closed
REQUEST_SECONDS = 10         # to send the request line and headers, however slowly
_UNSAFE_CHAR = re.compile(r"[\x00-\x1f\x7f\\]")


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class BadRequest(ValueError):
    """A request path that cannot be decoded (answered 400)."""


def request_segments(target: str) -> list[str] | None:
    """The path segments a request target names, or None when it must not be served.

    Decodes percent-escapes exactly once (RFC 3986 §2.4), so ``%252e`` stays the literal
    name ``%2e`` and ``%2f`` becomes a separator that is then checked like any other.
    Query and fragment are ignored. A trailing slash leaves a last empty segment (the path
    names a folder); ``[""]`` is the root itself. Raises :class:`BadRequest` for a target
    that is not a path, not UTF-8 once decoded, or holds a backslash or control character.
    """
    if not target.startswith("/"):
        parts = urlsplit(target)  # absolute-form, RFC 7230 §5.3.2
        if parts.scheme.lower() not in {"http", "https"} or not parts.path.startswith("/"):
            raise BadRequest(f"not a path: {target!r}")
        target = parts.path
    path = target.split("#", 1)[0].split("?", 1)[0]
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("path is not UTF-8") from None
    if _UNSAFE_CHAR.search(decoded):
        raise BadRequest("path holds a backslash or control character")
    segments = decoded[1:].split("/")
    *inner, last = segments
    if any(not s or s.startswith(".") for s in inner) or last.startswith("."):
        return None  # "//", ".", "..", and hidden files such as the build lock
    return segments


def resolve_file(root: str | Path, segments: list[str]) -> str | None:
    """The real path of the regular file ``segments`` names inside ``root``, or None.

    A folder stands for its index.html; a path with a trailing slash (last segment empty)
    must be a folder. Symlinks are followed only where the result stays inside the real
    root; anything else (missing, outside, a folder without index, a device) is None.
    """
    real_root = os.path.realpath(root)
    prefix = real_root.rstrip(os.sep) + os.sep

    def inside(path: str) -> bool:
        return path == real_root or path.startswith(prefix)

    candidate = os.path.realpath(os.path.join(real_root, *segments))
    if not inside(candidate):
        return None
    if os.path.isdir(candidate):
        candidate = os.path.realpath(os.path.join(candidate, "index.html"))
        if not inside(candidate):
            return None
    elif segments and segments[-1] == "":
        return None
    return candidate if os.path.isfile(candidate) else None


def entity_tag(data: bytes) -> str:
    """A strong entity tag (RFC 7232 §2.3): the quoted first 32 hex digits of SHA-256."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def not_modified(headers, etag: str, mtime: int) -> bool:
    """Whether a GET/HEAD with these request headers is answered 304 (RFC 7232 §6).

    If-None-Match, when present, decides alone, by weak comparison (§3.2; ``*`` matches any
    current file). Otherwise If-Modified-Since matches when the file is not newer than it;
    an unparseable date is ignored (§3.3).
    """
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        return any(m[1] == etag for m in _ENTITY_TAG.finditer(if_none_match))
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.timezone.utc)
    return mtime <= since.timestamp()


def _printable(text: str) -> str:
    """A request line as it may be logged: control characters escaped, so a client cannot
    write terminal escapes into the operator's log."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class _HeaderTooLarge(http.client.LineTooLong):
    """A header line or the whole header over its limit (answered 431)."""


class _FoldedHeader(Exception):
    """A header line continued on the next (obs-fold, RFC 7230 §3.2.4): answered 400."""


class _SlowRequest(Exception):
    """The client took longer than REQUEST_SECONDS to send its headers (answered 408)."""


class _LimitedHeaders:
    """The request stream as http.client.parse_headers reads it (``readline`` only), with
    aical's limits: MAX_LINE a line, MAX_HEADERS in all, no folded lines, and the whole
    header within the request's deadline."""

    def __init__(self, stream, connection, deadline: float) -> None:
        self._stream, self._connection, self._deadline = stream, connection, deadline
        self._total = 0

    def readline(self, size: int = -1) -> bytes:
        import time

        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _SlowRequest
        self._connection.settimeout(left)
        try:
            line = self._stream.readline(MAX_LINE + 1)
        except (TimeoutError, socket.timeout):
            raise _SlowRequest from None
        self._total += len(line)
        if len(line) > MAX_LINE:
            raise _HeaderTooLarge(f"header line over {MAX_LINE} bytes")
        if self._total > MAX_HEADERS:
            raise _HeaderTooLarge(f"headers over {MAX_HEADERS} bytes")
        if line[:1] in (b" ", b"\t"):
            raise _FoldedHeader
        return line


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD over the server's root; every other method is 405."""

    server: "_Server"
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection does not hold a thread for ever

    def version_string(self) -> str:
        return "aical"

    def parse_request(self) -> bool:
        """The base class's parsing, under aical's limits on the request line and headers
        (414, 431, 400 for a folded line, 408 for a client too slow to send them)."""
        import time

        if len(self.raw_requestline) > MAX_LINE:
            self.requestline, self.command = "", None
            self.request_version = "HTTP/1.1"
            self.send_error(414, "request line too long")
            return False
        stream = self.rfile
        self.rfile = _LimitedHeaders(stream, self.connection,
                                     time.monotonic() + REQUEST_SECONDS)
        try:
            return super().parse_request()
        except _FoldedHeader:
            self.send_error(400, "folded header lines are not accepted")
            return False
        except _SlowRequest:
            self.send_error(408, "request timeout")
            return False
        finally:
            self.rfile = stream
            self.connection.settimeout(self.timeout)

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def __getattr__(self, name: str):
        # BaseHTTPRequestHandler dispatches to do_<METHOD>; any method it cannot find is
        # answered 405 with Allow (RFC 7231 §6.5.5) rather than 501.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _method_not_allowed(self) -> None:
        self.close_connection = True  # its body, if any, was not read
        self._send(405, "method not allowed", extra={"Allow": ALLOW})

    def _serve(self, *, body: bool) -> None:
        if self.headers.get("Content-Length", "0").strip() not in {"", "0"} \
                or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # an unread request body would poison the stream
        try:
            segments = request_segments(self.path)
        except BadRequest:
            self._send(400, "bad request", body=body)
            return
        path = None if segments is None else resolve_file(self.server.root, segments)
        if path is None:
            self._send(404, "not found", body=body)
            return
        try:
            # O_NOFOLLOW: the last component cannot have become a symlink since it was checked.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise IsADirectoryError(path)
                data = handle.read()
        except OSError:
            self._send(404, "not found", body=body)
            return
        etag = entity_tag(data)
        mtime = int(info.st_mtime)
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
        if not_modified(self.headers, etag, mtime):
            self._send(304, b"", body=False, extra=headers, length=False)
            return
        headers["Last-Modified"] = email.utils.formatdate(mtime, usegmt=True)
        content_type = CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), DEFAULT_TYPE)
        self._send(200, data, body=body, content_type=content_type, extra=headers)

    def _send(self, code: int, content: bytes | str, *, body: bool = True,
              content_type: str = "text/plain; charset=utf-8", extra: dict | None = None,
              length: bool = True) -> None:
        if isinstance(content, str):
            content = (content + "\n").encode("utf-8")
        self.send_response_only(code)
        self.send_header("Date", self.date_time_string())
        self.send_header("Server", self.version_string())
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        sent = 0
        if body and code != 304:
            self.wfile.write(content)
            sent = len(content)
        self.server.log(f"{self.client_address[0]} {_printable(self.command or '-')} "
                        f"{_printable(getattr(self, 'path', '') or '-')} {code} {sent} bytes")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        # Used by the base class for request lines it cannot parse (400, 414, 505).
        self.close_connection = True
        self._send(int(code), message or self.responses.get(code, ("error",))[0],
                   body=self.command != "HEAD")

    def log_request(self, code="-", size="-") -> None:
        pass  # _send logs one line per response, with the bytes actually sent

    def log_message(self, format: str, *args) -> None:
        self.server.log(f"{self.client_address[0]} {_printable(format % args)}")


class _Server(http.server.ThreadingHTTPServer):
    root: Path
    log: object

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up with getfqdn (reverse DNS); skip it.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = host, port

    def process_request(self, request, client_address) -> None:
        # A bounded number of connections: each holds a thread, so without a bound a
        # client opening thousands would starve the others (or the machine).
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\nRetry-After: 5\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        self.log(f"{client_address[0]} connection error: {type(error).__name__}: {error}")


class _Server6(_Server):
    address_family = socket.AF_INET6


def make_server(root: str | Path, host: str = "127.0.0.1", port: int = 8000, *,
                log=_stderr) -> http.server.ThreadingHTTPServer:
    """A bound, not yet running, threading HTTP server over the build folder ``root``.

    Port 0 picks a free port (``server.server_address[1]``). ``log`` receives one line per
    response: ``127.0.0.1 GET /all.ics 200 60009 bytes``. Raises :class:`InputError` for a
    missing root or an address that cannot be listened on.
    """
    root = Path(root)
    if not root.is_dir():
        if root.exists():
            raise InputError(str(root), msg("serve.not_a_folder"), hint=msg("serve.hint_give_build"))
        raise InputError(str(root), msg("serve.no_such_folder"), hint=msg("serve.hint_build_first"))
    server_class = _Server6 if ":" in host else _Server
    try:
        server = server_class((host, port), _Handler)
    except socket.gaierror as error:
        raise InputError(host, msg("serve.unknown_host", reason=str(error.strerror)),
                         hint=msg("serve.hint_address")) from None
    except OSError as error:
        raise InputError(f"{host}:{port}", msg("serve.cannot_listen",
                                               reason=str(error.strerror or error)),
                         hint=msg("serve.hint_port")) from None
    server.root = root
    server.log = log
    server._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
    return server


def serve(root: str | Path, host: str = "127.0.0.1", port: int = 8000, *,
          log=_stderr) -> None:
    """Serve ``root`` until Ctrl-C, which stops it with one line and no traceback."""
    server = make_server(root, host, port, log=log)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    log(f"Serving {root} at http://{shown}:{bound_port}/ (Ctrl-C to stop)")
    if not _is_loopback(bound_host):
        log(f"note: {bound_host} is reachable from other machines")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log("Stopped.")
    finally:
        server.server_close()


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
