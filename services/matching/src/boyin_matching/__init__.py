"""boyin-matching."""
