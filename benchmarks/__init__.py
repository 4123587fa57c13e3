"""Benchmarks: scripts that measure and record (`python -m benchmarks.<name>`); not timed tests.

Each writes `benchmarks/results/<name>.{csv,md}` with the command, date, machine and versions that
produced it (see `benchmarks.provenance`). `benchmarks/README.md` lists them all.
"""
