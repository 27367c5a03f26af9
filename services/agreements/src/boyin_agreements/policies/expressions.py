"""The expression language of support policies: CEL (Common Expression Language), through
the CEL C++ runtime and its type checker (``cel-expr-python``).

CEL has no I/O, no loops other than over finite lists (the runtime also stops a
comprehension past its iteration budget), and no way to reach Python: an expression only
reads the facts declared in :mod:`.facts`. Here an expression is checked
when a policy is saved (it compiles, reads only declared facts, gives the wanted type, is
short and shallow enough) and evaluated against the known facts; an evaluation never
raises: a failure comes back as a :class:`Failure` naming the facts that were missing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cel_expr_python import cel

from boyin_agreements.policies.facts import FACTS, FactKind, Scope, facts_of
from boyin_shared.errors import Message

#: the longest expression a policy may hold, in characters
MAX_LENGTH = 1000
#: the deepest nesting of brackets an expression may have (the CEL parser also stops at 32
#: levels of any kind of nesting, which is reported the same way)
MAX_NESTING = 12

Scalar = bool | int | float | str


class Want(StrEnum):
    """The type an expression must give: a condition a bool, an amount formula a number."""

    BOOL = "BOOL"
    NUMBER = "NUMBER"


@dataclass(frozen=True)
class Problem:
    """Why an expression was refused (the caller names the field)."""

    code: str
    message: Message


@dataclass(frozen=True)
class Failure:
    """An expression that could not be evaluated, and the unknown facts it needed."""

    message: Message
    missing: tuple[str, ...] = ()


# -- checking --------------------------------------------------------------------------

_CEL_TYPES = {
    FactKind.BOOL: cel.Type.BOOL,
    FactKind.NUMBER: cel.Type.DOUBLE,
    FactKind.TEXT: cel.Type.STRING,
}


@functools.cache
def _env(scope: Scope) -> Any:
    return cel.NewEnv(variables={n: _CEL_TYPES[f.kind] for n, f in facts_of(scope).items()})


@functools.lru_cache(maxsize=1024)
def _compile(scope: Scope, text: str) -> Any:
    return _env(scope).compile(text)


def check(text: str, scope: Scope, want: Want) -> list[Problem]:
    """Every problem of ``text`` as an expression of a policy of ``scope`` giving ``want``
    (empty: it may be saved)."""
    if not text.strip():
        return [Problem("REQUIRED", Message("不能为空", "must not be empty"))]
    if len(text) > MAX_LENGTH:
        return [
            Problem(
                "TOO_LONG",
                Message(
                    f"表达式过长（{len(text)} 个字符，最多 {MAX_LENGTH} 个）",
                    f"the expression is too long ({len(text)} characters, at most {MAX_LENGTH})",
                ),
            )
        ]
    if _nesting(text) > MAX_NESTING:
        return [_too_deep()]
    try:
        compiled = _compile(scope, text)
    except Exception as e:  # the binding raises RuntimeError with the checker's report
        return _explain(str(e), scope)
    problems = _unknown_values(text)
    got = compiled.return_type()
    fits = (
        got == cel.Type.BOOL
        if want is Want.BOOL
        else got in (cel.Type.DOUBLE, cel.Type.INT, cel.Type.UINT)
    )
    if not fits:
        name = str(got.name()).lower()
        problems.append(
            Problem(
                "WRONG_TYPE",
                Message(
                    f"结果必须是布尔值（true/false），而不是 {name}",
                    f"must give a bool (true/false), not {name}",
                )
                if want is Want.BOOL
                else Message(f"结果必须是数字，而不是 {name}", f"must give a number, not {name}"),
            )
        )
    return problems


_REPORT = re.compile(r"ERROR: <input>:(-?\d+):(-?\d+): ([^\n]*)")
_UNDECLARED = re.compile(r"undeclared reference to '([^']+)'")


def _explain(report: str, scope: Scope) -> list[Problem]:
    """The checker's report as problems, one per distinct error."""
    if "recursion" in report.lower():
        return [_too_deep()]
    out: list[Problem] = []
    seen: set[str] = set()
    found = _REPORT.findall(report)
    placed = [e for e in found if int(e[0]) > 0]  # the parser adds unplaced follow-ups
    for line, column, detail in placed or found[:1] or [("-1", "-1", report.strip())]:
        if detail in seen:
            continue
        seen.add(detail)
        where_zh, where_en = (
            (f"第{line}行第{column}列", f" at line {line}, column {column}")
            if int(line) > 0
            else ("", "")
        )
        if undeclared := _UNDECLARED.search(detail):
            out.append(_unknown_fact(undeclared.group(1), scope))
        elif "no matching overload" in detail:
            hint_zh = hint_en = ""
            if "int" in detail and "double" in detail:
                hint_zh = "；数值事实是小数，请写 200000.0 而不是 200000"
                hint_en = "; number facts are decimals: write 200000.0, not 200000"
            out.append(
                Problem(
                    "WRONG_TYPE",
                    Message(
                        f"{where_zh}类型不匹配：{detail}{hint_zh}",
                        f"types do not fit{where_en}: {detail}{hint_en}",
                    ),
                )
            )
        else:
            out.append(
                Problem(
                    "SYNTAX",
                    Message(f"{where_zh}无法解析：{detail}", f"cannot be read{where_en}: {detail}"),
                )
            )
    return out


