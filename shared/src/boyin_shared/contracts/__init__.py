"""Event contracts: one module per publishing service.

Importing this package registers every event in :data:`boyin_shared.events.CATALOG`.
"""

from boyin_shared.contracts import agreements, matching, mentors, registry, scheduling

__all__ = ["agreements", "matching", "mentors", "registry", "scheduling"]
