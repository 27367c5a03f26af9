"""boyin-registry."""
