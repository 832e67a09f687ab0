"""A Document as a Word file, with the classification banner in every page's header and footer."""

import io

from django.conf import settings
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt, RGBColor

from goldthread.reports.document import Bullets, Document, Figure, Heading, Paragraph, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _banner(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(settings.CLASSIFICATION)
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0x00, 0x7A, 0x33)


def render(document: Document) -> bytes:
    word = WordDocument()
    section = word.sections[0]
    _banner(section.header.paragraphs[0])
    _banner(section.footer.paragraphs[0])
    word.add_heading(document.title, level=0)
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            word.add_paragraph().add_run(block.text).bold = block.strong
        elif isinstance(block, Bullets):
            for item in block.items:
                word.add_paragraph(item, style="List Number" if block.numbered else "List Bullet")
        elif isinstance(block, Table):
            # Made with all its rows at once: adding them one by one sets every cell's width again each time.
            table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for row, texts in zip(table.rows, [block.header, *block.rows], strict=True):
                for cell, text in zip(row.cells, texts, strict=True):
                    cell.text = text
        elif isinstance(block, Figure):
            word.add_picture(io.BytesIO(block.png), width=Inches(6.5))
            word.add_paragraph(block.caption, style="Caption")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
