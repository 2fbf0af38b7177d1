"""Shared fixtures: the emulator, clients bound to it, the real-API switch, and retries without waits."""

import asyncio

import pytest
from hypothesis import HealthCheck, settings

from deepgram import Deepgram, _http
from deepgram.testing import FakeDeepgram

# Shared CI machines are slow and noisy: judge properties, not timings.
settings.register_profile("sdk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sdk")


def pytest_addoption(parser):
    parser.addoption(
        "--api-key", "--key", "-K", dest="api_key", default=None,
        help="a Deepgram API key: runs the tests marked real_api against the real API",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "real_api: needs the real Deepgram API (--api-key KEY)")


def pytest_collection_modifyitems(config, items):
    # Only the command line spends money: a DEEPGRAM_API_KEY left in the shell does not.
    if config.getoption("api_key"):
        return
    skip = pytest.mark.skip(reason="needs the real API: pass --api-key KEY")
    for item in items:
        if "real_api" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def real_api_key(request):
    return request.config.getoption("api_key")


@pytest.fixture
def fake():
    with FakeDeepgram() as server:
        yield server


@pytest.fixture
def dg(fake):
    return Deepgram({"api_key": fake.api_key, "api_url": fake.url})


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch, request):
    # Tests decide themselves whether a key is in the environment.
    if "real_api" not in request.keywords:
        monkeypatch.delenv("DEEPGRAM_API_KEY", raising=False)


@pytest.fixture(autouse=True)
def retry_waits(monkeypatch):
    """The seconds each retry would have waited, in order; the tests do not wait them."""
    waits = []

    async def wait(seconds):
        waits.append(seconds)
        await asyncio.sleep(0)

    monkeypatch.setattr(_http, "wait_to_retry", wait)
    monkeypatch.setattr(_http, "block_to_retry", waits.append)
    return waits
