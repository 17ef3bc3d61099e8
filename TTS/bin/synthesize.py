"""The ``tts`` command: synthesise speech, convert voices, list and describe released models.

Parsing, ``--help``, ``--version``, ``--list_models`` and ``--model_info_*`` never
import torch: heavy modules are imported only when a model is loaded. Bad input
ends with a one-line ``tts: error: ...`` on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["build_parser", "cli_wording", "main", "parse_args"]

logger = logging.getLogger("TTS.bin.synthesize")

DEFAULT_MODEL = "tts_models/en/ljspeech/tacotron2-DDC"
EXIT_USAGE = 2

DESCRIPTION = """Synthesize speech on the command line.

Use a released model (downloaded on first use) or your own checkpoint.

List the released models, and show one:
  tts --list_models
  tts --model_info_by_name tts_models/en/ljspeech/vits
  tts --model_info_by_idx tts_models/3

Synthesize with the default model (tts_models/en/ljspeech/tacotron2-DDC):
  tts --text "Text for TTS" --out_path speech.wav

Write the wav to stdout for a pipe:
  tts --text "Text for TTS" --pipe_out --out_path speech.wav | aplay

Pick a model, and optionally a vocoder:
  tts --text "Text for TTS" --model_name tts_models/en/ljspeech/glow-tts \\
      --vocoder_name vocoder_models/en/ljspeech/univnet --out_path speech.wav

Run your own model (and vocoder):
  tts --text "Text for TTS" --model_path model.pth --config_path config.json \\
      [--vocoder_path vocoder.pth --vocoder_config_path vocoder_config.json] --out_path speech.wav

Multi-speaker and multilingual models:
  tts --model_name tts_models/en/vctk/vits --list_speaker_idxs
  tts --text "Text for TTS" --model_name tts_models/en/vctk/vits --speaker_idx p225 --out_path speech.wav
  tts --text "Bonjour." --model_name tts_models/multilingual/multi-dataset/xtts_v2 \\
      --speaker_wav me.wav --language_idx fr --out_path speech.wav

Voice conversion:
  tts --model_name voice_conversion_models/multilingual/vctk/freevc24 \\
      --source_wav speech.wav --target_wav voice.wav --out_path converted.wav

Devices: --device cpu (default), cuda, cuda:N, mps, or auto (cuda, then mps, then cpu).
Faster, slightly different audio (int8/bf16 where the model has such a mode): --reduced_precision.
"""

_DEVICE_PATTERN = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?|xpu(:\d+)?)$")

# 0.22-only flags: still accepted, with a warning saying what replaces them.
_DEPRECATED_FLAGS = {
    "save_spectogram": "--save_spectogram is ignored: spectrograms are no longer saved by the CLI.",
    "reference_wav": "--reference_wav is deprecated: use --source_wav (and --target_wav or --speaker_idx).",
    "reference_speaker_idx": "--reference_speaker_idx is deprecated: it is the speaker of --source_wav.",
    "language_ids_file_path": "--language_ids_file_path is deprecated: the language file is read from the model folder.",
}


# Library messages name the Python arguments (``speaker=``, ``language=``); the CLI shows its flags.
_FLAGS = (
    ("speaker_wav", "--speaker_wav"),
    ("speaker", "--speaker_idx"),
    ("language", "--language_idx"),
    ("vocoder_name", "--vocoder_name"),
    ("style_wav", "--gst_style/--capacitron_style_wav"),
    ("style_text", "--capacitron_style_text"),
    ("file_path", "--out_path"),
    ("source_wav", "--source_wav"),
    ("target_wav", "--target_wav"),
)
_NAME = r"(?<![\w/\\.-]){}="  # a Python argument name, not part of a path or a flag
_END = r"(?=[\s.,;:)]|$)"  # ... followed by the end of a phrase (not a value)
_CLI_WORDING: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        *((_NAME.format(py) + "(?=<)", flag + " ") for py, flag in _FLAGS),
        *((_NAME.format(py) + _END, flag) for py, flag in _FLAGS),
        (r"`speaker`", "--speaker_idx"),
        (r"`language`", "--language_idx"),
        (r"\(speaker_wav\)", "(--speaker_wav)"),
        (r'the device "cpu" instead, or "auto"', "--device cpu instead, or --device auto"),
    )
)


def cli_wording(message: str) -> str:
    """Rewrite a library message for the command line (Python argument names -> ``tts`` flags)."""
    for pattern, replacement in _CLI_WORDING:
        message = pattern.sub(replacement, message)
    return message


class _CliWordingFilter(logging.Filter):
    """Let warnings from the library name the CLI's flags."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            record.msg, record.args = cli_wording(record.getMessage()), None
        return True


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """Python warnings from the library, shown as CLI warnings (one line, CLI flag names)."""
    logger.warning("%s", cli_wording(str(message)))


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line error format (argparse already exits with status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see tts --help)\n")


