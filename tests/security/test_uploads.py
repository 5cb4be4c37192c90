"""Uploaded documents: a PDF by parsing it, bounded size, stored and served under our own name,
never served from MEDIA_ROOT."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.uploads import validate_pdf_upload
from rollin.models import RollinItem
from tests.factories_documents import pdf_document
from tests.factories_rollin import coordinator_for, order_with_rollin, walk_to

PDF = pdf_document()
# Starts like a PDF, is HTML: the header alone let it through (Issue 13, finding 4).
HTML_BEHIND_A_PDF_HEADER = b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>\n"
GENERATED_NAME = re.compile(r"^rollin/\d+/\d+/[0-9a-f]{32}\.pdf$")


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
        HTML_BEHIND_A_PDF_HEADER,
        b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        PDF[: len(PDF) // 2],
    ],
    ids=["html", "exe", "png", "zip", "late-header", "html-with-pdf-header", "no-pages", "cut"],
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
def test_random_bytes_are_rejected_even_behind_a_pdf_header(content: bytes) -> None:
    with pytest.raises(ValidationError):
        validate_pdf_upload(upload(b"%PDF-1.7\n" + content))


def test_a_pdf_of_several_pages_is_accepted() -> None:
    validate_pdf_upload(upload(pdf_document(pages=3)))


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


# --- stored and served under our own name -----------------------------------------------------


@pytest.fixture
def upload_item(db):
    order = order_with_rollin()
    return walk_to(order, "vertrag_hochladen", coordinator_for(order))


def post_document(client, item: RollinItem, document: SimpleUploadedFile):
    client.force_login(item.rollin.order.placed_by)
    url = reverse("rollin:item_complete", args=[item.pk])
    return client.post(url, {f"item{item.pk}-document": document})


def download_name(client, item: RollinItem) -> str:
    response = client.get(reverse("rollin:item_document", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return re.search(r'filename="([^"]*)"', disposition).group(1)


@pytest.mark.django_db
def test_an_upload_keeps_neither_the_senders_name_nor_extension(client, upload_item) -> None:
    document = SimpleUploadedFile("../../evil.html", PDF, content_type="text/html")

    response = post_document(client, upload_item, document)

    assert response.status_code == 302
    upload_item.refresh_from_db()
    assert GENERATED_NAME.match(upload_item.document.name), upload_item.document.name
    name = download_name(client, upload_item)
    assert name.endswith(".pdf") and "evil" not in name and "/" not in name


@pytest.mark.django_db
def test_html_behind_a_pdf_header_is_refused_and_not_stored(client, upload_item) -> None:
    document = SimpleUploadedFile("../../evil.html", HTML_BEHIND_A_PDF_HEADER, "application/pdf")

    response = post_document(client, upload_item, document)

    assert response.status_code == 400
    upload_item.refresh_from_db()
    assert not upload_item.document


@pytest.mark.django_db
def test_documents_stored_under_the_old_names_download_with_a_safe_pdf_name(
    client, settings, upload_item
) -> None:
    # Before the fix the sender's name was kept; such files stay where they are.
    old_name = f"rollin/{upload_item.rollin.order_id}/{upload_item.definition_id}/evil.html"
    (settings.MEDIA_ROOT / old_name).parent.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / old_name).write_bytes(PDF)
    RollinItem.objects.filter(pk=upload_item.pk).update(
        status=RollinItem.Status.DONE, document=old_name
    )
    client.force_login(upload_item.rollin.order.placed_by)

    name = download_name(client, upload_item)

    assert re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", name), name
    assert "evil" not in name and ".html" not in name
