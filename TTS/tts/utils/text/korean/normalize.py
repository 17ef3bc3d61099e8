"""Korean text normalisation before G2P: drop Han characters, read out English words and letters.

The word lists are the ones the released Korean front-end used, so models trained on it
see the same readings.
"""

from __future__ import annotations

import re

__all__ = ["ENGLISH_READINGS", "SPECIAL_READINGS", "normalize_korean"]

# Han ideographs and CJK radicals/marks are removed (the released front-end had no reading
# for them). Compatibility ideographs (U+F900..) are kept, as it did.
_HAN = re.compile(
    "[\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4db5\u4e00-\u9fc3]"
)
_LATIN_WORD = re.compile("[A-Za-z]+")

SPECIAL_READINGS: dict[str, str] = {"1+1": "원플러스원", "2+1": "투플러스원"}
_SPECIAL = re.compile("|".join(re.escape(key) for key in SPECIAL_READINGS))

# Upper-case words and letters read in Hangul; other Latin words are left to the G2P.
ENGLISH_READINGS: dict[str, str] = {
    "KOREA": "코리아", "IDOL": "아이돌", "IT": "아이티", "IQ": "아이큐", "UP": "업", "DOWN": "다운", "PC": "피씨",
    "CCTV": "씨씨티비", "SNS": "에스엔에스", "AI": "에이아이", "CEO": "씨이오", "A": "에이", "B": "비", "C": "씨",
    "D": "디", "E": "이", "F": "에프", "G": "지", "H": "에이치", "I": "아이", "J": "제이", "K": "케이", "L": "엘",
    "M": "엠", "N": "엔", "O": "오", "P": "피", "Q": "큐", "R": "알", "S": "에스", "T": "티", "U": "유",
    "V": "브이", "W": "더블유", "X": "엑스", "Y": "와이", "Z": "제트",
}  # fmt: skip


def normalize_korean(text: str) -> str:
    """Text as the Korean G2P expects it: stripped, Han removed, readings substituted, lower case."""
    text = _HAN.sub("", text.strip())
    text = _SPECIAL.sub(lambda m: SPECIAL_READINGS[m.group()], text)
    text = _LATIN_WORD.sub(lambda m: ENGLISH_READINGS.get(m.group(), m.group()), text)
    return text.lower()
