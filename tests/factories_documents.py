"""Uploaded documents for tests: real PDFs, since uploads are checked by parsing them."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def pdf_document(note: str = "signed contract", *, pages: int = 1) -> bytes:
    """A small, well-formed PDF with blank A4 pages; `note` goes into its metadata."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": note})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
