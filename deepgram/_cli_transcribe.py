"""``deepgram transcribe``: many files, directories, globs and URLs, resumable, each transcribed once.

Every output is written to a temporary file in its own directory and renamed into place, so an
output that exists is complete. An input whose outputs all exist is skipped; one whose JSON
exists gets its other formats made from that JSON. The first SIGINT or SIGTERM starts no new
input and lets the requests in flight finish and be written. So a run stopped and started again
transcribes each input exactly once. The requests go through ``dg.sync.transcription.batch``.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
import warnings
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

from ._cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    HelpFormatter,
    human_bytes,
    make_client,
    option_pair,
    options_dict,
    positive_int,
    print_json,
)
from ._cli_progress import Progress

if TYPE_CHECKING:
    from types import FrameType

    from ._client import Deepgram

__all__ = ["add_parser"]

FORMATS = ("json", "txt", "srt", "vtt")
# What a directory walk or a glob picks up: audio and video containers Deepgram reads. Anything
# else found there (the outputs of an earlier run, for one) is left alone.
AUDIO_EXTENSIONS = frozenset(
    ".wav .mp3 .m4a .flac .ogg .oga .opus .webm .mp4 .m4v .aac .amr .mkv .mov .wma .aif .aiff .caf .au "
    ".mpga .mpeg .mp2 .3gp".split())
_GLOB_MAGIC = frozenset("*?[")


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``transcribe`` on the subcommand set."""
    parser = commands.add_parser(
        "transcribe", parents=[common], help="transcribe files, folders, globs and URLs (resumable)",
        formatter_class=HelpFormatter,
        description="Transcribe audio and video files, folders (searched recursively), globs and http(s) URLs, "
                    "several at a time. Each output is written whole or not at all, so a run that was stopped "
                    "(Ctrl-C, SIGTERM) and started again transcribes only what is left, each input once.",
        epilog="examples:\n"
               "  deepgram transcribe calls/ --out transcripts --format json,srt,txt\n"
               "  deepgram transcribe 'audio/**/*.mp3' https://dpgr.am/spacewalk.wav "
               "--option model=nova-3 --option smart_format=true\n\n"
               "Exit status: 0 if every input was transcribed or skipped, 1 if one failed, "
               "130/143 when stopped by SIGINT/SIGTERM.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a file, a folder (its audio and video files, recursively), a glob such as "
                             "'calls/**/*.wav' (expanded here, also on Windows), or an http(s) URL")
    parser.add_argument("--out", metavar="DIR",
                        help="write the outputs under DIR, keeping the inputs' folders relative to their common "
                             "folder (default: next to each input; a URL's in the current folder)")
    parser.add_argument("--format", dest="formats", action="append", type=_formats, metavar="FORMATS",
                        help="json, txt, srt or vtt; repeat or separate with commas (default: json). "
                             "srt and vtt send utterances=true unless an --option sets utterances")
    parser.add_argument("--concurrency", type=positive_int, default=8, metavar="N",
                        help="requests in flight at once (default: 8)")
    parser.add_argument("--option", action="append", type=option_pair, metavar="NAME=VALUE",
                        help="a query option for Deepgram, repeatable: model=nova-3, smart_format=true, "
                             "keywords=a (a name given twice is sent twice); true/false are booleans")
    parser.set_defaults(run=run)


def _formats(text: str) -> List[str]:
    wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in wanted if name not in FORMATS]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or repr(text)}: "
                                         f"choose from {', '.join(FORMATS)}")
    return wanted


# -- finding the inputs ---------------------------------------------------------------------------


