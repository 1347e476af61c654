"""Benchmarks: each module is run as `python -m bench.NAME` and writes its section of BENCHMARKS.md."""
