"""Classification and dissemination markings: the system's level, and refusing records marked above it."""

import re

from django.conf import settings

# Lowest to highest. A record may carry dissemination controls (CUI, REL TO …, NOFORN) at or below the system level.
LEVELS = ["UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]
_ABBREVIATIONS = {"U": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET", "TS": "TOP SECRET"}


def level_of(marking: str) -> str | None:
    """The classification a marking states in its first segment ("SECRET//NOFORN", or a portion mark "(S//NF) …"
    → SECRET), if any."""
    text = marking.strip().upper()
    if portion := re.match(r"\(([^)]*)\)", text):
        text = portion.group(1)
    first = text.split("//", 1)[0].strip()
    first = _ABBREVIATIONS.get(first, first)
    for level in reversed(LEVELS):  # TOP SECRET before SECRET
        if first == level or first.startswith(level + " "):
            return level
    return None


def system_level() -> str:
    return level_of(settings.CLASSIFICATION) or "UNCLASSIFIED"


def above_system(marking: str) -> bool:
    level = level_of(marking)
    return level is not None and LEVELS.index(level) > LEVELS.index(system_level())
