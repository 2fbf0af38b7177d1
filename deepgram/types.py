"""Typed shapes of what Deepgram's API answers and of the dicts this SDK takes.

    from deepgram.types import PrerecordedResponse

    response: PrerecordedResponse = dg.sync.transcription.prerecorded({"url": URL}, smart_format=True)
    print(response["results"]["channels"][0]["alternatives"][0]["transcript"])

These are for type checkers and editors only: at run time every result is a plain ``dict``
(nothing is validated or converted) and every dict is accepted, so a field the API adds later
needs no new release. Fields the API may leave out are declared ``total=False``: read them with
``.get()``. Options accept the natural Python type (``True``, ``3``, ``0.8``); lists stand for
parameters that may be repeated.
"""

from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, TypedDict, Union

from ._wire import AudioResponse, DeepgramResponse

_Strs = Union[str, List[str]]  # a parameter that may be repeated: one value or a list

# --------------------------------------------------------------------------------------------
# What the SDK takes


class ClientOptions(TypedDict, total=False):
    """The dict ``Deepgram({...})`` takes (every setting is optional)."""

    api_key: str
    api_url: str
    access_token: str
    auth_method: str
    suppress_warnings: Union[bool, str]
    raise_warnings_as_errors: Union[bool, str]
    timeout: Any  # seconds, a (connect, read) tuple, or {"connect", "read", "total"}
    headers: Dict[str, str]
    query: Dict[str, Any]
    max_retries: int
    retry_unanswered: Union[bool, str]
    proxy: Optional[str]
    verify: Any  # True, False, a CA bundle path or an ssl.SSLContext
    session: Any  # an aiohttp.ClientSession
    sync_session: Any  # a requests.Session
    on_progress: Optional[Callable[[int, Optional[int]], Any]]  # (bytes_sent, total or None)
    on_response: Optional[Callable[[int, Mapping[str, str]], Any]]  # (status, headers)


class TranscriptionOptions(TypedDict, total=False):
    """Query parameters that pre-recorded and live transcription share."""

    model: str
    version: str
    language: str
    encoding: str
    punctuate: bool
    smart_format: bool
    profanity_filter: bool
    redact: Union[bool, str, List[str]]
    diarize: Union[bool, str]
    diarize_model: str
    diarize_version: str
    multichannel: bool
    alternatives: int
    numerals: bool
    numbers: bool
    numbers_spaces: bool
    dictation: bool
    measurements: bool
    filler_words: bool
    detect_entities: bool
    dates: bool
    date_format: str
    times: bool
    search: _Strs
    replace: _Strs
    keywords: _Strs
    keyword_boost: str
    keyterm: _Strs
    ner: Union[bool, str]
    tier: str
    tag: _Strs
    extra: _Strs
    callback: str
    callback_method: str
    mip_opt_out: bool


class AnalysisOptions(TypedDict, total=False):
    """The text intelligence features of ``/listen`` and ``/read``."""

    summarize: Union[bool, str]
    sentiment: bool
    topics: bool
    intents: bool
    custom_topic: _Strs
    custom_topic_mode: str
    custom_intent: _Strs
    custom_intent_mode: str


class PrerecordedOptions(TranscriptionOptions, AnalysisOptions, total=False):
    """Query parameters of a pre-recorded transcription (POST ``/v1/listen``)."""

    utterances: bool
    utt_split: Union[float, str]
    paragraphs: bool
    detect_language: Union[bool, str, List[str]]
    detect_topics: bool
    translate: _Strs
    analyze_sentiment: bool
    sentiment_threshold: float


class LiveOptions(TranscriptionOptions, total=False):
    """Query parameters of a live transcription (the ``/v1/listen`` websocket)."""

    channels: int
    sample_rate: int
    interim_results: bool
    endpointing: Union[bool, int, str]
    utterance_end_ms: Union[int, str]
    vad_events: bool
    vad_turnoff: int
    no_delay: bool


class ReadOptions(AnalysisOptions, total=False):
    """Query parameters of a text analysis (``/v1/read``)."""

    language: str
    tag: _Strs
    callback: str
    callback_method: str


class SpeakOptions(TypedDict, total=False):
    """Query parameters of text to speech (``/v1/speak`` and ``/v2/speak``)."""

    model: str
    encoding: str
    container: str
    sample_rate: Union[int, str]
    bit_rate: Union[int, str]
    speed: float
    priority: str
    tag: _Strs
    callback: str
    callback_method: str
    mip_opt_out: bool


class DateRangeOptions(TypedDict, total=False):
    """A period, as ``YYYY-MM-DD`` dates (usage and billing fields)."""

    start: str
    end: str


class UsageOptions(DateRangeOptions, total=False):
    """Filters of the usage summary; a feature set to ``True`` keeps requests that used it."""

    accessor: str
    deployment: str
    endpoint: str
    method: str
    model: str
    tag: _Strs
    alternatives: bool
    analyze_sentiment: bool
    callback: bool
    callback_method: bool
    channels: bool
    custom_intent: bool
    custom_intent_mode: bool
    custom_topic: bool
    custom_topic_mode: bool
    detect_entities: bool
    detect_language: bool
    detect_topics: bool
    diarize: bool
    dictation: bool
    encoding: bool
    extra: bool
    filler_words: bool
    intents: bool
    interim_results: bool
    keyterm: bool
    keywords: bool
    language: bool
    measurements: bool
    multichannel: bool
    ner: bool
    numerals: bool
    paragraphs: bool
    profanity_filter: bool
    punctuate: bool
    redact: bool
    replace: Union[bool, str, List[str]]
    sample_rate: bool
    search: bool
    sentiment: bool
    sentiment_threshold: float
    smart_format: bool
    summarize: Union[bool, str]
    topics: bool
    translate: bool
    utt_split: bool
    utterances: bool
    version: bool


