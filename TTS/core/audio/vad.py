"""Voice activity detection that trims leading silence, after SoX's ``vad`` effect.

A drop-in for ``torchaudio.functional.vad`` / ``torchaudio.transforms.Vad`` (same
parameters, defaults, shapes and trim points), written without torchaudio.

How the detector decides where speech starts:

1. Every ``1 / measure_freq`` seconds a Hann-windowed frame of ``measure_duration``
   seconds (the frame *ends* at the measuring position) is transformed; its magnitude
   spectrum, restricted to ``hp_filter_freq..lp_filter_freq``, is smoothed over time.
2. A noise power spectrum is estimated: during the first ``boot_time`` seconds it is
   the smoothed power itself, afterwards it follows the power upwards with time
   constant ``noise_up_time`` and downwards with ``noise_down_time``.
3. The noise-reduced magnitude is transformed again (a cepstrum); the power in the
   quefrencies of a 150-2000 Hz pitch (``hp_lifter_freq``/``lp_lifter_freq``) gives one
   measure per frame, ``max(0, 21 + ln(mean power))``.
4. The measures are smoothed with time constant ``trigger_time``; the first frame whose
   smoothed measure reaches ``trigger_level`` (in any channel) triggers. The detector
   then looks back up to ``search_time`` seconds for quieter bursts no more than
   ``allowed_gap`` apart, and keeps ``pre_trigger_time`` seconds more before them.

Arithmetic follows torchaudio's float32 order so that trim points agree exactly; the
frames are transformed in blocks, and only the running averages are stepped frame by
frame. Only the front is trimmed; :func:`trim_silence_both_ends` also trims the back by
running the detector on the time-reversed signal, as kNN-VC does.
"""

from __future__ import annotations

import logging
import math
import numbers
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from TTS.core.errors import InvalidInputError

__all__ = ["NoVoiceActivityError", "vad", "Vad", "trim_silence_both_ends"]

logger = logging.getLogger(__name__)

# Frames whose spectra are computed in one batch; the detector usually triggers early,
# so blocks keep long silent-free clips from being measured to the end.
_BLOCK_FRAMES = 32


@dataclass(frozen=True)
class _Plan:
    """Sizes (in samples, frames and bins) and smoothing factors derived from the options."""

    frame_len: int
    hop: int
    dft_len: int
    bin_lo: int
    bin_hi: int
    quef_lo: int
    quef_hi: int
    history_len: int
    gap_frames: int
    pre_trigger_len: int
    boot_frames: int
    smooth_mult: float
    noise_up_mult: float
    noise_down_mult: float
    trigger_mult: float
    trigger_level: float
    noise_reduction: float


def _require_positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0:
            raise InvalidInputError(f"vad: {name} must be positive, got {value!r}.")


