"""An immutable, hashable mapping for frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn, TypeVar

V = TypeVar("V")


class FrozenDict(dict[str, V]):
    """Hold a read-only dict (C-speed lookups in the engine's hot path) that can be hashed."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("FrozenDict is immutable")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __hash__(self) -> int:
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> FrozenDict[V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict[V]:
        return self


EMPTY: FrozenDict[Any] = FrozenDict()


def freeze(value: Any) -> Any:
    """Return value with dicts, lists and sets replaced by immutable equivalents, recursively."""
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, Mapping):
        return FrozenDict({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Return value with FrozenDicts and tuples turned back into dicts and lists."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(thaw(v) for v in value)
    return value
