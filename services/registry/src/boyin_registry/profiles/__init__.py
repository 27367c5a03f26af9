"""Profiles: the organisations and talents that register, and who may see them."""
