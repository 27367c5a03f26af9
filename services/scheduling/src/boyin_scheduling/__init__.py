"""boyin-scheduling."""
