"""Read clock times in English: ``3:30pm`` -> ``three thirty p m``."""

from __future__ import annotations

import re

from .number_words import cardinal

__all__ = ["expand_time_english"]

# hours 0-23, minutes 00-59, an optional am/pm. The dotted alternatives are written as
# upstream wrote them (they need literal backslashes, so "a.m." never matches them).
_time_re = re.compile(
    r"\b(0?[0-9]|1[0-9]|2[0-3]):([0-5][0-9])(\s*(?:a\\.m\\.|am|pm|p\\.m\\.|a\\.m|p\\.m))?\b",
    re.IGNORECASE,
)


def _spoken_time(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    past_noon = hour >= 12
    if hour > 12:
        hour -= 12
    elif hour == 0:
        hour, past_noon = 12, True
    words = [cardinal(hour)]
    minute = int(match.group(2))
    if minute:
        if minute < 10:
            words.append("oh")
        words.append(cardinal(minute))
    suffix = match.group(3)
    if suffix is None:
        words.append("p m" if past_noon else "a m")
    else:
        words.extend(suffix.strip().replace(".", ""))
    return " ".join(words)


def expand_time_english(text: str) -> str:
    """Spell every clock time in ``text``.

    Unlike upstream 0.28, the whitespace after a time without am/pm is kept
    ("at 3:30 today" -> "at three thirty a m today", not "... a mtoday");
    see docs/upstream/text-time-glue.md.
    """
    return _time_re.sub(_spoken_time, text)
