"""PURE. Deepgram's wire rules: requests, the legacy query encoding, URLs, headers and responses."""

import datetime
import enum
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple

from ._checks import encodable
from ._config import Config
from ._settings import Timeout
from ._warn import warn
from .errors import DeepgramApiError, DeepgramSetupError, DeepgramWarning

Pairs = Tuple[Tuple[str, str], ...]

if TYPE_CHECKING:
    _JsonObject = Dict[str, Any]
else:
    _JsonObject = dict  # Python 3.8 cannot subclass dict[str, Any]; typing.Dict would add Generic


class Request(NamedTuple):
    """One REST call, before any I/O: everything the transports need to send it."""

    method: str
    path: str
    query: Pairs = ()
    json: Any = None
    body: Any = None
    content_type: Optional[str] = None
    timeout: Optional[Timeout] = None
    expect: str = "json"  # "json", or "audio" (bytes, or JSON for callbacks and errors)
    base: str = "api"  # "api": under api_url (…/v1); "host": the host alone (/v2/…); "agent"
    sink: Any = None  # a binary stream that receives a successful audio body in chunks


class DeepgramResponse(_JsonObject):
    """The parsed JSON body, a plain dict that also carries ``status``, ``headers`` (a
    case-insensitive mapping) and ``request_id``."""

    # Slots: setting three attributes on each answer would otherwise build an instance dict
    # (``__dict__`` stays, so any other attribute can still be set).
    __slots__ = ("__dict__", "headers", "request_id", "status")

    status: Optional[int]
    headers: Mapping[str, str]
    request_id: Optional[str]

    if not TYPE_CHECKING:  # a checker would take __getattr__ to mean any attribute exists

        def __getattr__(self, name: str) -> Any:
            """The defaults of a response made by hand (``DeepgramResponse({...})``)."""
            if name in _UNSET_RESPONSE:
                return _UNSET_RESPONSE[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


_UNSET_RESPONSE: Dict[str, Any] = {"status": None, "headers": {}, "request_id": None}


# ---------------------------------------------------------------------------------------------
# Query strings (the 2.12 rules, minus its crashes)


def _flatten(value: Any) -> Iterable[Any]:
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, (set, frozenset)):
        for item in sorted(value, key=str):
            yield from _flatten(item)
    else:
        yield value


def _scalar(value: Any, key: str) -> Optional[str]:
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar(value.value, key)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise DeepgramSetupError(
                f"The option {key!r} is bytes that are not UTF-8 ({value[:40]!r}); pass a str."
            ) from None
    return encodable(str(value), f"The option {key!r}")


def query_pairs(params: Any) -> Pairs:
    """Encode options the legacy way: lowercase booleans, lists as repeated keys, None dropped."""
    if params is None:
        return ()
    if not isinstance(params, Mapping):
        raise DeepgramSetupError(
            f"Options must be a dict of query parameters, not {type(params).__name__}."
        )
    pairs: List[Tuple[str, str]] = []
    for key, value in params.items():
        name = encodable(str(key), "An option name")
        for item in _flatten(value):
            text = _scalar(item, name)
            if text is not None:
                pairs.append((name, text))
    return tuple(pairs)


def make_query_string(params: Any = None) -> str:
    """Return ``?a=1&b=true`` for ``params``, or ``''`` when nothing remains."""
    from urllib.parse import urlencode

    pairs = query_pairs(params)
    return "?" + urlencode(pairs) if pairs else ""


