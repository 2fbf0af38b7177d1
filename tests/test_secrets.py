"""A DEBUG-everything run shows the key nowhere: logs, reprs, exception chains, warnings."""

import asyncio
import logging
import traceback
import uuid
import warnings

import pytest

from deepgram import Deepgram, DeepgramApiError
from deepgram.testing import FakeDeepgram, sample_path


class Everything(logging.Handler):
    """Keeps every record of every logger, formatted as a handler would print it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def debug_everything():
    handler, root = Everything(), logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "deepgram", "websockets", "aiohttp", "urllib3")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def chain(error):
    """Every exception reachable from ``error``: causes, contexts, kept library errors."""
    found, pending = [], [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        pending += [current.__cause__, current.__context__, getattr(current, "http_library_error", None)]
    return found


def test_a_debug_run_of_everything_never_shows_the_key(debug_everything):
    secret = "s3cret-" + uuid.uuid4().hex
    shown = []

    def keep(error):
        for item in chain(error):
            shown.extend([repr(item), str(item)])
        shown.extend(traceback.format_exception(type(error), error, error.__traceback__))

    with FakeDeepgram(api_key=secret) as fake, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dg = Deepgram({"api_key": secret, "api_url": fake.url})
        shown.append(repr(dg))
        shown.append(repr(dg._config))

        async def async_calls():
            shown.append(repr(await dg.projects.list()))
            with open(sample_path(), "rb") as audio:
                shown.append(repr(await dg.transcription.prerecorded({"buffer": audio}, punctuate=True)))
            fake.script("GET", "/projects", status=503, body="busy")  # a retry
            shown.append(repr(await dg.projects.list()))
            fake.script("GET", "/projects", status=400, json={"err_msg": "bad"})  # an error
            try:
                await dg.projects.list()
            except DeepgramApiError as error:
                keep(error)
            live = await dg.transcription.live({"punctuate": True})
            shown.append(repr(live))
            live.send(sample_path().read_bytes())
            shown.append(repr(await live.finish()))
            fake.script("GET", "/listen", status=401, json={"err_msg": "refused"})  # a refused handshake
            try:
                await dg.transcription.live()
            except DeepgramApiError as error:
                keep(error)

        asyncio.run(async_calls())
        shown.append(repr(dg.sync.projects.list()))
        fake.script("GET", "/projects", status=503, body="busy")
        shown.append(repr(dg.sync.projects.list()))
        fake.script("GET", "/projects", status=404, json={"err_msg": "gone"})
        try:
            dg.sync.projects.list()
        except DeepgramApiError as error:
            keep(error)
        fake.script("GET", "/projects", status=302, headers={"Location": fake.url + "/projects"}, times=None)
        for run in (lambda: asyncio.run(dg.projects.list()), dg.sync.projects.list):
            try:
                run()
            except DeepgramApiError as error:
                keep(error)
        dg.close()
    shown += [str(w.message) for w in caught]
    lines = debug_everything.lines
    assert any("Authorization" in line for line in lines)  # the handshake headers were logged...
    assert any(line.startswith("websockets") for line in lines)
    assert any("retrying" in line for line in lines)
    everything = "\n".join(lines + shown)
    assert secret not in everything  # ...and the key nowhere
