"""The model layer: how a request reaches a model and comes back validated.

``calls`` (a call as a value, and the one validate-and-re-ask loop), ``executors`` (direct and
concurrent), ``batch_engines`` and ``batch_state`` (the OpenAI Batch API and vLLM run-batch), ``backends``
(the embedded engine and OpenAI-compatible servers), ``engine``, ``engine_info`` and ``kernels`` (the
in-process engine and the CPU kernels it loads), ``weights`` (the packaged model files) and ``prompts``
(the templates).

Imports only the package's base modules (errors, config, the contracts); nothing from
:mod:`summarizer.brief` or :mod:`summarizer.arabic`.
"""
