"""``python -m boyin_platform create-admin --login L``: an administrator, made by an operator.

The way in for a new installation (besides ``BOYIN_ADMIN_LOGIN``/``BOYIN_ADMIN_PASSWORD``
at the gateway's start-up). It writes through the gateway's own accounts code
(:class:`boyin_gateway.accounts.service.Accounts`) into the gateway's accounts store: the
embedded one in the data folder (``./data`` or ``--data DIR``) by default, the MongoDB-wire
server with ``BOYIN_STORE=mongo BOYIN_MONGO_URL=...`` in the deployed mode. The password
comes from a prompt (typed twice) or from standard input (``--password-stdin``), never
from the command line. An existing login is reported and the command exits 1, unless
``--reset-password`` is given and the login is an administrator's.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from boyin_gateway.accounts.service import Accounts
from boyin_shared.errors import BoyinError, Message
from boyin_shared.identity import Role
from boyin_shared.runtime import make_store
from boyin_shared.settings import PlatformSettings

#: exit codes: done, the login exists (or is not an administrator's), bad input
OK, EXISTS, INVALID = 0, 1, 2

# Accounts needs a signing secret only to issue tokens, which this command never does.
_NO_TOKENS = "create-admin issues no tokens"


def say(message: Message, out: TextIO | None = None) -> None:
    """Both languages of the fair, Chinese first (standard output unless ``out``)."""
    print(message.zh, file=out or sys.stdout)
    print(message.en, file=out or sys.stdout)


def read_password(from_stdin: bool) -> str | None:
    """The new password: one line of standard input, or typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 / Password: ")
    again = getpass.getpass("再次输入密码 / Password again: ")
    if first != again:
        say(Message("两次输入的密码不一致", "The two passwords differ"), sys.stderr)
        return None
    return first


def where(settings: PlatformSettings) -> str:
    if settings.store == "mongo":
        return settings.database_name("gateway") + " @ " + settings.mongo_url
    return str((settings.data_dir / "gateway.sqlite").resolve())


async def create_admin(
    settings: PlatformSettings, login: str, password: str, *, reset_password: bool
) -> int:
    """Create the administrator (or reset an administrator's password); the exit code."""
    store = make_store(settings, "gateway")
    try:
        accounts = Accounts(store, _NO_TOKENS)
        existing = await accounts.find(login)
        if existing is None:
            account = await accounts.create_admin(login, password)
            say(
                Message(
                    f"已创建管理员 {account.login}（{where(settings)}）",
                    f"Administrator {account.login} created ({where(settings)})",
                )
            )
            return OK
        if not reset_password:
            say(
                Message(
                    f"账号 {existing.login} 已存在（角色 {existing.role.value}），未作更改；"
                    "如需重设管理员密码，请加 --reset-password",
                    f"Login {existing.login} already exists (role {existing.role.value}); "
                    "nothing changed. Add --reset-password to set an administrator's password",
                ),
                sys.stderr,
            )
            return EXISTS
        if existing.role is not Role.ADMIN:
            say(
                Message(
                    f"账号 {existing.login} 不是管理员（角色 {existing.role.value}），未重设密码",
                    f"Login {existing.login} is not an administrator "
                    f"(role {existing.role.value}); its password was not reset",
                ),
                sys.stderr,
            )
            return EXISTS
        await accounts.set_password(existing.id, password)
        say(
            Message(
                f"已重设管理员 {existing.login} 的密码",
                f"Password of administrator {existing.login} reset",
            )
        )
        return OK
    finally:
        await store.close()


def report(error: BoyinError) -> None:
    say(error.message, sys.stderr)
    for problem in error.fields:
        say(Message(f"  - {problem.message.zh}", f"  - {problem.message.en}"), sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m boyin_platform create-admin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--login", required=True, help="the administrator's login")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    parser.add_argument(
        "--reset-password",
        action="store_true",
        help="set a new password when the login already is an administrator",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder of the single-process mode"
    )
    args = parser.parse_args(argv)
    overrides = {"data_dir": args.data} if args.data is not None else {}
    settings = PlatformSettings(**overrides)
    password = read_password(args.password_stdin)
    if password is None:
        return INVALID
    try:
        return asyncio.run(
            create_admin(settings, args.login, password, reset_password=args.reset_password)
        )
    except BoyinError as error:
        report(error)
        return INVALID
