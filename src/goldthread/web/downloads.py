"""A generated document as a file download, in the format asked for, with the export in the audit trail."""

from django.http import Http404, HttpRequest, HttpResponse

from goldthread.core import audit
from goldthread.reports.document import Document
from goldthread.reports.formats import FORMATS


def download(request: HttpRequest, document: Document, format: str, action: str, record) -> HttpResponse:  # noqa: A002
    chosen = FORMATS.get(format)
    if chosen is None:
        raise Http404
    response = HttpResponse(chosen.render(document), content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}.{chosen.name}"'
    audit.record(request.user, action, record, {"format": chosen.name})
    return response
