"""Opening a stored file (documents, job files): a file missing from the media store is a Chinese 404, not a 500."""

from __future__ import annotations

from .errors import NotFound


def open_stored(field_file, message: str = "该文件已不在存储中,请联系管理员从备份恢复"):
    """The file opened for reading; NotFound when the database names a file the media store no longer has."""
    try:
        return field_file.open("rb")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise NotFound(message) from exc
