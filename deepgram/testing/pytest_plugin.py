"""An opt-in pytest plugin: ``pytest_plugins = ["deepgram.testing.pytest_plugin"]`` in conftest.py.

It is never registered on its own (user suites already define ``--api-key``). It adds:

- ``--api-key KEY`` (unless the suite defines it already; ``DEEPGRAM_API_KEY`` works too);
- ``deepgram_fake``: a running emulator (``FakeDeepgram``) for the test;
- ``dg``: a ``Deepgram`` client, on the real API when a key was given, on the emulator otherwise;
- ``deepgram_api_key``: the key given, or None.
"""

import os
from typing import Any, Iterator, Optional

import pytest

from . import FakeDeepgram


def pytest_addoption(parser: Any) -> None:
    try:
        parser.addoption("--api-key", action="store", default=None, dest="api_key",
                         help="a Deepgram API key: run against the real API instead of the emulator")
    except ValueError:  # the suite defines --api-key itself: use that one
        pass


@pytest.fixture
def deepgram_api_key(request: Any) -> Optional[str]:
    """The key from ``--api-key`` or ``DEEPGRAM_API_KEY``, or None."""
    try:
        given = request.config.getoption("api_key")
    except ValueError:
        given = None
    return given or os.environ.get("DEEPGRAM_API_KEY") or None


@pytest.fixture
def deepgram_fake() -> Iterator[FakeDeepgram]:
    """A local Deepgram emulator, started for the test and stopped after it."""
    with FakeDeepgram() as fake:
        yield fake


@pytest.fixture
def dg(request: Any, deepgram_api_key: Optional[str]) -> Iterator[Any]:
    """A Deepgram client: the real API with a key, the emulator without one."""
    from deepgram import Deepgram

    if deepgram_api_key:
        client = Deepgram(deepgram_api_key)
        yield client
        client.close()
        return
    fake = request.getfixturevalue("deepgram_fake")
    client = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    yield client
    client.close()
