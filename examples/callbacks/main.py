"""Transcribe a file with a callback: Deepgram answers with a request id at once and later POSTs
the result to a web server, which this example runs (aiohttp) and which checks each callback.

The callback URL carries Basic-Auth credentials and the request an ``extra=callback_secret:...``
option; the receiver accepts only callbacks with both, and acts on each result once.

Without DEEPGRAM_API_KEY it uses the bundled emulator (and says so), which is told to deliver the
callback twice, as Deepgram's retries may: the result is printed once. With DEEPGRAM_API_KEY set,
Deepgram must reach the receiver from the internet: set CALLBACK_URL to a public URL that
forwards to this machine's CALLBACK_PORT (default 8080), e.g. a tunnel's; without it, the example
says so and stops.
Usage: python examples/callbacks/main.py [path/to/audio.wav] [--timeout SECONDS]
"""

import argparse
import asyncio
import os
import secrets
from typing import Any, List, Optional

from aiohttp import web

from deepgram import Deepgram
from deepgram.callbacks import CallbackReceiver, aiohttp_handler, callback_options, callback_url
from deepgram.testing import FakeDeepgram, sample_path
from deepgram.types import PrerecordedResponse

USERNAME = "deepgram"
PATH = "/callback"


async def transcribe(dg: Deepgram, path: str, public_url: Optional[str], port: int, timeout: float,
                     fake: Optional[FakeDeepgram] = None) -> PrerecordedResponse:
    """Serve the receiver, send the request with its callback, return the result it receives."""
    # Fresh credentials each run: only the requests this program sends can pass the checks.
    password, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    receiver = CallbackReceiver(username=USERNAME, password=password, secret=secret)
    results: asyncio.Queue[Any] = asyncio.Queue()
    handled: List[str] = []

    async def on_result(result: Any) -> None:
        handled.append(result.request_id)
        await results.put(result)

    app = web.Application()
    app.router.add_post(PATH, aiohttp_handler(receiver, on_result))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        local = f"http://127.0.0.1:{runner.addresses[0][1]}{PATH}"
        print(f"Callback receiver listening on {local}")
        hook = callback_url(public_url or local, USERNAME, password)
        with open(path, "rb") as audio:
            source = {"buffer": audio, "mimetype": "audio/wav"}
            options = callback_options(secret, {"callback": hook, "punctuate": True})
            queued = await dg.transcription.prerecorded(source, options)
        print(f"Request id: {queued['request_id']} (the result comes to the callback)")
        result: PrerecordedResponse = await asyncio.wait_for(results.get(), timeout)
        if fake is not None:
            # The emulator delivers twice (see main): wait for the second delivery's answer.
            loop = asyncio.get_running_loop()
            delivered = await loop.run_in_executor(None, fake.wait_for_callbacks, 2, timeout)
            print(f"Deliveries: {len(delivered)} (answered {', '.join(str(d[1]) for d in delivered)}); "
                  f"results acted on: {len(handled)}")
        return result
    finally:
        await runner.cleanup()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Transcribe a file and receive the result by callback.")
    parser.add_argument("path", nargs="?", default=str(sample_path("fox.wav")),
                        help="an audio file (default: the bundled fox.wav)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait for the callback (default: 30 on the emulator, 600 on Deepgram)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        public_url = os.environ.get("CALLBACK_URL")
        if not public_url:
            print("DEEPGRAM_API_KEY is set, but Deepgram must reach the callback receiver from the internet: "
                  "set CALLBACK_URL to a public http(s) URL (a tunnel's, say) that forwards to port "
                  f"{os.environ.get('CALLBACK_PORT', '8080')} of this machine, path {PATH}. Nothing was sent.")
            return
        print(f"Using Deepgram's API (DEEPGRAM_API_KEY is set); callbacks go to {public_url}.")
        port = int(os.environ.get("CALLBACK_PORT", "8080"))
        result = asyncio.run(transcribe(Deepgram(key), args.path, public_url, port, args.timeout or 600))
    else:
        print("DEEPGRAM_API_KEY is not set: using the bundled local Deepgram emulator.")
        with FakeDeepgram() as fake:
            fake.duplicate_callbacks(2)  # as Deepgram's retries may: the receiver drops the copy
            dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
            result = asyncio.run(transcribe(dg, args.path, None, 0, args.timeout or 30, fake))
    print(f"Callback received for request {result['metadata']['request_id']}")
    print(f"Transcript: {result['results']['channels'][0]['alternatives'][0]['transcript']}")


if __name__ == "__main__":
    main()
