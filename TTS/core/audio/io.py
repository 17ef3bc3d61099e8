"""Reading and writing audio: soundfile (libsndfile) for wav/flac/ogg/mp3, our resampler,
and 16-bit PCM wav output scaled like upstream's ``save_wav``.

No FFmpeg, torchaudio or torchcodec. Input files are only ever opened for reading.
"""

from __future__ import annotations

import io
import logging
import os
import struct
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from TTS.core.errors import AudioLoadError, InvalidInputError, MissingDependencyError

if TYPE_CHECKING:
    import torch

__all__ = [
    "AudioLoadError",
    "MIN_REFERENCE_SECONDS",
    "check_reference_audio",
    "load_audio",
    "load_samples",
    "mono_samples",
    "read_audio",
    "save_pcm16",
    "save_wav",
    "wav_to_bytes",
    "write_wav",
    "pcm16_from_float",
    "streaming_wav_header",
]

logger = logging.getLogger(__name__)

PathOrFile = str | os.PathLike[str] | IO[bytes]

#: Voice-cloning references shorter than this cannot condition a model.
MIN_REFERENCE_SECONDS = 0.33
#: A reference whose peak amplitude stays below this is silent.
SILENCE_PEAK = 1e-4


def _soundfile() -> Any:
    try:
        import soundfile
    except (ImportError, OSError) as err:  # OSError: the wheel's libsndfile failed to load
        raise MissingDependencyError(
            f"Reading audio needs the soundfile package with libsndfile ({err}); `pip install -U soundfile`."
        ) from err
    return soundfile


def _describe(source: PathOrFile) -> str:
    return str(source) if isinstance(source, (str, os.PathLike)) else repr(source)


def _sentence(err: BaseException) -> str:
    """An error's text as one sentence with exactly one full stop (libsndfile's end with one already)."""
    text = " ".join(str(err).split()).rstrip(". ")
    return f"{text}." if text else f"{type(err).__name__}."


def read_audio(source: PathOrFile, dtype: str = "float32") -> tuple[np.ndarray, int]:
    """Decode a file (or binary file object) to samples ``(C, T)`` in [-1, 1] of ``dtype``
    (float32 or float64) and its rate in Hz.

    Raises :class:`AudioLoadError` for a missing, empty, unreadable or sample-less file.
    """
    soundfile = _soundfile()
    if not isinstance(source, (str, os.PathLike)) and not hasattr(source, "read"):
        # soundfile would take an int as an open file descriptor and read whatever it is
        raise AudioLoadError(
            f"Expected an audio file path (or a binary file object), got {type(source).__name__} {source!r}."
        )
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise AudioLoadError(f"Audio file not found: {path}. Check the path and try again.")
        if path.is_dir():
            raise AudioLoadError(f"Expected an audio file but got a directory: {path}.")
        if path.stat().st_size == 0:
            raise AudioLoadError(f"Audio file is empty (0 bytes): {path}. Record or export it again.")
        if path.suffix.lower() == ".mp3" and "MP3" not in soundfile.available_formats():
            # libsndfile decodes MP3 (via mpg123) from 1.1.0; older builds cannot
            raise AudioLoadError(
                f"Cannot read {path}: this libsndfile ({soundfile.__libsndfile_version__}) has no MP3 support. "
                "Upgrade with `pip install -U soundfile` (bundles libsndfile >= 1.1) or convert the file to wav/flac."
            )
    try:
        data, rate = soundfile.read(source, dtype=dtype, always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as err:
        raise AudioLoadError(
            f"Cannot decode audio file {_describe(source)}: {_sentence(err)} "
            "Supported formats are wav, flac, ogg (vorbis/opus) and mp3; convert other formats first."
        ) from err
    except OSError as err:
        raise AudioLoadError(f"Cannot read audio file {_describe(source)}: {_sentence(err)}") from err
    if data.shape[0] == 0:
        raise AudioLoadError(f"Audio file {_describe(source)} contains no samples. Use a recording with sound in it.")
    if not np.isfinite(data).all():
        raise AudioLoadError(
            f"Audio file {_describe(source)} has NaN or infinite samples (a corrupt floating-point file). "
            "Export it again, e.g. as 16-bit PCM wav."
        )
    return np.ascontiguousarray(data.T), int(rate)


def load_audio(path: PathOrFile, sample_rate_hz: int | None = None, mono: bool = True) -> torch.Tensor:
    """Load an audio file as float32 samples in [-1, 1].

    Args:
        path: file path (wav, flac, ogg, mp3) or a binary file object.
        sample_rate_hz: resample to this rate with :func:`TTS.core.audio.resample.resample`;
            ``None`` keeps the file's rate.
        mono: average the channels into one.

    Returns:
        Tensor ``(1, T)`` when ``mono`` else ``(C, T)``, float32 on the CPU.
    """
    import torch

    from TTS.core.audio.resample import resample

    data, rate = read_audio(path)
    if mono and data.shape[0] > 1:
        data = data.mean(axis=0, keepdims=True)
    wav = torch.from_numpy(data)
    if sample_rate_hz is not None:
        if int(sample_rate_hz) != sample_rate_hz or sample_rate_hz <= 0:
            raise InvalidInputError(f"sample_rate_hz must be a positive integer, got {sample_rate_hz!r}.")
        if rate != sample_rate_hz:
            wav = resample(wav, rate, int(sample_rate_hz))
    return wav


def check_reference_audio(wav: Any, sample_rate_hz: int, path: Any = None) -> None:
    """Raise :class:`AudioLoadError` when a voice-cloning reference is silent or too short.

    Args:
        wav: samples ``(T,)`` or ``(C, T)`` (numpy array or tensor) at ``sample_rate_hz``.
        sample_rate_hz: their rate.
        path: what to call the reference in the message (usually its file path).
    """
    arr = _as_numpy(wav)
    source = f"Reference audio {path}" if path is not None else "The reference audio"
    if arr.size == 0 or not np.isfinite(arr).any() or float(np.nanmax(np.abs(arr))) < SILENCE_PEAK:
        raise AudioLoadError(f"{source} is silent. Use a recording of the voice to clone (3-10 s of clear speech).")
    seconds = arr.shape[-1] / float(sample_rate_hz)
    if seconds < MIN_REFERENCE_SECONDS:
        raise AudioLoadError(
            f"{source} is too short ({seconds:.2f} s; at least {MIN_REFERENCE_SECONDS} s is needed, "
            "3-10 s of clear speech works best). Use a longer recording."
        )


def _as_numpy(wav: Any) -> np.ndarray:
    if hasattr(wav, "detach"):  # torch tensor, without importing torch here
        wav = wav.detach().cpu().float().numpy()
    arr = np.asarray(wav)
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float32)
    return arr


