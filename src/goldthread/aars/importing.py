"""Legacy after-action reports into Goldthread: a Word file read into a new draft AAR of an event.

AARs written before Goldthread follow many layouts, so the reader recognises sections by the words of their
headings (summary, the four objective-type sections, administrative friction, costs, sustain and improve), the
TC 25-20 questions (what was planned, what happened, why), and observations as observation / discussion /
recommendation — or issue / discussion / recommendation — paragraphs, whether labelled inline, as bold lines or in
two-column tables. A file written by `reports.aar_document` reads back with its sections, reviews, observations with
tags and root-cause analysis, and follow-up actions. Text that fits nowhere is kept at the end of the summary under
"Imported text not recognised:", so nothing in the file is lost.

Every write goes through `aars.services`, in one transaction: a file that cannot be imported leaves nothing behind.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import docx
from django.conf import settings
from django.db import transaction
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from goldthread.aars import services
from goldthread.aars.models import ObjectiveReview, Observation, Report
from goldthread.core import audit
from goldthread.core.catalogues import Dotmlpfp, Echelon, ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.events.models import ContributionClaim, Event
from goldthread.reports import aar_document as layout
from goldthread.strategy.models import Organization

UNRECOGNISED = "Imported text not recognised:"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# A Word file's XML is compressed; a small file that unpacks to gigabytes is refused before it is parsed.
MAX_UNPACKED_FACTOR = 20
# Each observation added rescores the report; past this many (a list pasted as bullets, say) the rest are kept as text.
MAX_OBSERVATIONS = 300
DATE_FORMATS = ("%d %b %Y", "%Y-%m-%d", "%d %B %Y", "%d-%b-%Y", "%m/%d/%Y")

# Heading and label words, matched against the whole (normalised) label. Keys: a section name; "r:" a question
# of the objective review; "o:" a part of an observation; "t:" a tag; "a:" root-cause analysis.
PATTERNS: list[tuple[str, str]] = [
    ("summary", r"(executive |event )?summary|overview|bluf|bottom line up front|introduction|background"),
    ("objectives", r"objectives(: planned, actual, why)?|(training|event) objectives|review of objectives"),
    ("relationships", r"relationships?( building)?"),
    ("capability", r"partner (capabilit(y|ies)|capacity)|capabilit(y|ies)"),
    ("interoperability", r"interoperability"),
    ("access", r"access"),
    ("administration", r"admin(istrative)? friction|admin(istrative)? issues|administration|administrative|admin"),
    ("costs", r"costs?|funding|costs? and funding|financ(e|ial)|budget"),
    ("sustain", r"sustains?|what to sustain|what went well|strengths"),
    ("improve", r"improves?|what to improve|areas? (for|of|to) improve(ment)?|improvements|weaknesses"),
    ("observations", r"observations( and recommendations)?|issues|lessons( learned)?|findings"),
    ("actions", r"follow-? ?up actions|follow-? ?up|actions|way ahead|next steps"),
    ("score", r"critical-content score"),
    ("r:planned", r"what was planned|planned|what was supposed to happen|what was expected( to happen)?"),
    ("r:happened", r"what (actually |really )?happened|happened|actual"),
    ("r:why", r"why( .{1,55})?"),
    ("r:indicator_evidence", r"evidence on the indicator|indicator evidence|evidence|data collected"),
    ("r:claim", re.escape(layout.CLAIM_LABEL.lower())),
    ("r:indicator", re.escape(layout.INDICATOR_LABEL.lower())),
    ("o:title", r"issue|topic|title|subject"),
    ("o:observation", r"observation"),
    ("o:discussion", r"discussion"),
    ("o:recommendation", r"recommendations?|recommended action"),
    ("o:implications", r"implications?"),
    ("t:claim", r"objective"),
    ("t:objective_type", r"objective type"),
    ("t:indicator", r"indicator"),
    ("t:partner_unit", r"partner( unit)?"),
    ("t:dotmlpfp", r"dotmlpf(-?p)?"),
    ("t:criticality", r"criticality"),
    ("t:channel", r"channel"),
    ("t:stage", r"lessons stage"),
    ("a:five_whys", r"(five|5) whys"),
    ("a:root_cause", r"root cause"),
    ("a:assumptions", r"(key )?assumptions"),
]
COMPILED = [(key, re.compile(pattern)) for key, pattern in PATTERNS]
NUMBERING = re.compile(r"^\s*(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[ivx]{1,4}|[a-z])[.)]|\d{1,2}(?:\.\d{1,2})+)\s+", re.I)
LABELLED = re.compile(r"^\s*([^:：\n]{1,60}?)\s*[:：]\s*(.*)$", re.S)
ASSUMPTION = re.compile(rf"^(.*?) — ({layout.HELD}|{layout.NOT_HELD})(?:\. {layout.EVIDENCE}: (.*))?$", re.S)
OBSERVATION_CONTEXTS = ("sustain", "improve", "observations")
SECTION_FIELDS = ("summary", "relationships", "capability", "interoperability", "access", "administration", "costs")


def _normal(label: str) -> str:
    label = NUMBERING.sub("", label.strip())
    label = re.sub(r"\s+", " ", label.replace("–", "-").replace("—", "-")).strip().lower()
    return label.rstrip(":?. ").strip()


def _key(label: str) -> str | None:
    normal = _normal(label)
    return next((key for key, pattern in COMPILED if pattern.fullmatch(normal)), None)


def _split(text: str) -> tuple[str, str] | None:
    """(key, value) when the paragraph is a known heading or label, alone or followed by its text."""
    if len(text) <= 80 and (key := _key(text)):
        return key, ""
    found = LABELLED.match(text)
    if found and (key := _key(found.group(1))):
        return key, found.group(2).strip()
    return None


class Text:
    """Paragraphs gathered for one field; list items stay one per line."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bool]] = []

    def add(self, text: str, item: bool = False) -> None:
        if text.strip():
            self.parts.append((f"- {text.strip()}" if item else text.strip(), item))

    def value(self) -> str:
        joined = ""
        for n, (text, item) in enumerate(self.parts):
            if n:
                joined += "\n" if item and self.parts[n - 1][1] else "\n\n"
            joined += text
        return joined

    def __bool__(self) -> bool:
        return bool(self.parts)


