"""Opening a stream from an endpoint group: options checked before any I/O, the client's
settings carried over, and the async or blocking form (imported on first use: it loads asyncio)."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional, Tuple, TypeVar, Union

from ._live_connect import LiveSettings
from ._stream import Stream
from ._sync_stream import SyncStream
from ._wire import merge_options, query_pairs
from .live import Connect, split_settings

S = TypeVar("S", bound=Stream)
C = TypeVar("C", bound="Connect[Any]")
Y = TypeVar("Y", bound="SyncStream[Any]")

__all__ = ["open_stream"]


def open_stream(group: Any, make: Callable[..., S], connect: Callable[[S], C], twin: Callable[[S], Y],
                options: Optional[Mapping[str, Any]], kwargs: Mapping[str, Any], endpoint: Optional[str] = None,
                lead: Tuple[Any, ...] = ()) -> Union[C, Y]:
    """The stream ``make`` builds for ``group``'s client: ``connect(stream)`` (a ``Connect``, to
    await) on ``dg``, the connected blocking ``twin`` on ``dg.sync``. Options are a dict and/or keywords (query
    parameters); a ``LiveSettings`` among the keywords holds the SDK's own settings."""
    settings, query = split_settings(kwargs)
    merged = merge_options(options, query)
    query_pairs(merged)  # bad options fail here, before any I/O
    sender = group._send
    stream = make(group.options, *lead, merged, endpoint, settings or LiveSettings(),
                  config=getattr(sender, "config", None), budget=getattr(sender, "budget", None))
    if getattr(sender, "blocking", False):
        return twin(stream)
    return connect(stream)
