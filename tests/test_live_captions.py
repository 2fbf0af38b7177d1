"""Live captions: cues from final results, files written as they come, and equality with dg.extra."""

import asyncio
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepgram import DeepgramSetupError
from deepgram.captions import Cue, LiveCaptions, live_captions
from deepgram.extra import Caption, Extra
from deepgram.testing import sample_path

AUDIO = sample_path("fox.wav").read_bytes()


def chunks(data=AUDIO, size=8000):
    return [data[i:i + size] for i in range(0, len(data), size)]


def word(text, start, end, punctuated=None):
    found = {"word": text, "start": start, "end": end, "confidence": 0.9}
    if punctuated is not None:
        found["punctuated_word"] = punctuated
    return found


def results(words, is_final=True, channel=0, alternatives=()):
    start = words[0]["start"] if words else 0.0
    return {"type": "Results", "start": start, "duration": 1.0, "is_final": is_final, "speech_final": is_final,
            "channel_index": [channel, channel + 1],
            "channel": {"alternatives": [{"transcript": " ".join(w["word"] for w in words), "words": words},
                                         *alternatives]}}


def spoken(text, start, step=0.5):
    """Words of ``text``, one every ``step`` seconds from ``start``, each lasting 0.4 s."""
    return [word(w, start + i * step, start + i * step + 0.4) for i, w in enumerate(text.split())]


def as_utterances(messages):
    """The pre-recorded response holding the same words: one utterance per final result."""
    return {"results": {"channels": [], "utterances": [{"words": m["channel"]["alternatives"][0]["words"]}
                                                       for m in messages]}}


def fed(messages, **kwargs):
    captions = LiveCaptions(**kwargs)
    for message in messages:
        captions.add(message)
    return captions


# -- cues, numbering, rendering -------------------------------------------------------------


def test_each_final_result_is_split_into_numbered_srt_cues_of_line_length_words():
    captions = fed([results(spoken("one two three four five six seven eight nine ten", 1.0)),
                    results(spoken("eleven twelve", 7.0))])
    assert captions.text == (
        "1\n00:00:01,000 --> 00:00:04,900\none two three four five six seven eight\n\n"
        "2\n00:00:05,000 --> 00:00:05,900\nnine ten\n\n"
        "3\n00:00:07,000 --> 00:00:07,900\neleven twelve")
    assert [cue.index for cue in captions.cues] == [1, 2, 3]


def test_webvtt_has_one_header_dots_and_dashes_and_accepts_the_caption_enum():
    messages = [results(spoken("a b c", 0.0)), results(spoken("d", 2.0))]
    for format in ("vtt", Caption.WEBVTT, "WebVTT"):
        assert fed(messages, format=format, line_length=2).text == (
            "WEBVTT\n\n"
            "1\n00:00:00.000 --> 00:00:00.900\n- a b\n\n"
            "2\n00:00:01.000 --> 00:00:01.400\n- c\n\n"
            "3\n00:00:02.000 --> 00:00:02.400\n- d")
    assert fed(messages, format=Caption.SRT).text.startswith("1\n00:00:00,000 --> 00:00:01,400\na b c\n\n2\n")


def test_empty_captions_are_what_extra_gives_for_no_words():
    assert LiveCaptions("srt").text == "" and LiveCaptions("vtt").text == "WEBVTT"


def test_punctuated_words_are_used_per_word_and_timestamps_round_to_the_millisecond():
    captions = fed([results([word("hello", 5.5195, 5.9996, "Hello,"), word("world", 6.0004, 3661.5)])])
    assert captions.text == "1\n00:00:05,520 --> 01:01:01,500\nHello, world"
    assert captions.cues == [Cue(1, 5.5195, 3661.5, "Hello, world", "srt")]


def test_interim_results_and_other_messages_are_ignored():
    best = [word("best", 1.0, 1.5)]
    captions = fed([
        results(spoken("interim words", 0.0), is_final=False),
        {"type": "Metadata", "request_id": "r", "duration": 3.0},
        {"type": "SpeechStarted", "channel": [0, 1], "timestamp": 0.5},
        {"type": "UtteranceEnd", "channel": [0, 1], "last_word_end": 0.9},
        {"type": "Results", "is_final": True, "channel": {"alternatives": []}},
        results([]),
        results(spoken("second channel", 0.2), channel=1),
        None, "text", 42,
    ])
    assert captions.text == "" and captions.cues == []
    captions.add(results(best, alternatives=[{"words": [word("rival", 1.0, 1.5)]}]))
    assert captions.text == "1\n00:00:01,000 --> 00:00:01,500\nbest"


