"""Forked helper processes: the build's use of a machine's other cores (issue 10: a 45 MB
report in 2 minutes on two cores).

Three places fork, all on Linux only and all from a process with no other thread (a
thread could hold a lock the child would wait for forever):

- :func:`map_forked` reads and extracts input files in worker processes
  (:func:`aical.reports.read_inputs`). Each worker sends its file's report pickled, so
  this process holds only the compact result, never the garbage extraction leaves in its
  memory: a 45 MB report leaves 780 MB resident for about 300 MB of events.
- :func:`stream_forked` makes a lone big report's outline in a helper while this process
  (or the worker reading it) runs the recognisers and the builder over its items.
- :class:`aical.publish.site._Writer` writes the pages while this process writes the feeds.

A worker dies with this process (:func:`die_with`) and ignores Ctrl-C, which reaches the
whole process group: this process alone stops, quietly, and ends its workers.
"""

from __future__ import annotations

import os
import sys


def die_with(parent: int) -> None:
    """Have the kernel end this (forked) process when ``parent`` ends (Linux prctl
    PR_SET_PDEATHSIG), so a killed build leaves no helper behind."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def can_fork() -> bool:
    """Forking is safe here: Linux, and no other thread in this process."""
    import threading

    return sys.platform.startswith("linux") and hasattr(os, "fork") \
        and threading.active_count() == 1


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resident_mb() -> float:
    """This process's resident memory in MB (Linux /proc), or infinity if unknown."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("inf")


