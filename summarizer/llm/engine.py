"""Token-level driving of the in-process engine (llama-cpp-python): the two things its chat API
does not do well for this pipeline.

1. **The conversation stays in the KV cache, token for token.** llama-cpp-python's chat completion
   renders the whole conversation to text and tokenizes it again on every call. A grammar-constrained
   answer is made of non-canonical token splits (the grammar lets the model spell ``"events"`` as
   ``"ev" + "ents"``), so the re-tokenized answer differs from the tokens in the KV cache and
   everything after its first differing token is evaluated again (a repair after a long events answer
   evaluated the whole answer again: docs/benchmarks.md, "Why the code is as it is").
   :class:`ChatTokens` keeps the exact tokens of every answer the engine generated and splices them
   back when that answer returns as an assistant message, so a step that continues a conversation
   evaluates only its new message.

2. **Grammar-constrained greedy decoding at the engine's speed.** llama.cpp's grammar sampler checks
   every one of the 151,936 vocabulary entries against the grammar at every step, which costs a large
   part of the generation rate (docs/benchmarks.md). :func:`generate` takes the
   unconstrained greedy choice and asks the grammar about that one token; only when the grammar
   rejects it does it filter the whole vocabulary. For greedy decoding the result is the same token
   (the best allowed token is the best token when the best token is allowed), so this is exact, not
   an approximation; the live tests compare it with llama-cpp-python's own constrained sampler.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

#: llama.cpp's ``llama_token_data``: token id, logit, probability.
_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)
#: llama.cpp's default window of recent tokens the repeat penalty looks at.
PENALTY_LAST_N = 64


@dataclass
class Generation:
    """One constrained answer: its text and exact tokens, and what the engine spent on it."""

    text: str
    tokens: list[int]
    finish_reason: str
    prompt_tokens: int
    prompt_evaluated: int
    """Prompt tokens the engine evaluated (the rest came from the KV cache)."""
    full_grammar_checks: int = 0
    """Tokens for which the greedy choice broke the grammar and the whole vocabulary was filtered."""
    seconds: float = 0.0


class GrammarError(ValueError):
    """The engine could not compile the grammar (llama.cpp returns no sampler)."""


class _Grammar:
    """A llama.cpp grammar sampler, used one token at a time."""

    def __init__(self, llama_cpp: Any, vocab: Any, gbnf: str):
        self._llama_cpp = llama_cpp
        self.sampler = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode("utf-8"), b"root")
        if not self.sampler:
            raise GrammarError("llama.cpp could not parse the grammar built from the JSON Schema")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)

    def allows(self, token: int) -> bool:
        self._one[0].id = token
        self._one[0].logit = 0.0
        self._one[0].p = 0.0
        self._one_array.size = 1
        self._llama_cpp.llama_sampler_apply(self.sampler, ctypes.byref(self._one_array))
        return not math.isinf(self._one[0].logit)

    def best_allowed(self, logits: np.ndarray) -> int:
        """The highest-scoring token the grammar allows (the whole vocabulary checked)."""
        n = logits.shape[0]
        data = np.zeros(n, dtype=_TOKEN_DATA)
        data["id"] = np.arange(n, dtype=np.intc)
        data["logit"] = logits
        array = self._llama_cpp.llama_token_data_array(
            data=data.ctypes.data_as(self._llama_cpp.llama_token_data_p), size=n, selected=-1, sorted=False
        )
        self._llama_cpp.llama_sampler_apply(self.sampler, ctypes.byref(array))
        return int(np.argmax(data["logit"]))

    def accept(self, token: int) -> None:
        self._llama_cpp.llama_sampler_accept(self.sampler, token)

    def close(self) -> None:
        if self.sampler:
            self._llama_cpp.llama_sampler_free(self.sampler)
            self.sampler = None

    def __del__(self) -> None:  # pragma: no cover - cleanup
        self.close()


def _penalize(logits: np.ndarray, recent: list[int], penalty: float) -> None:
    """llama.cpp's repeat penalty, in place: positive logits of recent tokens divided, negative multiplied."""
    if penalty == 1.0 or not recent:
        return
    ids = np.fromiter(set(recent), dtype=np.intc)
    values = logits[ids]
    logits[ids] = np.where(values > 0, values / penalty, values * penalty)


