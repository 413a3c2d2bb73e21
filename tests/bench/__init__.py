"""The performance benchmark: taskctl against the Python floor (`python -m tests.bench`).

Not a test suite: nothing here is collected by pytest (no file is named `test_*`).
`tests/test_bench_smoke.py` runs it at the smallest size so that CI keeps it working.
"""
