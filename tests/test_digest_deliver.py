"""Delivery against a real SMTP server on 127.0.0.1 (aiosmtpd, AUTH required): sending, the ledger, the
outbox and its retries, temporary and permanent failures, the lock, dry runs, TLS, and the CLI.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import filelock
import pytest
from _digest_support import (
    CORPUS_000,
    CORPUS_002,
    CORPUS_004,
    PASSWORD,
    FixtureBriefer,
    SmtpServer,
    attachment,
    digest_env,
    free_port,
    load_brief,
    make_inbox,
    parse_email,
    parts,
    run_smtp_server,
    self_signed_cert,
    simple_brief,
    smtp_server,
)
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.digest import DigestBusyError, Ledger, RunReport, run_digest
from summarizer.digest.collect import dedupe_key
from summarizer.digest.config import SmtpConfig
from summarizer.digest.deliver import check_smtp
from summarizer.errors import BackendError, BriefError, ConfigError
from summarizer.inputs import Article, read_article

__all__ = ["digest_env", "self_signed_cert", "smtp_server"]  # fixtures used by name below

EDITORS = ["desk@newsroom.test", "night-editor@newsroom.test"]
#: aiosmtpd warns that AUTH without TLS is unsafe: here it is on loopback, on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def state(digest_env: Path) -> dict[str, Path]:
    return {"ledger": digest_env / "state" / "ledger.sqlite3", "outbox": digest_env / "state" / "outbox"}


def run(
    inbox: Path, server: SmtpServer, state: dict[str, Path], briefer: Any = None, **kwargs: Any
) -> RunReport:
    kwargs.setdefault("to", EDITORS)
    return run_digest(
        inbox,
        briefer=briefer or FixtureBriefer(),
        smtp=kwargs.pop("smtp", None) or server.config(),
        ledger=state["ledger"],
        outbox=state["outbox"],
        **kwargs,
    )


class _Text(HTMLParser):
    """The visible text of an HTML document, and the rows of its incidents table."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.incident_rows = 0
        self._in_incidents = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "incidents") in attrs:
            self._in_incidents = True
        if self._in_incidents and tag == "tr" and ("class", "incident") in attrs:
            self.incident_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_incidents = False

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def html_text(document: str) -> _Text:
    parser = _Text()
    parser.feed(document)
    return parser


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def inbox(tmp_path: Path, corpus: Path) -> Path:
    return make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002], mtime=dt.datetime.now(dt.timezone.utc))


def outbox_files(state: dict[str, Path]) -> list[Path]:
    return sorted(state["outbox"].glob("*.eml")) if state["outbox"].exists() else []


# --- sending ------------------------------------------------------------------------------------------


