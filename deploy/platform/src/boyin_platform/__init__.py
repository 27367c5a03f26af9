"""boyin-platform."""
