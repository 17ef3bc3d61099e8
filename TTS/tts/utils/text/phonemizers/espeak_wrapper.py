"""G2P with the ``espeak-ng`` (or legacy ``espeak``) command-line program.

A piece of text is written to a temporary file and read with
``espeak-ng -q -b 1 -v <lang> --ipa=1 -f <file>``, the call upstream makes, so the
phonemes are the same for the same espeak-ng. Output lines are stripped, language
switch marks such as ``(en)`` removed, and the lines joined; espeak's ``_`` phoneme
separator becomes the requested separator.

Speed: all pieces of one text (the words between punctuation marks) go to one
espeak-ng process through stdin, one line each, each followed by a sentinel line
whose phonemes (known per voice) mark where a piece's output ends. espeak-ng reads
stdin line by line and phonemizes each line on its own, which gives the same
phonemes as one call per piece (checked on the parity text set); pieces that could
not be read back that way (line breaks, very long, containing the sentinel) fall
back to one call each.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
import tempfile

from packaging.version import Version

from TTS.tts.utils.text.phonemizers.base import BasePhonemizer
from TTS.tts.utils.text.punctuation import Punctuation

logger = logging.getLogger(__name__)

__all__ = ["ESpeak", "get_espeak_version", "get_espeakng_version", "default_backend", "espeak_missing_error"]

_BACKENDS = ("espeak-ng", "espeak")
_INSTALL_HINT = (
    "espeak-ng is needed to turn text into phonemes for this model but was not found on PATH. "
    "Install it: `sudo apt-get install espeak-ng` (Debian/Ubuntu), `brew install espeak-ng` (macOS), "
    "`choco install espeak-ng` (Windows), or see https://github.com/espeak-ng/espeak-ng."
)
_language_flag_re = re.compile(r"\(.+?\)")
_espeak_version_re = re.compile(r"text-to-speech:\s(?P<version>\d+\.\d+(\.\d+)?)")
# Upstream's spellings for languages espeak names differently.
_LANGUAGE_ALIASES = {"en": "en-us", "zh-cn": "cmn"}
_SENTINEL = "qqzx"
_MAX_LINE_BYTES = 500  # espeak-ng reads stdin in fixed-size line buffers


def espeak_missing_error() -> Exception:
    """The error to raise when no espeak program is installed (says how to install one)."""
    from TTS.core.errors import MissingDependencyError

    return MissingDependencyError(_INSTALL_HINT)


def _program_output(cmd: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run an espeak program; a program that is installed but cannot run says so and how to repair it."""
    from TTS.core.errors import MissingDependencyError

    try:
        return subprocess.run(cmd, input=stdin, capture_output=True, encoding="utf8", check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        detail = (getattr(err, "stderr", None) or str(err)).strip().splitlines()
        where = shutil.which(cmd[0]) or cmd[0]
        raise MissingDependencyError(
            f"{cmd[0]} is installed ({where}) but `{' '.join(cmd[:2])} ...` failed"
            f"{f' with exit status {err.returncode}' if isinstance(err, subprocess.CalledProcessError) else ''}"
            f": {detail[-1] if detail else 'no message'}. The installation looks broken (a missing shared "
            f"library, say): reinstall it, e.g. `sudo apt-get install --reinstall {cmd[0]} lib{cmd[0]}1` "
            "(Debian/Ubuntu) or `brew reinstall espeak-ng` (macOS)."
        ) from None


def _run(backend: str, args: list[str], stdin: str | None = None) -> list[str]:
    """Run espeak with UTF-8 input and quiet output; the non-empty stdout lines, stripped."""
    cmd = [backend, "-q", "-b", "1", *args]
    logger.debug("Executing: %r", cmd)
    proc = _program_output(cmd, stdin)
    for line in proc.stderr.splitlines():
        if line.strip():
            logger.warning("%s: %s", backend, line.strip())
    return [line.strip() for line in proc.stdout.strip().split("\n") if line.strip()]


def _join_lines(lines: list[str], separator: str) -> str:
    return "".join(_language_flag_re.sub("", line).strip() for line in lines).replace("_", separator)


@functools.cache
def get_espeakng_version() -> str:
    """Version of the ``espeak-ng`` program, e.g. ``"1.51"``."""
    out = _program_output(["espeak-ng", "--version"]).stdout
    return out.split()[3]


@functools.cache
def get_espeak_version() -> str:
    """Version of the legacy ``espeak`` program (may be a link to espeak-ng)."""
    out = _program_output(["espeak", "--version"]).stdout
    match = _espeak_version_re.search(out)
    if match is None:
        raise RuntimeError(f"Cannot read the espeak version from: {out!r}")
    return match.group("version")


def default_backend() -> str | None:
    """``espeak-ng`` when installed, else ``espeak``, else ``None``."""
    return next((name for name in _BACKENDS if shutil.which(name)), None)


@functools.cache
def _voices(backend: str) -> dict[str, str]:
    languages = {}
    for row in _run(backend, ["--voices"])[1:]:  # first row is the header
        cols = row.split()
        languages[cols[1]] = cols[3]
    return languages


class ESpeak(BasePhonemizer):
    """espeak-ng / espeak phonemizer.

    Args:
        language: an espeak voice code (``"en-us"``, ``"de"``, ``"pt-br"``...); ``"en"`` means ``"en-us"``.
        punctuations: characters kept aside while phonemizing.
        backend: ``"espeak-ng"`` or ``"espeak"``; default: whichever is installed, espeak-ng first.
        keep_puncs: put the punctuation back into the phonemes.
        batch: phonemize the pieces of one text in one espeak run (same output, faster).

    Example:
        >>> ESpeak("en-us").phonemize("Hello, world!", separator="")
        'həlˈoʊ, wˈɜːld!'
    """

    def __init__(
        self,
        language: str,
        punctuations: str = Punctuation.default_puncs(),
        *,
        backend: str | None = None,
        keep_puncs: bool = True,
        batch: bool = True,
    ) -> None:
        self.batch = batch
        self._sentinels: dict[tuple[str, tuple[str, ...]], str | None] = {}
        found = default_backend()
        if found is None:
            self._raise_unavailable()
        self.backend = found
        language = _LANGUAGE_ALIASES.get(language, language)
        super().__init__(language, punctuations=punctuations, keep_puncs=keep_puncs)
        if backend is not None:
            self.backend = backend

    def _raise_unavailable(self) -> None:
        raise espeak_missing_error()

    @property
    def backend(self) -> str:
        return self._backend

    @backend.setter
    def backend(self, backend: str) -> None:
        if backend not in _BACKENDS:
            raise ValueError(f"Unknown espeak backend {backend!r}; use one of {list(_BACKENDS)}.")
        if shutil.which(backend) is None:
            self._raise_unavailable()
        self._backend = backend
        self._backend_version = get_espeakng_version() if backend == "espeak-ng" else get_espeak_version()

    @property
    def backend_version(self) -> str:
        return self._backend_version

    def auto_set_espeak_lib(self) -> None:
        found = default_backend()
        if found is None:
            self._raise_unavailable()
        self.backend = found

    @staticmethod
    def name() -> str:
        return "espeak"

    @classmethod
    def is_available(cls) -> bool:
        return default_backend() is not None

    def version(self) -> str:
        return self.backend_version

    @staticmethod
    def supported_languages() -> dict[str, str]:
        """Voice code -> language name, from ``espeak-ng --voices`` (empty when espeak is missing)."""
        backend = default_backend()
        return dict(_voices(backend)) if backend else {}

    def is_supported_language(self, language: str) -> bool:
        return language in _voices(self.backend)

    def _ipa_args(self, tie: bool | str) -> list[str]:
        if tie:
            # Tie-bar output. A str picks the joining character; True means espeak's U+0361.
            # (Upstream passes "--tie=True", which makes espeak-ng join with the letter "T".)
            tie_arg = "--tie" if tie is True else f"--tie={tie}"
            return ["--ipa=1" if self.backend == "espeak" else "--ipa=3", tie_arg]
        if self.backend == "espeak" and Version(self.backend_version) < Version("1.48.15"):
            return ["--ipa=3"]
        return ["--ipa=1"]  # phonemes separated by "_"

    def phonemize_espeak(self, text: str, separator: str = "|", *, tie: bool | str = False) -> str:
        """Phonemes of ``text`` (no punctuation handling), phonemes joined by ``separator``.

        With ``tie``, the characters of one phoneme are joined by a tie bar instead.
        """
        fd, path = tempfile.mkstemp(suffix=".txt", text=True)
        try:
            with os.fdopen(fd, "w", encoding="utf8") as handle:
                handle.write(text)
            lines = _run(self.backend, ["-v", self._language, *self._ipa_args(tie), "-f", path])
        finally:
            os.unlink(path)
        return _join_lines(lines, separator)

    def _phonemize(self, text: str, separator: str = "") -> str:
        return self.phonemize_espeak(text, separator, tie=False)

    def _sentinel_line(self, args: list[str]) -> str | None:
        key = (self.backend, tuple(args))
        if key not in self._sentinels:
            lines = _run(self.backend, args, stdin=_SENTINEL + "\n")
            self._sentinels[key] = lines[0] if len(lines) == 1 else None
        return self._sentinels[key]

    def _phonemize_pieces(self, pieces: list[str], separator: str) -> list[str]:
        """All pieces in one espeak-ng run (see the module docstring); one run per piece as a fallback."""
        if len(pieces) < 2 or not self.batch:
            return [self._phonemize(piece, separator) for piece in pieces]
        args = ["-v", self._language, *self._ipa_args(False)]
        sentinel = self._sentinel_line(args)
        batchable = sentinel is not None and all(
            "\n" not in p and "\r" not in p and _SENTINEL not in p.lower() and len(p.encode("utf8")) <= _MAX_LINE_BYTES
            for p in pieces
        )
        if batchable:
            lines = _run(self.backend, args, stdin="".join(f"{p}\n{_SENTINEL}\n" for p in pieces))
            outputs: list[list[str]] = [[]]
            for line in lines:
                if line == sentinel:
                    outputs.append([])
                else:
                    outputs[-1].append(line)
            if len(outputs) == len(pieces) + 1 and not outputs[-1]:
                return [_join_lines(out, separator) for out in outputs[:-1]]
            logger.debug("espeak batch output did not split into %d pieces; phonemizing one by one", len(pieces))
        return [self._phonemize(piece, separator) for piece in pieces]
