"""Schedules: an edition's draft and published timetables, solving them (in a background
job), publishing, and repairing the published one as its inputs change (the planner)."""
