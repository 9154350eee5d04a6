"""Errors raised by the rule engine: bad criteria data, bad input, unknown criteria sets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class CriteriaError(ValueError):
    """A criteria or catalogue file is invalid; str is '<file>: <path>: <reason>' per problem."""

    def __init__(self, file: str, problems: Iterable[tuple[str, str]]) -> None:
        self.file = str(file)
        self.problems: list[tuple[str, str]] = list(problems) or [("", "invalid")]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(
            f"{self.file}: {path}: {reason}" if path else f"{self.file}: {reason}"
            for path, reason in self.problems
        )


class InputError(ValueError):
    """Input data (product facts or results) is invalid; details maps field paths to messages."""

    def __init__(self, details: Mapping[str, list[str]], message: str | None = None) -> None:
        self.details: dict[str, list[str]] = {key: list(msgs) for key, msgs in details.items()}
        if message is None:
            count = sum(len(msgs) for msgs in self.details.values())
            first = next(iter(self.details.items()), ("", [""]))
            message = f"{first[0]}: {first[1][0]}" if count == 1 else f"{count} invalid fields"
        self.message = message
        super().__init__(message)


class UnknownCriteriaSet(LookupError):
    """A criteria set reference is malformed, unknown, or has no version in force on the date."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
