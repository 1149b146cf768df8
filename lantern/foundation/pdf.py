"""PDFs of records (WeasyPrint): tagged (headings, tables and lists are in the structure tree),
real text, the document's language and title, and the record's protective marking at the top
and foot of every page. Meetings' minutes and plans are drawn with these."""

from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string

STYLESHEET = Path(__file__).parent / "pdf.css"


def render(template: str, context: dict, *, title: str, marking: str) -> bytes:
    """HTML to a tagged PDF with the marking on every page."""
    # Imported when a PDF is made, not at start-up: WeasyPrint loads Pango and its fonts,
    # which commands and most pages never need.
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "title": title, "marking": marking})
    # The marking is one of a fixed list of values (lantern.foundation.models.Marking).
    page = CSS(string=(
        f'@page {{ @top-center {{ content: "{marking}"; font: bold 9pt "DejaVu Sans", '
        f'sans-serif; }} @bottom-left {{ content: "{marking}"; font: bold 9pt "DejaVu Sans",'
        ' sans-serif; } }'))
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET)), page],
                                       pdf_tags=True)


def response(body: bytes, filename: str) -> HttpResponse:
    """A PDF to download (never shown inline, so it is not left in a shared browser tab)."""
    reply = HttpResponse(body, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
