"""The pure websocket session: state, buffer, keepalive, close report and finish deadline, on a fake clock."""

import json

import pytest

from deepgram._live_messages import CLOSE_STREAM, KEEP_ALIVE, LISTEN
from deepgram._sockets import AgentStream, FluxStream, SpeakStream, SpeakV2Stream
from deepgram._ws_session import Session, State, by_type, parse
from deepgram.errors import DeepgramBufferFullError, DeepgramStreamClosedError


def opened(max_buffer_bytes=100, keepalive_interval=5.0, now=1000.0):
    session = Session(LISTEN, max_buffer_bytes, keepalive_interval)
    session.connecting()
    session.opened(now)
    return session


def test_the_states_in_order_and_only_open_takes_frames():
    session = Session(LISTEN, 100, 5.0)
    assert session.state is State.NEW
    with pytest.raises(DeepgramStreamClosedError, match="not connected yet"):
        session.queue(b"x")
    session.connecting()
    with pytest.raises(DeepgramStreamClosedError):
        session.connecting()  # a stream connects once
    session.opened(0.0)
    assert session.state is State.OPEN and session.queue(b"x")
    assert session.finish(1.0, 10.0) == CLOSE_STREAM
    assert session.state is State.CLOSING
    with pytest.raises(DeepgramStreamClosedError, match="the stream is closing"):
        session.queue(b"x")
    session.closed(1000, "")
    with pytest.raises(DeepgramStreamClosedError, match="the stream is closed"):
        session.queue(b"x")


def test_a_failed_handshake_closes_without_a_close_report():
    session = Session(LISTEN, 100, 5.0)
    session.connecting()
    session.failed()
    assert session.state is State.CLOSED and session.reported
    assert session.closed(None, None) is None


def test_every_queued_frame_counts_until_written_text_included():
    session = opened(max_buffer_bytes=10)
    assert session.queue(b"12345") and session.queue("678")
    assert session.buffered == 8
    with pytest.raises(DeepgramBufferFullError, match="holds 8 bytes and cannot take 3 more"):
        session.queue(b"abc")
    assert session.buffered == 8  # a refused frame is not counted
    session.written("678", 1001.0)
    assert session.buffered == 5 and session.queue(b"abc")
    session.written(b"12345", 1001.0)
    session.written(b"abc", 1001.0)
    assert session.buffered == 0


def test_empty_frames_are_not_queued():
    session = opened()
    assert session.queue(b"") is False and session.queue("") is False
    assert session.buffered == 0


def test_room_means_at_most_half_full():
    session = opened(max_buffer_bytes=10)
    session.queue(b"12345")
    assert session.has_room()
    session.queue(b"6")
    assert not session.has_room()
    session.written(b"6", 0.0)
    assert session.has_room()


def test_keepalive_is_due_one_interval_after_the_last_audio():
    session = opened(keepalive_interval=5.0, now=1000.0)
    assert session.keepalive_due() == 1005.0
    assert session.keepalive(1004.9, idle=True) is None
    session.queue(b"audio")
    session.written(b"audio", 1003.0)  # audio went out: the interval starts again
    assert session.keepalive_due() == 1008.0
    assert session.keepalive(1008.0, idle=True) == KEEP_ALIVE
    assert session.buffered == len(KEEP_ALIVE)  # counted like any queued frame
    assert session.keepalive_due() == 1013.0


def test_no_keepalive_while_frames_wait_or_when_turned_off_or_not_open():
    session = opened(keepalive_interval=5.0, now=0.0)
    assert session.keepalive(6.0, idle=False) is None  # audio is queued: it keeps the stream alive
    assert session.keepalive_due() == 11.0
    assert opened(keepalive_interval=None).keepalive_due() is None
    session.finish(7.0, 1.0)
    assert session.keepalive_due() is None and session.keepalive(100.0, idle=True) is None


def test_written_text_does_not_count_as_audio():
    session = opened(keepalive_interval=5.0, now=0.0)
    session.queue("text")
    session.written("text", 4.0)
    assert session.keepalive_due() == 5.0


def test_finish_sets_one_deadline_and_queues_the_close_message_once():
    session = opened()
    assert session.left(0.0) == float("inf")
    assert session.finish(10.0, 3.0) == CLOSE_STREAM
    assert session.buffered == len(CLOSE_STREAM)
    assert session.finish(11.0, 30.0) is None  # a second call neither resends nor moves the deadline
    assert session.deadline == 13.0
    assert session.left(12.5) == 0.5 and session.left(14.0) == 0.0


def test_finish_after_the_close_only_sets_the_deadline():
    session = opened()
    session.closed(1011, "NET-0001")
    assert session.finish(0.0, 2.0) is None and session.deadline == 2.0


