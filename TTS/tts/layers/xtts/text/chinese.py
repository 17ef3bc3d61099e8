"""Chinese (zh-cn) text normalisation: numbers to characters, then pinyin.

XTTS v2 was trained on Mandarin normalised like this: dates, money,
phone numbers, fractions, percentages, counted quantities, long digit strings
and plain numbers become Chinese characters (in that order), every
punctuation mark becomes an ASCII comma, and the result is written in
numbered-tone pinyin (``你好`` -> ``ni3hao3``). Pinyin needs the ``zh`` extra.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from TTS.core.errors import MissingDependencyError

__all__ = ["chinese_numbers_to_characters", "chinese_to_pinyin", "spell_chinese_number"]

_DIGITS = "零一二三四五六七八九"
_LIANG = "两"
_POINT = "点"
# Powers of ten that have their own character, largest first.
_UNITS = tuple(
    reversed(
        [(1, "十"), (2, "百"), (3, "千"), (4, "万")] + [(8 + 4 * i, ch) for i, ch in enumerate("亿兆京垓秭穰沟涧正载")]
    )
)
_UNIT_CHARS = {power: ch for power, ch in _UNITS}

# A spelled number is a list of tokens: ("d", digit), ("u", power), ("p", 0) for the
# decimal point, or ("l", 2) for 两.
_Token = tuple[str, int]


def _grouped(digits: str) -> list[_Token]:
    """Digits with place units (``"2020"`` -> 2 千 0 2 十); leading zeros give one 零."""
    significant = digits.lstrip("0")
    if not significant:
        return []
    if len(significant) == 1:
        zero = [("d", 0)] if len(digits) != 1 else []
        return zero + [("d", int(significant))]
    power = next(p for p, _ in _UNITS if p < len(significant))
    return _grouped(digits[:-power]) + [("u", power)] + _grouped(significant[-power:])


def _use_liang(tokens: list[_Token]) -> list[_Token]:
    """二 before 百/千/万/... at the start or after such a unit is read 两."""
    out = list(tokens)
    for i, (kind, value) in enumerate(tokens):
        if kind != "d" or value != 2:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        before = tokens[i - 1] if i > 0 else None
        if after is None or after[0] != "u" or after[1] == 1:
            continue
        if before is None or (before[0] == "u" and before[1] != 1):
            out[i] = ("l", 2)
    return out


def spell_chinese_number(number: str, *, place_units: bool = True, liang: bool = True) -> str:
    """``"12.5"`` -> ``十二点五``; ``place_units=False`` reads digit by digit."""
    whole, _, fraction = number.partition(".")
    if "." in fraction:
        raise ValueError(f"not a number: {number!r}")
    if place_units and len(whole) > 1:
        tokens = _grouped(whole)
    else:
        tokens = [("d", int(c)) for c in whole]
    if fraction:
        tokens += [("p", 0)] + [("d", int(c)) for c in fraction]
    if liang:
        tokens = _use_liang(tokens)
    chars = {"d": lambda v: _DIGITS[v], "u": lambda v: _UNIT_CHARS[v], "p": lambda v: _POINT, "l": lambda v: _LIANG}
    text = "".join(chars[kind](value) for kind, value in tokens)
    if text.startswith(_POINT):
        return _DIGITS[0] + text
    if len(text) >= 2 and text[0] == "一" and text[1] == "十":
        return text[1:]  # 十二, not 一十二
    return text


def _cardinal(number: str) -> str:
    return spell_chinese_number(number)


def _digit_string(number: str) -> str:
    return spell_chinese_number(number, place_units=False, liang=False)


def _date(text: str) -> str:
    year, sep, rest = text.strip().partition("年")
    if not sep:
        year, rest = "", text
    else:
        year = _digit_string(year) + "年"
    if not rest:
        return year
    month, sep, day = rest.strip().partition("月")
    if sep:
        month = _cardinal(month) + "月"
    else:
        month, day = "", text
    if day:
        day = _cardinal(day[:-1]) + day[-1]
    return year + month + day


def _money(text: str) -> str:
    for amount in re.findall(r"\d+(?:\.\d+)?", text):
        text = text.replace(amount, _cardinal(amount))
    return text


def _mobile(text: str) -> str:
    return "".join(_digit_string(part) for part in text.strip("+").split())


def _landline(text: str) -> str:
    return "".join(_digit_string(part) for part in text.split("-"))


def _fraction(text: str) -> str:
    numerator, denominator = text.split("/")
    return _cardinal(denominator) + "分之" + _cardinal(numerator)


def _percentage(text: str) -> str:
    return "百分之" + _cardinal(text.strip().strip("%"))


_CURRENCY_UNITS = r"((亿|千万|百万|万|千|百)|(亿|千万|百万|万|千|百|)元|(亿|千万|百万|万|千|百|)块|角|毛|分)"
_MEASURE_WORDS = (
    "匹 张 座 回 场 尾 条 个 首 阙 阵 网 炮 顶 丘 棵 只 支 袭 辆 挑 担 颗 壳 窠 曲 墙 群 腔 砣 座 客 贯 扎 捆 刀 令 打 "
    "手 罗 坡 山 岭 江 溪 钟 队 单 双 对 出 口 头 脚 板 跳 枝 件 贴 针 线 管 名 位 身 堂 课 本 页 家 户 层 丝 毫 厘 分 "
    "钱 两 斤 担 铢 石 钧 锱 忽 (千|毫|微)克 毫 厘 分 寸 尺 丈 里 寻 常 铺 程 (千|分|厘|毫|微)米 撮 勺 合 升 斗 石 盘 "
    "碗 碟 叠 桶 笼 盆 盒 杯 钟 斛 锅 簋 篮 盘 桶 罐 瓶 壶 卮 盏 箩 箱 煲 啖 袋 钵 年 月 日 季 刻 时 周 天 秒 分 旬 纪 "
    "岁 世 更 夜 春 夏 秋 冬 代 伏 辈 丸 泡 粒 颗 幢 堆 条 根 支 道 面 片 张 颗 块"
).split()
_NUMBER = r"(\d+(\.\d+)?)"

# (pattern, converter) in the order they are applied; group 1 is rewritten.
_REWRITES: tuple[tuple[re.Pattern[str], Callable[[str], str]], ...] = (
    (re.compile(r"\D+((([089]\d|(19|20)\d{2})年)?(\d{1,2}月(\d{1,2}[日号])?)?)"), _date),
    (re.compile(r"\D+(" + _NUMBER + "[多余几]?" + _CURRENCY_UNITS + r"(\d" + _CURRENCY_UNITS + r"?)?)"), _money),
    (re.compile(r"\D((\+?86 ?)?1([38]\d|5[0-35-9]|7[678]|9[89])\d{8})\D"), _mobile),
    (re.compile(r"\D((0(10|2[1-3]|[3-9]\d{2})-?)?[1-9]\d{6,7})\D"), _landline),
    (re.compile(r"(\d+/\d+)"), _fraction),
    (re.compile(r"(\d+(\.\d+)?%)"), _percentage),
    (re.compile(_NUMBER + "[多余几]?(" + "|".join(_MEASURE_WORDS) + ")"), _cardinal),
    (re.compile(r"(\d{4,32})"), _digit_string),
    (re.compile(_NUMBER), _cardinal),
)
# Letters around 二 were a written "2" (P2P, B2B): put it back.
_LETTER_TWO_LETTER = re.compile(r"(([a-zA-Z]+)二([a-zA-Z]+))")


def _punctuation() -> str:
    ranges = [(0x2D, 0x2D), (0xB7, 0xB7), (0x2013, 0x2014), (0x2018, 0x2019), (0x201B, 0x201F), (0x2026, 0x2027)]
    ranges += [(0x3001, 0x3003), (0x3008, 0x3011), (0x3014, 0x301F), (0x3030, 0x3030), (0x303E, 0x303F)]
    ranges += [(0xFE4F, 0xFE4F), (0xFF01, 0xFF0D), (0xFF0F, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40)]
    ranges += [(0xFF5B, 0xFF64)]
    wide = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    return wide + string.punctuation


_PUNCTUATION_TO_COMMA = str.maketrans({ch: "," for ch in _punctuation()})


def chinese_numbers_to_characters(text: str) -> str:
    """Rewrite numbers as Chinese characters and every punctuation mark as ``,``."""
    text = "^" + text + "$"  # sentinels: the patterns need a non-digit on each side
    for index, (pattern, convert) in enumerate(_REWRITES):
        if index == 5:
            text = text.replace("％", "%")
        # Each match is rewritten at its first occurrence in the current text.
        for found in [m.group(1) for m in pattern.finditer(text)]:
            text = text.replace(found, convert(found), 1)
    for match in list(_LETTER_TWO_LETTER.finditer(text)):
        text = text.replace(match.group(1), match.group(2) + "2" + match.group(3), 1)
    text = text.lstrip("^").rstrip("$")
    return text.translate(_PUNCTUATION_TO_COMMA)


def chinese_to_pinyin(text: str) -> str:
    """Numbered-tone pinyin without separators (``你好`` -> ``ni3hao3``)."""
    try:
        import pypinyin
    except ImportError as error:
        raise MissingDependencyError("Chinese (zh-cn) text needs pypinyin: pip install coqui-tts-ng[zh]") from error
    syllables = pypinyin.pinyin(text, style=pypinyin.Style.TONE3, heteronym=False, neutral_tone_with_five=True)
    return "".join(item[0] for item in syllables)
