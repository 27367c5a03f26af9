"""Agreements: from an intention (after a mutual match, a meeting held, or started by hand)
through negotiation, drafting and every party's signature to implementation, milestones
and landing, or termination; and the roster of a signing ceremony."""
