"""Reference data: districts, fair editions, eligibility criteria, the privacy notice and
the industry taxonomy that operators maintain."""
