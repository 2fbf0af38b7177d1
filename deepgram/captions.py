"""Live captions (SRT and WebVTT) built cue by cue from a live stream's final results.

    with LiveCaptions("srt", file="live.srt") as captions:
        live.register_handler(live.event.TRANSCRIPT_RECEIVED, captions.add)
        ...                               # send the audio, then finish the stream

Each final result's words become cues exactly as ``dg.extra`` makes them from one utterance
(the split and the rendering are ``extra``'s own), so a stream's captions equal ``to_SRT`` /
``to_WebVTT`` of a response holding the same words, one utterance per final result. Each new
cue is written to ``file`` (a path, opened at once and flushed after every cue, or a text
stream the caller owns) and passed to ``on_cue``. Nothing has to be registered on CLOSE:
``close()``, or the end of the ``with`` block, once the stream has finished, closes the file.
"""

from __future__ import annotations

import io
import os
import threading
from typing import TYPE_CHECKING, Any, Callable, List, Mapping, NamedTuple, Optional, Protocol, Sequence, TextIO, Union

from ._enums import Caption
from .errors import DeepgramSetupError
from .extra import _SEPARATOR, _WEBVTT, _check_line_length, _render, _split

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Type

    from .live import LiveTranscription
    from .sync_live import SyncLiveTranscription

__all__ = ["Cue", "LiveCaptions", "TextSink", "live_captions"]

# The names a format may be given by (Caption.WEBVTT's value is "webvtt").
_FORMATS = {"srt": "srt", "vtt": "vtt", "webvtt": "vtt"}


class TextSink(Protocol):
    """Anything with ``write(str)``: an open text file, ``sys.stdout``, an ``io.StringIO``."""

    def write(self, __text: str) -> object:
        """Write the text (``flush()`` is called after each cue when the stream has one)."""


class Cue(NamedTuple):
    """One caption cue: its number (from 1), its span in seconds, its text and its format."""

    index: int  # type: ignore[assignment]  # the cue's number; it hides tuple.index(), of no use here
    start: float
    end: float
    text: str
    format: str = "srt"  # "srt" or "vtt"

    def render(self) -> str:
        """The cue's block as it appears in the captions, without the blank line around it."""
        return _render(self.index, self.start, self.end, self.text, self.format == "srt")