def _plan(
    sample_rate: float,
    trigger_level: float,
    trigger_time: float,
    search_time: float,
    allowed_gap: float,
    pre_trigger_time: float,
    boot_time: float,
    noise_up_time: float,
    noise_down_time: float,
    noise_reduction_amount: float,
    measure_freq: float,
    measure_duration: float | None,
    measure_smooth_time: float,
    hp_filter_freq: float,
    lp_filter_freq: float,
    hp_lifter_freq: float,
    lp_lifter_freq: float,
) -> _Plan:
    """Check the options and turn them into integer sizes and per-frame factors."""
    _require_positive(
        sample_rate=sample_rate,
        trigger_time=trigger_time,
        search_time=search_time,
        noise_up_time=noise_up_time,
        noise_down_time=noise_down_time,
        measure_freq=measure_freq,
        measure_smooth_time=measure_smooth_time,
        hp_lifter_freq=hp_lifter_freq,
        lp_lifter_freq=lp_lifter_freq,
    )
    for name, value in (("allowed_gap", allowed_gap), ("pre_trigger_time", pre_trigger_time), ("boot_time", boot_time)):
        if not value >= 0:
            raise InvalidInputError(f"vad: {name} must be zero or positive, got {value!r}.")
    if measure_duration is None:
        measure_duration = 2.0 / measure_freq  # two periods: consecutive frames overlap by half
    frame_len = int(sample_rate * measure_duration + 0.5)
    hop = int(sample_rate / measure_freq + 0.5)
    if frame_len < 1 or hop < 1:
        raise InvalidInputError(
            f"vad: measure_duration ({measure_duration!r} s) and 1 / measure_freq ({1 / measure_freq!r} s) "
            f"must each span at least one sample at {sample_rate} Hz."
        )
    dft_len = max(16, 1 << (frame_len - 1).bit_length())  # smallest power of two >= frame_len, at least 16
    bin_lo = max(int(hp_filter_freq / sample_rate * dft_len + 0.5), 1)
    bin_hi = min(int(lp_filter_freq / sample_rate * dft_len + 0.5), dft_len // 2)
    if bin_hi <= bin_lo:
        raise InvalidInputError(
            f"vad: the band hp_filter_freq={hp_filter_freq!r} .. lp_filter_freq={lp_filter_freq!r} Hz "
            f"holds no frequency bin at {sample_rate} Hz; widen it."
        )
    quef_lo = math.ceil(sample_rate * 0.5 / lp_lifter_freq)
    quef_hi = min(math.floor(sample_rate * 0.5 / hp_lifter_freq), dft_len // 4)
    if quef_hi <= quef_lo:
        raise InvalidInputError(
            f"vad: the lifter band hp_lifter_freq={hp_lifter_freq!r} .. lp_lifter_freq={lp_lifter_freq!r} Hz "
            f"is empty at {sample_rate} Hz with this measure_duration; widen it."
        )
    return _Plan(
        frame_len=frame_len,
        hop=hop,
        dft_len=dft_len,
        bin_lo=bin_lo,
        bin_hi=bin_hi,
        quef_lo=quef_lo,
        quef_hi=quef_hi,
        history_len=math.ceil(search_time * measure_freq),
        gap_frames=int(allowed_gap * measure_freq + 0.5),
        pre_trigger_len=int(pre_trigger_time * sample_rate + 0.5),
        # int() truncates towards zero: a zero boot time still boots on the first frame
        boot_frames=int(boot_time * measure_freq - 0.5) + 1,
        smooth_mult=math.exp(-1.0 / (measure_smooth_time * measure_freq)),
        noise_up_mult=math.exp(-1.0 / (noise_up_time * measure_freq)),
        noise_down_mult=math.exp(-1.0 / (noise_down_time * measure_freq)),
        trigger_mult=math.exp(-1.0 / (trigger_time * measure_freq)),
        trigger_level=trigger_level,
        noise_reduction=noise_reduction_amount,
    )


def _scaled_hann(length: int, device: torch.device) -> torch.Tensor:
    """Periodic Hann window times ``2 / sqrt(length)``, float32, shape ``(length,)``."""
    scale = torch.full((length,), 2.0 / math.sqrt(length), dtype=torch.float32, device=device)
    return scale * torch.hann_window(length, periodic=True, dtype=torch.float32, device=device)


class _Detector:
    """Running spectra of one recording; :meth:`measure` turns frames into measures."""

    def __init__(self, plan: _Plan, channels: int, device: torch.device) -> None:
        self.plan = plan
        bins = plan.bin_hi - plan.bin_lo
        self.frame_window = _scaled_hann(plan.frame_len, device)
        self.band_window = _scaled_hann(bins, device)
        self.spectrum = torch.zeros(channels, bins, dtype=torch.float32, device=device)
        self.noise = torch.zeros(channels, bins, dtype=torch.float32, device=device)
        self.up = torch.tensor(plan.noise_up_mult, dtype=torch.float32, device=device)
        self.down = torch.tensor(plan.noise_down_mult, dtype=torch.float32, device=device)
        self.frames_seen = 0

    def measure(self, frames: torch.Tensor) -> list[list[float]]:
        """Measures of consecutive frames.

        Args:
            frames: ``(channels, n_frames, frame_len)`` samples, any real dtype.

        Returns:
            ``measures[f][c]``: the measure of frame ``f`` in channel ``c``, as Python floats.
        """
        p = self.plan
        # the product is formed in the promoted dtype and only then rounded to float32
        windowed = (frames * self.frame_window).to(torch.float32)
        magnitude = torch.fft.rfft(windowed, n=p.dft_len)[..., p.bin_lo : p.bin_hi].abs()
        cleaned = torch.empty_like(magnitude)
        for f in range(frames.shape[1]):
            cleaned[:, f] = self._step(magnitude[:, f])
        cepstrum_in = torch.zeros(*cleaned.shape[:-1], p.dft_len // 2, dtype=torch.float32, device=cleaned.device)
        cepstrum_in[..., p.bin_lo : p.bin_hi] = cleaned * self.band_window
        cepstrum = torch.fft.rfft(cepstrum_in)[..., p.quef_lo : p.quef_hi]
        power = cepstrum.abs().pow(2).sum(-1).transpose(0, 1).tolist()  # (n_frames, channels)
        count = p.quef_hi - p.quef_lo
        return [[max(0.0, 21.0 + math.log(x / count)) if x > 0 else 0.0 for x in row] for row in power]

    def _step(self, magnitude: torch.Tensor) -> torch.Tensor:
        """Advance the smoothed and noise spectra by one frame; ``(C, bins)`` -> ``(C, bins)``."""
        p = self.plan
        booting = self.frames_seen < p.boot_frames
        # while booting, the smoothed spectrum is the plain mean of the frames so far
        keep = self.frames_seen / (1.0 + self.frames_seen) if booting else p.smooth_mult
        self.spectrum = self.spectrum * keep + magnitude * (1 - keep)
        power = self.spectrum**2
        if booting:
            self.noise = power
        else:
            follow = torch.where(power > self.noise, self.up, self.down)
            self.noise = self.noise * follow + power * (1 - follow)
        self.frames_seen += 1
        return torch.sqrt(torch.clamp_min(power - p.noise_reduction * self.noise, 0.0))


def _frames_to_keep(history: list[float], plan: _Plan, level: float) -> int:
    """How many frames before the trigger frame to keep, from one channel's recent measures.

    ``history[j]`` is the float32 measure ``j`` frames before the trigger frame (``j = 0``
    is the trigger frame itself; frames before the start count as 0). Loud frames no more
    than ``gap_frames`` apart are chained backwards from the trigger; the result is the
    first silent (zero) frame before the earliest chained loud frame, else that loud frame
    itself; with no loud frame in the window, the earliest silent frame.
    """
    n = plan.history_len
    last_loud = first_silent = n
    for j, value in enumerate(history):
        if value >= level and j <= last_loud + plan.gap_frames:
            last_loud = first_silent = j
        elif value == 0 and last_loud >= first_silent:
            first_silent = j
    # torchaudio caps this at n - 1 (SoX would allow n)
    return min(n - 1, first_silent)


def _as_float32(value: float) -> float:
    return float(np.float32(value))


def _find_start(waveform: torch.Tensor, plan: _Plan) -> int | None:
    """First sample to keep, or ``None`` if nothing triggers. ``waveform``: ``(C, T)``."""
    channels, length = waveform.shape
    if length <= plan.frame_len:
        return None
    frames = waveform.unfold(-1, plan.frame_len, plan.hop)  # (C, n_frames, frame_len)
    # the last frame that would end exactly at the end of the signal is not measured
    n_frames = len(range(plan.frame_len, length, plan.hop))
    detector = _Detector(plan, channels, waveform.device)
    level = _as_float32(plan.trigger_level)  # measures are compared as float32
    # Host bookkeeping in numpy: float64 measures, a float32 running mean (torchaudio's arithmetic);
    # numpy keeps float64 off the tensor devices (MPS has none).
    mean = np.zeros(channels, dtype=np.float32)
    mult = np.float32(plan.trigger_mult)
    threshold = np.float32(plan.trigger_level)
    history: list[list[float]] = []  # float32 measures, newest last
    for block_start in range(0, n_frames, _BLOCK_FRAMES):
        block = frames[:, block_start : min(block_start + _BLOCK_FRAMES, n_frames)]
        for offset, row in enumerate(detector.measure(block)):
            values = np.asarray(row, dtype=np.float64)
            mean = mean * mult + (values * (1.0 - plan.trigger_mult)).astype(np.float32)
            history.append(values.astype(np.float32).tolist())
            loud = np.flatnonzero(mean >= threshold)
            if loud.size == 0:
                continue
            # channels before the first loud one are not consulted for the look-back
            first = int(loud[0])
            recent = history[::-1][: plan.history_len]
            recent += [[0.0] * channels] * (plan.history_len - len(recent))
            keep = max(_frames_to_keep([r[c] for r in recent], plan, level) for c in range(first, channels))
            frame_start = (block_start + offset) * plan.hop
            return max(frame_start - keep * plan.hop - plan.pre_trigger_len, 0)
    return None


def _check_waveform(waveform: torch.Tensor, sample_rate: float) -> None:
    if not isinstance(waveform, torch.Tensor):
        raise InvalidInputError(f"vad: waveform must be a torch.Tensor, got {type(waveform).__name__}.")
    if waveform.ndim == 0:
        raise InvalidInputError("vad: waveform must have shape (time,) or (channels, time), got a scalar.")
    if waveform.is_complex() or waveform.dtype == torch.bool:
        raise InvalidInputError(f"vad: waveform must hold real samples, got dtype {waveform.dtype}.")
    if waveform.numel() == 0:
        raise InvalidInputError(f"vad: waveform is empty (shape {tuple(waveform.shape)}).")
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, numbers.Real) or not sample_rate > 0:
        raise InvalidInputError(f"vad: sample_rate must be a positive number of Hz, got {sample_rate!r}.")


def vad(
    waveform: torch.Tensor,
    sample_rate: int,
    trigger_level: float = 7.0,
    trigger_time: float = 0.25,
    search_time: float = 1.0,
    allowed_gap: float = 0.25,
    pre_trigger_time: float = 0.0,
    boot_time: float = 0.35,
    noise_up_time: float = 0.1,
    noise_down_time: float = 0.01,
    noise_reduction_amount: float = 1.35,
    measure_freq: float = 20.0,
    measure_duration: float | None = None,
    measure_smooth_time: float = 0.4,
    hp_filter_freq: float = 50.0,
    lp_filter_freq: float = 6000.0,
    hp_lifter_freq: float = 150.0,
    lp_lifter_freq: float = 2000.0,
) -> torch.Tensor:
    """Trim silence and quiet background noise from the front of a recording.

    Same parameters, defaults and result as ``torchaudio.functional.vad``. The detector
    is a cepstral power measure (see the module docstring), so music or other periodic
    sounds may also count as voice.

    Args:
        waveform: ``(time,)`` or ``(channels, time)``; channels are one recording and are
            trimmed together, at the earliest activity in any of them. More leading
            dimensions are accepted and likewise treated as channels of one recording.
        sample_rate: Sample rate in Hz.
        trigger_level: Measure level that counts as activity; lower it for quiet voices.
        trigger_time: Time constant (seconds) of the measure average, to ignore short bursts.
        search_time: How far (seconds) to look back from the trigger for quieter bursts.
        allowed_gap: Largest gap (seconds) between bursts that are kept together.
        pre_trigger_time: Extra audio (seconds) kept before the detected start.
        boot_time: Duration (seconds) of the initial noise estimate.
        noise_up_time: Time constant (seconds) of the noise estimate when noise rises.
        noise_down_time: Time constant (seconds) of the noise estimate when noise falls.
        noise_reduction_amount: How much of the noise estimate is subtracted.
        measure_freq: Measurements per second.
        measure_duration: Frame length in seconds; ``None`` means two measurement periods.
        measure_smooth_time: Time constant (seconds) of the spectrum smoothing.
        hp_filter_freq: Lowest frequency (Hz) the detector looks at.
        lp_filter_freq: Highest frequency (Hz) the detector looks at.
        hp_lifter_freq: Lowest pitch (Hz) of the cepstral measure.
        lp_lifter_freq: Highest pitch (Hz) of the cepstral measure.

    Returns:
        ``(..., time')``: a view of ``waveform`` from the detected start. If nothing
        triggers, the first ``pre_trigger_time`` seconds (empty by default).

    Raises:
        InvalidInputError: a non-tensor, scalar, empty or complex waveform, a non-positive
            sample rate, or options that leave no frame, frequency bin or lifter band.
    """
    _check_waveform(waveform, sample_rate)
    plan = _plan(
        sample_rate,
        trigger_level,
        trigger_time,
        search_time,
        allowed_gap,
        pre_trigger_time,
        boot_time,
        noise_up_time,
        noise_down_time,
        noise_reduction_amount,
        measure_freq,
        measure_duration,
        measure_smooth_time,
        hp_filter_freq,
        lp_filter_freq,
        hp_lifter_freq,
        lp_lifter_freq,
    )
    if waveform.ndim > 2:
        logger.warning(
            "vad: waveform of shape %s: all leading dimensions are treated as channels of one "
            "recording and trimmed together (no batch semantics).",
            tuple(waveform.shape),
        )
    with torch.no_grad():
        start = _find_start(waveform.detach().reshape(-1, waveform.shape[-1]), plan)
    if start is None:
        return waveform[..., : plan.pre_trigger_len]
    return waveform[..., start:]


class NoVoiceActivityError(InvalidInputError):
    """:func:`trim_silence_both_ends` found no voice activity at all in the recording."""


def trim_silence_both_ends(
    waveform: torch.Tensor,
    sample_rate: int,
    trigger_level: float = 7.0,
    *,
    keep_untrimmed_end: bool = False,
    what: str = "recording",
) -> torch.Tensor:
    """Trim silence from the front and the back, in the order the kNN-VC reference implementation uses.

    Runs :func:`vad` on the waveform, then on the time-reversed result, and reverses back.

    Args:
        waveform: ``(time,)`` or ``(channels, time)``.
        sample_rate: Sample rate in Hz.
        trigger_level: See :func:`vad`.
        keep_untrimmed_end: when the backwards pass finds no activity (the speech reaches the
            very end), return the front-trimmed recording, with a warning naming ``what``,
            instead of torchaudio's empty result.
        what: how messages name the recording.

    Returns:
        ``(..., time')``, a new tensor (the reversals copy). Without ``keep_untrimmed_end`` it can
        be empty when the backwards pass finds no activity.

    Raises:
        NoVoiceActivityError: no voice activity at all (torchaudio fails there with an opaque
            ``RuntimeError``).
        InvalidInputError: bad input (see :func:`vad`).
    """
    front_trimmed = vad(waveform, sample_rate, trigger_level=trigger_level)
    if front_trimmed.shape[-1] == 0:
        raise NoVoiceActivityError(
            f"No voice activity found in the {what} ({waveform.shape[-1] / sample_rate:.2f} s) at "
            f"trigger_level={trigger_level:g}: it is silent, noise only, or speech starts at the very "
            "beginning; lower the trigger level or skip the silence trimming."
        )
    back_trimmed = vad(front_trimmed.flip(-1), sample_rate, trigger_level=trigger_level).flip(-1)
    if back_trimmed.shape[-1] == 0 and keep_untrimmed_end:
        logger.warning("No trailing silence found in the %s; it is used to its end.", what)
        return front_trimmed.clone()
    return back_trimmed


class Vad(nn.Module):
    """Module form of :func:`vad`, with the constructor of ``torchaudio.transforms.Vad``.

    ``forward(waveform)``: ``(time,)`` or ``(channels, time)`` -> ``(..., time')``.
    """

    def __init__(
        self,
        sample_rate: int,
        trigger_level: float = 7.0,
        trigger_time: float = 0.25,
        search_time: float = 1.0,
        allowed_gap: float = 0.25,
        pre_trigger_time: float = 0.0,
        boot_time: float = 0.35,
        noise_up_time: float = 0.1,
        noise_down_time: float = 0.01,
        noise_reduction_amount: float = 1.35,
        measure_freq: float = 20.0,
        measure_duration: float | None = None,
        measure_smooth_time: float = 0.4,
        hp_filter_freq: float = 50.0,
        lp_filter_freq: float = 6000.0,
        hp_lifter_freq: float = 150.0,
        lp_lifter_freq: float = 2000.0,
    ) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.trigger_level = trigger_level
        self.trigger_time = trigger_time
        self.search_time = search_time
        self.allowed_gap = allowed_gap
        self.pre_trigger_time = pre_trigger_time
        self.boot_time = boot_time
        self.noise_up_time = noise_up_time
        self.noise_down_time = noise_down_time
        self.noise_reduction_amount = noise_reduction_amount
        self.measure_freq = measure_freq
        self.measure_duration = measure_duration
        self.measure_smooth_time = measure_smooth_time
        self.hp_filter_freq = hp_filter_freq
        self.lp_filter_freq = lp_filter_freq
        self.hp_lifter_freq = hp_lifter_freq
        self.lp_lifter_freq = lp_lifter_freq

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        return vad(
            waveform,
            self.sample_rate,
            trigger_level=self.trigger_level,
            trigger_time=self.trigger_time,
            search_time=self.search_time,
            allowed_gap=self.allowed_gap,
            pre_trigger_time=self.pre_trigger_time,
            boot_time=self.boot_time,
            noise_up_time=self.noise_up_time,
            noise_down_time=self.noise_down_time,
            noise_reduction_amount=self.noise_reduction_amount,
            measure_freq=self.measure_freq,
            measure_duration=self.measure_duration,
            measure_smooth_time=self.measure_smooth_time,
            hp_filter_freq=self.hp_filter_freq,
            lp_filter_freq=self.lp_filter_freq,
            hp_lifter_freq=self.hp_lifter_freq,
            lp_lifter_freq=self.lp_lifter_freq,
        )
