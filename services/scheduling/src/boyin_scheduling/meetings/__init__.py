"""Meetings: one-on-one meeting requests (from mutual matches, operators and
participants), their answers, places and outcomes."""
