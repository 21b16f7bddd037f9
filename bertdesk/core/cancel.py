"""Cooperative cancellation shared between a front end and long-running core work."""

from __future__ import annotations

import threading


class Cancelled(BaseException):
    """Raised inside long work when its token was cancelled.

    A BaseException, so that a library's ``except Exception`` cannot swallow it.
    """


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def check(token: CancelToken | None) -> None:
    if token is not None:
        token.raise_if_cancelled()