def generate(
    llm: Any,
    prompt: list[int],
    gbnf: str,
    *,
    max_tokens: int,
    repeat_penalty: float = 1.0,
    guard: Callable[[str], str | None] | None = None,
) -> Generation:
    """Greedy, grammar-constrained generation after ``prompt``, reusing the longest cached prefix.

    ``guard`` sees the answer's text each time a token closes a JSON string; when it returns a text,
    generation stops and that text is the answer (its tokens: the generated ones it shares, then the
    rest tokenized, so the next step's prompt still reuses the KV cache)."""
    import llama_cpp

    started = time.perf_counter()
    cached = int(llm.n_tokens)
    ids = llm.input_ids
    same = 0
    limit = min(cached, len(prompt))
    while same < limit and int(ids[same]) == prompt[same]:
        same += 1
    if same == len(prompt):
        same -= 1  # the last prompt token is evaluated again: its logits are the first choice
    llm.n_tokens = same  # eval() drops the KV cache beyond this point
    n_ctx = int(llm.n_ctx())
    if len(prompt) + 1 > n_ctx:
        raise ValueError(f"the prompt ({len(prompt)} tokens) does not fit the context window ({n_ctx})")
    llm.eval(prompt[same:])
    evaluated = len(prompt) - same

    grammar = _Grammar(llama_cpp, llm._model.vocab, gbnf)
    vocab = llm._model.vocab
    n_vocab = int(llm.n_vocab())
    ctx = llm._ctx.ctx
    out: list[int] = []
    pieces: list[bytes] = []
    full_checks = 0
    finish = "length"
    ended: str | None = None
    try:
        budget = min(max_tokens, n_ctx - len(prompt) - 1)
        for _ in range(budget):
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, -1), shape=(n_vocab,)).copy()
            _penalize(logits, out[-PENALTY_LAST_N:], repeat_penalty)
            token = int(np.argmax(logits))
            if not grammar.allows(token):
                token = grammar.best_allowed(logits)
                full_checks += 1
            grammar.accept(token)
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                finish = "stop"
                break
            out.append(token)
            if guard is not None:
                piece = bytes(llm.detokenize([token]))
                pieces.append(piece)
                if b'"' in piece:
                    ended = guard(b"".join(pieces).decode("utf-8", errors="ignore"))
                    if ended is not None:
                        finish = "stop"
                        break
            llm.eval([token])
    finally:
        grammar.close()
    if ended is not None:
        out = _retokenize_end(llm, out, pieces, ended)
        text = ended
    else:
        text = llm.detokenize(out).decode("utf-8", errors="replace")
    return Generation(
        text=text,
        tokens=out,
        finish_reason=finish,
        prompt_tokens=len(prompt),
        prompt_evaluated=evaluated,
        full_grammar_checks=full_checks,
        seconds=time.perf_counter() - started,
    )


@dataclass
class Job:
    """One prompt of :func:`generate_many`: its tokens, its grammar, its budget and its guard."""

    prompt: list[int]
    gbnf: str
    max_tokens: int
    guard: Callable[[str], str | None] | None = None