@dataclass
class Item:
    """One observation as read."""

    finding: str
    title: str = ""
    parts: dict[str, Text] = field(default_factory=lambda: {k: Text() for k in layout.OBSERVATION_LABELS})
    tags: dict[str, str] = field(default_factory=dict)
    whys: list[str] = field(default_factory=list)
    root_cause: Text = field(default_factory=Text)
    assumptions: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # labelled text with no field of its own: kept in the discussion
    labelled: bool = False  # written with labels or under a title, not one bullet = one observation
    current: str = ""

    def empty(self) -> bool:
        return not (self.title or any(self.parts.values()) or self.whys or self.root_cause)


@dataclass
class Reading:
    """What the reader found in the file, before anything is written."""

    sections: dict[str, Text] = field(default_factory=lambda: {k: Text() for k in SECTION_FIELDS})
    reviews: dict[int, dict[str, Text]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    actions: list[tuple[str, Organization, date, bool]] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    markings: str = ""
    hotwash_held: date | None = None


def _date(text: str) -> date | None:
    text = text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _choice(choices, value: str) -> str | None:
    wanted = value.strip().lower()
    return next((c.value for c in choices if wanted in (c.value.lower(), c.label.lower())), None)


class Reader:
    """Walks the document's paragraphs and tables in order, keeping track of the section and the open item."""

    def __init__(self, event: Event):
        self.event = event
        self.claims: list[ContributionClaim] = list(event.claims.select_related("objective"))
        self.read = Reading()
        self.context = "preamble"
        self.claim: ContributionClaim | None = None  # the objective review being read
        self.question = ""  # its question being read
        self.item: Item | None = None
        self.generated = False  # written by reports.aar_document, so its layout is known exactly

    # Paragraphs ---------------------------------------------------------------------------------------------

    def paragraph(self, paragraph: WordParagraph) -> None:
        text = text_of(paragraph).strip()
        if not text:
            return
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Title":
            self.generated = self.generated or text.startswith(layout.TITLE_PREFIX)
            if not self.generated:
                (self.read.preamble if self.context == "preamble" else self.read.unrecognised).append(text)
            return
        level = int(style.rsplit(" ", 1)[-1]) if re.fullmatch(r"Heading [1-9]", style) else None
        item = style.startswith("List") or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        runs = [r for r in paragraph.runs if r.text.strip()]
        bold = not level and bool(runs) and all(r.bold for r in runs) and len(text) <= 120 and "\n" not in text
        if self.context == "score" and level != 1:
            return  # computed from the content; it is computed again
        found = _split(text)
        below = bool(level and level > 1)
        if found and below and self.context in OBSERVATION_CONTEXTS and ":" not in found[0]:
            found = None  # an observation titled like a section, e.g. "Access"
        if self.generated and (below or not level and self.context in SECTION_FIELDS):
            found = None  # a generated file changes section only at its numbered headings
        if item and self.item is not None and self.item.current in ("five_whys", "assumptions"):
            found = None  # an entry of the list being read, whatever words it starts with
        if found:
            self.labelled(found[0], found[1], text, item)
        elif level == 1:
            self.close_item()
            self.context = "unrecognised"
            self.read.unrecognised.append(text)
        elif level or (bold and not text.endswith(":")):
            self.subheading(text)
        else:
            self.plain(text, item)

    def labelled(self, key: str, value: str, text: str, item: bool) -> None:
        kind = key[:2]
        if ":" not in key:
            self.close_item()
            self.context, self.claim, self.question = key, None, ""
            if value:
                self.plain(value, item)
        elif kind == "r:":
            self.review_label(key[2:], value, text)
        elif kind == "o:":
            self.item_label(key[2:], value)
        elif self.item is None:
            self.plain(text, item)
        elif kind == "t:":
            self.item.tags[key[2:]] = value
            self.item.current = ""
        else:
            self.item.current = key[2:]
            if value:
                self.plain(value, item)

    def review_label(self, question: str, value: str, text: str) -> None:
        if question in ("claim", "indicator"):
            claim = self.claim
            expected = (
                (layout.claim_line(ObjectiveReview(claim=claim)) if question == "claim" else claim.indicator)
                if claim
                else None
            )
            if value != expected:
                self.plain(text, False)
            return
        if self.context != "objectives":
            self.close_item()
            self.context = "objectives"
        if self.claim is None:  # the questions asked once for the whole event: the primary objective's
            primary = [c for c in self.claims if c.role == c.Role.PRIMARY]
            self.claim = (primary or self.claims or [None])[0]
        if self.claim is None:
            self.read.unrecognised.append(text)  # the event claims no objective to file the answer under
            return
        self.question = question
        if value:
            self.plain(value, False)

    def item_label(self, part: str, value: str) -> None:
        if self.context not in OBSERVATION_CONTEXTS:
            self.context = "observations"
        item = self.item
        if part == "title":
            if item is None or item.title or any(item.parts.values()):
                item = self.open_item()
            item.title, item.current, item.labelled = value, "" if value else "title", True
            return
        if part == "implications":
            part, value = "discussion", f"Implications: {value}" if value else "Implications:"
        elif item is not None and item.parts[part] and item.current != part:
            item = None  # the same part again: the next observation has begun
        if item is None or not item.labelled:
            item = self.open_item()
        item.labelled, item.current = True, part
        if value not in layout.PLACEHOLDERS:
            item.parts[part].add(value)

    def subheading(self, text: str) -> None:
        if self.context in OBSERVATION_CONTEXTS:
            item = self.open_item()
            item.title, item.labelled = text, True
        elif self.context == "objectives" and (claim := self.claim_named(text)):
            self.claim, self.question = claim, ""
        else:
            self.plain(text, False)

    def claim_named(self, heading: str) -> ContributionClaim | None:
        """The claim whose objective code the heading names."""
        for claim in self.claims:
            if re.search(rf"(^|\W){re.escape(claim.objective.code)}(\W|$)", heading):
                return claim
        return None

    def plain(self, text: str, item: bool) -> None:
        context = self.context
        if context == "preamble":
            self.read.preamble.append(text)
            return
        if context == "unrecognised":
            self.read.unrecognised.append(text)
            return
        if context == "score" or text in layout.PLACEHOLDERS:
            return
        if context in SECTION_FIELDS:
            self.read.sections[context].add(text, item)
        elif context == "objectives":
            if self.claim is not None and self.question:
                self.read.reviews.setdefault(self.claim.pk, {}).setdefault(self.question, Text()).add(text, item)
            else:
                self.read.unrecognised.append(text)
        elif context in OBSERVATION_CONTEXTS:
            self.item_text(text, item)
        else:  # follow-up actions not in their table: no owner or due date to record them with
            self.read.unrecognised.append(text)

    def item_text(self, text: str, item: bool) -> None:
        current = self.item
        if current is None or not current.labelled:
            current = self.open_item()
            current.parts["observation"].add(text)
            current.current = "observation"
            return
        if current.current == "title":
            current.title, current.current = text, ""
        elif current.current == "five_whys":
            current.whys.append(text)
        elif current.current == "root_cause":
            current.root_cause.add(text, item)
        elif current.current == "assumptions":
            found = ASSUMPTION.match(text)
            if found:
                assumption, held, evidence = found.group(1), found.group(2) == layout.HELD, found.group(3) or ""
                current.assumptions.append({"assumption": assumption, "held": held, "evidence": evidence})
            else:
                current.notes.append(f"Assumption: {text}")
        else:
            current.parts[current.current or "observation"].add(text, item)

    def open_item(self) -> Item:
        self.close_item()
        sustain = self.context == "sustain"
        self.item = Item(finding=Observation.Finding.SUSTAIN if sustain else Observation.Finding.IMPROVE)
        return self.item

    def close_item(self) -> None:
        if self.item is not None and not self.item.empty():
            self.read.items.append(self.item)
        self.item = None

    # Tables -------------------------------------------------------------------------------------------------

    def table(self, table: WordTable) -> None:
        rows = []
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:  # a merged cell is repeated once per grid column it spans
                text = cell_text(cell)
                if not cells or text != cells[-1]:
                    cells.append(text)
            if any(cells):
                rows.append(cells)
        if not rows:
            return
        first = [c.lower() for c in rows[0]]
        if self.context == "score":
            return
        if self.context == "preamble" and first[0] == layout.HEADER_FIRST.lower():
            self.header(rows[1:])
        elif self.context == "actions" and first[:3] == [h.lower() for h in layout.ACTION_HEADER[:3]]:
            self.action_rows(rows[1:])
        else:
            for cells in rows:
                found = _split(cells[0] + ":") if len(cells) == 2 else None
                if found and found[1] == "":
                    self.labelled(found[0], cells[1], f"{cells[0]}: {cells[1]}", False)
                else:
                    self.plain(" | ".join(c for c in cells if c), True)

    def header(self, rows: list[list[str]]) -> None:
        """The header table of a generated AAR: the facts of the event, which the event itself holds — except
        the report's markings and when its hot-wash was held."""
        for cells in rows:
            if len(cells) < 2:
                continue
            if cells[0] == layout.HEADER_MARKINGS and cells[1] not in layout.PLACEHOLDERS:
                self.read.markings = cells[1]
            elif cells[0] == layout.HEADER_HOTWASH_HELD:
                self.read.hotwash_held = _date(cells[1])

    def action_rows(self, rows: list[list[str]]) -> None:
        for cells in rows:
            text, owner_name, due_text, done = (cells + ["", "", "", ""])[:4]
            owner = Organization.objects.filter(short_name=owner_name).first() if owner_name else None
            due = _date(due_text)
            if text and owner and due and len(text) <= 300:
                self.read.actions.append((text, owner, due, done.strip().lower() in ("yes", "done", "x", "true")))
            else:
                self.read.unrecognised.append("Follow-up action: " + " | ".join(c for c in cells if c))

    def finish(self) -> Reading:
        self.close_item()
        read = self.read
        # What a generated file puts above its first section: its markings and status notice are not content.
        notice = re.compile(rf"^[\w ]+ — {re.escape(layout.NOT_APPROVED)}$")
        event_markings = {self.event.markings, read.markings} - {""}
        read.unrecognised[:0] = [t for t in read.preamble if t not in event_markings and not notice.match(t)]
        return read


# Writing ------------------------------------------------------------------------------------------------------


def _content(file: Any) -> tuple[bytes, str]:
    """The file's bytes, measured before they are read where the file allows it."""
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    name = str(getattr(file, "name", "") or "")
    if isinstance(file, bytes | bytearray):
        size = len(file)
    elif getattr(file, "size", None) is not None:
        size = file.size
    else:
        try:
            size = file.seek(0, io.SEEK_END)
            file.seek(0)
        except (AttributeError, OSError):
            size = None
    if size is not None and size > limit:
        raise DomainError.on(
            "file", f"The file is {size / 1048576:.1f} MB; the limit is {settings.ATTACHMENT_MAX_MB} MB."
        )
    content = bytes(file) if isinstance(file, bytes | bytearray) else file.read(limit + 1)
    if len(content) > limit:
        raise DomainError.on("file", f"The file is larger than the limit of {settings.ATTACHMENT_MAX_MB} MB.")
    return content, name.replace("\\", "/").rsplit("/", 1)[-1]


def _document(content: bytes) -> WordDocument:
    """The Word document in `content`, judged by what it holds rather than by its name."""
    not_docx = "The file is not a Word document (.docx). Save it from Word as .docx and import it again."
    if not content:
        raise DomainError.on("file", "The file is empty.")
    if not content.startswith(b"PK\x03\x04"):
        raise DomainError.on("file", not_docx)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            if "word/document.xml" not in members:
                raise DomainError.on("file", not_docx)
            unpacked = sum(info.file_size for info in members.values())
            if unpacked > settings.ATTACHMENT_MAX_MB * 1024 * 1024 * MAX_UNPACKED_FACTOR:
                raise DomainError.on("file", "The file unpacks to far more than a Word document holds; not read.")
        return docx.Document(io.BytesIO(content))
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file fails inside zipfile or lxml in many ways
        raise DomainError.on("file", "The Word document is damaged and cannot be read.") from exc


def _blocks(container, parent) -> Iterator[WordParagraph | WordTable]:
    """The paragraphs and tables of a body or cell in order — including those inside block content controls, which
    Word forms and AAR templates wrap their fields in."""
    for element in container.iterchildren():
        if element.tag == qn("w:p"):
            yield WordParagraph(element, parent)
        elif element.tag == qn("w:tbl"):
            yield WordTable(element, parent)
        elif element.tag == qn("w:sdt"):
            for content in element.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, parent)


