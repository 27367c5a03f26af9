"""Scheduling's aggregates as plain frozen data with their rules (no I/O).

* ``editions``: a fair edition, its day grid, rooms and tables, DRAFT → OPEN → CLOSED;
* ``sessions``: agenda sessions with presenters, capacity, sign-ups and a waiting list;
* ``attendance``: one participant's presence at an edition (availability, mode, tokens);
* ``meetings``: one-on-one meeting requests, answers, places and outcomes;
* ``schedules``: an edition's draft and published timetables.
"""
