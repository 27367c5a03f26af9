"""Consultations: a talent books a mentor in one of scheduling's slots that falls in the
mentor's office hours; the mentor records whether it was held and guidance notes."""