def text_of(paragraph: WordParagraph) -> str:
    """All the text of a paragraph, with line breaks and tabs: also what sits in tracked insertions, inline content
    controls and text boxes, which `Paragraph.text` leaves out."""
    parts: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == FALLBACK:
                continue  # the same content again, for readers that cannot show the preferred choice
            if tag == qn("w:t"):
                parts.append(child.text or "")
            elif tag == qn("w:tab"):
                parts.append("\t")
            elif tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n")
            elif tag == qn("w:noBreakHyphen"):
                parts.append("-")
            else:
                if tag == qn("w:p"):
                    parts.append("\n")
                walk(child)

    walk(paragraph._p)
    return "".join(parts)


def cell_text(cell) -> str:
    return "\n".join(
        cell_text_of_table(block) if isinstance(block, WordTable) else text_of(block)
        for block in _blocks(cell._tc, cell)
    ).strip()


def cell_text_of_table(table: WordTable) -> str:
    return "\n".join(" | ".join(cell_text(cell) for cell in row.cells) for row in table.rows)


def read_document(event: Event, word: WordDocument) -> Reading:
    reader = Reader(event)
    for block in _blocks(word.element.body, word._body):
        if isinstance(block, WordTable):
            reader.table(block)
        else:
            reader.paragraph(block)
    return reader.finish()


