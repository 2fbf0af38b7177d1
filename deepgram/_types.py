"""Type names of deepgram-sdk 2.x (documentation only: any dict is accepted at run time).

A name that describes what the SDK returns or takes is an alias of its accurate type in
``deepgram.types``; the others keep their 2.x shape. Typing names are reached through ``_typing``
so that this module binds none of the names 2.x imported by accident (``deepgram._compat``
serves those).
"""

import typing as _typing

from . import types as _t

# What the SDK takes.
Options = _t.ClientOptions
TranscriptionOptions = _t.TranscriptionOptions
PrerecordedOptions = _t.PrerecordedOptions
LiveOptions = _t.LiveOptions
UsageOptions = _t.UsageOptions
UsageFieldOptions = _t.DateRangeOptions
UsageRequestListOptions = _t.UsageRequestsOptions

# Pre-recorded and live results.
WordBase = _t.Word
Hit = _t.Hit
Search = _t.Search
Translation = _t.Translation
Alternative = _t.Alternative
Summary = _t.SummaryV1
Entity = _t.Entity
Sentence = _t.Sentence
Paragraph = _t.Paragraph
ParagraphGroup = _t.Paragraphs
Topic = _t.AlternativeTopic
Channel = _t.Channel
Utterance = _t.Utterance
Warning = _t.ListenWarning  # the 2.x name, shadowing the builtin in this module only
SummaryV2 = _t.SummaryV2
Metadata = _t.ListenMetadata
TranscriptionResults = _t.ListenResults
PrerecordedTranscriptionResponse = _t.PrerecordedResponse
StreamingMetadata = _t.LiveResultsMetadata
LiveTranscriptionResponse = _t.LiveResultsResponse

# Management answers.
UpdateResponse = _t.MessageResponse
Key = _t.ApiKey
Member = _t.Member
KeyBundle = _t.ProjectKey
KeyResponse = _t.KeysResponse
Project = _t.Project
ProjectResponse = _t.ProjectsResponse
UsageRequest = _t.UsageRequest
UsageRequestList = _t.UsageRequestsResponse
UsageResponseDetail = _t.UsageSummaryResult
UsageResponseResolution = _t.Resolution
UsageResponse = _t.UsageSummaryResponse
UsageField = _t.UsageFieldsResponse
Balance = _t.Balance
BalanceResponse = _t.BalancesResponse
Scope = _t.ScopesResponse
Invitation = _t.Invite
InvitationResponse = _t.MessageResponse


# 2.x names with no accurate counterpart keep their 2.x shape.


class UrlSource(_typing.TypedDict):
    url: str


class BufferSource(_typing.TypedDict):
    buffer: _typing.Any
    mimetype: str


TranscriptionSource = _typing.Union[UrlSource, BufferSource]


class BoostedKeyword(_typing.TypedDict):
    word: str
    boost: float


Keyword = _typing.Union[str, BoostedKeyword]


class ToggleConfigOptions(_typing.TypedDict):
    numerals: bool


EventHandler = _typing.Union[
    _typing.Callable[[_typing.Any], None], _typing.Callable[[_typing.Any], _typing.Awaitable[None]]
]


class UsageRequestDetails(_typing.TypedDict):
    usd: float
    dutation: float  # sic: the 2.x spelling, kept for code that names it
    total_audio: float
    channels: int
    streams: int
    model: str
    method: _typing.Literal["sync", "async", "streaming"]
    tags: _typing.List[str]
    features: _typing.List[str]
    config: _typing.Dict[str, bool]


class UsageRequestDetail(_typing.TypedDict):
    details: UsageRequestDetails


class UsageRequestMessage(_typing.TypedDict):
    message: _typing.Optional[str]


class UsageCallback(_typing.TypedDict):
    code: int
    completed: str


if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> _typing.Any:
        # What 2.x imported here (typing names, datetime, sys) comes from deepgram._compat's table.
        from ._compat import legacy_attribute

        return legacy_attribute(__name__, name)
