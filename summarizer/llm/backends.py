"""LLM backends: one small interface, two implementations.

* :class:`OpenAIBackend`: any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp's servers)
  through ``openai``.
* :class:`EmbeddedBackend`: the in-process engine (llama-cpp-python) running a local GGUF model.

Each answers one :class:`~summarizer.llm.calls.Request` (``complete``); both go through the same re-ask
loop (:func:`summarizer.llm.calls.structured_call`), so a validation failure is re-asked the same way: the
failing answer and its validation error are appended to the conversation and the model answers
again, at most ``max_reasks`` times. Transport failures (429, 5xx, timeouts, connection errors) are
retried with tenacity *inside* one request, honouring ``Retry-After``; the two layers never multiply
(a re-ask never restarts transport retries already spent, and a transport retry never re-asks).

The prompt is laid out so that the article is a shared prefix of every step's conversation
(system prompt, then the article, then the step's task): the embedded engine keeps that prefix in
its KV cache and evaluates only the task and the answer of each later step.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, ModelNotInstalledError, first_line
from summarizer.llm.calls import (
    Answer,
    CallStats,
    Guard,
    Request,
    Structured,
    current_labels,
    structured_call,
)

T = TypeVar("T", bound=BaseModel)

log = logging.getLogger("summarizer.llm.backends")

#: Greedy decoding with a mild repetition penalty: without it the 1.5B model loops
#: ("1 soldier died in Syria." x40) inside a JSON string until max_tokens.
REPEAT_PENALTY = 1.1

#: Sent with every request: greedy and seeded, so a request has one answer (and a cache key).
GENERATION = {"temperature": 0.0, "seed": 0}


class Backend(Protocol):
    """What the pipeline needs from an LLM."""

    name: str
    model: str

    def generation_params(self) -> dict[str, Any]:
        """Everything besides the prompt that changes the output (part of every cache key)."""
        ...

    def count_tokens(self, text: str) -> int | None:
        """Tokens ``text`` costs on this model, or None when the backend cannot tell."""
        ...

    @property
    def context_window(self) -> int | None: ...

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int,
        max_reasks: int | None = None,
        guard: Guard | None = None,
    ) -> Structured[T]:
        """Ask for an instance of ``response_model``, re-asking on validation failure
        (``max_reasks`` times; None means the configured number). ``guard``, where the backend
        generates token by token, may end an answer early (see :data:`Guard`)."""
        ...


def _retry_after_seconds(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    if value is None:
        ms = headers.get("retry-after-ms")
        return float(ms) / 1000 if ms and ms.replace(".", "", 1).isdigit() else None
    try:
        return float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def is_transient(exc: BaseException) -> bool:
    """Whether a transport error is worth retrying: 408, 409, 429, 5xx, timeouts, connection errors."""
    import openai

    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def is_outage(exc: BaseException) -> bool:
    """Whether a failure says the server is down (refused, unreachable, timed out, 5xx), which the circuit
    breaker counts; a 429 says it is up and busy, and is only retried."""
    import openai

    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


class CircuitBreaker:
    """One per run: after ``threshold`` straight outage failures (any article, any thread) the run stops
    sending, and every later request fails at once with :class:`BackendError`. :meth:`cancel` (Ctrl-C)
    stops every request not yet sent, and the waits between retries.

    Until a request of the run has succeeded, and again after an outage until one succeeds, no more
    attempts are in flight than the breaker has failures left to tolerate (:meth:`attempt`, a
    half-open circuit): many threads against a server that is down then send ``threshold`` requests in
    all, not one each, and find out as fast as one would.
    """

    def __init__(self, threshold: int, where: str = "the backend"):
        self.threshold = threshold
        self.where = where
        self.failures = 0
        self.last: str | None = None
        self.proven = False
        """Whether a request of this run has succeeded (since the last outage)."""
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._turn = threading.Condition()
        self._trying = 0

    def _cap(self) -> int | None:
        """Attempts allowed in flight now, or None for no limit."""
        if self.threshold <= 0 or (self.proven and self.failures == 0):
            return None
        return max(1, self.threshold - self.failures)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Hold one attempt (waiting for a turn while the server is unproven or failing); raises
        :class:`BackendError` when nothing more may be sent."""
        self.check()
        with self._turn:
            while (cap := self._cap()) is not None and self._trying >= cap:
                self._turn.wait(0.1)
                self.check()  # it may have opened (or been cancelled) while this thread waited
            self._trying += 1
        try:
            yield
        finally:
            with self._turn:
                self._trying -= 1
                self._turn.notify_all()

    @property
    def open(self) -> bool:
        return self.cancelled.is_set() or (self.threshold > 0 and self.failures >= self.threshold)

    def check(self) -> None:
        """Raise :class:`BackendError` when nothing more may be sent."""
        if self.cancelled.is_set():
            raise BackendError(f"{self.where}: cancelled")
        if self.threshold > 0 and self.failures >= self.threshold:
            raise BackendError(
                f"{self.where}: not sent: the last {self.failures} requests failed ({self.last}); "
                "stopped sending for this run"
            )

    def record(self, exc: BaseException | None) -> None:
        """Count an outage (``exc``), or reset the count on a success (None)."""
        with self._lock:
            if exc is None:
                self.failures = 0
                self.proven = True
            elif is_outage(exc):
                self.failures += 1
                self.last = _describe_failure(exc)

    def cancel(self) -> None:
        self.cancelled.set()

    def reset(self) -> None:
        """Start a new run: no failure counted, not cancelled."""
        with self._lock:
            self.failures = 0
            self.last = None
            self.proven = False
            self.cancelled.clear()

    def sleep(self, seconds: float) -> None:
        """Wait between retries; a cancel ends the wait at once."""
        self.cancelled.wait(seconds)


