"""Event contracts: one module per publishing service.

Importing this package registers every event in :data:`boyin_shared.events.CATALOG`.
"""

from boyin_shared.contracts import matching, registry, scheduling

__all__ = ["matching", "registry", "scheduling"]
