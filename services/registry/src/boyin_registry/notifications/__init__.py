"""Notifications: people learn by e-mail (or another channel) of what concerns them."""