def test_the_digest_arrives_with_both_parts_and_the_same_content(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    report = run(inbox, smtp_server, state)

    assert report.exit_code == 0, report.delivery and report.delivery.describe()
    assert report.delivery is not None and report.delivery.status == "sent"
    [received] = smtp_server.handler.messages
    assert received.authenticated is True
    assert received.mail_from == "digest@newsroom.test"
    assert sorted(received.rcpt_tos) == sorted(EDITORS)
    message = received.message
    today = dt.date.today().isoformat()
    assert message["Subject"] == f"News digest {today}: 2 articles, 3 incidents"
    assert message["X-Summarizer-Digest"] == report.delivery.digest_id
    assert message["Message-ID"] and message["Auto-Submitted"] == "auto-generated"
    text, page = parts(message)

    assert "<script" not in page.lower() and "<style" not in page.lower()
    assert page.count('dir="rtl" lang="ar"') >= 10
    parsed = html_text(page)
    assert parsed.incident_rows == 3
    assert page.index('id="incidents"') < page.index("Articles")  # the incidents table comes first
    # the same content in both parts: figures with attribution, both languages, every evidence quote
    must = [
        "11 killed, SOHR via AFP, Independent Arabia",
        "14 killed, Independent Arabia",
        "1 killed and 6 injured, Pentagon via Independent Arabia, AFP",
    ]
    in_full = []  # the whole briefs are in the attached page
    for stem in (CORPUS_000, CORPUS_002):
        brief = load_brief(stem)
        must += [brief.summary.en.headline or ""]
        must += [q for e in brief.events if e.event_type != "statement" for q in e.evidence]
        in_full += [brief.summary.ar.headline, brief.summary.ar.key_points[0].text, brief.summary.en.text]
    for snippet in must:
        assert squash(snippet) in squash(text), snippet
        assert squash(snippet) in parsed.text, snippet
    name, attached = attachment(message)
    assert name == f"digest-{today}.html"
    full_text = html_text(attached).text
    for snippet in must + in_full:
        assert squash(snippet) in full_text, snippet

    with Ledger(state["ledger"]) as book:
        [record] = book.history()
        assert (record.status, record.recipients, record.pending_to) == ("sent", EDITORS, [])
        assert {a.article_id for a in book.articles(record.id)} == {
            load_brief(CORPUS_000).article.id,
            load_brief(CORPUS_002).article.id,
        }
    assert outbox_files(state) == []


def test_a_rerun_the_same_day_sends_nothing_twice(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    first = run(inbox, smtp_server, state)
    briefer = FixtureBriefer()
    second = run(inbox, smtp_server, state, briefer=briefer)
    assert first.exit_code == second.exit_code == 0
    assert len(smtp_server.handler.messages) == 1
    assert second.digest is not None and second.digest.empty and second.delivery is None
    assert second.digest.stats.already_sent == 2
    assert briefer.calls == []  # nothing is briefed again either


def test_an_article_that_arrives_late_goes_into_the_next_digest(
    tmp_path: Path, corpus: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000], mtime=now)
    run(inbox, smtp_server, state)
    make_inbox(tmp_path, corpus, [CORPUS_002], mtime=now)  # arrives after the first digest went out
    report = run(inbox, smtp_server, state)
    assert report.exit_code == 0
    assert len(smtp_server.handler.messages) == 2
    text, _ = parts(smtp_server.handler.messages[1].message)
    assert squash(load_brief(CORPUS_002).summary.en.headline or "") in squash(text)
    assert squash(load_brief(CORPUS_000).summary.en.headline or "") not in squash(text)
    assert "1 article" in smtp_server.handler.messages[1].message["Subject"]


def test_a_feed_entry_dated_before_the_window_but_never_sent_is_taken_as_late(
    tmp_path: Path, corpus: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=30)
    body = "".join(
        f"<p>{html.escape(p)}</p>" for p in (corpus / f"{CORPUS_002}.txt").read_text().split("\n") if p
    )
    (inbox / "wire.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>AFP</title>'
        f"<item><title>غارات</title><link>https://afp.example/1</link>"
        f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        f"<description>{html.escape(body)}</description></item></channel></rss>",
        encoding="utf-8",
    )
    report = run(inbox, smtp_server, state, briefer=FixtureBriefer(extra={"wire": load_brief(CORPUS_002)}))
    assert report.digest is not None and report.digest.stats.late == 1
    text, page = parts(smtp_server.handler.messages[0].message)
    assert "arrived late" in text and "arrived late" in page


def test_untrusted_content_is_escaped_in_the_html_part(
    tmp_path: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    arabic = "قالت مصادر محلية إن انفجاراً قوياً هز المنطقة صباح اليوم وسط معلومات عن إصابات. " * 3
    # entity-encoded in the page, so the article's text really contains the tag
    (inbox / "hostile.html").write_text(
        f"<html><body><article><p>{arabic}</p><p>&lt;script&gt;alert(1)&lt;/script&gt; {arabic}</p>"
        "</article></body></html>",
        encoding="utf-8",
    )

    def briefer(article: Article) -> Any:
        assert "<script>alert(1)</script>" in article.text
        quote = next(s for s in article.sentences() if "<script>" in s)
        event = load_brief(CORPUS_002).events[0].model_copy(update={"evidence": [quote]})
        brief = simple_brief(
            article,
            headline="Blast <script>alert(1)</script> reported",
            source='Evil "outlet" <b>&',
            events=[event.model_dump()],
        )
        hostile = {"title": "<script>alert(1)</script> title", "url": "javascript:alert(1)"}
        return brief.model_copy(update={"article": brief.article.model_copy(update=hostile)})

    report = run(inbox, smtp_server, state, briefer=briefer)
    assert report.exit_code == 0
    text, page = parts(smtp_server.handler.messages[0].message)
    assert "<script" not in page.lower()
    assert "javascript:" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # headline, evidence quote
    assert "Evil &#34;outlet&#34; &lt;b&gt;&amp;" in page
    assert "Blast <script>alert(1)</script> reported" in squash(text)  # plain text needs no escaping
    _, attached = attachment(smtp_server.handler.messages[0].message)
    assert "<script" not in attached.lower() and "javascript:" not in attached
    assert attached.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # headline, title, evidence quote


def test_an_article_that_fails_is_listed_and_the_digest_still_goes_out(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    (inbox / "english.txt").write_text("An English wire story with no Arabic in it at all.", encoding="utf-8")
    briefer = FixtureBriefer(fail={CORPUS_002: BriefError("the model never produced valid events")})
    report = run(inbox, smtp_server, state, briefer=briefer)
    assert report.exit_code == 0
    text, page = parts(smtp_server.handler.messages[0].message)
    for part in (text, page):
        assert "Could not be processed".lower() in part.lower()
        assert "english.txt" in part and "no Arabic text found" in part
        assert f"{CORPUS_002}.txt" in part and "the model never produced valid events" in part
    assert report.digest is not None and report.digest.stats.failures == 2
    # only the briefed article was recorded as sent: the failed one is tried again next time
    with Ledger(state["ledger"]) as book:
        assert not book.taken(dedupe_key(read_article(inbox / f"{CORPUS_002}.txt").text))
        assert book.taken(dedupe_key(read_article(inbox / f"{CORPUS_000}.txt").text))
        sent = {a.origin for a in book.articles(book.history()[0].id)}
    assert sent == {str(inbox / f"{CORPUS_000}.txt")}


# --- failures and the outbox --------------------------------------------------------------------------


def test_a_temporary_failure_keeps_the_digest_and_the_next_run_retries_it_first(
    inbox: Path, corpus: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    smtp_server.handler.data_reply = "451 4.3.0 Mailbox busy, try again later"
    first = run(inbox, smtp_server, state)
    assert first.exit_code == 75
    assert first.delivery is not None and first.delivery.status == "pending"
    assert "451" in (first.delivery.error or "")
    [kept] = outbox_files(state)
    kept_bytes = kept.read_bytes()
    assert smtp_server.handler.messages == []

    make_inbox(inbox.parent, corpus, [CORPUS_004], mtime=dt.datetime.now(dt.timezone.utc))  # a new article
    smtp_server.handler.data_reply = None
    second = run(inbox, smtp_server, state)
    assert second.exit_code == 0
    assert [d.status for d in second.retried] == ["sent"]
    retried, new = smtp_server.handler.messages
    assert retried.data.rstrip(b"\r\n") == kept_bytes.rstrip(b"\r\n")  # the very same message
    assert retried.message["Message-ID"] == parse_email(kept_bytes)["Message-ID"]
    new_text, _ = parts(new.message)
    assert squash(load_brief(CORPUS_004).summary.en.headline or "") in squash(new_text)
    assert squash(load_brief(CORPUS_000).summary.en.headline or "") not in squash(new_text)  # not repeated
    assert outbox_files(state) == []
    with Ledger(state["ledger"]) as book:
        assert [r.status for r in book.history()] == ["sent", "sent"]
        kept_record = book.get(first.delivery.digest_id)
        assert kept_record is not None and kept_record.attempts == 2


def test_a_server_that_is_down_keeps_the_digest_until_it_is_back(inbox: Path, state: dict[str, Path]) -> None:
    port = free_port()  # nothing listens there yet
    down = SmtpServer("127.0.0.1", port, handler=None)  # type: ignore[arg-type]
    first = run(inbox, down, state)
    assert first.exit_code == 75
    assert first.delivery is not None and first.delivery.unreachable
    assert "cannot reach the mail server 127.0.0.1" in (first.delivery.error or "")
    assert len(outbox_files(state)) == 1

    with run_smtp_server(port=port) as server:
        second = run(inbox, server, state)
        assert second.exit_code == 0
        assert [d.status for d in second.retried] == ["sent"]
        assert second.delivery is None  # nothing new: the articles were already in the kept digest
        assert len(server.handler.messages) == 1
    assert outbox_files(state) == []


def test_a_permanent_failure_is_reported_and_releases_the_articles(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    smtp_server.handler.data_reply = "550 5.7.1 Message rejected by policy"
    first = run(inbox, smtp_server, state)
    assert first.exit_code == 6
    assert first.delivery is not None and first.delivery.status == "failed"
    assert "550 5.7.1 Message rejected by policy" in first.delivery.describe()
    assert first.delivery.eml_path is not None and first.delivery.eml_path.parent.name == "failed"
    assert first.delivery.eml_path.is_file() and outbox_files(state) == []

    smtp_server.handler.data_reply = None  # the cause is fixed
    second = run(inbox, smtp_server, state)
    assert second.exit_code == 0 and second.retried == []  # a failed digest is not retried...
    assert second.digest is not None and second.digest.stats.articles == 2  # ...its articles go out again
    assert len(smtp_server.handler.messages) == 1


def test_recipients_refused_for_now_are_retried_alone_and_the_others_never_twice(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    smtp_server.handler.rcpt_replies = {
        "busy@newsroom.test": "450 4.2.1 Mailbox busy",
        "gone@newsroom.test": "550 5.1.1 No such user",
    }
    to = ["desk@newsroom.test", "busy@newsroom.test", "gone@newsroom.test"]
    first = run(inbox, smtp_server, state, to=to)
    assert first.delivery is not None
    assert (first.delivery.status, first.delivery.delivered, first.delivery.pending) == (
        "pending",
        ["desk@newsroom.test"],
        ["busy@newsroom.test"],
    )
    assert "550 5.1.1" in first.delivery.refused["gone@newsroom.test"]
    assert first.exit_code == 6  # a permanent refusal is reported as such

    smtp_server.handler.rcpt_replies = {}
    second = run(inbox, smtp_server, state, to=to)
    assert [m.rcpt_tos for m in smtp_server.handler.messages] == [
        ["desk@newsroom.test"],
        ["busy@newsroom.test"],
    ]
    assert [d.status for d in second.retried] == ["sent"]


def test_a_wrong_password_is_a_clear_permanent_failure_that_never_shows_the_password(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    report = run(inbox, smtp_server, state, smtp=smtp_server.config(password="not-the-password-123"))
    assert report.exit_code == 6
    assert report.delivery is not None
    line = report.delivery.describe()
    assert "login as editor-bot at 127.0.0.1" in line and "535" in line
    assert "not-the-password-123" not in line and PASSWORD not in line
    eml = report.delivery.eml_path
    assert eml is not None and b"not-the-password" not in eml.read_bytes()
    assert b"not-the-password" not in state["ledger"].read_bytes()
    assert "password" not in repr(smtp_server.config()).lower().replace("password=", "")
    assert PASSWORD not in repr(smtp_server.config())


def test_two_runs_never_overlap(inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]) -> None:
    state["ledger"].parent.mkdir(parents=True, exist_ok=True)
    with (
        filelock.FileLock(str(state["ledger"]) + ".lock"),
        pytest.raises(DigestBusyError, match="in progress"),
    ):
        run(inbox, smtp_server, state)
    assert smtp_server.handler.messages == []


def test_starttls_and_implicit_tls_with_the_servers_ca(
    inbox: Path, corpus: Path, self_signed_cert: tuple[str, str], state: dict[str, Path]
) -> None:
    with run_smtp_server(tls="starttls", cert=self_signed_cert) as server:
        report = run(inbox, server, state)
        assert report.exit_code == 0 and len(server.handler.messages) == 1
    make_inbox(inbox.parent, corpus, [CORPUS_004], mtime=dt.datetime.now(dt.timezone.utc))
    with run_smtp_server(tls="ssl", cert=self_signed_cert) as server:
        untrusted = run(inbox, server, state, smtp=server.config(ca_file=None))
        assert untrusted.exit_code == 6
        assert untrusted.delivery is not None and "certificate did not verify" in (
            untrusted.delivery.error or ""
        )
        report = run(inbox, server, state)
        assert report.exit_code == 0 and len(server.handler.messages) == 1


def test_a_password_is_never_sent_in_clear_text_beyond_this_machine() -> None:
    check_smtp(SmtpConfig(host="127.0.0.1", tls="none", username="u", password="p"))
    with pytest.raises(ConfigError, match="unencrypted"):
        check_smtp(SmtpConfig(host="mail.example.org", tls="none", username="u", password="p"))


def test_smtp_settings_resolve_from_the_environment(
    digest_env: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    smtp_server.env(monkeypatch)
    config = SmtpConfig.resolve()
    assert (config.host, config.port, config.tls, config.username, config.password, config.sender) == (
        "127.0.0.1",
        smtp_server.port,
        "none",
        "editor-bot",
        PASSWORD,
        "digest@newsroom.test",
    )
    monkeypatch.setenv("SUMMARIZER_SMTP_TLS", "tls13")
    with pytest.raises(ConfigError, match="starttls, ssl, none"):
        SmtpConfig.resolve()
    for name in ("SUMMARIZER_SMTP_HOST", "SUMMARIZER_SMTP_PORT", "SUMMARIZER_SMTP_FROM"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_SMTP_TLS", "ssl")
    (digest_env / "digest.toml").write_text('[smtp]\nhost = "smtp.example.org"\nfrom = "d@example.org"\n')
    config = SmtpConfig.resolve()
    assert (config.host, config.port, config.tls) == ("smtp.example.org", 465, "ssl")


# --- the real API path and its cache -----------------------------------------------------------------


def test_briefs_go_through_the_cache_so_a_rerun_costs_no_llm_call(
    inbox: Path, monkeypatch: pytest.MonkeyPatch, state: dict[str, Path]
) -> None:
    """No briefer given: summarizer.api.summarize_many and its cache do the work (the model is stubbed)."""
    import summarizer.api as api
    from summarizer.digest import build_digest

    calls: list[str] = []

    def fake_brief_article(article: Article, backend: Any, options: Any) -> Any:
        calls.append(article.name)
        brief = FixtureBriefer()(article)
        brief.meta.usage.prompt_tokens, brief.meta.usage.completion_tokens, brief.meta.usage.calls = (
            1000,
            200,
            3,
        )
        return brief

    monkeypatch.setattr(api, "brief_article", fake_brief_article)

    class StubBackend:  # identifies itself as the configured embedded model would, loads nothing
        def __init__(self, settings: Any, show_progress: bool = False) -> None:
            self.name, self.model, self.params = api.backend_identity(settings)

        def generation_params(self) -> dict[str, Any]:
            return dict(self.params)

    monkeypatch.setattr(api, "get_backend", StubBackend)
    first = build_digest(inbox, ledger=state["ledger"])
    assert not first.failures, first.failures
    assert len(calls) == 2
    assert (first.stats.tokens, first.stats.llm_calls, first.stats.cached) == (2400, 6, 0)
    second = build_digest(
        inbox, ledger=state["ledger"]
    )  # nothing was sent: the same articles, from the cache
    assert len(calls) == 2
    assert (second.stats.tokens, second.stats.llm_calls, second.stats.cached) == (0, 0, 2)
    assert "0 tokens in 0 LLM calls (2 cached)" in second.summary_line()


def test_an_unexpected_error_in_the_api_fails_one_article_not_the_digest(
    inbox: Path, monkeypatch: pytest.MonkeyPatch, state: dict[str, Path]
) -> None:
    import summarizer.api as api
    from summarizer.digest import build_digest

    def flaky_summarize_many(items: list[Article], **kwargs: Any) -> Iterator[Any]:
        for article in items:
            if article.name.endswith(f"{CORPUS_000}.txt"):
                raise RuntimeError("boom")
            yield api.BriefResult(item=article, name=article.name, brief=FixtureBriefer()(article))

    monkeypatch.setattr(api, "summarize_many", flaky_summarize_many)
    digest = build_digest(inbox, ledger=state["ledger"])
    assert digest.stats.articles == 1 and digest.stats.failures == 1
    assert "unexpected error: RuntimeError: boom" in digest.failures[0].reason


# --- the command line ----------------------------------------------------------------------------------


@pytest.fixture
def api_fixtures(monkeypatch: pytest.MonkeyPatch) -> FixtureBriefer:
    """The CLI briefs through summarizer.api.summarize_many: serve the fixture briefs there."""
    import summarizer.api as api

    briefer = FixtureBriefer()

    def fake_summarize_many(items: list[Article], **kwargs: Any) -> Iterator[Any]:
        for article in items:
            yield api.BriefResult(item=article, name=article.name, brief=briefer(article))

    monkeypatch.setattr(api, "summarize_many", fake_summarize_many)
    return briefer


def test_cli_sends_with_settings_from_the_environment(
    inbox: Path,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    api_fixtures: FixtureBriefer,
    state: dict[str, Path],
) -> None:
    smtp_server.env(monkeypatch)
    result = CliRunner().invoke(
        main,
        [
            "digest",
            "--inbox",
            str(inbox),
            "--since",
            "24h",
            "--to",
            "desk@newsroom.test,night-editor@newsroom.test",
        ],
    )
    assert result.exit_code == 0, result.output
    assert re.search(
        r"digest \d{4}-\d\d-\d\d: 2 articles, 3 incidents, 0 failures, 0 tokens in 0 LLM calls "
        r"\(0 cached\), \d+\.\d s",
        result.stderr,
    )
    assert "sent to 2 recipients" in result.stderr
    assert PASSWORD not in result.output
    assert sorted(smtp_server.handler.messages[0].rcpt_tos) == sorted(EDITORS)


def test_cli_permanent_failure_exits_non_zero_with_a_clear_message(
    inbox: Path,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    api_fixtures: FixtureBriefer,
    state: dict[str, Path],
) -> None:
    smtp_server.env(monkeypatch)
    smtp_server.handler.data_reply = "554 5.6.0 Message content rejected"
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]])
    assert result.exit_code == 6
    assert "summarizer: error: digest" in result.stderr
    assert "refused it for good (message refused: 554 5.6.0 Message content rejected)" in result.stderr
    assert "Traceback" not in result.output and PASSWORD not in result.output


def test_cli_temporary_failure_exits_75_and_says_it_will_retry(
    inbox: Path,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    api_fixtures: FixtureBriefer,
    state: dict[str, Path],
) -> None:
    smtp_server.env(monkeypatch)
    smtp_server.handler.data_reply = "451 4.7.1 Greylisted, try again later"
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]])
    assert result.exit_code == 75
    assert "kept in the outbox" in result.stderr and "retried on the next run" in result.stderr
    smtp_server.handler.data_reply = None
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]])
    assert result.exit_code == 0, result.output
    assert "retried digest" in result.stderr and "nothing to send" in result.stderr


