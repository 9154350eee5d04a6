"""Domain errors: services raise them, views and the API turn them into answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class DomainError(Exception):
    """A refusal a user can act on; `status` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str, details: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, list[str]] = dict(details or {})


class ValidationFailed(DomainError):
    """Input that cannot be accepted; `details` maps each field to its messages."""

    status = 422

    @classmethod
    def of(cls, reasons: Iterable[tuple[str, str]], message: str | None = None) -> ValidationFailed:
        """Build from (field, message) pairs."""
        details: dict[str, list[str]] = {}
        for field, text in reasons:
            details.setdefault(field, []).append(text)
        summary = message or "; ".join(f"{f}: {m[0]}" for f, m in details.items())
        return cls(summary, details)


class Unauthenticated(DomainError):
    """No valid credentials were given."""

    status = 401


class PermissionDenied(DomainError):
    """The user's role or ownership does not allow this."""

    status = 403


class NotFound(DomainError):
    """Unknown object, or one that belongs to someone else."""

    status = 404


class Conflict(DomainError):
    """The object is not in a state that allows this, or changed meanwhile."""

    status = 409


def describe_size(size: int) -> str:
    """Say a size the way the limits are set: in MiB, KiB or bytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MiB"
    return f"{size / 1024:g} KiB" if size >= 1024 else f"{size} bytes"


class UploadTooLarge(DomainError):
    """An uploaded file over its limit: one status (413) and one message, wherever it comes."""

    status = 413

    def __init__(self, limit: int, field: str = "file") -> None:
        message = (f"The file is larger than the limit of {describe_size(limit)}; "
                   "split it or make it smaller.")
        super().__init__(message, {field: [message]})
        self.limit = limit
