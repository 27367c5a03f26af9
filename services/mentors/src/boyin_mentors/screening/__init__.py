"""Screening: submitted project-cooperation demands routed to mentors, blind reviews
against the rubric, their aggregation, and deadlines."""
