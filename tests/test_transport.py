"""Transports: pooling, retries, timeouts, streamed uploads, proxies, TLS, injected sessions, logging."""

import asyncio
import logging
import re
import socket
import sys
import threading
import warnings

import pytest
from _support import call

from deepgram import Deepgram, DeepgramApiError, DeepgramConnectionError, DeepgramSetupError
from deepgram._retry import Attempts, RetryBudget, backoff, retry_after
from deepgram.testing import sample_path

modes = pytest.mark.parametrize("mode", ["async", "sync"])
AUDIO = sample_path().read_bytes()


def projects(client):
    return client.projects.list()


def client(fake, **options):
    return Deepgram({"api_key": fake.api_key, "api_url": fake.url, **options})


# -- connection reuse -------------------------------------------------------------------------


def test_async_calls_reuse_one_connection_and_survive_many_asyncio_runs(fake, dg):
    async def several():
        for _ in range(5):
            await dg.projects.list()

    for _ in range(3):
        asyncio.run(several())
    peers = [r.peer for r in fake.requests]
    assert len(peers) == 15
    assert len(set(peers)) == 3  # one connection per asyncio.run, reused inside it


def test_sync_calls_reuse_a_connection_per_thread(fake, dg):
    for _ in range(5):
        dg.sync.projects.list()
    assert len({r.peer for r in fake.requests}) == 1

    errors = []

    def worker():
        try:
            for _ in range(5):
                dg.sync.projects.list()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(fake.requests) == 45
    assert len({r.peer for r in fake.requests}) <= 9
    dg.close()


def test_close_and_context_managers_release_connections(fake):
    with client(fake) as dg:
        dg.sync.projects.list()
        session = dg._sync_sender.transport._session(dg._config)
    assert all(holder.closed for holder in dg._sync_sender.transport._owned)
    assert all(not adapter.poolmanager.pools for adapter in set(session.adapters.values()))

    async def main():
        async with client(fake) as adg:
            await adg.projects.list()
            transport = adg._sender.transport
        return transport

    transport = asyncio.run(main())
    assert len(transport._pools) == 0


def test_a_client_works_again_after_close(fake, dg):
    dg.sync.projects.list()
    dg.close()
    assert "projects" in dg.sync.projects.list()


# -- retries ------------------------------------------------------------------------------------


@modes
def test_429_with_retry_after_is_honoured(fake, mode, retry_waits):
    fake.script("GET", "/projects", status=429, json={"err_msg": "slow down"},
                headers={"retry-after-ms": "300"})
    assert "projects" in call(client(fake), mode, projects)
    assert retry_waits == [0.3]
    assert len(fake.requests) == 2


@modes
def test_503_then_success(fake, mode, retry_waits):
    fake.script("GET", "/projects", status=503, body="busy", times=2)
    assert "projects" in call(client(fake), mode, projects)
    assert len(fake.requests) == 3
    # Backoff with jitter: about 0.5 s, then about 1 s, each less up to a quarter.
    assert 0.375 <= retry_waits[0] <= 0.5 and 0.75 <= retry_waits[1] <= 1.0 and len(retry_waits) == 2


@modes
def test_retries_stop_after_max_retries(fake, mode):
    fake.script("GET", "/projects", status=502, body="bad gateway", times=None)
    with pytest.raises(DeepgramApiError) as caught:
        call(client(fake, max_retries=1), mode, projects)
    assert caught.value.status == 502
    assert len(fake.requests) == 2


@modes
@pytest.mark.parametrize("status", [400, 401, 404, 501])
def test_other_statuses_are_not_retried(fake, mode, status):
    fake.script("GET", "/projects", status=status, json={"err_msg": "no"}, times=None)
    with pytest.raises(DeepgramApiError):
        call(client(fake), mode, projects)
    assert len(fake.requests) == 1


@modes
def test_with_options_overrides_retries_for_one_call(fake, dg, mode):
    fake.script("GET", "/projects", status=503, body="busy", times=None)
    with pytest.raises(DeepgramApiError):
        call(dg.with_options(max_retries=0), mode, projects)
    assert len(fake.requests) == 1


