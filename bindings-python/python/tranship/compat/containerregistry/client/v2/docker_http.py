"""``containerregistry.client.v2.docker_http``: the same error types as ``v2_2.docker_http``."""

from tranship.compat.containerregistry.client.v2_2.docker_http import *  # noqa: F403
from tranship.compat.containerregistry.client.v2_2.docker_http import (
    BadStateException as BadStateException,
)
from tranship.compat.containerregistry.client.v2_2.docker_http import Diagnostic as Diagnostic
from tranship.compat.containerregistry.client.v2_2.docker_http import Scheme as Scheme
from tranship.compat.containerregistry.client.v2_2.docker_http import (
    TokenRefreshException as TokenRefreshException,
)
from tranship.compat.containerregistry.client.v2_2.docker_http import (
    V2DiagnosticException as V2DiagnosticException,
)
