"""The fault suite: nothing sent twice once the server may have acted, every upload bounded,
no leaked sockets, and the library's error objects kept the way 2.x kept them."""

import asyncio
import contextlib
import os
import subprocess
import sys
import urllib.error
from pathlib import Path

import pytest
from _support import call

from deepgram import Deepgram, DeepgramApiError, DeepgramConnectionError
from deepgram.testing import sample_path

ROOT = Path(__file__).resolve().parent.parent
AUDIO = sample_path().read_bytes()
modes = pytest.mark.parametrize("mode", ["async", "sync"])


def client(fake, **options):
    return Deepgram({"api_key": fake.api_key, "api_url": fake.url, **options})


def transcribe(source):
    return lambda c: c.transcription.prerecorded(source, punctuate=True)


# -- a body is never sent twice once the server may have acted on it -------------------------------


@modes
def test_a_post_reset_after_its_whole_body_is_not_sent_again(fake, mode):
    fake.script("POST", "/listen", fault="reset")  # reads the whole upload, then drops the connection
    with pytest.raises(DeepgramConnectionError) as caught:
        call(client(fake), mode, transcribe({"buffer": AUDIO, "mimetype": "audio/wav"}))
    assert caught.value.phase == "wait"
    assert "after the request was sent" in str(caught.value)
    assert len(fake.requests) == 1 and fake.requests[0].body_size == len(AUDIO)


@modes
def test_the_opt_in_resends_an_unanswered_post(fake, mode):
    fake.script("POST", "/listen", fault="reset")
    response = call(client(fake, retry_unanswered=True), mode, transcribe({"buffer": AUDIO}))
    assert response["results"]["channels"][0]["alternatives"][0]["transcript"]
    assert len(fake.requests) == 2


@modes
def test_the_opt_in_also_works_per_call(fake, mode):
    fake.script("POST", "/projects/*/keys", fault="reset")
    dg = client(fake).with_options(retry_unanswered="true")
    key = call(dg, mode, lambda c: c.keys.create(fake.project_id, "ci", ["member"]))
    assert key["api_key_id"] and len(fake.requests) == 2


@modes
@pytest.mark.parametrize("method, path, run", [
    ("GET", "/projects", lambda c, fake: c.projects.list()),
    ("DELETE", "/projects/*/keys/*", lambda c, fake: c.keys.delete(fake.project_id, "no-such-key")),
])
def test_idempotent_requests_are_sent_again_after_a_drop(fake, mode, method, path, run):
    fake.script(method, path, fault="reset")
    with pytest.raises(DeepgramApiError) if method == "DELETE" else contextlib.nullcontext():
        call(client(fake), mode, lambda c: run(c, fake))
    assert len(fake.requests) == 2


@modes
@pytest.mark.parametrize("status", [408, 429, 503])
def test_statuses_that_say_not_processed_are_still_retried_for_posts(fake, mode, status):
    fake.script("POST", "/listen", status=status, json={"err_msg": "later"}, headers={"retry-after-ms": "10"})
    response = call(client(fake), mode, transcribe({"buffer": AUDIO}))
    assert response["metadata"]["request_id"] and len(fake.requests) == 2


# -- http_library_error holds what 2.x held --------------------------------------------------------


def test_the_blocking_path_keeps_an_urllib_http_error(fake):
    fake.script("GET", "/projects", status=403, json={"err_code": "FORBIDDEN", "err_msg": "no"},
                headers={"X-Trace": "t1"})
    with pytest.raises(DeepgramApiError) as caught:
        client(fake).sync.projects.list()
    library = caught.value.http_library_error
    assert isinstance(library, urllib.error.HTTPError)
    assert library.code == 403 and library.headers["X-Trace"] == "t1"
    assert caught.value.__cause__ is library
    assert fake.api_key not in repr(library) and fake.api_key not in str(library)
    library.close()


def test_the_urllib_http_error_body_reads_back_whole(fake):
    fake.script("GET", "/projects", status=400, body='{"err_msg": "bad thing"}',
                headers={"Content-Type": "application/json"})
    with pytest.raises(DeepgramApiError) as caught:
        client(fake).sync.projects.list()
    with caught.value.http_library_error as library:
        assert library.read() == b'{"err_msg": "bad thing"}'
    assert caught.value.error == "bad thing"


def test_the_async_path_keeps_an_aiohttp_client_response_error(fake):
    import aiohttp

    fake.script("GET", "/projects", status=401, json={"err_msg": "who"}, headers={"X-Trace": "t2"})
    with pytest.raises(DeepgramApiError) as caught:
        asyncio.run(client(fake).projects.list())
    library = caught.value.http_library_error
    assert isinstance(library, aiohttp.ClientResponseError)
    assert library.status == 401 and library.message == "Unauthorized" and library.headers["X-Trace"] == "t2"
    assert caught.value.http_error_status == 401
    assert fake.api_key not in repr(library) and "Token ***" in repr(library)


def test_a_redirect_loop_keeps_no_library_object_that_shows_the_key(fake):
    fake.script("GET", "/projects", status=302, headers={"Location": fake.url + "/projects"}, times=None)
    dg = client(fake)
    for run in (lambda: asyncio.run(dg.projects.list()), dg.sync.projects.list):
        with pytest.raises(DeepgramApiError) as caught:
            run()
        chain, error = [], caught.value
        while error is not None and len(chain) < 10:
            chain.append(error)
            error = error.__cause__ or error.__context__
        shown = " ".join(repr(e) + str(e) for e in chain) + repr(caught.value.http_library_error)
        assert fake.api_key not in shown
    dg.close()


