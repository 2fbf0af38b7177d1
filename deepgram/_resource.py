"""The base of every endpoint group: each endpoint builds a ``Request``; the sender sends it.

How one declaration serves both the async client and its blocking twin, to a type checker too:
a group is generic over its *mode*, ``Async`` or ``Blocking`` (``dg.projects`` is a
``Projects[Async]``, ``dg.sync.projects`` a ``Projects[Blocking]``). An endpoint is a function that
returns a ``Call[T]`` (a ``Request`` whose type parameter names the result), wrapped by
``@endpoint``. That descriptor's ``__get__`` is overloaded on the group's mode, so a checker sees
``dg.projects.list`` as ``() -> Coroutine[Any, Any, ProjectsResponse]`` and ``dg.sync.projects.list``
as ``() -> ProjectsResponse``, with the endpoint's own parameters (a ``ParamSpec``). Generics alone
cannot say "the mode applied to T" (Python has no higher-kinded types); overloads on every method
would write each endpoint three times; the descriptor writes it once.

At run time the mode is nothing: the sender decides (the async sender returns a coroutine, the
blocking one the result), and ``dg.projects.list`` is a bound method of the endpoint's function.
"""

from __future__ import annotations

import functools
from types import MethodType
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Generic, Mapping, Optional, TypeVar, overload

from ._wire import Request, merge_options, path, query_pairs

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec

    P = ParamSpec("P")
else:
    # Only a placeholder at run time: Generic needs a type variable, and ParamSpec is Python 3.10+.
    P = TypeVar("P")

T = TypeVar("T")
M = TypeVar("M")
Sender = Callable[[Request], Any]
Query = Optional[Mapping[str, Any]]  # query options: a dict (any Mapping), or None

__all__ = ["Async", "Blocking", "Call", "Query", "Resource", "endpoint"]


class Async:
    """The mode of ``dg``'s groups: every endpoint returns a coroutine."""


class Blocking:
    """The mode of ``dg.sync``'s groups: every endpoint returns its result."""


class Call(Request, Generic[T]):
    """A ``Request`` whose result is a ``T`` (the type parameter exists only for checkers)."""

    __slots__ = ()


def default_sender(options: Any, blocking: bool = False) -> Sender:
    """Build a sender from legacy options, for helpers constructed directly as in 2.x."""
    from ._config import parse_options
    from ._http import AsyncSender, SyncSender

    _, config = parse_options(options)
    return SyncSender(config) if blocking else AsyncSender(config)


class endpoint(Generic[P, T]):  # lower case: a decorator, like property
    """Turns a function that builds a ``Call[T]`` into a method that sends it."""

    def __init__(self, build: Callable[Concatenate[Any, P], Call[T]]) -> None:
        self.build = build

        def call(group: Any, *args: Any, **kwargs: Any) -> Any:
            return group._send(build(group, *args, **kwargs))

        self._call = functools.wraps(build)(call)
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, group: None, owner: Any = None) -> Callable[Concatenate[Any, P], Any]: ...
    @overload
    def __get__(self, group: Resource[Async], owner: Any = None) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, group: Resource[Blocking], owner: Any = None) -> Callable[P, T]: ...

    def __get__(self, group: Any, owner: Any = None) -> Any:
        if group is None:  # on the class: the function, as for any method
            return self._call
        return MethodType(self._call, group)


class Resource(Generic[M]):
    """An endpoint group; its mode (``Async`` or ``Blocking``) says what its endpoints return."""

    _root = "/projects"

    def __init__(self, options: Any, sender: Optional[Sender] = None) -> None:
        self.options = options
        self._send: Sender = sender if sender is not None else default_sender(options)

    @staticmethod
    def _get(template: str, project_id: Any, options: Any, kwargs: Any, **ids: Any) -> Call[Any]:
        """A GET of a project path with options (a dict and/or keywords) as the query."""
        query = query_pairs(merge_options(options, kwargs))
        return Call("GET", path(template, p=project_id, **ids), query=query)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} group>"
