"""boyin-gateway."""
