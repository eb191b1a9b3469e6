"""Benchmarks (`make bench`): measured figures, printed; never timed tests."""
