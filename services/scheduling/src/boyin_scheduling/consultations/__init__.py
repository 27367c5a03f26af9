"""Consultations the mentors service booked for the fair's participants, as its events tell
them: scheduling owns the agenda, so the time a talent spends with a mentor is time the
planner places no meeting in."""
