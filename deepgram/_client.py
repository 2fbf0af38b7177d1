"""The ``Deepgram`` client: validated options, two senders, and the endpoint groups."""

from typing import Any

from ._config import MISSING, parse_options, with_options
from ._http import AsyncSender, SyncSender
from .agents import Agents
from .auth import Auth
from .billing import Billing
from .extra import Extra
from .invitations import Invitations
from .keys import Keys
from .members import Members
from .models import Models
from .projects import Projects
from .read import Read
from .scopes import Scopes
from .selfhosted import SelfHosted
from .speak import Speak
from .transcription import Transcription
from .usage import Usage


class _Group:
    """A property that builds a fresh endpoint group bound to the owner's sender (as 2.x did)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __get__(self, owner: Any, owner_type: Any = None) -> Any:
        if owner is None:
            return self
        return self.cls(owner.options, owner._sender)


class _Groups:
    """The endpoint groups shared by ``Deepgram`` and its blocking twin ``Deepgram.sync``."""

    options: Any
    _sender: Any

    keys = _Group(Keys)
    projects = _Group(Projects)
    usage = _Group(Usage)
    billing = _Group(Billing)
    members = _Group(Members)
    scopes = _Group(Scopes)
    invitations = _Group(Invitations)
    auth = _Group(Auth)
    models = _Group(Models)
    selfhosted = _Group(SelfHosted)
    speak = _Group(Speak)
    read = _Group(Read)
    agents = _Group(Agents)

    @property
    def extra(self) -> Extra:
        return Extra(self.options)


class SyncDeepgram(_Groups):
    """Every endpoint group of a ``Deepgram`` client, with blocking methods."""

    def __init__(self, client: "Deepgram") -> None:
        self._client = client
        self.options = client.options
        self._sender = client._sync_sender

    @property
    def transcription(self) -> Transcription:
        return Transcription(self.options, self._sender, self._sender, blocking=True)

    def __repr__(self) -> str:
        return f"<SyncDeepgram of {self._client!r}>"


class Deepgram(_Groups):
    """The Deepgram client: ``Deepgram(API_KEY)``, ``Deepgram({"api_key": ..., "api_url": ...})``,
    or ``Deepgram()`` to read the credential and URL from the environment."""

    def __init__(self, options: Any = MISSING) -> None:
        self.options, self._config = parse_options(options)
        self._sender = AsyncSender(self._config)
        self._sync_sender = SyncSender(self._config)

    @property
    def transcription(self) -> Transcription:
        return Transcription(self.options, self._sender, self._sync_sender)

    @property
    def sync(self) -> SyncDeepgram:
        """The same groups with blocking methods: ``dg.sync.projects.list()``."""
        return SyncDeepgram(self)

    def with_options(self, **settings: Any) -> "Deepgram":
        """A client with some settings changed for the calls made through it, sharing this one's
        connections: ``dg.with_options(max_retries=0, timeout=5).projects.list()``.

        Takes ``timeout``, ``headers`` and ``query`` (added to the client's), ``max_retries``,
        ``proxy``, ``verify``, ``on_progress``, ``on_response``, ``suppress_warnings`` and
        ``raise_warnings_as_errors``.
        """
        derived = object.__new__(type(self))
        derived.options = self.options
        derived._config = with_options(self._config, settings)
        derived._sender = self._sender.derive(derived._config)
        derived._sync_sender = self._sync_sender.derive(derived._config)
        return derived

    def close(self) -> None:
        """Release the connections this client holds."""
        self._sync_sender.close()

    async def aclose(self) -> None:
        """Release the connections this client holds (async)."""
        await self._sender.aclose()
        self._sync_sender.close()

    def __enter__(self) -> "Deepgram":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    async def __aenter__(self) -> "Deepgram":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<Deepgram api_url={self._config.api_url!r} auth={self._config.auth_method} key=***>"