class ParallelContext:
    """A second llama.cpp context on the same loaded model, holding up to ``width`` sequences in one
    KV cache (``n_seq_max`` = width + 1, unified cells), for :func:`generate_many`.

    llama-cpp-python's ``Llama`` creates its context for one sequence, and :func:`generate` and
    ``EmbeddedBackend.complete`` keep using it as it is. This context shares the model's weights (no
    second copy in memory) and copies ``Llama``'s context parameters (threads, batch size, KV types),
    changing only the sequence count, the unified KV cache and its size. Sequence 0 holds the shared
    prefix of the last call, kept between calls, so a run of calls that open with the same system
    prompt evaluates it once; sequences 1..width are the slots the prompts are decoded in.
    """

    def __init__(self, llm: Any, width: int, *, n_ctx: int | None = None):
        import llama_cpp
        from llama_cpp import _internals

        if width < 1:
            raise ValueError("width must be at least 1")
        if width + 1 > int(llama_cpp.llama_max_parallel_sequences()):
            raise ValueError(
                f"llama.cpp decodes at most {llama_cpp.llama_max_parallel_sequences() - 1} sequences"
            )
        self.llm = llm
        self.width = width
        params = llama_cpp.llama_context_params.from_buffer_copy(llm.context_params)
        params.n_seq_max = width + 1
        params.kv_unified = True  # a copied prefix is shared cells, not a copy per sequence
        params.n_ctx = int(n_ctx or llm.n_ctx())
        self._context = _internals.LlamaContext(model=llm._model, params=params, verbose=False)
        self.ctx = self._context.ctx
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        self.n_ctx = int(llama_cpp.llama_n_ctx(self.ctx))
        self.n_batch = int(params.n_batch)
        self._batch = llama_cpp.llama_batch_init(max(self.n_batch, width), 0, 1)
        self.prefix: list[int] = []
        """The tokens sequence 0 holds."""
        self.fill_seconds = 0.0
        """Time spent evaluating prompts (the shared prefix and each sequence's own tokens)."""
        self.step_seconds = 0.0
        """Time spent generating: the one-token-per-sequence decodes and the choice of each token."""
        self.steps = 0
        """Generation decodes made."""
        self.step_tokens = 0
        """Tokens those decodes evaluated (the sequences in the batch, summed over steps)."""

    def close(self) -> None:
        import llama_cpp

        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None
        self._context.close()

    def __del__(self) -> None:  # pragma: no cover - cleanup
        with contextlib.suppress(Exception):
            self.close()

    def decode(self, items: list[tuple[int, int, int, bool]]) -> None:
        """One ``llama_decode`` of ``(token, position, sequence, wants logits)`` items (at most n_batch)."""
        import llama_cpp

        batch = self._batch
        for i, (token, pos, seq, logits) in enumerate(items):
            batch.token[i] = token
            batch.pos[i] = pos
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq
            batch.logits[i] = 1 if logits else 0
        batch.n_tokens = len(items)
        rc = int(llama_cpp.llama_decode(self.ctx, batch))
        if rc != 0:
            raise RuntimeError(f"llama_decode failed ({rc}): the KV cache has no room for the batch")

    def logits(self, index: int, n_vocab: int) -> np.ndarray:
        """A copy of the logits of the ``index``-th item of the last decode."""
        import llama_cpp

        return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.ctx, index), shape=(n_vocab,)).copy()

    def forget(self, seq: int, start: int = -1) -> None:
        """Drop sequence ``seq``'s cells from position ``start`` on (all of them by default)."""
        import llama_cpp

        llama_cpp.llama_memory_seq_rm(self.memory, seq, start, -1)

    def set_prefix(self, tokens: list[int]) -> int:
        """Make sequence 0 hold ``tokens``, keeping what it already shares with them; returns the
        tokens evaluated."""
        same = 0
        while same < min(len(tokens), len(self.prefix)) and self.prefix[same] == tokens[same]:
            same += 1
        self.forget(0, same)
        self.prefix = self.prefix[:same]
        began = time.perf_counter()
        for start in range(same, len(tokens), self.n_batch):
            chunk = tokens[start : start + self.n_batch]
            self.decode([(t, start + k, 0, False) for k, t in enumerate(chunk)])
        self.prefix = list(tokens)
        self.fill_seconds += time.perf_counter() - began
        return len(tokens) - same


@dataclass
class _Sequence:
    """One prompt of :func:`generate_many` while it is decoded."""

    index: int
    job: Job
    slot: int
    grammar: _Grammar
    budget: int
    started: float
    out: list[int]
    pieces: list[bytes]
    pos: int = 0
    full_checks: int = 0
    ended: str | None = None
    finish: str = "length"


def _common_prefix(prompts: list[list[int]]) -> int:
    first = prompts[0]
    n = min(len(p) for p in prompts)
    same = 0
    while same < n and all(p[same] == first[same] for p in prompts):
        same += 1
    return same


