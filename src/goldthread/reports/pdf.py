"""A Document as a PDF (reportlab), with the classification banner at the top and bottom of every page."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab import rl_config
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

# Pictures stored as binary streams, not ASCII85 text: reportlab encodes ASCII85 in Python, a tenth of a second
# per report's pictures, for a file a fifth larger. Every PDF reader reads both.
rl_config.useA85 = 0

# A TrueType face, not the PDF base fonts: those cover Latin-1 only, and records quote names and places beyond it.
pdfmetrics.registerFont(TTFont("Vera", str(FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont("Vera-Bold", str(FONTS / "VeraBd.ttf")))
pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera", boldItalic="Vera-Bold")


# Table cells: the font of the "cell" style below, and reportlab's default padding on each side of a cell.
CELL_FONT, CELL_SIZE, CELL_LEADING, CELL_PADDING = "Vera", 8.5, 10.5, 6


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
        "cell": ParagraphStyle("cell", parent=body, fontName=CELL_FONT, fontSize=CELL_SIZE, leading=CELL_LEADING),
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


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Text:
    """A table cell: the text itself where it fits on one line, drawn as it is; a paragraph, wrapped to the
    column, where not. Wrapping every cell took most of the time of a report's long tables."""
    # Only printable text: a tab or a control character is a box in the font, where a paragraph makes it a space.
    if text.isprintable() and pdfmetrics.stringWidth(text, CELL_FONT, CELL_SIZE) <= width - 2 * CELL_PADDING:
        return text
    return Text(escape(text), style)


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
            width = page.width / len(block.header)
            cells = [[_cell(text, width, styles["cell"]) for text in row] for row in [block.header, *block.rows]]
            grid = Grid(cells, repeatRows=1, colWidths=[width] * len(block.header))
            grid.setStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a8f98")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f3")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), CELL_FONT, CELL_SIZE, CELL_LEADING),
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