# -- where cues go --------------------------------------------------------------------------


def test_a_path_is_written_and_flushed_cue_by_cue_and_closed_at_the_end_of_the_with_block(tmp_path):
    path = tmp_path / "live.srt"
    with LiveCaptions("srt", file=path) as captions:
        assert path.read_text(encoding="utf-8") == ""
        captions.add(results(spoken("café olé", 0.0)))
        assert path.read_text(encoding="utf-8") == "1\n00:00:00,000 --> 00:00:00,900\ncafé olé\n"
        captions.add(results(spoken("more", 2.0)))
        assert path.read_text(encoding="utf-8") == captions.text + "\n"
        assert captions.text.endswith("\n\n2\n00:00:02,000 --> 00:00:02,400\nmore")
        assert not captions.closed
    assert captions.closed
    assert path.read_text(encoding="utf-8") == captions.text + "\n"
    captions.close()  # a second close is harmless


def test_a_webvtt_file_gets_its_header_at_once(tmp_path):
    path = tmp_path / "live.vtt"
    with LiveCaptions("vtt", file=str(path)) as captions:
        assert path.read_text(encoding="utf-8") == "WEBVTT\n"
        captions.add(results(spoken("hi", 1.0)))
        assert path.read_text(encoding="utf-8") == "WEBVTT\n\n1\n00:00:01.000 --> 00:00:01.400\n- hi\n"


def test_a_callers_stream_gets_each_cue_is_flushed_and_stays_open():
    class Stream(io.StringIO):
        flushes = 0

        def flush(self):
            self.flushes += 1
            super().flush()

    stream = Stream()
    captions = LiveCaptions("vtt", file=stream)
    captions.add(results(spoken("x y", 0.0)))
    captions.add(results(spoken("z", 3.0)))
    assert stream.getvalue() == captions.text + "\n" and stream.flushes == 3  # the header and two cues
    captions.close()
    assert not stream.closed


def test_on_cue_gets_each_cue_as_it_comes():
    got = []
    captions = LiveCaptions("srt", line_length=2, on_cue=lambda cue: got.append((cue, captions.text)))
    captions.add(results(spoken("a b c", 0.0, step=1.0)))
    assert [cue for cue, _ in got] == [Cue(1, 0.0, 1.4, "a b", "srt"), Cue(2, 2.0, 2.4, "c", "srt")]
    assert got[0][1] == got[0][0].render() == "1\n00:00:00,000 --> 00:00:01,400\na b"
    assert "\n\n".join(cue.render() for cue, _ in got) == captions.text
    assert Cue(3, 1.0, 2.0, "hi", "vtt").render() == "3\n00:00:01.000 --> 00:00:02.000\n- hi"


def test_results_after_close_raise_instead_of_being_lost():
    captions = fed([results(spoken("a", 0.0))])
    captions.close()
    captions.add({"type": "Metadata"})  # nothing to caption: nothing lost
    captions.add(results(spoken("a", 0.0)))  # already captioned
    with pytest.raises(ValueError, match="after the stream has finished"):
        captions.add(results(spoken("b", 1.0)))
    assert len(captions.cues) == 1


@pytest.mark.parametrize("kwargs, named", [
    ({"format": "txt"}, "'txt'"),
    ({"format": None}, "None"),
    ({"line_length": 0}, "got 0"),
    ({"line_length": -2}, "got -2"),
    ({"line_length": 2.5}, "got 2.5"),
    ({"line_length": True}, "got True"),
    ({"line_length": "8"}, "got '8'"),
    ({"file": 42}, "int: 42"),
    ({"file": b"out.srt"}, "bytes"),
    ({"file": ""}, "empty string"),
    ({"file": io.BytesIO()}, "text mode"),
    ({"on_cue": "print"}, "'print'"),
])
def test_bad_arguments_name_the_value_and_the_fix_before_any_file_is_made(tmp_path, kwargs, named):
    path = tmp_path / "out.srt"
    arguments = {"file": path, **kwargs}
    with pytest.raises(DeepgramSetupError) as caught:
        LiveCaptions(**arguments)
    assert named in str(caught.value) and "must be" in str(caught.value)
    assert not path.exists()


