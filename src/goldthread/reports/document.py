"""A generated document as plain blocks: each report is written once, and word.py and pdf.py render it alike.

The classification banner is not a block: every renderer puts `settings.CLASSIFICATION` on each page itself.
"""

from dataclasses import dataclass, field


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    strong: bool = False


@dataclass
class Bullets:
    items: list[str]
    numbered: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Figure:
    png: bytes
    caption: str


Block = Heading | Paragraph | Bullets | Table | Figure


@dataclass
class Document:
    title: str
    filename: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def bullets(self, items: list[str], empty: str) -> None:
        """A bulleted list, or the sentence that says it is empty."""
        self.add(Bullets(items) if items else Paragraph(empty))
