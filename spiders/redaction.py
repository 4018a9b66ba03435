"""Keep secrets out of the crawl log: a logging filter installed everywhere a record can pass."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from minwatch.spiders.urls import redact_text


class SecretRedactingFilter(logging.Filter):
    """Rewrites a log record so neither its message nor its traceback shows a secret."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_minwatch_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = redact_text(message, self.secrets)
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_text(text, self.secrets)
            # The formatter prefers exc_text; dropping exc_info keeps it from re-rendering.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, self.secrets)
        record._minwatch_redacted = True
        return True


def install_redaction(secrets: Iterable[str]) -> SecretRedactingFilter:
    """Attach the filter to the root logger, each of its handlers and every record created.

    Logger filters only see records logged on that very logger, not ones propagated from
    `scrapy.*` children, so the handlers and the record factory carry it too. Call it again
    after Scrapy (re)installs its root handler.
    """
    redactor = SecretRedactingFilter(secrets)
    root = logging.getLogger()
    for existing in list(root.filters):
        if isinstance(existing, SecretRedactingFilter):
            root.removeFilter(existing)
    root.addFilter(redactor)
    for handler in root.handlers:
        for existing in list(handler.filters):
            if isinstance(existing, SecretRedactingFilter):
                handler.removeFilter(existing)
        handler.addFilter(redactor)
    base_factory = logging.getLogRecordFactory()
    original = getattr(base_factory, "_minwatch_original", base_factory)

    def redacting_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = original(*args, **kwargs)
        redactor.filter(record)
        return record

    redacting_factory._minwatch_original = original  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)
    return redactor