def test_live_captions_needs_a_stream():
    with pytest.raises(DeepgramSetupError, match=r"dg\.sync\.transcription\.live"):
        live_captions(object())


# -- reconnects -----------------------------------------------------------------------------


def test_results_sent_again_after_a_reconnect_neither_repeat_nor_go_back_in_time():
    first = spoken("one two three", 0.0)
    captions = fed([results(first), results(spoken("four five", 2.0))], line_length=8)
    captions.add(results(first))  # all of it already captioned
    captions.add(results([word("five", 2.5, 2.9), word("six", 3.0, 3.4)]))  # overlaps the last cue
    captions.add(results([word("early", 2.0, 3.5), word("seven", 3.5, 3.9)]))  # starts before "six" ended
    assert [cue.text for cue in captions.cues] == ["one two three", "four five", "six", "seven"]
    assert [cue.index for cue in captions.cues] == [1, 2, 3, 4]
    assert all(before.end <= after.start for before, after in zip(captions.cues, captions.cues[1:]))


# -- the same captions as dg.extra ----------------------------------------------------------


def test_the_captions_equal_extras_for_one_utterance_per_final_result():
    messages = [results(spoken("The quick brown fox jumps over the lazy dog today", 0.3)),
                results([]),
                results([word("deepgram", 6.0, 6.4, "Deepgram"), word("turns", 6.5, 6.8),
                         word("speech", 6.9, 7.3, "speech"), word("text", 7.4, 7.9, "text.")]),
                results(spoken(" ".join(f"w{i}" for i in range(17)), 9.0, step=0.25))]
    response = as_utterances(messages)
    for line_length in (8, 3, 1, 100):
        assert fed(messages, format="srt", line_length=line_length).text == \
            Extra().to_SRT(response, line_length=line_length, readable=False)
        assert fed(messages, format="vtt", line_length=line_length).text == \
            Extra().to_WebVTT(response, line_length=line_length, readable=False)


timed_words = st.lists(st.tuples(st.floats(0, 3, allow_nan=False), st.floats(0.01, 2, allow_nan=False),
                                 st.text(alphabet="abcxyz.,", max_size=6), st.booleans()), max_size=20)


@given(st.lists(timed_words, max_size=6), st.integers(1, 10))
def test_any_stream_of_final_results_gives_extras_captions(groups, line_length):
    messages, clock = [], 0.0
    for group in groups:
        words = []
        for gap, duration, text, punctuated in group:
            clock += gap
            words.append(word(text.strip(".,"), clock, clock + duration, text if punctuated else None))
            clock += duration
        messages.append(results(words))
    response = as_utterances(messages)
    assert fed(messages, line_length=line_length).text == Extra().to_SRT(response, line_length, readable=False)
    assert fed(messages, format="vtt", line_length=line_length).text == \
        Extra().to_WebVTT(response, line_length, readable=False)


# -- a live stream through the emulator -----------------------------------------------------


def finals_of(received):
    return [m for m in received if m.get("type") == "Results" and m.get("is_final")]


def test_an_async_stream_captions_its_final_results_as_extra_would(dg, tmp_path):
    path = tmp_path / "live.srt"

    async def main():
        live = await dg.transcription.live({"punctuate": True, "interim_results": True, "vad_events": True})
        captions = live_captions(live, file=path)
        for chunk in chunks():
            live.send(chunk)
        await live.finish()
        captions.close()
        return live, captions

    live, captions = asyncio.run(asyncio.wait_for(main(), 30))
    assert any(m.get("type") == "Results" and not m["is_final"] for m in live.received)  # interims came
    expected = dg.extra.to_SRT(as_utterances(finals_of(live.received)), readable=False)
    assert captions.text == expected
    assert "fox" in expected and len(captions.cues) >= 2
    assert path.read_text(encoding="utf-8") == expected + "\n"


def test_a_blocking_stream_captions_its_final_results_as_extra_would(dg):
    cues = []
    with dg.sync.transcription.live({"punctuate": True}) as live:
        captions = live_captions(live, "vtt", line_length=5, on_cue=cues.append)
        for chunk in chunks():
            live.send(chunk)
    captions.close()
    expected = dg.extra.to_WebVTT(as_utterances(finals_of(live.received)), line_length=5, readable=False)
    assert captions.text == expected
    assert "Deepgram" in expected and cues == captions.cues and len(cues) >= 3