class UsageBreakdownOptions(UsageOptions, total=False):
    """Filters of the usage breakdown, and how to group it."""

    grouping: _Strs


class UsageRequestsOptions(TypedDict, total=False):
    """Filters of the list of requests."""

    start: Optional[str]
    end: Optional[str]
    page: Optional[int]
    limit: Optional[int]
    status: str
    accessor: str
    request_id: str
    deployment: str
    endpoint: str
    method: str


class BillingBreakdownOptions(DateRangeOptions, total=False):
    """Filters of the billing breakdown, and how to group it."""

    accessor: str
    deployment: str
    tag: str
    line_item: str
    grouping: _Strs


# --------------------------------------------------------------------------------------------
# Transcription results (pre-recorded and live)
#
# A field is required when Deepgram always sends it with its object, and ``total=False`` when it
# comes only with a feature (diarize, detect_language, sentiment, ...) or not from every endpoint.


class ModelInfo(TypedDict):
    """Name, version and architecture of a model."""

    name: str
    version: str
    arch: str


class AnalysisInfo(TypedDict):
    """The model and tokens a text intelligence feature used."""

    model_uuid: str
    input_tokens: int
    output_tokens: int


class ListenWarning(TypedDict):
    """A problem with a request that did not stop it."""

    parameter: str
    type: str
    message: str


class Sentiment(TypedDict):
    """A sentiment (``positive``, ``neutral`` or ``negative``) and its score."""

    sentiment: str
    sentiment_score: float


class _SentimentIfAsked(TypedDict, total=False):
    sentiment: str
    sentiment_score: float


class _WordBase(TypedDict):
    word: str
    start: float
    end: float
    confidence: float


class Word(_WordBase, _SentimentIfAsked, total=False):
    """One recognised word, timed in seconds."""

    punctuated_word: str
    speaker: int
    speaker_confidence: float
    language: str


class Hit(TypedDict):
    """Where a searched phrase may have been spoken."""

    confidence: float
    start: float
    end: float
    snippet: str


class Search(TypedDict):
    """The hits of one ``search`` term."""

    query: str
    hits: List[Hit]


class Translation(TypedDict):
    """The transcript in another language."""

    language: str
    translation: str


class _SentenceBase(TypedDict):
    text: str
    start: float
    end: float


class Sentence(_SentenceBase, _SentimentIfAsked, total=False):
    """One sentence of a paragraph."""


class _ParagraphBase(TypedDict):
    sentences: List[Sentence]
    num_words: int
    start: float
    end: float


class Paragraph(_ParagraphBase, _SentimentIfAsked, total=False):
    """One paragraph: its sentences and timing (and speaker, with ``diarize``)."""

    speaker: int


class Paragraphs(TypedDict):
    """The transcript split into paragraphs (``paragraphs=true``)."""

    transcript: str
    paragraphs: List[Paragraph]


class _EntityBase(TypedDict):
    label: str
    value: str
    confidence: float
    start_word: float
    end_word: float


class Entity(_EntityBase, total=False):
    """A named entity found in the transcript (``detect_entities=true``)."""

    raw_value: str


class SummaryV1(TypedDict):
    """A summary of a passage of one alternative (the first summarize version)."""

    summary: str
    start_word: float
    end_word: float


class AlternativeTopic(TypedDict):
    """The topics of a passage of one alternative (the legacy ``detect_topics``)."""

    text: str
    start_word: float
    end_word: float
    topics: List[str]


class _AlternativeBase(TypedDict):
    transcript: str
    confidence: float
    words: List[Word]


class Alternative(_AlternativeBase, total=False):
    """One possible transcript of a channel; the lists come with the features that make them."""

    languages: List[str]
    paragraphs: Paragraphs
    entities: List[Entity]
    summaries: List[SummaryV1]
    topics: List[AlternativeTopic]
    translations: List[Translation]


class _ChannelBase(TypedDict):
    alternatives: List[Alternative]


class Channel(_ChannelBase, total=False):
    """The transcripts of one audio channel."""

    search: List[Search]
    detected_language: str
    language_confidence: float


class _UtteranceBase(TypedDict):
    id: str
    start: float
    end: float
    confidence: float
    channel: int
    transcript: str
    words: List[Word]


class Utterance(_UtteranceBase, _SentimentIfAsked, total=False):
    """A stretch of speech on one channel (``utterances=true``), by one speaker with ``diarize``."""

    speaker: int
    speaker_confidence: float


class _SummaryV2Base(TypedDict):
    result: str


class SummaryV2(_SummaryV2Base, total=False):
    """The summary of the whole audio (``summarize=v2``); ``result`` says whether it worked."""

    short: str


class TextSegment(TypedDict):
    """A passage, by the indexes of its first and last words."""

    text: str
    start_word: float
    end_word: float


class TopicScore(TypedDict):
    """A topic and the confidence in it."""

    topic: str
    confidence_score: float