def merge_options(options: Any, kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    """Merge an options dict with keyword options; keywords win, as in 2.x."""
    if options is not None and not isinstance(options, Mapping):
        raise DeepgramSetupError(
            f"options must be a dict of query parameters, not {type(options).__name__}."
        )
    return {**(options or {}), **kwargs}


# ---------------------------------------------------------------------------------------------
# Paths, URLs, headers


def path(template: str, **values: Any) -> str:
    """Fill ``template`` with URL-encoded id segments (ids, emails), rejecting empty ones."""
    from urllib.parse import quote

    encoded = {}
    for name, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            raise DeepgramSetupError(f"{name} is required and must be a non-empty string.")
        if isinstance(value, (bool, bytes, dict, list, tuple, set)):
            raise DeepgramSetupError(f"{name} must be a string, not {type(value).__name__}.")
        encoded[name] = quote(encodable(str(value), name), safe="")
    return template.format(**encoded)


def build_url(config: Config, request: Request) -> str:
    if request.base == "api":
        url = config.api_url + request.path
    elif request.base == "agent":
        url = config.agent_url + request.path
    else:  # the host alone: paths of other API versions, such as /v2/speak
        url = config.api_url.rsplit("/", 1)[0] + request.path
    query = request.query + config.query if config.query else request.query
    if not query:
        return url
    from urllib.parse import urlencode

    return url + "?" + urlencode(query)


def build_headers(config: Config, request: Optional[Request]) -> Dict[str, str]:
    """A call's headers (``request`` None: those every call of ``config`` sends)."""
    headers = dict(config.headers)
    headers["Authorization"] = config.authorization
    headers["User-Agent"] = config.user_agent
    if request is not None and request.content_type:
        headers["Content-Type"] = request.content_type
    return headers


def websocket_url(config: Config, request: Request) -> str:
    """A websocket's URL: the REST rules (base, client ``query``), with ws/wss for http/https."""
    url = build_url(config, request)
    return "ws" + url[4:] if url.startswith("http") else url


def websocket_headers(config: Config, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """A websocket handshake's headers: the client's, ``extra``, and the credential (the
    User-Agent goes separately, as websockets sends its own)."""
    return {**dict(config.headers), **(extra or {}), "Authorization": config.authorization}


def json_body(request: Request) -> Optional[bytes]:
    if request.json is None:
        return None
    import json

    return json.dumps(request.json, default=_json_default).encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# ---------------------------------------------------------------------------------------------
# Responses


def _lower(headers: Mapping[str, str]) -> Dict[str, str]:
    return {str(k).lower(): v for k, v in headers.items()}


def _error_message(status: int, headers: Mapping[str, str], body: bytes) -> Any:
    import json

    text = body.decode("utf-8", "replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return parsed
    if "html" in headers.get("content-type", ""):
        import re

        title = re.search(r"<title>(.*?)</title>", text, re.I | re.S)
        text = f"an HTML page ({title.group(1).strip() if title else 'no title'})"
    return text[:500] or headers.get("dg-error") or f"HTTP {status} with an empty body"


def reason_phrase(status: int) -> str:
    """The standard reason phrase of ``status`` ("Unauthorized"), or ``""``."""
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def raise_for_status(status: int, headers: Mapping[str, str], body: bytes,
                     cause: Optional[BaseException] = None) -> None:
    """Raise ``DeepgramApiError`` when ``status`` is not a success."""
    if 200 <= status < 300:
        return
    lowered = _lower(headers)
    message = _error_message(status, lowered, body)
    raise DeepgramApiError(
        message, status=status, headers=lowered, body=message, http_library_error=cause
    ) from cause


_decode: Any = None  # json's raw_decode, made on first use (json is not imported with the SDK)
_ASCII_SPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() strips


def _json_of(body: bytes) -> Any:
    """``json.loads(body)``, or None for a blank body. Plain UTF-8 with nothing before the value
    (what Deepgram sends) goes straight to the decoder: ``loads`` would first guess the bytes'
    encoding and scan for whitespace twice. Anything else is left to ``json.loads``."""
    global _decode
    if _decode is None:
        import json

        _decode = json.JSONDecoder().raw_decode
    try:
        text = body.decode()
        value, end = _decode(text)
        if end == len(text) or not text[end:].strip(_ASCII_SPACE):  # a trailing newline is common
            return value
    except ValueError:  # not UTF-8, or no value at the start: whitespace, a BOM, UTF-16/32, an error
        pass
    return _json_slowly(body)


def _json_slowly(body: bytes) -> Any:
    import json

    text = body.strip()  # ASCII whitespace JSON does not allow is stripped too, as 2.x did
    return json.loads(text) if text else None


def parse_response(config: Config, status: int, headers: Mapping[str, str], body: bytes,
                   cause: Optional[BaseException] = None) -> Any:
    """Turn ``(status, headers, body)`` into the parsed JSON, ``None``, or a ``DeepgramApiError``
    (``cause``: the HTTP library's own error for an error status, kept on the exception)."""
    if not 200 <= status < 300:
        raise_for_status(status, headers, body, cause)
    try:
        parsed = _json_of(body)
    except ValueError as exc:
        text = body.strip()
        raise DeepgramApiError(
            f"Deepgram answered {status} with a body that is not JSON: {text[:200]!r}",
            status=status, headers=headers, body=text.decode("utf-8", "replace"),
            http_library_error=exc,
        ) from exc
    if not isinstance(parsed, dict):
        return parsed
    if parsed.get("error") or parsed.get("err_msg"):
        raise DeepgramApiError(parsed, status=status, headers=headers)
    request_id = parsed.get("request_id")
    metadata = parsed.get("metadata")
    if isinstance(metadata, dict):
        if metadata.get("warnings"):
            _handle_warnings(config, parsed, status, headers)
        request_id = request_id or metadata.get("request_id")
    result = DeepgramResponse(parsed)
    result.status = status
    result.headers = headers
    result.request_id = request_id or headers.get("dg-request-id")
    return result


class AudioResponse(bytes):
    """Audio from the API: the bytes, with ``status``, ``headers`` and ``request_id`` attached."""

    status: Optional[int] = None
    headers: Mapping[str, str] = {}
    request_id: Optional[str] = None
    content_type: Optional[str] = None


def audio_result(status: int, headers: Mapping[str, str], body: bytes, sink: Any) -> Any:
    """The audio bytes, or (when they went to ``sink``) a dict saying how many bytes were written."""
    if sink is not None:
        result: Any = DeepgramResponse({
            "bytes_written": getattr(sink, "written", None),
            "content_type": headers.get("content-type"),
            "request_id": headers.get("dg-request-id"),
        })
    else:
        result = AudioResponse(body)
        result.content_type = headers.get("content-type")
    result.status, result.headers, result.request_id = status, headers, headers.get("dg-request-id")
    return result


def _handle_warnings(config: Config, parsed: Mapping[str, Any], status: int, headers: Mapping[str, str]) -> None:
    metadata = parsed.get("metadata")
    if not isinstance(metadata, dict):
        return
    found = metadata.get("warnings")
    if not found or (config.suppress_warnings and not config.raise_warnings_as_errors):
        return
    messages = [w.get("message", str(w)) if isinstance(w, dict) else str(w) for w in found]
    if config.raise_warnings_as_errors:
        error = DeepgramApiError(
            {"err_msg": "; ".join(messages), "warnings": found,
             "request_id": metadata.get("request_id")},
            status=status, headers=headers, body=parsed,
        )
        raise error
    for message in messages:
        warn(message, DeepgramWarning)
