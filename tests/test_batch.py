"""Batches (dg.transcription.batch), a client that travels to other processes, and fork()."""

import asyncio
import multiprocessing
import os
import pickle
import shutil
import ssl
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from deepgram import Deepgram, DeepgramSetupError
from deepgram.testing import sample_path


@pytest.fixture
def wavs(tmp_path):
    """Six copies of the bundled sample."""
    paths = []
    for i in range(6):
        path = tmp_path / f"call-{i}.wav"
        shutil.copyfile(sample_path("fox.wav"), path)
        paths.append(path)
    return paths


def transcript(result):
    return result["results"]["channels"][0]["alternatives"][0]["transcript"]


def test_an_async_batch_gives_every_source_once_and_never_raises(fake, dg, wavs, tmp_path):
    missing = tmp_path / "missing.wav"
    sources = [*wavs[:3], str(wavs[3]), missing, {"url": "https://example.com/a.wav"}, 42]

    async def go():
        return [item async for item in dg.transcription.batch(sources, {"punctuate": True}, concurrency=3)]

    items = asyncio.run(go())
    assert sorted(item.position for item in items) == list(range(len(sources)))
    by_position = {item.position: item for item in items}
    for position in (0, 1, 2, 3, 5):
        assert by_position[position].ok and by_position[position].error is None
        assert transcript(by_position[position].result)
    assert by_position[3].source == str(wavs[3])  # the source as given; a path string is a file
    for position in (4, 6):
        assert not by_position[position].ok and by_position[position].result is None
        assert isinstance(by_position[position].error, DeepgramSetupError)
    assert "missing.wav" in str(by_position[4].error)
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 5 and all(r.params["punctuate"] == ["true"] for r in posts)


def test_a_batch_reads_its_sources_lazily_and_keeps_concurrency_in_flight(dg, wavs):
    pulled, seen = [], []

    def sources():
        for path in wavs * 3:
            pulled.append(path)
            yield path

    async def go():
        async for item in dg.transcription.batch(sources(), concurrency=2):
            # Never more than 2 sources ahead of the results handed out.
            assert len(pulled) <= len(seen) + 1 + 2
            seen.append(item)

    asyncio.run(go())
    assert len(seen) == 18 and all(item.ok for item in seen)


def test_the_blocking_batch(fake, dg, wavs, tmp_path):
    sources = [*wavs, tmp_path / "nope.wav"]
    with dg.sync.transcription.batch(iter(sources), concurrency=4) as results:
        items = list(results)
    assert sorted(item.position for item in items) == list(range(7))
    assert sum(item.ok for item in items) == 6
    assert [item.source for item in items if not item.ok] == [tmp_path / "nope.wav"]
    assert len([r for r in fake.requests if r.method == "POST"]) == 6


def test_a_batch_with_an_api_error_reports_it_on_its_item(fake, dg, wavs):
    fake.script("POST", "/listen", status=400, json={"err_code": "Bad Request", "err_msg": "nope"})
    items = list(dg.sync.transcription.batch(wavs[:3], concurrency=1))
    errors = [item.error for item in items if not item.ok]
    assert len(errors) == 1 and getattr(errors[0], "status", None) == 400
    assert sum(item.ok for item in items) == 2


def test_leaving_an_async_batch_early_cancels_the_rest():
    from deepgram._batch import AsyncBatch

    started, cancelled = [], []

    async def hang(source):  # a request that never answers
        started.append(source)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(source)
            raise

    async def go():
        async with AsyncBatch(range(10), hang, 3) as results:
            await results._fill()
            await asyncio.sleep(0)  # let the three start
            assert started == [0, 1, 2]
        assert sorted(cancelled) == [0, 1, 2] and not results._running
        assert [item async for item in results] == []  # nothing more is started
        assert started == [0, 1, 2]

    asyncio.run(go())