def test_cli_retry_only_sends_what_waits_and_builds_nothing(
    inbox: Path,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    api_fixtures: FixtureBriefer,
    state: dict[str, Path],
) -> None:
    smtp_server.env(monkeypatch)
    smtp_server.handler.data_reply = "421 4.3.2 Service shutting down"
    assert CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]]).exit_code == 75
    briefed = len(api_fixtures.calls)
    result = CliRunner().invoke(main, ["digest", "--retry-only"])  # still failing: still waiting
    assert result.exit_code == 75 and "421 4.3.2" in result.stderr
    smtp_server.handler.data_reply = None
    result = CliRunner().invoke(main, ["digest", "--retry-only"])
    assert result.exit_code == 0, result.output
    assert "retried digest" in result.stderr and "sent to 1 recipient" in result.stderr
    assert len(smtp_server.handler.messages) == 1 and len(api_fixtures.calls) == briefed
    result = CliRunner().invoke(main, ["digest", "--retry-only"])
    assert result.exit_code == 0 and "the outbox is empty" in result.stderr


def test_cli_dry_run_prints_the_email_and_touches_nothing(
    inbox: Path,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    api_fixtures: FixtureBriefer,
    state: dict[str, Path],
) -> None:
    smtp_server.env(monkeypatch)
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--dry-run", "--to", EDITORS[0]])
    assert result.exit_code == 0, result.output
    message = parse_email(result.stdout_bytes)
    assert message["To"] == EDITORS[0] and "2 articles" in message["Subject"]
    text, page = parts(message)
    assert "Incidents" in page and "INCIDENTS" in text
    assert not state["ledger"].exists() and smtp_server.handler.messages == []

    outbox = state["outbox"].parent / "dry"
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--dry-run", "--outbox", str(outbox)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b""
    [written] = (outbox / "dry-run").glob("*.eml")
    assert parse_email(written.read_bytes())["Subject"] == message["Subject"]
    assert not state["ledger"].exists()


