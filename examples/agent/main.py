"""A voice agent conversation (``/v1/agent/converse``) on the blocking client, ``dg.sync``.

The agent may call one client-side function, ``get_weather(city)``: this script runs it when the
agent asks (FUNCTION_CALL_REQUEST) and sends the result back. It asks its question in text
(``inject_user_message``), or with ``--audio`` speaks it from a WAV file, prints the conversation
(``user: ...`` / ``assistant: ...``) and finishes once the agent has spoken its answer.

With DEEPGRAM_API_KEY set it talks to Deepgram; without it, to the bundled emulator (and says
so: the emulator runs no language model; it calls the first function with what the user said,
then speaks "<function> returned: <result>" in a tone rather than a voice).
Usage: python examples/agent/main.py [--question TEXT | --audio path/to/audio.wav [--speed N]] [--timeout S]
"""

import argparse
import json
import os
import threading
import time
import wave
from typing import Any, Callable, Dict, Optional

from deepgram import Deepgram, DeepgramStreamClosedError
from deepgram.testing import FakeDeepgram, sample_path

QUESTION = "What's the weather like in Paris today?"
CHUNK_SECONDS = 0.1
OUTPUT_RATE = 24000  # the agent's audio: linear16, mono, 24 kHz
WEATHER_FUNCTION = {
    "name": "get_weather",
    "description": "Get the current weather in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "The city, e.g. Paris"}},
        "required": ["city"],
    },
}


def agent_settings(input_rate: int) -> Dict[str, Any]:
    """The Settings message (sent first): audio formats, and how the agent listens, thinks and speaks."""
    return {
        "audio": {"input": {"encoding": "linear16", "sample_rate": input_rate},
                  "output": {"encoding": "linear16", "sample_rate": OUTPUT_RATE, "container": "none"}},
        "agent": {
            "listen": {"provider": {"type": "deepgram", "model": "nova-3"}},
            "think": {"provider": {"type": "open_ai", "model": "gpt-4o-mini"},
                      "prompt": "You are a friendly assistant. Use get_weather for weather questions. Be brief.",
                      "functions": [WEATHER_FUNCTION]},
            "speak": {"provider": {"type": "deepgram", "model": "aura-2-thalia-en"}},
        },
    }


def get_weather(city: str) -> str:
    """The client-side function: a canned forecast (a real one would ask a weather service)."""
    return json.dumps({"city": city, "forecast": "sunny", "temperature_c": 21})


def call_function(name: str, arguments: str) -> str:
    """Run the function the agent asked for; the result, as text for the agent."""
    try:
        parsed = json.loads(arguments or "{}")
    except ValueError:
        parsed = {}
    if name == "get_weather" and isinstance(parsed, dict):
        return get_weather(str(parsed.get("city", "")))
    return json.dumps({"error": f"no function {name} with arguments {arguments}"})


class Conversation:
    """The stream's handlers (called on its thread); ``replied`` is set once the answer was spoken."""

    def __init__(self, respond: Callable[[str, str, str], None], expect_call: bool) -> None:
        self.respond = respond  # the stream's send_function_call_response
        self.expect_call = expect_call  # the answer we wait for comes after a function call
        self.calls_answered = 0
        self.audio_bytes = 0
        self.replied = threading.Event()

    def on_text(self, message: Dict[str, Any]) -> None:
        print(f"{message['role']}: {message['content']}", flush=True)

    def on_function_call(self, message: Dict[str, Any]) -> None:
        for call in message["functions"]:
            if not call.get("client_side", True):
                continue  # a server-side function: the agent calls it itself
            result = call_function(call["name"], call.get("arguments", ""))
            print(f"function call: {call['name']}({call.get('arguments', '')}) -> {result}", flush=True)
            try:
                self.respond(call["id"], call["name"], result)
            except DeepgramStreamClosedError:
                return  # the conversation is ending (the timeout passed): nobody waits for the answer
            self.calls_answered += 1

    def on_audio(self, chunk: bytes) -> None:
        self.audio_bytes += len(chunk)

    def on_audio_done(self, message: Dict[str, Any]) -> None:
        print(f"(agent audio: {self.audio_bytes / (2 * OUTPUT_RATE):.2f} s so far)", flush=True)
        if self.calls_answered or not self.expect_call:
            self.replied.set()