def generate_many(
    llm: Any,
    context: ParallelContext,
    jobs: list[Job],
    *,
    repeat_penalty: float = 1.0,
    n_ctx: int | None = None,
) -> list[Generation]:
    """Greedy, grammar-constrained generation for several prompts at once, as parallel sequences of
    ``context``: at most ``context.width`` sequences decode together, one token each per
    ``llama_decode``, so the weights are read once per step for all of them (generation on CPU is
    bound by reading the weights). Answers come back in the order of ``jobs``.

    The longest common token prefix of the prompts (at least the system prompt when they share one)
    is evaluated once, in sequence 0, and copied to each slot by sequence copy (shared cells in the
    unified KV cache); each slot then evaluates only its own suffix. Every sequence has its own
    grammar, checked on the greedy token first as in :func:`generate`, its own repeat-penalty window,
    end-of-generation stop, ``max_tokens`` and guard; a finished sequence leaves the batch and the
    next prompt waiting takes its slot. ``n_ctx`` is the context size the budget is computed against
    (``generate``'s: the main context's, by default), so each answer has the budget :func:`generate`
    would give it.

    The answers are often not :func:`generate`'s token for token, even at width 1: the prompt's
    evaluation is split at other points (the shared prefix, then each suffix), and a step computes
    several rows in one matrix product whose kernels sum in another order than a one-row product.
    Either changes the logits' rounding, and greedy decoding on a small model follows a near-tie the
    other way; on the corpus's translate questions most answers differ in wording (docs/benchmarks.md).
    Every answer still follows its grammar, and the same prompts decoded together in a new context
    give the same answers again.
    """
    import llama_cpp

    if not jobs:
        return []
    vocab = llm._model.vocab
    n_vocab = int(llm.n_vocab())
    limit_ctx = int(n_ctx or llm.n_ctx())
    for job in jobs:
        if len(job.prompt) + 1 > min(limit_ctx, context.n_ctx):
            raise ValueError(f"the prompt ({len(job.prompt)} tokens) does not fit the context window")
    shared = min(_common_prefix([j.prompt for j in jobs]), min(len(j.prompt) for j in jobs) - 1)
    evaluated_prefix = context.set_prefix(jobs[0].prompt[:shared])
    free = list(range(context.width, 0, -1))
    waiting = list(range(len(jobs)))
    waiting.reverse()
    active: list[_Sequence] = []
    results: list[Generation | None] = [None] * len(jobs)
    used = shared  # KV cells held: the prefix, and each active sequence's own cells
    evaluated = [0] * len(jobs)

    def need(job: Job) -> int:
        return len(job.prompt) - shared + min(job.max_tokens, limit_ctx - len(job.prompt) - 1) + 1

    def finish(seq: _Sequence) -> None:
        nonlocal used
        seq.grammar.close()
        if seq.ended is not None:
            tokens = _retokenize_end(llm, seq.out, seq.pieces, seq.ended)
            text = seq.ended
        else:
            tokens = seq.out
            text = llm.detokenize(seq.out).decode("utf-8", errors="replace")
        results[seq.index] = Generation(
            text=text,
            tokens=tokens,
            finish_reason=seq.finish,
            prompt_tokens=len(seq.job.prompt),
            prompt_evaluated=evaluated[seq.index],
            full_grammar_checks=seq.full_checks,
            seconds=time.perf_counter() - seq.started,
        )
        context.forget(seq.slot)
        free.append(seq.slot)
        used -= need(seq.job)

    def choose(seq: _Sequence, logits: np.ndarray) -> bool:
        """Pick and accept the next token; False when the sequence is done."""
        _penalize(logits, seq.out[-PENALTY_LAST_N:], repeat_penalty)
        token = int(np.argmax(logits))
        if not seq.grammar.allows(token):
            token = seq.grammar.best_allowed(logits)
            seq.full_checks += 1
        seq.grammar.accept(token)
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            seq.finish = "stop"
            return False
        seq.out.append(token)
        if seq.job.guard is not None:
            piece = bytes(llm.detokenize([token]))
            seq.pieces.append(piece)
            if b'"' in piece:
                seq.ended = seq.job.guard(b"".join(seq.pieces).decode("utf-8", errors="ignore"))
                if seq.ended is not None:
                    seq.finish = "stop"
                    return False
        return len(seq.out) < seq.budget

    try:
        while waiting or active:
            # admit waiting prompts into free slots while the KV cache has room for their whole answer
            joined: list[_Sequence] = []
            while (
                waiting
                and free
                and (used + need(jobs[waiting[-1]]) <= context.n_ctx or (not active and not joined))
            ):
                i = waiting.pop()
                job = jobs[i]
                slot = free.pop()
                used += need(job)
                context.forget(slot)
                if shared:
                    llama_cpp.llama_memory_seq_cp(context.memory, 0, slot, -1, -1)
                budget = min(job.max_tokens, limit_ctx - len(job.prompt) - 1)
                seq = _Sequence(
                    index=i,
                    job=job,
                    slot=slot,
                    grammar=_Grammar(llama_cpp, vocab, job.gbnf),
                    budget=budget,
                    started=time.perf_counter(),
                    out=[],
                    pieces=[],
                    pos=shared,
                )
                evaluated[i] = len(job.prompt) - shared
                joined.append(seq)
            # their own prompt tokens, as many per decode as the batch holds; logits at each prompt's end
            items = [
                (t, seq.pos + k, seq.slot, k == len(seq.job.prompt) - shared - 1, seq)
                for seq in joined
                for k, t in enumerate(seq.job.prompt[shared:])
            ]
            ready: list[tuple[_Sequence, np.ndarray]] = []
            began = time.perf_counter()
            for start in range(0, len(items), context.n_batch):
                chunk = items[start : start + context.n_batch]
                context.decode([(t, p, s, w) for t, p, s, w, _ in chunk])
                for k, (_, _, _, w, seq) in enumerate(chunk):
                    if w:
                        ready.append((seq, context.logits(k, n_vocab)))
            for seq in joined:
                seq.pos = len(seq.job.prompt)
                active.append(seq)
            stepped = not ready and bool(active)
            if stepped:  # one token of every sequence in one decode
                context.fill_seconds += time.perf_counter() - began
                began = time.perf_counter()
                context.decode([(seq.out[-1], seq.pos - 1, seq.slot, True) for seq in active])
                context.steps += 1
                context.step_tokens += len(active)
                ready = [(seq, context.logits(k, n_vocab)) for k, seq in enumerate(active)]
            for seq, logits in ready:
                if seq.budget <= 0 or not choose(seq, logits):
                    active.remove(seq)
                    finish(seq)
                else:
                    seq.pos += 1
            if stepped:
                context.step_seconds += time.perf_counter() - began
            else:
                context.fill_seconds += time.perf_counter() - began
    finally:
        for seq in active:
            seq.grammar.close()
            context.forget(seq.slot)
    out = [r for r in results if r is not None]
    # the shared prefix was evaluated once for all: counted with the first answer
    out[0].prompt_evaluated += evaluated_prefix
    return out