@modes
def test_a_reset_mid_upload_rewinds_the_file_and_resends_it(fake, mode, tmp_path):
    # Larger than the socket buffers of both ends, so the reset comes while we are still writing.
    big = tmp_path / "long.wav"
    big.write_bytes(AUDIO * 64)
    fake.script("POST", "/listen", fault="reset", after_bytes=64 * 1024)
    with open(big, "rb") as audio:
        response = call(client(fake), mode, lambda c: c.transcription.prerecorded(
            {"buffer": audio, "mimetype": "audio/wav"}, punctuate=True))
    assert response["results"]["channels"][0]["alternatives"][0]["transcript"]
    first, second = fake.requests
    assert 0 < first.body_size < len(AUDIO) * 64
    assert second.body_size == len(AUDIO) * 64


@modes
def test_a_generator_body_is_streamed_but_never_retried(fake, mode):
    def chunks():
        for offset in range(0, len(AUDIO), 16384):
            yield AUDIO[offset:offset + 16384]

    response = call(client(fake), mode, lambda c: c.transcription.prerecorded(
        {"buffer": chunks(), "mimetype": "audio/wav"}, punctuate=True))
    assert response["metadata"]["duration"] > 6
    assert fake.last_request.body == AUDIO
    fake.clear()
    fake.script("POST", "/listen", fault="reset", after_bytes=32 * 1024)
    with pytest.raises(DeepgramConnectionError):
        call(client(fake), mode, lambda c: c.transcription.prerecorded({"buffer": chunks()}))
    assert len(fake.requests) == 1


def test_the_retry_budget_stops_retrying_a_failing_server(fake):
    fake.script("GET", "/projects", status=503, body="down", times=None)
    dg = client(fake, max_retries=5)
    dg._sync_sender.budget.tokens = 12  # room for two retries in all
    with pytest.raises(DeepgramApiError):
        dg.sync.projects.list()
    with pytest.raises(DeepgramApiError):
        dg.sync.projects.list()
    assert len(fake.requests) == 4


@modes
def test_each_success_gives_the_budget_one_token_back_up_to_its_capacity(fake, mode):
    from deepgram._retry import RETRY_STATUSES

    # The senders skip the retry policy for answers under 400: none of them may be retryable.
    assert min(RETRY_STATUSES) >= 400
    dg = client(fake)
    budget = (dg._sync_sender if mode == "sync" else dg._sender).budget
    budget.tokens = budget.capacity - 2
    for _ in range(3):
        call(dg, mode, projects)
    assert budget.tokens == budget.capacity


def test_retry_after_forms_and_backoff():
    assert retry_after({"Retry-After": "2"}) == 2.0
    assert retry_after({"retry-after-ms": "1500"}) == 1.5
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412470.0) == 10.0
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({}) is None
    assert [round(backoff(n, lambda: 0.0), 2) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1, 2, 4, 8, 8]
    assert backoff(1, lambda: 1.0) == 0.375


def test_attempts_decide_in_one_place():
    class Error(Exception):
        phase = "connect"

    attempts = Attempts(max_retries=2, budget=RetryBudget(), replayable=True, rng=lambda: 0.0)
    attempts.attempt = 1
    assert attempts.delay(429, {"retry-after": "120"}) == 60.0  # capped
    assert attempts.delay(500, {}) == 0.5
    assert attempts.delay(error=Error()) == 0.5
    assert attempts.delay(400, {}) is None
    attempts.attempt = 3
    assert attempts.delay(503, {}) is None
    assert Attempts(2, RetryBudget(), replayable=False).delay(503, {}) is None
    read_failure = Error()
    read_failure.phase = "read"
    assert Attempts(2, RetryBudget(), True).delay(error=read_failure) is None


# -- timeouts and failures ----------------------------------------------------------------------


@modes
def test_a_dns_failure_is_a_connection_error(mode):
    dg = Deepgram({"api_key": "k", "api_url": "http://no-such-host.invalid/v1", "max_retries": 0,
                   "timeout": 5})
    with pytest.raises(DeepgramConnectionError) as caught:
        call(dg, mode, projects)
    assert caught.value.phase == "connect"


@modes
def test_a_tls_failure_is_reported_and_not_retried(fake, mode):
    dg = Deepgram({"api_key": "k", "api_url": f"https://127.0.0.1:{fake.port}/v1", "timeout": 5})
    with pytest.raises(DeepgramConnectionError) as caught:
        call(dg, mode, projects)
    assert caught.value.phase == "tls"
    assert "TLS" in str(caught.value)