class TopicSegment(TextSegment):
    """A passage and its topics."""

    topics: List[TopicScore]


class TopicsResult(TypedDict):
    """The topics of a transcript or text (``topics=true``)."""

    segments: List[TopicSegment]


class IntentScore(TypedDict):
    """An intent and the confidence in it."""

    intent: str
    confidence_score: float


class IntentSegment(TextSegment):
    """A passage and its intents."""

    intents: List[IntentScore]


class IntentsResult(TypedDict):
    """The intents of a transcript or text (``intents=true``)."""

    segments: List[IntentSegment]


class SentimentSegment(TextSegment, Sentiment):
    """A passage and its sentiment."""


class SentimentsResult(TypedDict):
    """The sentiment of each passage and of the whole (``sentiment=true``)."""

    segments: List[SentimentSegment]
    average: Sentiment


class _ListenMetadataBase(TypedDict):
    request_id: str
    sha256: str
    created: str
    duration: float
    channels: int
    models: List[str]
    model_info: Dict[str, ModelInfo]  # by model UUID


class ListenMetadata(_ListenMetadataBase, total=False):
    """What Deepgram reports about a pre-recorded request."""

    transaction_key: str
    warnings: List[ListenWarning]
    tags: List[str]
    extra: Dict[str, Any]
    summary_info: AnalysisInfo
    sentiment_info: AnalysisInfo
    topics_info: AnalysisInfo
    intents_info: AnalysisInfo


class _ListenResultsBase(TypedDict):
    channels: List[Channel]


class ListenResults(_ListenResultsBase, total=False):
    """The transcripts, and the results of the features asked for."""

    utterances: List[Utterance]
    summary: SummaryV2
    topics: TopicsResult
    intents: IntentsResult
    sentiments: SentimentsResult


class PrerecordedResponse(TypedDict):
    """The answer of a pre-recorded transcription (POST ``/v1/listen``)."""

    metadata: ListenMetadata
    results: ListenResults


class CallbackResponse(TypedDict):
    """The answer of a request with a ``callback``: the results go to the callback URL."""

    request_id: str


class LiveResultsMetadata(TypedDict):
    """The request and model behind a live transcript."""

    request_id: str
    model_uuid: str
    model_info: ModelInfo


class _LiveResultsBase(TypedDict):
    type: Literal["Results"]
    channel_index: List[int]
    duration: float
    start: float
    is_final: bool
    speech_final: bool
    channel: Channel
    metadata: LiveResultsMetadata


class LiveResultsResponse(_LiveResultsBase, total=False):
    """A live transcript of a stretch of audio (interim unless ``is_final``)."""

    from_finalize: bool
    entities: List[Entity]


class _LiveMetadataBase(TypedDict):
    type: Literal["Metadata"]
    transaction_key: str
    request_id: str
    sha256: str
    created: str
    duration: float
    channels: int


class LiveMetadataResponse(_LiveMetadataBase, total=False):
    """The summary of a live stream, sent once before the server closes it."""

    models: List[str]
    model_info: Dict[str, ModelInfo]


class SpeechStartedResponse(TypedDict):
    """Speech began (``vad_events=true``); ``timestamp`` in seconds."""

    type: Literal["SpeechStarted"]
    channel: List[int]
    timestamp: float


class UtteranceEndResponse(TypedDict):
    """A gap in speech ended an utterance (``utterance_end_ms``)."""

    type: Literal["UtteranceEnd"]
    channel: List[int]
    last_word_end: float


LiveMessage = Union[LiveResultsResponse, LiveMetadataResponse, SpeechStartedResponse, UtteranceEndResponse]


class Reconnecting(TypedDict):
    """RECONNECTING's argument (``LiveSettings(reconnect=N)``): the close that ended a connection."""

    code: Optional[int]
    reason: Optional[str]
    attempts: int  # handshakes allowed for this incident


class Reconnected(TypedDict):
    """RECONNECTED's argument: the new connection, and where in the stream it took over."""

    request_id: Optional[str]
    offset: float  # stream time (s) at which the new connection's time 0 falls
    replayed_bytes: int  # audio sent again: what no final result had covered
    lost_bytes: int  # audio past max_replay_seconds, not replayed (over the whole stream so far)

# --------------------------------------------------------------------------------------------
# Flux: turn-based live transcription (the ``/v2/listen`` websocket)
#
# Every server message carries ``sequence_id``: its place among all the messages of the stream.

FluxTurnEvent = Literal["Update", "StartOfTurn", "EagerEndOfTurn", "TurnResumed", "EndOfTurn"]


class FluxConnected(TypedDict):
    """The stream is open and takes audio."""

    type: Literal["Connected"]
    request_id: str
    sequence_id: int


class _FluxWordBase(TypedDict):
    word: str
    confidence: float


class FluxWord(_FluxWordBase, total=False):
    """One word of a turn, punctuated and cased, timed in seconds."""

    start: float
    end: float


class _FluxTurnInfoBase(TypedDict):
    type: Literal["TurnInfo"]
    request_id: str
    sequence_id: int
    event: FluxTurnEvent
    turn_index: int
    audio_window_start: float
    audio_window_end: float
    transcript: str
    words: List[FluxWord]
    end_of_turn_confidence: float


class FluxTurnInfo(_FluxTurnInfoBase, total=False):
    """The state of the current turn and its transcript so far (``event`` says what changed)."""

    languages: List[str]
    languages_hinted: List[str]


