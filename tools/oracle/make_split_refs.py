"""Reference sentence splits of upstream coqui-tts 0.28's ``Synthesizer`` for our parity test.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_split_refs.py

Upstream's synthesizer speaks text sentence by sentence (with 10000 zero samples
between), so where it cuts decides the audio. For several model configs (which
decide the default splitting language) and texts in many languages, records
``Synthesizer.split_into_sentences(text, language)``. Only the language manager
of a model is needed, so the model itself is a stand-in.
Writes ``tests/data/parity/text/sentence_splits.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "text" / "sentence_splits.json"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

# name -> VitsConfig fields (model_args under "model_args"); "xtts" uses XttsConfig()
CONFIGS: dict[str, dict] = {
    "vits_default": {},
    "vits_phoneme_de": {"phoneme_language": "de", "use_phonemes": True},
    "vits_dataset_fr": {"datasets": [{"formatter": "ljspeech", "language": "fr-fr"}]},
    "vits_languages_es_it": {"languages": ["it", "es"]},
    "vits_language_ids": {
        "model_args": {"use_language_embedding": True},
        "language_ids": {"pt-br": 0, "en": 1, "fr-fr": 2},
    },
    "vits_phoneme_ja": {"phoneme_language": "ja-jp", "use_phonemes": True},
    "xtts": {},
}

TEXTS: list[str] = [
    "Hello world. This is a test! Is it working? Yes.",
    "Dr. Smith met Mrs. Jones at 5 p.m. They talked about the U.S.A. and e.g. the weather.",
    "It costs $3.50. That's cheap... Or is it?! I think so.",
    'He said "Stop." Then he left. (Really.) OK.',
    "First line\nsecond line. Third   sentence with   spaces.\n\nNew paragraph here",
    "No final punctuation here",
    "Numbers like 1.5 and 2,000.75 stay. Version 3.11.4 too. Call 555-1234.",
    "Mr. and Mrs. Brown went to St. Louis. Prof. Green stayed in No. 5.",
    "Wait... what? Hmm. Okay!!! Fine?!",
    "The meeting is at 10 a.m. tomorrow. Don't be late.",
    "Hallo Welt. Wie geht es dir? Am 3. Mai gehen wir ins Kino. Das ist z.B. gut.",
    "Bonjour le monde. Comment allez-vous ? Très bien, merci ! M. Dupont arrive.",
    "Hola mundo. ¿Cómo estás? ¡Muy bien! La Sra. García llegó ayer.",
    "Ciao mondo. Come stai? Benissimo! Il Sig. Rossi è arrivato.",
    "Hallo wereld. Hoe gaat het? Prima! Dhr. Jansen is er ook.",
    "Привет, мир. Как дела? Отлично! Т.е. всё хорошо.",
    "Witaj świecie. Jak się masz? Dobrze! Tzn. wszystko gra.",
    "Olá mundo. Tudo bem? Sim! O Sr. Silva chegou.",
    "你好，世界。今天天气很好！我们去公园吧？好的。",
    "こんにちは。元気ですか？はい、元気です！",
    "नमस्ते दुनिया। आप कैसे हैं? मैं ठीक हूँ।",
    "مرحبا بالعالم. كيف حالك؟ أنا بخير!",
    "Merhaba dünya. Nasılsın? İyiyim! Dr. Yılmaz geldi.",
    "Ahoj světe. Jak se máš? Dobře! Např. dnes.",
    "Helló világ. Hogy vagy? Jól! Dr. Kovács megjött.",
    "안녕하세요. 잘 지내세요? 네, 잘 지내요!",
    "A sentence with a URL www.example.com in it. And an email a.b@c.de too.",
    "Lists: 1. apples 2. pears 3. plums. Done.",
    "J. R. R. Tolkien wrote it. The end.",
    "  Leading and trailing spaces.   ",
]

CASES: list[tuple[str, str | None]] = [
    ("vits_default", None),
    ("vits_phoneme_de", None),
    ("vits_dataset_fr", None),
    ("vits_languages_es_it", None),
    ("vits_languages_es_it", "it"),
    ("vits_language_ids", None),
    ("vits_language_ids", "pt-br"),
    ("vits_language_ids", "fr-fr"),
    ("vits_phoneme_ja", None),
    ("xtts", "en"),
    ("xtts", "de"),
    ("xtts", "zh-cn"),
    ("xtts", "ja"),
    ("xtts", "hi"),
    ("xtts", "ar"),
    ("xtts", "ru"),
    ("xtts", "pl"),
    ("xtts", "tr"),
    ("xtts", "ko"),
    ("xtts", "es"),
]


def build_config(name: str, work: Path):
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.configs.xtts_config import XttsConfig

    if name == "xtts":
        return XttsConfig()
    fields = dict(CONFIGS[name])
    args = dict(fields.pop("model_args", {}))  # a copy: CONFIGS is written out as it was given
    ids = fields.pop("language_ids", None)
    if ids is not None:
        (work / "language_ids.json").write_text(json.dumps(ids))
        args["language_ids_file"] = str(work / "language_ids.json")
    datasets = fields.pop("datasets", None)
    config = VitsConfig(model_args=VitsArgs(**args), **fields)
    if datasets is not None:
        from TTS.config.shared_configs import BaseDatasetConfig

        config.datasets = [BaseDatasetConfig(**d) for d in datasets]
    return config


def main() -> None:
    from TTS.tts.utils.languages import LanguageManager
    from TTS.utils.synthesizer import Synthesizer

    results = []
    with tempfile.TemporaryDirectory() as work:
        for name, language in CASES:
            config = build_config(name, Path(work))
            stand_in = SimpleNamespace(
                tts_model=SimpleNamespace(language_manager=LanguageManager.init_from_config(config))
            )
            Synthesizer._set_segmenters(stand_in)
            for text in TEXTS:
                results.append(
                    {"config": name, "language": language, "text": text,
                     "sentences": Synthesizer.split_into_sentences(stand_in, text, language)}
                )  # fmt: skip
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "generated_by": "tools/oracle/make_split_refs.py with coqui-tts 0.28 (pysbd 0.3.4)",
        "configs": CONFIGS,
        "cases": results,
    }
    OUT.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    print(len(results), "cases")


if __name__ == "__main__":
    main()
