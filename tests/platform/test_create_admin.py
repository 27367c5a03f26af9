"""``python -m boyin_platform create-admin``: the operator's way to the first administrator.

The command writes into the data folder's gateway store; the administrator then signs in
through the gateway's accounts service on that same store.
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from pathlib import Path

import pytest

from boyin_gateway.accounts.service import Accounts
from boyin_platform import admin
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Role
from boyin_shared.runtime import make_store
from boyin_shared.settings import PlatformSettings

LOGIN = "chief@example.org"


def run(monkeypatch: pytest.MonkeyPatch, data: Path, password: str, *extra: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return admin.main(["--login", LOGIN, "--password-stdin", "--data", str(data), *extra])


def sign_in(data: Path, password: str) -> Role:
    async def go() -> Role:
        store = make_store(PlatformSettings(data_dir=data), "gateway")
        try:
            accounts = Accounts(store, "a test secret of thirty-two chars!!")
            await accounts.sign_in(LOGIN, password)
            found = await accounts.find(LOGIN)
            assert found is not None
            return found.role
        finally:
            await store.close()

    return asyncio.run(go())


def test_creates_an_admin_who_can_sign_in_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, tmp_path, "first-Secret-1") == admin.OK
    out = capsys.readouterr().out
    assert "已创建管理员" in out and "Administrator chief@example.org created" in out
    assert sign_in(tmp_path, "first-Secret-1") is Role.ADMIN

    # again: said, nothing changed, non-zero
    assert run(monkeypatch, tmp_path, "second-Secret-2") == admin.EXISTS
    err = capsys.readouterr().err
    assert "已存在" in err and "already exists" in err
    assert sign_in(tmp_path, "first-Secret-1") is Role.ADMIN
    with pytest.raises(BoyinError):
        sign_in(tmp_path, "second-Secret-2")

    # --reset-password sets the new one
    assert run(monkeypatch, tmp_path, "second-Secret-2", "--reset-password") == admin.OK
    assert "reset" in capsys.readouterr().out
    assert sign_in(tmp_path, "second-Secret-2") is Role.ADMIN


def test_a_weak_password_is_refused_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, tmp_path, "short") == admin.INVALID
    err = capsys.readouterr().err
    assert "密码至少 10 个字符" in err and "at least 10 characters" in err
    with pytest.raises(BoyinError):
        sign_in(tmp_path, "short")


def test_the_password_is_not_an_argument() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "boyin_platform",
            "create-admin",
            "--login",
            LOGIN,
            "--password",
            "x",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr
