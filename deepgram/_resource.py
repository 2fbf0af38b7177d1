"""The base of every endpoint group: methods build a ``Request`` and hand it to a sender."""

from typing import Any, Callable, Optional

from ._wire import Request, merge_options, path, query_pairs

Sender = Callable[[Request], Any]


def default_sender(options: Any, blocking: bool = False) -> Sender:
    """Build a sender from legacy options, for helpers constructed directly as in 2.x."""
    from ._config import parse_options
    from ._http import AsyncSender, SyncSender

    _, config = parse_options(options)
    return SyncSender(config) if blocking else AsyncSender(config)


class Resource:
    """An endpoint group; the sender decides whether calls are awaitable or blocking."""

    _root = "/projects"

    def __init__(self, options: Any, sender: Optional[Sender] = None) -> None:
        self.options = options
        self._send = sender if sender is not None else default_sender(options)

    def _get(self, template: str, project_id: Any, options: Any, kwargs: dict, **ids: Any) -> Any:
        """GET a project path with options (a dict and/or keywords) as the query."""
        query = query_pairs(merge_options(options, kwargs))
        return self._send(Request("GET", path(template, p=project_id, **ids), query=query))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} group>"
