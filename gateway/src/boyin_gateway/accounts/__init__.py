"""Accounts of people who use the platform: sign-up, sign-in, tokens, roles.

Identity is the gateway's own concern (not business data): it authenticates people and
passes a signed internal identity to the services on every call.
"""
