"""The writer lock held in the Chroma server (vectorstore/server_lock.py), on an in-memory
client: one holder at a time, named when busy, released after use, and taken over when the
holder's lease ran out or its process on this machine is gone."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from vectorstore.chroma_client import make_client
from vectorstore.server_lock import lock_name, server_writer_lock
from vectorstore.writer_lock import IndexBusyError

pytestmark = pytest.mark.unit


@pytest.fixture
def client():
    c = make_client(in_memory=True)
    yield c
    for col in c.list_collections():
        c.delete_collection(col.name)


def test_a_second_writer_is_refused_naming_the_holder_and_may_write_afterwards(client):
    with server_writer_lock(client, "idx", "ingest"):
        with pytest.raises(IndexBusyError) as info, server_writer_lock(client, "idx", "remove"):
            pass
        msg = str(info.value)
        assert socket.gethostname() in msg and "ingest" in msg and "proces" in msg
    with server_writer_lock(client, "idx", "remove"):  # released
        pass
    assert lock_name("idx") not in [c.name for c in client.list_collections()]


def _plant(client, **holder) -> None:
    client.create_collection(lock_name("idx"), metadata=holder, embedding_function=None)


def test_an_expired_lease_is_taken_over(client):
    _plant(client, host="elders", pid=1, what="ingest", since="gisteren", token="x",
           expires=time.time() - 1)
    with server_writer_lock(client, "idx", "ingest"):
        assert client.get_collection(lock_name("idx")).metadata["host"] == socket.gethostname()


def test_a_live_lease_elsewhere_holds(client):
    _plant(client, host="elders", pid=1, what="ingest", since="nu", token="x",
           expires=time.time() + 60)
    with pytest.raises(IndexBusyError, match="elders"), server_writer_lock(client, "idx", "x"):
        pass
    assert client.get_collection(lock_name("idx")).metadata["token"] == "x"  # left alone


def test_a_dead_holder_on_this_machine_is_taken_over_at_once(client):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    _plant(client, host=socket.gethostname(), pid=int(dead.stdout), what="ingest",
           since="nu", token="x", expires=time.time() + 60)
    with server_writer_lock(client, "idx", "ingest"):
        pass


def test_the_holder_renews_its_lease_while_it_writes(client):
    with server_writer_lock(client, "idx", "ingest", lease=0.4):
        first = client.get_collection(lock_name("idx")).metadata["expires"]
        time.sleep(0.5)
        later = client.get_collection(lock_name("idx")).metadata["expires"]
        assert later > first and later > time.time()  # still held past the first lease
