"""One streaming text-to-speech run in its own process, printing one JSON line of measurements.

    python bench/speak_client.py --url ws://127.0.0.1:PORT/v1 --client sdk|raw [--sentences N]

One ``/v1/speak`` session, used as a voice app uses it: send a sentence, flush, receive its audio
until Flushed, then the next sentence. Time to first audio byte is measured from the Flush to the
first binary frame; CPU is the client's, per MiB of audio received.
"""

import argparse
import asyncio
import json
import resource
import time

QUERY = {"model": "aura-2-thalia-en", "encoding": "linear16", "sample_rate": 24000}
# About 11 s of audio (540 KB of 24 kHz linear16) from the emulator, which speaks 0.06 s a character.
SENTENCE = ("The quick brown fox jumps over the lazy dog, and then it runs back across the field "
            "to see whether the dog has woken up yet; it has not, so the fox jumps once more. ")[:190]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Tally:
    """Audio bytes received, and the delay from each Flush to the first byte of its audio."""

    def __init__(self) -> None:
        self.audio = 0
        self.flushed_at = 0.0
        self.first = None  # when the audio of the last Flush began
        self.delays: list = []

    def flush(self) -> None:
        self.flushed_at, self.first = time.perf_counter(), None

    def audio_frame(self, frame: bytes) -> None:
        if self.first is None:
            self.first = time.perf_counter()
            self.delays.append(self.first - self.flushed_at)
        self.audio += len(frame)


async def sdk_run(url: str, sentences: int, tally: Tally) -> None:
    from deepgram import Deepgram

    dg = Deepgram({"api_key": "bench", "api_url": url.replace("ws", "http", 1)})
    stream = await dg.speak.live(QUERY)
    flushed = asyncio.Event()
    stream.register_handler(stream.event.AUDIO, tally.audio_frame)
    stream.register_handler(stream.event.FLUSHED, lambda message: flushed.set())
    for _ in range(sentences):
        flushed.clear()
        stream.send_text(SENTENCE)
        tally.flush()
        stream.flush()
        await flushed.wait()
    await stream.finish()


async def raw_run(url: str, sentences: int, tally: Tally) -> None:
    from urllib.parse import urlencode

    from websockets.asyncio.client import connect

    async with connect(f"{url}/speak?{urlencode(QUERY)}", additional_headers={"Authorization": "Token bench"},
                       compression=None, max_size=None) as ws:
        for _ in range(sentences):
            await ws.send(json.dumps({"type": "Speak", "text": SENTENCE}))
            tally.flush()
            await ws.send(json.dumps({"type": "Flush"}))
            async for frame in ws:
                if isinstance(frame, bytes):
                    tally.audio_frame(frame)
                elif json.loads(frame).get("type") == "Flushed":
                    break
        await ws.send(json.dumps({"type": "Close"}))
        async for _frame in ws:  # the server's last messages, then its close
            pass


async def main(args: argparse.Namespace) -> dict:
    import websockets.asyncio.client  # noqa: F401  (imports are not part of the work measured)

    if args.client == "sdk":
        import deepgram._open
        import deepgram._sockets
        import deepgram._sync_sockets  # noqa: F401  (loaded by the first stream opened)
    tally = Tally()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    await (sdk_run if args.client == "sdk" else raw_run)(args.url, args.sentences, tally)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    delays = sorted(tally.delays)
    mib = tally.audio / 1024 / 1024
    return {
        "client": args.client, "sentences": args.sentences, "audio_mib": mib, "wall_s": wall, "cpu_s": cpu,
        "cpu_ms_per_mib": 1000 * cpu / mib,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "first_byte_p50_ms": 1000 * delays[len(delays) // 2],
        "first_byte_p95_ms": 1000 * delays[int(len(delays) * 0.95)],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--client", choices=("sdk", "raw"), required=True)
    parser.add_argument("--sentences", type=int, default=1000)
    print(json.dumps(asyncio.run(main(parser.parse_args()))))
