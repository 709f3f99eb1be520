"""Maintainers' tools, not installed with lablib: the notebook generator (`labsource`),
the benchmarks (`bench`) and the classroom benchmark (`classroom_bench`).

Run them from the repository root: `python -m tools.labsource`, `python -m tools.bench`.
"""
