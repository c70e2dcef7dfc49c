"""The nightly digest: brief an inbox of Arabic news, merge incidents across outlets, email the editors.

>>> from summarizer.digest import build_digest, send_digest                       # doctest: +SKIP
>>> digest = build_digest("/srv/inbox", since="24h")                              # doctest: +SKIP
>>> send_digest(digest, ["desk@example.org"]).describe()                          # doctest: +SKIP

``run_digest`` is the whole nightly job (retry the outbox, build, keep, record, send) under one lock;
the ``summarizer digest`` command is a thin layer over it. See ``docs/digest.md``.
"""

from __future__ import annotations

from summarizer.digest.build import Briefer, build_digest
from summarizer.digest.collect import Failure, InboxItem, Window, collect_inbox
from summarizer.digest.config import SmtpConfig
from summarizer.digest.deliver import (
    Delivery,
    DeliveryError,
    DigestBusyError,
    RunReport,
    TemporaryDeliveryError,
    retry_outbox,
    retry_pending,
    run_digest,
    send_digest,
)
from summarizer.digest.ledger import Ledger, LedgerError
from summarizer.digest.merge import Figure, Incident, MergeResult, StatementGroup, merge_incidents
from summarizer.digest.types import BriefedArticle, Digest, DigestStats

__all__ = [
    "BriefedArticle",
    "Briefer",
    "Delivery",
    "DeliveryError",
    "Digest",
    "DigestBusyError",
    "DigestStats",
    "Failure",
    "Figure",
    "InboxItem",
    "Incident",
    "Ledger",
    "LedgerError",
    "MergeResult",
    "RunReport",
    "SmtpConfig",
    "StatementGroup",
    "TemporaryDeliveryError",
    "Window",
    "build_digest",
    "collect_inbox",
    "merge_incidents",
    "retry_outbox",
    "retry_pending",
    "run_digest",
    "send_digest",
]
