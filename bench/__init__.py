"""aical's benchmarks: `make bench` (python -m bench). Ratios against peers, same run."""
