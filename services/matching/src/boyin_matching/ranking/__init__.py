"""Matching's ranking library: profiles, signals, fusion, finishing, explanations,
exposure. Plain Python and numpy, no I/O."""
