"""The account's own choice of language for its pages."""

from __future__ import annotations

from labcert.errors import ValidationFailed
from labcert.languages import LANGUAGES
from labcert.models import User
from labcert.services.unit_of_work import transactional

LANGUAGE_PROBLEM = ("Choose one of: " + ", ".join(LANGUAGES)
                    + " (or nothing, to follow the browser).")


@transactional
def set_language(user: User, code: str | None) -> User:
    """Set (or with None clear) the language the user's pages speak."""
    if code is not None and code not in LANGUAGES:
        raise ValidationFailed.of([("language", LANGUAGE_PROBLEM)])
    user.language = code
    return user
