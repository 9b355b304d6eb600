"""A TCP proxy whose connections a test can cut, to drop a broker connection mid-stream."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttableProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.cuts = 0
        self.replies = threading.Event()  # cleared: the target's bytes are held back
        self.replies.set()
        self._budget: int | None = None  # client bytes still let through before a cut
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink, outgoing in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pipe, args=(source, sink, outgoing), daemon=True
                ).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, outgoing: bool) -> None:
        try:
            while data := source.recv(65536):
                if outgoing:
                    with self.lock:
                        budget = self._budget
                        if budget is not None:
                            self._budget = budget - len(data)
                    if budget is not None and budget < len(data):
                        sink.sendall(data[: max(budget, 0)])
                        self.cut()
                        return
                else:
                    self.replies.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut_after(self, nbytes: int) -> None:
        """Let ``nbytes`` more bytes through to the target, then drop every connection."""
        with self.lock:
            self._budget = nbytes

    def cut(self) -> None:
        """Drop every open connection at once, as a broker restart does."""
        with self.lock:
            sockets, self.sockets = self.sockets, []
            self.cuts += 1
            self._budget = None
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass

    def close(self) -> None:
        self.replies.set()
        self.listener.close()
        self.cut()
