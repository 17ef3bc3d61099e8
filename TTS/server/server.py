"""``tts-server``: an HTTP server for one loaded model, with upstream's flags and endpoints.

    pip install "coqui-tts-ng[server]"
    tts-server --model_name tts_models/en/vctk/vits --port 5002

Endpoints (the same as coqui-tts 0.28's server):

- ``GET /``: a page to type text, pick a speaker and language (or a reference for cloning) and listen;
- ``GET /details``: the model's and vocoder's configs (linked from ``/`` with ``--show_details``);
- ``GET|POST /api/tts``: ``text``, ``speaker_id``, ``language_id``, ``style_wav``, ``speaker_wav`` as query or
  form values, or as the headers ``text``, ``speaker-id``, ``language-id``, ``style-wav``, ``speaker-wav``;
  answers ``audio/wav`` (16-bit PCM, peak-normalised like ``tts``). Ours also takes ``stream=1``: the
  wav is sent sentence by sentence as each is synthesised, and for XTTS every ``stream_chunk_size``
  codes (default 20) within a sentence (16-bit PCM, not normalised, since the peak of the whole
  text is not known in advance), so audio starts playing early;
- ``GET /locales``, ``GET /voices``, ``GET|POST /process``: the MaryTTS-compatible API;
- ``POST /v1/audio/speech``: the OpenAI-compatible API (JSON ``input``, ``voice``, ``response_format``
  wav/flac/ogg/opus/pcm, ``speed``). mp3 and aac need an encoder we do not ship: they are refused with 400.

Bad requests (empty text, unknown speaker or language, unreadable reference) answer 400 with
``{"error": message}``; a failure inside the model answers 500. One request synthesises at a time;
a stream is synthesised by a thread into a queue, so a slow client does not hold up the others.
A ``speaker_wav`` clones that voice for the request only: a speaker name given with it is ignored,
so no request can save a voice under a name that other clients then get.
``tts-server --help`` and ``--list_models`` do not import torch or Flask.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

__all__ = ["build_parser", "create_app", "main"]

logger = logging.getLogger("TTS.server")

DEFAULT_MODEL = "tts_models/en/ljspeech/tacotron2-DDC"
EXIT_USAGE = 2
_MIMETYPES = {"wav": "audio/wav", "flac": "audio/flac", "ogg": "audio/ogg", "opus": "audio/ogg", "pcm": "audio/L16"}
_SOUNDFILE_FORMATS = {"flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS"), "opus": ("OGG", "OPUS")}
_OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


def build_parser() -> argparse.ArgumentParser:
    """The ``tts-server`` flags: upstream's names and defaults, plus ``--host``."""
    parser = argparse.ArgumentParser(
        prog="tts-server", description="Serve one text-to-speech model over HTTP (see the module docstring)."
    )
    parser.add_argument("--list_models", action="store_true", help="List the released models and exit.")
    parser.add_argument("--model_name", type=str, default=DEFAULT_MODEL, help="Released model name.")
    parser.add_argument("--vocoder_name", type=str, default=None, help="Released vocoder name.")
    parser.add_argument("--speaker_idx", type=str, default=None, help="Default speaker of a multi-speaker model.")
    parser.add_argument("--config_path", type=str, default=None, help="config.json of a model on disk.")
    parser.add_argument("--model_path", type=str, default=None, help="Checkpoint (or XTTS folder) on disk.")
    parser.add_argument("--vocoder_path", type=str, default=None, help="Vocoder checkpoint on disk.")
    parser.add_argument("--vocoder_config_path", type=str, default=None, help="Vocoder config.json on disk.")
    parser.add_argument("--speakers_file_path", type=str, default=None, help="Speakers file of the model.")
    parser.add_argument("--port", type=int, default=5002, help="Port to listen on. Default: 5002.")
    parser.add_argument("--host", type=str, default="::", help="Address to listen on. Default: all (::).")
    parser.add_argument("--device", type=str, default="cpu", help="cpu, cuda, cuda:N, mps or auto. Default: cpu.")
    parser.add_argument(
        "--use_cuda", action=argparse.BooleanOptionalAction, default=False, help="Same as --device cuda."
    )
    parser.add_argument("--debug", action=argparse.BooleanOptionalAction, default=False, help="Flask debug mode.")
    parser.add_argument(
        "--show_details", action=argparse.BooleanOptionalAction, default=False, help="Link the model details page."
    )
    parser.add_argument("--language_idx", type=str, default="en", help="Default language of a multilingual model.")
    return parser


