"""PURE. Keeping credentials out of messages, log lines and the library objects errors keep.

The secrets of a client are its key (or token) and the password of its proxy URL. Library
exceptions are kept on errors (``http_library_error``, ``__cause__``) only when neither their
``repr()`` nor their chain shows one; URLs handed to library error objects lose the passwords
of the URLs in their query (a ``callback`` may carry Basic-Auth credentials).
"""

from typing import TYPE_CHECKING, Any, Iterable, Optional, Tuple, TypeVar

if TYPE_CHECKING:
    from .errors import DeepgramApiError

MASK = "***"
E = TypeVar("E", bound="DeepgramApiError")


def secrets_of(config: Any) -> Tuple[str, ...]:
    """The strings that must never be shown: the credential and the proxy's password."""
    found = [config.api_key]
    if config.proxy:
        from urllib.parse import unquote, urlsplit

        password = urlsplit(config.proxy).password
        if password:
            found += [password, unquote(password)]
    return tuple(s for s in found if s)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


def shows_secret(exc: Optional[BaseException], secrets: Tuple[str, ...]) -> bool:
    """Whether ``exc``, or an exception it chains to, shows a secret in its repr or text."""
    seen, pending = set(), [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        try:
            text = repr(current) + str(current)
        except Exception:
            return True
        if any(secret in text for secret in secrets):
            return True
        pending += [current.__cause__, current.__context__]
    return False


def keep_cause(error: E, exc: BaseException, secrets: Tuple[str, ...],
               safe: Optional[BaseException] = None) -> E:
    """``error`` keeping ``exc`` as ``http_library_error`` and ``__cause__``, unless ``exc``
    shows a secret: then ``safe`` (a copy without it), or nothing."""
    kept = safe if shows_secret(exc, secrets) else exc
    error.http_library_error = kept
    error.__cause__ = kept
    return error


def redact_url(url: str) -> str:
    """``url`` with the password of each URL in its query replaced (and its own, if any)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = _mask_userinfo(parts.netloc)
    query = parts.query
    if "@" in query or "%40" in query or "callback_secret" in query:
        pairs = [(k, _mask_secret(_mask_url(v))) for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _mask_secret(value: str) -> str:
    """An ``extra=callback_secret:VALUE`` option (what a callback receiver checks), masked."""
    name, colon, _secret = value.partition(":")
    return f"{name}:{MASK}" if colon and name.strip() == "callback_secret" else value


def _mask_url(value: str) -> str:
    if "://" not in value or "@" not in value:
        return value
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(value)
    return urlunsplit(parts._replace(netloc=_mask_userinfo(parts.netloc)))


def _mask_userinfo(netloc: str) -> str:
    userinfo, at, host = netloc.rpartition("@")
    if not at:
        return netloc
    user, colon, _ = userinfo.partition(":")
    return f"{user}:{MASK}@{host}" if colon else f"{MASK}@{host}"
