"""Reference outputs of upstream's text front-end (cleaners, espeak phonemes, token ids).

Run with the oracle venv (``coqui-tts`` 0.28) from a directory outside the repo, so
that upstream's ``TTS`` is imported, not ours::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_text_refs.py \
        /work/main/tests/data/parity/text

Reads ``texts.json`` (language -> sentences) from that folder and writes:

- ``refs_phoneme.json``: phoneme models (VITS-like English and one config per
  espeak language): cleaned text, phonemes and token ids per sentence;
- ``refs_grapheme.json``: grapheme models (Tacotron2-DDC-like, YourTTS-like);
- ``refs_cleaners.json``: every cleaner on every sentence, English number
  normalisation and Chinese numerals on a list of numbers, and the espeak-ng version;
  ``numbers_corrected`` holds the inputs where upstream raises (ordinals of 37+ digits)
  with upstream's error and the corrected expectation.

Where upstream 0.28 loses the words after a leading punctuation mark
("¿Dónde estás" -> "¿"), the case records upstream's output under ``upstream_*``
and the corrected expectation (the words phonemized by upstream's espeak call,
with the mark in front) in ``phonemes``/``ids``.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import TTS
from TTS.tts.configs.shared_configs import BaseDatasetConfig, BaseTTSConfig, CharactersConfig
from TTS.tts.utils.languages import normalize_language
from TTS.tts.utils.text import cleaners
from TTS.tts.utils.text.chinese_mandarin.numbers import replace_numbers_to_characters_in_text
from TTS.tts.utils.text.english.number_norm import normalize_numbers
from TTS.tts.utils.text.phonemizers.espeak_wrapper import get_espeakng_version
from TTS.tts.utils.text.tokenizer import TTSTokenizer

if "site-packages" not in TTS.__file__:
    sys.exit(f"Upstream TTS expected, got {TTS.__file__}: run from a directory outside the repo.")

# espeak voice per text language for the per-language phoneme models.
ESPEAK_VOICES = {
    "en": ["en", "en-us", "en-gb"],
    "de": ["de"],
    "fr": ["fr-fr"],
    "es": ["es"],
    "pt": ["pt", "pt-br"],
    "it": ["it"],
    "nl": ["nl"],
    "pl": ["pl"],
    "ru": ["ru"],
    "tr": ["tr"],
    "uk": ["uk"],
    "cs": ["cs"],
    "hu": ["hu"],
    "fi": ["fi"],
    "el": ["el"],
    "sv": ["sv"],
    "ca": ["ca"],
    "ro": ["ro"],
    "bg": ["bg"],
    "da": ["da"],
    "sk": ["sk"],
    "hr": ["hr"],
    "fa": ["fa"],
}

# Symbol sets in the style of released configs.
VITS_EN_CHARACTERS = {
    "characters_class": "TTS.tts.models.vits.VitsCharacters",
    "pad": "_",
    "eos": "",
    "bos": "",
    "blank": None,
    "characters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "punctuations": ';:,.!?¡¿—…"«»“” ',
    "phonemes": "ɑɐɒæɓʙβɔɕçɗɖðʤəɘɚɛɜɝɞɟʄɡɠɢʛɦɧħɥʜɨɪʝɭɬɫɮʟɱɯɰŋɳɲɴøɵɸθœɶʘɹɺɾɻʀʁɽʂʃʈʧʉʊʋⱱʌɣɤʍχʎʏʑʐʒʔʡʕʢǀǁǂǃˈˌːˑʼʴʰʱʲʷˠˤ˞↓↑→↗↘'̩'ᵻ",
    "is_unique": False,
    "is_sorted": True,
}
TACOTRON_CHARACTERS = {
    "pad": "_",
    "eos": "~",
    "bos": "^",
    "blank": None,
    "characters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "punctuations": "!'(),-.:;? ",
    "phonemes": None,
    "is_unique": True,
    "is_sorted": True,
}
YOURTTS_CHARACTERS = {
    "characters_class": "TTS.tts.models.vits.VitsCharacters",
    "pad": "_",
    "eos": "&",
    "bos": "*",
    "blank": None,
    "characters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\u00af\u00b7\u00df\u00e0\u00e1\u00e2\u00e3\u00e4"
    "\u00e6\u00e7\u00e8\u00e9\u00ea\u00eb\u00ec\u00ed\u00ee\u00ef\u00f1\u00f2\u00f3\u00f4\u00f5\u00f6\u00f9\u00fa"
    "\u00fb\u00fc\u00ff\u0101\u0105\u0107\u0113\u0119\u011b\u012b\u0131\u0142\u0144\u014d\u0151\u0153\u015b\u016b"
    "\u0171\u017a\u017c\u01ce\u01d0\u01d2\u01d4\u0430\u0431\u0432\u0433\u0434\u0435\u0436\u0437\u0438\u0439\u043a"
    "\u043b\u043c\u043d\u043e\u043f\u0440\u0441\u0442\u0443\u0444\u0445\u0446\u0447\u0448\u0449\u044a\u044b\u044c"
    "\u044d\u044e\u044f\u0451\u0454\u0456\u0457\u0491\u2013!'(),-.:;? ",
    "punctuations": "!'(),-.:;? ",
    "phonemes": None,
    "is_unique": True,
    "is_sorted": True,
}

CLEANERS = [
    "basic_cleaners",
    "transliteration_cleaners",
    "basic_german_cleaners",
    "basic_turkish_cleaners",
    "english_cleaners",
    "phoneme_cleaners",
    "multilingual_phoneme_cleaners",
    "italian_cleaners",
    "french_cleaners",
    "portuguese_cleaners",
    "chinese_mandarin_cleaners",
    "multilingual_cleaners",
    "no_cleaners",
]


def build_config(fields: dict) -> BaseTTSConfig:
    fields = dict(fields)
    chars = fields.pop("characters", None)
    datasets = fields.pop("datasets", None)
    config = BaseTTSConfig(**fields)
    if chars is not None:
        config.characters = CharactersConfig(**chars)
    if datasets is not None:
        config.datasets = [BaseDatasetConfig(**d) for d in datasets]
    return config


def run_case(name: str, fields: dict, items: list[tuple[str, str | None]]) -> dict:
    """Tokenize each (text, language) with upstream's tokenizer built from ``fields``."""
    tokenizer, _ = TTSTokenizer.init_from_config(build_config(fields))
    runs = []
    for text, language in items:
        cleaned = tokenizer.text_cleaner(text, lang=normalize_language(language)) if tokenizer.text_cleaner else text
        run = {"text": text, "language": language, "cleaned": cleaned}
        ids = tokenizer.text_to_ids(text, language=language)
        if tokenizer.phonemizer is not None:
            phonemes = tokenizer.phonemizer.phonemize(cleaned, separator="", language=language)
            run["phonemes"] = phonemes
            fixed = corrected_phonemes(tokenizer, cleaned, language)
            if fixed is not None and fixed != phonemes:
                run["upstream_phonemes"], run["upstream_ids"] = phonemes, ids
                run["deviation"] = "leading-punctuation"
                run["phonemes"] = fixed
                ids = tokenizer.encode(fixed)
                if tokenizer.add_blank:
                    ids = tokenizer.intersperse_blank_char(ids)
                if tokenizer.use_eos_bos:
                    ids = tokenizer.pad_with_bos_eos(ids)
        run["ids"] = ids
        runs.append(run)
    return {"name": name, "config": fields, "num_chars": tokenizer.characters.num_chars, "runs": runs}