def _device(value: str) -> str:
    if not _DEVICE_PATTERN.match(value):
        raise argparse.ArgumentTypeError(f"invalid device {value!r}: use cpu, cuda, cuda:N, mps or auto")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``tts`` argument parser (0.28 flags plus the 0.22 ones)."""
    p = _Parser(prog="tts", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    info = p.add_argument_group("model list and information")
    info.add_argument("--list_models", action="store_true", help="List the released TTS, vocoder and VC models.")
    info.add_argument("--model_info_by_idx", type=str, default=None, help="Describe a model: <model_type>/<index>.")
    info.add_argument(
        "--model_info_by_name",
        type=str,
        default=None,
        help="Describe a model: <model_type>/<language>/<dataset>/<model>.",
    )
    info.add_argument("--version", action="store_true", help="Print the version and exit.")

    main = p.add_argument_group("synthesis")
    main.add_argument("--text", type=str, default=None, help="Text to synthesise.")
    main.add_argument("--model_name", type=str, default=DEFAULT_MODEL, help="Released model name (see --list_models).")
    main.add_argument("--vocoder_name", type=str, default=None, help="Released vocoder to use instead of the default.")
    main.add_argument("--config_path", type=str, default=None, help="Config of a local model (--model_path).")
    main.add_argument("--model_path", type=str, default=None, help="Local model checkpoint (file or folder).")
    main.add_argument("--out_path", type=str, default="tts_output.wav", help="Output wav file.")
    main.add_argument("--use_cuda", action="store_true", help="Run on CUDA (same as --device cuda).")
    main.add_argument("--device", type=_device, default="cpu", help="cpu, cuda, cuda:N, mps or auto. Default: cpu.")
    main.add_argument("--vocoder_path", type=str, default=None, help="Local vocoder checkpoint (default: Griffin-Lim).")
    main.add_argument("--vocoder_config_path", type=str, default=None, help="Config of the local vocoder.")
    main.add_argument("--encoder_path", type=str, default=None, help="Speaker encoder checkpoint.")
    main.add_argument("--encoder_config_path", type=str, default=None, help="Speaker encoder config.")
    main.add_argument("--pipe_out", action="store_true", help="Also write the wav to stdout (logs go to stderr).")
    main.add_argument(
        "--reduced_precision",
        action="store_true",
        help="Opt-in faster mode where the model has one: int8 weights on the CPU (XTTS GPT, Tacotron2 decoder), "
        "bf16 waveform decoders where the CPU/GPU has native bf16 (XTTS, VITS, GAN vocoders). "
        "The audio differs slightly from the default fp32.",
    )
    main.add_argument(
        "--progress_bar",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Show a progress bar while downloading a model.",
    )

    voice = p.add_argument_group("speakers, languages and styles")
    voice.add_argument("--speakers_file_path", type=str, default=None, help="Speakers file of a multi-speaker model.")
    voice.add_argument("--speaker_idx", type=str, default=None, help="Speaker name of a multi-speaker model.")
    voice.add_argument("--language_idx", type=str, default=None, help="Language of a multilingual model.")
    voice.add_argument("--speaker_wav", nargs="+", default=None, help="Reference wav file(s) of the voice to clone.")
    voice.add_argument("--gst_style", default=None, help="Wav file (or style token weights) for GST models.")
    voice.add_argument("--capacitron_style_wav", type=str, default=None, help="Prosody reference wav for Capacitron.")
    voice.add_argument("--capacitron_style_text", type=str, default=None, help="Transcript of --capacitron_style_wav.")
    voice.add_argument("--list_speaker_idxs", action="store_true", help="List the speakers of the model and exit.")
    voice.add_argument("--list_language_idxs", action="store_true", help="List the languages of the model and exit.")
    voice.add_argument("--voice_dir", type=str, default=None, help="Folder for cached cloned voices.")

    vc = p.add_argument_group("voice conversion")
    vc.add_argument("--source_wav", type=str, default=None, help="Recording to convert into the target voice.")
    vc.add_argument("--target_wav", type=str, nargs="*", default=None, help="Recording(s) of the target voice.")

    old = p.add_argument_group("deprecated (TTS 0.22)")
    old.add_argument("--save_spectogram", action="store_true", default=False, help=argparse.SUPPRESS)
    old.add_argument("--reference_wav", type=str, default=None, help="Deprecated: use --source_wav.")
    old.add_argument("--reference_speaker_idx", type=str, default=None, help="Deprecated: speaker of --source_wav.")
    old.add_argument("--language_ids_file_path", type=str, default=None, help="Deprecated: language ids file.")
    return p


def _has_action(args: argparse.Namespace) -> bool:
    return any(
        [
            args.text is not None,
            args.list_models,
            args.list_speaker_idxs,
            args.list_language_idxs,
            args.model_info_by_idx,
            args.model_info_by_name,
            args.source_wav,
            args.target_wav,
            args.reference_wav,
            args.version,
        ]
    )


def parse_args(arg_list: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``arg_list`` (default ``sys.argv[1:]``); with nothing to do, print the help and exit 0."""
    parser = build_parser()
    args = parser.parse_args(arg_list)
    if not _has_action(args):
        parser.print_help()
        parser.exit(0)
    return args