# ------------------------------------------------------------------------------------------ audio


def _pcm16(samples: Any, normalise: bool = True) -> bytes:
    """Float samples -> little-endian 16-bit PCM bytes (:func:`TTS.core.audio.io.pcm16_from_float`)."""
    from TTS.core.audio.io import pcm16_from_float

    return pcm16_from_float(samples, normalise=normalise).astype("<i2").tobytes()


def _encoded(samples: Any, rate: int, fmt: str) -> bytes:
    """``samples`` as a ``fmt`` file (see ``_MIMETYPES``), scaled as ``tts`` writes wav files."""
    import numpy as np
    import soundfile as sf

    from TTS.core.audio.io import pcm16_from_float, wav_to_bytes

    if fmt == "wav":
        return wav_to_bytes(samples, rate)
    if fmt == "pcm":
        return _pcm16(samples)
    container, subtype = _SOUNDFILE_FORMATS[fmt]
    pcm = pcm16_from_float(samples)
    if subtype == "OPUS" and rate not in _OPUS_RATES:  # Opus codes only these rates: 22050 Hz goes to 48 kHz
        import torch

        from TTS.core.audio.resample import resample

        wav = torch.from_numpy(pcm.astype(np.float32) / 32768)
        pcm, rate = np.clip(resample(wav, rate, 48000).numpy(), -1.0, 1.0), 48000
    out = io.BytesIO()
    sf.write(out, pcm, rate, format=container, subtype=subtype)
    return out.getvalue()


# ------------------------------------------------------------------------------------------ app


class _Server:
    """The loaded model and the request handling, independent of Flask's objects."""

    def __init__(self, api: Any, args: argparse.Namespace) -> None:
        self.api = api
        self.args = args
        self.lock = threading.Lock()
        config = api.synthesizer.tts_config
        self.use_gst = bool(config.get("use_gst", False)) if config is not None else False
        self.rate = int(api.synthesizer.output_sample_rate)

    @property
    def supports_cloning(self) -> bool:
        return bool(self.api.synthesizer.supports_cloning)

    def voice(self, speaker: str | None, language: str | None) -> tuple[str | None, str | None]:
        """Request values -> the speaker and language to use (defaults from the flags; '' means none)."""
        speaker = (speaker if speaker is not None else self.args.speaker_idx) if self.api.is_multi_speaker else None
        language = (language if language is not None else self.args.language_idx) if self.api.is_multi_lingual else None
        return speaker or None, language or None

    def locale_and_name(self) -> tuple[str, str]:
        parts = (self.args.model_name or "").split("/") if self.args.model_path is None else []
        return (parts[1], parts[3]) if len(parts) == 4 else ("en", "default")


class _Stream:
    """Streamed synthesis: a thread makes the pieces (holding the server's lock only while it synthesises)
    and the response body sends them as they come, so a slow or stalled client does not block other
    requests. Closing the response early (client gone, HEAD) stops the thread at the next piece."""

    def __init__(self, pieces: Iterator[tuple[str, Any]], first: tuple[str, Any] | None, lock: threading.Lock) -> None:
        import queue

        self.queue: queue.Queue[Any] = queue.Queue()
        self.cancelled = threading.Event()
        if first is not None:
            self.queue.put(first[1])
        self.thread = threading.Thread(target=self._produce, args=(pieces, lock), daemon=True)
        self.thread.start()

    def _produce(self, pieces: Iterator[tuple[str, Any]], lock: threading.Lock) -> None:
        try:
            for _, wav in pieces:
                if self.cancelled.is_set():
                    break
                self.queue.put(wav)
        except Exception:  # the 200 is already sent: the stream just ends early
            logger.exception("Streamed synthesis failed")
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
            lock.release()
            self.queue.put(None)

    def cancel(self) -> None:
        self.cancelled.set()

    def body(self, rate: int) -> Iterator[bytes]:
        from TTS.core.audio.io import streaming_wav_header

        yield streaming_wav_header(rate)
        while (wav := self.queue.get()) is not None:
            yield _pcm16(wav, normalise=False)


