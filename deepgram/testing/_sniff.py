"""PURE. Whether a request body is audio Deepgram would decode, judged from its first bytes.

Deepgram reads containers and self-describing codecs from their headers and takes headerless
audio only when the query names its ``encoding``; anything else (a path's text, JSON sent with
an audio content type, an HTML page) gets a 400. Each check below asks for more than a magic
string where the format allows it, so that ordinary text is never taken for audio.
"""

import struct
from typing import Any, Mapping, Optional

# Four-byte magics whose next bytes are never printable text.
_MAGIC = {
    b"\x1a\x45\xdf\xa3": "webm",  # EBML: WebM and Matroska
    b"\x30\x26\xb2\x75": "asf",   # the ASF header GUID's first bytes: WMA and WMV
}
_RIFF = {b"RIFF", b"RF64", b"BW64"}  # RF64 and BW64: WAV beyond 4 GB
_RIFF_FORMS = {b"WAVE": "wav", b"AVI ": "avi"}
_AIFF_FORMS = {b"AIFF": "aiff", b"AIFC": "aiff"}


def container(head: bytes) -> Optional[str]:
    """The container or codec the first bytes announce (``"wav"``, ``"mp3"``…), or None."""
    if head[:4] in _MAGIC:
        return _MAGIC[head[:4]]
    if head[:4] in _RIFF and head[8:12] in _RIFF_FORMS:
        return _RIFF_FORMS[head[8:12]]
    if head[:4] == b"FORM" and head[8:12] in _AIFF_FORMS:
        return _AIFF_FORMS[head[8:12]]
    if head[:3] == b"ID3" and len(head) >= 10 and head[3] in (2, 3, 4) and all(b < 0x80 for b in head[6:10]):
        return "mp3"  # an ID3v2 tag (version 2-4, a syncsafe size) before the MPEG frames
    if head[:4] == b"fLaC" and len(head) > 4 and head[4] & 0x7F == 0:
        return "flac"  # the first metadata block is always STREAMINFO (type 0)
    if head[:5] == b"OggS\x00":
        return "ogg"  # Opus, Vorbis, Speex and FLAC in Ogg pages (stream structure version 0)
    if head[4:8] == b"ftyp" and 8 <= struct.unpack(">I", head[:4])[0] <= 1024:
        return "mp4"  # ISO media (MP4, M4A, MOV, 3GP): a small ftyp box first
    if head[:6] == b"#!AMR\n" or head[:9] in (b"#!AMR-WB\n", b"#!AMR_MC1", b"#!AMR-WB_"):
        return "amr"
    if head[:6] == b"caff\x00\x01":
        return "caf"
    if head[:4] == b".snd" and head[4:7] == b"\x00\x00\x00":
        return "au"  # Sun/NeXT audio: a small big-endian data offset follows
    return _frame_sync(head)


def _frame_sync(head: bytes) -> Optional[str]:
    # MPEG audio and AAC ADTS frames start with 11 or 12 set sync bits (0xFF never appears in
    # UTF-8 text); the fields after them must hold legal values.
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    if layer == 0:
        return "aac" if head[1] & 0xF0 == 0xF0 and (head[2] >> 2) & 0xF < 13 else None
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return "mp3" if version != 1 and bitrate != 15 and rate != 3 else None


def is_audio(head: bytes, query: Mapping[str, Any]) -> bool:
    """Whether Deepgram would decode a body that starts with ``head``, given the request's query."""
    if not head:
        return False
    return container(head) is not None or bool(query.get("encoding"))
