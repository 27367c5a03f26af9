"""The registry's domain: plain Python, no I/O."""
