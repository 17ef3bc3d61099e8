"""Make the XTTS tokenizer parity fixtures with upstream coqui-tts 0.28 as the oracle.

Run with the oracle venv from a directory outside the repository (so that
upstream's ``TTS`` is imported, not ours)::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_xtts_token_refs.py

It reads ``tests/data/parity/xtts_tokens/texts.json`` and writes, next to it:

- ``vocab.json``: a small BPE vocabulary in the released XTTS v2 layout (the
  real one cannot be downloaded here). An existing ``vocab.json`` is kept, so
  that adding texts does not change the references of the old ones; it is
  (re)trained only when missing or with ``--retrain-vocab``. It is trained deterministically with the
  ``tokenizers`` library on upstream's cleaned text of the text set plus the
  letters of every script the cleaned text of the 17 languages can contain;
  it has the special tokens ``[STOP] [UNK] [SPACE] [START]`` and one ``[lang]``
  token per language, a whitespace pre-tokenizer and no normalizer, as the
  released vocab does.
- ``refs.json``: for every text, upstream's cleaned text, token ids and decoded
  text, or the error upstream raised; plus the versions of the packages the
  cleaning depends on.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "parity" / "xtts_tokens"

LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "pl", "tr", "ru", "nl", "cs", "ar", "zh-cn", "hu", "ko", "ja", "hi"]
SPECIAL_TOKENS = ["[STOP]", "[UNK]", "[SPACE]", "[START]"] + [f"[{lang}]" for lang in LANGUAGES]
VOCAB_SIZE = 1000


def _alphabet() -> list[str]:
    """Characters the cleaned text of the 17 languages can contain (zh/ja/ko arrive romanised)."""
    ranges = [
        (0x21, 0x7E),  # ASCII letters, digits, punctuation
        (0xA1, 0xBF),  # ¡ « » ¿ and friends (not £ ° on purpose: they are spelled out)
        (0xDF, 0xFF),  # Latin-1 lower-case letters
        (0x100, 0x17F),  # Latin Extended-A (pl cs tr hu)
        (0x430, 0x44F),  # Cyrillic lower case
        (0x451, 0x451),  # ё
        (0x60C, 0x60C),  # Arabic comma
        (0x61B, 0x61F),  # Arabic semicolon, question mark
        (0x621, 0x652),  # Arabic letters and harakat
        (0x900, 0x97F),  # Devanagari
        (0x2013, 0x2014),  # dashes
        (0x2018, 0x201E),  # quotes
        (0x2026, 0x2026),  # ellipsis
    ]
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    chars -= {"£", "°", "€"}  # left out: these must come out of the cleaner as words or as [UNK]
    return sorted(chars)


def _upstream_clean(tokenizer, text: str, lang: str) -> str:
    return tokenizer.preprocess_text(text, lang.split("-")[0])


def build_vocab(corpus: list[str], path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]", fuse_unk=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=_alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    path.write_text(tokenizer.to_str(pretty=False) + "\n", encoding="utf-8")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DATA)
    parser.add_argument(
        "--retrain-vocab",
        action="store_true",
        help="train vocab.json again from the text set (changes the ids of every reference)",
    )
    args = parser.parse_args()
    if str(REPO) in sys.path or Path.cwd().resolve().is_relative_to(REPO):
        parser.error("run from a directory outside the repository, with the oracle venv")

    import TTS
    from TTS.tts.layers.xtts.tokenizer import VoiceBpeTokenizer

    if not Path(TTS.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()):
        parser.error(f"imported TTS from {TTS.__file__}, not from the oracle venv")

    texts = json.loads((DATA / "texts.json").read_text(encoding="utf-8"))
    items = texts["cases"] + texts["fixes"]
    cleaner = VoiceBpeTokenizer()

    args.out_dir.mkdir(parents=True, exist_ok=True)
    vocab_path = args.out_dir / "vocab.json"
    if args.retrain_vocab or not vocab_path.is_file():
        corpus: list[str] = []
        for item in items:
            try:
                corpus.append(_upstream_clean(cleaner, item["text"], item["lang"]))
            except Exception:  # upstream crashes on some of the fixes
                pass
            if "expected" in item:
                corpus.append(item["expected"])
        build_vocab(corpus, vocab_path)

    tokenizer = VoiceBpeTokenizer(vocab_file=vocab_path)
    refs = []
    for item in items:
        ref = {"id": item["id"], "lang": item["lang"], "text": item["text"]}
        try:
            ref["clean"] = _upstream_clean(tokenizer, item["text"], item["lang"])
            ref["ids"] = tokenizer.encode(item["text"], item["lang"])
            ref["decoded"] = tokenizer.decode(ref["ids"])
        except Exception as error:
            ref["error"] = f"{type(error).__name__}: {error}"
        refs.append(ref)

    versions = {
        name: _version(name)
        for name in ("coqui-tts", "num2words", "tokenizers", "pypinyin", "cutlet", "fugashi", "unidic-lite")
    }
    versions["ko-speech-tools"] = _version("ko-speech-tools")
    out = {
        "about": "Upstream coqui-tts 0.28 XTTS tokenizer on texts.json with vocab.json; made by "
        "tools/oracle/make_xtts_token_refs.py.",
        "versions": versions,
        "special_tokens": {tok: tokenizer.tokenizer.token_to_id(tok) for tok in SPECIAL_TOKENS},
        "number_tokens": tokenizer.get_number_tokens(),
        "refs": refs,
    }
    (args.out_dir / "refs.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    failed = [r["id"] for r in refs if "error" in r]
    print(
        f"wrote {vocab_path} ({vocab_path.stat().st_size} bytes) and refs.json: {len(refs)} texts, upstream failed on {failed}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
