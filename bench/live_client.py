"""One live benchmark run in its own process, printing one JSON line of measurements.

    python bench/live_client.py --url ws://127.0.0.1:PORT/v1 --client sdk|raw --scenario paced|burst

paced: SESSIONS concurrent sessions, each sending SECONDS of 16 kHz linear16 audio in 100 ms
chunks at real-time pace (on a shared clock, the sessions' phases spread evenly over 100 ms);
handler latency is the time from sending the chunk that completes a
final result's audio to the handler seeing that result.
burst: one session sending MEGABYTES of audio in 8 KB frames as fast as the connection takes them,
yielding to the loop (``await asyncio.sleep(0)``) after each frame as any async producer does.
"""

import argparse
import asyncio
import json
import resource
import time

CHUNK = 3200  # 100 ms of 16 kHz 16-bit mono audio
FRAME = 8192
BYTE_RATE = 32000
QUERY = "?encoding=linear16&sample_rate=16000&punctuate=true"


PATTERN = bytes(range(256)) * 256  # 64 KiB of audio reused, so the data itself costs no memory


def frames(size: int, step: int):
    """``size`` bytes of audio in ``step``-byte frames, sliced from one small buffer."""
    view = memoryview(PATTERN)
    for offset in range(0, size, step):
        start = offset % (len(PATTERN) - step)
        yield bytes(view[start:start + min(step, size - offset)])


class Pacer:
    """Real-time pacing on a clock shared by every session, each with its own phase.

    Session ``index`` of ``count`` sends on the ticks ``origin + index / count * 0.1 + k * 0.1``,
    so independent streams are spread evenly over each 100 ms, whichever client opened them faster.
    """

    origin = 0.0

    def __init__(self, index: int, count: int) -> None:
        self.phase = index / count * 0.1
        self.tick = -1

    async def wait(self) -> None:
        now = time.perf_counter() - self.origin - self.phase
        self.tick = max(self.tick + 1, int(now / 0.1) + 1)
        await asyncio.sleep(self.origin + self.phase + self.tick * 0.1 - time.perf_counter())


class Latency:
    """Send times per audio position, and the delays at which final results came back."""

    def __init__(self) -> None:
        self.sent_at: list = []
        self.delays: list = []

    def sent(self, total_bytes: int) -> None:
        self.sent_at.append((total_bytes, time.perf_counter()))

    def result(self, message: dict) -> None:
        if message.get("type") != "Results" or not message.get("is_final"):
            return
        needed = (message["start"] + message["duration"]) * BYTE_RATE
        for total, at in self.sent_at:
            if total >= needed - 1:
                self.delays.append(time.perf_counter() - at)
                return


_CLIENT = None


def sdk_client(url: str):
    """One client for every session, as a program that opens many streams has."""
    global _CLIENT
    if _CLIENT is None:
        from deepgram import Deepgram

        _CLIENT = Deepgram({"api_key": "bench", "api_url": url.replace("ws", "http", 1)})
    return _CLIENT


async def sdk_session(url: str, scenario: str, size: int, latency: Latency, pacer: Pacer) -> int:
    from deepgram import DeepgramBufferFullError
    from deepgram.live import LiveSettings

    dg = sdk_client(url)
    # The burst runs with the default settings (live.received keeps the last 1,000 messages). The
    # paced runs, which measure memory per session, keep no history of messages, like the raw client,
    # and may take their time to finish: 1,000 paced sessions fall behind real time.
    settings = LiveSettings() if scenario == "burst" else LiveSettings(max_received=0, finish_timeout=600)
    live = await dg.transcription.live(
        {"encoding": "linear16", "sample_rate": 16000, "punctuate": True}, settings=settings)
    received = []
    live.register_handler(live.event.TRANSCRIPT_RECEIVED, lambda m: (latency.result(m), received.append(1)))
    sent = 0
    for chunk in frames(size, CHUNK if scenario == "paced" else FRAME):
        if scenario == "paced":
            await pacer.wait()
        try:
            live.send(chunk)
        except DeepgramBufferFullError:  # the server reads slower than we produce: wait for room
            await live.drain()
            live.send(chunk)
        sent += len(chunk)
        if scenario == "paced":
            latency.sent(sent)
        else:
            await asyncio.sleep(0)  # any async producer yields to the loop between frames
    await live.finish()
    return len(received)


async def raw_session(url: str, scenario: str, size: int, latency: Latency, pacer: Pacer) -> int:
    from websockets.asyncio.client import connect

    received = []
    async with connect(url + "/listen" + QUERY, additional_headers={"Authorization": "Token bench"},
                       compression=None, max_size=None) as ws:
        async def receive() -> None:
            async for raw in ws:
                message = json.loads(raw)
                latency.result(message)
                received.append(1)

        reader = asyncio.ensure_future(receive())
        sent = 0
        for chunk in frames(size, CHUNK if scenario == "paced" else FRAME):
            if scenario == "paced":
                await pacer.wait()
            await ws.send(chunk)
            sent += len(chunk)
            if scenario == "paced":
                latency.sent(sent)
            else:
                await asyncio.sleep(0)
        await ws.send(json.dumps({"type": "CloseStream"}))
        await reader
    return len(received)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(args: argparse.Namespace) -> dict:
    import websockets.asyncio.client  # noqa: F401  (imports are not part of the work measured)

    if args.client == "sdk":
        import deepgram._open
        import deepgram.live
        import deepgram.sync_live  # noqa: F401  (loaded by the first stream opened)
    session = sdk_session if args.client == "sdk" else raw_session
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_before = cpu_seconds()
    if args.scenario == "paced":
        size, count = int(args.seconds * BYTE_RATE), args.sessions
    else:
        size, count = args.megabytes * 1024 * 1024, 1
    latencies = [Latency() for _ in range(count)]
    started = Pacer.origin = time.perf_counter()
    messages = await asyncio.gather(
        *(session(args.url, args.scenario, size, latencies[i], Pacer(i, count)) for i in range(count)))
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    delays = sorted(d for lat in latencies for d in lat.delays)
    return {
        "client": args.client, "scenario": args.scenario, "sessions": count, "bytes": size * count,
        "messages": sum(messages), "wall_s": wall, "cpu_s": cpu,
        "peak_rss_mb": peak,
        # What the sessions added to the process's peak, per session (the interpreter and imports aside).
        "kb_per_session": (peak - rss_before) * 1024 / count,
        "latency_p50_ms": 1000 * delays[len(delays) // 2] if delays else None,
        "latency_p95_ms": 1000 * delays[int(len(delays) * 0.95)] if delays else None,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--client", choices=("sdk", "raw"), required=True)
    parser.add_argument("--scenario", choices=("paced", "burst"), required=True)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--megabytes", type=int, default=200)
    print(json.dumps(asyncio.run(main(parser.parse_args()))))
