"""The emulator's voice agent websocket, ``/v1/agent/converse``.

No language model runs: a user turn (a sentence heard, as ``/v1/listen`` hears it, or an
injected message) gets the canned reply ``You said: "<turn>"``, or, when Settings declared
functions, first a call of the first function, answered with what it returned. The reply's
audio is ``_synth``'s tone. Faults count the audio received.
"""

import json
import uuid
from typing import Any, Awaitable, Callable, Dict, List, NoReturn, Optional, Tuple

from . import _agent_settings as schema
from ._live import _Stream
from ._socket_common import NET_0001
from ._socket_query import Query, QueryError, text_of
from ._socket_serve import Channel, Conversation
from ._synth import speech

THINKING = "Deepgram emulator: a canned reply, no language model."
# (total, text-to-speech, text-to-text) seconds an AgentStartedSpeaking reports: fixed, not measured.
LATENCIES = (0.3, 0.1, 0.2)
UNPARSABLE = "UNPARSABLE_CLIENT_MESSAGE"


def parse(query: Query) -> None:
    """The agent takes its configuration from Settings, not from the query."""


class Agent(Conversation):
    """One voice agent session: Settings first, then user turns answered by the agent."""

    def __init__(self, channel: Channel, _config: None) -> None:
        super().__init__(channel)
        self.setup: Optional[schema.AgentSetup] = None
        self.stream: Optional[_Stream] = None
        self.heard: List[str] = []  # the final words of the user's turn in progress
        self.user_speaking = False  # UserStartedSpeaking was sent, the turn is not over
        self.pending: Optional[Dict[str, Any]] = None  # the client-side function call awaiting its response
        self.queued: List[Tuple[str, str]] = []  # ("user" | "agent", text) held while a call is pending
        self.handlers: Dict[str, Callable[[Dict[str, Any]], Awaitable[None]]] = {
            "Settings": self._settings_again, "KeepAlive": self._keepalive,
            "InjectUserMessage": self._inject_user, "InjectAgentMessage": self._inject_agent,
            "FunctionCallResponse": self._function_response, "UpdatePrompt": self._update_prompt,
            "UpdateSpeak": self._update_speak, "UpdateThink": self._update_think, "UpdateListen": self._update_listen,
        }

    async def opened(self) -> None:
        await self.channel.send({"type": "Welcome", "request_id": self.channel.request_id})

    async def error(self, code: str, description: str) -> None:
        """Report a problem; the session goes on."""
        await self.channel.send({"type": "Error", "code": code, "description": description})

    # -- Settings, and what may come before ------------------------------------------------

    async def _refuse_before_settings(self, what: str) -> NoReturn:
        await self.error("SETTINGS_REQUIRED", f"The first message must be Settings, not {what}.")
        await self.channel.end(1008, f"SETTINGS_REQUIRED: the first message must be Settings, not {what}")

    async def text(self, message: Any) -> None:
        kind = message.get("type") if isinstance(message, dict) else None
        if self.setup is None:
            if kind != "Settings":
                await self._refuse_before_settings(repr(kind) if kind else "a message that is not a JSON object")
            await self._settings(message)
        elif kind in self.handlers:
            await self.handlers[kind](message)
        else:
            await self.error(UNPARSABLE, "The message is not JSON or not a known type.")

    async def _settings(self, message: Dict[str, Any]) -> None:
        try:
            setup = schema.settings(message)
        except QueryError as exc:
            await self.error("INVALID_SETTINGS", str(exc))
            await self.channel.end(1008, f"INVALID_SETTINGS: {exc}")
        self.setup = setup
        self.stream = _Stream({"punctuate": "true", "interim_results": "true", "encoding": setup.input_encoding,
                               "sample_rate": str(setup.input_rate)}, self.channel.request_id)
        await self.channel.send({"type": "SettingsApplied"})
        if setup.greeting:
            await self._say(setup.greeting)

    async def _settings_again(self, message: Dict[str, Any]) -> None:
        await self.error("SETTINGS_ALREADY_APPLIED", "Settings may be sent once; use the Update messages.")

    async def _keepalive(self, message: Dict[str, Any]) -> None:
        """Accepted silently: it only resets the idle timer."""

    # -- user turns ---------------------------------------------------------------------

    async def audio(self, data: bytes) -> None:
        if self.stream is None:
            await self._refuse_before_settings("audio")
        for result in self.stream.feed(data):
            await self._heard(result)

    async def _heard(self, result: Dict[str, Any]) -> None:
        if result.get("type") != "Results":
            return
        words = result["channel"]["alternatives"][0]["words"]
        # Interim results tell that the user started speaking as soon as a word is heard.
        if words and not self.user_speaking:
            self.user_speaking = True
            await self.channel.send({"type": "UserStartedSpeaking"})
        if not result["is_final"]:
            return
        self.heard += [w.get("punctuated_word", w["word"]) for w in words]
        if result["speech_final"] and self.heard:
            said, self.heard, self.user_speaking = " ".join(self.heard), [], False
            await self._user_turn(said)

    async def _user_turn(self, said: str) -> None:
        await self.channel.send({"type": "ConversationText", "role": "user", "content": said})
        if self.pending is not None:
            self.queued.append(("user", said))
        else:
            await self._reply_to(said)

    async def _call(self, function: Dict[str, Any], said: str) -> None:
        call = {"id": "call_" + uuid.uuid4().hex[:16], "name": function["name"],
                "arguments": json.dumps(schema.arguments(function, said)),
                "client_side": "endpoint" not in function}
        await self.channel.send({"type": "FunctionCallRequest", "functions": [call]})
        if call["client_side"]:
            self.pending = call
            return
        # A server-side function has an endpoint the emulator does not call (no network): say so.
        content = "Deepgram emulator: server-side functions are not called."
        await self.channel.send({"type": "FunctionCallResponse", "id": call["id"], "name": call["name"],
                                 "content": content})
        await self._say(f"{call['name']} returned: {content}")

    async def _function_response(self, message: Dict[str, Any]) -> None:
        pending = self.pending
        content, name = text_of(message, "content", allow_empty=True), text_of(message, "name")
        if content is None or name is None:
            await self.error(UNPARSABLE, "FunctionCallResponse needs name and content strings.")
            return
        if pending is None or message.get("id", pending["id"]) != pending["id"]:
            await self.error(UNPARSABLE, "No function call with this id is waiting for a response.")
            return
        self.pending = None
        await self._say(f"{pending['name']} returned: {content}")
        while self.queued and self.pending is None:
            role, text = self.queued.pop(0)
            await (self._say(text) if role == "agent" else self._reply_to(text))

    async def _reply_to(self, said: str) -> None:
        """Answer a user turn: think, then speak, or call a function first when Settings declared any."""
        await self.channel.send({"type": "AgentThinking", "content": THINKING})
        functions = self.setup.functions if self.setup else []
        await (self._call(functions[0], said) if functions else self._say(f'You said: "{said}"'))

    async def _say(self, content: str) -> None:
        """The agent speaks: its text, AgentStartedSpeaking, the audio, AgentAudioDone."""
        assert self.setup is not None
        await self.channel.send({"type": "ConversationText", "role": "assistant", "content": content})
        total, tts, ttt = LATENCIES
        await self.channel.send({"type": "AgentStartedSpeaking", "total_latency": total, "tts_latency": tts,
                                 "ttt_latency": ttt})
        audio = speech(content, self.setup.output_rate, self.setup.output_encoding)
        await self.channel.send_audio(audio, self.setup.output_rate, self.setup.output_encoding)
        await self.channel.send({"type": "AgentAudioDone"})

    # -- injections and updates -----------------------------------------------------------

    async def _inject_user(self, message: Dict[str, Any]) -> None:
        said = text_of(message, "content")
        if said is None:
            await self.error(UNPARSABLE, "InjectUserMessage needs a non-empty content string.")
            return
        await self._user_turn(said)

    async def _inject_agent(self, message: Dict[str, Any]) -> None:
        said, behavior = text_of(message, "message"), message.get("behavior", "default")
        if said is None or behavior not in ("default", "queue", "interrupt"):
            await self.error(UNPARSABLE, "InjectAgentMessage needs a message string and a known behavior.")
        elif behavior == "interrupt" or not (self.user_speaking or self.pending):
            await self._say(said)
        elif behavior == "queue":
            self.queued.append(("agent", said))
        else:  # the user is mid-turn, or the agent waits on a function call
            await self.channel.send({"type": "InjectionRefused",
                                     "message": "A user or agent turn is in progress; the message was not spoken."})

    async def _update(self, message: Dict[str, Any], field: str, check: Callable[[Any], Any], answer: str) -> None:
        try:
            if field not in message:
                raise QueryError(f"{message.get('type')} needs {field}")
            check(message[field])
        except QueryError as exc:
            await self.error(UNPARSABLE, str(exc))
            return
        await self.channel.send({"type": answer})

    async def _update_prompt(self, message: Dict[str, Any]) -> None:
        await self._update(message, "prompt", _prompt, "PromptUpdated")

    async def _update_speak(self, message: Dict[str, Any]) -> None:
        await self._update(message, "speak", schema.speak, "SpeakUpdated")

    async def _update_listen(self, message: Dict[str, Any]) -> None:
        await self._update(message, "listen", schema.listen, "ListenUpdated")

    async def _update_think(self, message: Dict[str, Any]) -> None:
        def apply(value: Any) -> None:
            functions = schema.think(value)
            if self.setup is not None:
                self.setup = self.setup._replace(functions=functions)

        await self._update(message, "think", apply, "ThinkUpdated")

    async def idle(self) -> NoReturn:
        await self.error("CLIENT_MESSAGE_TIMEOUT", "No audio or message arrived within the timeout window.")
        await self.channel.end(1011, NET_0001)


def _prompt(value: Any) -> None:
    if not isinstance(value, str):
        raise QueryError("prompt must be a string")
