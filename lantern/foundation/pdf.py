"""PDFs of records (WeasyPrint): tagged (headings, tables and lists are in the structure tree),
real text, the document's language and title, and the record's protective marking at the top
and foot of every page. Meetings' minutes and plans are drawn with these."""

from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape

STYLESHEET = Path(__file__).parent / "pdf.css"
# The most a PDF is drawn from: 400,000 characters of HTML, about 150 printed pages, which
# WeasyPrint draws in seconds. A longer record (forms cap each text, docs/conventions.md, but
# a meeting can gather many) becomes a one-page PDF saying so, never minutes of drawing.
MAX_HTML = 400_000
TOO_LONG = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>{title}</title></head><body><h1>{title}</h1><p>This record is too long to print as one
PDF ({size:,} characters). Read it in Lantern, or ask an administrator for an export.</p>
</body></html>"""


def render(template: str, context: dict, *, title: str, marking: str) -> bytes:
    """HTML to a tagged PDF with the marking on every page."""
    # Imported when a PDF is made, not at start-up: WeasyPrint loads Pango and its fonts,
    # which commands and most pages never need.
    from weasyprint import CSS, HTML

    html = str(render_to_string(template, {**context, "title": title, "marking": marking}))
    if len(html) > MAX_HTML:
        html = TOO_LONG.format(title=escape(title), size=len(html))
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