class Input(NamedTuple):
    """One input: how it is shown, what the batch is given, and the folder its layout is kept from."""

    label: str
    source: str  # a path, or an http(s) URL
    base: Optional[str]  # the folder it was found under (None for a URL)
    error: Optional[str] = None  # why it cannot be transcribed, found before any request


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _is_audio(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in AUDIO_EXTENSIONS


def _walk(folder: str) -> Iterator[str]:
    """The audio and video files under ``folder``, in a stable (sorted) order."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if _is_audio(name):
                yield os.path.join(root, name)


def _glob_base(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: ``calls/2024/*/*.wav`` -> ``calls/2024``."""
    parts: List[str] = []
    for part in pattern.replace("\\", "/").split("/")[:-1]:
        if _GLOB_MAGIC & set(part):
            break
        parts.append(part)
    return "/".join(parts) or "."


def collect(arguments: Sequence[str]) -> List[Input]:
    """Every input the arguments name, each once (the first time it is named), in order."""
    found: List[Input] = []
    seen = set()

    def add(item: Input) -> None:
        key = item.source if _is_url(item.source) else os.path.normcase(os.path.realpath(item.source))
        if item.error is None and key in seen:
            return
        seen.add(key)
        found.append(item)

    for argument in arguments:
        if _is_url(argument):
            add(Input(argument, argument, None))
        elif os.path.isdir(argument):
            paths = list(_walk(argument))
            if not paths:
                add(Input(argument, argument, None, "no audio or video file in this folder"))
            for path in paths:
                add(Input(path, path, argument))
        elif os.path.isfile(argument):
            add(Input(argument, argument, os.path.dirname(argument) or "."))
        elif _GLOB_MAGIC & set(argument):
            # Shells on Windows pass globs through unexpanded, so the command expands them itself.
            matches = sorted(glob.glob(argument, recursive=True))
            base = _glob_base(argument)
            files = [m for m in matches if os.path.isfile(m) and _is_audio(m)]
            for folder in (m for m in matches if os.path.isdir(m)):
                files.extend(_walk(folder))
            if not files:
                add(Input(argument, argument, None, "no audio or video file matches this pattern"))
            for path in files:
                add(Input(path, path, base))
        else:
            add(Input(argument, argument, None, "no such file or folder"))
    return found


# -- naming the outputs ---------------------------------------------------------------------------


class Job(NamedTuple):
    """An input and the path of each output (``json`` always: it is reused when it exists)."""

    input: Input
    outputs: Dict[str, str]
    size: Optional[int]


def _common_root(bases: Sequence[str]) -> str:
    if not bases:
        return os.getcwd()
    try:
        return os.path.commonpath([os.path.abspath(base) for base in bases])
    except ValueError:  # Windows: folders on different drives have no common folder
        return os.path.abspath(os.sep)


def _url_stem(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    name = os.path.splitext(unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2]))[0]
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name).strip("._")
    return safe or "audio"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _free_stem(folder: str, candidates: Sequence[str], taken: Set[str]) -> str:
    """The first candidate name not taken in ``folder`` (then the last one numbered), now taken."""
    names, number = list(candidates), 2
    while True:
        for stem in names:
            key = os.path.normcase(os.path.abspath(os.path.join(folder, stem)))
            if key not in taken:
                taken.add(key)
                return stem
        names, number = [f"{candidates[-1]}-{number}"], number + 1


def plan(inputs: Sequence[Input], out: Optional[str]) -> List[Job]:
    """The outputs of each input: next to it, or under ``out`` with the inputs' relative layout.

    Two inputs never share outputs: a second ``call.wav`` beside ``call.mp3`` is named
    ``call.wav.*``, and a URL whose name is taken gets a short hash of the URL.
    """
    root = _common_root([item.base for item in inputs if item.base is not None and item.error is None])
    taken: Set[str] = set()
    jobs: List[Job] = []
    for item in inputs:
        if item.error is not None:
            jobs.append(Job(item, {}, None))
            continue
        if _is_url(item.source):
            folder, stems = out or ".", [_url_stem(item.source)]
            size = None
        else:
            parent = os.path.dirname(os.path.abspath(item.source))
            folder = os.path.join(out, os.path.relpath(parent, root)) if out else os.path.dirname(item.source)
            name = os.path.basename(item.source)
            stems = [os.path.splitext(name)[0], name]
            size = os.path.getsize(item.source)
        stems.append(f"{stems[0]}-{_short_hash(item.source)}")
        base = os.path.normpath(os.path.join(folder, _free_stem(folder, stems, taken)))
        jobs.append(Job(item, {fmt: f"{base}.{fmt}" for fmt in FORMATS}, size))
    return jobs


# -- writing the outputs --------------------------------------------------------------------------


