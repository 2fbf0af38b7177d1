"""PURE. Client options (a key string, a dict or the environment) into a frozen ``Config``."""

import os
import sys
from typing import Any, Dict, Mapping, NamedTuple, Optional, Tuple

from ._constants import DEFAULT_ENDPOINT
from ._version import __version__
from ._warn import warn
from .errors import DeepgramSetupError

ENV_API_KEY = "DEEPGRAM_API_KEY"
ENV_TOKENS = ("DEEPGRAM_ACCESS_TOKEN", "DEEPGRAM_TOKEN")
ENV_URLS = ("DEEPGRAM_API_URL", "DEEPGRAM_HOST")
AGENT_ENDPOINT = "https://agent.deepgram.com/v1"
DEFAULT_CONNECT_TIMEOUT = 10.0
# Pre-recorded requests answer only once the audio is processed; Deepgram gives up after
# about ten minutes, so the read timeout is a little longer than that.
DEFAULT_READ_TIMEOUT = 660.0

_USER_AGENT = "deepgram/{} python/{}.{}.{}".format(__version__, *sys.version_info[:3])


class _Missing:
    def __repr__(self) -> str:
        return "<no options>"


MISSING: Any = _Missing()


class Timeout(NamedTuple):
    """Connect and read limits in seconds; ``total`` bounds the whole call when set."""

    connect: Optional[float] = DEFAULT_CONNECT_TIMEOUT
    read: Optional[float] = DEFAULT_READ_TIMEOUT
    total: Optional[float] = None


class Config(NamedTuple):
    """Everything a transport needs to reach Deepgram, validated once."""

    api_key: str
    api_url: str = DEFAULT_ENDPOINT
    auth_method: str = "Token"
    suppress_warnings: bool = False
    raise_warnings_as_errors: bool = False
    timeout: Timeout = Timeout()
    headers: Tuple[Tuple[str, str], ...] = ()
    max_retries: int = 2
    proxy: Optional[str] = None
    verify: Any = None  # None/True: verify with the default CAs; False; a CA bundle path; an SSLContext
    session: Any = None  # an aiohttp.ClientSession to use (never closed by the SDK)
    sync_session: Any = None  # a requests.Session to use (never closed by the SDK)
    on_progress: Any = None  # upload progress callback (bytes_sent, total_or_None)
    agent_url: str = AGENT_ENDPOINT  # the host of the agent endpoints (think models)
    query: Tuple[Tuple[str, str], ...] = ()  # extra query parameters for every call
    on_response: Any = None  # callback(status, headers) after every answer

    def __repr__(self) -> str:
        # The key never appears in a repr, a log line or an error message.
        return f"Config(api_url={self.api_url!r}, auth_method={self.auth_method!r}, api_key=***)"

    @property
    def authorization(self) -> str:
        return f"{self.auth_method} {self.api_key}"

    @property
    def user_agent(self) -> str:
        return _USER_AGENT

    @property
    def ws_url(self) -> str:
        """The websocket base URL: http becomes ws and https becomes wss."""
        return "ws" + self.api_url[4:] if self.api_url.startswith("http") else self.api_url


_PROXY_SCHEMES = ("http://", "https://", "socks5://", "socks5h://")


def _has_space(text: str) -> bool:
    return any(c.isspace() for c in text)


def _check_key(key: Any, where: str) -> str:
    if key is None:
        raise DeepgramSetupError(
            f"No API key: {where} is None. Pass your Deepgram API key as a string, "
            f"or set {ENV_API_KEY} and call Deepgram() with no argument."
        )
    if not isinstance(key, str):
        raise DeepgramSetupError(
            f"The API key must be a string, not {type(key).__name__} ({where})."
        )
    key = key.strip()
    if not key:
        raise DeepgramSetupError(
            f"The API key is empty ({where}). Create a key in the Deepgram console and pass it."
        )
    if _has_space(key):
        raise DeepgramSetupError(
            f"The API key contains whitespace ({where}); copy the key again without spaces."
        )
    return key


def normalize_api_url(url: Any) -> str:
    """Return the ``/v1`` base URL for ``url``, fixing (with a warning) the usual slips."""
    if url is None or (isinstance(url, str) and not url.strip()):
        return DEFAULT_ENDPOINT
    if not isinstance(url, str):
        raise DeepgramSetupError(f"api_url must be a string, not {type(url).__name__}.")
    from urllib.parse import urlsplit, urlunsplit  # lazily: ~5 ms of import time

    parts = urlsplit(url.strip())
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in ("http", "https") or not parts.netloc:
        raise DeepgramSetupError(
            f"api_url must look like 'https://api.deepgram.com/v1' or "
            f"'http://localhost:8080/v1', got {url!r}."
        )
    if parts.query or parts.fragment:
        raise DeepgramSetupError(f"api_url must not carry a query or fragment: {url!r}.")
    path = parts.path.rstrip("/")
    if path.endswith("/listen"):
        path = path[: -len("/listen")]
        warn(f"api_url should be the base URL without /listen; using {path or '/v1'!r} as the path.")
    elif parts.path.endswith("/"):
        warn("api_url should not end with '/'; the trailing slash was removed.")
    if not path:
        path = "/v1"
        warn("api_url has no path; Deepgram's API lives under /v1, so '/v1' was added.")
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def _timeout_from(value: Any) -> Timeout:
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