class LiveCaptions:
    """SRT or WebVTT captions of a live stream (``add`` is its handler); ``close()`` ends the file."""

    def __init__(self, format: Union[str, Caption] = "srt", line_length: int = 8,
                 file: Union[str, os.PathLike[str], TextSink, None] = None,
                 on_cue: Optional[Callable[[Cue], object]] = None) -> None:
        # Every argument is checked before the file is opened: a bad call leaves no empty file.
        self.format: str = _format_of(format)
        _check_line_length(line_length)
        _check_file(file)
        _check_on_cue(on_cue)
        self.line_length: int = line_length
        self.on_cue: Optional[Callable[[Cue], object]] = on_cue
        self.cues: List[Cue] = []
        self._blocks: List[str] = [] if self.format == "srt" else [_WEBVTT]
        self._heard_until: Optional[float] = None  # the end of the last word captioned
        self._closed = False
        self._written = False
        # A blocking stream calls ``add`` on its own thread while the caller may read ``text``;
        # reentrant, so that ``on_cue`` may read it too.
        self._lock = threading.RLock()
        # A path is opened here, once, and closed by close(); a caller's stream stays theirs.
        self._opened: Optional[TextIO] = None
        self._file: Optional[TextSink]
        if isinstance(file, (str, os.PathLike)):
            self._file = self._opened = open(file, "w", encoding="utf-8", newline="\n")
        else:
            self._file = file
        if self.format == "vtt":
            try:
                self._write(_WEBVTT)  # at once, so that a player tailing the file sees WebVTT
            except BaseException:
                self.close()  # nobody holds these captions yet to close the file
                raise

    @property
    def text(self) -> str:
        """Every cue so far, rendered as ``dg.extra.to_SRT`` / ``to_WebVTT`` render a response."""
        with self._lock:
            return _SEPARATOR.join(self._blocks)

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._closed

    def add(self, message: Any) -> None:
        """Caption a final Results message; every other message is ignored, so this is a handler."""
        words = _final_words(message)
        if not words:
            return
        with self._lock:
            fresh = self._unheard(words)
            if not fresh:
                return
            if self._closed:
                # Raised (an ERROR event, in a handler) rather than losing the cues silently.
                raise ValueError("These LiveCaptions are closed and cannot take more results: "
                                 "close them after the stream has finished.")
            ends = [float(w.get("end", 0.0)) for w in fresh]
            self._heard_until = max(ends if self._heard_until is None else [self._heard_until, *ends])
            for start, end, text in _split(fresh, self.line_length):
                cue = Cue(len(self.cues) + 1, start, end, text, self.format)
                block = cue.render()
                self.cues.append(cue)
                self._blocks.append(block)
                self._write(block)
                if self.on_cue is not None:
                    self.on_cue(cue)

    def close(self) -> None:
        """Finish the captions: close the file opened from a path (a caller's stream stays open)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._opened is not None:
                self._opened.close()

    def __enter__(self) -> LiveCaptions:
        """The captions themselves; the end of the block closes them."""
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                 traceback: Optional[TracebackType] = None) -> None:
        """Close the captions (and the file opened from a path)."""
        self.close()

    def __repr__(self) -> str:
        return f"<LiveCaptions {self.format}, {len(self.cues)} cues{', closed' if self._closed else ''}>"

    def _unheard(self, words: Sequence[Mapping[str, Any]]) -> Sequence[Mapping[str, Any]]:
        """The words not captioned yet, so that cues neither repeat nor go back in time."""
        # After a reconnect the server may send again words that were already captioned.
        until = self._heard_until
        if until is None:
            return words
        if all(float(w.get("end", 0.0)) <= until for w in words):
            return []
        return [w for w in words if float(w.get("start", 0.0)) >= until]

    def _write(self, block: str) -> None:
        """Write a block: the file then holds ``text`` and a final newline."""
        if self._file is None:
            return
        self._file.write(("\n" if self._written else "") + block + "\n")
        self._written = True
        flush = getattr(self._file, "flush", None)
        if callable(flush):
            flush()  # a player tailing the file sees each cue as it comes


def live_captions(live: Union[LiveTranscription, SyncLiveTranscription], format: Union[str, Caption] = "srt", *,
                  line_length: int = 8, file: Union[str, os.PathLike[str], TextSink, None] = None,
                  on_cue: Optional[Callable[[Cue], object]] = None) -> LiveCaptions:
    """Caption ``live`` (async or blocking): a new ``LiveCaptions`` on its TRANSCRIPT_RECEIVED event."""
    event = getattr(getattr(live, "event", None), "TRANSCRIPT_RECEIVED", None)
    if event is None or not callable(getattr(live, "register_handler", None)):
        raise DeepgramSetupError(
            f"live must be a connected live transcription (await dg.transcription.live(...), or "
            f"dg.sync.transcription.live(...)); got {type(live).__name__}.")
    captions = LiveCaptions(format, line_length, file, on_cue)
    try:
        live.register_handler(event, captions.add)
    except BaseException:
        captions.close()
        raise
    return captions


def _format_of(value: object) -> str:
    """``"srt"`` or ``"vtt"`` for a format name or a ``Caption``; anything else is refused."""
    if isinstance(value, Caption):
        return "srt" if value is Caption.SRT else "vtt"
    if isinstance(value, str) and value.lower() in _FORMATS:
        return _FORMATS[value.lower()]
    raise DeepgramSetupError(f"format must be 'srt' or 'vtt' (or Caption.SRT / Caption.WEBVTT), got {value!r}.")


def _check_file(file: object) -> None:
    """Refuse what is neither a path nor a text stream, before anything is opened."""
    if file is None or isinstance(file, os.PathLike) or (isinstance(file, str) and file):
        return
    if isinstance(file, str):
        raise DeepgramSetupError("file must be a path or a text stream, got an empty string.")
    if not callable(getattr(file, "write", None)):
        raise DeepgramSetupError(f"file must be a path (str or pathlib.Path) or a text stream with write(), "
                                 f"or None; got {type(file).__name__}: {file!r}.")
    if isinstance(file, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(file, "mode", "")):
        raise DeepgramSetupError(f"file must be opened in text mode (open(path, 'w', encoding='utf-8')), "
                                 f"or be a path; got the binary stream {file!r}.")


def _check_on_cue(on_cue: object) -> None:
    """Refuse an ``on_cue`` that cannot be called (checked at run time for untyped callers)."""
    if on_cue is not None and not callable(on_cue):
        raise DeepgramSetupError(f"on_cue must be a function taking a Cue, or None; got {on_cue!r}.")


def _final_words(message: Any) -> Sequence[Mapping[str, Any]]:
    """The words of a final Results message of the first channel (none for any other message)."""
    if not isinstance(message, Mapping) or message.get("type") != "Results" or not message.get("is_final"):
        return []  # interim results are revised later; Metadata, UtteranceEnd... hold no words
    channel_index = message.get("channel_index")
    if isinstance(channel_index, (list, tuple)) and channel_index and channel_index[0] != 0:
        return []  # one caption track: other channels' words would interleave with its cues
    alternatives = (message.get("channel") or {}).get("alternatives") or []
    if not alternatives:
        return []
    # Alternatives are rival transcripts of the same audio: caption the best one, as extra does.
    words: Sequence[Mapping[str, Any]] = (alternatives[0] or {}).get("words") or []
    return words
