"""`make bench`: every benchmark, printing aical's numbers beside its peers' from this run."""

from __future__ import annotations

import sys

from bench.parse import bench_parse, bench_startup


def main(argv: list[str]) -> None:
    wanted = set(argv) or {"parse", "startup"}
    if "parse" in wanted:
        bench_parse()
    if "startup" in wanted:
        bench_startup()


main(sys.argv[1:])