def write_atomic(path: str, data: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file in the same folder, then a rename."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # on disk before the rename: an output that exists is complete
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def transcript_text(result: Any) -> str:
    """The transcript of each channel's best alternative (its paragraphs' text when present)."""
    texts = []
    for channel in ((result or {}).get("results") or {}).get("channels") or []:
        alternatives = (channel or {}).get("alternatives") or [{}]
        best = alternatives[0] or {}
        text = ((best.get("paragraphs") or {}).get("transcript") or best.get("transcript") or "").strip()
        if text:
            texts.append(text)
    return "\n\n".join(texts) + "\n"


def render(result: Any, fmt: str) -> Tuple[bytes, Optional[str]]:
    """An output's bytes, and a note when it is made in a lesser way (captions without utterances)."""
    if fmt == "json":
        return (json.dumps(result, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), None
    if fmt == "txt":
        return transcript_text(result).encode("utf-8"), None
    from .extra import to_caption

    note = None
    with warnings.catch_warnings():
        if not isinstance(((result or {}).get("results") or {}).get("utterances"), list):
            # extra warns and captions the words by count instead; the note says it once per input.
            warnings.simplefilter("ignore")
            note = f"{fmt} made without utterances (cues do not break at pauses)"
        text = to_caption(result, fmt)
    return (text + "\n").encode("utf-8"), note


def write_outputs(job: Job, result: Any, formats: Sequence[str]) -> Tuple[List[str], List[str]]:
    """Write the missing outputs (JSON first, so the others can be remade from it); the formats
    written, and notes on them."""
    made, notes = [], []
    for fmt in sorted(formats, key=lambda name: name != "json"):
        path = job.outputs[fmt]
        if os.path.exists(path):
            continue
        data, note = render(result, fmt)
        write_atomic(path, data)
        made.append(fmt)
        if note:
            notes.append(note)
    return made, notes


# -- stopping -------------------------------------------------------------------------------------


class Stop:
    """The first SIGINT or SIGTERM asks to stop starting inputs; a second one exits at once."""

    def __init__(self, on_first: Callable[[int], None]) -> None:
        self.signum: Optional[int] = None
        self._on_first = on_first
        self._previous: Dict[int, Any] = {}

    def _handle(self, signum: int, frame: Optional[FrameType]) -> None:
        if self.signum is not None:
            # Outputs are atomic, so leaving now loses only the requests in flight.
            sys.stderr.write("\nStopped at once (a second signal): the requests in flight are lost, and the "
                             "next run makes them again.\n")
            sys.stderr.flush()
            os._exit(128 + self.signum)
        self.signum = signum
        self._on_first(signum)

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, as shells report it (130 for SIGINT, 143 for SIGTERM)."""
        return 128 + self.signum if self.signum is not None else EXIT_OK

    def __enter__(self) -> Stop:
        # Signal handlers can only be set from the main thread (a program may call main() elsewhere).
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: Any) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


# -- the command ----------------------------------------------------------------------------------


class Tally:
    """What happened to the inputs, for the summary."""

    def __init__(self) -> None:
        self.transcribed = self.skipped = self.remade = 0
        self.bytes = 0
        self.failed: List[Tuple[str, str]] = []


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def run(args: argparse.Namespace) -> int:
    """Transcribe the inputs; the exit status (0, 1, or 128 + the stopping signal)."""
    formats = list(dict.fromkeys(fmt for group in (args.formats or [["json"]]) for fmt in group))
    options = options_dict(args.option)
    if {"srt", "vtt"} & set(formats) and "utterances" not in options:
        options["utterances"] = True  # captions break at the pauses utterances mark
    dg = make_client(args)  # before any file is looked at: a missing key is said first
    jobs = plan(collect(args.inputs), args.out)
    started = time.monotonic()
    # Inputs with an output missing and no saved JSON to make it from: these need a request.
    pending = [job for job in jobs if job.input.error is None and not os.path.exists(job.outputs["json"])
               and not all(os.path.exists(job.outputs[f]) for f in formats)]
    progress = Progress(len(jobs), sum(job.size or 0 for job in pending), sys.stderr, sys.stderr.isatty())
    tally = Tally()

    def stopping(signum: int) -> None:
        progress.say(f"{signal.Signals(signum).name}: starting no new input; waiting for the requests in "
                     "flight (send it again to stop at once)")

    with Stop(stopping) as stop:
        pending_ids = {id(job) for job in pending}
        _settle(jobs=[job for job in jobs if id(job) not in pending_ids], formats=formats, tally=tally,
                progress=progress)
        with dg:
            started_count = _transcribe(dg, pending, options, args.concurrency, formats, tally, progress, stop)
    progress.close()
    _summary(args, tally, len(pending) - started_count, stop, time.monotonic() - started)
    if stop.signum is not None:
        return stop.exit_status
    return EXIT_FAILED if tally.failed else EXIT_OK


def _settle(jobs: Sequence[Job], formats: Sequence[str], tally: Tally, progress: Progress) -> None:
    """What needs no request: inputs failed already, inputs done, and formats remade from the JSON."""
    for job in jobs:
        label = job.input.label
        if job.input.error is not None:
            tally.failed.append((label, job.input.error))
            progress.finished(label, f"FAILED: {job.input.error}")
            continue
        try:
            saved = _saved_result(job.outputs["json"])
        except (OSError, ValueError) as exc:
            # Not ours, or not whole: neither skipped as done nor overwritten.
            message = (f"{job.outputs['json']} exists but is not a transcript ({_one_line(exc)}): move it away, "
                       "or write the outputs elsewhere with --out")
            tally.failed.append((label, message))
            progress.finished(label, f"FAILED: {message}")
            continue
        if all(os.path.exists(job.outputs[f]) for f in formats):
            tally.skipped += 1
            progress.finished(label, "skipped: already transcribed")
        else:
            try:
                made, notes = write_outputs(job, saved, formats)
            except (OSError, ValueError) as exc:
                message = f"cannot remake its outputs from {job.outputs['json']}: {_one_line(exc)}"
                tally.failed.append((label, message))
                progress.finished(label, f"FAILED: {message}")
                continue
            tally.remade += 1
            progress.finished(label, "skipped: already transcribed; " + "; ".join(
                [f"made {', '.join(made)} from the saved JSON", *notes]))


def _saved_result(path: str) -> Any:
    """The result saved at ``path`` (None if there is no file); ValueError if it is not a transcript."""
    if not os.path.exists(path):
        return None
    with open(path, "rb") as saved:
        result = json.loads(saved.read().decode("utf-8"))
    # A transcript has results and metadata; a request sent with callback= is answered with its id.
    if not isinstance(result, dict) or not (("results" in result and "metadata" in result) or "request_id" in result):
        raise ValueError("no results, metadata or request id in it")
    return result


def _transcribe(dg: Deepgram, pending: Sequence[Job], options: Dict[str, Any], concurrency: int,
                formats: Sequence[str], tally: Tally, progress: Progress, stop: Stop) -> int:
    """Send the pending inputs through the batch and write each result as it comes; the number of
    inputs started (the rest were not, after a signal)."""
    started_at: Dict[int, float] = {}

    def sources() -> Iterator[str]:
        # The batch reads this lazily, one source when a request may start: after a signal, none is.
        for position, job in enumerate(pending):
            if stop.signum is not None:
                return
            started_at[position] = time.monotonic()
            yield job.input.source

    with dg.sync.transcription.batch(sources(), options, concurrency=concurrency) as batch:
        for item in batch:
            job = pending[item.position]
            label, seconds = job.input.label, time.monotonic() - started_at[item.position]
            try:
                if item.error is not None:
                    raise item.error
                _, notes = write_outputs(job, item.result, formats)
            except Exception as exc:  # one input's failure is reported, never the end of the run
                tally.failed.append((label, _one_line(exc)))
                progress.finished(label, f"FAILED: {_one_line(exc)}", job.size, seconds, counts_bytes=True)
                continue
            tally.transcribed += 1
            tally.bytes += job.size or 0
            progress.finished(label, "ok", job.size, seconds, counts_bytes=True)
            for note in notes:
                progress.say(f"  note: {label}: {note}")
    return len(started_at)


def _summary(args: argparse.Namespace, tally: Tally, not_started: int, stop: Stop, seconds: float) -> None:
    if args.json:
        print_json({"transcribed": tally.transcribed, "skipped": tally.skipped + tally.remade,
                    "failed": [{"input": label, "error": error} for label, error in tally.failed],
                    "not_started": not_started, "bytes": tally.bytes, "seconds": round(seconds, 3),
                    "stopped_by": None if stop.signum is None else signal.Signals(stop.signum).name})
        return
    skipped = tally.skipped + tally.remade
    print(f"Transcribed {tally.transcribed}, skipped {skipped} (already transcribed), failed {len(tally.failed)}: "
          f"{human_bytes(tally.bytes)} in {seconds:.1f} s.")
    if stop.signum is not None:
        print(f"Stopped by {signal.Signals(stop.signum).name}: {not_started} input(s) not started. "
              "Run the same command again to transcribe the rest.")
    if tally.failed:
        print("Failed:")
        for label, error in tally.failed:
            print(f"  {label}: {error}")
    sys.stdout.flush()
