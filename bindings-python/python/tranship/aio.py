"""tranship's registry client for asyncio.

:class:`Registry` takes the same arguments as :class:`tranship.Registry`
and has the same methods, each returning an asyncio future (an awaitable)
of the running event loop: call them from a coroutine. The work runs on
tranship's own runtime threads, never on the event loop.
"""

from tranship._native import AsyncRegistry as Registry

__all__ = ["Registry"]