def test_callback_credentials_are_masked_in_library_errors(fake):
    fake.script("POST", "/listen", status=400, json={"err_msg": "no"})
    with pytest.raises(DeepgramApiError) as caught:
        client(fake).sync.transcription.prerecorded(
            {"url": "https://example.com/a.wav"}, callback="https://me:hunter2@hooks.example.com/dg")
    from urllib.parse import unquote

    url = unquote(caught.value.http_library_error.url)
    assert "hunter2" not in url and "callback=https://me:***@hooks.example.com/dg" in url


# -- short-lived threads leave nothing open ---------------------------------------------------------


THREADS = """
import os, sys, threading
from deepgram import Deepgram

dg = Deepgram({"api_key": sys.argv[1], "api_url": sys.argv[2]})
def open_files():
    return len(os.listdir("/proc/self/fd"))

baseline = open_files()
errors = []
def one_call(called, measured):
    try:
        dg.sync.projects.list()
    except Exception as exc:
        errors.append(exc)
    called.wait()
    measured.wait()

for _ in range(4):  # 4 waves of 50 threads at once: 200 threads, each making one call
    called, measured = threading.Barrier(51), threading.Barrier(51)
    threads = [threading.Thread(target=one_call, args=(called, measured)) for _ in range(50)]
    for thread in threads:
        thread.start()
    called.wait()
    peak = open_files()
    measured.wait()
    for thread in threads:
        thread.join()
print(baseline, peak, open_files(), len(errors))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through /proc")
def test_two_hundred_short_lived_threads_leave_no_open_files(fake, tmp_path):
    script = tmp_path / "threads.py"
    script.write_text(THREADS)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-X", "dev", "-W", "error", str(script), fake.api_key, fake.url],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    baseline, peak, after, errors = map(int, done.stdout.split())
    assert errors == 0 and len(fake.requests) == 200
    assert peak > baseline  # the threads did hold sockets while they ran
    assert after == baseline, done.stdout
    assert done.stderr == ""


# -- a stalled answer or a server that stops reading: bounded, and never sent twice -----------------


@modes
def test_an_answer_that_stalls_midway_is_final_after_one_attempt(fake, mode):
    fake.script("POST", "/listen", fault="stall_body", json={"metadata": {"request_id": "r"}, "results": {}})
    dg = client(fake, timeout={"connect": 5, "read": 0.5}, max_retries=3)
    with pytest.raises(DeepgramConnectionError) as caught:
        call(dg, mode, transcribe({"buffer": AUDIO}))
    assert isinstance(caught.value, TimeoutError) and caught.value.phase == "read"
    assert len(fake.requests) == 1


@modes
def test_a_get_whose_answer_stalls_midway_is_not_retried_either(fake, mode):
    fake.script("GET", "/projects", fault="stall_body", json={"projects": []})
    with pytest.raises(DeepgramConnectionError) as caught:
        call(client(fake, timeout={"connect": 5, "read": 0.5}), mode, lambda c: c.projects.list())
    assert caught.value.phase == "read" and len(fake.requests) == 1


def big_upload(tmp_path):
    # Far more than the socket buffers of both ends hold, so the writes must wait for the server.
    path = tmp_path / "long.wav"
    path.write_bytes(AUDIO * 200)
    return path


@modes
@pytest.mark.parametrize("kind", ["file", "bytes"])
def test_a_server_that_stops_reading_ends_the_upload_with_a_write_timeout(fake, mode, kind, tmp_path):
    fake.script("POST", "/listen", fault="slow_read")
    dg = client(fake, timeout={"connect": 5, "read": 0.5}, max_retries=2)
    path = big_upload(tmp_path)
    with open(path, "rb") as audio:
        source = {"buffer": audio if kind == "file" else audio.read()}
        with pytest.raises(DeepgramConnectionError) as caught:
            call(dg, mode, transcribe(source))
    assert isinstance(caught.value, TimeoutError) and caught.value.phase == "write"
    assert len(fake.requests) == 1  # the server stopped reading for a whole timeout: not tried again


@pytest.mark.filterwarnings("error")
def test_a_per_call_timeout_mid_upload_leaves_no_connection_behind(fake, tmp_path):
    import gc

    fake.script("POST", "/listen", fault="slow_read", times=2)
    dg = client(fake)
    path = big_upload(tmp_path)

    async def main():
        with open(path, "rb") as audio:
            with pytest.raises(DeepgramConnectionError) as caught:
                await dg.transcription.prerecorded({"buffer": audio}, timeout=0.5)
        return caught.value

    error = asyncio.run(main())
    assert error.phase in ("total", "write")
    with open(path, "rb") as audio:
        with pytest.raises(DeepgramConnectionError):
            dg.sync.transcription.prerecorded({"buffer": audio}, timeout=0.5)
    dg.close()
    gc.collect()  # a half-closed transport or socket would warn here (warnings are errors)


@pytest.mark.filterwarnings("error")
def test_a_call_cancelled_mid_upload_leaves_no_connection_behind(fake, tmp_path):
    import gc

    fake.script("POST", "/listen", fault="slow_read")
    dg = client(fake)
    path = big_upload(tmp_path)

    async def main():
        with open(path, "rb") as audio:
            with pytest.raises(asyncio.TimeoutError):  # wait_for cancels the call, then times out
                await asyncio.wait_for(dg.transcription.prerecorded({"buffer": audio}), 0.5)

    asyncio.run(main())
    assert len(fake.requests) == 1 and fake.requests[0].body_size < path.stat().st_size
    gc.collect()  # a half-closed transport or socket would warn here (warnings are errors)
