"""PURE. Checks of websocket handshake queries and message fields, in the API's types and ranges."""

import math
from typing import Any, Collection, List, Mapping, Optional, Sequence

Query = Mapping[str, str]  # a handshake's query: aiohttp's MultiDictProxy, which keeps repeated keys


class QueryError(ValueError):
    """A handshake query (or a message field) the API would refuse; the message says why."""


def every(query: Query, name: str) -> List[str]:
    """Every value of a query key, in order (repeated keys are lists in the API); a plain dict
    has one value at most."""
    getall = getattr(query, "getall", None)
    if getall is not None:
        return list(getall(name, []))
    return [query[name]] if name in query else []


def one_of(query: Query, name: str, allowed: Collection[str], default: Optional[str] = None) -> Optional[str]:
    """The key's value, which must be among ``allowed``; ``default`` when absent."""
    value = query.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise QueryError(f"Bad Request: {name} must be one of {', '.join(sorted(allowed))}, not {value!r}")
    return value


def flag(query: Query, name: str) -> bool:
    """A ``true``/``false`` key (absent: false); other spellings are refused, as the API does."""
    return one_of(query, name, ("true", "false"), "false") == "true"


def number(query: Query, name: str, low: float, high: float, default: Optional[float] = None,
           integer: bool = False) -> Optional[float]:
    """The key's value as a number within ``[low, high]`` (whole if ``integer``); ``default`` when absent."""
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = float(int(raw)) if integer else float(raw)
    except ValueError:
        raise QueryError(f"Bad Request: {name} must be {'an integer' if integer else 'a number'}, "
                         f"not {raw!r}") from None
    return in_range(name, value, low, high)


def in_range(name: str, value: float, low: float, high: float) -> float:
    """``value``, if finite and within ``[low, high]``."""
    if not (math.isfinite(value) and low <= value <= high):
        raise QueryError(f"Bad Request: {name} must be from {low:g} to {high:g}, not {value:g}")
    return value


def field_number(message: Mapping[str, Any], name: str, low: float, high: float,
                 integer: bool = False) -> Optional[float]:
    """A JSON message's numeric field within ``[low, high]``; None when absent."""
    value = message.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and value != int(value)):
        raise QueryError(f"{name} must be {'an integer' if integer else 'a number'}")
    return in_range(name, float(value), low, high)


def strings(value: Any, name: str) -> List[str]:
    """A JSON field that must be a list of non-empty strings (or one string)."""
    items: Sequence[Any] = [value] if isinstance(value, str) else value if isinstance(value, list) else [None]
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise QueryError(f"{name} must be a list of non-empty strings")
    return [str(item) for item in items]


def sample_rate(query: Query, encoding: str, rates: Mapping[str, Sequence[int]],
                default: Mapping[str, int]) -> int:
    """The output sample rate: one that ``encoding`` allows, or the encoding's default."""
    raw = query.get("sample_rate")
    if raw is None:
        return default[encoding]
    allowed = rates[encoding]
    if not raw.isdigit() or int(raw) not in allowed:
        raise QueryError(f"Bad Request: sample_rate for {encoding} must be one of "
                         f"{', '.join(map(str, allowed))}, not {raw!r}")
    return int(raw)


def text_of(message: Mapping[str, Any], name: str, allow_empty: bool = False) -> Optional[str]:
    """A message's string field; None if it is missing, not a string, or blank (unless allowed)."""
    value = message.get(name)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        return None
    return value
