"""PURE. Each client setting parsed and checked: timeouts, headers, flags, transport settings,
and the warning for option names nobody knows."""

import os
from typing import Any, Dict, Mapping, NamedTuple, Optional, Tuple

from ._checks import check_header, check_host
from ._warn import warn
from .errors import DeepgramSetupError

DEFAULT_CONNECT_TIMEOUT = 10.0
# Pre-recorded requests answer only once the audio is processed; Deepgram gives up after
# about ten minutes, so the read timeout is a little longer than that.
DEFAULT_READ_TIMEOUT = 660.0


class Timeout(NamedTuple):
    """Connect and read limits in seconds; ``total`` bounds the whole call when set."""

    connect: Optional[float] = DEFAULT_CONNECT_TIMEOUT
    read: Optional[float] = DEFAULT_READ_TIMEOUT
    total: Optional[float] = None


_PROXY_SCHEMES = ("http://", "https://", "socks5://", "socks5h://")


def timeout_from(value: Any) -> Timeout:
    if value is None:
        return Timeout()
    if isinstance(value, Timeout):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return Timeout(connect=float(value), read=float(value))
    if isinstance(value, tuple) and len(value) == 2:
        return Timeout(connect=_seconds(value[0]), read=_seconds(value[1]))
    if isinstance(value, Mapping):
        unknown = set(value) - {"connect", "read", "total"}
        if not unknown:
            defaults = Timeout()
            return Timeout(
                connect=_seconds(value.get("connect", defaults.connect)),
                read=_seconds(value.get("read", defaults.read)),
                total=_seconds(value.get("total")),
            )
    raise DeepgramSetupError(
        "timeout must be a positive number of seconds, a (connect, read) tuple, or a dict "
        f"with connect/read/total; got {value!r}."
    )


def _seconds(value: Any) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise DeepgramSetupError(f"A timeout must be a positive number of seconds, got {value!r}.")


def headers_from(value: Any) -> Tuple[Tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise DeepgramSetupError("headers must be a dict of header names to string values.")
    for name, text in value.items():
        check_header(name, text, "headers")
    return tuple(value.items())


def flag(options: Mapping[str, Any], name: str) -> bool:
    """A boolean setting: True/False, or the strings "true"/"false" (from a config file)."""
    value = options.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise DeepgramSetupError(f"{name} must be True or False (or \"true\"/\"false\"), got {value!r}.")


KNOWN_OPTIONS = (
    "api_key", "api_url", "access_token", "auth_method", "suppress_warnings", "raise_warnings_as_errors",
    "timeout", "headers", "query", "max_retries", "retry_unanswered", "proxy", "verify", "session",
    "sync_session", "on_progress", "on_response",
)


def warn_unknown(options: Mapping[str, Any]) -> None:
    """Warn about option names this client does not know (a typo would be silently ignored)."""
    for name in options:
        if name in KNOWN_OPTIONS:
            continue
        import difflib

        close = difflib.get_close_matches(str(name), KNOWN_OPTIONS, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"the options are {', '.join(KNOWN_OPTIONS)}."
        from .errors import DeepgramWarning

        warn(f"Deepgram() ignores the unknown option {name!r}; {hint}", DeepgramWarning)


def transport_options(options: Mapping[str, Any]) -> Dict[str, Any]:
    """The transport settings of the options dict, validated."""
    found: Dict[str, Any] = {}
    if "max_retries" in options:
        value = options["max_retries"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DeepgramSetupError(f"max_retries must be an integer of 0 or more, got {value!r}.")
        found["max_retries"] = value
    proxy = options.get("proxy")
    if proxy is not None:
        found["proxy"] = _proxy(proxy)
    else:
        found["proxy"] = None
    verify = options.get("verify")
    if verify is not None and not isinstance(verify, (bool, str, os.PathLike)) and not hasattr(verify, "wrap_socket"):
        raise DeepgramSetupError("verify must be True, False, a CA bundle path or an ssl.SSLContext.")
    if isinstance(verify, (str, os.PathLike)) and not os.path.exists(verify):
        raise DeepgramSetupError(f"verify names a CA bundle that does not exist: {os.fspath(verify)!r}.")
    found["verify"] = os.fspath(verify) if isinstance(verify, os.PathLike) else verify
    for name, module in (("session", "aiohttp"), ("sync_session", "requests")):
        value = options.get(name)
        if value is not None and type(value).__module__.split(".")[0] != module and not hasattr(value, "request"):
            raise DeepgramSetupError(f"{name} must be a {module} session, not {type(value).__name__}.")
        found[name] = value
    progress = options.get("on_progress")
    if progress is not None and not callable(progress):
        raise DeepgramSetupError("on_progress must be a function taking (bytes_sent, total_or_None).")
    found["on_progress"] = progress
    return found


def _proxy(proxy: Any) -> str:
    if not isinstance(proxy, str) or not proxy.startswith(_PROXY_SCHEMES):
        shown = "***@" + proxy.rpartition("@")[2] if isinstance(proxy, str) and "@" in proxy else proxy
        raise DeepgramSetupError(f"proxy must be a URL such as 'http://proxy.local:3128', got {shown!r}.")
    from urllib.parse import urlsplit

    # A proxy URL may carry credentials: check the host and port, and never print the URL.
    netloc = urlsplit(proxy).netloc.rpartition("@")[2]
    check_host(netloc, netloc, "proxy")
    return proxy


def query_from(value: Any) -> Tuple[Tuple[str, str], ...]:
    if value is None:
        return ()
    from ._wire import query_pairs

    return query_pairs(value)


def callable_or_none(value: Any, name: str, shape: str) -> Any:
    if value is not None and not callable(value):
        raise DeepgramSetupError(f"{name} must be a function taking {shape}.")
    return value


def call_timeout(value: Any) -> Optional[Timeout]:
    """The legacy per-call ``timeout=``: None keeps the client's, a number bounds the call."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        # 2.12 meant the whole call on the async path and each socket operation on the sync
        # path; a number bounds connect, each read, and (where the library can) the total.
        return Timeout(connect=float(value), read=float(value), total=float(value))
    return timeout_from(value)
