"""What a notebook must not leave running: child processes, listening sockets, temporary files.

notebooks/build.py takes a snapshot of the kernel before the first cell and after
the last, and fails the notebook for anything new: a server a notebook started
and forgot would otherwise keep its port, and the next notebook (or the
learner's next run) would meet it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Snapshot:
    children: frozenset[str]  # "pid name" of every process under the kernel
    listening: frozenset[str]  # "ip:port" of every socket the kernel listens on
    files: frozenset[str]  # names in the notebook's temporary folder


def snapshot(kernel, scratch: Path) -> Snapshot:
    """What the kernel process has open right now, seen from outside it (psutil)."""
    import psutil

    children = set()
    for child in kernel.children(recursive=True):
        try:
            children.add(f"{child.pid} {child.name()}")
        except psutil.NoSuchProcess:  # ended while we looked: not a leftover
            pass
    listening = {f"{c.laddr.ip}:{c.laddr.port}" for c in kernel.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    files = {path.name for path in scratch.iterdir()}
    return Snapshot(frozenset(children), frozenset(listening), frozenset(files))


def leftovers(before: Snapshot, after: Snapshot) -> list[str]:
    """Everything in ``after`` that was not in ``before``, one line each."""
    found = [f"process {name}" for name in sorted(after.children - before.children)]
    found += [f"listening socket {address}"
              for address in sorted(after.listening - before.listening)]
    found += [f"temporary file {name}" for name in sorted(after.files - before.files)]
    return found
