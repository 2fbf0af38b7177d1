"""Helpers shared by the test modules."""

import asyncio


def call(dg, mode, fn):
    """Run ``fn`` on the async client (inside ``asyncio.run``) or on its blocking twin ``dg.sync``."""
    if mode == "async":
        async def main():
            return await fn(dg)
        return asyncio.run(main())
    return fn(dg.sync)
