"""The internal identity is signed once per caller and checked once per token
(:func:`boyin_shared.identity.issue`, :func:`verify`), without accepting anything the
signature check would refuse: another secret, a changed token, an expired one."""

from __future__ import annotations

import time

import pytest

from boyin_shared import identity
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role

SECRET = "a-secret-of-at-least-thirty-two-bytes-long"
TALENT = Actor("acc_1", Role.TALENT, party_id="tal_1", session_id="s1")


def test_one_token_a_caller_checked_once() -> None:
    token = identity.issue(TALENT, SECRET)
    assert identity.issue(TALENT, SECRET) == token
    assert identity.issue(Actor("acc_2", Role.TALENT), SECRET) != token
    assert identity.verify(token, SECRET) == TALENT
    assert identity.verify(token, SECRET) == TALENT  # remembered


def test_what_the_signature_refuses_stays_refused() -> None:
    token = identity.issue(TALENT, SECRET)
    assert identity.verify(token, SECRET) == TALENT
    with pytest.raises(BoyinError):
        identity.verify(token, "another-secret-of-at-least-thirty-two-bytes")
    with pytest.raises(BoyinError):
        identity.verify(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), SECRET)


def test_a_remembered_token_expires() -> None:
    actor = Actor("acc_short", Role.MENTOR)
    token = identity.issue(actor, SECRET, ttl_seconds=1)
    assert identity.verify(token, SECRET) == actor
    time.sleep(2.1)
    with pytest.raises(BoyinError):
        identity.verify(token, SECRET)
    assert identity.issue(actor, SECRET, ttl_seconds=1) != token  # a fresh one
