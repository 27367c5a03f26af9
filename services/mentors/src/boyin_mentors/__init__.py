"""boyin-mentors."""