def _setup_logging(to_stderr: bool) -> None:
    """Library modules only log; the CLI shows INFO messages bare, other levels prefixed."""
    from TTS.utils.generic_utils import ConsoleFormatter

    root = logging.getLogger("TTS")
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_tts_cli", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr if to_stderr else sys.stdout)
    handler.setFormatter(ConsoleFormatter())
    handler.addFilter(_CliWordingFilter())
    handler._tts_cli = True  # type: ignore[attr-defined]
    root.addHandler(handler)


class _UsageError(Exception):
    """Bad command-line input found before loading anything."""


def _check_readable(path: str | None, what: str) -> None:
    if path is None:
        return
    p = Path(path)
    if not p.exists():
        raise _UsageError(f"{what} not found: {path}")
    if p.is_file() and not os.access(p, os.R_OK):
        raise _UsageError(f"{what} is not readable: {path}")


def _check_inputs(args: argparse.Namespace) -> None:
    """Validate paths and text before any model is loaded or downloaded."""
    if args.text is not None and not args.text.strip():
        raise _UsageError("--text is empty: give some text to synthesise")
    _check_readable(args.model_path, "model file (--model_path)")
    _check_readable(args.config_path, "config file (--config_path)")
    if args.model_path and not args.config_path:
        model_path = Path(args.model_path)
        beside = (model_path if model_path.is_dir() else model_path.parent) / "config.json"
        if not beside.is_file():
            raise _UsageError(f"no --config_path given and no config.json beside {args.model_path}")
    if args.config_path and not args.model_path:
        logger.warning("--config_path is only used with --model_path; the released model's own config is used.")
    if bool(args.vocoder_path) != bool(args.vocoder_config_path):
        raise _UsageError("--vocoder_path and --vocoder_config_path must be given together")
    _check_readable(args.vocoder_path, "vocoder file (--vocoder_path)")
    _check_readable(args.vocoder_config_path, "vocoder config (--vocoder_config_path)")
    _check_readable(args.encoder_path, "speaker encoder (--encoder_path)")
    _check_readable(args.encoder_config_path, "speaker encoder config (--encoder_config_path)")
    _check_readable(args.speakers_file_path, "speakers file (--speakers_file_path)")
    _check_readable(args.language_ids_file_path, "language ids file (--language_ids_file_path)")
    for wav in args.speaker_wav or []:
        _check_readable(wav, "speaker wav (--speaker_wav)")
    for wav in args.target_wav or []:
        _check_readable(wav, "target wav (--target_wav)")
    _check_readable(args.source_wav, "source wav (--source_wav)")
    _check_readable(args.reference_wav, "reference wav (--reference_wav)")
    _check_readable(args.capacitron_style_wav, "style wav (--capacitron_style_wav)")
    if args.gst_style and args.gst_style.lower().endswith((".wav", ".flac", ".mp3", ".ogg")):
        _check_readable(args.gst_style, "style wav (--gst_style)")
    if args.voice_dir and Path(args.voice_dir).exists() and not Path(args.voice_dir).is_dir():
        raise _UsageError(f"--voice_dir {args.voice_dir} is a file, not a folder")
    if args.target_wav is not None and not args.source_wav and args.text is None:
        raise _UsageError("--target_wav needs --source_wav (the recording to convert)")
    if (
        args.source_wav
        and args.target_wav is None
        and not args.speaker_wav
        and not args.speaker_idx
        and args.text is None
    ):
        raise _UsageError("--source_wav needs --target_wav (or --speaker_idx for a cached voice)")


