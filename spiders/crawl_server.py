"""The crawl fork server: imports Scrapy once, then forks a fresh process for each crawl.

    python -m minwatch.spiders.crawl_server CONTROL_FD

`spiders.runner` starts it and talks to it over CONTROL_FD, a SOCK_SEQPACKET Unix socket. A
request is one message: JSON `{"argv", "env", "cwd"}` (the arguments of `python -m
spiders.crawl`, the environment and working directory the crawl runs with) carrying two file
descriptors: a status socket and the write end of the crawl's output pipe. The server forks;
the child writes "pid N", then "exit N", each a line of the status socket, and
its stdout and stderr go to the pipe. The server never waits for a crawl and exits when the
control socket closes, so it dies with the process that started it.

Why not multiprocessing's forkserver: each of its children imports the parent's `__main__`
again, and a script that calls the nightly flow without an `if __name__ == "__main__"` guard
would run the night once more in every crawl.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

MAX_REQUEST_BYTES = 1 << 20


def _run_crawl(request: dict[str, Any], status: socket.socket, output_fd: int) -> int:
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    status.sendall(f"pid {os.getpid()}\n".encode())
    # The crawl gets the environment and directory of the request, not the server's.
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    from minwatch.spiders import crawl

    try:
        return crawl.main(request["argv"])
    except SystemExit as exc:  # argparse's exit on bad arguments, as `python -m` would end
        if isinstance(exc.code, int):
            return exc.code
        if exc.code is not None:
            print(exc.code, file=sys.stderr)
            return 1
        return 0


def _child(payload: bytes, status_fd: int, output_fd: int) -> None:
    """The crawl process: never returns."""
    code = 1
    status = socket.socket(fileno=status_fd)
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        code = _run_crawl(json.loads(payload), status, output_fd)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        with contextlib.suppress(OSError):
            status.sendall(f"exit {code}\n".encode())
        os._exit(code)


def serve(control: socket.socket) -> None:
    # Crawls are reaped by the kernel: their status reaches the client from the crawl itself.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        try:
            payload, fds, _flags, _address = socket.recv_fds(control, MAX_REQUEST_BYTES, 2)
        except (ConnectionResetError, InterruptedError):
            return
        if not payload:  # the client is gone
            for fd in fds:
                os.close(fd)
            return
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            continue
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                _child(payload, fds[0], fds[1])
            finally:
                os._exit(1)  # a crawl process never goes back to serving
        for fd in fds:
            os.close(fd)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[0]))
    # A Ctrl-C in the terminal reaches the whole process group; the crawls stop on their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import minwatch.spiders.preload  # noqa: F401  # the imports every crawl would otherwise repeat

    serve(control)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
