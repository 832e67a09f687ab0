"""The one exception family that services raise. Views, API and CLI each map it once."""


class DomainError(Exception):
    """Input or state breaks a rule. `errors` maps field names to messages; `status` is the HTTP code it maps to."""

    status = 400

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}

    @classmethod
    def on(cls, field: str, message: str) -> "DomainError":
        return cls(message, {field: [message]})


class NotPermitted(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The record changed since the caller read it."""

    status = 409
