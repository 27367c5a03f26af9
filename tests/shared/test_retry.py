"""The one optimistic-retry loop."""

from __future__ import annotations

import pytest

from boyin_shared.errors import BoyinError
from boyin_shared.retry import AGAIN, Again, optimistic


async def test_retries_until_an_attempt_wins() -> None:
    tries: list[int] = []

    async def attempt() -> str | Again:
        tries.append(1)
        return "won" if len(tries) == 3 else AGAIN

    assert await optimistic(attempt) == "won"
    assert len(tries) == 3


async def test_a_falsy_result_is_a_result() -> None:
    async def attempt() -> bool | Again | None:
        return None

    assert await optimistic(attempt) is None


async def test_gives_up_with_the_one_concurrent_change_error() -> None:
    tries: list[int] = []

    async def attempt() -> int | Again:
        tries.append(1)
        return AGAIN

    with pytest.raises(BoyinError) as raised:
        await optimistic(attempt, attempts=4)
    assert len(tries) == 4
    assert raised.value.code == "CONCURRENT_CHANGE" and raised.value.status == 409
    assert raised.value.message.zh and raised.value.message.en