def _unknown_fact(name: str, scope: Scope) -> Problem:
    if name in FACTS and scope is Scope.AGREEMENT:
        return Problem(
            "UNKNOWN_FACT",
            Message(
                f"{name} 是参与方的事实，只有按参与方评估的政策才能读取",
                f"{name} is a fact of a party; only a policy evaluated per party reads it",
            ),
        )
    return Problem(
        "UNKNOWN_FACT",
        Message(f"读取了不存在的事实：{name}", f"reads {name}, which is not a declared fact"),
    )


def _too_deep() -> Problem:
    return Problem(
        "TOO_DEEP",
        Message(
            f"表达式嵌套过深（括号最多 {MAX_NESTING} 层）",
            f"the expression is nested too deeply (at most {MAX_NESTING} levels of brackets)",
        ),
    )


_COMPARED = re.compile(
    r"\b((?:agreement|party)\.\w+)\s*(?:==|!=)\s*(\"[^\"]*\"|'[^']*')"
    r"|(\"[^\"]*\"|'[^']*')\s*(?:==|!=)\s*((?:agreement|party)\.\w+)\b"
    r"|\b((?:agreement|party)\.\w+)\s+in\s*\[([^\]]*)\]"
)
_LITERAL = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def _unknown_values(text: str) -> list[Problem]:
    """Comparisons of an enumerated fact with a value it never takes (``agreement.stage ==
    "signed"`` would silently never hold: the stages are upper case)."""
    out: list[Problem] = []
    for m in _COMPARED.finditer(text):
        name = m.group(1) or m.group(4) or m.group(5)
        literals = m.group(2) or m.group(3) or m.group(6) or ""
        spec = FACTS.get(name)
        if spec is None or not spec.values:
            continue
        for lit in _LITERAL.finditer(literals):
            value = lit.group(1) if lit.group(1) is not None else lit.group(2)
            if value not in spec.values:
                allowed = ", ".join(spec.values)
                # the values as written in an expression (quoted), not labels
                allowed_zh = "、".join(f"“{v}”" for v in spec.values)
                out.append(
                    Problem(
                        "UNKNOWN_VALUE",
                        Message(
                            f"{name} 没有取值“{value}”；可取：{allowed_zh}",
                            f'{name} never is "{value}"; it is one of: {allowed}',
                        ),
                    )
                )
    return out


# -- reading the text ------------------------------------------------------------------

_STRING = re.compile(
    r"[rRbB]{0,2}(\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
)
_REFERENCE = re.compile(r"(?<![\w.])(agreement|party)\s*\.\s*([A-Za-z_]\w*)")


def _masked(text: str) -> str:
    """``text`` with every string literal blanked out (same length, so indices hold)."""
    return _STRING.sub(lambda m: "_" * len(m.group(0)), text)


def references(text: str) -> frozenset[str]:
    """The declared facts an expression reads (outside string literals)."""
    found = (f"{a}.{b}" for a, b in _REFERENCE.findall(_masked(text)))
    return frozenset(name for name in found if name in FACTS)


def _nesting(text: str) -> int:
    depth = deepest = 0
    for ch in _masked(text):
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


def conjuncts(text: str) -> tuple[str, ...]:
    """The clauses of a condition joined by ``&&`` at its top level, so that a condition that
    does not hold can say which clause failed; the whole text when it is not such a chain
    (a top-level ``||`` or ``?:`` binds looser than ``&&``)."""
    masked = _masked(text)
    depth = 0
    cuts: list[int] = []
    i = 0
    while i < len(masked):
        ch = masked[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and (masked.startswith("||", i) or ch == "?"):
            return (text.strip(),)
        elif depth == 0 and masked.startswith("&&", i):
            cuts.append(i)
            i += 1
        i += 1
    parts, start = [], 0
    for cut in cuts:
        parts.append(text[start:cut].strip())
        start = cut + 2
    parts.append(text[start:].strip())
    return tuple(parts)


# -- evaluating ------------------------------------------------------------------------

_NO_VALUE = re.compile(r'No value with name "([^"]+)"')


def run(text: str, scope: Scope, known: Mapping[str, Scalar]) -> Scalar | Failure:
    """The value of a checked expression for the ``known`` facts (by full name), or why
    there is none. Never raises."""
    if len(text) > MAX_LENGTH:  # saved before a tighter limit: refuse rather than compile
        return Failure(Message("表达式过长", "the expression is too long"))
    try:
        value = _compile(scope, text).eval(data=dict(known))
        if value.type() != cel.Type.ERROR:
            result: Scalar = value.value()
            return result
        detail = str(value.value())
    except Exception as e:  # an unchecked text, or a runtime the binding reports by raising
        detail = str(e)
    if _NO_VALUE.search(detail):
        missing = sorted(n for n in references(text) if n not in known)
        missing = missing or sorted(set(_NO_VALUE.findall(detail)))
        names = ", ".join(missing)
        return Failure(Message(f"缺少事实：{names}", f"facts missing: {names}"), tuple(missing))
    return Failure(Message(f"计算出错：{detail}", f"evaluation failed: {detail}"))
