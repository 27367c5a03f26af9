"""Dead letters kept in each service's own database, listed and replayed by operators."""

from boyin_shared.dead_letters.store import DeadLetters

__all__ = ["DeadLetters"]