@modes
def test_a_stalled_upload_response_times_out_and_is_not_retried(fake, mode):
    fake.script("POST", "/listen", fault="stall")
    dg = client(fake, timeout={"connect": 5, "read": 0.4})
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, lambda c: c.transcription.prerecorded({"buffer": AUDIO}))
    assert caught.value.phase == "read"
    assert len(fake.requests) == 1


# -- uploads ------------------------------------------------------------------------------------


@modes
@pytest.mark.parametrize("kind", ["file", "bytes"])
def test_upload_progress_is_reported(fake, mode, kind, tmp_path):
    seen = []
    dg = client(fake, on_progress=lambda sent, total: seen.append((sent, total)))
    if kind == "file":
        path = tmp_path / "a.wav"
        path.write_bytes(AUDIO * 8)
        with open(path, "rb") as audio:
            call(dg, mode, lambda c: c.transcription.prerecorded({"buffer": audio}))
    else:
        call(dg, mode, lambda c: c.transcription.prerecorded({"buffer": AUDIO * 8}))
    total = len(AUDIO) * 8
    assert seen[-1] == (total, total)
    assert [s for s, _ in seen] == sorted(s for s, _ in seen) and len(seen) > 1
    assert fake.last_request.body_size == total
    assert fake.last_request.headers.get("Content-Length") == str(total)


# -- deployments ----------------------------------------------------------------------------------


@modes
def test_client_and_per_call_headers_are_sent(fake, mode):
    dg = client(fake, headers={"X-Team": "speech"})
    call(dg.with_options(headers={"X-Trace": "abc"}), mode, projects)
    assert fake.last_request.headers["X-Team"] == "speech"
    assert fake.last_request.headers["X-Trace"] == "abc"
    call(dg, mode, projects)
    assert "X-Trace" not in fake.last_request.headers


@modes
def test_an_explicit_proxy_carries_the_requests(fake, mode):
    # The emulator accepts absolute-form requests, so it can stand in for an HTTP proxy.
    dg = Deepgram({"api_key": fake.api_key, "api_url": "http://deepgram.invalid/v1", "proxy": fake.root})
    assert "projects" in call(dg, mode, projects)
    assert fake.last_request.path == "/v1/projects"