def _headers_from(value: Any) -> Tuple[Tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise DeepgramSetupError("headers must be a dict of header names to string values.")
    return tuple((str(k), str(v)) for k, v in value.items())


def _transport_options(options: Mapping[str, Any]) -> Dict[str, Any]:
    """The transport settings of the options dict, validated."""
    found: Dict[str, Any] = {}
    if "max_retries" in options:
        value = options["max_retries"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DeepgramSetupError(f"max_retries must be an integer of 0 or more, got {value!r}.")
        found["max_retries"] = value
    proxy = options.get("proxy")
    if proxy is not None and (not isinstance(proxy, str) or not proxy.startswith(_PROXY_SCHEMES)):
        raise DeepgramSetupError(f"proxy must be a URL such as 'http://proxy.local:3128', got {proxy!r}.")
    found["proxy"] = proxy
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


def parse_options(options: Any = MISSING, environ: Optional[Mapping[str, str]] = None) -> Tuple[Dict[str, Any], Config]:
    """Validate the legacy ``Deepgram(options)`` argument into (options dict, Config)."""
    env = os.environ if environ is None else environ
    if options is MISSING:
        options = {}
    elif options is None:
        _check_key(None, "the argument of Deepgram()")
    elif isinstance(options, str):
        options = {"api_key": options}
    elif not isinstance(options, dict):
        raise DeepgramSetupError(
            "Deepgram() takes an API key string or a dict such as "
            "{'api_key': KEY, 'api_url': 'https://api.deepgram.com/v1'}, "
            f"not {type(options).__name__}."
        )
    key, auth_method = _credential(options, env)
    if not isinstance(auth_method, str) or _has_space(auth_method.strip()):
        raise DeepgramSetupError(f"auth_method must be 'Token' or 'Bearer', got {auth_method!r}.")
    api_url = _api_url(options, env)
    config = Config(
        api_key=key,
        api_url=api_url,
        auth_method=auth_method.strip(),
        suppress_warnings=bool(options.get("suppress_warnings", False)),
        raise_warnings_as_errors=bool(options.get("raise_warnings_as_errors", False)),
        timeout=_timeout_from(options.get("timeout")),
        headers=_headers_from(options.get("headers")),
        agent_url=AGENT_ENDPOINT if api_url == DEFAULT_ENDPOINT else api_url,
        query=_query_from(options.get("query")),
        on_response=_callable(options.get("on_response"), "on_response", "(status, headers)"),
        **_transport_options(options),
    )
    return options, config


def _credential(options: Mapping[str, Any], env: Mapping[str, str]) -> Tuple[str, str]:
    """The credential and its scheme: explicit options first, then a token, then a key from the
    environment."""
    if options.get("access_token") is not None or "access_token" in options and "api_key" not in options:
        return _check_key(options["access_token"], "options['access_token']"), "Bearer"
    if "api_key" in options:
        return _check_key(options["api_key"], "options['api_key']"), options.get("auth_method") or "Token"
    for name in ENV_TOKENS:
        if env.get(name):
            return _check_key(env[name], name), "Bearer"
    if env.get(ENV_API_KEY):
        return _check_key(env[ENV_API_KEY], ENV_API_KEY), options.get("auth_method") or "Token"
    raise DeepgramSetupError(
        f"No API key: pass Deepgram('YOUR_KEY') or {{'api_key': KEY}} (or {{'access_token': JWT}}), "
        f"or set {ENV_API_KEY} (or DEEPGRAM_ACCESS_TOKEN)."
    )


def _api_url(options: Mapping[str, Any], env: Mapping[str, str]) -> str:
    if options.get("api_url") not in (None, ""):
        return normalize_api_url(options["api_url"])
    for name in ENV_URLS:
        value = (env.get(name) or "").strip()
        if value:
            if "://" not in value:  # DEEPGRAM_HOST may name a host alone
                value = ("http://" if value.startswith(("localhost", "127.")) else "https://") + value
            return normalize_api_url(value)
    return DEFAULT_ENDPOINT


def _query_from(value: Any) -> Tuple[Tuple[str, str], ...]:
    if value is None:
        return ()
    from ._wire import query_pairs

    return query_pairs(value)


def _callable(value: Any, name: str, shape: str) -> Any:
    if value is not None and not callable(value):
        raise DeepgramSetupError(f"{name} must be a function taking {shape}.")
    return value


def with_options(config: Config, overrides: Mapping[str, Any]) -> Config:
    """``config`` with some settings replaced (``Deepgram.with_options``)."""
    allowed = {"timeout", "headers", "query", "max_retries", "proxy", "verify", "on_progress",
               "on_response", "suppress_warnings", "raise_warnings_as_errors"}
    unknown = set(overrides) - allowed
    if unknown:
        raise DeepgramSetupError(f"with_options() does not take {sorted(unknown)}; it takes {sorted(allowed)}.")
    changes: Dict[str, Any] = {}
    if "timeout" in overrides:
        changes["timeout"] = _timeout_from(overrides["timeout"])
    if "headers" in overrides:
        changes["headers"] = config.headers + _headers_from(overrides["headers"])
    if "query" in overrides:
        changes["query"] = config.query + _query_from(overrides["query"])
    if "on_response" in overrides:
        changes["on_response"] = _callable(overrides["on_response"], "on_response", "(status, headers)")
    for flag in ("suppress_warnings", "raise_warnings_as_errors"):
        if flag in overrides:
            changes[flag] = bool(overrides[flag])
    transport = _transport_options({k: v for k, v in overrides.items()
                                    if k in ("max_retries", "proxy", "verify", "on_progress")})
    changes.update({k: transport[k] for k in overrides if k in transport})
    return config._replace(**changes)


def call_timeout(value: Any) -> Optional[Timeout]:
    """The legacy per-call ``timeout=``: None keeps the client's, a number bounds the call."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        # 2.12 meant the whole call on the async path and each socket operation on the sync
        # path; a number bounds connect, each read, and (where the library can) the total.
        return Timeout(connect=float(value), read=float(value), total=float(value))
    return _timeout_from(value)
