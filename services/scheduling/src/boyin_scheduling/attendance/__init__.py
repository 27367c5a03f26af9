"""Attendance: one participant at one edition (on site or online, availability, check-in,
the secret calendar token), and their agenda as data and as a calendar feed."""
