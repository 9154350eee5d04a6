"""JSON that keeps decimals exact: numbers are parsed as Decimal and written back verbatim."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider


class _DecimalEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, date):  # ISO 8601 (datetime is a date too), not an HTTP date
            return o.isoformat()
        return DefaultJSONProvider.default(o)


class DecimalJSONProvider(DefaultJSONProvider):
    """Parse floats as Decimal ("0.2" stays 0.2 all the way to the rule engine)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON text with exact decimals."""
        kwargs.setdefault("parse_float", Decimal)
        return json.loads(s, **kwargs)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Write JSON; Decimals become strings with their exact digits."""
        kwargs.setdefault("cls", _DecimalEncoder)
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return json.dumps(obj, **kwargs)