def _print_lines(lines: Sequence[str]) -> None:
    for line in lines:
        logger.info(line)


def _run_manager_queries(args: argparse.Namespace) -> bool:
    """--list_models / --model_info_*: handled without torch. Returns True when one ran."""
    if not (args.list_models or args.model_info_by_idx or args.model_info_by_name):
        return False
    from TTS.utils.manage import ModelManager

    manager = ModelManager(progress_bar=args.progress_bar)
    if args.list_models:
        manager.list_models()
    elif args.model_info_by_idx:
        manager.model_info_by_idx(args.model_info_by_idx)
    else:
        manager.model_info_by_full_name(args.model_info_by_name)
    return True


def _gst_style(value: str | None) -> Any:
    """--gst_style is a wav path or a JSON dict of style token weights (``{"0": 0.3}``)."""
    if value is None or not value.strip().startswith("{"):
        return value
    import json

    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise _UsageError(f"--gst_style is neither a wav file nor a JSON dict: {exc}") from exc


def _warn_deprecated(args: argparse.Namespace) -> None:
    for flag, message in _DEPRECATED_FLAGS.items():
        value = getattr(args, flag)
        if value:
            logger.warning(message)


def _vocoder_as_model_hint(vocoder: str) -> str:
    from TTS.utils.model_registry import iter_models, load_models_file, lookup_model

    models = load_models_file()
    lookup_model(models, vocoder)  # an unknown name fails with close names
    users = [
        "/".join(parts)
        for parts in iter_models(models, "tts_models")
        if models["tts_models"][parts[1]][parts[2]][parts[3]].get("default_vocoder") == vocoder
    ]
    tts_model = users[0] if users else DEFAULT_MODEL
    return (
        f"--model_name {vocoder} is a vocoder, which only works after a TTS model: pass the TTS model as "
        f"--model_name and the vocoder as --vocoder_name, e.g. tts --model_name {tts_model} "
        f'--vocoder_name {vocoder} --text "..."'
    )


def _check_model_names(args: argparse.Namespace) -> None:
    """Unknown or unsupported released names fail here, before torch is imported or anything downloaded."""
    from TTS.families import check_released_model

    if args.model_path is None:
        if args.model_name.startswith("vocoder_models/"):
            raise _UsageError(_vocoder_as_model_hint(args.model_name))
        entry = check_released_model(args.model_name)
        vocoder = args.vocoder_name or entry.get("default_vocoder")
        if vocoder and not args.vocoder_path:
            check_released_model(vocoder)
    elif args.vocoder_name:
        check_released_model(args.vocoder_name)


def _cli_inputs(args: argparse.Namespace) -> dict[str, Any]:
    """Input files named on the command line, by flag: --out_path must not be any of them."""
    model_files: list[str] = []
    if args.model_path:
        model = Path(args.model_path)
        folder = model if model.is_dir() else model.parent
        model_files = [str(f) for f in folder.iterdir() if f.is_file() and f.suffix.lower() != ".wav"]
    flags = {
        "--speaker_wav": args.speaker_wav,
        "--source_wav": args.source_wav,
        "--target_wav": args.target_wav,
        "--reference_wav": args.reference_wav,
        "--capacitron_style_wav": args.capacitron_style_wav,
        "--gst_style": args.gst_style,
        "--model_path": args.model_path,
        "--config_path": args.config_path,
        "--vocoder_path": args.vocoder_path,
        "--vocoder_config_path": args.vocoder_config_path,
        "--encoder_path": args.encoder_path,
        "--encoder_config_path": args.encoder_config_path,
        "--speakers_file_path": args.speakers_file_path,
        "--language_ids_file_path": args.language_ids_file_path,
    }
    inputs: dict[str, Any] = {f"the input {flag}": value for flag, value in flags.items() if value}
    if model_files:
        inputs[f"a file of the model in {Path(model_files[0]).parent}"] = model_files
    return inputs


