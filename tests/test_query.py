"""The legacy query encoding: exact examples and properties (Hypothesis)."""

import datetime
import enum
import string
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepgram import DeepgramSetupError
from deepgram._utils import _make_query_string
from deepgram.transcription import _make_query_string as from_transcription
from deepgram.usage import _make_query_string as from_usage


def test_the_verified_legacy_example_encodes_identically():
    params = {"a": True, "b": False, "c": None, "d": "", "e": 0, "f": 1.5,
              "g": ["x:1", "y z", True], "h": [], "i": {"k": 1}}
    assert _make_query_string(params) == (
        "?a=true&b=false&e=0&f=1.5&g=x%3A1&g=y+z&g=true&i=%7B%27k%27%3A+1%7D"
    )


def test_empty_and_none_give_an_empty_string():
    assert _make_query_string() == ""
    assert _make_query_string(None) == ""
    assert _make_query_string({}) == ""
    assert _make_query_string({"a": None, "b": "", "c": []}) == ""


def test_none_and_empty_items_inside_a_list_are_skipped_not_a_crash():
    assert _make_query_string({"keywords": ["a:2", None, "", "b"]}) == "?keywords=a%3A2&keywords=b"


def test_tuples_sets_and_nested_lists_expand_to_repeated_keys():
    assert _make_query_string({"tag": ("x", "y")}) == "?tag=x&tag=y"
    assert _make_query_string({"tag": {"b", "a"}}) == "?tag=a&tag=b"
    assert _make_query_string({"tag": [["n1", "n2"], "n3"]}) == "?tag=n1&tag=n2&tag=n3"


def test_dates_and_enums_are_encoded_by_value():
    class Model(enum.Enum):
        NOVA = "nova-3"

    query = _make_query_string({"start": datetime.date(2024, 1, 2), "model": Model.NOVA})
    assert query == "?start=2024-01-02&model=nova-3"


def test_the_helper_is_importable_where_2x_had_it():
    assert from_transcription is _make_query_string
    assert from_usage is _make_query_string


def test_non_dict_options_are_a_setup_error():
    with pytest.raises(DeepgramSetupError):
        _make_query_string("punctuate=true")


scalars = st.one_of(
    st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12), st.none(),
)
values = st.one_of(scalars, st.lists(st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=5))
keys = st.text(alphabet=string.ascii_letters + string.digits + "_-.:/ +&=?", min_size=1, max_size=8)


def _expected(params):
    """An independent statement of the rules: flatten lists, drop None and "", lowercase bools."""
    pairs = []
    for key, value in params.items():
        stack = value if isinstance(value, list) else [value]
        flat = []
        for item in stack:
            flat.extend(item if isinstance(item, list) else [item])
        for item in flat:
            if item is None or item == "":
                continue
            pairs.append((key, ("true" if item else "false") if isinstance(item, bool) else str(item)))
    return pairs


@given(st.dictionaries(keys, values, max_size=6))
def test_query_round_trips_through_a_standard_parser(params):
    query = _make_query_string(params)
    expected = _expected(params)
    if not expected:
        assert query == ""
        return
    assert query.startswith("?")
    assert parse_qsl(query[1:], keep_blank_values=True) == expected


@given(st.dictionaries(keys, st.booleans(), min_size=1, max_size=5))
def test_booleans_are_always_lowercase(params):
    decoded = dict(parse_qsl(_make_query_string(params)[1:]))
    assert set(decoded.values()) <= {"true", "false"}
