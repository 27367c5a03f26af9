"""Feedback: meeting outcomes, mentors' screening and signed agreements, fused into the
ranking."""