def _style_wav(value: str) -> str | dict | None:
    """A wav file on the server, or a JSON object of GST token weights (as upstream reads ``style_wav``)."""
    from TTS.core.errors import InvalidInputError

    if not value:
        return None
    if value.endswith(".wav") and Path(value).is_file():
        return value
    try:
        style = json.loads(value)
    except json.JSONDecodeError:
        style = None
    if not isinstance(style, dict):
        raise InvalidInputError("style_wav must be a .wav file on the server or a JSON object of GST token weights.")
    return style


def create_app(api: Any, args: argparse.Namespace | None = None) -> Any:
    """The Flask app serving ``api`` (a loaded :class:`TTS.api.TTS`); ``args`` are the parsed flags."""
    from flask import Flask, Response, jsonify, render_template_string, request

    from TTS.core.audio.io import wav_to_bytes
    from TTS.core.errors import TTSError
    from TTS.server.page import DETAILS_PAGE, INDEX_PAGE

    args = args if args is not None else build_parser().parse_args([])
    server = _Server(api, args)
    app = Flask("TTS.server")

    def value(header: str, name: str) -> str | None:
        got = request.headers.get(header)
        return got if got else request.values.get(name)

    def error(message: str, status: int) -> Any:
        return jsonify({"error": message}), status

    @app.errorhandler(TTSError)  # InvalidInputError, missing files, unreadable audio: the request's fault
    def bad_request(exc: TTSError) -> Any:
        return error(str(exc), 400)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        logger.exception("Synthesis failed")
        return error(f"TTS synthesis failed: {exc}", 500)

    @app.route("/")
    def index() -> Any:
        return render_template_string(
            INDEX_PAGE,
            show_details=args.show_details,
            speakers=api.speakers if api.is_multi_speaker else None,
            languages=api.languages if api.is_multi_lingual else None,
            default_speaker=args.speaker_idx,
            default_language=args.language_idx,
            use_gst=server.use_gst,
            supports_cloning=server.supports_cloning,
        )

    @app.route("/details")
    def details() -> Any:
        def as_json(config: Any) -> str:
            if config is None:
                return "none"
            data = config.to_dict() if hasattr(config, "to_dict") else dict(config)
            return json.dumps(data, indent=2, default=str)

        return render_template_string(
            DETAILS_PAGE,
            model_config=as_json(api.synthesizer.tts_config),
            vocoder_config=as_json(api.synthesizer.vocoder_config),
            args=json.dumps(vars(args), indent=2, default=str),
        )

    @app.route("/api/tts", methods=["GET", "POST"])
    def tts() -> Any:
        text = value("text", "text") or ""
        speaker, language = server.voice(value("speaker-id", "speaker_id"), value("language-id", "language_id"))
        style_wav = _style_wav(value("style-wav", "style_wav") or "")
        speaker_wav = value("speaker-wav", "speaker_wav") or None
        if speaker_wav:  # clone only: a speaker name here would save the voice under it for every client
            speaker = None
        stream = (value("stream", "stream") or "").lower() in ("1", "true", "yes")
        if not text.strip():
            return error("Text parameter is required", 400)
        logger.info("Input %r, speaker %s, language %s, speaker_wav %s", text, speaker, language, speaker_wav)
        options = {"style_wav": style_wav} if style_wav is not None else {}
        if stream:
            chunk = value("stream-chunk-size", "stream_chunk_size") or "20"
            try:
                chunk_size = int(chunk)
            except ValueError:
                chunk_size = 0
            if chunk_size < 1:
                return error("stream_chunk_size must be a positive whole number of codes", 400)
            if request.method == "HEAD":
                return Response(mimetype="audio/wav")
            server.lock.acquire()
            try:  # the input is checked and the first piece made now, so errors still become a 400
                pieces = api.synthesizer.tts_sentences(
                    text, speaker, language, speaker_wav=speaker_wav, stream_chunk_size=chunk_size, **options
                )
                first = next(pieces, None)
            except BaseException:
                server.lock.release()
                raise
            stream_out = _Stream(pieces, first, server.lock)
            response = Response(stream_out.body(server.rate), mimetype="audio/wav")
            response.call_on_close(stream_out.cancel)
            return response
        with server.lock:
            wav = api.tts(text, speaker=speaker, language=language, speaker_wav=speaker_wav, **options)
        return Response(wav_to_bytes(wav, server.rate), mimetype="audio/wav")

    @app.route("/locales", methods=["GET"])
    def locales() -> Any:
        return Response(server.locale_and_name()[0] + "\n", mimetype="text/plain")

    @app.route("/voices", methods=["GET"])
    def voices() -> Any:
        locale, name = server.locale_and_name()
        names = api.speakers if api.is_multi_speaker else [name]
        return Response("".join(f"{n} {locale} u\n" for n in names), mimetype="text/plain")

    @app.route("/process", methods=["GET", "POST"])
    def process() -> Any:
        if request.method == "POST":
            data = parse_qs(request.get_data(as_text=True))
            text, voice = data.get("INPUT_TEXT", [""])[0], data.get("VOICE", [None])[0]
        else:
            text, voice = request.args.get("INPUT_TEXT", ""), request.args.get("VOICE")
        if not text.strip():
            return error("INPUT_TEXT is required", 400)
        speaker, language = server.voice(voice, None)
        with server.lock:
            wav = api.tts(text, speaker=speaker, language=language)
        return Response(wav_to_bytes(wav, server.rate), mimetype="audio/wav")

    @app.route("/v1/audio/speech", methods=["POST"])
    def openai_speech() -> Any:
        payload = request.get_json(force=True, silent=True)
        if not isinstance(payload, dict):
            return error("The body must be a JSON object with at least 'input'.", 400)
        text = payload.get("input") or ""
        if not isinstance(text, str) or not text.strip():
            return error("'input' (the text to speak) is required", 400)
        fmt = str(payload.get("response_format", "wav")).lower()
        if fmt not in _MIMETYPES:
            return error(f"response_format {fmt!r} is not supported; use one of {', '.join(_MIMETYPES)}.", 400)
        speed = payload.get("speed", 1.0)
        voice = payload.get("voice")
        if voice is not None and not isinstance(voice, str):
            return error("'voice' must be a speaker name or a path to reference audio on the server.", 400)
        if not isinstance(speed, (int, float)) or isinstance(speed, bool):
            return error("'speed' must be a number.", 400)
        speaker, language = server.voice(voice, None)
        speaker_wav = None
        if speaker is not None and Path(speaker).exists() and server.supports_cloning:
            voice_path = Path(speaker)
            speaker_wav = str(voice_path) if voice_path.is_file() else sorted(str(w) for w in voice_path.glob("*.wav"))
            speaker = None
        options = {"speed": speed} if speed != 1.0 else {}
        with server.lock:
            wav = api.tts(text, speaker=speaker, language=language, speaker_wav=speaker_wav, **options)
        return Response(_encoded(wav, server.rate, fmt), mimetype=_MIMETYPES[fmt])

    return app


