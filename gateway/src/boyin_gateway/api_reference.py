"""The reference part of the API documentation (docs/api-reference.md), generated from the
GraphQL schema so that it cannot drift: every query, mutation and subscription with its
arguments (and their defaults) and description, and every enum with its values.

``uv run --frozen python -m boyin_gateway.api_reference --write`` rewrites the file;
without ``--write`` it prints the text. A test fails when the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graphql import GraphQLEnumType, GraphQLField, GraphQLObjectType
from graphql.utilities.print_schema import print_input_value

from boyin_gateway.schema import schema

REFERENCE_PATH = Path(__file__).resolve().parents[3] / "docs" / "api-reference.md"

_HEADER = """# Gateway API reference

Generated from the schema by `uv run --frozen python -m boyin_gateway.api_reference --write`;
do not edit by hand (a test fails when it is stale). The full SDL is `gateway/schema.graphql`;
how to use these operations, task by task, is in [api.md](api.md).
"""


def _cell(text: str | None) -> str:
    """Markdown table cell text: one line, pipes escaped."""
    return " ".join((text or "").split()).replace("|", "\\|")


def _operation(name: str, field: GraphQLField) -> str:
    args = ", ".join(f"`{print_input_value(n, arg)}`" for n, arg in field.args.items())
    return f"| `{name}` | {args or '—'} | `{field.type}` | {_cell(field.description)} |"


def _operations(title: str, root: GraphQLObjectType | None) -> list[str]:
    if root is None:
        return []
    lines = [
        f"## {title}",
        "",
        "| field | arguments | returns | description |",
        "|---|---|---|---|",
    ]
    lines += [_operation(name, root.fields[name]) for name in sorted(root.fields)]
    return [*lines, ""]


def _enums() -> list[str]:
    graphql_schema = schema._schema
    enums = sorted(
        (t for t in graphql_schema.type_map.values() if isinstance(t, GraphQLEnumType)),
        key=lambda t: t.name,
    )
    lines = ["## Enums", "", "| enum | values | description |", "|---|---|---|"]
    for enum in enums:
        if enum.name.startswith("__"):
            continue
        values = ", ".join(f"`{value}`" for value in enum.values)
        lines.append(f"| `{enum.name}` | {values} | {_cell(enum.description)} |")
    return [*lines, ""]


def reference() -> str:
    """The whole reference document, as Markdown."""
    graphql_schema = schema._schema
    lines = [
        _HEADER,
        *_operations("Queries", graphql_schema.query_type),
        *_operations("Mutations", graphql_schema.mutation_type),
        *_operations("Subscriptions", graphql_schema.subscription_type),
        *_enums(),
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if "--write" in argv:
        REFERENCE_PATH.write_text(reference(), "utf-8")
        print(f"wrote {REFERENCE_PATH}")
    else:
        sys.stdout.write(reference())


if __name__ == "__main__":
    main(sys.argv[1:])
