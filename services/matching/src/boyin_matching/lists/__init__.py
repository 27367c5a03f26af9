"""Ranked lists: each demand's list of proposals, and the rematch job that rewrites them."""