def test_cli_lock_and_config_errors_are_one_line(
    inbox: Path,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    api_fixtures: FixtureBriefer,
    state: dict[str, Path],
) -> None:
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]])
    assert result.exit_code == 2 and "no SMTP server configured" in result.stderr
    smtp_server.env(monkeypatch)
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox)])
    assert result.exit_code == 2 and "no recipients" in result.stderr
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", "not-an-address"])
    assert result.exit_code == 2 and "not an email address" in result.stderr
    result = CliRunner().invoke(
        main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0], "--since", "soon"]
    )
    assert result.exit_code == 2 and "not a duration" in result.stderr
    result = CliRunner().invoke(
        main, ["digest", "--inbox", str(inbox), "--since", "1h", "--date", "2023-03-24"]
    )
    assert result.exit_code == 2 and "not both" in result.output
    state["ledger"].parent.mkdir(parents=True, exist_ok=True)
    with filelock.FileLock(str(state["ledger"]) + ".lock"):
        result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]])
    assert result.exit_code == 75 and "another digest run is in progress" in result.stderr
    assert "Traceback" not in result.output


def test_cli_help_documents_the_command() -> None:
    result = CliRunner().invoke(main, ["digest", "--help"])
    assert result.exit_code == 0
    for option in ("--inbox", "--since", "--date", "--to", "--dry-run", "--outbox", "--ledger", "--late"):
        assert option in result.output


