"""Benchmarks that print numbers (quality on the labelled set, speed on synthetic pools)."""
