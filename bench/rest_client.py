"""One REST benchmark run in its own process, printing one JSON line of measurements.

    python bench/rest_client.py --url http://127.0.0.1:PORT/v1 --client sdk|raw --mode async|sync \
        --scenario gets|concurrent|upload|uploads|upload-progress [--count N] [--concurrency C] [--megabytes M] \
        [--rounds R]

The raw clients do the same work the way a careful user would without the SDK: one shared
``aiohttp.ClientSession`` or ``requests.Session``, the same headers and timeouts, the JSON parsed.
"""

import argparse
import asyncio
import json
import os
import resource
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

KEY = "bench"
HEADERS = {"Authorization": f"Token {KEY}"}


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_file(megabytes: int) -> str:
    handle, path = tempfile.mkstemp(suffix=".raw")
    block = bytes(range(256)) * 4096  # 1 MiB
    with os.fdopen(handle, "wb") as out:
        for _ in range(megabytes):
            out.write(block)
    return path


# -- the SDK --------------------------------------------------------------------------------------


class Progress:
    """What a progress bar needs: the bytes sent so far (updated for every block)."""

    def __init__(self) -> None:
        self.sent = 0
        self.calls = 0

    def __call__(self, sent: int, total) -> None:
        self.sent, self.calls = sent, self.calls + 1


PROGRESS = Progress()


def sdk_client(url: str, progress: bool = False):
    from deepgram import Deepgram

    options = {"api_key": KEY, "api_url": url, "max_retries": 0}
    if progress:
        options["on_progress"] = PROGRESS
    return Deepgram(options)


# Headerless audio: Deepgram (and the emulator) need its encoding in the query.
RAW = {"encoding": "linear16", "sample_rate": "16000"}


async def sdk_async(args, path):
    dg = sdk_client(args.url)

    async def get():
        return await dg.projects.list()

    async def upload():
        with open(path, "rb") as audio:
            return await dg.transcription.prerecorded({"buffer": audio, "mimetype": "audio/raw"}, RAW)

    await get()  # warm: the pooled connection and the lazy imports
    return await run_async(args, get, upload, dg.aclose)


def sdk_sync(args, path):
    dg = sdk_client(args.url, progress=args.scenario == "upload-progress")

    def get():
        return dg.sync.projects.list()

    def upload():
        with open(path, "rb") as audio:
            return dg.transcription.sync_prerecorded({"buffer": audio, "mimetype": "audio/raw"}, RAW)

    get()
    return run_sync(args, get, upload, dg.close)


# -- raw libraries -------------------------------------------------------------------------------


async def raw_async(args, path):
    import aiohttp

    # The SDK's default limits (10 s to connect, 660 s per read), so both do the same timer work.
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(sock_connect=10, sock_read=660))

    async def get():
        async with session.get(args.url + "/projects", headers=HEADERS) as response:
            return await response.json()

    async def upload():
        with open(path, "rb") as audio:
            async with session.post(args.url + "/listen", data=audio, params=RAW,
                                    headers={**HEADERS, "Content-Type": "audio/raw"}) as response:
                return await response.json()

    await get()
    return await run_async(args, get, upload, session.close)


class CountingReader:
    """A file that reports each block requests reads from it: the raw way to show progress."""

    def __init__(self, audio, size: int) -> None:
        self.audio, self.size, self.sent = audio, size, 0

    def __len__(self) -> int:
        return self.size

    def read(self, size: int = -1) -> bytes:
        block = self.audio.read(size)
        self.sent += len(block)
        PROGRESS(self.sent, self.size)
        return block


def raw_sync(args, path):
    import requests

    session = requests.Session()

    def get():
        return session.get(args.url + "/projects", headers=HEADERS, timeout=(10, 660)).json()

    def upload():
        with open(path, "rb") as audio:
            data = CountingReader(audio, os.path.getsize(path)) if args.scenario == "upload-progress" else audio
            return session.post(args.url + "/listen", data=data, params=RAW, timeout=(10, 660),
                                headers={**HEADERS, "Content-Type": "audio/raw"}).json()

    get()
    return run_sync(args, get, upload, session.close)


# -- the scenarios -------------------------------------------------------------------------------


async def run_async(args, get, upload, close):
    work = get if args.scenario in ("gets", "concurrent") else upload
    limit = asyncio.Semaphore(args.concurrency)

    async def one():
        async with limit:
            await work()

    rounds = []
    for _ in range(args.rounds):
        started, cpu, base = time.perf_counter(), cpu_seconds(), rss_mb()
        if args.scenario in ("gets", "upload"):
            for _ in range(args.count):
                await work()
        else:
            await asyncio.gather(*(one() for _ in range(args.count)))
        rounds.append(measured(args, started, cpu, base))
    await close()
    return median_round(rounds)


def median_round(rounds):
    """The round with the median CPU time (``--rounds``: the same work again in the same process;
    one round's CPU time is a fraction of a second, which a moment of interference can double)."""
    return sorted(rounds, key=lambda r: r["cpu_s"])[len(rounds) // 2]


def run_sync(args, get, upload, close):
    work = get if args.scenario in ("gets", "concurrent") else upload
    started, cpu, base = time.perf_counter(), cpu_seconds(), rss_mb()
    if args.scenario in ("gets", "upload", "upload-progress"):
        for _ in range(args.count):
            work()
    else:
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda _: work(), range(args.count)))
    result = measured(args, started, cpu, base)
    close()
    return result


def measured(args, started, cpu, base):
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    moved = args.count * args.megabytes if args.scenario.startswith("upload") else 0
    return {
        "client": args.client, "mode": args.mode, "scenario": args.scenario, "count": args.count,
        "wall_s": wall, "cpu_s": cpu, "cpu_per_request_ms": 1000 * cpu / args.count,
        "peak_rss_mb": peak, "rss_growth_mb": peak - base,
        "mb_per_s": moved / wall if moved else None,
        "progress_calls": PROGRESS.calls,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--client", choices=("sdk", "raw"), required=True)
    parser.add_argument("--mode", choices=("async", "sync"), required=True)
    parser.add_argument("--scenario", choices=("gets", "concurrent", "upload", "uploads", "upload-progress"),
                        required=True)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--megabytes", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1, help="async: run the scenario N times, report the median")
    args = parser.parse_args()
    path = make_file(args.megabytes) if args.scenario.startswith("upload") else None
    try:
        if args.mode == "async":
            runner = sdk_async if args.client == "sdk" else raw_async
            result = asyncio.run(runner(args, path))
        else:
            runner = sdk_sync if args.client == "sdk" else raw_sync
            result = runner(args, path)
    finally:
        if path:
            os.unlink(path)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
