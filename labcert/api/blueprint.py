"""The API's Blueprint: flask-smorest with JSON bodies parsed as exact decimals."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class DecimalParser(FlaskParser):
    """Parse JSON request bodies with `parse_float=Decimal` (never through float)."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        return json.loads(req.get_data(cache=True).decode("utf-8"), parse_float=Decimal)


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose arguments keep decimals exact."""

    ARGUMENTS_PARSER = DecimalParser()