def _load_api(args: argparse.Namespace) -> Any:
    from TTS.api import TTS

    device = "cuda" if args.use_cuda else args.device
    model_name = args.model_name if args.model_path is None else None
    api = TTS(
        model_name=model_name or "",
        model_path=args.model_path,
        config_path=args.config_path,
        vocoder_name=args.vocoder_name,
        vocoder_path=args.vocoder_path,
        vocoder_config_path=args.vocoder_config_path,
        encoder_path=args.encoder_path,
        encoder_config_path=args.encoder_config_path,
        speakers_file_path=args.speakers_file_path,
        language_ids_file_path=args.language_ids_file_path,
        progress_bar=args.progress_bar,
    )
    api = api.to(device)
    if args.reduced_precision:  # after the move, so that each model gets what pays on that device
        api.reduced_precision = True
        for synthesizer in (api.synthesizer, api.voice_converter):
            if synthesizer is not None:
                synthesizer.reduced_precision = True
                synthesizer.apply_reduced_precision()
    return api


def _run(args: argparse.Namespace) -> int:
    if args.version:
        from TTS import __version__

        print(__version__)
        return 0
    _warn_deprecated(args)
    if _run_manager_queries(args):
        return 0
    _check_inputs(args)
    _check_model_names(args)
    synthesising = args.text is not None or bool(args.source_wav) or bool(args.reference_wav)
    listing = args.list_speaker_idxs or args.list_language_idxs
    if synthesising and not listing:
        from TTS.api import check_output_path  # torch is needed below anyway

        check_output_path(args.out_path, _cli_inputs(args))

    api = _load_api(args)

    if args.list_speaker_idxs:
        if not api.is_multi_speaker:
            logger.info("Model only has a single speaker.")
            return 0
        logger.info(
            "Available speaker ids: (Set --speaker_idx flag to one of these values to use the multi-speaker model."
        )
        logger.info(api.speakers)
        return 0
    if args.list_language_idxs:
        if not api.is_multi_lingual:
            logger.info("Monolingual model.")
            return 0
        logger.info(
            "Available language ids: (Set --language_idx flag to one of these values to use the multi-lingual model."
        )
        logger.info(api.languages)
        return 0

    pipe_out = sys.stdout if args.pipe_out else None
    source_wav = args.source_wav or args.reference_wav
    if args.text is not None:
        logger.info("Text: %s", args.text)
        style_wav = args.capacitron_style_wav or _gst_style(args.gst_style)
        extra: dict[str, Any] = {}
        if style_wav is not None:
            extra["style_wav"] = style_wav
        if args.capacitron_style_text is not None:
            extra["style_text"] = args.capacitron_style_text
        if args.voice_dir is not None:
            extra["voice_dir"] = args.voice_dir
        api.tts_to_file(
            text=args.text,
            speaker=args.speaker_idx,
            language=args.language_idx,
            speaker_wav=args.speaker_wav,
            pipe_out=pipe_out,
            file_path=args.out_path,
            **extra,
        )
        logger.info("Saved TTS output to %s", args.out_path)
    elif source_wav:
        api.voice_conversion_to_file(
            source_wav=source_wav,
            target_wav=args.target_wav or args.speaker_wav,
            file_path=args.out_path,
            speaker=args.speaker_idx,
            source_speaker=args.reference_speaker_idx,
            voice_dir=args.voice_dir,
            pipe_out=pipe_out,
        )
        logger.info("Saved VC output to %s", args.out_path)
    return 0


def _fail(message: str) -> int:
    sys.stderr.write(f"tts: error: {cli_wording(' '.join(str(message).split()))}\n")
    return EXIT_USAGE


def main(arg_list: Sequence[str] | None = None) -> None:
    """Entry point of the ``tts`` console script."""
    args = parse_args(arg_list)
    _setup_logging(to_stderr=args.pipe_out)
    from TTS.core.errors import TTSError

    shown = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        code = _run(args)
    except _UsageError as exc:
        code = _fail(str(exc))
    except TTSError as exc:
        code = _fail(str(exc))
    except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as exc:
        code = _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except KeyboardInterrupt:
        code = 130
    finally:
        warnings.showwarning = shown
    sys.exit(code)


if __name__ == "__main__":
    main()
