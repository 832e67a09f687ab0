import uuid


def is_uuid(text: str) -> bool:
    """True if `text` is a UUID, so a lookup by uid will not raise on the database."""
    try:
        uuid.UUID(text)
    except (ValueError, TypeError, AttributeError):
        return False
    return True
