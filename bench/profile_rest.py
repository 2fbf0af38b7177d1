"""Where a small async REST call's CPU goes: a profile, and instructions per call against raw aiohttp.

    python bench/profile_rest.py                    # cProfile of 4000 GETs at concurrency 50
    python bench/profile_rest.py --concurrency 1    # ... one after another
    python bench/profile_rest.py --instructions     # instructions per GET, SDK and raw (needs valgrind)
    python bench/profile_rest.py --cache            # ... and the cache misses they cause (simulated)

The profile runs ``dg.projects.list()`` against the emulator (in its own process) and prints the
functions with the most time of their own, the SDK's marked, and the SDK's share. cProfile slows
each Python call down, so its times overstate small functions; use it to rank costs, not to size
them. ``--instructions`` counts the instructions ``bench/rest_client.py`` executes (valgrind's
cachegrind) at two request counts and divides the difference by the extra requests: start-up and
imports cancel out, and unlike CPU time the count hardly moves from run to run. ``--cache`` adds
cachegrind's simulated cache misses, which show whether a call costs more time than its
instructions say.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bench_env, start_emulator  # noqa: E402  (the benchmark's own helpers)


async def calls(url: str, count: int, concurrency: int, profile: cProfile.Profile) -> None:
    from deepgram import Deepgram

    dg = Deepgram({"api_key": "bench", "api_url": url, "max_retries": 0})
    limit = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with limit:
            await dg.projects.list()

    await asyncio.gather(*(one() for _ in range(200)))  # warm: connections, lazy imports
    profile.enable()
    await asyncio.gather(*(one() for _ in range(count)))
    profile.disable()
    await dg.aclose()


def where(filename: str) -> str:
    """A short place for a function: the SDK's module, or the library's."""
    path = Path(filename)
    if "deepgram" in path.parts:
        return "deepgram/" + path.name
    for library in ("aiohttp", "asyncio", "json", "multidict", "yarl"):
        if library in path.parts:
            return f"{library}/{path.name}"
    return path.name


def report(profile: cProfile.Profile, count: int, top: int) -> str:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    total = sdk_own = 0.0
    calls_total = 0
    for (filename, line, name), (_, ncalls, own, _cumulative, _) in stats.items():
        total += own
        calls_total += ncalls
        is_sdk = "deepgram" in Path(filename).parts
        if is_sdk:
            sdk_own += own
        rows.append((own, ncalls, is_sdk, f"{where(filename)}:{line} {name}" if line else name))
    rows.sort(reverse=True)
    lines = [f"{count} calls; {1e6 * total / count:.0f} µs profiled per call, of which the SDK's own functions "
             f"{1e6 * sdk_own / count:.1f} µs ({100 * sdk_own / total:.0f} %); "
             f"{calls_total / count:.0f} function calls per call", "",
             "| own time per call µs | calls per call | function |", "|---|---|---|"]
    for own, ncalls, is_sdk, label in rows[:top]:
        mark = "**" if is_sdk else ""
        lines.append(f"| {1e6 * own / count:.1f} | {ncalls / count:.1f} | {mark}{label}{mark} |")
    lines += ["", "The SDK's own functions:", "", "| own time per call µs | calls per call | function |",
              "|---|---|---|"]
    for own, ncalls, _, label in [row for row in rows if row[2]][:top]:
        lines.append(f"| {1e6 * own / count:.1f} | {ncalls / count:.1f} | {label} |")
    return "\n".join(lines)


# What cachegrind prints, per counter (the cache counters only with --cache).
COUNTERS = {
    "instructions": r"I\s+refs:\s+([\d,]+)",
    "instruction cache (I1) misses": r"I1\s+misses:\s+([\d,]+)",
    "data reads and writes": r"D\s+refs:\s+([\d,]+)",
    "data cache (D1) misses": r"D1\s+misses:\s+([\d,]+)",
    "last-level cache misses": r"LL misses:\s+([\d,]+)",
}


def per_call(url: str, client: str, concurrency: int, counts: "tuple[int, int]", cache: bool) -> "dict[str, float]":
    """Cachegrind's counters per request of ``bench/rest_client.py`` (the difference of two runs)."""
    measured = []
    for count in counts:
        scenario = "gets" if concurrency == 1 else "concurrent"
        out = subprocess.run(
            ["valgrind", "--tool=cachegrind", f"--cache-sim={'yes' if cache else 'no'}",
             "--cachegrind-out-file=/dev/null",
             sys.executable, str(HERE / "rest_client.py"), "--url", url, "--client", client, "--mode", "async",
             "--scenario", scenario, "--count", str(count), "--concurrency", str(concurrency)],
            env=bench_env(), capture_output=True, text=True, check=True).stderr
        found = {}
        for name, pattern in COUNTERS.items():
            match = re.search(pattern, out)
            if match is not None:
                found[name] = int(match.group(1).replace(",", ""))
        if "instructions" not in found:
            raise SystemExit(f"valgrind printed no instruction count:\n{out[-2000:]}")
        measured.append(found)
    return {name: (measured[1][name] - measured[0][name]) / (counts[1] - counts[0]) for name in measured[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--instructions", action="store_true", help="count instructions per call under valgrind")
    parser.add_argument("--cache", action="store_true",
                        help="as --instructions, with cache misses too (simulated; several times slower)")
    args = parser.parse_args()
    if (args.instructions or args.cache) and shutil.which("valgrind") is None:
        raise SystemExit("--instructions and --cache need valgrind (apt install valgrind)")
    server, url = start_emulator()
    url = url.replace("ws://", "http://")
    try:
        if args.instructions or args.cache:
            counts = (200, 1200)
            sdk, raw = (per_call(url, client, args.concurrency, counts, args.cache) for client in ("sdk", "raw"))
            print(f"per GET at concurrency {args.concurrency} (runs of {counts[0]} and {counts[1]} GETs):")
            for name in sdk:
                ratio = f"{sdk[name] / raw[name]:.3f}" if raw[name] >= 1 else "–"  # (none left after warm-up)
                print(f"  {name}: SDK {sdk[name]:,.0f}, raw aiohttp {raw[name]:,.0f}, ratio {ratio}")
        else:
            profile = cProfile.Profile()
            asyncio.run(calls(url, args.count, args.concurrency, profile))
            print(report(profile, args.count, args.top))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    main()
