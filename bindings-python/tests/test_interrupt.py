"""Ctrl-C stops a blocking registry call.

A child process makes a `tranship.Registry` call to a server that accepts
connections and never answers, so the call would wait for ever; the test
sends it SIGINT and expects `KeyboardInterrupt` from the call, soon.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap
import time


def test_ctrl_c_stops_a_blocking_call() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        host = f"127.0.0.1:{server.getsockname()[1]}"
        code = textwrap.dedent(f"""
            import sys
            import tranship

            print("calling", flush=True)
            try:
                tranship.Registry(insecure=["{host}"]).tags("{host}/silent")
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                sys.exit(0)
            sys.exit("the call returned")
        """)
        child = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "calling\n"
            time.sleep(0.5)
            child.send_signal(signal.SIGINT)
            started = time.monotonic()
            out, _ = child.communicate(timeout=10)
            assert out == "interrupted\n"
            assert child.returncode == 0
            assert time.monotonic() - started < 2
        finally:
            child.kill()
            child.wait()
