"""aical serve over real HTTP on loopback: content types, revalidation (RFC 7232), methods,
and that nothing outside the root is ever served.

The folder served is a real build of the sample (aical.publish.site); truth comes from the files on
disk, icalendar's parser and email.utils, not from the server's own helpers.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from aical.errors import InputError
from aical.serve import make_server
from conftest import ROOT, interruptible

SECRET = "TOP-SECRET-4f1c9a: this file lies beside the root and must never be served"
TIMEOUT = 5

EXPECTED_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
    ".bin": "application/octet-stream",
}


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    """A build of the sample, plus bait outside it: a secret beside the root, symlinks from
    inside the root to it, and a PNG and an unknown-suffix file inside."""
    from aical.publish.site import render_site, write_site
    from aical.reports import expand_inputs, read_inputs

    base = tmp_path_factory.mktemp("serve")
    inputs = read_inputs(expand_inputs([ROOT / "samples"]))
    site = render_site(inputs, stamp=dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc))
    root = base / "build"
    write_site(site.files, root)
    (base / "secret.txt").write_text(SECRET, encoding="utf-8")
    (base / "secret.ics").write_text(SECRET, encoding="utf-8")
    os.symlink(base / "secret.txt", root / "leak.txt")
    os.symlink("../../secret.ics", root / "bodies" / "leak.ics")
    os.symlink(base, root / "outside")
    os.symlink(root / "all.ics", root / "alias.ics")  # inside: allowed
    (root / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    (root / "blob.bin").write_bytes(b"\x00\x01")
    (root / "empty").mkdir()
    return root


@pytest.fixture(scope="module")
def server(build):
    """The server on 127.0.0.1, a free port, in a thread; its log lines in ``.lines``."""
    lines: list[str] = []
    httpd = make_server(build, "127.0.0.1", 0, log=lines.append)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    httpd.lines = lines
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(TIMEOUT)
    assert not thread.is_alive()


def request(server, path: str, method: str = "GET", headers: dict | None = None,
            body: bytes | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def raw_request(server, request_line: bytes) -> bytes:
    """Send bytes http.client would refuse to send (NUL, spaces) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", server.server_address[1]),
                                  timeout=TIMEOUT) as sock:
        sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def served_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
                  and "outside" not in p.relative_to(root).parts)


# ------------------------------------------------------------------ what a build holds


def test_every_built_file_is_served_byte_for_byte_with_its_type(server, build):
    files = served_files(build)
    assert {p.relative_to(build).as_posix() for p in files} >= {
        "index.html", "fy2020.html", "all.ics", "events.json", "events.csv", "manifest.json"}
    assert any(p.parent.name == "bodies" and p.suffix == ".ics" for p in files)
    for path in files:
        status, headers, body = request(server, "/" + path.relative_to(build).as_posix())
        assert status == 200, path
        assert body == path.read_bytes(), path
        assert headers["Content-Type"] == EXPECTED_TYPES[path.suffix], path
        assert int(headers["Content-Length"]) == path.stat().st_size
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "max-age=300"


