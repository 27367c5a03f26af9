"""boyin-agreements."""
