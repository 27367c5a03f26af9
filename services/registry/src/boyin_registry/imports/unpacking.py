"""What an XLSX file may unpack to, checked before any of its XML is parsed.

An XLSX file is a zip archive: a few hundred kilobytes can declare hundreds of megabytes of
shared strings (a "zip bomb"), and a sheet of two kilobytes can declare the grid
``A1:XFD8000`` (131 million cells) that a reader then pads every row to. So:

- the members' declared sizes, summed, may not exceed ``MAX_UNPACKED_BYTES`` (Python's zip
  reader never yields more than a member declares: it checks the size and the CRC);
- the sheet is read with its declared dimensions ignored, at most ``MAX_COLUMNS`` columns
  and ``max_rows`` rows (the reader stops there; the caller reports a sheet too long).
"""

from __future__ import annotations

import io
import zipfile

from boyin_shared.errors import BoyinError, Message

#: what the members of one XLSX file may unpack to in all
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: columns read from a sheet (the widest layout has fewer than 100; more are never read)
MAX_COLUMNS = 200


def unpacks_too_large(declared: int) -> BoyinError:
    mib = MAX_UNPACKED_BYTES // (1024 * 1024)
    return BoyinError(
        code="FILE_TOO_LARGE",
        message=Message(
            f"文件解压后过大（{declared // (1024 * 1024)} MB，上限 {mib} MB），请拆分后分批导入",
            f"the file unpacks to too much ({declared // (1024 * 1024)} MB, at most {mib} MB);"
            " split it",
        ),
        status=413,
    )


def check_unpacked_size(data: bytes) -> None:
    """Refuse an archive whose members declare more than ``MAX_UNPACKED_BYTES`` in all; an
    archive that cannot be opened is left to the reader to call damaged."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if declared > MAX_UNPACKED_BYTES:
        raise unpacks_too_large(declared)