def corrected_phonemes(tokenizer: TTSTokenizer, cleaned: str, language: str | None) -> str | None:
    """Upstream drops the words after a lone leading punctuation run; rebuild them with its own calls."""
    phonemizer = tokenizer.phonemizer
    if hasattr(phonemizer, "lang_to_phonemizer"):
        phonemizer = phonemizer.lang_to_phonemizer[language]
    stripped = cleaned.strip()
    pieces, puncs = phonemizer._punctuator.strip_to_restore(stripped)
    if pieces or len(puncs) != 1 or puncs[0].punc == stripped:
        return None
    rest = stripped[len(puncs[0].punc) :]
    return phonemizer._punctuator.restore([phonemizer._phonemize(rest, "")], puncs)[0]


def phoneme_cases(texts: dict[str, list[str]]) -> list[dict]:
    cases = [
        run_case(
            "vits_en_ipa",  # like en/ljspeech/vits: phoneme_cleaners, espeak, default IPA set, blanks
            {
                "use_phonemes": True,
                "phonemizer": "espeak",
                "phoneme_language": "en",
                "text_cleaner": "phoneme_cleaners",
                "add_blank": True,
            },
            [(t, None) for t in texts["en"]],
        ),
        run_case(
            "vits_en_vitschars",  # VitsCharacters symbol set as released VITS configs name it
            {
                "use_phonemes": True,
                "phonemizer": "espeak",
                "phoneme_language": "en-us",
                "text_cleaner": "phoneme_cleaners",
                "add_blank": True,
                "characters": VITS_EN_CHARACTERS,
            },
            [(t, None) for t in texts["en"]],
        ),
        run_case(
            "glowtts_en_eos_bos",  # no phonemizer named: the default for the language is chosen
            {
                "use_phonemes": True,
                "phoneme_language": "en-us",
                "text_cleaner": "phoneme_cleaners",
                "enable_eos_bos_chars": True,
            },
            [(t, "en") for t in texts["en"][:2]],
        ),
    ]
    for lang, voices in ESPEAK_VOICES.items():
        for voice in voices:
            cases.append(
                run_case(
                    f"multilingual_{voice}",
                    {
                        "use_phonemes": True,
                        "phonemizer": "espeak",
                        "phoneme_language": voice,
                        "text_cleaner": "multilingual_cleaners",
                        "add_blank": True,
                    },
                    [(t, None) for t in texts[lang]],
                )
            )
    for lang, voice in (("de", "de"), ("fr", "fr-fr"), ("es", "es")):
        cases.append(
            run_case(
                f"multilingual_phoneme_cleaners_{voice}",
                {
                    "use_phonemes": True,
                    "phonemizer": "espeak",
                    "phoneme_language": voice,
                    "text_cleaner": "multilingual_phoneme_cleaners",
                    "add_blank": True,
                },
                [(t, voice) for t in texts[lang]],
            )
        )
    cases.append(
        run_case(
            "multi_phonemizer",
            {
                "use_phonemes": True,
                "phonemizer": "multi_phonemizer",
                "text_cleaner": "multilingual_cleaners",
                "add_blank": True,
                "datasets": [
                    {"language": "en-us", "phonemizer": "espeak"},
                    {"language": "de", "phonemizer": ""},
                ],
            },
            [(texts["en"][0], "en-us"), (texts["de"][0], "de")],
        )
    )
    return cases


