"""Forked helper processes: the build's use of a machine's other cores (issue 10: a 45 MB
report in 2 minutes on two cores).

Two places fork, both on Linux only and both from a process with no other thread (a
thread could hold a lock the child would wait for forever):

- :func:`map_forked` reads and extracts input files in worker processes
  (:func:`aical.reports.read_inputs`). Each worker returns its file's report pickled, so
  this process holds only the compact result, never the garbage extraction leaves in its
  memory: a 45 MB report leaves 780 MB resident for 250 MB of events.
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


def _start_worker(parent: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops, and ends the workers
    die_with(parent)


def map_forked(function, items, processes: int):
    """``function`` over ``items`` in ``processes`` forked workers, the results in the
    order of ``items`` as each is ready. ``function`` must be a module's (it is sent by
    name); what it raises is raised here, for the first item that failed."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        yield from pool.imap(function, items)


__all__ = ["can_fork", "cores", "die_with", "map_forked", "resident_mb"]
