"""The progress of ``deepgram transcribe``: one updating line on a terminal, else a line per input."""

from __future__ import annotations

import time
from typing import Callable, Optional, TextIO

from ._cli_common import human_bytes

__all__ = ["Progress", "clock_text"]


def clock_text(seconds: float) -> str:
    """``1:05`` or ``1:02:05``: elapsed times and estimates, to the second."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts finished inputs and their bytes, and says so on ``stream`` (standard error)."""

    def __init__(self, total: int, total_bytes: int, stream: TextIO, tty: bool,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.total_bytes = total, total_bytes
        self.done, self.done_bytes = 0, 0
        self._stream, self._tty, self._clock = stream, tty, clock
        self._started = clock()
        self._drawn = False  # a progress line is on screen, to be cleared before other output

    def finished(self, label: str, outcome: str, size: Optional[int] = None, seconds: Optional[float] = None,
                 counts_bytes: bool = False) -> None:
        """One input is done: ``outcome`` is ``ok``, ``skipped: why`` or ``FAILED: why``."""
        self.done += 1
        if counts_bytes and size:
            self.done_bytes += size
        if self._tty:
            if not outcome.startswith("ok") and not outcome.startswith("skipped"):
                self.say(f"{outcome.split(':', 1)[0]} {label}:{outcome.partition(':')[2]}")
            self._draw()
            return
        head = f"[{self.done}/{self.total}]"
        if outcome == "ok":
            detail = ", ".join(part for part in (human_bytes(size) if size is not None else "",
                                                 f"{seconds:.1f} s" if seconds is not None else "") if part)
            self.say(f"{head} ok {label}" + (f" ({detail})" if detail else ""))
        else:
            word, _, why = outcome.partition(":")
            self.say(f"{head} {word} {label}:{why}" if why else f"{head} {word} {label}")

    def say(self, line: str) -> None:
        """Print a whole line; on a terminal the progress line is cleared first and drawn again after."""
        if self._tty and self._drawn:
            self._stream.write("\r\x1b[K")  # carriage return, then erase to the end of the line
        self._stream.write(line + "\n")
        if self._tty and self._drawn:
            self._draw()
        self._stream.flush()

    def _draw(self) -> None:
        elapsed = self._clock() - self._started
        done, total = (self.done_bytes, self.total_bytes) if self.total_bytes else (self.done, self.total)
        # The estimate assumes the rest goes at the pace so far, by bytes (else by inputs).
        eta = clock_text(elapsed * (total - done) / done) if 0 < done < total else "--:--"
        line = (f"{self.done}/{self.total} inputs  {human_bytes(self.done_bytes)} of "
                f"{human_bytes(self.total_bytes)}  {clock_text(elapsed)} elapsed  ETA {eta}")
        self._stream.write("\r\x1b[K" + line)
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the progress line, so what follows starts on a line of its own."""
        if self._tty and self._drawn:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = False
