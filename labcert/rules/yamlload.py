"""Read YAML safely and exactly: decimals as Decimal, YAML 1.2 booleans, no duplicate keys."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

from .errors import CriteriaError

_BOOL = "tag:yaml.org,2002:bool"
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class _Loader(yaml.SafeLoader):
    """Resolve only true/false as booleans (so a key named 'on' stays 'on') and keep decimals."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _scalar_error(node: yaml.Node, message: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if not _INT.fullmatch(text):
        raise _scalar_error(
            node, f"ambiguous number {text!r}: write it as a plain decimal or quote it"
        )
    return int(text)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node))
    if not _FLOAT.fullmatch(text):
        raise _scalar_error(node, f"{text!r} is not a finite plain decimal number")
    return Decimal(text)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_yaml(text: str, file: str) -> Any:
    """Parse YAML text, raising CriteriaError with the file and line of the first problem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "yaml"
        raise CriteriaError(file, [(where, str(exc.problem or exc.context))]) from None
    except yaml.YAMLError as exc:
        raise CriteriaError(file, [("yaml", str(exc))]) from None
