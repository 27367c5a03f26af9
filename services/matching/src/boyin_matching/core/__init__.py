"""Matching's domain: profiles, signals, fusion, explanations, exposure. Plain Python and
numpy, no I/O."""
