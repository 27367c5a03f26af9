"""Mentors: recruitment (apply or invite; approve, suspend, retire) and their profiles."""