# ------------------------------------------------------------------------------------------ main


def _fail(message: str) -> None:
    sys.stderr.write(f"tts-server: error: {' '.join(str(message).split())}\n")
    sys.exit(EXIT_USAGE)


def main(arg_list: Sequence[str] | None = None) -> None:
    """Entry point of the ``tts-server`` console script."""
    args = build_parser().parse_args(arg_list)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.list_models:
        from TTS.utils.manage import ModelManager

        ModelManager().list_models()
        return
    try:
        import flask  # noqa: F401
    except ImportError:
        _fail('the server needs Flask: pip install "coqui-tts-ng[server]"')
    from TTS.core.errors import TTSError

    device = args.device
    if args.use_cuda:
        warnings.warn("`--use_cuda` is deprecated, use `--device cuda` instead.", DeprecationWarning, stacklevel=1)
        device = "cuda"
    try:
        from TTS.api import TTS

        api = TTS(
            model_name=args.model_name if args.model_path is None else None,
            model_path=args.model_path,
            config_path=args.config_path,
            vocoder_name=args.vocoder_name,
            vocoder_path=args.vocoder_path,
            vocoder_config_path=args.vocoder_config_path,
            speakers_file_path=args.speakers_file_path,
        ).to(device)
    except TTSError as exc:
        _fail(str(exc))
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    if getattr(api.synthesizer, "tts_model", None) is None:
        _fail(
            f"{args.model_path or args.model_name} is not a text-to-speech model; the server needs one, "
            f"e.g. tts-server --model_name {DEFAULT_MODEL}"
        )
    create_app(api, args).run(debug=args.debug, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
