"""Captions (SRT and WebVTT) from a pre-recorded transcription response."""

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ._compat import legacy_attribute
from ._enums import Caption as Caption  # re-exported: 2.x scripts import it from here
from ._warn import warn
from .errors import DeepgramSetupError

UTTERANCES_ADVICE = (
    "Enabling the Utterances feature is strongly recommended for captioning. Utterances allow "
    "captions to be delimited by pauses. Add request parameter `'utterances': True`."
)

Cue = Tuple[float, float, str]


def format_timestamp(seconds: float, separator: str) -> str:
    """``HH:MM:SS<sep>mmm``, rounded to the nearest millisecond (5.52 s -> 00:00:05,520)."""
    millis_total = round(max(float(seconds), 0.0) * 1000)
    hours, rest = divmod(millis_total, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _groups(response: Any) -> Iterator[List[Dict[str, Any]]]:
    results = (response or {}).get("results") or {}
    utterances = results.get("utterances")
    if isinstance(utterances, list):
        for utterance in utterances:
            yield (utterance or {}).get("words") or []
        return
    warn(UTTERANCES_ADVICE)
    for channel in results.get("channels") or []:
        alternatives = (channel or {}).get("alternatives") or []
        if alternatives:
            # Alternatives are rival transcripts of the same audio: caption the best one only.
            yield (alternatives[0] or {}).get("words") or []


def _word_text(word: Mapping[str, Any]) -> str:
    return str(word.get("punctuated_word") or word.get("word") or "")


# The pieces shared with the live captions of ``deepgram.captions``, so that both split and
# render cues the same way.

_WEBVTT = "WEBVTT"
_SEPARATOR = "\n\n"  # a blank line between blocks


def _check_line_length(line_length: object) -> None:
    """Raise ``DeepgramSetupError`` unless ``line_length`` is a positive ``int`` (not a bool)."""
    if not isinstance(line_length, int) or isinstance(line_length, bool) or line_length <= 0:
        raise DeepgramSetupError(f"line_length must be a positive integer, got {line_length!r}.")


def _split(words: Sequence[Mapping[str, Any]], line_length: int) -> Iterator[Cue]:
    """The (start, end, text) cues of one group of words, ``line_length`` words each."""
    for i in range(0, len(words), line_length):
        chunk = words[i : i + line_length]
        text = " ".join(t for t in (_word_text(w) for w in chunk) if t)
        yield float(chunk[0].get("start", 0.0)), float(chunk[-1].get("end", 0.0)), text


def _render(number: int, start: float, end: float, text: str, srt: bool) -> str:
    """One cue's block: its number, its time span, and its text (WebVTT's behind a dash)."""
    separator, prefix = ("," if srt else "."), ("" if srt else "- ")
    span = f"{format_timestamp(start, separator)} --> {format_timestamp(end, separator)}"
    return f"{number}\n{span}\n{prefix}{text}"


def cues(response: Any, line_length: int = 8) -> List[Cue]:
    """Split the response's words into (start, end, text) cues of ``line_length`` words."""
    _check_line_length(line_length)
    found = [cue for words in _groups(response) for cue in _split(words, line_length)]
    # Several channels without utterances are captioned together, in time order.
    return sorted(found, key=lambda cue: cue[0])


def to_caption(response: Any, caption: Union[Caption, str], line_length: int = 8) -> str:
    """Render SRT or WebVTT text (WebVTT for anything that is not ``Caption.SRT``)."""
    srt = caption is Caption.SRT or caption == "srt"
    blocks = [] if srt else [_WEBVTT]
    for number, (start, end, text) in enumerate(cues(response, line_length), start=1):
        blocks.append(_render(number, start, end, text, srt))
    return _SEPARATOR.join(blocks)


class Extra:
    """Helpers that work on responses locally (``dg.extra``)."""

    def __init__(self, options: Any = None) -> None:
        self.options: Any = options

    @staticmethod
    def _format_timestamp(seconds: float, separator: str) -> str:
        return format_timestamp(seconds, separator)

    @staticmethod
    def _to_caption(response: Any, format: Caption, line_length: int) -> str:
        return to_caption(response, format, line_length)

    def to_SRT(self, response: Any, line_length: int = 8, readable: bool = True) -> Optional[str]:
        """Return SRT captions; with ``readable=True`` (the 2.x default) print them instead."""
        return _emit(to_caption(response, Caption.SRT, line_length), readable)

    def to_WebVTT(self, response: Any, line_length: int = 8, readable: bool = True) -> Optional[str]:
        """Return WebVTT captions; with ``readable=True`` (the 2.x default) print them instead."""
        return _emit(to_caption(response, Caption.WEBVTT, line_length), readable)


def _emit(text: str, readable: bool) -> Optional[str]:
    if readable:
        print(text)
        return None
    return text


if TYPE_CHECKING:
    # Checkers see the 2.x type names themselves, and no module ``__getattr__`` that would make
    # every misspelt name ``Any``.
    from ._types import Options as Options
    from ._types import PrerecordedTranscriptionResponse as PrerecordedTranscriptionResponse
else:

    def __getattr__(name: str) -> Any:
        # The 2.x type names this module exposed, imported on first use.
        return legacy_attribute(__name__, name)
