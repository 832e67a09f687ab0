"""The file formats a document can be written in: one table for the web, the API and the CLI."""

from collections.abc import Callable
from dataclasses import dataclass

from goldthread.reports import pdf, word
from goldthread.reports.document import Document


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    content_type: str
    render: Callable[[Document], bytes]


FORMATS = {
    "docx": Format("docx", "Word (DOCX)", word.CONTENT_TYPE, word.render),
    "pdf": Format("pdf", "PDF", pdf.CONTENT_TYPE, pdf.render),
}
