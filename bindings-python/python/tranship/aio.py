"""tranship's registry client for asyncio.

:class:`Registry` takes the same arguments as :class:`tranship.Registry`
and has the same methods, as coroutines: await them, gather them, make
tasks of them, or hand one to :func:`asyncio.run`. The work runs on
tranship's own runtime threads, never on the event loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from tranship._native import AsyncRegistry

__all__ = ["Registry"]


class Registry:
    """A registry client whose methods are coroutines; see
    :class:`tranship.Registry` for the arguments and the methods."""

    __slots__ = ("_native",)

    def __init__(self, **settings: Any) -> None:
        self._native = AsyncRegistry(**settings)


def _coroutine(name: str) -> Callable[..., Coroutine[Any, Any, Any]]:
    """The coroutine method `name`: awaits the native method's future, which
    is made only then, on the running event loop."""

    @functools.wraps(getattr(AsyncRegistry, name))
    async def method(self: Registry, *args: Any, **kwargs: Any) -> Any:
        return await getattr(self._native, name)(*args, **kwargs)

    method.__qualname__ = f"Registry.{name}"
    return method


for _name in dir(AsyncRegistry):
    if not _name.startswith("_"):
        setattr(Registry, _name, _coroutine(_name))
