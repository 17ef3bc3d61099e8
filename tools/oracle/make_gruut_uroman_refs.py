"""Reference outputs of upstream's gruut phonemizer and uroman romanisation.

Run with the oracle venv (``coqui-tts`` 0.28 plus ``gruut[de,es,fr]`` and ``uroman``)
from a directory outside the repo, so that upstream's ``TTS`` is imported::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_gruut_uroman_refs.py \
        /work/main/tests/data/parity/text/gruut_uroman.json

Records:

- ``gruut``: upstream's ``Gruut`` on a text set per language (the languages the
  ``gruut[de,es,fr]`` extra installs, under their short and regional codes) with the
  knobs the class offers (espeak lexicons, stress, punctuation, separator), and the
  default phonemizer upstream picks for each code gruut knows;
- ``tokenizer``: ``TTSTokenizer.init_from_config`` on phoneme configs whose
  ``phonemizer`` is ``"gruut"`` (or whose language defaults to gruut): cleaned text,
  phonemes and token ids;
- ``uroman``: ``uroman_cleaners`` on texts in many scripts, with and without a language;
- ``mms``: token ids of a Fairseq MMS voice trained on ``*.uroman`` files, through
  ``Vits.load_fairseq_checkpoint`` on a folder with an empty state dict.
- ``gruut_history``: French phonemes of a fixed sequence of calls in a fresh process
  (gruut's answers depend on what it analysed before; see ``GRUUT_HISTORY``).

Where upstream 0.28 loses the words after a leading punctuation mark (see
``docs/upstream/text-leading-punctuation.md``), the case records upstream's output under
``upstream`` and the corrected expectation (the words phonemized by upstream's own
``_phonemize`` call, with the mark in front) as the expected value.
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import TTS

if "site-packages" not in TTS.__file__:
    sys.exit(f"Upstream TTS expected, got {TTS.__file__}: run from a directory outside the repo.")

import gruut  # noqa: E402
import torch  # noqa: E402

from TTS.tts.configs.shared_configs import BaseTTSConfig, CharactersConfig  # noqa: E402
from TTS.tts.configs.vits_config import VitsConfig  # noqa: E402
from TTS.tts.models.vits import Vits, VitsArgs  # noqa: E402
from TTS.tts.utils.languages import normalize_language  # noqa: E402
from TTS.tts.utils.text import cleaners  # noqa: E402
from TTS.tts.utils.text.phonemizers import get_default_phonemizer  # noqa: E402
from TTS.tts.utils.text.phonemizers.espeak_wrapper import get_espeakng_version  # noqa: E402
from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut  # noqa: E402
from TTS.tts.utils.text.tokenizer import TTSTokenizer  # noqa: E402

PACKAGES = [
    "coqui-tts",
    "gruut",
    "gruut-ipa",
    "gruut_lang_en",
    "gruut_lang_de",
    "gruut_lang_es",
    "gruut_lang_fr",
    "num2words",
    "Babel",
    "dateparser",
    "python-crfsuite",
    "uroman",
]

# Per language: a lone leading punctuation run (upstream drops the words after it), a
# text without punctuation, an empty text.
COMMON = {
    "en-us": ["...and then", "hello world", ""],
    "de": ["...und dann", "hallo welt", ""],
    "es": ["—Hola amigo", "hola mundo", ""],
    "fr": ["...et puis", "bonjour le monde", ""],
}
TEXTS = {
    "en-us": [
        "Be a voice, not an! echo?",
        "Dr. Smith paid $20.50 for 3 books on Jan. 5th, 2024.",
        "It's 3:30 pm; the meeting (room 12B) starts at 10 o'clock.",
        "The U.S.A. and NASA—both big—spent 1,000,000 dollars… really?",
        '"Quoted text," she said. «Guillemets» and “curly quotes”!',
        "I read 42 of the 100 books; 7.5% of them were red.",
        "Don't stop-believing, we'll go to St. Louis & Mt. Everest.",
        "¿What? ¡No! The 1st, 2nd and 3rd place.",
        "First sentence. Second sentence! Third one? Fourth…",
        "  leading and trailing spaces, and a trailing comma,",
        "Mr. and Mrs. Jones live at 221B Baker St.",
        "UPPER CASE words and MiXeD cAsE",
    ],
    "de": [
        "Guten Tag, wie geht es Ihnen?",
        "Ich habe 3 Äpfel und 25 Bücher gekauft.",
        "Der Preis beträgt 12,50 € bzw. ca. 13 Dollar!",
        "Am 1. Mai 2024 um 14:30 Uhr – das ist wichtig.",
        "„Straße, Größe“: schön; übermäßig. Dr. Müller (1.000.000)…",
        "Erster Satz. Zweiter Satz! Dritter Satz?",
    ],
    "es": [
        "¿Dónde está la biblioteca?",
        "¡Hola! ¿Cómo estás?",
        "Tengo 3 manzanas y 25 libros.",
        "El Sr. García pagó 15,50 € el 1 de mayo de 2024.",
        "Son las 10:30; niño, pingüino: «una cita» — sí…",
        "Primera frase. Segunda frase! El 1º lugar, 3,5%?",
    ],
    "fr": [
        "Bonjour, comment allez-vous ?",
        "J'ai 3 pommes et 25 livres.",
        "M. Dupont a payé 12,50 € le 1er mai 2024.",
        "Il est 14h30 ; la réunion commence à 15 heures.",
        "« Des guillemets » et (des parenthèses)…",
        "Où est l'hôtel ? Là-bas, près de l'église !",
        "Première phrase. Deuxième phrase! Troisième phrase?",
        "C'est le 21e siècle, 3,14 est pi.",
        "Noël, cœur, naïf, façade : très bien.",
        "Mme Martin et Dr Bernard sont là.",
    ],
}
# Codes under which configs name each gruut language (all resolve to the packages above):
# checked with the default settings on the first few texts.
ALIASES = {"en-us": ["en-gb", "en"], "de": ["de-de"], "es": ["es-es"], "fr": ["fr-fr"]}
ALIAS_TEXTS = 3
SETTINGS = {
    "default": {},
    "espeak": {"use_espeak_phonemes": True},
    "stress": {"keep_stress": True},
    "espeak_stress": {"use_espeak_phonemes": True, "keep_stress": True},
    "no_puncs": {"keep_puncs": False},
}
SEPARATORS = ["|", ""]
# gruut scans its de/es lexicons for every unknown word (tens of ms each): to keep the
# test fast, those two skip "no_puncs", which only changes what the shared base class
# hands to gruut.
SKIP_SETTINGS = {"de": ["no_puncs"], "es": ["no_puncs"]}

# Default IPA symbol set plus the characters gruut emits that it lacks (tie bar, non-syllabic).
VITS_CHARACTERS = {
    "characters_class": "TTS.tts.models.vits.VitsCharacters",
    "pad": "_",
    "eos": "",
    "bos": "",
    "blank": None,
    "characters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "punctuations": ';:,.!?¡¿—…"«»“” ',
    "phonemes": "ɑɐɒæɓʙβɔɕçɗɖðʤəɘɚɛɜɝɞɟʄɡɠɢʛɦɧħɥʜɨɪʝɭɬɫɮʟɱɯɰŋɳɲɴøɵɸθœɶʘɹɺɾɻʀʁɽʂʃʈʧʉʊʋⱱʌɣɤʍχʎʏʑʐʒʔʡʕʢǀǁǂǃˈˌːˑʼʴʰʱʲʷˠˤ˞↓↑→↗↘'̩'ᵻ̯̃͡",
    "is_unique": False,
    "is_sorted": True,
}

UROMAN_TEXTS = [
    ("Привет, мир! Как дела?", "rus"),
    ("Добрий день, Київ.", "ukr"),
    ("Καλημέρα κόσμε; Τι κάνεις;", "ell"),
    ("مرحبا بالعالم، كيف حالك؟", "ara"),
    ("नमस्ते दुनिया। आप कैसे हैं?", "hin"),
    ("你好，世界！今天天气很好。", "cmn"),
    ("안녕하세요, 세계! 반갑습니다.", "kor"),
    ("ሰላም ለዓለም። እንዴት ነህ?", "amh"),
    ("שלום עולם, מה שלומך?", "heb"),
    ("สวัสดีชาวโลก", "tha"),
    ("こんにちは、世界。カタカナとひらがな。", "jpn"),
    ("გამარჯობა მსოფლიო", "kat"),
    ("Բարեւ աշխարհ", "hye"),
    ("ওহে বিশ্ব, কেমন আছেন?", "ben"),
    ("வணக்கம் உலகம்", "tam"),
    ("Здраво свете 123, 4.5", "srp"),
    ("Café naïve façade — Straße", "deu"),
    ("  Mixed   Latin and Кириллица\tand 12 numbers  ", None),
]
MMS_VOCAB = ["_", " ", "'", "-", *"abcdefghijklmnopqrstuvwxyz", "0", "1", "2", "3", "4", "5"]


def corrected(phonemizer: Gruut, text: str, separator: str) -> str | None:
    """Upstream drops the words after a lone leading punctuation run; rebuild them with its own calls."""
    if not phonemizer._keep_puncs:
        return None
    stripped = text.strip()
    pieces, puncs = phonemizer._punctuator.strip_to_restore(stripped)
    if pieces or len(puncs) != 1 or puncs[0].punc == stripped:
        return None
    rest = stripped[len(puncs[0].punc) :]
    return phonemizer._punctuator.restore([phonemizer._phonemize(rest, separator)], puncs)[0]


def phonemize_case(phonemizer: Gruut, text: str, separator: str) -> dict | str:
    got = phonemizer.phonemize(text, separator=separator)
    fixed = corrected(phonemizer, text, separator)
    if fixed is not None and fixed != got:
        return {"expected": fixed, "upstream": got}
    return got


def gruut_refs() -> dict:
    languages = {}
    for language, texts in TEXTS.items():
        texts = texts + COMMON[language]
        outputs: dict[str, list] = {}
        for name, kwargs in SETTINGS.items():
            if name in SKIP_SETTINGS.get(language, []):
                continue
            phonemizer = Gruut(language, **kwargs)
            for separator in SEPARATORS if name == "default" else ["|"]:
                key = f"{name}/sep_{separator or 'none'}"
                outputs[key] = [phonemize_case(phonemizer, t, separator) for t in texts]
        aliases = {}
        for code in ALIASES[language]:
            phonemizer = Gruut(code)
            aliases[code] = [phonemize_case(phonemizer, t, "|") for t in texts[:ALIAS_TEXTS]]
        print(language, outputs["default/sep_|"][:2])
        languages[language] = {"texts": texts, "outputs": outputs, "aliases": aliases}
    codes = sorted({*gruut.get_supported_languages(), *TEXTS, *(a for v in ALIASES.values() for a in v)})
    defaults = {}
    for code in codes:
        try:
            defaults[code] = get_default_phonemizer(code)
        except ValueError:
            defaults[code] = None
    return {
        "settings": SETTINGS,
        "languages": languages,
        "supported_languages": sorted(gruut.get_supported_languages()),
        "defaults": defaults,  # depends on espeak-ng's voice list too
        "espeak_ng_version": get_espeakng_version(),
    }


def build_config(fields: dict) -> BaseTTSConfig:
    fields = dict(fields)
    chars = fields.pop("characters", None)
    config = BaseTTSConfig(**fields)
    if chars is not None:
        config.characters = CharactersConfig(**chars)
    return config


def tokenizer_case(name: str, fields: dict, items: list[tuple[str, str | None]]) -> dict:
    tokenizer, new_config = TTSTokenizer.init_from_config(build_config(fields))
    runs = []
    for text, language in items:
        cleaned = tokenizer.text_cleaner(text, lang=normalize_language(language))
        phonemes = tokenizer.phonemizer.phonemize(cleaned, separator="", language=language)
        run = {"text": text, "language": language, "cleaned": cleaned, "phonemes": phonemes}
        ids = tokenizer.text_to_ids(text, language=language)
        fixed = corrected(tokenizer.phonemizer, cleaned, "")
        if fixed is not None and fixed != phonemes:
            run["upstream_phonemes"], run["upstream_ids"] = phonemes, ids
            run["phonemes"] = fixed
            ids = tokenizer.encode(fixed)
            if tokenizer.add_blank:
                ids = tokenizer.intersperse_blank_char(ids)
            if tokenizer.use_eos_bos:
                ids = tokenizer.pad_with_bos_eos(ids)
        run["ids"] = ids
        runs.append(run)
    return {
        "name": name,
        "config": fields,
        "phonemizer": new_config.phonemizer,
        "num_chars": tokenizer.characters.num_chars,
        "runs": runs,
    }


def tokenizer_refs() -> list[dict]:
    cases = []
    for language, voice in (("en-us", "en-us"), ("de", "de"), ("es", "es"), ("fr", "fr-fr")):
        # phoneme_cleaners spells digits in English, which a de/es lexicon does not know
        # (slow lookups, nothing learnt): texts without digits here.
        plain = [t for t in TEXTS[language] if not any(c.isdigit() for c in t)][:2]
        items = [(t, None) for t in plain + COMMON[language][:1]]
        cases.append(
            tokenizer_case(
                f"gruut_{voice}",  # default IPA set, phoneme_cleaners, blanks
                {
                    "use_phonemes": True,
                    "phonemizer": "gruut",
                    "phoneme_language": voice,
                    "text_cleaner": "phoneme_cleaners",
                    "add_blank": True,
                },
                items,
            )
        )
        cases.append(
            tokenizer_case(
                f"gruut_{voice}_vitschars_multilingual",
                {
                    "use_phonemes": True,
                    "phonemizer": "gruut",
                    "phoneme_language": voice,
                    "text_cleaner": "multilingual_cleaners",
                    "add_blank": True,
                    "characters": VITS_CHARACTERS,
                },
                [(t, voice) for t in TEXTS[language][4:6]],
            )
        )
    # No phonemizer named: gruut is upstream's default for codes espeak lacks.
    for voice, language in (("de-de", "de"), ("es-es", "es")):
        cases.append(
            tokenizer_case(
                f"default_{voice}",
                {
                    "use_phonemes": True,
                    "phoneme_language": voice,
                    "text_cleaner": "multilingual_phoneme_cleaners",
                    "enable_eos_bos_chars": True,
                },
                [(t, voice) for t in TEXTS[language][:2]],
            )
        )
    return cases


def uroman_refs() -> list[dict]:
    cases = []
    for text, lcode in UROMAN_TEXTS:
        for lang in dict.fromkeys([lcode, None]):
            cases.append({"text": text, "lang": lang, "out": cleaners.uroman_cleaners(text, lang=lang)})
    return cases


def mms_refs() -> dict:
    data = {"sampling_rate": 16000, "training_files": "train.uroman", "add_blank": True}
    args = VitsArgs(hidden_channels=16, hidden_channels_ffn_text_encoder=32, num_layers_text_encoder=1)
    config = VitsConfig(model_args=args)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        torch.save({"model": {}}, folder / "G_100000.pth")
        (folder / "vocab.txt").write_text("\n".join(MMS_VOCAB) + "\n", encoding="utf-8")
        (folder / "config.json").write_text(json.dumps({"data": data}), encoding="utf-8")
        model = Vits(config)
        model.load_fairseq_checkpoint(config, folder / "G_100000.pth", eval=True, strict=False)
    runs = []
    for text, _ in UROMAN_TEXTS[:8]:
        for language in (None, "ru"):
            runs.append({"text": text, "language": language, "ids": model.tokenizer.text_to_ids(text, language)})
    return {"vocab": MMS_VOCAB, "data": data, "runs": runs}


# gruut's French liaison rewrites the pronunciations gruut keeps in memory, so its output
# depends on what the process analysed before ("les chats" is read "lez ʃa" after "Les
# amis"). Upstream calls gruut for every phonemize; a fresh process phonemizes this
# sequence (each text twice, as a tokenizer that records the phonemes and then the ids
# does), and our test replays it in a fresh process.
GRUUT_HISTORY = [
    "24,00 œuvre €20 |qu'il qu'il qu'il n'est",
    "24 heures",
    "21",
    "24 heures",
    "Les amis arrivent.",
    "les chats",
    "quatre-vingts ans, 80",
]
_HISTORY_SCRIPT = """
import json, sys
from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut
texts = json.loads(sys.argv[1])
g = Gruut("fr-fr")
print(json.dumps([g.phonemize(t, separator="") for t in texts for _ in range(2)], ensure_ascii=False))
"""


def gruut_history() -> dict:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _HISTORY_SCRIPT, json.dumps(GRUUT_HISTORY)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    ).stdout
    return {"language": "fr-fr", "texts": GRUUT_HISTORY, "calls_per_text": 2, "phonemes": json.loads(out)}


def main(out_path: str) -> None:
    refs = {
        "versions": {name: version(name) for name in PACKAGES},
        "gruut": gruut_refs(),
        "tokenizer": tokenizer_refs(),
        "uroman": uroman_refs(),
        "mms": mms_refs(),
        "gruut_history": gruut_history(),
    }
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(refs, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(sys.argv[1])
