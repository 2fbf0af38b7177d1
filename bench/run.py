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
    """The emulator in its own process; returns it and its ws:// base URL."""
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


def import_times(repeats: int) -> list:
    """Median cumulative import time (ms) of the SDK and of each library it wraps."""
    rows = []
    # As users run it: with bytecode cached (a first, unmeasured import writes the cache).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    for module in ("deepgram", "aiohttp", "requests", "websockets"):
        subprocess.run([sys.executable, "-c", f"import {module}"], env=env, check=True)
        samples = []
        for _ in range(max(repeats, 5)):
            err = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                                 env=env, capture_output=True, text=True, check=True).stderr
            line = [ln for ln in err.splitlines() if ln.rstrip().endswith(f"| {module}")][-1]
            samples.append(int(line.split("|")[1]) / 1000)
        rows.append((module, statistics.median(samples)))
    return rows


REST = [
    # (title, scenario, options for the full run, options for --quick)
    ("sequential small GETs", "gets", ["--count", "500"], ["--count", "200"]),
    ("GETs at concurrency 50", "concurrent", ["--count", "2000", "--concurrency", "50"],
     ["--count", "500", "--concurrency", "50"]),
    ("one large upload", "upload", ["--count", "1", "--megabytes", "256"], ["--count", "1", "--megabytes", "32"]),
    ("1 MB uploads at concurrency 8", "uploads", ["--count", "100", "--concurrency", "8", "--megabytes", "1"],
     ["--count", "20", "--concurrency", "8", "--megabytes", "1"]),
]


def rest_rows(url: str, quick: bool, repeats: int) -> list:
    rows = []
    for title, scenario, full, small in REST:
        for mode in ("async", "sync"):
            args = ["--url", url, "--mode", mode, "--scenario", scenario, *(small if quick else full)]
            sdk = measure("rest_client.py", [*args, "--client", "sdk"], repeats)
            raw = measure("rest_client.py", [*args, "--client", "raw"], repeats)
            rows.append((title, mode, sdk, raw))
    return rows


def rest_table(rows: list) -> str:
    lines = [
        "| scenario | path | requests | client CPU per request ms (SDK / raw) | ratio | wall s (SDK / raw) "
        "| MB/s (SDK / raw) | peak RSS growth MB (SDK / raw) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for title, mode, sdk, raw in rows:
        library = "aiohttp" if mode == "async" else "requests"
        lines.append(
            f"| {title} | {mode} (raw: {library}) | {sdk['count']} | "
            f"{fmt(sdk['cpu_per_request_ms'], 3)} / {fmt(raw['cpu_per_request_ms'], 3)} | "
            f"{ratio(sdk['cpu_per_request_ms'], raw['cpu_per_request_ms'])} | "
            f"{fmt(sdk['wall_s'])} / {fmt(raw['wall_s'])} | {fmt(sdk['mb_per_s'], 1)} / {fmt(raw['mb_per_s'], 1)} | "
            f"{fmt(sdk['rss_growth_mb'], 1)} / {fmt(raw['rss_growth_mb'], 1)} |")
    return "\n".join(lines)


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
                f"{fmt(throughput, 1)} | {fmt(row['latency_p50_ms'], 1)} / {fmt(row['latency_p95_ms'], 1)} | "
                f"{row['messages']} |")
        lines.append(
            f"| {name} | **ratio** | {ratio(sdk['wall_s'], raw['wall_s'])} | {ratio(sdk['cpu_s'], raw['cpu_s'])} | "
            f"{ratio(sdk['peak_rss_mb'], raw['peak_rss_mb'])} | | "
            f"{ratio(sdk['latency_p50_ms'], raw['latency_p50_ms'])} / "
            f"{ratio(sdk['latency_p95_ms'], raw['latency_p95_ms'])} | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller runs, one repeat, not written")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    server, url = start_emulator()
    started = time.time()
    try:
        imports = import_times(repeats)
        rest = rest_rows(url.replace("ws://", "http://"), args.quick, repeats)
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
    imports_table = "\n".join(["| module | import time ms |", "|---|---|"]
                              + [f"| {name} | {ms:.1f} |" for name, ms in imports])
    report = (f"{header}\n\n## Import time\n\n{imports_table}\n\n## REST\n\n{rest_table(rest)}\n\n"
              f"## Live streaming\n\n{live_table(rows)}\n")
    print(report)
    if not args.quick:
        text = (HERE / "BENCHMARKS.head.md").read_text() + "\n" + report
        (ROOT / "BENCHMARKS.md").write_text(text)


if __name__ == "__main__":
    main()