def _describe_failure(exc: BaseException) -> str:
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    cause = exc.__cause__ or exc.__context__
    # the cause says what went wrong ("[Errno 111] Connection refused"); without words, the error's name
    text = first_line(str(cause or exc)) or type(exc).__name__
    return text[:120]


def transport_retrying(
    func: Callable[..., Any],
    *,
    retries: int,
    max_wait: float = 60.0,
    sleep: Callable[[float], None] | None = None,
    breaker: CircuitBreaker | None = None,
    gate: RateGate | None = None,
) -> Callable[..., Any]:
    """Wrap one HTTP call with tenacity: retry transient failures, honouring ``Retry-After``.

    A refused or dropped connection is retried after a short wait (0.25 s, doubling, at most 2 s): the
    server is not there, and waiting longer only delays the verdict. With a ``breaker``, every attempt
    is counted, and none is made once it is open. With a ``gate``, a 429 or a ``Retry-After`` holds
    every thread sharing it for the wait, and each attempt first waits for the hold to end.
    """
    import openai
    from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

    backoff = wait_exponential_jitter(initial=1, max=max_wait)
    if sleep is None:
        sleep = breaker.sleep if breaker is not None else time.sleep

    def delay(retry_state: Any) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        ra = _retry_after_seconds(exc) if exc is not None else None
        if ra is not None:
            return min(ra, max_wait)
        if isinstance(exc, openai.APIConnectionError) and not isinstance(exc, openai.APITimeoutError):
            return float(min(0.25 * 2 ** (retry_state.attempt_number - 1), 2.0))
        return float(backoff(retry_state))

    def wait(retry_state: Any) -> float:
        seconds = delay(retry_state)
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if gate is not None and exc is not None:
            busy = isinstance(exc, openai.APIStatusError) and exc.status_code == 429
            if busy or _retry_after_seconds(exc) is not None:
                gate.hold(seconds)
        return seconds

    def retryable(exc: BaseException) -> bool:
        return is_transient(exc) and not (breaker is not None and breaker.open)

    def call(*args: Any, **kwargs: Any) -> Any:
        if gate is not None:
            gate.wait()
        if breaker is None:
            return func(*args, **kwargs)
        with breaker.attempt():
            try:
                result = func(*args, **kwargs)
            except Exception as e:
                breaker.record(e)
                raise
            breaker.record(None)
            return result

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        for attempt in Retrying(
            retry=retry_if_exception(retryable),
            stop=stop_after_attempt(retries + 1),
            wait=wait,
            sleep=sleep,
            reraise=True,
        ):
            with attempt:
                return call(*args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapped


@functools.lru_cache(maxsize=256)
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A response model's JSON Schema, made once per model (it is the same for every call; never
    modified by a caller)."""
    return model.model_json_schema()


class ChatBackend:
    """What both backends share: a brief's call as a :class:`~summarizer.llm.calls.Request`, validated and
    re-asked by :func:`~summarizer.llm.calls.structured_call`; each backend only says how one request is
    answered (:meth:`complete`)."""

    name = "base"
    model = ""
    max_reasks = 2

    def complete(self, request: Request, guard: Guard | None = None) -> Answer:  # pragma: no cover
        raise NotImplementedError

    def request(
        self, messages: list[dict[str, str]], response_model: type[BaseModel], max_tokens: int
    ) -> Request:
        """The request asking for ``response_model`` after ``messages``, labelled with the article and
        step running now (:func:`~summarizer.llm.calls.current_labels`)."""
        article_id, step = current_labels()
        return Request(
            messages=tuple(dict(m) for m in messages),
            schema_name=response_model.__name__,
            schema=_json_schema(response_model),
            max_tokens=max_tokens,
            model=self.model,
            params=dict(GENERATION),
            article_id=article_id,
            step=step,
        )

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int,
        max_reasks: int | None = None,
        guard: Guard | None = None,
    ) -> Structured[T]:
        return structured_call(
            self.complete,
            self.request(messages, response_model, max_tokens),
            response_model,
            max_reasks=self.max_reasks if max_reasks is None else max_reasks,
            guard=guard,
        )


class RateGate:
    """One per run: when the server says "slow down" (429, or any ``Retry-After``), every thread waits
    until the time it gave before sending again, instead of each finding out with its own 429."""

    def __init__(self, breaker: CircuitBreaker | None = None):
        self._until = 0.0
        self._lock = threading.Lock()
        self._breaker = breaker

    def hold(self, seconds: float) -> None:
        """Let nothing be sent for ``seconds`` from now (a longer hold already set stays)."""
        with self._lock:
            self._until = max(self._until, time.monotonic() + max(0.0, seconds))

    def wait(self) -> None:
        """Wait until the hold ends (a cancel ends the wait at once)."""
        while (left := self._until - time.monotonic()) > 0:
            if self._breaker is not None:
                if self._breaker.cancelled.wait(left):
                    return
            else:
                time.sleep(left)


class OpenAIBackend(ChatBackend):
    """Any OpenAI-compatible endpoint, through ``openai``; safe to share between threads (one client,
    one connection pool, one :class:`CircuitBreaker` and one :class:`RateGate` for the run)."""

    name = "openai"

    def __init__(self, settings: Settings, *, http_client: Any = None):
        import openai

        if not settings.model:
            raise ConfigError("the openai backend needs a model name (--model or SUMMARIZER_MODEL)")
        self.model = settings.model
        self.settings = settings
        self.max_reasks = settings.max_reasks
        self.structured_output = settings.structured_output
        # The client's own retries are off: tenacity below is the one transport-retry layer.
        self.client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key or "not-needed",
            timeout=openai.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
            max_retries=0,
            http_client=http_client,
        )
        #: One per backend, so one per run: shared by every article and thread of a batch.
        self.breaker = CircuitBreaker(settings.breaker_threshold, settings.base_url or "OpenAI")
        self.gate = RateGate(self.breaker)
        from openai.types.chat import ChatCompletion

        client = self.client

        def post(**body: Any) -> Any:
            # The body is already the JSON to send: `client.post` sends it as it is, without the
            # per-call walk `chat.completions.create` makes over every nested schema (milliseconds a
            # call, which a run of thousands of calls at concurrency 64 feels).
            return client.post("/chat/completions", body=body, cast_to=ChatCompletion)

        self._send = transport_retrying(
            post,
            retries=settings.transport_retries,
            breaker=self.breaker,
            gate=self.gate,
        )

    @property
    def context_window(self) -> int | None:
        return None

    def count_tokens(self, text: str) -> int | None:
        return None

    def generation_params(self) -> dict[str, Any]:
        return backend_identity(self.settings)[2]

    def complete(self, request: Request, guard: Guard | None = None) -> Answer:
        """One chat completion over HTTP (a remote answer arrives whole: ``guard`` is not used)."""
        import openai

        where = self.settings.base_url or "OpenAI"
        try:
            completion = self._send(**request.body(self.structured_output))
        except openai.APIStatusError as e:
            raise BackendError(f"{where} answered HTTP {e.status_code}: {_api_message(e)}") from e
        except (openai.APITimeoutError, openai.APIConnectionError) as e:
            raise BackendError(f"cannot reach {where}: {e}") from e
        if not getattr(completion, "choices", None):
            # HTTP 200 that is no chat completion (a proxy's HTML page, a login portal, some other
            # API): the server is at fault, not the model, so it is never re-asked.
            raise BackendError(
                f"{where} answered HTTP 200 with {_describe_body(completion)}, "
                "not a chat completion: is it an OpenAI-compatible endpoint (…/v1)?"
            )
        choice = completion.choices[0]
        usage = getattr(completion, "usage", None)
        return Answer(
            text=choice.message.content if isinstance(choice.message.content, str) else None,
            finish_reason=choice.finish_reason,
            prompt_tokens=(usage.prompt_tokens or 0) if usage is not None else 0,
            completion_tokens=(usage.completion_tokens or 0) if usage is not None else 0,
        )


def _describe_body(body: Any) -> str:
    """A few words on what came back instead of a chat completion."""
    if isinstance(body, str | bytes):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        head = " ".join(text.strip()[:60].split())
        kind = "an HTML page" if head.startswith("<") else "text that is not JSON"
        return f"{kind} ({head!r})" if head else "an empty body"
    return "JSON without choices"


def _api_message(e: Any) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        msg = (
            body.get("message") or (body.get("error") or {}).get("message")
            if isinstance(body, dict)
            else None
        )
        if msg:
            return str(msg)[:200]
    return str(getattr(e, "message", e))[:200]


class EmbeddedBackend(ChatBackend):
    """The in-process engine: llama-cpp-python running a local GGUF model.

    The engine constrains every answer with a grammar built from the response model's JSON Schema
    (``response_format={"type": "json_object", "schema": ...}``), so the answer is always
    syntactically valid JSON of the right shape; the pipeline still validates its content.
    """

    name = "embedded"
    _lock = threading.Lock()

    def __init__(self, settings: Settings, *, show_progress: bool = True):
        from summarizer.llm import weights as models

        try:
            import llama_cpp
        except ImportError as e:
            raise ModelNotInstalledError(
                "the embedded engine (llama-cpp-python) is not installed; run: bash scripts/install.sh "
                "(or configure a remote endpoint with --base-url / SUMMARIZER_BASE_URL)"
            ) from e
        self.settings = settings
        self.max_reasks = settings.max_reasks
        if settings.model_path:
            path = os.path.expanduser(settings.model_path)
            if not os.path.isfile(path):
                raise ModelNotInstalledError(f"model file {path} not found")
            self.model_file = path
            self.model = os.path.basename(path)
        else:
            packaged = models.get_model(settings.model)
            self.model_file = str(models.ensure_model(packaged, show_progress=show_progress))
            self.model = packaged.name
        threads = settings.threads or os.cpu_count() or 2
        from summarizer.llm.kernels import load as load_kernels

        # The CPU kernels for this CPU, before the first model (a build with per-CPU variants has none
        # until then).
        self.kernels = load_kernels(settings.cpu_variant)
        try:
            self.llm = llama_cpp.Llama(
                model_path=self.model_file,
                n_ctx=settings.n_ctx,
                n_threads=threads,
                n_threads_batch=threads,
                n_batch=512,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError) as e:
            raise ModelNotInstalledError(f"cannot load model {self.model_file}: {e}") from e
        self._llama_cpp = llama_cpp
        self.threads = threads
        from summarizer.llm.engine import ChatTokens

        try:
            self._chat = ChatTokens(self.llm)
        except ValueError as e:
            raise ModelNotInstalledError(f"cannot use model {self.model_file}: {e}") from e
        self._grammars: dict[str, str] = {}
        from summarizer.llm.engine import PrefixStates
        from summarizer.llm.engine_info import engine_version

        stat = os.stat(self.model_file)
        self._model_identity = f"{os.path.basename(self.model_file)}|{stat.st_size}"
        self._parallel: Any = None
        self._prefixes = PrefixStates(
            settings.cache_path / "kv",
            f"{engine_version()}|{os.path.abspath(self.model_file)}|{stat.st_size}|{stat.st_mtime_ns}|"
            f"{settings.n_ctx}|{self.kernels.variant}",
        )

    @property
    def context_window(self) -> int | None:
        return int(self.llm.n_ctx())

    def count_tokens(self, text: str) -> int | None:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def generation_params(self) -> dict[str, Any]:
        return backend_identity(self.settings)[2]

    def _perf(self) -> tuple[int, int, float, float]:
        data = self._llama_cpp.llama_perf_context(self.llm._ctx.ctx)
        return int(data.n_p_eval), int(data.n_eval), float(data.t_p_eval_ms), float(data.t_eval_ms)

    def prepare_prefix(self, system: dict[str, str]) -> int:
        """Evaluate and save (or load) the KV state of a conversation opening with ``system``.
        Returns the tokens evaluated (0 when the state was already kept)."""
        messages = [system, {"role": "user", "content": "-"}]
        with self._lock:
            return self._prefixes.restore(
                self.llm, self._chat.system_prefix(messages, self._chat.encode(messages))
            )

    def _gbnf(self, schema: dict[str, Any]) -> str:
        from llama_cpp.llama_grammar import json_schema_to_gbnf

        key = json.dumps(schema, sort_keys=True)
        gbnf = self._grammars.get(key)
        if gbnf is None:
            gbnf = self._grammars[key] = json_schema_to_gbnf(json.dumps(schema))
        return gbnf

    def complete(self, request: Request, guard: Guard | None = None) -> Answer:
        """Generate the answer in process, constrained by a grammar built from the request's schema;
        ``guard`` may end it early."""
        from summarizer.llm.engine import GrammarError, generate

        if not request.schema:
            # Never run unconstrained: an answer without the grammar is not what the pipeline expects.
            raise BackendError("embedded backend called without a JSON schema to constrain the answer")
        messages = [dict(m) for m in request.messages]
        with self._lock:
            prompt = self._chat.encode(messages)
            _, _, tp0, tg0 = self._perf()
            try:
                # The system prompt's KV state comes from memory or disk (evaluated once, ever).
                prefix_evaluated = self._prefixes.restore(
                    self.llm, self._chat.system_prefix(messages, prompt)
                )
                gen = generate(
                    self.llm,
                    prompt,
                    self._gbnf(request.schema),
                    max_tokens=int(request.max_tokens or 1024),
                    repeat_penalty=REPEAT_PENALTY,
                    guard=guard,
                )
            except GrammarError as e:
                raise BackendError(f"embedded engine: {e}") from e
            except ValueError as e:  # e.g. the prompt exceeds the context window
                raise BackendError(f"embedded engine: {e}") from e
            _, _, tp1, tg1 = self._perf()
            self._chat.remember(gen.text, gen.tokens)
            log.debug(
                "engine: %d prompt tokens (%d evaluated, %d system prefix), %d generated (%s), "
                "%d full grammar checks, %.1f s",
                gen.prompt_tokens,
                gen.prompt_evaluated,
                prefix_evaluated,
                len(gen.tokens),
                gen.finish_reason,
                gen.full_grammar_checks,
                gen.seconds,
            )
        return Answer(
            text=gen.text,
            finish_reason=gen.finish_reason,
            prompt_tokens=gen.prompt_tokens,
            completion_tokens=len(gen.tokens),
            prompt_tokens_processed=prefix_evaluated + gen.prompt_evaluated,
            prompt_seconds=max(0.0, tp1 - tp0) / 1000,
            generation_seconds=max(0.0, tg1 - tg0) / 1000,
        )

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int,
        max_reasks: int | None = None,
        guard: Guard | None = None,
    ) -> Structured[T]:
        """As :meth:`ChatBackend.structured`; inside an article of the batched executor
        (:class:`~summarizer.llm.parallel.EmbeddedBatchedExecutor`) the request is answered together
        with the other articles' (:meth:`complete_many`), re-asks included."""
        from summarizer.llm.parallel import current_gatherer

        gatherer = current_gatherer()
        complete = functools.partial(gatherer.complete, self) if gatherer is not None else self.complete
        return structured_call(
            complete,
            self.request(messages, response_model, max_tokens),
            response_model,
            max_reasks=self.max_reasks if max_reasks is None else max_reasks,
            guard=guard,
        )

    def parallel_width(self) -> int:
        """How many sequences to decode at once on this machine: calibrated on first use
        (:func:`~summarizer.llm.parallel.calibrate`, a few seconds), then read from the cache."""
        from summarizer.llm.parallel import WidthStore, calibrate

        store = WidthStore(self.settings.cache_path / "kv", model=self._model_identity, threads=self.threads)
        with self._lock:
            found = store.load()
            if found is None:
                found = store.save(calibrate(self.llm))
        return int(found["width"])

    def complete_many(
        self, requests: list[Request], guards: list[Guard | None] | None = None
    ) -> list[Answer]:
        """Answer several requests as parallel sequences (:func:`~summarizer.llm.engine.generate_many`),
        all at once: the caller keeps their number within :meth:`parallel_width`. The answers are those
        :meth:`complete` would give up to float rounding (see ``generate_many``)."""
        from summarizer.llm.engine import GrammarError, Job, ParallelContext, generate_many

        if any(not r.schema for r in requests):
            raise BackendError("embedded backend called without a JSON schema to constrain the answer")
        guards = guards or [None] * len(requests)
        with self._lock:
            jobs = [
                Job(
                    prompt=self._chat.encode([dict(m) for m in r.messages]),
                    gbnf=self._gbnf(r.schema),
                    max_tokens=int(r.max_tokens or 1024),
                    guard=g,
                )
                for r, g in zip(requests, guards, strict=True)
            ]
            context = self._parallel
            if context is None or context.width < len(jobs):
                if context is not None:
                    context.close()
                context = self._parallel = ParallelContext(self.llm, len(jobs))
            try:
                gens = generate_many(self.llm, context, jobs, repeat_penalty=REPEAT_PENALTY)
            except (GrammarError, ValueError, RuntimeError) as e:
                raise BackendError(f"embedded engine: {e}") from e
            for gen in gens:
                self._chat.remember(gen.text, gen.tokens)
        log.debug(
            "engine: %d sequences at once, %d prompt tokens (%d evaluated), %d generated",
            len(gens),
            sum(g.prompt_tokens for g in gens),
            sum(g.prompt_evaluated for g in gens),
            sum(len(g.tokens) for g in gens),
        )
        return [
            Answer(
                text=g.text,
                finish_reason=g.finish_reason,
                prompt_tokens=g.prompt_tokens,
                completion_tokens=len(g.tokens),
                prompt_tokens_processed=g.prompt_evaluated,
                generation_seconds=g.seconds,
            )
            for g in gens
        ]