def _retokenize_end(llm: Any, out: list[int], pieces: list[bytes], text: str) -> list[int]:
    """Tokens for ``text``: the generated tokens it starts with, then the rest tokenized."""
    target = text.encode("utf-8")
    kept = 0
    length = 0
    for piece in pieces:
        if not target.startswith(piece, length):
            break
        length += len(piece)
        kept += 1
    rest = target[length:]
    tail = list(llm.tokenize(rest, add_bos=False, special=False)) if rest else []
    return out[:kept] + tail


class ChatTokens:
    """Messages to prompt tokens through the model's chat template, with the engine's own answers
    spliced back token for token (see the module docstring)."""

    def __init__(self, llm: Any, *, memory: int = 64):
        from llama_cpp import llama_chat_format

        template = llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise ValueError("the model file carries no chat template (tokenizer.chat_template)")
        model = llm._model
        eos_id, bos_id = int(llm.token_eos()), int(llm.token_bos())
        self._formatter = llama_chat_format.Jinja2ChatFormatter(
            template=template,
            eos_token=model.token_get_text(eos_id) if eos_id != -1 else "",
            bos_token=model.token_get_text(bos_id) if bos_id != -1 else "",
            stop_token_ids=[eos_id],
        )
        self._llm = llm
        self._answers: OrderedDict[str, list[int]] = OrderedDict()
        self._memory = memory

    def remember(self, text: str, tokens: list[int]) -> None:
        """Record the exact tokens of an answer the engine generated."""
        if not text or self._llm.detokenize(tokens).decode("utf-8", errors="replace") != text:
            return
        self._answers[text] = list(tokens)
        self._answers.move_to_end(text)
        while len(self._answers) > self._memory:
            self._answers.popitem(last=False)

    def _render(self, messages: list[dict[str, Any]]) -> Any:
        return self._formatter(messages=cast(Any, messages))

    def _tokenize(self, text: str, first: bool) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=first, special=True)) if text else []

    def system_prefix(self, messages: list[dict[str, Any]], prompt: list[int]) -> list[int]:
        """The tokens ``prompt`` shares with every conversation that starts with the same system message:
        everything before the first user message's content."""
        if not messages or messages[0].get("role") != "system":
            return []
        marker = "\x00"
        rendered = self._render([messages[0], {"role": "user", "content": marker}])
        head = rendered.prompt.split(marker, 1)[0]
        tokens = self._tokenize(head, not getattr(rendered, "added_special", False))
        same = 0
        while same < min(len(tokens), len(prompt)) and tokens[same] == prompt[same]:
            same += 1
        return prompt[:same]

    def encode(self, messages: list[dict[str, Any]]) -> list[int]:
        """Prompt tokens for ``messages``, ending with the assistant's turn."""
        rendered = self._render(messages)
        text: str = rendered.prompt
        first = not getattr(rendered, "added_special", False)
        tokens: list[int] = []
        pos = 0
        for m in messages:
            content = m.get("content")
            if m.get("role") != "assistant" or not isinstance(content, str) or content not in self._answers:
                continue
            at = text.find(content, pos)
            if at < 0:
                continue
            tokens += self._tokenize(text[pos:at], first and pos == 0)
            tokens += self._answers[content]
            pos = at + len(content)
        tokens += self._tokenize(text[pos:], first and pos == 0)
        return tokens