class FluxThresholds(TypedDict, total=False):
    """End-of-turn settings; one left out keeps its current value."""

    eager_eot_threshold: float
    eot_threshold: float
    eot_timeout_ms: int


class _FluxConfigureSuccessBase(TypedDict):
    type: Literal["ConfigureSuccess"]
    request_id: str
    sequence_id: int
    thresholds: FluxThresholds
    keyterms: _Strs


class FluxConfigureSuccess(_FluxConfigureSuccessBase, total=False):
    """A Configure message took effect; the settings now in force."""

    language_hints: List[str]


class FluxConfigureFailure(TypedDict):
    """A Configure message was rejected; the settings are unchanged."""

    type: Literal["ConfigureFailure"]
    request_id: str
    sequence_id: int


class FluxError(TypedDict):
    """A fatal error; the server closes the stream after it."""

    type: Literal["Error"]
    sequence_id: int
    code: str
    description: str


FluxMessage = Union[FluxConnected, FluxTurnInfo, FluxConfigureSuccess, FluxConfigureFailure, FluxError]


class _FluxConfigureBase(TypedDict):
    type: Literal["Configure"]


class FluxConfigure(_FluxConfigureBase, total=False):
    """The client message that changes thresholds, keyterms or language hints mid-stream."""

    thresholds: FluxThresholds
    keyterms: _Strs
    language_hints: List[str]


# --------------------------------------------------------------------------------------------
# Text intelligence and text to speech


class _ReadMetadataBase(TypedDict):
    request_id: str
    created: str
    language: str


class ReadMetadata(_ReadMetadataBase, total=False):
    """What Deepgram reports about a text analysis."""

    summary_info: AnalysisInfo
    sentiment_info: AnalysisInfo
    topics_info: AnalysisInfo
    intents_info: AnalysisInfo


class ReadSummary(TypedDict):
    """The summary of a text."""

    text: str


class ReadResults(TypedDict, total=False):
    """The results of the features asked for."""

    summary: ReadSummary
    topics: TopicsResult
    intents: IntentsResult
    sentiments: SentimentsResult


class ReadResponse(TypedDict):
    """The answer of a text analysis (``/v1/read``)."""

    metadata: ReadMetadata
    results: ReadResults


class SpeakToFileResult(TypedDict):
    """What ``speak.generate(..., to=...)`` returns once the audio is written."""

    bytes_written: Optional[int]
    content_type: Optional[str]
    request_id: Optional[str]


# --------------------------------------------------------------------------------------------
# Streaming text to speech (the ``/v1/speak`` and ``/v2/speak`` websockets); audio comes as
# binary frames, these are the JSON messages around it.


class SpeakText(TypedDict):
    """The client message that queues text to speak (``/v1/speak`` and ``/v2/speak``)."""

    type: Literal["Speak"]
    text: str


class _SpeakMetadataBase(TypedDict):
    type: Literal["Metadata"]
    request_id: str
    model_name: str
    model_version: str
    model_uuid: str


class SpeakMetadata(_SpeakMetadataBase, total=False):
    """The request and the model that speaks, sent when the stream opens."""

    additional_model_uuids: List[str]


class SpeakFlushed(TypedDict):
    """The audio of the text sent before a Flush has all been sent."""

    type: Literal["Flushed"]
    sequence_id: int


class SpeakCleared(TypedDict):
    """A Clear dropped the text not yet spoken."""

    type: Literal["Cleared"]
    sequence_id: int


class SpeakWarning(TypedDict):
    """A problem that did not end the stream."""

    type: Literal["Warning"]
    description: str
    code: str


SpeakMessage = Union[SpeakMetadata, SpeakFlushed, SpeakCleared, SpeakWarning]


class SpeakV2Connected(TypedDict):
    """The stream is open; the model that speaks (``/v2/speak``)."""

    type: Literal["Connected"]
    request_id: str
    model_name: str
    model_version: str
    model_uuids: List[str]


class SpeakV2SpeechStarted(TypedDict):
    """A new speech (turn) began; its audio follows."""

    type: Literal["SpeechStarted"]
    speech_id: str


class SpeakV2ControlsApplied(TypedDict):
    """How many pronunciation overrides a speech used, and how many were warned about."""

    pronunciations_applied: int
    pronunciation_warnings: int


class SpeakV2SpeechMetadata(TypedDict):
    """What one speech produced and costs: milliseconds of audio, characters in and billed."""

    type: Literal["SpeechMetadata"]
    speech_id: str
    audio_duration_ms: int
    input_character_count: int
    billable_character_count: int
    controls_applied: SpeakV2ControlsApplied


class SpeakV2Flushed(TypedDict):
    """A speech ended by a Flush has sent all its audio."""

    type: Literal["Flushed"]
    speech_id: str


class SpeakV2SessionMetadata(TypedDict):
    """The totals of the whole stream, sent when it ends."""

    type: Literal["SessionMetadata"]
    total_audio_duration_ms: int
    total_input_character_count: int
    total_billable_character_count: int


class SpeakV2Warning(TypedDict):
    """A problem that did not end the stream (``code`` in ``SCREAMING_SNAKE_CASE``)."""

    type: Literal["Warning"]
    code: str
    description: str


class SpeakV2Error(TypedDict):
    """An error of the stream; ``code`` is like ``NET-0000`` or ``MESSAGE-0000``."""

    type: Literal["Error"]
    code: str
    description: str