# Texts per language in the first texts.json. Cases that mix languages list their runs
# for these first and the texts added later after them, so existing runs keep their place.
FIRST_TEXTS = {"en": 5, "de": 4, "fr": 4, "es": 4, "pt": 3, "it": 3, "ru": 3, "tr": 3}


def _split_texts(texts: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    first = {lang: items[: FIRST_TEXTS.get(lang, len(items))] for lang, items in texts.items()}
    later = {lang: items[FIRST_TEXTS.get(lang, len(items)) :] for lang, items in texts.items()}
    return first, later


def grapheme_items(texts: dict[str, list[str]], *, first: bool) -> dict[str, list[tuple[str, str | None]]]:
    en = texts["en"]
    yourtts = [(t, "en") for t in en] + [(t, "fr-fr") for t in texts["fr"]] + [(t, "pt-br") for t in texts["pt"]]
    if first:
        yourtts += [(t, "de") for t in texts["de"][:2]] + [(t, "ru") for t in texts["ru"][:1]]
    else:
        yourtts += [(t, "de") for t in texts["de"]] + [(t, "ru") for t in texts["ru"]]
    return {
        "tacotron2_ddc_en": [(t, None) for t in en] + [(t, "en") for t in en],
        "graphemes_default_eos_bos": [(t, None) for t in (en[:2] if first else en)],
        "yourtts": yourtts,
        "basic_cleaners_graphemes": [(t, None) for t in texts["it"] + texts["tr"]],
    }


def grapheme_cases(texts: dict[str, list[str]]) -> list[dict]:
    first, later = _split_texts(texts)
    items = grapheme_items(first, first=True)
    for name, extra in grapheme_items(later, first=False).items():
        items[name] += extra
    return [
        run_case(
            "tacotron2_ddc_en",  # like en/ljspeech/tacotron2-DDC: english_cleaners + graphemes
            {"text_cleaner": "english_cleaners", "characters": TACOTRON_CHARACTERS},
            items["tacotron2_ddc_en"],
        ),
        run_case(
            "graphemes_default_eos_bos",
            {"text_cleaner": "english_cleaners", "enable_eos_bos_chars": True, "add_blank": True},
            items["graphemes_default_eos_bos"],
        ),
        run_case(
            "yourtts",  # multilingual_cleaners, VitsCharacters with accented letters, blanks
            {"text_cleaner": "multilingual_cleaners", "add_blank": True, "characters": YOURTTS_CHARACTERS},
            items["yourtts"],
        ),
        run_case(
            "basic_cleaners_graphemes",
            {
                "text_cleaner": "basic_cleaners",
                "characters": {**YOURTTS_CHARACTERS, "characters_class": None, "is_unique": False},
            },
            items["basic_cleaners_graphemes"],
        ),
    ]


def number_strings() -> list[str]:
    rng = random.Random(1234)
    nums = list(range(0, 121)) + list(range(121, 3200, 7)) + [1000, 1001, 1100, 1900, 2000, 2001, 2009, 2010, 2999]
    nums += [rng.randrange(3000, 10**6) for _ in range(60)] + [rng.randrange(10**6, 10**16) for _ in range(40)]
    nums += [10**6, 10**6 + 5, 10**6 + 100, 10**9 + 5000, 10**12 + 5, 10**33, 10**36 - 1, 10**36 + 5]
    items = [str(n) for n in nums] + [f"-{n}" for n in (1, 5, 42, 1500, 123456)]
    suffix = {1: "st", 2: "nd", 3: "rd"}
    items += [f"{n}{suffix.get(n % 10 if n % 100 not in (11, 12, 13) else 0, 'th')}" for n in range(0, 130)]
    items += ["1000th", "1001st", "12345th", "1000000th", "3nd", "1th"]
    items += ["$5", "$1", "$0.01", "$5.50", "$5.5", "$1,000.25", "$1.2.3", "$0.00", "£1", "£2.01", "¥3", "¥1.5"]
    items += ["1,000", "1,000,000", "1,2", "3.14", "0.5", "10.05", "1,234.56"]
    # Found by fuzzing (odd separators, signs, glued units, huge values next to words).
    items += ["$.50", "$1,000,000", "£1.5", "¥1,000.5", "1.2.3", "1..2", "1,,2", "-0", "+5", "1-2", "1/2", "007"]
    items += ["5kg", "10km", "1990s", "4x4", "1e5", "0x1F", "v1.2.3", "192.168.0.1", "555-1234", "$1st", "21st-century"]
    items += [str(10**36 - 1) + "th", "0" * 40 + "5th", str(10**40) + ".5", "$" + str(10**40), "-" + str(10**37)]
    return items


# Ordinals of 37+ digits: upstream 0.28 raises inflect's NumOutOfRangeError
# (docs/upstream/text-english-huge-ordinals.md); we read the digits as upstream reads them
# without the suffix.
HUGE_ORDINALS = [str(10**36) + "th", str(10**36 + 1) + "st", "12345678901234567890123456789012345678nd"]
_huge_ordinal_re = re.compile(r"([0-9]{37,})(?:st|nd|rd|th)")


def corrected_numbers() -> dict[str, dict[str, str]]:
    out = {}
    for s in HUGE_ORDINALS + [f"the {HUGE_ORDINALS[0]} visitor"]:
        try:
            upstream = normalize_numbers(s)
        except Exception as e:  # noqa: BLE001 - record whatever upstream raises
            upstream = f"{type(e).__name__}"
        out[s] = {"upstream": upstream, "expected": normalize_numbers(_huge_ordinal_re.sub(r"\1", s))}
    return out


def cleaner_refs(texts: dict[str, list[str]]) -> dict:
    outputs: dict[str, dict[str, list[str]]] = {}
    for name in CLEANERS:
        func = getattr(cleaners, name)
        outputs[name] = {lang: [func(t, lang=lang) for t in items] for lang, items in texts.items()}
        outputs[name]["none"] = [func(t, lang=None) for t in texts["en"]]
    numbers = number_strings()
    return {
        "espeak_ng_version": get_espeakng_version(),
        "cleaners": outputs,
        "numbers": {s: normalize_numbers(s) for s in numbers},
        "numbers_corrected": corrected_numbers(),
        "chinese_numbers": {s: replace_numbers_to_characters_in_text(s) for s in numbers if s.isdigit()},
    }


def dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def main() -> None:
    out_dir = Path(sys.argv[1])
    texts = json.loads((out_dir / "texts.json").read_text(encoding="utf-8"))
    dump(out_dir / "refs_phoneme.json", {"espeak_ng_version": get_espeakng_version(), "cases": phoneme_cases(texts)})
    dump(out_dir / "refs_grapheme.json", {"cases": grapheme_cases(texts)})
    dump(out_dir / "refs_cleaners.json", cleaner_refs(texts))


if __name__ == "__main__":
    main()