@modes
def test_proxies_from_the_environment_are_honoured(fake, mode, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", fake.root)
    monkeypatch.setenv("http_proxy", fake.root)
    dg = Deepgram({"api_key": fake.api_key, "api_url": "http://deepgram.invalid/v1"})
    assert "projects" in call(dg, mode, projects)


def test_injected_sessions_are_used_and_left_open(fake):
    import aiohttp
    import requests

    with requests.Session() as sync_session:
        sync_session.headers["X-From"] = "requests-session"
        dg = client(fake, sync_session=sync_session)
        dg.sync.projects.list()
        dg.close()
        assert fake.last_request.headers["X-From"] == "requests-session"
        dg.sync.projects.list()

    async def main():
        async with aiohttp.ClientSession(headers={"X-From": "aiohttp-session"}) as session:
            dg = client(fake, session=session)
            await dg.projects.list()
            await dg.aclose()
            assert not session.closed
            await dg.projects.list()

    asyncio.run(main())
    assert fake.last_request.headers["X-From"] == "aiohttp-session"


@pytest.mark.parametrize("options, message", [
    ({"max_retries": -1}, "max_retries"),
    ({"proxy": "proxy.local:3128"}, "proxy must be a URL"),
    ({"verify": "/no/such/ca.pem"}, "does not exist"),
    ({"verify": 3}, "verify must be"),
    ({"session": object()}, "aiohttp session"),
    ({"on_progress": "print"}, "on_progress"),
])
def test_transport_options_are_validated(options, message):
    with pytest.raises(DeepgramSetupError, match=message):
        Deepgram({"api_key": "k", **options})


def test_with_options_rejects_unknown_settings():
    with pytest.raises(DeepgramSetupError, match="does not take"):
        Deepgram("k").with_options(model="nova-3")


def test_verify_accepts_a_ca_bundle_and_an_ssl_context(fake):
    import ssl

    dg = client(fake, verify=ssl.create_default_context())
    assert "projects" in dg.sync.projects.list()
    assert "projects" in asyncio.run(dg.projects.list())


# -- logging ------------------------------------------------------------------------------------


def test_each_attempt_is_logged_without_credentials(fake, caplog):
    caplog.set_level(logging.DEBUG, logger="deepgram")
    fake.script("GET", "/projects", status=503, body="busy")
    client(fake).sync.projects.list()
    lines = [r.getMessage() for r in caplog.records if r.name == "deepgram"]
    assert any("GET /projects -> 503" in line and "attempt 1" in line and "retrying" in line for line in lines)
    assert any("GET /projects -> 200" in line and "attempt 2" in line and "request id" in line for line in lines)
    assert all(fake.api_key not in line for line in lines)


def test_refused_connections_are_retried_then_reported(fake, retry_waits):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dg = Deepgram({"api_key": "k", "api_url": f"http://127.0.0.1:{port}/v1", "max_retries": 2})
    dg._sync_sender.budget.tokens = 500
    with pytest.raises(DeepgramConnectionError) as caught:
        dg.sync.projects.list()
    assert len(retry_waits) == 2 and caught.value.phase == "connect"  # two backoffs, then the error


LEGACY_LOOP = """
import asyncio
from deepgram import Deepgram
from deepgram.testing import FakeDeepgram

fake = FakeDeepgram().start()
dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})

async def main():
    print(len((await dg.projects.list())["projects"]))

for _ in range(3):
    asyncio.run(main())
loop = asyncio.new_event_loop()  # the 2.x README's style: a loop that is never closed
asyncio.set_event_loop(loop)
loop.run_until_complete(main())
loop.run_until_complete(main())
"""


def test_asyncio_run_and_a_never_closed_loop_leave_no_resource_warnings(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "legacy_loop.py"
    script.write_text(LEGACY_LOOP)
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-X", "dev", "-W", "error", str(script)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"] * 5
    # -X dev also logs callbacks slower than 100 ms: a loaded machine's doing, not a leak.
    slow = re.compile(r"Executing <.*> took [0-9.]+ seconds$")
    assert [line for line in done.stderr.splitlines() if not slow.match(line)] == []


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost (made with the openssl command)."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_fake(certificate):
    import gc
    import ssl

    from deepgram.testing import FakeDeepgram

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    with FakeDeepgram(host="localhost", ssl_context=context) as server:
        yield server
    gc.collect()  # report any transport left open here, in this test


def _aiohttp_version():
    import aiohttp

    return tuple(int(part) for part in aiohttp.__version__.split(".")[:2])


# Before Python 3.11, asyncio's TLS transports never finish closing when the peer does not
# answer close_notify (raw aiohttp shows the same; the 3.11 rewrite of sslproto fixed it), and
# aiohttp before 3.11 can leave a refused TLS connection closing as the loop ends. Those
# library leaks are tolerated here, on those versions only.
old_asyncio_tls = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning") \
    if sys.version_info < (3, 11) or _aiohttp_version() < (3, 11) else (lambda test: test)


@old_asyncio_tls
@modes
def test_tls_is_verified_against_a_ca_bundle(tls_fake, certificate, mode):
    trusted = Deepgram({"api_key": tls_fake.api_key, "api_url": tls_fake.url, "verify": str(certificate[0])})
    assert "projects" in call(trusted, mode, projects)
    unverified = Deepgram({"api_key": tls_fake.api_key, "api_url": tls_fake.url, "verify": False})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # urllib3 rightly warns about unverified HTTPS
        assert "projects" in call(unverified, mode, projects)
    default = Deepgram({"api_key": tls_fake.api_key, "api_url": tls_fake.url})
    with pytest.raises(DeepgramConnectionError) as caught:
        call(default, mode, projects)
    assert caught.value.phase == "tls"
    assert len(tls_fake.requests) == 2  # the refused handshake never reached HTTP, and was not retried


@old_asyncio_tls
def test_an_ssl_context_reaches_both_paths_and_the_websocket(tls_fake, certificate):
    import ssl

    context = ssl.create_default_context(cafile=str(certificate[0]))
    dg = Deepgram({"api_key": tls_fake.api_key, "api_url": tls_fake.url, "verify": context})
    assert "projects" in dg.sync.projects.list()

    async def main():
        assert "projects" in await dg.projects.list()
        live = await dg.transcription.live()
        return await live.finish()

    assert asyncio.run(main())["type"] == "Metadata"
