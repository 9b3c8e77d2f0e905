"""`make bench`: every benchmark, printing aical's numbers beside its peers' from this run."""

from __future__ import annotations

import sys

from bench.baseline import bench_baseline
from bench.build import bench_build
from bench.formats import bench_formats
from bench.parse import bench_parse, bench_startup
from bench.pdf import bench_pdf
from bench.scaling import bench_scaling
from bench.size import bench_size


def main(argv: list[str]) -> None:
    wanted = set(argv) or {"parse", "startup", "build", "formats", "pdf", "scaling", "baseline",
                           "size"}
    if "parse" in wanted:
        bench_parse()
    if "startup" in wanted:
        bench_startup()
    if "build" in wanted:
        bench_build()
    if "formats" in wanted:
        bench_formats()
    if "pdf" in wanted:
        bench_pdf()
    if "scaling" in wanted:
        bench_scaling()
    if "baseline" in wanted:
        bench_baseline()
    if "size" in wanted:
        bench_size()


main(sys.argv[1:])
