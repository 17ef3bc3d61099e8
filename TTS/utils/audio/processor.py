"""``AudioProcessor``: the NumPy spectrogram front-end of the classic TTS models and vocoders
(Tacotron, Glow-TTS, VITS data loading, MelGAN/HiFi-GAN vocoders, Griffin-Lim).

Accepts both constructor styles users have: 0.22's keyword arguments
(``AudioProcessor(**config.audio)``, ``AudioProcessor.init_from_config(config)``) and
0.28's ``AudioProcessor(config.audio)``. Numerics follow upstream's librosa-based code
(verified against reference arrays in ``tests/data/audio``) without importing librosa.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Mapping
from typing import IO, Any

import numpy as np

from TTS.core.errors import CheckpointError, InvalidInputError
from TTS.utils.audio import numpy_transforms as nt

__all__ = ["AudioProcessor", "load_scale_stats"]

logger = logging.getLogger(__name__)

_STATS_KEYS_NOT_CHECKED = ("griffin_lim_iters", "stats_path", "do_trim_silence", "ref_level_db", "power")

# What a scale_stats.npy pickle may reference: numpy arrays/scalars and plain containers.
_SAFE_PICKLE_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("collections", "OrderedDict"),
}


class _StatsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_PICKLE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def load_scale_stats(stats_path: str | os.PathLike[str]) -> dict:
    """Read a ``scale_stats.npy`` (a pickled dict in a 0-d object array) without running code.

    Only numpy arrays, numpy scalars and plain containers are accepted; anything else
    raises :class:`CheckpointError`. Keys: ``mel_mean``, ``mel_std``, ``linear_mean``,
    ``linear_std``, ``audio_config``.
    """
    try:
        with open(stats_path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = (
                np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            )
            _shape, _fortran, dtype = read_header(handle)
            if dtype.hasobject:
                array = _StatsUnpickler(handle).load()
            else:
                handle.seek(0)
                array = np.load(handle, allow_pickle=False)
    except FileNotFoundError as err:
        raise CheckpointError(f"Normalisation stats file not found: {stats_path}. Check `stats_path`.") from err
    except (pickle.UnpicklingError, ValueError, EOFError, OSError, AttributeError) as err:
        raise CheckpointError(f"Cannot load normalisation stats {stats_path} safely: {err}.") from err
    stats = array.item() if isinstance(array, np.ndarray) and array.shape == () else array
    if not isinstance(stats, Mapping):
        raise CheckpointError(f"{stats_path} does not hold a stats dictionary (got {type(stats).__name__}).")
    return dict(stats)


def _config_values(config: Any) -> dict:
    """Audio parameters from a BaseAudioConfig, a full model config (``.audio``) or a dict."""
    audio = config.get("audio", config) if isinstance(config, Mapping) else getattr(config, "audio", config)
    if isinstance(audio, Mapping):
        return dict(audio)
    if hasattr(audio, "to_dict"):
        return dict(audio.to_dict())
    return dict(vars(audio))


class AudioProcessor:
    """Waveform <-> (mel) spectrogram conversions with upstream's normalisation.

    Spectrograms are ``(C, T)`` NumPy arrays: ``C = num_mels`` or ``fft_size // 2 + 1``.
    Arguments are the ``BaseAudioConfig`` fields (see its docstring); unknown keys are
    ignored. The first positional argument may also be a config object.
    """

    def __init__(
        self,
        sample_rate: Any = None,
        resample: bool = False,
        num_mels: int | None = None,
        log_func: str = "np.log10",
        min_level_db: float | None = None,
        frame_shift_ms: float | None = None,
        frame_length_ms: float | None = None,
        hop_length: int | None = None,
        win_length: int | None = None,
        ref_level_db: float | None = None,
        fft_size: int = 1024,
        power: float | None = None,
        preemphasis: float = 0.0,
        signal_norm: bool | None = None,
        symmetric_norm: bool | None = None,
        max_norm: float | None = None,
        mel_fmin: float | None = None,
        mel_fmax: float | None = None,
        pitch_fmax: float | None = None,
        pitch_fmin: float | None = None,
        spec_gain: float = 20,
        stft_pad_mode: str = "reflect",
        clip_norm: bool = True,
        griffin_lim_iters: int | None = None,
        do_trim_silence: bool = False,
        trim_db: float = 60,
        do_sound_norm: bool = False,
        do_amp_to_db_linear: bool = True,
        do_amp_to_db_mel: bool = True,
        do_rms_norm: bool = False,
        db_level: float | None = None,
        stats_path: str | None = None,
        verbose: bool = True,
        **_: Any,
    ) -> None:
        if sample_rate is not None and not isinstance(sample_rate, (int, float, np.number)):
            # 0.28 style: AudioProcessor(config.audio)
            self.__init__(**{**_config_values(sample_rate), "verbose": verbose})  # type: ignore[misc]
            return
        self.sample_rate = sample_rate
        self.resample = resample
        self.num_mels = num_mels
        self.log_func = log_func
        self.min_level_db = min_level_db or 0
        self.frame_shift_ms = frame_shift_ms
        self.frame_length_ms = frame_length_ms
        self.ref_level_db = ref_level_db
        self.fft_size = fft_size
        self.power = power
        self.preemphasis = preemphasis
        self.griffin_lim_iters = griffin_lim_iters
        self.signal_norm = signal_norm
        self.symmetric_norm = symmetric_norm
        self.mel_fmin = mel_fmin or 0
        self.mel_fmax = mel_fmax
        self.pitch_fmin = pitch_fmin
        self.pitch_fmax = pitch_fmax
        self.spec_gain = float(spec_gain)
        self.stft_pad_mode = stft_pad_mode
        self.max_norm = 1.0 if max_norm is None else float(max_norm)
        self.clip_norm = clip_norm
        self.do_trim_silence = do_trim_silence
        self.trim_db = trim_db
        self.do_sound_norm = do_sound_norm
        self.do_amp_to_db_linear = do_amp_to_db_linear
        self.do_amp_to_db_mel = do_amp_to_db_mel
        self.do_rms_norm = do_rms_norm
        self.db_level = db_level
        self.stats_path = stats_path
        bases = {"np.log": np.e, "np.log10": 10}
        if log_func not in bases:
            raise InvalidInputError(f"Unknown log_func {log_func!r}; use 'np.log' or 'np.log10'.")
        self.base = bases[log_func]
        if hop_length is None:
            if frame_length_ms is None or frame_shift_ms is None or sample_rate is None:
                raise InvalidInputError("Set hop_length and win_length, or frame_length_ms and frame_shift_ms.")
            self.win_length, self.hop_length = nt.millisec_to_length(
                frame_length_ms=frame_length_ms, frame_shift_ms=frame_shift_ms, sample_rate=sample_rate
            )
        else:
            self.hop_length = hop_length
            self.win_length = fft_size if win_length is None else win_length
        if min_level_db == 0.0:
            raise InvalidInputError("min_level_db must not be 0.")
        if self.win_length > self.fft_size:
            raise InvalidInputError(f"win_length ({self.win_length}) cannot be larger than fft_size ({self.fft_size}).")
        log = logger.info if verbose else logger.debug
        log("Setting up Audio Processor...")
        for key, value in vars(self).items():
            log(" | %s: %s", key, value)
        self.mel_basis = (
            nt.build_mel_basis(
                sample_rate=sample_rate, fft_size=fft_size, num_mels=num_mels, mel_fmin=self.mel_fmin, mel_fmax=mel_fmax
            )
            if num_mels and sample_rate
            else None
        )
        self._inv_mel_basis: np.ndarray | None = None
        self._mel_basis64: np.ndarray | None = None
        if stats_path and signal_norm:
            mel_mean, mel_std, linear_mean, linear_std, _stats_config = self.load_stats(stats_path)
            self.setup_scaler(mel_mean, mel_std, linear_mean, linear_std)
            self.signal_norm = True
            self.max_norm = None
            self.clip_norm = None
            self.symmetric_norm = None

    @staticmethod
    def init_from_config(config: Any, verbose: bool = True) -> AudioProcessor:
        """Build from a model config (uses its ``audio`` section) or an audio config."""
        return AudioProcessor(verbose=verbose, **_config_values(config))

    # --- normalisation ---------------------------------------------------------------
    def _scaler_for(self, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if S.shape[0] == self.num_mels:
            return self.mel_mean, self.mel_std
        if S.shape[0] in (self.fft_size // 2, self.fft_size // 2 + 1):
            return self.linear_mean, self.linear_std
        raise RuntimeError(" [!] Mean-Var stats does not match the given feature dimensions.")

    def normalize(self, S: np.ndarray) -> np.ndarray:
        """dB spectrogram ``(C, T)`` -> network range: mean-std scaled when stats are set,
        else mapped from ``[min_level_db, 0]`` (after subtracting ``ref_level_db``) to
        ``[0, max_norm]`` or ``[-max_norm, max_norm]``, clipped if ``clip_norm``."""
        S = S.copy()
        if not self.signal_norm:
            return S
        if hasattr(self, "mel_mean"):
            mean, std = self._scaler_for(S)
            scaled = S.T  # in place on the copy, like upstream's scaler (same rounding)
            scaled -= mean
            scaled /= std
            return scaled.T
        S -= self.ref_level_db
        S_norm = (S - self.min_level_db) / (-self.min_level_db)
        if self.symmetric_norm:
            S_norm = ((2 * self.max_norm) * S_norm) - self.max_norm
            return np.clip(S_norm, -self.max_norm, self.max_norm) if self.clip_norm else S_norm
        S_norm = self.max_norm * S_norm
        return np.clip(S_norm, 0, self.max_norm) if self.clip_norm else S_norm

    def denormalize(self, S: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`normalize`."""
        S_denorm = S.copy()
        if not self.signal_norm:
            return S_denorm
        if hasattr(self, "mel_mean"):
            mean, std = self._scaler_for(S_denorm)
            restored = S_denorm.T
            restored *= std
            restored += mean
            return restored.T
        if self.symmetric_norm:
            if self.clip_norm:
                S_denorm = np.clip(S_denorm, -self.max_norm, self.max_norm)
            S_denorm = ((S_denorm + self.max_norm) * -self.min_level_db / (2 * self.max_norm)) + self.min_level_db
            return S_denorm + self.ref_level_db
        if self.clip_norm:
            S_denorm = np.clip(S_denorm, 0, self.max_norm)
        S_denorm = (S_denorm * -self.min_level_db / self.max_norm) + self.min_level_db
        return S_denorm + self.ref_level_db

    def load_stats(self, stats_path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict]:
        """Mean/std arrays and the audio config they were computed with, from ``scale_stats.npy``.

        Raises :class:`InvalidInputError` when a parameter used for the stats differs from ours.
        """
        stats = load_scale_stats(stats_path)
        stats_config = stats.get("audio_config") or {}
        for key, value in stats_config.items():
            if key in _STATS_KEYS_NOT_CHECKED or key in ("sample_rate", "trim_db") or key not in vars(self):
                continue
            if value != getattr(self, key):
                raise InvalidInputError(
                    f"Audio parameter {key}={getattr(self, key)!r} differs from the value used to compute "
                    f"{stats_path} ({value!r}); use the config the stats belong to."
                )
        return stats["mel_mean"], stats["mel_std"], stats["linear_mean"], stats["linear_std"], stats_config

    def setup_scaler(
        self, mel_mean: np.ndarray, mel_std: np.ndarray, linear_mean: np.ndarray, linear_std: np.ndarray
    ) -> None:
        """Use mean-std normalisation with these per-channel statistics."""
        self.mel_mean, self.mel_std = mel_mean, mel_std
        self.linear_mean, self.linear_std = linear_mean, linear_std

    # --- pre-emphasis ------------------------------------------------------------------
    def apply_preemphasis(self, x: np.ndarray) -> np.ndarray:
        """``x[n] - preemphasis * x[n-1]``."""
        return nt.preemphasis(x=x, coef=self.preemphasis)

    def apply_inv_preemphasis(self, x: np.ndarray) -> np.ndarray:
        """Undo :meth:`apply_preemphasis`."""
        return nt.deemphasis(x=x, coef=self.preemphasis)

    # --- spectrograms ------------------------------------------------------------------
    def _stft(self, y: np.ndarray) -> np.ndarray:
        if self.preemphasis != 0:
            y = self.apply_preemphasis(y)
        return nt.stft(
            y=y,
            fft_size=self.fft_size,
            hop_length=self.hop_length,
            win_length=self.win_length,
            pad_mode=self.stft_pad_mode,
        )

    def _istft(self, y: np.ndarray) -> np.ndarray:
        return nt.istft(y=y, hop_length=self.hop_length, win_length=self.win_length)

    def _amp_to_db(self, x: np.ndarray) -> np.ndarray:
        return nt.amp_to_db(x=x, gain=self.spec_gain, base=self.base)

    def _db_to_amp(self, x: np.ndarray) -> np.ndarray:
        return nt.db_to_amp(x=x, gain=self.spec_gain, base=self.base)

    def _linear_to_mel(self, spectrogram: np.ndarray) -> np.ndarray:
        basis = self._mel_basis()
        if spectrogram.dtype == np.float64:
            # numpy would upcast the float32 basis on every call; same numbers, cached
            if self._mel_basis64 is None:
                self._mel_basis64 = basis.astype(np.float64)
            basis = self._mel_basis64
        return nt.spec_to_mel(spec=spectrogram, mel_basis=basis)

    def _mel_to_linear(self, mel_spec: np.ndarray) -> np.ndarray:
        if self._inv_mel_basis is None:
            self._inv_mel_basis = np.linalg.pinv(self._mel_basis())
        return nt.mel_to_spec(mel=mel_spec, mel_basis=self.mel_basis, inv_mel_basis=self._inv_mel_basis)

    def _mel_basis(self) -> np.ndarray:
        if self.mel_basis is None:
            raise InvalidInputError("This AudioProcessor has no mel basis: set num_mels and sample_rate.")
        return self.mel_basis

    def spectrogram(self, y: np.ndarray) -> np.ndarray:
        """Waveform ``(T,)`` -> normalised linear spectrogram ``(fft_size // 2 + 1, frames)`` float32."""
        S = np.abs(self._stft(y))
        if self.do_amp_to_db_linear:
            S = self._amp_to_db(S)
        return self.normalize(S).astype(np.float32)

    def melspectrogram(self, y: np.ndarray) -> np.ndarray:
        """Waveform ``(T,)`` -> normalised mel spectrogram ``(num_mels, frames)`` float32."""
        S = self._linear_to_mel(np.abs(self._stft(y)))
        if self.do_amp_to_db_mel:
            S = self._amp_to_db(S)
        return self.normalize(S).astype(np.float32)

    def inv_spectrogram(self, spectrogram: np.ndarray) -> np.ndarray:
        """Normalised linear spectrogram -> waveform by Griffin-Lim (``griffin_lim_iters``,
        magnitudes raised to ``power``)."""
        S = self._db_to_amp(self.denormalize(spectrogram))
        W = self._griffin_lim(S**self.power)
        return self.apply_inv_preemphasis(W) if self.preemphasis != 0 else W

    def inv_melspectrogram(self, mel_spectrogram: np.ndarray) -> np.ndarray:
        """Normalised mel spectrogram -> waveform by Griffin-Lim."""
        S = self._mel_to_linear(self._db_to_amp(self.denormalize(mel_spectrogram)))
        W = self._griffin_lim(S**self.power)
        return self.apply_inv_preemphasis(W) if self.preemphasis != 0 else W

    def out_linear_to_mel(self, linear_spec: np.ndarray) -> np.ndarray:
        """Normalised linear spectrogram -> normalised mel spectrogram."""
        S = self._db_to_amp(self.denormalize(linear_spec))
        S = self._amp_to_db(self._linear_to_mel(np.abs(S)))
        return self.normalize(S)

    def _griffin_lim(self, S: np.ndarray) -> np.ndarray:
        return nt.griffin_lim(
            spec=S,
            num_iter=self.griffin_lim_iters,
            hop_length=self.hop_length,
            win_length=self.win_length,
            fft_size=self.fft_size,
            pad_mode=self.stft_pad_mode,
        )

    def compute_f0(self, x: np.ndarray) -> np.ndarray:
        """Pitch ``(frames,)`` in Hz, 0 when unvoiced (``librosa.pyin``, as upstream 0.28),
        aligned with :meth:`melspectrogram` frames."""
        if len(x) % self.hop_length == 0:
            x = np.pad(x, (0, self.hop_length // 2), mode=self.stft_pad_mode)
        return nt.compute_f0(
            x=x,
            pitch_fmax=self.pitch_fmax,
            pitch_fmin=self.pitch_fmin,
            hop_length=self.hop_length,
            win_length=self.win_length,
            sample_rate=self.sample_rate,
            stft_pad_mode=self.stft_pad_mode,
            center=True,
        )

    # --- waveform processing ---------------------------------------------------------
    def find_endpoint(self, wav: np.ndarray, min_silence_sec: float = 0.8) -> int:
        """Index where a silence (below ``-trim_db``) of ``min_silence_sec`` begins, else ``len(wav)``."""
        return nt.find_endpoint(
            wav=wav,
            trim_db=self.trim_db,
            sample_rate=self.sample_rate,
            min_silence_sec=min_silence_sec,
            gain=self.spec_gain,
            base=self.base,
        )

    def trim_silence(self, wav: np.ndarray) -> np.ndarray:
        """Drop 10 ms margins, then leading/trailing audio ``trim_db`` below the peak frame."""
        return nt.trim_silence(
            wav=wav,
            sample_rate=self.sample_rate,
            trim_db=self.trim_db,
            win_length=self.win_length,
            hop_length=self.hop_length,
        )

    @staticmethod
    def sound_norm(x: np.ndarray) -> np.ndarray:
        """Scale so the peak is 0.95."""
        return nt.volume_norm(x=x)

    def rms_volume_norm(self, x: np.ndarray, db_level: float | None = None) -> np.ndarray:
        """Scale to an RMS level of ``db_level`` dBFS (default: the config's ``db_level``)."""
        return nt.rms_volume_norm(x=x, db_level=self.db_level if db_level is None else db_level)

    # --- files -------------------------------------------------------------------------
    def load_wav(self, filename: str | os.PathLike[Any], sr: int | None = None) -> np.ndarray:
        """Mono waveform ``(T,)``; resampled to ``sr`` if given, else to ``sample_rate`` when
        ``resample`` is set; then silence-trimmed / volume-normalised as configured."""
        if sr is not None:
            x = nt.load_wav(filename=filename, sample_rate=sr, resample=True)
        else:
            x = nt.load_wav(filename=filename, sample_rate=self.sample_rate, resample=self.resample)
        if self.do_trim_silence:
            try:
                x = self.trim_silence(x)
            except ValueError:
                logger.exception("File cannot be trimmed for silence - %s", filename)
        if self.do_sound_norm:
            x = self.sound_norm(x)
        if self.do_rms_norm:
            x = self.rms_volume_norm(x, self.db_level)
        return x

    def save_wav(
        self, wav: np.ndarray, path: str | os.PathLike[Any], sr: int | None = None, pipe_out: IO[Any] | None = None
    ) -> None:
        """Write 16-bit PCM at ``sr`` (default ``sample_rate``); see ``numpy_transforms.save_wav``."""
        nt.save_wav(
            wav=wav,
            path=path,
            sample_rate=sr if sr else self.sample_rate,
            pipe_out=pipe_out,
            do_rms_norm=self.do_rms_norm,
            db_level=self.db_level,
        )

    def get_duration(self, filename: str) -> float:
        """Length of an audio file in seconds (read from its header)."""
        import soundfile

        return float(soundfile.info(str(filename)).duration)

    # 0.x static helpers kept for old callers
    mulaw_encode = staticmethod(lambda wav, qc: nt.mulaw_encode(wav=wav, mulaw_qc=qc))
    mulaw_decode = staticmethod(lambda wav, qc: nt.mulaw_decode(wav=wav, mulaw_qc=qc))
    encode_16bits = staticmethod(lambda x: nt.encode_16bits(x=x))
    quantize = staticmethod(lambda x, bits: nt.quantize(x=x, quantize_bits=bits))
    dequantize = staticmethod(lambda x, bits: nt.dequantize(x=x, quantize_bits=bits))
