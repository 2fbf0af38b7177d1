"""Opening a live stream: the URL and headers of the client, the shared retry policy, the proxy."""

import asyncio
import logging

import pytest
from websockets.version import version as websockets_version

from deepgram import Deepgram, DeepgramApiError, DeepgramSetupError
from deepgram.live import LiveSettings

FAST = LiveSettings(retry_delay=0.01, finish_timeout=10)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def handshakes(fake):
    return [r for r in fake.requests if r.path == "/v1/listen"]


async def open_and_finish(dg, **kwargs):
    live = await dg.transcription.live(settings=FAST, **kwargs)
    return await live.finish()


def test_the_client_query_and_headers_reach_the_stream(fake):
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "query": {"tag": "from-client"},
                   "headers": {"X-Team": "speech"}})
    run(open_and_finish(dg, punctuate=True))
    session = fake.live_sessions[-1]
    assert session.params["tag"] == ["from-client"] and session.params["punctuate"] == ["true"]
    assert {k.lower(): v for k, v in session.headers.items()}["x-team"] == "speech"


def test_a_429_handshake_is_retried_after_the_time_it_asks_for(fake, dg, caplog):
    fake.script("GET", "/listen", status=429, body="slow down", headers={"retry-after-ms": "20"}, times=1)
    with caplog.at_level(logging.WARNING, logger="deepgram"):
        assert run(open_and_finish(dg))["type"] == "Metadata"
    assert len(handshakes(fake)) == 2
    assert "retrying in 0.02s" in caplog.text


@pytest.mark.parametrize("status", [400, 402, 403, 404])
def test_a_4xx_handshake_is_never_retried(fake, dg, status):
    fake.script("GET", "/listen", status=status, body="no", times=1)
    with pytest.raises(DeepgramApiError) as caught:
        run(open_and_finish(dg))
    assert caught.value.status == status and len(handshakes(fake)) == 1


def test_handshake_retries_draw_on_the_clients_retry_budget(fake, dg):
    fake.script("GET", "/listen", status=503, body="busy", times=1)
    budget = dg._sender.budget
    before = budget.tokens
    run(open_and_finish(dg))
    assert budget.tokens < before


def test_a_failed_handshake_retries_at_most_connect_retries_times(fake, dg):
    fake.script("GET", "/listen", status=503, body="busy", times=5)
    with pytest.raises(DeepgramApiError) as caught:
        run(dg.transcription.live(settings=LiveSettings(retry_delay=0.01, connect_retries=2)))
    assert caught.value.status == 503 and len(handshakes(fake)) == 3


@pytest.mark.skipif(int(websockets_version.split(".")[0]) >= 15, reason="websockets 15+ supports proxies")
def test_a_proxy_with_websockets_before_15_is_a_setup_error_before_any_io(fake):
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "proxy": "http://127.0.0.1:9"})
    with pytest.raises(DeepgramSetupError, match="websockets 15"):
        run(dg.transcription.live())
    assert handshakes(fake) == []


class ConnectProxy:
    """A minimal HTTP CONNECT proxy on loopback that records the targets it tunnelled to."""

    def __init__(self):
        self.targets = []

    async def start(self):
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def handle(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        target = head.split(b" ")[1].decode()
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await asyncio.gather(self.pipe(reader, up_writer), self.pipe(up_reader, writer))

    @staticmethod
    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def close(self):
        self.server.close()
        await self.server.wait_closed()


@pytest.mark.skipif(int(websockets_version.split(".")[0]) < 15, reason="proxies need websockets 15+")
def test_the_proxy_option_carries_the_stream(fake):
    async def main():
        proxy = ConnectProxy()
        url = await proxy.start()
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "proxy": url})
        try:
            return await open_and_finish(dg), proxy.targets
        finally:
            await proxy.close()

    metadata, targets = run(main())
    assert metadata["type"] == "Metadata"
    assert targets == [fake.root.split("//", 1)[1]]


def test_messages_that_arrive_while_a_handler_is_busy_survive_the_close():
    # websockets before 14.1 empties its queue of unread messages at close; the final Metadata
    # comes just before the close, often while a handler is still busy with a result.
    import json

    from websockets.asyncio.server import serve

    async def server(ws):
        await ws.recv()  # the first audio
        for message in ({"type": "Results", "is_final": True}, {"type": "Results", "is_final": True},
                        {"type": "Metadata", "request_id": "r"}):
            await ws.send(json.dumps(message))
        await ws.close()

    async def main():
        async with serve(server, "127.0.0.1", 0) as running:
            port = running.sockets[0].getsockname()[1]
            dg = Deepgram({"api_key": "k" * 40, "api_url": f"http://127.0.0.1:{port}/v1"})
            live = await dg.transcription.live(settings=FAST)
            closed = asyncio.Event()
            live.register_handler(live.event.CLOSE, lambda code: closed.set())

            async def busy(message):
                if message["type"] == "Results" and not seen:
                    await asyncio.sleep(0.2)  # meanwhile the rest and the close frame arrive
                seen.append(message["type"])

            seen = []
            live.register_handler(live.event.TRANSCRIPT_RECEIVED, busy)
            live.send(b"\x00" * 3200)
            await asyncio.wait_for(closed.wait(), 10)
            return seen, live.metadata

    seen, metadata = run(main())
    assert seen == ["Results", "Results", "Metadata"] and metadata == {"type": "Metadata", "request_id": "r"}
