"""Load the SDK's pytest plugin: fixtures `dg` and `deepgram_fake`, option `--api-key`."""

pytest_plugins = ["deepgram.testing.pytest_plugin"]