@pytest.mark.parametrize("call, fix", [
    (lambda dg: dg.sync.transcription.batch([], concurrency=0), "concurrency"),
    (lambda dg: dg.sync.transcription.batch([], concurrency=True), "concurrency"),
    (lambda dg: dg.sync.transcription.batch("call.wav"), "iterable of sources"),
    (lambda dg: dg.sync.transcription.batch({"url": "https://x"}), "iterable of sources"),
    (lambda dg: dg.sync.transcription.batch([], {"keywords": ["ok", "bad\udcff"]}), "keywords"),
])
def test_bad_batch_arguments_fail_before_any_io(call, fix):
    dg = Deepgram({"api_key": "k", "api_url": "http://127.0.0.1:9/v1"})  # nothing listens there
    with pytest.raises(DeepgramSetupError, match=fix):
        call(dg)


# -- a client that travels to other processes ------------------------------------------------


def transcribe_in_worker(client, path):
    """Run in a worker process: transcribe with a client that came pickled."""
    result = client.sync.transcription.prerecorded(Path(path))
    return os.getpid(), transcript(result)


def test_the_client_pickles_with_its_key_and_without_its_connections(fake, dg):
    dg.sync.projects.list()  # pooled connections exist now
    data = pickle.dumps(dg)
    assert fake.api_key.encode() in data  # the credential travels: the worker needs it
    copy = pickle.loads(data)
    assert fake.api_key not in repr(copy) and "***" in repr(copy)
    assert copy._sync_sender is not dg._sync_sender
    assert copy.sync.projects.list()["projects"] is not None
    assert pickle.loads(pickle.dumps(dg.sync)).projects.list() == dg.sync.projects.list()


def test_clients_that_cannot_travel_say_why(fake):
    with pytest.raises(DeepgramSetupError, match="CA bundle"):
        pickle.dumps(Deepgram({"api_key": fake.api_key, "api_url": fake.url, "verify": ssl.create_default_context()}))
    import requests

    with requests.Session() as session:
        with pytest.raises(DeepgramSetupError, match="session"):
            pickle.dumps(Deepgram({"api_key": fake.api_key, "api_url": fake.url, "sync_session": session}))


@pytest.mark.parametrize("method", ["spawn", *(["fork"] if sys.platform != "win32" else [])])
def test_a_process_pool_transcribes_with_a_pickled_client(fake, dg, wavs, method):
    with warnings.catch_warnings():
        # Python 3.12+ warns that fork() in a process with threads (the emulator's) may deadlock.
        warnings.simplefilter("ignore", DeprecationWarning)
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
            answers = list(pool.map(transcribe_in_worker, [dg] * len(wavs), [str(p) for p in wavs]))
    assert len({pid for pid, _ in answers} - {os.getpid()}) >= 1
    assert all(text for _, text in answers)
    assert len([r for r in fake.requests if r.method == "POST"]) == len(wavs)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX")
def test_a_forked_child_pools_connections_of_its_own(fake, dg):
    dg.sync.projects.list()
    parent_peer = fake.requests[-1].peer
    loop = asyncio.new_event_loop()
    loop.run_until_complete(dg.projects.list())  # an open aiohttp session, kept with its loop
    async_peer = fake.requests[-1].peer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with the emulator's thread running
        pid = os.fork()
    if pid == 0:  # the child: both kinds of call, on connections of its own
        code = 1
        try:
            dg.sync.projects.list()
            asyncio.run(dg.projects.list())
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    child_peers = {r.peer for r in fake.requests[-2:]}
    assert parent_peer not in child_peers and async_peer not in child_peers
    # The parent's pooled connections were left alone: it goes on using them.
    dg.sync.projects.list()
    assert fake.requests[-1].peer == parent_peer
    loop.run_until_complete(dg.projects.list())
    assert fake.requests[-1].peer == async_peer
    loop.run_until_complete(dg.aclose())
    loop.close()


def test_dask_workers_transcribe_with_a_pickled_client(fake, dg, wavs):
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Dask's own start-up deprecations are not this SDK's
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            futures = client.map(transcribe_in_worker, [dg] * len(wavs), [str(p) for p in wavs])
            answers = client.gather(futures)
    assert len(answers) == len(wavs) and all(text for _, text in answers)
    assert {pid for pid, _ in answers} - {os.getpid()}
    assert len([r for r in fake.requests if r.method == "POST"]) == len(wavs)
