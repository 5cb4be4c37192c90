"""Uploaded documents: PDF by content only, bounded size, never served from MEDIA_ROOT."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.uploads import validate_pdf_upload

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(content: bytes, name: str = "vertrag.pdf", ctype: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=ctype)


def test_a_pdf_is_accepted() -> None:
    validate_pdf_upload(upload(PDF))


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00executable",
        b"\x89PNG\r\n\x1a\n",
        b"PK\x03\x04zip",
        b"  %PDF-1.7 hidden behind whitespace",
    ],
    ids=["html", "exe", "png", "zip", "late-header"],
)
def test_other_content_is_rejected_whatever_its_name_and_claimed_type(content: bytes) -> None:
    with pytest.raises(ValidationError) as error:
        validate_pdf_upload(upload(content, name="vertrag.pdf", ctype="application/pdf"))
    assert error.value.code == "file_not_pdf"


def test_empty_and_too_large_files_are_rejected(settings) -> None:
    settings.DIGITALMARKT_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as empty:
        validate_pdf_upload(upload(b""))
    with pytest.raises(ValidationError) as large:
        validate_pdf_upload(upload(PDF + b"0" * 1024))
    assert empty.value.code == "file_empty"
    assert large.value.code == "file_too_large"


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_are_either_a_pdf_or_rejected(content: bytes) -> None:
    if content.startswith(b"%PDF-"):
        validate_pdf_upload(upload(content))
    else:
        with pytest.raises(ValidationError):
            validate_pdf_upload(upload(content))


def test_the_validator_leaves_the_file_position_where_it_was() -> None:
    file = upload(PDF)
    file.seek(3)
    validate_pdf_upload(file)
    assert file.tell() == 3


@pytest.mark.django_db
def test_files_under_media_root_are_not_served(settings) -> None:
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "vertrag.pdf").write_bytes(PDF)

    for path in ("/uploads-not-served/vertrag.pdf", "/uploads/vertrag.pdf", "/media/vertrag.pdf"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_media_root_is_outside_the_static_web_root() -> None:
    from django.conf import settings as django_settings

    media = django_settings.MEDIA_ROOT.resolve()
    static = [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]
    assert all(
        not media.is_relative_to(p.resolve()) for p in map(__import__("pathlib").Path, static)
    )