def send_audio(send: Callable[[bytes], None], audio: wave.Wave_read, speed: float, until: threading.Event,
               timeout: float) -> None:
    """Send the file in 100 ms chunks at real-time pace (times ``speed``), then silence, as a
    microphone would, until ``until`` is set or ``timeout`` seconds passed."""
    frames = int(audio.getframerate() * CHUNK_SECONDS)
    silence = b"\x00" * frames * audio.getsampwidth()
    deadline = time.monotonic() + timeout
    while not until.is_set() and time.monotonic() < deadline:
        send(audio.readframes(frames) or silence)
        time.sleep(CHUNK_SECONDS / speed)


def converse(dg: Deepgram, question: str, audio: Optional[wave.Wave_read], speed: float, timeout: float) -> bool:
    """Hold the conversation; whether the agent answered within ``timeout`` seconds."""
    input_rate = audio.getframerate() if audio is not None else 16000
    with dg.sync.agents.converse(agent_settings(input_rate)) as agent:
        conversation = Conversation(agent.send_function_call_response, expect_call=audio is None)
        agent.register_handler(agent.event.CONVERSATION_TEXT, conversation.on_text)
        agent.register_handler(agent.event.FUNCTION_CALL_REQUEST, conversation.on_function_call)
        agent.register_handler(agent.event.AUDIO, conversation.on_audio)
        agent.register_handler(agent.event.AGENT_AUDIO_DONE, conversation.on_audio_done)
        agent.register_handler(agent.event.ERROR, lambda error: print(f"error: {error}", flush=True))
        agent.register_handler(agent.event.CLOSE, lambda code: print(f"closed with code {code}", flush=True))
        # Welcome and SettingsApplied come at once, maybe before a handler registered now: read
        # them from the stream's messages instead, which it keeps from the first one.
        for message in agent:
            if message.get("type") == "Welcome":
                print(f"request id {message.get('request_id')}", flush=True)
            if message.get("type") == "SettingsApplied":
                break
        else:  # the agent closed the conversation first (its ERROR handler said why)
            return False
        if audio is None:
            agent.inject_user_message(question)
            answered = conversation.replied.wait(timeout)
        else:
            send_audio(agent.send, audio, speed, conversation.replied, timeout)
            answered = conversation.replied.is_set()
        if not answered:
            print(f"no answer within {timeout:g} s", flush=True)
    return answered


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Ask a voice agent about the weather, with a client-side function.")
    parser.add_argument("--question", default=QUESTION, help="what to ask, in text (default: %(default)s)")
    parser.add_argument("--audio", nargs="?", const=str(sample_path("fox.wav")), metavar="WAV",
                        help="speak to the agent from a 16-bit mono WAV file instead (default: the bundled fox.wav)")
    parser.add_argument("--speed", type=float, default=1.0, help="with --audio: how many times faster than real time")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the answer (default: 30)")
    args = parser.parse_args()
    if args.speed <= 0 or args.timeout <= 0:
        parser.error("--speed and --timeout must be positive")
    return args


def run(dg: Deepgram, args: argparse.Namespace) -> bool:
    """Converse, speaking from ``args.audio`` when given."""
    if args.audio is None:
        return converse(dg, args.question, None, args.speed, args.timeout)
    with wave.open(args.audio, "rb") as audio:
        if audio.getsampwidth() != 2 or audio.getnchannels() != 1:
            raise SystemExit("--audio needs a 16-bit mono WAV file.")
        return converse(dg, args.question, audio, args.speed, args.timeout)


def main() -> None:
    args = parse_args()
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        print("Talking to a Deepgram voice agent (DEEPGRAM_API_KEY is set).")
        answered = run(Deepgram(key), args)
    else:
        print("DEEPGRAM_API_KEY is not set: talking to the bundled local Deepgram emulator "
              "(no language model: it calls the first function with what the user said, and speaks in a tone).")
        with FakeDeepgram() as fake:
            answered = run(Deepgram({"api_key": fake.api_key, "api_url": fake.url}), args)
    if not answered:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
