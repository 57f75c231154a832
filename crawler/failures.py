"""Name the reason a request failed, from the exception Scrapy hands to an errback."""

from __future__ import annotations

from scrapy import exceptions as sx
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

try:  # Twisted's TLS errors need pyOpenSSL, which may be absent
    from OpenSSL.SSL import Error as TLSError
except ImportError:  # pragma: no cover
    TLSError = ()  # type: ignore[assignment,misc]
try:
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived
except ImportError:  # pragma: no cover
    ResponseFailed = ResponseNeverReceived = ()  # type: ignore[assignment,misc]


def _scrapy(*names: str) -> tuple[type[BaseException], ...]:
    """Scrapy's download exceptions that exist in the installed version (added in 2.13+)."""
    return tuple(getattr(sx, n) for n in names if hasattr(sx, n))


def _exc_name(failure: Failure) -> str:
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"[:300]


def classify(failure: Failure) -> tuple[str, str]:
    """(kind, reason) for a failed request; kinds are those of `crawler.report`."""
    value = failure.value
    if failure.check(HttpError):
        status = value.response.status
        return ("http_5xx" if status >= 500 else "http_4xx"), f"HTTP {status}"
    if failure.check(sx.IgnoreRequest):
        message = str(value)
        lowered = message.lower()
        if "robots.txt" in lowered:
            return "skip:robots", "forbidden by robots.txt"
        if "offsite" in lowered:
            return "skip:offsite", message
        if "already fetched" in lowered:  # a request of an interrupted crawl, done by then
            return "skip:unchanged", message
        if "redirection" in lowered or "redirect" in lowered:
            return "redirect_loop", "too many redirections (a redirect loop?)"
        return "other", message or "request ignored"
    if failure.check(*_scrapy("DownloadTimeoutError"), tx_error.TimeoutError,
                     tx_error.TCPTimedOutError):
        return "timeout", "the server did not answer in time"
    if failure.check(*_scrapy("CannotResolveHostError"), tx_error.DNSLookupError):
        return "dns", f"host not found ({failure.getErrorMessage()[:120]})"
    if failure.check(*_scrapy("DownloadCancelledError"), defer.CancelledError):
        message = str(value)
        # Announced too big ("max size" in the message), or found too big while streaming
        # (Scrapy cancels the download with no message).
        if "max size" in message or not message:
            return "oversized", "page larger than the maximum page size"
        return "other", _exc_name(failure)
    if failure.check(*_scrapy("ResponseDataLossError")):
        return "truncated", "the body is shorter than announced (truncated)"
    if failure.check(*_scrapy("DownloadConnectionRefusedError"), tx_error.ConnectionRefusedError,
                     tx_error.ConnectError, tx_error.ConnectionLost, ResponseNeverReceived):
        return "connection", _exc_name(failure)
    if failure.check(*_scrapy("DownloadFailedError"), ResponseFailed):
        text = repr(value) + failure.getErrorMessage()
        if "DataLoss" in text or "PotentialDataLoss" in text:
            return "truncated", "the body is shorter than announced (truncated)"
        if "max size" in text or "Cancelled" in text:
            return "oversized", "page larger than the maximum page size"
        return "connection", _exc_name(failure)
    if TLSError and failure.check(TLSError):
        return "tls", _exc_name(failure)
    if failure.check(tx_error.ConnectionDone, tx_error.ConnectionAborted):
        return "connection", _exc_name(failure)
    return "other", _exc_name(failure)
