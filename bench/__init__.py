"""Benchmark: `vraagbaak bench` (see bench/run.py); measured results in bench/results.md."""
