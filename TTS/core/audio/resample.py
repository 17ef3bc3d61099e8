"""The one resampler: band-limited sinc interpolation, numerically compatible with
``torchaudio.functional.resample`` (same defaults, same output length).

Resampling from ``orig_freq`` to ``new_freq`` (both reduced by their gcd to ``p`` and
``q``) is a polyphase filter: output sample ``n`` sits at input time ``n * p / q`` and is
a windowed-sinc weighted sum of the inputs around it. Output phases repeat every ``q``
samples while the input advances by ``p``, so ``q`` filters cover every output.

Two evaluation strategies, chosen by cost:

* *dense*: one strided ``conv1d`` with a ``(q, 1, p + 2w)`` kernel (torchaudio's layout);
  used for every common pair (44100 -> 16000 is a 160 x 475 kernel), a few ms per minute
  of audio.
* *sparse*: each phase only touches ``2w + 1`` consecutive inputs, so for near-coprime
  rates (44100 -> 44099) whose dense kernel would take gigabytes we gather those windows
  and use a ``(q, 2w + 1)`` kernel in bounded-memory chunks. Both give the same numbers.

Filters are built once per ``(rates, filter, dtype, device)`` and cached.
"""

from __future__ import annotations

import functools
import math

import torch

from TTS.core.errors import InvalidInputError

__all__ = ["resample", "resampled_length"]

_DEFAULT_KAISER_BETA = 14.769656459379492
_LEGACY_METHODS = {"sinc_interpolation": "sinc_interp_hann", "kaiser_window": "sinc_interp_kaiser"}
_METHODS = ("sinc_interp_hann", "sinc_interp_kaiser")
# Largest dense kernel (q * (p + 2w) weights) before switching to the sparse path.
_DENSE_MAX_KERNEL_ELEMENTS = 1 << 21
# Elements (batch * outputs * taps) materialised at once on the sparse path.
_SPARSE_CHUNK_ELEMENTS = 1 << 22


def _reduced_rates(orig_freq: int | float, new_freq: int | float) -> tuple[int, int]:
    if int(orig_freq) != orig_freq or int(new_freq) != new_freq:
        raise InvalidInputError(
            f"Sample rates must be whole numbers of Hz, got {orig_freq} -> {new_freq}; "
            "scale both to integers with the same ratio."
        )
    if orig_freq <= 0 or new_freq <= 0:
        raise InvalidInputError(f"Sample rates must be positive, got {orig_freq} -> {new_freq}.")
    g = math.gcd(int(orig_freq), int(new_freq))
    return int(orig_freq) // g, int(new_freq) // g