def _title(item: Item) -> str:
    title = item.title.strip()
    if not title:
        source = next((t.value() for t in item.parts.values() if t), "Imported observation")
        title = re.split(r"(?<=[.!?])\s|\n", source.lstrip("- "), maxsplit=1)[0]
    if len(title) > 200:
        title = title[:197].rsplit(" ", 1)[0] + "…"
    return title


def _tag_fields(event: Event, item: Item) -> dict[str, Any]:
    """The tags that name something Goldthread knows; the others are kept as text in the discussion."""
    found: dict[str, Any] = {}
    for name, value in item.tags.items():
        known: Any = None
        if name == "claim":
            known = event.claims.filter(objective__code=value).first()
        elif name == "objective_type":
            known = _choice(ObjectiveType, value) or _choice(ObjectiveType, value.rsplit("(", 1)[-1].rstrip(")"))
        elif name == "indicator":
            known = value[:300]
        elif name == "partner_unit":
            known = Organization.objects.filter(echelon=Echelon.PARTNER_UNIT, short_name=value).first()
            known = known or Organization.objects.filter(echelon=Echelon.PARTNER_UNIT, name=value).first()
        elif name == "dotmlpfp":
            known = _choice(Dotmlpfp, value)
        elif name == "criticality":
            known = _choice(Observation.Criticality, value)
        elif name == "channel":
            known = _choice(Observation.Channel, value)
        elif name == "stage" and _choice(Observation.Stage, value):
            continue  # the lifecycle starts again in the new report
        if known:
            found[name] = known
        else:
            item.notes.append(f"{layout.TAG_LABELS[name]}: {value}")
    return found


