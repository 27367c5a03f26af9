"""Proposed matches: the aggregate, its answers and reviews, and the HTTP API of matches."""