def map_forked(function, items, processes: int) -> list:
    """``function`` over ``items`` in ``processes`` forked workers (worker k takes items k,
    k + processes …), the results in the order of ``items``. What ``function`` raises is
    raised here, for the first item that failed. Where no temporary file can be made for
    the results, this process calls ``function`` itself.

    Each worker pickles its results into a file of its own (unlinked: nothing is left on
    disk) and ends; only then are they read back here. So the two never hold a result at
    once: a worker that extracted a 45 MB report holds 1 GB (its garbage and the pickle's
    memo), and this process then the 300 MB of the result alone. multiprocessing's pool
    sends a result while its worker lives on: 1.5 GB for the two at 45 MB.
    """
    import pickle
    import signal
    import tempfile

    items = list(items)
    processes = max(1, min(processes, len(items)))
    parent = os.getpid()
    spools = []
    try:
        for _ in range(processes):
            spools.append(tempfile.TemporaryFile())
    except OSError:  # no room for the results (a full or read-only temporary folder)
        for spool in spools:
            spool.close()
        return [function(item) for item in items]  # this process reads them, as without
    workers: list[tuple[int | None, object]] = []  # (pid, the file it writes)
    try:
        for k, spool in enumerate(spools):
            pid = os.fork()
            if pid == 0:  # the worker: never returns, never runs the parent's cleanup
                status = 0
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops alone
                    die_with(parent)
                    with open(spool.fileno(), "wb", closefd=False) as out:
                        for item in items[k::processes]:
                            try:
                                pickle.dump((True, function(item)), out, pickle.HIGHEST_PROTOCOL)
                                out.flush()  # on disk whole, should the next item kill it
                            except Exception as error:  # noqa: BLE001 — raised in the parent
                                pickle.dump((False, portable(error)), out)
                                break
                except BaseException:  # noqa: BLE001 — a full disk: told by a missing result
                    status = 1
                finally:
                    os._exit(status)
            workers.append((pid, spool))
        outcomes: list[list[tuple]] = []
        for k, (pid, spool) in enumerate(workers):
            os.waitpid(pid, 0)
            workers[k] = (None, spool)
            spool.seek(0)
            mine = []
            for index in range(k, len(items), processes):
                try:
                    mine.append(pickle.load(spool))
                except Exception:  # noqa: BLE001 — EOF or a torn result: the worker died
                    mine.append((False, WorkerDied(index)))
                if not mine[-1][0]:
                    break
            outcomes.append(mine)
    finally:
        _end(workers, spools)
    results = []
    for index in range(len(items)):
        ok, value = outcomes[index % processes][index // processes]
        if not ok:
            raise value
        results.append(value)
    return results


#: What a pipe between a helper and this process holds (Linux's default most a user may
#: ask): about 3,000 of an outline's items.
PIPE_BYTES = 1 << 20


def stream_forked(make, batch: int = 500, after=None):
    """The parts of the iterator ``make()`` returns, made in a forked helper while this
    process reads them: the two halves of one document's extraction on two cores
    (:func:`aical.extract.extract_document`'s ``outline_in``). They come in the order
    made, pickled in batches of ``batch`` through a pipe (the helper waits while the pipe
    is full, so neither holds more than a few batches in transit). What ``make`` raises is
    raised here; a helper that dies is a :class:`WorkerDied`.

    ``after``, when given, is called in the helper once every part is sent, while this
    process goes on with them: the iterator then returns a :class:`Pending` (``pending =
    yield from stream_forked(…)``), whose ``result()`` waits for what ``after`` returned;
    without ``after`` it returns None."""
    import pickle
    import signal

    parent = os.getpid()
    reading, writing = os.pipe()
    try:  # room for a few batches, so neither process waits for the other at every batch
        import fcntl

        fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass
    pid = os.fork()
    if pid == 0:  # the helper: never returns, never runs the parent's cleanup
        status = 0
        try:
            os.close(reading)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops alone
            die_with(parent)
            with open(writing, "wb", buffering=1 << 16) as out:
                try:
                    parts = []
                    for part in make():
                        parts.append(part)
                        if len(parts) >= batch:
                            pickle.dump((True, parts), out, pickle.HIGHEST_PROTOCOL)
                            parts = []
                    pickle.dump((True, parts), out, pickle.HIGHEST_PROTOCOL)
                    pickle.dump((None, after is not None), out)  # the parts' end
                    if after is not None:
                        out.flush()  # the reader goes on while ``after`` runs
                        pickle.dump((True, after()), out, pickle.HIGHEST_PROTOCOL)
                except Exception as error:  # noqa: BLE001 — raised in the parent
                    pickle.dump((False, portable(error)), out)
        except BaseException:  # noqa: BLE001 — a closed pipe: the parent stopped reading
            status = 1
        finally:
            os._exit(status)
    os.close(writing)
    return _received(pid, open(reading, "rb", buffering=1 << 20))


def _received(pid: int, source):
    """What :func:`stream_forked`'s helper ``pid`` sends through ``source``, returning a
    :class:`Pending` for its ``after`` (or None); the helper is ended and waited for however
    the reading ends, or by the Pending."""
    pending = None
    try:
        while True:
            ok, value = _next_message(source)
            if ok is None:  # the parts' end
                if value:
                    pending = Pending(pid, source)
                return pending
            if not ok:
                raise value
            yield from value
    finally:
        if pending is None:
            source.close()
            _end([(pid, None)], [])


def _next_message(source) -> tuple:
    import pickle

    try:
        return pickle.load(source)
    except Exception:  # noqa: BLE001 — EOF or a torn message: the helper died
        raise WorkerDied(0) from None


class Pending:
    """What a :func:`stream_forked` helper's ``after`` makes once the parts are sent."""

    def __init__(self, pid: int, source) -> None:
        self._pid, self._source = pid, source

    def result(self):
        """Wait for it; raise what ``after`` raised (:class:`WorkerDied` if the helper
        died). The helper is ended either way."""
        try:
            ok, value = _next_message(self._source)
            if not ok:
                raise value
            return value
        finally:
            self.close()

    def close(self) -> None:
        """End the helper without waiting for the result (again: nothing)."""
        if self._source is not None:
            self._source.close()
            self._source = None
            _end([(self._pid, None)], [])


class WorkerDied(RuntimeError):
    """A worker ended (killed, out of memory) before it sent the result of ``items[index]``."""

    def __init__(self, index: int) -> None:
        super().__init__(f"a worker ended without the result of item {index}")
        self.index = index


def portable(error: BaseException) -> BaseException:
    """``error`` as it can travel back through a pickle (else a RuntimeError saying it)."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")


def _end(workers, spools) -> None:
    """End the workers that still run, wait for them, and close the files."""
    import signal

    for pid, _ in workers:
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    for spool in spools:
        spool.close()


__all__ = ["Pending", "WorkerDied", "can_fork", "cores", "die_with", "map_forked", "portable",
           "resident_mb", "stream_forked"]
