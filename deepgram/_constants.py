"""Constants shared by the legacy modules and the new core."""

DEFAULT_ENDPOINT = "https://api.deepgram.com/v1"
