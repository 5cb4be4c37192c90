"""Uploaded documents (signed contracts): checked by parsing, stored and served under our name.

The browser's content type and the file name are the client's claims. The first bytes are
one too: "%PDF-" followed by HTML passed a header check (Issue 13, finding 4). So a file is
accepted only if pypdf can read it as a PDF with at least one page. The sender's file name
is never used: files are stored under a generated name with the .pdf extension
(`pdf_storage_name`) and downloaded under a name we build (`pdf_download_name`).

Stored files live under MEDIA_ROOT, which no URL serves (there is no MEDIA_URL route): they
reach people only through access-checked views.
Use in a form: `document = forms.FileField(validators=[validate_pdf_upload])`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

PDF_MAGIC = b"%PDF-"
# PDF readers accept the header anywhere in the first KiB; we require it at the start, which
# every PDF writer produces and which rules out polyglots that hide a PDF behind HTML.
HEADER_BYTES = 8
DOWNLOAD_STEM_MAX = 80


def _not_a_pdf() -> ValidationError:
    return ValidationError(_("Bitte laden Sie eine PDF-Datei hoch."), code="file_not_pdf")


def _pdf_page_count(upload: File) -> int:
    """Pages of the PDF, or 0 if pypdf cannot read it (also an encrypted one we cannot open)."""
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            return 0  # nobody here could read it; an owner-password-only PDF opens with ""
        return len(reader.pages)
    except Exception:  # hostile bytes make a parser fail in many ways; each means "no"
        return 0


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
    try:
        upload.seek(0)
        if not upload.read(HEADER_BYTES).startswith(PDF_MAGIC):
            raise _not_a_pdf()
        upload.seek(0)
        if _pdf_page_count(upload) < 1:
            raise _not_a_pdf()
    finally:
        upload.seek(position)


def pdf_storage_name(folder: str) -> str:
    """Where an upload is stored: a fresh random name, always .pdf (the sender's name is
    neither trusted nor needed)."""
    return f"{folder.rstrip('/')}/{uuid.uuid4().hex}.pdf"


def pdf_download_name(*parts: str) -> str:
    """A file name for Content-Disposition from our own data: ASCII letters, digits, `-`
    and `_`, always .pdf — also for files stored under a sender's name before this rule."""
    stem = slugify("-".join(p for p in parts if p))[:DOWNLOAD_STEM_MAX].strip("-_")
    return f"{stem or 'dokument'}.pdf"
