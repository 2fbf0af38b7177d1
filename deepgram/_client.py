"""The ``Deepgram`` client: validated options, two senders, and the endpoint groups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, Mapping, Tuple, Type, TypeVar, Union, overload

from ._config import MISSING, Config, parse_options, with_options
from ._http import AsyncSender, SyncSender
from ._resource import Async, Blocking
from .agents import Agents
from .auth import Auth
from .billing import Billing
from .errors import DeepgramSetupError
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

if TYPE_CHECKING:
    from .types import ClientOptions

A = TypeVar("A")
B = TypeVar("B")


class _Group(Generic[A, B]):
    """A property that builds a fresh endpoint group bound to the owner's sender (as 2.x did):
    an ``A`` on ``Deepgram``, a ``B`` (the same group in blocking mode) on ``dg.sync``."""

    def __init__(self, cls: Type[Any]) -> None:
        self.cls = cls

    @overload
    def __get__(self, owner: Deepgram, owner_type: Any = None) -> A: ...
    @overload
    def __get__(self, owner: SyncDeepgram, owner_type: Any = None) -> B: ...
    @overload
    def __get__(self, owner: None, owner_type: Any = None) -> _Group[A, B]: ...

    def __get__(self, owner: Any, owner_type: Any = None) -> Any:
        if owner is None:
            return self
        return self.cls(owner.options, owner._sender)


class _Groups:
    """The endpoint groups shared by ``Deepgram`` and its blocking twin ``Deepgram.sync``."""

    options: Any
    _sender: Any

    keys: ClassVar[_Group[Keys[Async], Keys[Blocking]]] = _Group(Keys)
    projects: ClassVar[_Group[Projects[Async], Projects[Blocking]]] = _Group(Projects)
    usage: ClassVar[_Group[Usage[Async], Usage[Blocking]]] = _Group(Usage)
    billing: ClassVar[_Group[Billing[Async], Billing[Blocking]]] = _Group(Billing)
    members: ClassVar[_Group[Members[Async], Members[Blocking]]] = _Group(Members)
    scopes: ClassVar[_Group[Scopes[Async], Scopes[Blocking]]] = _Group(Scopes)
    invitations: ClassVar[_Group[Invitations[Async], Invitations[Blocking]]] = _Group(Invitations)
    auth: ClassVar[_Group[Auth[Async], Auth[Blocking]]] = _Group(Auth)
    models: ClassVar[_Group[Models[Async], Models[Blocking]]] = _Group(Models)
    selfhosted: ClassVar[_Group[SelfHosted[Async], SelfHosted[Blocking]]] = _Group(SelfHosted)
    speak: ClassVar[_Group[Speak[Async], Speak[Blocking]]] = _Group(Speak)
    read: ClassVar[_Group[Read[Async], Read[Blocking]]] = _Group(Read)
    agents: ClassVar[_Group[Agents[Async], Agents[Blocking]]] = _Group(Agents)

    @property
    def extra(self) -> Extra:
        return Extra(self.options)


class SyncDeepgram(_Groups):
    """Every endpoint group of a ``Deepgram`` client, with blocking methods."""

    def __init__(self, client: Deepgram) -> None:
        self._client = client
        self.options: Any = client.options
        self._sender = client._sync_sender

    @property
    def transcription(self) -> Transcription[Blocking]:
        return Transcription(self.options, self._sender, self._sender, blocking=True)

    def __repr__(self) -> str:
        return f"<SyncDeepgram of {self._client!r}>"

    def __reduce__(self) -> Tuple[Any, ...]:
        """Pickled as its client (see ``Deepgram.__reduce__``)."""
        return (_sync_of, (self._client,))


def _sync_of(client: Deepgram) -> SyncDeepgram:
    return client.sync


class Deepgram(_Groups):
    """The Deepgram client: ``Deepgram(API_KEY)``, ``Deepgram({"api_key": ..., "api_url": ...})``,
    or ``Deepgram()`` to read the credential and URL from the environment."""

    def __init__(self, options: Union[str, ClientOptions, Mapping[str, Any], None] = MISSING) -> None:
        self.options: Any
        self.options, self._config = parse_options(options)
        self._sender = AsyncSender(self._config)
        self._sync_sender = SyncSender(self._config)

    @property
    def transcription(self) -> Transcription[Async]:
        return Transcription(self.options, self._sender, self._sync_sender)

    @property
    def sync(self) -> SyncDeepgram:
        """The same groups with blocking methods: ``dg.sync.projects.list()``."""
        return SyncDeepgram(self)

    def with_options(self, **settings: Any) -> Deepgram:
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

    def __enter__(self) -> Deepgram:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    async def __aenter__(self) -> Deepgram:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<Deepgram api_url={self._config.api_url!r} auth={self._config.auth_method} key=***>"

    def __reduce__(self) -> Tuple[Any, ...]:
        """Pickle the client's settings, credential included (a worker needs it), never its
        connections: ``ProcessPoolExecutor``, Dask and Ray ship it to workers this way."""
        check_portable(self._config)
        return (_rebuild, (type(self), self.options, self._config))


def check_portable(config: Config) -> None:
    """Raise ``DeepgramSetupError`` for settings that cannot travel to another process."""
    if config.session is not None or config.sync_session is not None:
        raise DeepgramSetupError("A client given its own session=/sync_session= cannot be pickled (a session is "
                                 "a live connection pool): make the client in the worker, or leave them out.")
    if config.verify is not None and not isinstance(config.verify, (bool, str)):
        raise DeepgramSetupError("A client whose verify= is an SSLContext cannot be pickled: pass the path of a "
                                 "CA bundle instead (verify='/path/to/ca.pem').")


def _rebuild(cls: Type[Deepgram], options: Any, config: Config) -> Deepgram:
    """A client from pickled settings, with connections of its own (made on first use)."""
    client = object.__new__(cls)
    client.options, client._config = options, config
    client._sender = AsyncSender(config)
    client._sync_sender = SyncSender(config)
    return client
