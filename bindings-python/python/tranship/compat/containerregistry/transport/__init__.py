"""``containerregistry.transport``: accepted for callers that build transports.

tranship's client keeps its own connection pool and retries; the
transports made here are passed along and not used.
"""

from tranship.compat.containerregistry.transport import transport_pool as transport_pool

__all__ = ["transport_pool"]
