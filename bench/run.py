"""Benchmarks: the SDK side by side with the raw library, against the emulator in another process.

    python bench/run.py            # full run, writes BENCHMARKS.md
    python bench/run.py --quick    # a smaller run (under a minute), printed only

Each measurement runs in a fresh client process (so peak RSS is the client's own) and is
repeated; the tables give medians and the SDK/raw ratio.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_emulator() -> "tuple[subprocess.Popen, str]":
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "deepgram.testing", "--port", str(port), "--accept-any-key"],
                               stdout=subprocess.PIPE, text=True, env=env)
    process.stdout.readline()  # the banner: the server is listening
    return process, f"ws://127.0.0.1:{port}/v1"


def measure(script: str, args: list, repeats: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, str(HERE / script), *args], env=env, check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    merged = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, float) or key.endswith(("_s", "_mb", "_ms")):
            values = [r[key] for r in runs if r[key] is not None]
            merged[key] = statistics.median(values) if values else None
    merged["repeats"] = repeats
    return merged


def live_rows(url: str, quick: bool, repeats: int) -> list:
    paced = ["--scenario", "paced", "--sessions", "200", "--seconds", "3" if quick else "10"]
    burst = ["--scenario", "burst", "--megabytes", "40" if quick else "200"]
    rows = []
    for name, args in (("200 sessions paced at real time", paced), ("burst in 8 KB frames", burst)):
        sdk = measure("live_client.py", ["--url", url, "--client", "sdk", *args], repeats)
        raw = measure("live_client.py", ["--url", url, "--client", "raw", *args], repeats)
        rows.append((name, sdk, raw))
    return rows


def fmt(value: "float | None", digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def ratio(a: "float | None", b: "float | None") -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def live_table(rows: list) -> str:
    lines = [
        "| scenario | client | wall s | client CPU s | peak RSS MB | MB/s | handler latency p50 / p95 ms | messages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, sdk, raw in rows:
        for label, row in (("deepgram", sdk), ("raw websockets", raw)):
            throughput = row["bytes"] / 1024 / 1024 / row["wall_s"]
            lines.append(
                f"| {name} | {label} | {fmt(row['wall_s'])} | {fmt(row['cpu_s'])} | {fmt(row['peak_rss_mb'], 1)} | "
                f"{fmt(throughput, 1)} | {fmt(row['latency_p50_ms'], 1)} / {fmt(row['latency_p95_ms'], 1)} | {row['messages']} |")
        lines.append(
            f"| {name} | **ratio** | {ratio(sdk['wall_s'], raw['wall_s'])} | {ratio(sdk['cpu_s'], raw['cpu_s'])} | "
            f"{ratio(sdk['peak_rss_mb'], raw['peak_rss_mb'])} | | "
            f"{ratio(sdk['latency_p50_ms'], raw['latency_p50_ms'])} / {ratio(sdk['latency_p95_ms'], raw['latency_p95_ms'])} | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller runs, one repeat, not written")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    server, url = start_emulator()
    started = time.time()
    try:
        rows = live_rows(url, args.quick, repeats)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
    import aiohttp
    import websockets

    header = (f"Python {platform.python_version()}, websockets {websockets.__version__}, aiohttp "
              f"{aiohttp.__version__}, {os.cpu_count()} CPUs; medians of {repeats} run(s); "
              f"{time.time() - started:.0f} s in all.")
    report = f"## Live streaming\n\n{header}\n\n{live_table(rows)}\n"
    print(report)
    if not args.quick:
        text = (HERE / "BENCHMARKS.head.md").read_text() + "\n" + report
        (ROOT / "BENCHMARKS.md").write_text(text)


if __name__ == "__main__":
    main()