@pytest.mark.parametrize("code, reason, cause, error_kind", [
    (1000, "", None, None),
    (1011, "NET-0001: no audio", None, "close"),
    (1006, None, None, "close"),
    (1000, "", "finish() gave up", "timeout"),
])
def test_the_close_is_reported_exactly_once(code, reason, cause, error_kind):
    session = opened()
    report = session.closed(code, reason, cause)
    assert report is not None
    error, close_code = report
    assert close_code == code and session.close_code == code
    assert (error.kind if error is not None else None) == error_kind
    assert session.closed(code, reason, cause) is None
    assert session.closed(1006, "later") is None and session.close_code == code
    assert session.state is State.CLOSED


def test_received_frames_are_parsed_and_the_final_message_noted():
    session = opened()
    results = session.receive(json.dumps({"type": "Results"}))
    assert results.message == {"type": "Results"} and not results.final and not session.final
    metadata = session.receive(json.dumps({"type": "Metadata", "request_id": "r"}))
    assert metadata.final and session.final
    broken = session.receive("not json")
    assert broken.message is None and broken.error.kind == "parse"


@pytest.mark.parametrize("kind", [["Results"], {"a": 1}, 3, None])
def test_a_message_type_that_is_not_a_string_is_unhandled_not_a_crash(kind):
    message, error = parse(json.dumps({"type": kind}))
    assert error is None
    assert by_type({"Results": "results"}, message, "unhandled") == "unhandled"


def test_a_direct_write_is_checked_but_counted_only_if_it_must_wait():
    session = opened(max_buffer_bytes=10)
    assert session.direct(b"12345") is True and session.buffered == 0
    assert session.direct(b"") is False
    with pytest.raises(DeepgramBufferFullError):
        session.direct(b"x" * 11)  # could never fit, even alone
    session.control(b"12345")  # its write had to wait
    assert session.buffered == 5
    session.finish(0.0, 1.0)
    with pytest.raises(DeepgramStreamClosedError):
        session.direct(b"x")


# -- the same rules under every socket ---------------------------------------------------------------

SPECS = {"listen": LISTEN, "flux": FluxStream.SPEC, "speak": SpeakStream.SPEC, "speak_v2": SpeakV2Stream.SPEC,
         "agent": AgentStream.SPEC}
# What each socket sends to end gracefully, whether it has a KeepAlive, and the message that ends it.
ENDINGS = {"listen": ('{"type": "CloseStream"}', True, {"type": "Metadata"}),
           "flux": ('{"type": "CloseStream"}', False, None),
           "speak": ('{"type": "Close"}', False, None),
           "speak_v2": ('{"type": "Close"}', False, {"type": "SessionMetadata"}),
           "agent": (None, True, None)}


def opened_on(name, max_buffer_bytes=100, keepalive_interval=5.0, now=0.0):
    session = Session(SPECS[name], max_buffer_bytes, keepalive_interval)
    session.connecting()
    session.opened(now)
    return session


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_socket_keeps_alive_only_if_it_has_a_keepalive(name):
    _close, keeps_alive, _final = ENDINGS[name]
    session = opened_on(name, keepalive_interval=5.0, now=100.0)
    if keeps_alive:
        assert session.keepalive_due() == 105.0 and session.keepalive(104.0, idle=True) is None
        assert json.loads(session.keepalive(105.0, idle=True)) == {"type": "KeepAlive"}
        assert session.keepalive_due() == 110.0
    else:
        assert session.keepalive_due() is None and session.keepalive(1e9, idle=True) is None
    assert session.buffered == (len('{"type": "KeepAlive"}') if keeps_alive else 0)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_socket_refuses_what_its_buffer_cannot_hold(name):
    session = opened_on(name, max_buffer_bytes=10)
    assert session.queue(b"123456") and not session.has_room()
    with pytest.raises(DeepgramBufferFullError):
        session.queue("12345")
    session.written(b"123456", 1.0)
    assert session.buffered == 0 and session.has_room()


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_socket_ends_with_its_own_message_and_one_deadline(name):
    close, _keeps_alive, final = ENDINGS[name]
    session = opened_on(name)
    assert session.finish(10.0, 2.0) == close
    assert session.buffered == (len(close) if close else 0)
    assert session.finish(11.0, 60.0) is None and session.deadline == 12.0
    assert session.left(11.5) == 0.5 and session.left(12.5) == 0.0
    with pytest.raises(DeepgramStreamClosedError):
        session.queue(b"more")
    if final is not None:
        assert session.receive(json.dumps(final)).final and session.final
    else:  # the close frame alone ends the stream
        assert not session.receive(json.dumps({"type": "Whatever"})).final


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_socket_reports_its_close_once(name):
    session = opened_on(name)
    error, code = session.closed(1011, "NET-0000")
    assert error.kind == "close" and code == 1011
    assert session.closed(1000, "") is None and session.state is State.CLOSED