SpeakV2Message = Union[SpeakV2Connected, SpeakV2SpeechStarted, SpeakV2SpeechMetadata, SpeakV2Flushed,
                       SpeakV2SessionMetadata, SpeakV2Warning, SpeakV2Error]


# --------------------------------------------------------------------------------------------
# Management: projects, members, scopes, invitations, keys


class MessageResponse(TypedDict):
    """The answer of an update or a deletion."""

    message: str


class ErrorResponse(TypedDict, total=False):
    """An error body (older endpoints use ``err_code``/``err_msg``, newer ``category``/``message``)."""

    err_code: str
    err_msg: str
    category: str
    message: str
    details: str
    request_id: str


class _ProjectBase(TypedDict):
    project_id: str
    name: str


class Project(_ProjectBase, total=False):
    """A project (``mip_opt_out`` comes with a single project)."""

    mip_opt_out: bool


class ProjectsResponse(TypedDict):
    """The projects this credential can reach."""

    projects: List[Project]


class _MemberBase(TypedDict):
    member_id: str
    email: str


class Member(_MemberBase, total=False):
    """A member of a project (or the owner of a key, with fewer details)."""

    first_name: str
    last_name: str
    scopes: List[str]


class MembersResponse(TypedDict):
    """The members of a project."""

    members: List[Member]


class ScopesResponse(TypedDict):
    """The scopes of a member."""

    scopes: List[str]


class Invite(TypedDict):
    """A pending invitation."""

    email: str
    scope: str


class InvitesResponse(TypedDict):
    """The pending invitations of a project."""

    invites: List[Invite]


class _ApiKeyBase(TypedDict):
    api_key_id: str
    comment: str
    scopes: List[str]


class ApiKey(_ApiKeyBase, total=False):
    """An API key, without its secret."""

    created: str
    tags: List[str]
    expiration_date: str


class CreateKeyResponse(ApiKey):
    """A new API key, with its secret (shown this once)."""

    key: str


class ProjectKey(TypedDict):
    """An API key and its owner."""

    member: Member
    api_key: ApiKey


class KeysResponse(TypedDict):
    """The API keys of a project."""

    api_keys: List[ProjectKey]


class KeyOwner(Member):
    """The owner of an API key, with the key."""

    api_key: ApiKey


class KeyItem(TypedDict):
    """One API key, under its owner."""

    member: KeyOwner


class GetKeyResponse(TypedDict):
    """The answer for one API key."""

    item: KeyItem


# --------------------------------------------------------------------------------------------
# Usage


class _UsageRequestBase(TypedDict):
    request_id: str
    created: str
    path: str


class UsageRequest(_UsageRequestBase, total=False):
    """One request made in a project."""

    project_uuid: str
    api_key_id: str
    accessor: str
    code: int
    deployment: str
    response: Dict[str, Any]
    callback: Any


class UsageRequestsResponse(TypedDict):
    """A page of the requests made in a project."""

    page: int
    limit: int
    requests: List[UsageRequest]


class UsageRequestResponse(TypedDict):
    """The answer for one request."""

    request: UsageRequest


class Resolution(TypedDict):
    """The length of each period of a summary."""

    units: str
    amount: float


class _UsageSummaryResultBase(TypedDict):
    start: str
    end: str
    hours: float
    requests: int


class UsageSummaryResult(_UsageSummaryResultBase, total=False):
    """The usage of one period."""

    total_hours: float


class _UsageSummaryBase(TypedDict):
    start: str
    end: str
    resolution: Resolution


class UsageSummaryResponse(_UsageSummaryBase, total=False):
    """The usage of a project over a period."""

    results: List[UsageSummaryResult]


class UsageGrouping(TypedDict, total=False):
    """What a row of the usage breakdown is grouped by (None: not grouped by it)."""

    start: str
    end: str
    accessor: Optional[str]
    endpoint: Optional[str]
    feature_set: Optional[str]
    models: List[str]
    method: Optional[str]
    tags: Optional[List[str]]
    deployment: Optional[str]


class UsageBreakdownResult(TypedDict):
    """The usage of one group."""

    hours: float
    total_hours: float
    agent_hours: float
    tokens_in: int
    tokens_out: int
    tts_characters: int
    requests: int
    grouping: UsageGrouping


class UsageBreakdownResponse(TypedDict):
    """The usage of a project, group by group."""

    start: str
    end: str
    resolution: Resolution
    results: List[UsageBreakdownResult]


class UsageModel(TypedDict):
    """A model that served requests of the project."""

    name: str
    language: str
    version: str
    model_id: str


class _UsageFieldsBase(TypedDict):
    tags: List[str]
    models: List[UsageModel]
    processing_methods: List[str]
    features: List[str]


class UsageFieldsResponse(_UsageFieldsBase, total=False):
    """The tags, models, methods and features seen in a project's usage."""

    languages: List[str]


# --------------------------------------------------------------------------------------------
# Billing


class _BalanceBase(TypedDict):
    balance_id: str
    amount: float
    units: str


class Balance(_BalanceBase, total=False):
    """A balance of a project."""

    purchase_order_id: str


class BalancesResponse(TypedDict):
    """The balances of a project."""

    balances: List[Balance]


