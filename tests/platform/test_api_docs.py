"""The documentation's examples run: every runnable GraphQL example of docs/api.md, in order,
against a fresh single-process platform with the demo fair loaded; and docs/api-reference.md
is the one the schema generates.

A runnable example is a fenced ``graphql`` block whose first line is ``# run as: LOGIN``
(``anonymous`` for no token), optionally followed by a ``json`` block of variables.
``# keep: NAME = PATH`` saves a value of the answer for later variables written
``"{{NAME}}"`` (the example is repeated for up to 30 s while the path is missing: matching
proposes asynchronously). ``# expect: TYPENAME`` names the refusal an example shows;
otherwise no result may be a ``Problem``.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boyin_gateway.api_reference import REFERENCE_PATH, reference
from boyin_gateway.schema import schema
from boyin_platform import demo_fair
from boyin_platform.demo_people import DEMO_PASSWORD, PEOPLE
from tests.apps import SECRET
from tests.platform_harness import http_client, platform_server

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"
#: the administrator the guide makes with create-admin (its password is in the guide)
ADMIN = "admin@example.org"
_BLOCK = re.compile(r"```graphql\n(.*?)```(?:\s*```json\n(.*?)```)?", re.S)
_PLACEHOLDER = re.compile(r'"\{\{(\w+)\}\}"')
#: the downloads of the guide's curl examples
_DOWNLOAD = re.compile(r'"\$GW(/files/[^"]+)"')


@dataclass
class Example:
    """A runnable example of the guide."""

    line: int
    login: str
    document: str
    variables_text: str
    keep: dict[str, str] = field(default_factory=dict)
    expect: str | None = None


def examples(text: str) -> list[Example]:
    """The runnable examples of a guide, in order."""
    found = []
    for match in _BLOCK.finditer(text):
        document, variables = match.group(1), match.group(2) or "{}"
        head = re.match(r"# run as: (\S+)\n", document)
        if head is None:
            continue
        example = Example(text[: match.start()].count("\n") + 1, head[1], document, variables)
        for name, path in re.findall(r"^# keep: (\w+) = (\S+)$", document, re.M):
            example.keep[name] = path
        expect = re.search(r"^# expect: (\w+)$", document, re.M)
        example.expect = expect[1] if expect else None
        found.append(example)
    return found


def _problems() -> set[str]:
    problem = schema._schema.get_type("Problem")
    assert problem is not None
    return {t.name for t in schema._schema.get_possible_types(problem)}  # type: ignore[arg-type]


def _typenames(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["__typename"]] if "__typename" in value else []
        return own + [n for v in value.values() for n in _typenames(v)]
    if isinstance(value, list):
        return [n for v in value for n in _typenames(v)]
    return []


def _at(data: Any, path: str) -> Any:
    for step in path.split("."):
        data = data[int(step)] if isinstance(data, list) else data[step]
    if data is None:
        raise KeyError(path)
    return data


class Runner:
    """Runs the examples in order, signing in as each names, keeping what they keep."""

    def __init__(self, url: str) -> None:
        self.url = url + "/graphql"
        self.passwords = {p.login: DEMO_PASSWORD for p in PEOPLE}
        self.kept: dict[str, Any] = {}
        self.problems = _problems()

    async def post(self, document: str, variables: dict[str, Any], token: str | None) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        async with http_client() as client:
            response = await client.post(
                self.url, json={"query": document, "variables": variables}, headers=headers
            )
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def token(self, login: str) -> str | None:
        if login == "anonymous":
            return None
        data = await self.post(
            "mutation($l: String!, $p: String!) { signIn(login: $l, password: $p) {"
            " ... on Session { accessToken } } }",
            {"l": login, "p": self.passwords[login]},
            None,
        )
        token: str = data["signIn"]["accessToken"]
        return token

    async def run(self, example: Example) -> None:
        text = _PLACEHOLDER.sub(lambda m: json.dumps(self.kept[m[1]]), example.variables_text)
        variables = json.loads(text)
        if "login" in variables and "password" in variables:
            self.passwords[variables["login"]] = variables["password"]
        deadline = asyncio.get_running_loop().time() + 30
        while True:
            data = await self.post(example.document, variables, await self.token(example.login))
            refusals = [n for n in _typenames(data) if n in self.problems]
            if example.expect is None:
                assert not refusals, f"api.md:{example.line}: {data}"
            else:
                assert refusals == [example.expect], f"api.md:{example.line}: {data}"
            try:
                kept = {name: _at(data, path) for name, path in example.keep.items()}
                break
            except (KeyError, IndexError, TypeError) as missing:
                if asyncio.get_running_loop().time() > deadline:
                    where = f"api.md:{example.line}"
                    raise AssertionError(f"{where}: no {example.keep} in {data}") from missing
                await asyncio.sleep(0.5)
        self.kept |= kept


def _admin_password(found: list[Example]) -> str:
    for example in found:
        variables = json.loads(example.variables_text)
        if variables.get("login") == ADMIN:
            password: str = variables["password"]
            return password
    raise AssertionError(f"api.md signs in as {ADMIN} nowhere")


async def test_every_documented_example_runs(tmp_path: Path) -> None:
    found = examples(API_MD.read_text("utf-8"))
    assert len(found) >= 15
    assert {e.login for e in found} >= {"anonymous", ADMIN, "operator@demo.boyin.example"}
    password = _admin_password(found)
    async with platform_server(tmp_path, admin_login=ADMIN, admin_password=password) as url:
        await demo_fair.load(url, SECRET, ADMIN, password)
        runner = Runner(url)
        for example in found:
            await runner.run(example)
        downloads = _DOWNLOAD.findall(API_MD.read_text("utf-8"))
        assert len(downloads) >= 2
        token = await runner.token("operator@demo.boyin.example")
        async with http_client(headers={"authorization": f"Bearer {token}"}) as client:
            for path in downloads:
                response = await client.get(url + path)
                assert response.status_code == 200, (path, response.text)
                assert response.content, path


def test_the_guide_covers_every_task() -> None:
    text = API_MD.read_text("utf-8")
    for needed in (
        "create-admin",
        "connection_init",
        "Apollo-Require-Preflight",
        "lang=",
        "startDemandReview",
        "reviewClaim",
        "publishDemand",
        "answerMatch",
        "counterpartContacts",
        "auditOfParty",
        "confirmMatch",
        "withdrawMatch",
        "addMatch",
        "api-reference.md",
    ):
        assert needed in text, needed


def test_the_reference_is_current() -> None:
    assert REFERENCE_PATH.read_text("utf-8") == reference(), (
        "docs/api-reference.md is stale: run "
        "uv run --frozen python -m boyin_gateway.api_reference --write"
    )
