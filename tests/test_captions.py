"""Captions: the legacy SRT/WebVTT format, millisecond rounding, and inputs that used to crash."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepgram import Deepgram, DeepgramSetupError
from deepgram.extra import Extra, format_timestamp

UTTERANCES = {"results": {"channels": [], "utterances": [
    {"words": [{"word": "yep", "punctuated_word": "Yep.", "start": 5.52, "end": 6.02}]},
    {"words": [{"word": w, "punctuated_word": w.capitalize(), "start": 7 + i * 0.5, "end": 7.4 + i * 0.5}
               for i, w in enumerate("one two three four five six seven eight nine ten".split())]},
]}}


def test_srt_keeps_the_legacy_layout_with_rounded_milliseconds():
    srt = Extra().to_SRT(UTTERANCES, readable=False)
    assert srt.split("\n\n")[0] == "1\n00:00:05,520 --> 00:00:06,020\nYep."
    assert srt.split("\n\n")[1] == "2\n00:00:07,000 --> 00:00:10,900\nOne Two Three Four Five Six Seven Eight"
    assert srt.split("\n\n")[2] == "3\n00:00:11,000 --> 00:00:11,900\nNine Ten"
    assert not srt.endswith("\n")


def test_webvtt_has_a_header_dashes_and_dots():
    vtt = Extra().to_WebVTT(UTTERANCES, line_length=20, readable=False)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:05.520 --> 00:00:06.020\n- Yep.")
    assert vtt.count("-->") == 2


def test_readable_true_prints_and_returns_none(capsys):
    dg = Deepgram("key")
    assert dg.extra.to_SRT(UTTERANCES) is None
    assert "00:00:05,520" in capsys.readouterr().out


@pytest.mark.parametrize("seconds, text", [
    (5.52, "00:00:05,520"), (1.001, "00:00:01,001"), (4.35, "00:00:04,350"), (0.29, "00:00:00,290"),
    (360000, "100:00:00,000"), (59.9996, "00:01:00,000"), (3661.5, "01:01:01,500"),
])
def test_timestamps_round_to_the_nearest_millisecond(seconds, text):
    assert format_timestamp(seconds, ",") == text


def test_without_utterances_it_warns_and_uses_the_best_alternative_of_every_channel():
    response = {"results": {"channels": [
        {"alternatives": [{"words": [{"word": "left", "start": 1.0, "end": 1.5}]},
                          {"words": [{"word": "rival", "start": 1.0, "end": 1.5}]}]},
        {"alternatives": [{"words": [{"word": "right", "start": 0.5, "end": 0.9}]}]},
    ]}}
    with pytest.warns(UserWarning, match="Utterances") as caught:
        srt = Extra().to_SRT(response, readable=False)
    assert caught[0].filename == __file__
    assert srt == "1\n00:00:00,500 --> 00:00:00,900\nright\n\n2\n00:00:01,000 --> 00:00:01,500\nleft"


@pytest.mark.parametrize("response", [
    {"results": {"utterances": [{"words": []}], "channels": []}},
    {"results": {"utterances": None, "channels": [{"alternatives": [{"words": []}]}]}},
    {"results": {"channels": []}},
    {},
])
def test_empty_or_missing_words_give_empty_captions(response):
    with pytest.warns(UserWarning) if (response.get("results") or {}).get("utterances") is None else contextlib.nullcontext():
        assert Extra().to_SRT(response, readable=False) == ""
        assert Extra().to_WebVTT(response, readable=False) == "WEBVTT"


def test_mixed_punctuated_words_fall_back_per_word():
    response = {"results": {"utterances": [{"words": [
        {"word": "hello", "punctuated_word": "Hello,", "start": 0, "end": 1},
        {"word": "world", "start": 1, "end": 2}]}]}}
    assert Extra().to_SRT(response, readable=False).endswith("Hello, world")


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_line_length_must_be_a_positive_integer(bad):
    with pytest.raises(DeepgramSetupError):
        Extra().to_SRT(UTTERANCES, line_length=bad, readable=False)


def test_private_helpers_of_2x_remain():
    assert Extra._format_timestamp(5.52, ".") == "00:00:05.520"
    assert Extra._to_caption(UTTERANCES, "srt", 8).startswith("1\n")


words = st.lists(st.tuples(st.floats(0, 10_000, allow_nan=False), st.floats(0, 5, allow_nan=False),
                           st.text(alphabet="abcxyz", min_size=1, max_size=6)), max_size=40)


@given(st.lists(words, max_size=5), st.integers(1, 12))
def test_every_word_appears_once_in_a_cue_in_order(groups, line_length):
    response = {"results": {"utterances": [
        {"words": [{"word": w, "start": s, "end": s + d} for s, d, w in group]} for group in groups]}}
    srt = Extra().to_SRT(response, line_length=line_length, readable=False)
    cues = [c.split("\n") for c in srt.split("\n\n")] if srt else []
    assert [int(c[0]) for c in cues] == list(range(1, len(cues) + 1))
    assert sum(len(c[2].split(" ")) for c in cues) == sum(len(g) for g in groups)
    for cue in cues:
        start, end = cue[1].split(" --> ")
        assert len(start.split(",")[1]) == 3 and len(end.split(",")[1]) == 3


@given(st.floats(0, 400_000, allow_nan=False))
def test_timestamps_parse_back_within_half_a_millisecond(seconds):
    hms, millis = format_timestamp(seconds, ",").split(",")
    hours, minutes, secs = (int(x) for x in hms.split(":"))
    assert abs(hours * 3600 + minutes * 60 + secs + int(millis) / 1000 - seconds) <= 0.0005 + 1e-9