def backend_identity(settings: Settings) -> tuple[str, str, dict[str, Any]]:
    """(backend, model, generation parameters) as they enter the cache key, without loading a model."""
    from summarizer.llm import weights as models

    if settings.backend == "openai":
        params = {
            "base_url": settings.base_url,
            "temperature": 0.0,
            "seed": 0,
            "structured_output": settings.structured_output,
        }
        return "openai", settings.model or "", params
    if settings.model_path:
        path = os.path.expanduser(settings.model_path)
        size = os.path.getsize(path) if os.path.isfile(path) else -1
        model_id = f"file:{os.path.basename(path)}:{size}"
        name = os.path.basename(path)
    else:
        packaged = models.get_model(settings.model)
        model_id, name = f"{packaged.name}:{packaged.sha256}", packaged.name
    params = {
        "model_id": model_id,
        "temperature": 0.0,
        "seed": 0,
        "repeat_penalty": REPEAT_PENALTY,
        "n_ctx": settings.n_ctx,
    }
    return "embedded", name, params


_EMBEDDED: dict[tuple[Any, ...], EmbeddedBackend] = {}
_EMBEDDED_LOCK = threading.Lock()


def get_backend(settings: Settings, *, show_progress: bool = True) -> Backend:
    """Build (or reuse) the backend the settings describe. The embedded engine is loaded once per process."""
    if settings.backend == "openai":
        return OpenAIBackend(settings)
    key = (settings.model, settings.model_path, settings.n_ctx, settings.threads, settings.max_reasks)
    with _EMBEDDED_LOCK:
        if key not in _EMBEDDED:
            _EMBEDDED[key] = EmbeddedBackend(settings, show_progress=show_progress)
        return _EMBEDDED[key]


__all__ = [
    "Backend",
    "CallStats",
    "ChatBackend",
    "CircuitBreaker",
    "EmbeddedBackend",
    "Guard",
    "OpenAIBackend",
    "RateGate",
    "Structured",
    "get_backend",
    "is_transient",
    "transport_retrying",
]