def _observation_fields(event: Event, item: Item) -> dict[str, Any]:
    fields: dict[str, Any] = {"finding": item.finding, **_tag_fields(event, item)}
    whys = [w.strip() for w in item.whys if w.strip()]
    item.notes += [f"Further why: {w}" for w in whys[services.MAX_WHYS :]]
    assumptions = item.assumptions[: services.MAX_ASSUMPTIONS]
    item.notes += [f"Assumption: {layout.assumption_line(a)}" for a in item.assumptions[services.MAX_ASSUMPTIONS :]]
    analysis = {
        "five_whys": whys[: services.MAX_WHYS],
        "root_cause": item.root_cause.value(),
        "assumptions": assumptions,
    }
    fields["analysis"] = {k: v for k, v in analysis.items() if v}
    texts = {name: text.value() for name, text in item.parts.items()}
    if item.notes:
        texts["discussion"] = "\n\n".join(t for t in (texts["discussion"], *item.notes) if t)
    title = _title(item)
    if item.title and len(item.title.strip()) > 200:
        texts["observation"] = "\n\n".join(t for t in (item.title.strip(), texts["observation"]) if t)
    fields.update(texts, title=title)
    fields["observation"] = fields["observation"] or title
    return fields


def _as_text(item: Item) -> str:
    """An observation that is not recorded as one, as the labelled lines it was read from."""
    lines = [item.title] if item.title else []
    lines += [f"{layout.OBSERVATION_LABELS[name]}: {text.value()}" for name, text in item.parts.items() if text]
    lines += [f"{layout.TAG_LABELS[name]}: {value}" for name, value in item.tags.items()]
    lines += [f"Why: {why}" for why in item.whys]
    if item.root_cause:
        lines.append(f"{layout.ROOT_CAUSE_LABEL}: {item.root_cause.value()}")
    return "\n".join(lines + [f"Assumption: {layout.assumption_line(a)}" for a in item.assumptions] + item.notes)