def pcm16_from_float(wav: Any, normalise: bool = True) -> np.ndarray:
    """Scale a float waveform to int16 the way upstream's ``save_wav`` does.

    The peak is mapped to 32767 (peaks below 0.01 are treated as 0.01, so near-silence is
    not blown up) and values are truncated towards zero. ``(T,)``, ``(1, T)`` or channels
    first ``(C, T)`` in, the same shape out (``(1, T)`` becomes ``(T,)``). With
    ``normalise=False`` (a piece of a stream, whose overall peak is not known yet) 1.0 maps to
    32767 and samples beyond [-1, 1] are clipped.
    """
    arr = _as_numpy(wav)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim not in (1, 2):
        raise InvalidInputError(f"Expected a waveform of shape (T,) or (C, T), got {arr.shape}.")
    if not np.isfinite(arr).all():
        logger.warning("Waveform has NaN or infinite samples; writing them as 0.")
        arr = np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)
    if not normalise:
        return (np.clip(arr, -1.0, 1.0) * 32767).astype(np.int16)
    peak = float(np.max(np.abs(arr))) if arr.size else 0.0
    return (arr * (32767 / max(0.01, peak))).astype(np.int16)


def _riff_header(n_channels: int, sample_rate_hz: int, n_data_bytes: int) -> bytes:
    block_align = 2 * n_channels
    fmt = struct.pack("<HHIIHH", 1, n_channels, sample_rate_hz, sample_rate_hz * block_align, block_align, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 4 + (8 + len(fmt)) + (8 + n_data_bytes))
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", n_data_bytes)
    )


def streaming_wav_header(sample_rate_hz: int, n_channels: int = 1) -> bytes:
    """The header of a 16-bit PCM wav of unknown length (RIFF and data sizes 0xFFFFFFFF), for streaming."""
    header = bytearray(_riff_header(n_channels, int(sample_rate_hz), 0))
    header[4:8] = header[-4:] = struct.pack("<I", 0xFFFFFFFF)
    return bytes(header)


def _pcm16_bytes(pcm: np.ndarray, sample_rate_hz: int) -> bytes:
    if int(sample_rate_hz) != sample_rate_hz or sample_rate_hz <= 0:
        raise InvalidInputError(f"sample_rate_hz must be a positive integer, got {sample_rate_hz!r}.")
    frames = pcm if pcm.ndim == 1 else pcm.T  # interleave channels
    payload = np.ascontiguousarray(frames, dtype="<i2").tobytes()
    n_channels = 1 if pcm.ndim == 1 else pcm.shape[0]
    return _riff_header(n_channels, int(sample_rate_hz), len(payload)) + payload


def wav_to_bytes(wav: Any, sample_rate_hz: int) -> bytes:
    """A complete 16-bit PCM wav file (header + samples) for ``wav`` ``(T,)`` or ``(C, T)``."""
    return _pcm16_bytes(pcm16_from_float(wav), sample_rate_hz)