class BillingGrouping(TypedDict, total=False):
    """What a row of the billing breakdown is grouped by (None: not grouped by it)."""

    start: str
    end: str
    accessor: Optional[str]
    deployment: Optional[str]
    line_item: Optional[str]
    tags: Optional[List[str]]


class BillingBreakdownResult(TypedDict):
    """The cost of one group."""

    dollars: float
    grouping: BillingGrouping


class BillingBreakdownResponse(TypedDict):
    """The costs of a project, group by group."""

    start: str
    end: str
    resolution: Resolution
    results: List[BillingBreakdownResult]


class BillingFieldsResponse(TypedDict):
    """The accessors, deployments, tags and line items seen in a project's billing."""

    accessors: List[str]
    deployments: List[str]
    tags: List[str]
    line_items: Dict[str, str]


class Purchase(TypedDict, total=False):
    """A purchase order."""

    order_id: str
    expiration: str
    created: str
    amount: float
    units: str
    order_type: str


class PurchasesResponse(TypedDict):
    """The purchases of a project."""

    orders: List[Purchase]


# --------------------------------------------------------------------------------------------
# Models, tokens, self-hosted credentials, agents


class _Model(TypedDict):
    name: str
    canonical_name: str
    architecture: str
    languages: List[str]
    version: str
    uuid: str


class SttModel(_Model, total=False):
    """A speech-to-text model."""

    batch: bool
    streaming: bool
    formatted_output: bool


class TtsModelMetadata(TypedDict, total=False):
    """How a voice sounds, with a picture and a sample."""

    accent: str
    age: str
    color: str
    image: str
    sample: str
    tags: List[str]
    use_cases: List[str]


class TtsModel(_Model, total=False):
    """A text-to-speech voice."""

    metadata: TtsModelMetadata


class ModelsResponse(TypedDict):
    """The speech-to-text models and the voices."""

    stt: List[SttModel]
    tts: List[TtsModel]


ModelResponse = Union[SttModel, TtsModel]


class GrantTokenResponse(TypedDict):
    """A short-lived access token; ``expires_in`` is in seconds."""

    access_token: str
    expires_in: float


class _DistributionCredentialsBase(TypedDict):
    distribution_credentials_id: str
    provider: str
    scopes: List[str]
    created: str


class DistributionCredentials(_DistributionCredentialsBase, total=False):
    """Credentials to pull the self-hosted images."""

    comment: str


class DistributionCredentialsResponse(TypedDict):
    """One set of distribution credentials and its owner."""

    member: Member
    distribution_credentials: DistributionCredentials


class DistributionCredentialsListResponse(TypedDict):
    """The distribution credentials of a project."""

    distribution_credentials: List[DistributionCredentialsResponse]


class AgentThinkModel(TypedDict):
    """A model an agent can think with."""

    id: str
    name: str
    provider: Any


class AgentThinkModelsResponse(TypedDict):
    """The models an agent can think with."""

    models: List[AgentThinkModel]


class _AgentConfigurationBase(TypedDict):
    agent_id: str
    config: Dict[str, Any]


class AgentConfiguration(_AgentConfigurationBase, total=False):
    """A saved agent configuration (the ``agent`` block of a Settings message)."""

    metadata: Dict[str, str]
    created_at: str
    updated_at: str


class AgentConfigurationsResponse(TypedDict):
    """The saved agent configurations of a project."""

    agents: List[AgentConfiguration]


class _AgentVariableBase(TypedDict):
    variable_id: str
    key: str
    value: Any


class AgentVariable(_AgentVariableBase, total=False):
    """A template variable of agent configurations."""

    created_at: str
    updated_at: str


class AgentVariablesResponse(TypedDict):
    """The agent variables of a project."""

    variables: List[AgentVariable]


# --------------------------------------------------------------------------------------------
# Voice agent conversations (the ``/v1/agent/converse`` websocket)
#
# The Settings message is what users write: every key is optional to the checker (Deepgram needs
# ``audio`` and ``agent``), and a provider is a plain dict, as its keys depend on its ``type``.


class AgentAudioInput(TypedDict, total=False):
    """The audio the client sends: ``encoding`` (``linear16`` unless told) and ``sample_rate`` in Hz."""

    encoding: str
    sample_rate: int


class AgentAudioOutput(TypedDict, total=False):
    """The audio the agent sends back: encoding, sample rate, bitrate and container."""

    encoding: str
    sample_rate: int
    bitrate: int
    container: str


class AgentAudioSettings(TypedDict, total=False):
    """The ``audio`` block of the Settings message."""

    input: AgentAudioInput
    output: AgentAudioOutput


class AgentFlags(TypedDict, total=False):
    """Switches of the conversation (``history``: send History messages, on by default)."""

    history: bool


class AgentHistoryText(TypedDict):
    """One statement of the conversation history."""

    type: Literal["History"]
    role: Literal["user", "assistant"]
    content: str


class _AgentHistoryFunctionCallBase(TypedDict):
    id: str
    name: str
    client_side: bool
    arguments: str
    response: str


class AgentHistoryFunctionCall(_AgentHistoryFunctionCallBase, total=False):
    """A function the agent called, with its arguments (JSON) and its response."""

    thought_signature: str


class AgentHistoryFunctionCalls(TypedDict):
    """The function calls of one step of the conversation history."""

    type: Literal["History"]
    function_calls: List[AgentHistoryFunctionCall]


AgentHistory = Union[AgentHistoryText, AgentHistoryFunctionCalls]