def test_root_is_index_html(server, build):
    status, headers, body = request(server, "/")
    assert status == 200
    assert body == (build / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_ics_parses_and_json_matches_manifest(server, build):
    from icalendar import Calendar

    status, _, body = request(server, "/all.ics")
    assert status == 200 and body == (build / "all.ics").read_bytes()
    calendar = Calendar.from_ical(body)
    manifest = json.loads(request(server, "/manifest.json")[2])
    assert len(calendar.walk("VEVENT")) == manifest["events"] == 84
    for body_entry in manifest["bodies"]:
        status, headers, feed = request(server, "/" + body_entry["feed"])
        assert status == 200 and headers["Content-Type"].startswith("text/calendar")
        assert len(Calendar.from_ical(feed).walk("VEVENT")) == body_entry["events"]


def test_percent_encoded_ordinary_names_are_decoded_once(server, build):
    status, _, body = request(server, "/%61ll.ics?subscriber=1")
    assert status == 200 and body == (build / "all.ics").read_bytes()
    assert request(server, "/all.ics#fragment")[0] == 200


def test_symlinks_that_resolve_inside_the_root_are_served(server, build):
    for path in ("/alias.ics", "/outside/build/all.ics"):
        status, _, body = request(server, path)
        assert status == 200 and body == (build / "all.ics").read_bytes(), path


def test_no_folder_listing(server):
    for path in ("/bodies", "/bodies/", "/empty/", "/nope.ics", "/all.ics/"):
        assert request(server, path)[0] == 404, path


# ------------------------------------------------------------------ revalidation


def test_etag_and_last_modified(server, build):
    _, headers, _ = request(server, "/all.ics")
    etag = headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    modified = email.utils.parsedate_to_datetime(headers["Last-Modified"])
    assert headers["Last-Modified"].endswith(" GMT")
    assert modified.timestamp() == int((build / "all.ics").stat().st_mtime)
    other = request(server, "/events.json")[1]["ETag"]
    assert other != etag
    assert request(server, "/all.ics")[1]["ETag"] == etag  # stable


def test_etag_follows_the_content(server, build):
    path = build / "changing.ics"
    path.write_bytes(b"one")
    first = request(server, "/changing.ics")[1]["ETag"]
    path.write_bytes(b"two")
    second = request(server, "/changing.ics")
    assert second[2] == b"two" and second[1]["ETag"] != first
    assert request(server, "/changing.ics", headers={"If-None-Match": first})[0] == 200
    path.unlink()


def test_if_none_match_304(server):
    _, headers, _ = request(server, "/all.ics")
    etag = headers["ETag"]
    for value in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        status, answer, body = request(server, "/all.ics", headers={"If-None-Match": value})
        assert status == 304, value
        assert body == b""
        assert answer["ETag"] == etag
        assert answer["Cache-Control"] == "max-age=300"
    status, _, body = request(server, "/all.ics", method="HEAD", headers={"If-None-Match": etag})
    assert status == 304 and body == b""


def test_if_modified_since_304(server):
    _, headers, _ = request(server, "/all.ics")
    modified = headers["Last-Modified"]
    status, _, body = request(server, "/all.ics", headers={"If-Modified-Since": modified})
    assert status == 304 and body == b""
    later = email.utils.formatdate(
        email.utils.parsedate_to_datetime(modified).timestamp() + 3600, usegmt=True)
    assert request(server, "/all.ics", headers={"If-Modified-Since": later})[0] == 304


def test_stale_validators_get_200(server, build):
    _, headers, _ = request(server, "/all.ics")
    earlier = email.utils.formatdate(
        email.utils.parsedate_to_datetime(headers["Last-Modified"]).timestamp() - 1,
        usegmt=True)
    for extra in ({"If-None-Match": '"stale"'},
                  {"If-Modified-Since": earlier},
                  {"If-Modified-Since": "not a date"}):
        status, _, body = request(server, "/all.ics", headers=extra)
        assert status == 200, extra
        assert body == (build / "all.ics").read_bytes()


def test_if_none_match_takes_precedence(server):
    _, headers, _ = request(server, "/all.ics")
    status, _, _ = request(server, "/all.ics", headers={
        "If-None-Match": '"stale"', "If-Modified-Since": headers["Last-Modified"]})
    assert status == 200  # RFC 7232 §6: If-Modified-Since is ignored when INM is present


# ------------------------------------------------------------------ methods


def test_head_has_headers_and_no_body(server, build):
    status, head, body = request(server, "/all.ics", method="HEAD")
    _, get, _ = request(server, "/all.ics")
    assert status == 200 and body == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control"):
        assert head[name] == get[name], name
    assert int(head["Content-Length"]) == (build / "all.ics").stat().st_size


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"])
def test_other_methods_are_405(server, build, method):
    before = (build / "all.ics").read_bytes()
    status, headers, _ = request(server, "/all.ics", method=method, body=b"x=1")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert (build / "all.ics").read_bytes() == before


def test_keep_alive_serves_several_requests(server, build):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=TIMEOUT)
    statuses = []
    try:
        for path in ("/all.ics", "/nope", "/events.json"):
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            statuses.append(response.status)
            if response.status == 200:
                assert body == (build / path.lstrip("/")).read_bytes()
        assert statuses == [200, 404, 200]
    finally:
        conn.close()


