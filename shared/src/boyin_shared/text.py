"""Checks for text people type: no control characters, trimmed, bounded, bilingual."""

from __future__ import annotations

import re
import unicodedata

from boyin_shared.errors import FieldError, Message

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def clean(value: str, field: str, *, max_length: int, multiline: bool = False) -> str | FieldError:
    """The trimmed, NFC-normalised text, or the reason it is refused."""
    text = unicodedata.normalize("NFC", value).strip()
    if not multiline and ("\n" in text or "\r" in text):
        return FieldError(field, "LINE_BREAK", Message("此处不能换行", "must be a single line"))
    found = _CONTROL.search(text)
    if found:
        code = f"U+{ord(found.group()):04X}"
        return FieldError(
            field,
            "CONTROL_CHARACTER",
            Message(f"包含不可见的控制字符 {code}", f"contains the control character {code}"),
        )
    if len(text) > max_length:
        return FieldError(
            field,
            "TOO_LONG",
            Message(f"最多 {max_length} 个字符", f"at most {max_length} characters"),
        )
    return text


def detect_language(text: str) -> str:
    """``zh`` when Han characters are at least a fifth of the letters, else ``en``."""
    han = len(_HAN.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    if han == 0 and latin_words == 0:
        return "und"
    return "zh" if han >= max(1, latin_words) * 0.5 else "en"


def has_latin(text: str) -> bool:
    return bool(_LATIN.search(text))