def import_docx(*, actor: User, event: Event, file: Any) -> Report:
    """Start `event`'s AAR as a draft from a legacy Word file (bytes, an upload or an open binary file)."""
    content, name = _content(file)
    word = _document(content)
    try:
        read = read_document(event, word)
    except RecursionError as exc:
        raise DomainError.on("file", "The Word document nests its content too deeply to be read.") from exc
    read.unrecognised += [_as_text(item) for item in read.items[MAX_OBSERVATIONS:]]
    with transaction.atomic():
        report = services.start(actor=actor, event=event)
        fields: dict[str, Any] = {section: text.value() for section, text in read.sections.items() if text}
        if read.unrecognised:
            kept = UNRECOGNISED + "\n\n" + "\n\n".join(read.unrecognised)
            fields["summary"] = f"{fields['summary']}\n\n{kept}" if fields.get("summary") else kept
        if read.markings:
            fields["markings"] = read.markings[:120]
        if read.hotwash_held:
            fields["hotwash_held"] = read.hotwash_held
        reviews = {
            claim_id: {question: text.value() for question, text in answers.items() if text}
            for claim_id, answers in read.reviews.items()
        }
        services.update(actor=actor, report=report, version=report.version, fields=fields, reviews=reviews)
        for item in read.items[:MAX_OBSERVATIONS]:
            services.add_observation(actor=actor, report=report, fields=_observation_fields(event, item))
        for text, owner, due, done in read.actions:
            action = services.add_action(actor=actor, report=report, text=text, owner=owner, due=due)
            if done:
                services.set_action_done(actor=actor, action=action, done=True)
        audit.record(
            actor,
            "aar.imported",
            report,
            {
                "file": name,
                "observations": min(len(read.items), MAX_OBSERVATIONS),
                "actions": len(read.actions),
                "unrecognised": len(read.unrecognised),
            },
        )
        report.refresh_from_db()
    return report