class AgentContext(TypedDict, total=False):
    """The conversation so far, to start from."""

    messages: List[AgentHistory]


class AgentListenSettings(TypedDict, total=False):
    """How the agent listens: ``provider`` is ``{"type": "deepgram", "model": ...}``."""

    provider: Dict[str, Any]


class AgentEndpoint(TypedDict, total=False):
    """A custom URL for a provider, and the headers to send it."""

    url: str
    headers: Dict[str, str]


class AgentFunctionEndpoint(TypedDict, total=False):
    """Where the server calls a function; without one, the client runs it."""

    url: str
    method: str
    headers: Dict[str, str]


class AgentFunction(TypedDict, total=False):
    """A function the agent may call: its ``parameters`` are a JSON Schema object."""

    name: str
    description: str
    parameters: Dict[str, Any]
    endpoint: AgentFunctionEndpoint
    client_side: bool


class AgentThinkSettings(TypedDict, total=False):
    """How the agent thinks: its language model ``provider``, prompt and functions."""

    provider: Dict[str, Any]
    endpoint: AgentEndpoint
    functions: List[AgentFunction]
    prompt: str
    context_length: Union[float, Literal["max"]]


class AgentSpeakSettings(TypedDict, total=False):
    """How the agent speaks: its text-to-speech ``provider``."""

    provider: Dict[str, Any]
    endpoint: AgentEndpoint


class AgentSettingsAgent(TypedDict, total=False):
    """The ``agent`` block of the Settings message; ``think`` and ``speak`` take one block or a list."""

    language: str
    context: AgentContext
    listen: AgentListenSettings
    think: Union[AgentThinkSettings, List[AgentThinkSettings]]
    speak: Union[AgentSpeakSettings, List[AgentSpeakSettings]]
    greeting: str


class AgentSettings(TypedDict, total=False):
    """The Settings message that opens a conversation (``agent`` may be a saved configuration's id)."""

    type: Literal["Settings"]
    audio: AgentAudioSettings
    agent: Union[AgentSettingsAgent, str]
    tags: List[str]
    experimental: bool
    mip_opt_out: bool
    flags: AgentFlags


class AgentWelcome(TypedDict):
    """The conversation is open (the first message of the server)."""

    type: Literal["Welcome"]
    request_id: str


class AgentSettingsApplied(TypedDict):
    """The Settings took effect."""

    type: Literal["SettingsApplied"]


class _AgentConversationTextBase(TypedDict):
    type: Literal["ConversationText"]
    role: Literal["user", "assistant"]
    content: str


class AgentConversationText(_AgentConversationTextBase, total=False):
    """What the user or the agent said, as text."""

    languages: List[str]
    languages_hinted: List[str]


class AgentUserStartedSpeaking(TypedDict):
    """The user began to speak (stop playing the agent's audio)."""

    type: Literal["UserStartedSpeaking"]


class AgentThinking(TypedDict):
    """The agent's reasoning, as text."""

    type: Literal["AgentThinking"]
    content: str


class _AgentFunctionCallBase(TypedDict):
    id: str
    name: str
    arguments: str
    client_side: bool


class AgentFunctionCall(_AgentFunctionCallBase, total=False):
    """One call the agent asks for: ``arguments`` is a JSON string; run it if ``client_side``."""

    thought_signature: str


class AgentFunctionCallRequest(TypedDict):
    """The agent calls functions; answer each client-side one with a FunctionCallResponse."""

    type: Literal["FunctionCallRequest"]
    functions: List[AgentFunctionCall]


class _AgentFunctionCallResponseBase(TypedDict):
    type: Literal["FunctionCallResponse"]
    name: str
    content: str


class AgentFunctionCallResponse(_AgentFunctionCallResponseBase, total=False):
    """A function's result: the client sends it for client-side calls, the server for its own."""

    id: str


class AgentStartedSpeaking(TypedDict):
    """The agent's reply begins; its latencies in seconds (total, text to speech, text to text)."""

    type: Literal["AgentStartedSpeaking"]
    total_latency: float
    tts_latency: float
    ttt_latency: float


class AgentAudioDone(TypedDict):
    """The agent has sent all the audio of its reply."""

    type: Literal["AgentAudioDone"]


class AgentPromptUpdated(TypedDict):
    """An UpdatePrompt took effect."""

    type: Literal["PromptUpdated"]


class AgentSpeakUpdated(TypedDict):
    """An UpdateSpeak took effect."""

    type: Literal["SpeakUpdated"]


class AgentListenUpdated(TypedDict):
    """An UpdateListen took effect."""

    type: Literal["ListenUpdated"]


class AgentThinkUpdated(TypedDict):
    """An UpdateThink took effect."""

    type: Literal["ThinkUpdated"]


class AgentInjectionRefused(TypedDict):
    """An injected message was not spoken, and why."""

    type: Literal["InjectionRefused"]
    message: str


class _AgentLatencyReportBase(TypedDict):
    type: Literal["LatencyReport"]


class AgentLatencyReport(_AgentLatencyReportBase, total=False):
    """The latencies of a reply in seconds: first tokens of the model, text to speech, end to end."""

    ttt_token_latency: float
    ttt_text_latency: float
    ttt_tool_latency: float
    ttt_thinking_latency: float
    tts_latency: float
    total_latency: float


class AgentError(TypedDict):
    """An error of the conversation; ``code`` names it."""

    type: Literal["Error"]
    description: str
    code: str


