"""The names talents and organisations are registered under, kept from the registry's
events (the ceremony roster shows the parties by name)."""