def test_the_ledger_schema_is_versioned(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3") as book:
        assert book.pending() == []
    conn = sqlite3.connect(tmp_path / "l.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


# --- quiet nights, outages, the archive ---------------------------------------------------------------


def test_a_night_with_nothing_new_sends_nothing_unless_asked(
    tmp_path: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    quiet = run(inbox, smtp_server, state)
    assert quiet.exit_code == 0 and quiet.delivery is None
    assert smtp_server.handler.messages == []

    told = run(inbox, smtp_server, state, send_empty=True)
    assert told.exit_code == 0 and told.delivery is not None and told.delivery.status == "sent"
    [received] = smtp_server.handler.messages
    message = received.message
    assert message["Subject"] == f"News digest {dt.date.today().isoformat()}: nothing new"
    assert list(message.iter_attachments()) == []  # nothing to attach
    text, page = parts(message)
    assert re.search(r"Nothing new since \d{4}-\d\d-\d\d \d\d:\d\d", text)
    assert "Nothing new since" in html_text(page).text
    assert "INCIDENTS" not in text and "Incidents" not in html_text(page).text


def test_with_the_backend_down_nothing_is_sent_the_run_exits_4_and_the_items_wait(
    inbox: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    """Issue #12, finding 1: an outage is the operator's; the editors get no "0 articles" digest."""
    down = BackendError("cannot reach the LLM server at http://127.0.0.1:9/v1 (connection refused)")
    briefer = FixtureBriefer(fail={CORPUS_000: down, CORPUS_002: down})
    first = run(inbox, smtp_server, state, briefer=briefer)
    assert first.exit_code == 4 and first.withheld and first.delivery is None
    assert smtp_server.handler.messages == [] and outbox_files(state) == []
    with Ledger(state["ledger"]) as book:
        assert book.history() == []  # nothing taken: both articles are still pending

    second = run(inbox, smtp_server, state)  # the backend is back
    assert second.exit_code == 0
    assert second.digest is not None and second.digest.stats.articles == 2


def test_cli_backend_down_exits_4_sends_nothing_and_says_why(
    inbox: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch, state: dict[str, Path]
) -> None:
    import summarizer.api as api

    def down(items: list[Article], **kwargs: Any) -> Iterator[Any]:
        for article in items:
            error = BackendError("cannot reach the LLM server (connection refused)")
            yield api.BriefResult(item=article, name=article.name, error=error)

    monkeypatch.setattr(api, "summarize_many", down)
    smtp_server.env(monkeypatch)
    result = CliRunner().invoke(main, ["digest", "--inbox", str(inbox), "--to", EDITORS[0]])
    assert result.exit_code == 4, result.output
    assert "every item failed (2 of 2): no digest sent" in result.stderr
    assert "connection refused" in result.stderr
    assert smtp_server.handler.messages == []


def test_the_archive_gets_each_nights_page_and_an_index_linked_from_the_email(
    tmp_path: Path, corpus: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000], mtime=now)
    archive = tmp_path / "www" / "digests"
    url = "https://news.example/digests"
    first = run(inbox, smtp_server, state, archive=archive, archive_url=url)
    day = dt.date.today().isoformat()
    assert first.exit_code == 0 and first.archived == archive / f"digest-{day}.html"
    make_inbox(tmp_path, corpus, [CORPUS_002], mtime=now)
    second = run(inbox, smtp_server, state, archive=archive, archive_url=url)
    assert second.archived == archive / f"digest-{day}-2.html"  # never overwrites another digest's page
    index = (archive / "index.html").read_text(encoding="utf-8")
    assert index.index(f"digest-{day}-2.html") < index.index(f'"digest-{day}.html"')  # newest first
    message = smtp_server.handler.messages[1].message
    text, page = parts(message)
    assert f'href="{url}/digest-{day}-2.html"' in page and f'href="{url}/index.html"' in page
    assert f"{url}/digest-{day}-2.html" in text
    _, attached = attachment(message)
    assert (archive / f"digest-{day}-2.html").read_text(encoding="utf-8") == attached.replace("\r\n", "\n")


def test_outlets_come_from_config_patterns_then_the_text_then_the_file_name(
    tmp_path: Path, corpus: Path, smtp_server: SmtpServer, state: dict[str, Path]
) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002, CORPUS_004], mtime=now)
    (inbox / f"{CORPUS_000}.txt").rename(inbox / f"wire-{CORPUS_000}.txt")

    def unnamed(article: Article) -> Any:  # briefs without a source, as the pipeline makes them
        brief = FixtureBriefer()(article)
        return brief.model_copy(update={"article": brief.article.model_copy(update={"source": None})})

    report = run(inbox, smtp_server, state, briefer=unnamed, outlets={"wire-*.txt": "Wire desk"})
    assert report.digest is not None
    outlets = sorted(b.outlet for b in report.digest.articles)
    # 000 by the configured pattern, 002 by its dateline, 004 by its own name above the story
    assert outlets == ["Arabi Post", "Wire desk", "unnamed outlet, Beirut dateline"]
    (inbox / "003.txt").write_text((corpus / f"{CORPUS_000}.txt").read_text() + "\nخبر آخر.", "utf-8")
    later = run(inbox, smtp_server, state, briefer=unnamed)
    assert later.digest is not None
    assert [b.outlet for b in later.digest.articles] == ["file 003.txt"]  # the last resort, shown as such
