"""A Document as a PDF (reportlab), with the classification banner at the top and bottom of every page."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, ListFlowable, ListItem, SimpleDocTemplate, Spacer
from reportlab.platypus import Paragraph as Text
from reportlab.platypus import Table as Grid

from goldthread.reports.document import Bullets, Document, Figure, Heading, Paragraph, Table
from goldthread.reports.thread_diagram import FONTS

CONTENT_TYPE = "application/pdf"
BANNER_GREEN = colors.HexColor("#007a33")

# A TrueType face, not the PDF base fonts: those cover Latin-1 only, and records quote names and places beyond it.
pdfmetrics.registerFont(TTFont("Vera", str(FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont("Vera-Bold", str(FONTS / "VeraBd.ttf")))
pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera", boldItalic="Vera-Bold")


def _styles() -> dict[str, ParagraphStyle]:
    sample = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sample["BodyText"], fontName="Vera", fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=sample["Title"], fontName="Vera-Bold", fontSize=17, leading=21),
        "h1": ParagraphStyle(
            "h1", parent=sample["Heading2"], fontName="Vera-Bold", fontSize=13, leading=16, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2", parent=sample["Heading3"], fontName="Vera-Bold", fontSize=11, leading=14, keepWithNext=1
        ),
        "body": body,
        "strong": ParagraphStyle("strong", parent=body, fontName="Vera-Bold"),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8, textColor=colors.HexColor("#555555")),
    }


def _banner(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Vera-Bold", 10)
    canvas.setFillColor(BANNER_GREEN)
    width, height = document.pagesize
    canvas.drawCentredString(width / 2, height - 12 * mm, settings.CLASSIFICATION)
    canvas.drawCentredString(width / 2, 10 * mm, settings.CLASSIFICATION)
    canvas.setFont("Vera", 8)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawRightString(width - document.rightMargin, 10 * mm, f"Page {document.page}")
    canvas.restoreState()


def render(document: Document) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    page = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=document.title,
        subject=settings.CLASSIFICATION,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
    )
    story: list = [Text(escape(document.title), styles["title"])]
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(Text(escape(block.text), styles["h1" if block.level == 1 else "h2"]))
        elif isinstance(block, Paragraph):
            text = escape(block.text).replace("\n", "<br/>")
            story.append(Text(text, styles["strong" if block.strong else "body"]))
        elif isinstance(block, Bullets):
            items = [ListItem(Text(escape(item), styles["body"])) for item in block.items]
            numbering = {"bulletType": "1"} if block.numbered else {"bulletType": "bullet", "start": "•"}
            story.append(ListFlowable(items, bulletFontName="Vera", bulletFontSize=9, leftIndent=14, **numbering))
        elif isinstance(block, Table):
            cells = [[Text(escape(text), styles["cell"]) for text in row] for row in [block.header, *block.rows]]
            grid = Grid(cells, repeatRows=1, colWidths=[page.width / len(block.header)] * len(block.header))
            grid.setStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a8f98")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f3")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
            story.append(grid)
        elif isinstance(block, Figure):
            picture = ImageReader(io.BytesIO(block.png))
            pixels_wide, pixels_high = picture.getSize()
            # Half the pixels per point (the PNG is drawn at twice the SVG's size), shrunk to fit the frame.
            fit = min(0.5, page.width / pixels_wide, page.height * 0.8 / pixels_high)
            story.append(Image(io.BytesIO(block.png), width=pixels_wide * fit, height=pixels_high * fit))
            story.append(Text(escape(block.caption), styles["caption"]))
        story.append(Spacer(1, 2 * mm))
    page.build(story, onFirstPage=_banner, onLaterPages=_banner)
    return buffer.getvalue()