class PrefixStates:
    """The KV cache of a fixed prompt prefix (the system prompt), computed once and kept on disk.

    Every article's conversation starts with the same system prompt. Within one process the engine's
    KV cache serves it after the first article; this store makes that true across processes too (a
    one-off ``summarizer summarize`` evaluates only the article and its tasks): the prefix's sequence
    state is saved the first time it is evaluated and loaded afterwards (about 28 KB per token for the
    1.5B model). Files are keyed by the engine version, the model file, the context size, the CPU
    kernels (another variant computes slightly different values) and the prefix tokens, and written
    atomically; an unreadable or stale file is evaluated again and replaced.
    """

    MIN_TOKENS = 32

    def __init__(self, directory: Any, identity: str):
        from pathlib import Path

        self.directory = Path(directory)
        self.identity = identity

    def _path(self, tokens: list[int]) -> Any:
        import hashlib

        h = hashlib.blake2b(digest_size=16)
        h.update(self.identity.encode())
        h.update(np.asarray(tokens, dtype=np.int32).tobytes())
        return self.directory / f"prefix-{h.hexdigest()}.kv"

    def restore(self, llm: Any, tokens: list[int]) -> int:
        """Put ``tokens`` in the KV cache: from memory, from disk, or evaluated (and saved).

        Returns the number of tokens evaluated (0 when the prefix came from memory or disk)."""
        import llama_cpp

        n = len(tokens)
        if n < self.MIN_TOKENS:
            return 0
        if int(llm.n_tokens) >= n and [int(t) for t in llm.input_ids[:n]] == tokens:
            return 0
        ctx = llm._ctx.ctx
        path = self._path(tokens)
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if data:
            llm.reset()
            buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            if llama_cpp.llama_state_seq_set_data(ctx, buf, len(data), 0) == len(data):
                llm.input_ids[:n] = tokens
                llm.n_tokens = n
                return 0
            llm.reset()
        llm.n_tokens = 0
        llm.eval(tokens)
        try:
            size = int(llama_cpp.llama_state_seq_get_size(ctx, 0))
            buf = (ctypes.c_uint8 * size)()
            written = int(llama_cpp.llama_state_seq_get_data(ctx, buf, size, 0))
            if written:
                self.directory.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".tmp{os.getpid()}")
                tmp.write_bytes(bytes(buf)[:written])
                os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs the prefix again next time
        return n


__all__ = [
    "ChatTokens",
    "Generation",
    "GrammarError",
    "Job",
    "ParallelContext",
    "PrefixStates",
    "generate",
    "generate_many",
]
