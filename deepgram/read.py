"""Text intelligence: summaries, topics, intents and sentiment of a text or a URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict

from ._resource import Call, M, Query, Resource, endpoint
from ._wire import merge_options, query_pairs
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from .types import ReadResponse


def _read_body(source: Any) -> Dict[str, Any]:
    if isinstance(source, str) and not source.startswith(("http://", "https://")):
        return {"text": source}
    if isinstance(source, str):
        return {"url": source}
    if isinstance(source, dict) and (isinstance(source.get("text"), str) or isinstance(source.get("url"), str)):
        return {k: source[k] for k in ("text", "url") if source.get(k) is not None}
    raise DeepgramSetupError("read needs {'text': '...'} or {'url': 'https://...'} (or a string).")


class Read(Resource[M]):
    """The ``/read`` endpoint."""

    @endpoint
    def analyze(self, /, source: Any, options: Query = None, endpoint: str = "/read",
                **kwargs: Any) -> Call[ReadResponse]:
        """Analyze a text or the text at a URL: ``{"summarize": "v2", "topics": True, ...}``."""
        query = query_pairs(merge_options(options, kwargs))
        return Call("POST", endpoint, query=query, json=_read_body(source),
                    content_type="application/json")
