"""Parties: scheduling's own copy of the registry's talents and organisations (names,
time zones, countries), kept from the registry's events."""