def write_wav(wav: Any, stream: IO[Any], sample_rate_hz: int) -> None:
    """Write ``wav`` as a 16-bit PCM wav file to a binary stream or pipe.

    A text stream that wraps a binary one (``sys.stdout``) is written through its
    ``.buffer``; this is what ``tts --pipe_out`` uses.
    """
    _emit(wav_to_bytes(wav, sample_rate_hz), None, stream)


def _emit(data: bytes, path: str | os.PathLike[str] | IO[bytes] | None, pipe_out: IO[Any] | None) -> None:
    if pipe_out is not None:
        target = getattr(pipe_out, "buffer", pipe_out)
        target.write(data)
        if hasattr(target, "flush"):
            target.flush()
    if path is None:
        return
    if isinstance(path, (str, os.PathLike)):
        out = Path(path)
        if out.is_dir():
            raise InvalidInputError(f"Output path must be a file, not a directory: {out}.")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(out, "wb") as handle:  # plain open: the target may be a fifo or /dev/stdout
                handle.write(data)
        except OSError as err:
            raise InvalidInputError(f"Cannot write {out}: {err}. Choose a writable output path.") from err
    elif isinstance(path, io.TextIOBase):
        raise InvalidInputError("Writing a wav needs a binary file object, not a text stream.")
    else:
        path.write(data)


def save_pcm16(
    pcm: np.ndarray,
    path: str | os.PathLike[str] | IO[bytes] | None,
    sample_rate_hz: int,
    pipe_out: IO[Any] | None = None,
) -> None:
    """Write already-quantised int16 samples ``(T,)`` or ``(C, T)`` as a wav file to
    ``path`` (a path or binary file object; ``None`` to skip) and/or ``pipe_out``."""
    pcm = np.asarray(pcm)
    if pcm.dtype != np.int16:
        raise InvalidInputError(f"save_pcm16 expects int16 samples, got {pcm.dtype}.")
    _emit(_pcm16_bytes(pcm, sample_rate_hz), path, pipe_out)


def save_wav(
    wav: Any,
    path: str | os.PathLike[str] | IO[bytes] | None,
    sample_rate_hz: int,
    pipe_out: IO[Any] | None = None,
) -> None:
    """Save ``wav`` (numpy or tensor, ``(T,)`` or ``(C, T)``, float in [-1, 1]) as 16-bit PCM.

    Samples are scaled so the peak reaches full scale (see :func:`pcm16_from_float`), as
    upstream ``save_wav`` does; the bytes equal what ``scipy.io.wavfile.write`` produces.
    ``path`` may be a binary file object (e.g. ``io.BytesIO``); parent folders of a path
    are created. With ``pipe_out`` (e.g. ``sys.stdout``) the same bytes are also written
    there (``tts --pipe_out``).
    """
    _emit(wav_to_bytes(wav, sample_rate_hz), path, pipe_out)


def mono_samples(samples: Any, what: str = "audio") -> torch.Tensor:
    """Samples given in memory (tensor, array or list) as float32 mono ``(T,)``.

    Singleton dimensions are dropped; a few channels, ``(C, T)`` or ``(T, C)`` with C <= 8, are
    averaged. Integer samples (int16/int32 PCM) are scaled to [-1, 1] as a file reader would.
    """
    import torch

    if isinstance(samples, torch.Tensor):
        wav = samples.detach()
    else:
        array = np.asarray(samples)
        wav = torch.from_numpy(array if array.dtype.kind in "iuf" else array.astype(np.float32))
    if wav.dtype in (torch.int16, torch.int32):
        wav = wav.float() / float(torch.iinfo(wav.dtype).max + 1)
    elif not wav.is_floating_point():
        raise InvalidInputError(
            f"The {what} samples have dtype {wav.dtype}: give floats in [-1, 1] or int16/int32 PCM."
        )
    wav = wav.float()
    wav = wav.squeeze() if wav.dim() > 1 else wav
    if wav.dim() == 0:
        wav = wav.reshape(1)
    if wav.dim() == 2:
        channels, frames = wav.shape
        if channels <= 8 < frames:
            return wav.mean(dim=0)
        if frames <= 8 < channels:
            return wav.mean(dim=1)
    if wav.dim() != 1:
        raise InvalidInputError(
            f"The {what} samples have shape {tuple(wav.shape)}: give mono samples (T,), or channels as (C, T) or (T, C)."
        )
    return wav


def load_samples(audio: Any, sample_rate_hz: int, what: str = "audio") -> torch.Tensor:
    """A recording given as a path (mixed to mono, resampled to ``sample_rate_hz``) or as samples in
    memory already at that rate (:func:`mono_samples`) -> float32 mono ``(T,)`` on the CPU.

    NaN or infinite samples are refused with an error naming ``what``.
    """
    import torch

    if isinstance(audio, (str, os.PathLike)):
        wav = load_audio(audio, sample_rate_hz).reshape(-1)
        what = f"{what} {audio}"
    else:
        wav = mono_samples(audio, what)
    if not torch.isfinite(wav).all():
        raise InvalidInputError(f"The {what} holds NaN or infinite samples.")
    return wav
