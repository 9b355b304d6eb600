"""The only upload handler: every file goes to a temporary file, never past a hard cap.

Bytes beyond ``LUVAT_UPLOAD_MAX_BYTES`` are counted but dropped, so memory and disk stay
bounded whatever the client sends; the file then reports its real size and ``over_cap`` and
the content checks refuse it with a clear message (rather than a silently missing field).
The temporary file's name never comes from the client's file name, which may be any length.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class CappedUploadedFile(TemporaryUploadedFile):
    def __init__(
        self,
        name: str,
        content_type: str,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the upload
            suffix=".upload", dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        self.original_name_length = len(name)
        self.over_cap = False
        super(TemporaryUploadedFile, self).__init__(
            file, name, content_type, 0, charset, content_type_extra
        )


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.cap = int(settings.LUVAT_UPLOAD_MAX_BYTES)
        self.written = 0
        self.file = CappedUploadedFile(
            self.file_name or "", self.content_type or "", self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = self.cap - self.written
        if room > 0:
            self.file.write(raw_data[:room])
            self.written += min(room, len(raw_data))
        if len(raw_data) > room:
            self.file.over_cap = True

    def file_complete(self, file_size: int) -> CappedUploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()