class AgentWarning(TypedDict):
    """A problem that did not end the conversation."""

    type: Literal["Warning"]
    description: str
    code: str


AgentMessage = Union[
    AgentWelcome, AgentSettingsApplied, AgentConversationText, AgentUserStartedSpeaking, AgentThinking,
    AgentFunctionCallRequest, AgentFunctionCallResponse, AgentStartedSpeaking, AgentAudioDone, AgentPromptUpdated,
    AgentSpeakUpdated, AgentListenUpdated, AgentThinkUpdated, AgentInjectionRefused, AgentLatencyReport,
    AgentHistoryText, AgentHistoryFunctionCalls, AgentError, AgentWarning,
]


__all__ = [
    "AgentAudioDone", "AgentAudioInput", "AgentAudioOutput", "AgentAudioSettings", "AgentConfiguration",
    "AgentConfigurationsResponse", "AgentContext", "AgentConversationText", "AgentEndpoint", "AgentError", "AgentFlags",
    "AgentFunction", "AgentFunctionCall", "AgentFunctionCallRequest", "AgentFunctionCallResponse",
    "AgentFunctionEndpoint", "AgentHistory", "AgentHistoryFunctionCall", "AgentHistoryFunctionCalls",
    "AgentHistoryText", "AgentInjectionRefused", "AgentLatencyReport", "AgentListenSettings", "AgentListenUpdated",
    "AgentMessage", "AgentPromptUpdated", "AgentSettings", "AgentSettingsAgent", "AgentSettingsApplied",
    "AgentSpeakSettings", "AgentSpeakUpdated", "AgentStartedSpeaking", "AgentThinkModel", "AgentThinkModelsResponse",
    "AgentThinkSettings", "AgentThinkUpdated", "AgentThinking", "AgentUserStartedSpeaking", "AgentVariable",
    "AgentVariablesResponse", "AgentWarning", "AgentWelcome", "Alternative", "AlternativeTopic", "AnalysisInfo",
    "AnalysisOptions", "ApiKey", "AudioResponse", "Balance", "BalancesResponse", "BillingBreakdownOptions",
    "BillingBreakdownResponse", "BillingBreakdownResult", "BillingFieldsResponse", "BillingGrouping",
    "CallbackResponse", "Channel", "ClientOptions", "CreateKeyResponse", "DateRangeOptions", "DeepgramResponse",
    "DistributionCredentials", "DistributionCredentialsListResponse", "DistributionCredentialsResponse", "Entity",
    "ErrorResponse", "FluxConfigure", "FluxConfigureFailure", "FluxConfigureSuccess", "FluxConnected", "FluxError",
    "FluxMessage", "FluxThresholds", "FluxTurnEvent", "FluxTurnInfo", "FluxWord", "GetKeyResponse",
    "GrantTokenResponse", "Hit", "IntentScore", "IntentSegment", "IntentsResult", "Invite", "InvitesResponse",
    "KeyItem", "KeyOwner", "KeysResponse", "ListenMetadata", "ListenResults", "ListenWarning", "LiveMessage",
    "LiveMetadataResponse", "LiveOptions", "LiveResultsMetadata", "LiveResultsResponse", "Member", "MembersResponse",
    "MessageResponse", "ModelInfo", "ModelResponse", "ModelsResponse", "Paragraph", "Paragraphs", "PrerecordedOptions",
    "PrerecordedResponse", "Project", "ProjectKey", "ProjectsResponse", "Purchase", "PurchasesResponse", "ReadMetadata",
    "ReadOptions", "ReadResponse", "ReadResults", "ReadSummary", "Reconnected", "Reconnecting", "Resolution",
    "ScopesResponse", "Search", "Sentence",
    "Sentiment", "SentimentSegment", "SentimentsResult", "SpeakCleared", "SpeakFlushed", "SpeakMessage",
    "SpeakMetadata", "SpeakOptions", "SpeakText", "SpeakToFileResult", "SpeakV2Connected", "SpeakV2ControlsApplied",
    "SpeakV2Error", "SpeakV2Flushed", "SpeakV2Message", "SpeakV2SessionMetadata", "SpeakV2SpeechMetadata",
    "SpeakV2SpeechStarted", "SpeakV2Warning", "SpeakWarning", "SpeechStartedResponse", "SttModel", "SummaryV1",
    "SummaryV2", "TextSegment", "TopicScore", "TopicSegment", "TopicsResult", "TranscriptionOptions", "Translation",
    "TtsModel", "TtsModelMetadata", "UsageBreakdownOptions", "UsageBreakdownResponse", "UsageBreakdownResult",
    "UsageFieldsResponse", "UsageGrouping", "UsageModel", "UsageOptions", "UsageRequest", "UsageRequestResponse",
    "UsageRequestsOptions", "UsageRequestsResponse", "UsageSummaryResponse", "UsageSummaryResult", "Utterance",
    "UtteranceEndResponse", "Word", "response_of",
]


def response_of(result: Mapping[str, Any]) -> DeepgramResponse:
    """The result itself, typed as what it is at run time: a dict that also carries ``status``,
    ``headers`` and ``request_id`` (a checker sees results as their TypedDicts, which cannot)."""
    if not isinstance(result, DeepgramResponse):
        raise TypeError(f"expected a result returned by the SDK, got {type(result).__name__}")
    return result
