"""PURE. The voice agent's Settings and Update* messages, checked against the spec's schema."""

import uuid
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from ._socket_query import QueryError

INPUT_ENCODINGS = ("linear16", "linear32", "flac", "alaw", "mulaw", "amr-nb", "amr-wb", "opus", "ogg-opus",
                   "speex", "g729")
OUTPUT_ENCODINGS = ("linear16", "mulaw", "alaw", "mp3", "opus", "flac", "aac")
CONTAINERS = ("none", "wav", "ogg")


class AgentSetup(NamedTuple):
    """What the emulator needs of a valid Settings message."""

    input_encoding: str
    input_rate: int
    output_encoding: str
    output_rate: int
    functions: List[Dict[str, Any]]  # agent.think's functions, every provider's, in order
    greeting: Optional[str]


def _object(value: Any, where: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise QueryError(f"{where} must be an object")
    return value


def _positive(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise QueryError(f"{where} must be a positive integer")
    return value


def _choice(value: Any, allowed: Tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise QueryError(f"{where} must be one of {', '.join(allowed)}")
    return str(value)


def settings(message: Dict[str, Any]) -> AgentSetup:
    """A Settings message's setup (QueryError says what is wrong)."""
    if "audio" not in message or "agent" not in message:
        raise QueryError("Settings needs audio and agent")
    audio = _object(message["audio"], "audio")
    source = _object(audio.get("input", {"encoding": "linear16", "sample_rate": 24000}), "audio.input")
    if "encoding" not in source or "sample_rate" not in source:
        raise QueryError("audio.input needs encoding and sample_rate")
    in_encoding = _choice(source["encoding"], INPUT_ENCODINGS, "audio.input.encoding")
    in_rate = _positive(source["sample_rate"], "audio.input.sample_rate")
    output = _object(audio.get("output", {}), "audio.output")
    out_encoding = _choice(output.get("encoding", "linear16"), OUTPUT_ENCODINGS, "audio.output.encoding")
    out_rate = _positive(output.get("sample_rate", 24000), "audio.output.sample_rate")
    if "bitrate" in output:
        _positive(output["bitrate"], "audio.output.bitrate")
    _choice(output.get("container", "none"), CONTAINERS, "audio.output.container")
    functions, greeting = _agent(message["agent"])
    for name in ("experimental", "mip_opt_out"):
        if not isinstance(message.get(name, False), bool):
            raise QueryError(f"{name} must be true or false")
    return AgentSetup(in_encoding, in_rate, out_encoding, out_rate, functions, greeting)


def _agent(agent: Any) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    if isinstance(agent, str):  # the id of an agent configuration stored with the project
        try:
            uuid.UUID(agent)
        except ValueError:
            raise QueryError("agent must be an object or an agent configuration id (a UUID)") from None
        return [], None
    agent = _object(agent, "agent")
    if "listen" in agent:
        listen(agent["listen"])
    functions = think(agent["think"]) if "think" in agent else []
    if "speak" in agent:
        speak(agent["speak"])
    greeting = agent.get("greeting")
    if greeting is not None and not isinstance(greeting, str):
        raise QueryError("agent.greeting must be a string")
    return functions, greeting or None


def listen(value: Any) -> None:
    """Check an ``agent.listen`` object."""
    provider = _object(_object(value, "listen").get("provider"), "listen.provider")
    _choice(provider.get("type"), ("deepgram",), "listen.provider.type")
    version = _choice(provider.get("version", "v1"), ("v1", "v2"), "listen.provider.version")
    if version == "v2" and not isinstance(provider.get("model"), str):
        raise QueryError("listen.provider.model is required with version v2")


def think(value: Any) -> List[Dict[str, Any]]:
    """Check an ``agent.think`` object (or list of them); their functions, in order."""
    functions: List[Dict[str, Any]] = []
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        where = f"think[{index}]" if isinstance(value, list) else "think"
        provider = _object(_object(item, where).get("provider"), f"{where}.provider")
        if not isinstance(provider.get("type"), str):
            raise QueryError(f"{where}.provider.type must be a string")
        listed = item.get("functions", [])
        if not isinstance(listed, list):
            raise QueryError(f"{where}.functions must be a list")
        for function in listed:
            if not isinstance(function, dict) or not isinstance(function.get("name"), str) or not function["name"]:
                raise QueryError(f"each of {where}.functions needs a name")
            if "endpoint" in function and not isinstance(_object(function["endpoint"], "endpoint").get("url"), str):
                raise QueryError(f"{where}.functions endpoint needs a url")
            functions.append(function)
    return functions


def speak(value: Any) -> None:
    """Check an ``agent.speak`` object (or list of them)."""
    for item in value if isinstance(value, list) else [value]:
        provider = _object(_object(item, "speak").get("provider"), "speak.provider")
        if not isinstance(provider.get("type"), str):
            raise QueryError("speak.provider.type must be a string")


def arguments(function: Dict[str, Any], said: str) -> Dict[str, Any]:
    """Deterministic arguments for a function call: each parameter a value of its declared type."""
    parameters = function.get("parameters")
    properties = parameters.get("properties") if isinstance(parameters, dict) else None
    if not isinstance(properties, dict):
        return {}
    # Strings carry what the user said, so a test can see which turn made the call.
    samples: Dict[Any, Any] = {"string": said, "number": 1.0, "integer": 1, "boolean": True, "array": [],
                               "object": {}}
    return {name: samples.get(schema.get("type") if isinstance(schema, dict) else None, said)
            for name, schema in properties.items()}
