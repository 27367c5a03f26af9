"""Event contracts: one module per publishing service.

Importing this package registers every event in :data:`boyin_shared.events.CATALOG`.
"""

from boyin_shared.contracts import registry

__all__ = ["registry"]
