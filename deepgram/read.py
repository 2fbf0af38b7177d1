"""Text intelligence: summaries, topics, intents and sentiment of a text or a URL."""

from typing import Any, Optional

from ._resource import Resource
from ._wire import Request, merge_options, query_pairs
from .errors import DeepgramSetupError


def _read_body(source: Any) -> dict:
    if isinstance(source, str) and not source.startswith(("http://", "https://")):
        return {"text": source}
    if isinstance(source, str):
        return {"url": source}
    if isinstance(source, dict) and (isinstance(source.get("text"), str) or isinstance(source.get("url"), str)):
        return {k: source[k] for k in ("text", "url") if source.get(k) is not None}
    raise DeepgramSetupError("read needs {'text': '...'} or {'url': 'https://...'} (or a string).")


class Read(Resource):
    """The ``/read`` endpoint."""

    def analyze(self, source: Any, options: Optional[dict] = None, endpoint: str = "/read", **kwargs: Any) -> Any:
        """Analyze a text or the text at a URL: ``{"summarize": "v2", "topics": True, ...}``."""
        query = query_pairs(merge_options(options, kwargs))
        return self._send(Request("POST", endpoint, query=query, json=_read_body(source),
                                  content_type="application/json"))
