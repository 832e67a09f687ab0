"""Types shared by every API and import schema: safe text, the error body."""

from datetime import UTC, datetime
from typing import Annotated

from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, Field


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - reads as a type
    """A string field both databases will store as given."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_clean_text)]


def _reasonable_moment(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("is out of range") from exc
    if not 1900 <= in_utc.year <= 2200:
        raise ValueError("must be between the years 1900 and 2200")
    return in_utc


# A point in time; naive values are taken as UTC, and every value is stored and compared in UTC.
Moment = Annotated[datetime, AfterValidator(_reasonable_moment)]
Code = Text(40, 1)
ShortText = Text(300)
LongText = Text(20_000)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 422)}


class Pages(PageNumberPagination):
    """Page-number pagination with bounds, so no page number can overflow a database's OFFSET."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)

    def __init__(self, page_size: int = 50, **kwargs):
        super().__init__(page_size=page_size, max_page_size=500, **kwargs)