def resampled_length(length: int, orig_freq: int, new_freq: int) -> int:
    """Number of samples :func:`resample` returns for an input of ``length`` samples."""
    p, q = _reduced_rates(orig_freq, new_freq)
    return -((-q * length) // p)  # ceil(q * length / p) in exact integer arithmetic


def _half_width(p: int, q: int, lowpass_filter_width: int, rolloff: float) -> int:
    return math.ceil(lowpass_filter_width * p / (min(p, q) * rolloff))


def _sinc_weights(
    taps: torch.Tensor,
    p: int,
    q: int,
    lowpass_filter_width: int,
    rolloff: float,
    method: str,
    beta: float | None,
    dtype: torch.dtype,
) -> torch.Tensor:
    """Filter weights for bank positions ``taps`` of shape ``(q, n)``, computed in ``dtype``.

    Row ``j`` is the ``j``-th output of a block of ``p`` inputs; a position ``k`` in that
    row is input ``k - w`` counted from the start of the block (``w`` the half width).
    The arithmetic runs in the waveform's precision with torchaudio's order of operations,
    so float32 kernels agree with torchaudio's to the last bit or so (a float64 kernel
    would be more exact but differ from it by up to ~3e-5 on 16 kHz -> 22.05 kHz).
    """
    cutoff = min(p, q) * rolloff  # in units where the input rate is ``p``
    width = _half_width(p, q, lowpass_filter_width, rolloff)
    input_time = (taps.to(dtype) - width) / p  # in blocks of p inputs
    output_time = torch.arange(0, -q, -1, dtype=dtype)[:, None] / q  # negated
    # distance between input and output, in zero crossings of the low-pass sinc
    x = (output_time + input_time) * cutoff
    x = x.clamp(-lowpass_filter_width, lowpass_filter_width)
    if method == "sinc_interp_hann":
        window = torch.cos(x * math.pi / lowpass_filter_width / 2) ** 2
    else:
        b = torch.tensor(_DEFAULT_KAISER_BETA if beta is None else beta)
        window = torch.i0(b * torch.sqrt(1 - (x / lowpass_filter_width) ** 2)) / torch.i0(b)
    arg = x * math.pi
    sinc = torch.where(arg == 0, torch.tensor(1.0, dtype=dtype), arg.sin() / arg)
    return sinc * (window * (cutoff / p))


def _use_sparse(p: int, q: int, width: int) -> bool:
    # The dense conv1d is the faster of the two for every common rate pair (oneDNN beats a
    # gather); the sparse path only keeps near-coprime pairs (44100 -> 44099) from building
    # a kernel of gigabytes.
    return q * (p + 2 * width) > _DENSE_MAX_KERNEL_ELEMENTS


@functools.lru_cache(maxsize=64)
def _device_kernels(
    p: int,
    q: int,
    lowpass_filter_width: int,
    rolloff: float,
    method: str,
    beta: float | None,
    dtype: torch.dtype,
    device: torch.device,
) -> tuple[torch.Tensor, torch.Tensor | None, int]:
    """Kernel for the chosen strategy on ``device``: dense ``(q, 1, p + 2w)``, or sparse
    ``(q, 2w + 1)`` with each phase's first bank position ``(q,)``. Built on the CPU in
    float64 for float64 waveforms, float32 otherwise, then cast and moved."""
    width = _half_width(p, q, lowpass_filter_width, rolloff)
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    args = (p, q, lowpass_filter_width, rolloff, method, beta, compute)
    if not _use_sparse(p, q, width):
        taps = torch.arange(p + 2 * width).expand(q, -1)
        bank = _sinc_weights(taps, *args)
        return bank.to(dtype).unsqueeze(1).to(device), None, width
    # Outside 2w + 1 positions per phase the distance is clamped to the filter edge, where
    # the sinc is sin(k * pi) ~ 0 (times a Hann window ~1e-33): below 1e-13 in every case.
    starts = (torch.arange(q, dtype=torch.int64) * p) // q
    taps = starts[:, None] + torch.arange(2 * width + 1)
    return _sinc_weights(taps, *args).to(dtype).to(device), starts.to(device), width


def _resample_sparse(
    x: torch.Tensor, p: int, q: int, kernel: torch.Tensor, starts: torch.Tensor, width: int, out_len: int
) -> torch.Tensor:
    """x: (B, T) -> (B, out_len) using the trimmed per-phase kernels (q, 2w + 1)."""
    n_taps = kernel.shape[1]
    n_blocks = -(-out_len // q)
    # Pad like the dense path: w zeros before, and enough after for the last block.
    padded = torch.nn.functional.pad(x, (width, max(0, n_blocks * p + 2 * width + 1 - x.shape[1] - width)))
    offsets = starts[:, None] + torch.arange(n_taps, device=x.device)  # (q, taps)
    out = x.new_empty(x.shape[0], n_blocks * q)
    blocks_per_chunk = max(1, _SPARSE_CHUNK_ELEMENTS // max(1, x.shape[0] * q * n_taps))
    for b0 in range(0, n_blocks, blocks_per_chunk):
        b1 = min(n_blocks, b0 + blocks_per_chunk)
        block_starts = torch.arange(b0, b1, device=x.device) * p  # (nb,)
        index = block_starts[:, None, None] + offsets[None]  # (nb, q, taps)
        windows = padded[:, index]  # (B, nb, q, taps)
        out[:, b0 * q : b1 * q] = torch.einsum("bnqt,qt->bnq", windows, kernel).reshape(x.shape[0], -1)
    return out[:, :out_len]


def _conv1d_for(device: torch.device):
    """``F.conv1d``, or its time-chunked form where MPS limits conv outputs to 65536 steps
    (a 10 s 44.1 kHz -> 22.05 kHz resample is a conv with 220500 output steps)."""
    from TTS.core.device import mps_safe_required

    if mps_safe_required(device):
        from TTS.core.mps import mps_safe_conv1d

        return mps_safe_conv1d
    return torch.nn.functional.conv1d


def resample(
    waveform: torch.Tensor,
    orig_freq: int,
    new_freq: int,
    lowpass_filter_width: int = 6,
    rolloff: float = 0.99,
    resampling_method: str = "sinc_interp_hann",
    beta: float | None = None,
) -> torch.Tensor:
    """Resample ``waveform`` of shape ``(..., T)`` from ``orig_freq`` to ``new_freq`` Hz.

    Same arguments, defaults and output length (``ceil(T * new / orig)``) as
    ``torchaudio.functional.resample``; ``resampling_method`` is ``"sinc_interp_hann"``
    or ``"sinc_interp_kaiser"`` (``beta`` is the Kaiser shape, default 14.77).
    Returns a tensor of shape ``(..., T')`` with the input's dtype and device.
    """
    method = _LEGACY_METHODS.get(resampling_method, resampling_method)
    if method not in _METHODS:
        raise InvalidInputError(f"Unknown resampling_method {resampling_method!r}; use one of {', '.join(_METHODS)}.")
    if lowpass_filter_width <= 0:
        raise InvalidInputError("lowpass_filter_width must be positive.")
    p, q = _reduced_rates(orig_freq, new_freq)
    if p == q:
        return waveform
    if not waveform.is_floating_point():
        raise InvalidInputError(f"Resampling needs a floating-point waveform, got {waveform.dtype}.")

    shape = waveform.shape
    x = waveform.reshape(-1, shape[-1])
    length = x.shape[1]
    out_len = -((-q * length) // p)
    kernel, starts, width = _device_kernels(
        p, q, int(lowpass_filter_width), float(rolloff), method, None if beta is None else float(beta),
        x.dtype, x.device,
    )  # fmt: skip
    if starts is None:
        padded = torch.nn.functional.pad(x, (width, width + p))
        y = _conv1d_for(x.device)(padded[:, None], kernel, stride=p)  # (B, q, blocks)
        y = y.transpose(1, 2).reshape(x.shape[0], -1)[:, :out_len]
    else:
        y = _resample_sparse(x, p, q, kernel, starts, width, out_len)
    return y.reshape(shape[:-1] + (y.shape[-1],))
