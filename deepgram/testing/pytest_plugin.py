"""An opt-in pytest plugin: ``pytest_plugins = ["deepgram.testing.pytest_plugin"]`` in conftest.py.

It is never registered on its own (user suites already define ``--api-key``). It adds:

- ``--api-key KEY`` (and its legacy aliases ``--key KEY``, ``-K KEY``), each unless the suite
  defines that option itself; a suite's own ``--api-key`` is read instead;
- ``deepgram_fake``: a running emulator (``FakeDeepgram``) for the test;
- ``dg``: a ``Deepgram`` client, on the real API when a key was given on the command line, on
  the emulator otherwise;
- ``deepgram_api_key``: the key given on the command line, or None.

Only the command line selects the real API: a ``DEEPGRAM_API_KEY`` that happens to be set in the
shell never moves a test suite off the emulator (nor spends money).
"""

from typing import TYPE_CHECKING, Iterator, Optional, Set

import pytest

from . import FakeDeepgram

if TYPE_CHECKING:  # the client is imported when a test asks for it, as before
    from deepgram import Deepgram

__all__ = ["deepgram_api_key", "deepgram_fake", "dg", "pytest_addoption"]

_DEST = "deepgram_plugin_api_key"


def _taken(parser: pytest.Parser) -> Set[str]:
    # pytest only refuses a duplicate within one option group; one in another group would make
    # argparse fail later, so look at every group the suite filled before us.
    groups = [getattr(parser, "_anonymous", None), *getattr(parser, "_groups", [])]
    return {name for group in groups if group is not None
            for option in getattr(group, "options", []) for name in option.names()}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--api-key`` (and ``--key``, ``-K``) where the suite has not."""
    taken = _taken(parser)
    # An option the suite defines itself stays the suite's.
    for names, text in (
        (("--api-key",), "a Deepgram API key: run against the real API instead of the emulator"),
        (("--key", "-K"), "the same as --api-key (its legacy spellings)"),
    ):
        free = [name for name in names if name not in taken]
        if free:
            try:
                parser.addoption(*free, action="store", default=None, dest=_DEST, metavar="KEY", help=text)
            except ValueError:  # the lookup above relies on pytest internals; this does not
                pass


def _given_key(config: pytest.Config) -> Optional[str]:
    # "--api-key" names the suite's own option when it has one (whatever its dest), else ours;
    # our dest also holds --key and -K when the suite left those to us.
    for name in ("--api-key", _DEST):
        value = config.getoption(name, default=None)
        if value:
            return str(value)
    return None


@pytest.fixture
def deepgram_api_key(request: pytest.FixtureRequest) -> Optional[str]:
    """The key given with ``--api-key`` (or ``--key``/``-K``), or None."""
    return _given_key(request.config)


@pytest.fixture
def deepgram_fake() -> Iterator[FakeDeepgram]:
    """A local Deepgram emulator, started for the test and stopped after it."""
    with FakeDeepgram() as fake:
        yield fake


@pytest.fixture
def dg(request: pytest.FixtureRequest, deepgram_api_key: Optional[str]) -> Iterator["Deepgram"]:
    """A Deepgram client: the real API with a key on the command line, the emulator without."""
    from deepgram import Deepgram

    if deepgram_api_key:
        client = Deepgram(deepgram_api_key)
        yield client
        client.close()
        return
    fake: FakeDeepgram = request.getfixturevalue("deepgram_fake")
    client = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    yield client
    client.close()
