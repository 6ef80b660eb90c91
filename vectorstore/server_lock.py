"""One writer per index across machines: a lease held in the Chroma server itself.

`writer_lock.py`'s `flock` guards one machine. Writers on several machines that share one
`chroma run` server coordinate here instead: the lock is a collection named `<name>_schrijver`
whose creation is atomic on the server (a name exists once), and whose metadata names the
holder (host, process id, command, since when) and when its lease ends. The holder renews
the lease from a background thread while it writes; a holder that died stops renewing, and
its lock is taken over once the lease has run out (at once when it ran on this machine and
its process is gone).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from vectorstore.writer_lock import IndexBusyError

LEASE_SECONDS = 120.0


def lock_name(collection: str) -> str:
    return f"{collection}_schrijver"


@contextmanager
def server_writer_lock(client, collection: str, what: str, lease: float = LEASE_SECONDS,
                       clock: Callable[[], float] = time.time) -> Iterator[None]:
    """Hold the index's writer lock on the Chroma server (`client`) while the block runs;
    IndexBusyError naming the holder when another writer has it."""
    token = uuid.uuid4().hex
    holder = {"host": socket.gethostname(), "pid": os.getpid(), "what": what,
              "since": time.strftime("%Y-%m-%d %H:%M:%S"), "token": token}
    name = lock_name(collection)
    _acquire(client, name, holder, lease, clock)
    stop = threading.Event()
    renewer = threading.Thread(target=_renew, args=(client, name, holder, lease, clock, stop),
                               daemon=True, name="vraagbaak-lease")
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        with suppress(Exception):  # gone or taken over: nothing of ours to release
            if _holder(client, name).get("token") == token:
                client.delete_collection(name)


def _acquire(client, name: str, holder: dict, lease: float, clock) -> None:
    for _ in range(2):  # the second try after removing a stale lock
        try:
            client.create_collection(name, metadata={**holder, "expires": clock() + lease},
                                     embedding_function=None)
            return
        except Exception as exc:  # chromadb raises several types for "already exists"
            current = _holder(client, name)
            if not current:  # it was released meanwhile, or the create failed otherwise
                if "exist" not in str(exc).lower():
                    raise
                continue
            if not stale(current, clock()):
                raise IndexBusyError(busy_message(current)) from None
            with suppress(Exception):
                client.delete_collection(name)
    raise IndexBusyError(busy_message(_holder(client, name)))


def _renew(client, name: str, holder: dict, lease: float, clock, stop: threading.Event) -> None:
    while not stop.wait(lease / 4):
        with suppress(Exception):  # a server hiccup: the next round tries again
            col = client.get_collection(name)
            if (col.metadata or {}).get("token") != holder["token"]:
                return  # taken over (we stalled past the lease): do not fight for it
            col.modify(metadata={**holder, "expires": clock() + lease})


def _holder(client, name: str) -> dict:
    try:
        return dict(client.get_collection(name).metadata or {})
    except Exception:
        return {}


def stale(holder: dict, now: float) -> bool:
    """The holder's lease ran out, or it ran on this machine and its process is gone."""
    if float(holder.get("expires", 0)) < now:
        return True
    if holder.get("host") == socket.gethostname():
        try:
            os.kill(int(holder.get("pid", 0)), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError, OverflowError):
            return False
    return False


def busy_message(holder: dict) -> str:
    who = (f"proces {holder.get('pid', '?')} op {holder.get('host', '?')} "
           f"({holder.get('what', '?')}, sinds {holder.get('since', '?')})") if holder else (
        "een ander proces")
    return (f"De index op de Chroma-server wordt al bijgewerkt door {who}. Wacht tot dat klaar "
            "is en probeer het dan opnieuw. (Another process is writing to this index.)")
