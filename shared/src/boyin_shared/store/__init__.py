"""Document store port and its two adapters (MongoDB wire protocol, embedded SQLite)."""

from boyin_shared.store.port import (
    AlreadyExists,
    Collection,
    Document,
    DocumentStore,
    Edit,
    Filter,
    Index,
    Update,
)

__all__ = [
    "AlreadyExists",
    "Collection",
    "Document",
    "DocumentStore",
    "Edit",
    "Filter",
    "Index",
    "Update",
]
