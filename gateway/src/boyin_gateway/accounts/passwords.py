"""Password hashing off the event loop, a bounded number at a time.

An argon2 hash or check costs tens of milliseconds of CPU by design. Run inline it held the
one event loop of the gateway: a few sign-ins a second raised everyone else's latency from
milliseconds to about a second. Here each runs in a small pool of worker threads (argon2's
C code releases the GIL, so the loop goes on serving), ``WORKERS`` at a time; the rest wait
their turn in the pool's queue. How many sign-ins may start at all is the throttle's matter
(limits.py: per login and address, per address, and in all).

An unknown login is checked against a hash of the same parameters as a real one, so the
answer takes as long whether or not the login exists.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: hashes computed at once (this machine has 2 cores; the event loop keeps one)
WORKERS = 1

_HASHER = PasswordHasher()
_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="password-hashing")


@cache
def _unknown(hasher: PasswordHasher) -> str:
    """Checked against when the login is unknown: made by the hasher in use, so with its
    parameters, and both paths take the same time."""
    return hasher.hash("not a real password 0")


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hashed(password: str) -> str:
    """The argon2 hash of ``password``, computed in the pool."""
    return await asyncio.get_running_loop().run_in_executor(_POOL, _HASHER.hash, password)


async def matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one of ``password_hash`` (None: an unknown login, checked
    all the same against a hash of the same cost, and never matching)."""
    check = _unknown(_HASHER) if password_hash is None else password_hash
    found = await asyncio.get_running_loop().run_in_executor(_POOL, _matches, check, password)
    return found and password_hash is not None