# ------------------------------------------------------------------ nothing outside the root

TRAVERSALS = [
    "/../secret.txt",
    "/bodies/../../secret.txt",
    "/bodies/../../etc/passwd",
    "/%2e%2e/secret.txt",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/..%2f..%2fetc/passwd",
    "/bodies%2f..%2f..%2fsecret.txt",
    "/bodies%2f..%2f..%2fsecret",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..\\secret.txt",
    "/..%5csecret.txt",
    "/bodies\\..\\..\\secret.txt",
    "/secret.txt%00.ics",
    "/%00",
    "/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 for "."
    "/%ff",
    "//etc/passwd",
    "///secret.txt",
    "/etc/passwd",
    "/./secret.txt",
    "/leak.txt",
    "/bodies/leak.ics",
    "/outside/secret.txt",
    "/outside/",
    "/.build.lock",
    "http://127.0.0.1/../secret.txt",
    "file:///etc/passwd",
    "secret.txt",
    "*",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused(server, build, path):
    assert not (build.parent / "secret.txt").is_relative_to(build)
    status, _, body = request(server, path)
    assert status in {400, 404}, (path, status)
    assert SECRET.encode() not in body
    assert b"root:" not in body


@pytest.mark.parametrize("line", [
    b"GET /\x00/../secret.txt HTTP/1.1",
    b"GET /../secret.txt HTTP/1.1",
    b"GET /bodies/..\x00/secret.txt HTTP/1.1",
    b"GET /\x1b[31mred HTTP/1.1",
    b"GET " + b"/a" * 40000 + b" HTTP/1.1",
    b"GARBAGE",
])
def test_malformed_request_lines_are_refused(server, line):
    answer = raw_request(server, line)
    if line == b"GARBAGE":  # read as HTTP/0.9: a bare body, no status line
        assert answer.startswith(b"Bad request")
    else:
        assert int(answer.split(b" ", 2)[1]) in {400, 404, 414}, answer[:200]
    assert SECRET.encode() not in answer


def test_log_lines(server, build):
    request(server, "/all.ics")
    request(server, "/nope.ics", method="HEAD")
    raw_request(server, b"GET /\x1b[2J HTTP/1.1")
    size = (build / "all.ics").stat().st_size
    assert f"127.0.0.1 GET /all.ics 200 {size} bytes" in server.lines
    assert "127.0.0.1 HEAD /nope.ics 404 0 bytes" in server.lines
    assert not any("\x1b" in line for line in server.lines)
    assert not any("Traceback" in line or " 500 " in line for line in server.lines)


# ------------------------------------------------------------------ starting and stopping


def test_missing_root_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        make_server(tmp_path / "build", "127.0.0.1", 0)
    assert caught.value.message == "no such folder"
    assert caught.value.hint == "run aical build first"
    assert str(caught.value).startswith(str(tmp_path / "build"))


def test_port_in_use_is_an_input_error(server, build):
    with pytest.raises(InputError) as caught:
        make_server(build, "127.0.0.1", server.server_address[1])
    assert "cannot listen" in caught.value.message


def test_serve_stops_cleanly_on_ctrl_c(build):
    code = ("import sys; from aical.serve import serve; "
            "serve(sys.argv[1], '127.0.0.1', 0)")
    process = subprocess.Popen([sys.executable, "-c", code, str(build)], cwd=ROOT,
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               preexec_fn=interruptible)
    try:
        first = process.stderr.readline()
        assert first.startswith(f"Serving {build} at http://127.0.0.1:"), first
        port = int(first.split("127.0.0.1:")[1].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.request("GET", "/all.ics")
        assert conn.getresponse().status == 200
        conn.close()
        time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(TIMEOUT)
    assert process.returncode == 0
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "Stopped."
    assert out == ""


# ------------------------------------------------------------------ hostile headers (issue 10)


def raw(server, data: bytes, timeout: float = TIMEOUT) -> bytes:
    with socket.create_connection(("127.0.0.1", server.server_address[1]),
                                  timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    return b"".join(chunks)


def timed(server, headers: bytes) -> tuple[float, bytes]:
    start = time.perf_counter()
    answer = raw(server, b"GET /all.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 + headers + b"\r\n")
    return time.perf_counter() - start, answer


def test_if_none_match_is_parsed_in_linear_time(server):
    """30 KB of spaces in If-None-Match took 8 s (a quadratic regex holding the GIL for
    every client). Within the line limit the worst case now costs about a plain request;
    the bound is a ratio to one, measured in the same run."""
    plain = min(timed(server, b"")[0] for _ in range(5))
    spaces = b"If-None-Match: " + b" " * 8000 + b"x\r\n"
    commas = b"If-None-Match: " + b'W/"a" ,' * 1000 + b"\r\n"
    for header in (spaces, commas):
        took = min(timed(server, header)[0] for _ in range(3))
        assert took < 10 * plain + 0.05, (took, plain)
    took, answer = timed(server, b"If-None-Match: " + b" " * 60_000 + b"x\r\n")
    assert answer.startswith(b"HTTP/1.1 431"), answer[:40]
    assert took < 10 * plain + 0.5, (took, plain)


def test_header_limits_answer_431_400_and_414(server):
    many = b"".join(b"X-%d: %s\r\n" % (i, b"y" * 1000) for i in range(40))  # 40 KB in all
    assert timed(server, many)[1].startswith(b"HTTP/1.1 431")
    assert timed(server, b"X-Long: " + b"y" * 9000 + b"\r\n")[1].startswith(b"HTTP/1.1 431")
    folded = b"If-None-Match: \"a\"\r\n \"b\"\r\n"
    assert timed(server, folded)[1].startswith(b"HTTP/1.1 400")
    answer = raw(server, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 414"), answer[:40]
    # and a request within the limits is still served
    assert timed(server, b"X-Fine: " + b"y" * 7000 + b"\r\n")[1].startswith(b"HTTP/1.1 200")


def test_a_slow_client_does_not_hold_up_the_others(server, monkeypatch):
    """A client that trickles its headers (slowloris) is cut off after REQUEST_SECONDS,
    and meanwhile everyone else is served at once."""
    from aical import serve as serve_module

    monkeypatch.setattr(serve_module, "REQUEST_SECONDS", 1.0)
    slow = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=TIMEOUT)
    try:
        slow.sendall(b"GET /all.ics HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        answer = b""
        while time.monotonic() - start < 5:
            assert request(server, "/all.ics")[0] == 200  # others are served meanwhile
            try:
                slow.sendall(b"X-a: b\r\n")
            except OSError:
                break
            slow.settimeout(0.2)
            try:
                answer = slow.recv(100)
                if answer:
                    break
            except (TimeoutError, socket.timeout):
                pass
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert time.monotonic() - start < 4
    finally:
        slow.close()


def test_connections_are_bounded(build, monkeypatch):
    from aical import serve as serve_module

    monkeypatch.setattr(serve_module, "MAX_CONNECTIONS", 3)
    httpd = make_server(build, "127.0.0.1", 0, log=lambda line: None)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    idle = []
    try:
        for _ in range(3):  # three clients that send nothing hold the three slots
            idle.append(socket.create_connection(("127.0.0.1", httpd.server_address[1])))
        time.sleep(0.3)
        answer = raw(httpd, b"GET /all.ics HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 503"), answer[:40]
        for sock in idle:
            sock.close()
        time.sleep(0.5)
        assert request(httpd, "/all.ics")[0] == 200  # the slots are free again
    finally:
        for sock in idle:
            sock.close()
        httpd.shutdown()
        httpd.server_close()
        thread.join(TIMEOUT)
