"""Editions: a fair edition, its days and derived slot grid, rooms and numbered tables,
DRAFT → OPEN → CLOSED."""
