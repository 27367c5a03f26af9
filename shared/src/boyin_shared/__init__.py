"""boyin-shared."""
