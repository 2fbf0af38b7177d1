"""Transcription sources: a URL, bytes, an open binary file, a path or a stream of chunks,
checked before any I/O (the one look-up here is a stat, to tell a file name from audio)."""

import io
import os
from typing import Any, Mapping, Optional, Tuple

from ._checks import check_header_value, encodable
from .errors import DeepgramSetupError


def _is_file(value: Any) -> bool:
    return hasattr(value, "read") and callable(value.read)


def _is_stream(value: Any) -> bool:
    """An iterable (or async iterable) of byte chunks: streamed as it comes, never retried."""
    if isinstance(value, (str, bytes, bytearray, memoryview, Mapping)):
        return False
    return hasattr(value, "__aiter__") or hasattr(value, "__iter__")


def guess_mimetype(buffer: Any) -> str:
    """The audio type from the file's name, else ``application/octet-stream`` (Deepgram sniffs it)."""
    name = buffer if isinstance(buffer, os.PathLike) else getattr(buffer, "name", None)
    if isinstance(name, (str, os.PathLike)):
        import mimetypes  # lazily: it reads the system's type tables

        guessed, _ = mimetypes.guess_type(os.fspath(name))
        if guessed:
            return guessed
    return "application/octet-stream"


def _names_a_file(text: str) -> Optional[str]:
    """Why ``text`` looks like a path rather than audio, or None."""
    if len(text) > 1024 or "\n" in text or "\x00" in text:
        return None
    try:
        if os.path.isfile(text):
            return "names an existing file"
    except (OSError, ValueError):
        return None
    import mimetypes

    guessed, _ = mimetypes.guess_type(text)
    if guessed and guessed.split("/")[0] in ("audio", "video") and " " not in text.strip():
        return "looks like the name of an audio file (no such file exists here)"
    return None


def _check_file(buffer: Any) -> None:
    """Raise unless ``buffer`` is an open file that can be read as bytes."""
    mode = getattr(buffer, "mode", None)  # a str on files; some wrappers (gzip) use numbers
    if isinstance(buffer, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
        raise DeepgramSetupError(
            f"The audio file {getattr(buffer, 'name', buffer)!r} is open in text mode; open it in "
            "binary mode: open(path, 'rb')."
        )
    if getattr(buffer, "closed", False):
        raise DeepgramSetupError(
            f"The audio file {getattr(buffer, 'name', buffer)!r} is closed; pass it while it is "
            "open (inside the `with open(path, 'rb')` block), or pass Path(path)."
        )
    readable = getattr(buffer, "readable", None)
    if callable(readable) and not readable():
        raise DeepgramSetupError(
            f"The audio file {getattr(buffer, 'name', buffer)!r} is not open for reading; "
            "open it with open(path, 'rb')."
        )


def _buffer(buffer: Any) -> Any:
    """The body for a ``buffer`` source, checked."""
    if isinstance(buffer, str):
        why = _names_a_file(buffer)
        if why:
            raise DeepgramSetupError(
                f"source['buffer'] is the text {buffer!r}, which {why}: the text itself would be "
                f"sent as audio. Pass the file: open({buffer!r}, 'rb') or Path({buffer!r})."
            )
        return buffer.encode("utf-8")
    if isinstance(buffer, (bytearray, memoryview)):
        return bytes(buffer)
    if isinstance(buffer, (bytes, os.PathLike)):
        return buffer
    if _is_file(buffer):
        _check_file(buffer)
        return buffer
    if _is_stream(buffer):
        return buffer
    raise DeepgramSetupError(
        "source['buffer'] must be bytes, a file opened in binary mode, a pathlib.Path, or an "
        f"iterable of bytes chunks, not {type(buffer).__name__}."
    )


def _mimetype(value: Any, buffer: Any) -> str:
    if not value:
        return guess_mimetype(buffer)
    if not isinstance(value, str):
        raise DeepgramSetupError(
            f"source['mimetype'] must be a string such as 'audio/wav', not {type(value).__name__} ({value!r})."
        )
    check_header_value(value, "source['mimetype']")
    return value.strip()


def source_request_parts(source: Any) -> Tuple[Any, Any, str]:
    """Return (json, body, content_type) for a legacy transcription source."""
    if isinstance(source, (bytes, bytearray, memoryview, os.PathLike)) or _is_file(source):
        source = {"buffer": source}
    elif isinstance(source, str) and source.startswith(("http://", "https://")):
        source = {"url": source}
    if not isinstance(source, Mapping):
        hint = ""
        if isinstance(source, str) and _names_a_file(source):
            hint = f" To send the file {source!r}, pass Path({source!r}) or open({source!r}, 'rb')."
        raise DeepgramSetupError(
            "source must be {'url': 'https://...'} or {'buffer': bytes_or_open_file, "
            f"'mimetype': 'audio/wav'}}, not {type(source).__name__}.{hint}"
        )
    if source.get("buffer") is not None:
        buffer = _buffer(source["buffer"])
        return None, buffer, _mimetype(source.get("mimetype"), buffer)
    url = source.get("url")
    if not isinstance(url, str) or not url:
        raise DeepgramSetupError(
            "source needs a 'url' (a string) or a 'buffer' (bytes, an open file or a Path)."
        )
    return {"url": encodable(url, "source['url']")}, None, "application/json"
