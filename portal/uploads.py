"""Checks for uploaded documents (signed contracts): size and type by content.

The browser's content type and the file name are the client's claims; only the first bytes
tell what a file is. Only PDF is accepted. Stored files live under MEDIA_ROOT, which no URL
serves (there is no MEDIA_URL route): they reach people only through access-checked views.
Use in a form: `document = forms.FileField(validators=[validate_pdf_upload])`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"
# PDF readers accept the header anywhere in the first KiB; we require it at the start, which
# every PDF writer produces and which rules out polyglots that hide a PDF behind HTML.
HEADER_BYTES = 8


def validate_pdf_upload(upload: File) -> None:
    max_bytes = settings.DIGITALMARKT_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("Die Datei ist zu groß (höchstens %(max)s)."),
            code="file_too_large",
            params={"max": filesizeformat(max_bytes)},
        )
    if upload.size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="file_empty")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    header = upload.read(HEADER_BYTES)
    upload.seek(position)
    if not header.startswith(PDF_MAGIC):
        raise ValidationError(_("Bitte laden Sie ein PDF-Dokument hoch."), code="file_not_pdf")
