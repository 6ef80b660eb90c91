"""The LLM backends, one adapter each: a LangChain chat model from settings.

`ollama`: `ChatOllama` (base URL, default http://127.0.0.1:11434). `openai`: `ChatOpenAI`, for
every OpenAI-compatible server (vLLM, llama.cpp's server, LM Studio, TGI, hosted APIs; base URL
such as http://127.0.0.1:8080/v1). Both with temperature 0, a request timeout and no retries:
a configured but unreachable backend fails fast and the answerer falls back (rag/generative.py).
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

BACKENDS = ("ollama", "openai")


class LLMConfigError(ValueError):
    """The LLM settings are incomplete (the message names the setting)."""


def make_chat_model(backend: str, model: str | None, base_url: str | None,
                    api_key: str | None, timeout: float,
                    max_tokens: int = 512) -> BaseChatModel:
    if backend not in BACKENDS:
        raise LLMConfigError(f"onbekende VRAAGBAAK_ANSWERER {backend!r} (kies extractive, "
                             f"{', '.join(BACKENDS)})")
    if not model:
        raise LLMConfigError(f"VRAAGBAAK_LLM_MODEL ontbreekt (nodig voor {backend}), "
                             "bijvoorbeeld qwen2.5:7b-instruct")
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=model, base_url=base_url or "http://127.0.0.1:11434",
                          temperature=0, num_predict=max_tokens,
                          client_kwargs={"timeout": timeout})
    from langchain_openai import ChatOpenAI

    if not base_url:
        raise LLMConfigError("VRAAGBAAK_LLM_BASE_URL ontbreekt (nodig voor openai), bijvoorbeeld "
                             "http://127.0.0.1:8080/v1")
    return ChatOpenAI(model=model, base_url=base_url, api_key=api_key or "geen-sleutel",
                      timeout=timeout, max_retries=0, temperature=0, max_tokens=max_tokens)
