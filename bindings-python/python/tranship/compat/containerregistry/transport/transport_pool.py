"""``containerregistry.transport.transport_pool``: ``Http``, accepted and not used."""

from __future__ import annotations

from typing import Any


class Http:
    """Stands for a pool of ``size`` HTTP transports; ``transport_factory`` is never called.

    ``transport_pool.Http(httplib2.Http, size=8)`` keeps working without
    httplib2 installed as ``transport_pool.Http(None, size=8)``.
    """

    def __init__(self, transport_factory: Any = None, size: int = 2) -> None:
        self._transport_factory = transport_factory
        self._size = size

    def request(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("tranship makes the requests; this transport is not used")
