"""Decoder attentions of the Tacotron family.

Each attention is stateful across decoder steps: ``init_states(inputs)`` resets it
for a new utterance, ``preprocess_inputs(inputs)`` projects the encoder outputs
once, and ``forward(query, inputs, processed_inputs, mask)`` returns the context
``(B, D_en)`` for one step and keeps the step's weights in ``attention_weights``
``(B, T_en)``.

- :class:`OriginalAttention`: additive (Bahdanau) attention, optionally location
  sensitive, with sigmoid or softmax normalisation, inference-time windowing and
  forward attention (with transition agent and inference masking).
- :class:`GravesAttention`: a mixture of logistic windows moving monotonically.
- :class:`MonotonicDynamicConvolutionAttention`: dynamic convolution attention (DCA).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.decoder_blocks import Linear
from TTS.tts.layers.tacotron.fused import serial_matmul

__all__ = [
    "GravesAttention",
    "LocationLayer",
    "MonotonicDynamicConvolutionAttention",
    "OriginalAttention",
    "init_attn",
]


class LocationLayer(nn.Module):
    """Features of the previous and cumulative attention weights: ``(B, 2, T)`` -> ``(B, T, attention_dim)``."""

    def __init__(self, attention_dim: int, attention_n_filters: int = 32, attention_kernel_size: int = 31) -> None:
        super().__init__()
        self.location_conv1d = nn.Conv1d(
            2, attention_n_filters, attention_kernel_size, padding=(attention_kernel_size - 1) // 2, bias=False
        )
        self.location_dense = Linear(attention_n_filters, attention_dim, bias=False, init_gain="tanh")

    def forward(self, attention_cat: torch.Tensor) -> torch.Tensor:
        return self.location_dense(self.location_conv1d(attention_cat).transpose(1, 2))


class OriginalAttention(nn.Module):
    """Additive attention with the Tacotron options (see the module docstring)."""

    # Inference window around the last attended input position: [idx - back, idx + front).
    _WIN_BACK = 2
    _WIN_FRONT = 6

    def __init__(
        self,
        query_dim: int,
        embedding_dim: int,
        attention_dim: int,
        location_attention: bool,
        attention_location_n_filters: int,
        attention_location_kernel_size: int,
        windowing: bool,
        norm: str,
        forward_attn: bool,
        trans_agent: bool,
        forward_attn_mask: bool,
    ) -> None:
        super().__init__()
        if norm not in ("softmax", "sigmoid"):
            raise ValueError(f"attention_norm must be 'softmax' or 'sigmoid', got {norm!r}")
        self.query_layer = Linear(query_dim, attention_dim, bias=False, init_gain="tanh")
        self.inputs_layer = Linear(embedding_dim, attention_dim, bias=False, init_gain="tanh")
        self.v = Linear(attention_dim, 1, bias=True)
        if trans_agent:
            self.ta = nn.Linear(query_dim + embedding_dim, 1, bias=True)
        if location_attention:
            self.location_layer = LocationLayer(
                attention_dim, attention_location_n_filters, attention_location_kernel_size
            )
        self.windowing = windowing
        self.norm = norm
        self.forward_attn = forward_attn
        self.trans_agent = trans_agent
        self.forward_attn_mask = forward_attn_mask
        self.location_attention = location_attention
        self.win_idx: int | None = None
        self.attention_weights: torch.Tensor | None = None
        self.attention_weights_cum: torch.Tensor | None = None
        self.alpha: torch.Tensor | None = None
        self.u: torch.Tensor | None = None
        self._inference_cache: tuple[torch.Tensor, torch.Tensor] | None = None

    def init_states(self, inputs: torch.Tensor) -> None:
        """Reset the per-utterance state for encoder outputs ``inputs`` (B, T_en, D_en)."""
        batch, steps = inputs.shape[:2]
        device = inputs.device
        self._inference_cache = None
        self.attention_weights = torch.zeros(batch, steps, device=device)
        if self.location_attention:
            self.attention_weights_cum = torch.zeros(batch, steps, device=device)
        if self.forward_attn:
            # All mass on the first input; a tiny floor elsewhere.
            alpha = torch.full((batch, steps), 1e-7, device=device)
            alpha[:, 0] = 1.0
            self.alpha = alpha
            self.u = torch.full((batch, 1), 0.5, device=device)
        if self.windowing:
            self.win_idx = -1

    def preprocess_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        """Project the encoder outputs once per utterance: (B, T_en, D_en) -> (B, T_en, attention_dim)."""
        return self.inputs_layer(inputs)

    def _energies(self, query: torch.Tensor, processed_inputs: torch.Tensor) -> torch.Tensor:
        processed_query = self.query_layer(query.unsqueeze(1))
        if self.location_attention:
            previous = torch.stack((self.attention_weights, self.attention_weights_cum), dim=1)
            hidden = processed_query + self.location_layer(previous) + processed_inputs
        else:
            hidden = processed_query + processed_inputs
        return self.v(torch.tanh(hidden)).squeeze(-1)

    def _location_energies_inference(self, query: torch.Tensor, processed_inputs: torch.Tensor) -> torch.Tensor:
        """:meth:`_energies` with location features, for inference (equal up to float32 rounding).

        The location conv and dense layer fold into one (2 * K, attention_dim) matrix applied
        to the unfolded previous weights: one small matrix product per step instead of
        ``conv1d``, whose CPU kernel opens an OpenMP region per call (milliseconds each on a
        loaded machine with two or more threads). ``tanh`` is ``2 * sigmoid(2x) - 1`` for the
        same reason (see :mod:`TTS.tts.layers.tacotron.fused`).
        """
        cache = self._inference_cache
        if cache is None or cache[0] is not processed_inputs:
            conv = self.location_layer.location_conv1d.weight  # (F, 2, K)
            dense = self.location_layer.location_dense.linear_layer.weight  # (A, F)
            folded = torch.einsum("af,fck->cka", dense, conv).reshape(-1, dense.size(0))
            cache = (processed_inputs, folded.contiguous())
            self._inference_cache = cache
        folded = cache[1]  # (2 * K, A)
        kernel = folded.size(0) // 2
        previous = torch.stack((self.attention_weights, self.attention_weights_cum), dim=1)  # (B, 2, T)
        previous = F.pad(previous, ((kernel - 1) // 2, (kernel - 1) // 2))
        batch, steps = previous.size(0), processed_inputs.size(1)
        windows = previous.unfold(2, kernel, 1).permute(0, 2, 1, 3).reshape(batch, steps, -1)  # (B, T, 2 * K)
        hidden = serial_matmul(windows, folded)  # (B, T, A)
        hidden.add_(self.query_layer(query).unsqueeze(1)).add_(processed_inputs)
        hidden.mul_(2).sigmoid_().mul_(2).sub_(1)  # tanh
        v = self.v.linear_layer
        energies = torch.matmul(hidden, v.weight[0])  # (B, T)
        return energies if v.bias is None else energies.add_(v.bias)

    def _apply_window(self, energies: torch.Tensor) -> torch.Tensor:
        steps = energies.shape[1]
        start = self.win_idx - self._WIN_BACK
        end = self.win_idx + self._WIN_FRONT
        if start > 0:
            energies[:, :start] = -float("inf")
        if end < steps:
            energies[:, end:] = -float("inf")
        if self.win_idx == -1:
            # First step: make the first input win whatever the window left.
            energies[:, 0] = energies.max()
        self.win_idx = int(torch.argmax(energies, 1)[0].item())
        return energies

    def _forward_attention(self, alignment: torch.Tensor) -> torch.Tensor:
        shifted = F.pad(self.alpha[:, :-1], (1, 0))
        alpha = ((1 - self.u) * self.alpha + self.u * shifted + 1e-8) * alignment
        if not self.training and self.forward_attn_mask:
            _, positions = shifted.max(1)
            peaks, _ = alpha.max(1)
            for b in range(alignment.shape[0]):
                n = int(positions[b])
                # Python slice/index semantics on purpose (negative n - 2 wraps), as the released models ran.
                alpha[b, n + 3 :] = 0
                alpha[b, : n - 1] = 0
                alpha[b, n - 2] = 0.01 * peaks[b]
        return alpha / alpha.sum(dim=1, keepdim=True)

    def forward(
        self,
        query: torch.Tensor,
        inputs: torch.Tensor,
        processed_inputs: torch.Tensor,
        mask: torch.Tensor | None,
    ) -> torch.Tensor:
        """``query`` (B, D_q), ``inputs`` (B, T_en, D_en), ``processed_inputs`` (B, T_en, D_attn),
        ``mask`` (B, T_en) bool or None -> context (B, D_en)."""
        if self.location_attention and not self.training and not torch.is_grad_enabled():
            energies = self._location_energies_inference(query, processed_inputs)
        else:
            energies = self._energies(query, processed_inputs)
        if mask is not None:
            energies = energies.masked_fill(~mask, -float("inf"))
        if self.windowing and not self.training:
            energies = self._apply_window(energies)
        if self.norm == "softmax":
            alignment = torch.softmax(energies, dim=-1)
        else:
            gates = torch.sigmoid(energies)
            alignment = gates / gates.sum(dim=1, keepdim=True)
        if self.location_attention:
            self.attention_weights_cum = self.attention_weights_cum + alignment
        if self.forward_attn:
            alignment = self._forward_attention(alignment)
            self.alpha = alignment
        context = torch.bmm(alignment.unsqueeze(1), inputs).squeeze(1)
        self.attention_weights = alignment
        if self.forward_attn and self.trans_agent:
            self.u = torch.sigmoid(self.ta(torch.cat((context, query), dim=-1)))
        return context


class GravesAttention(nn.Module):
    """GMM attention with ``K`` logistic components whose means only move forward.

    Keys: ``N_a.0`` and ``N_a.2`` (a two-layer MLP from the query to ``3K`` parameters).
    """

    def __init__(self, query_dim: int, K: int) -> None:  # noqa: N803 - upstream's argument name
        super().__init__()
        self.K = K
        self.eps = 1e-5
        self._mask_value = 1e-8
        self.N_a = nn.Sequential(nn.Linear(query_dim, query_dim), nn.ReLU(), nn.Linear(query_dim, 3 * K))
        with torch.no_grad():
            self.N_a[2].bias[K : 2 * K].fill_(10.0)  # start wide
            self.N_a[2].bias[2 * K :].fill_(1.0)  # start moving
        self.J: torch.Tensor | None = None
        self.attention_weights: torch.Tensor | None = None
        self.mu_prev: torch.Tensor | None = None

    def init_states(self, inputs: torch.Tensor) -> None:
        batch, steps = inputs.shape[:2]
        if self.J is None or steps + 1 > self.J.shape[-1] or self.J.device != inputs.device:
            self.J = torch.arange(0, steps + 2.0, device=inputs.device) + 0.5
        self.attention_weights = torch.zeros(batch, steps, device=inputs.device)
        self.mu_prev = torch.zeros(batch, self.K, device=inputs.device)

    def preprocess_inputs(self, inputs: torch.Tensor) -> None:
        return None

    def forward(
        self, query: torch.Tensor, inputs: torch.Tensor, processed_inputs: object, mask: torch.Tensor | None
    ) -> torch.Tensor:
        """``query`` (B, D_q), ``inputs`` (B, T_en, D_en) -> context (B, D_en)."""
        params = self.N_a(query).view(query.size(0), -1, self.K)
        weights, widths, steps = params[:, 0, :], params[:, 1, :], params[:, 2, :]
        weights = F.dropout(weights, p=0.5, training=self.training)
        sigma = F.softplus(widths) + self.eps
        mu = self.mu_prev + F.softplus(steps)
        weights = torch.softmax(weights, dim=-1) + self.eps
        grid = self.J[: inputs.size(1) + 1]
        cdf = weights.unsqueeze(-1) * (1 / (1 + torch.sigmoid((mu.unsqueeze(-1) - grid) / sigma.unsqueeze(-1))))
        cdf = cdf.sum(1)
        alpha = cdf[:, 1:] - cdf[:, :-1]
        alpha = alpha.masked_fill(alpha == 0, 1e-8)
        if mask is not None:
            alpha = alpha.masked_fill(~mask, self._mask_value)
        context = torch.bmm(alpha.unsqueeze(1), inputs).squeeze(1)
        self.attention_weights = alpha
        self.mu_prev = mu
        return context


def _beta_binomial_pmf(n: int, a: float, b: float) -> list[float]:
    """P(k) for k = 0..n of the beta-binomial distribution with parameters (n, a, b)."""

    def log_beta(x: float, y: float) -> float:
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    return [
        math.exp(
            math.lgamma(n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(n - k + 1)
            + log_beta(k + a, n - k + b)
            - log_beta(a, b)
        )
        for k in range(n + 1)
    ]


class MonotonicDynamicConvolutionAttention(nn.Module):
    """Dynamic convolution attention: static and query-dependent filters over the previous
    weights plus a causal beta-binomial prior that keeps the alignment moving forward.

    The prior filter is the ``prior`` buffer (stored in checkpoints too).
    """

    def __init__(
        self,
        query_dim: int,
        embedding_dim: int,
        attention_dim: int,
        static_filter_dim: int,
        static_kernel_size: int,
        dynamic_filter_dim: int,
        dynamic_kernel_size: int,
        prior_filter_len: int = 11,
        alpha: float = 0.1,
        beta: float = 0.9,
    ) -> None:
        super().__init__()
        self._mask_value = 1e-8
        self.dynamic_filter_dim = dynamic_filter_dim
        self.dynamic_kernel_size = dynamic_kernel_size
        self.prior_filter_len = prior_filter_len
        self.query_layer = nn.Linear(query_dim, attention_dim)
        self.key_layer = nn.Linear(attention_dim, dynamic_filter_dim * dynamic_kernel_size, bias=False)
        self.static_filter_conv = nn.Conv1d(
            1, static_filter_dim, static_kernel_size, padding=(static_kernel_size - 1) // 2, bias=False
        )
        self.static_filter_layer = nn.Linear(static_filter_dim, attention_dim, bias=False)
        self.dynamic_filter_layer = nn.Linear(dynamic_filter_dim, attention_dim)
        self.v = nn.Linear(attention_dim, 1, bias=False)
        prior = torch.tensor(_beta_binomial_pmf(prior_filter_len - 1, alpha, beta), dtype=torch.float32)
        self.register_buffer("prior", prior.flip(0))
        self.attention_weights: torch.Tensor | None = None

    def init_states(self, inputs: torch.Tensor) -> None:
        batch, steps = inputs.shape[:2]
        self.attention_weights = torch.zeros(batch, steps, device=inputs.device)
        self.attention_weights[:, 0] = 1.0

    def preprocess_inputs(self, inputs: torch.Tensor) -> None:
        return None

    def forward(
        self, query: torch.Tensor, inputs: torch.Tensor, processed_inputs: object, mask: torch.Tensor | None
    ) -> torch.Tensor:
        """``query`` (B, D_q), ``inputs`` (B, T_en, D_en) -> context (B, D_en)."""
        batch = query.size(0)
        previous = self.attention_weights
        prior = F.conv1d(F.pad(previous.unsqueeze(1), (self.prior_filter_len - 1, 0)), self.prior.view(1, 1, -1))
        prior = torch.log(prior.clamp_min(1e-6)).squeeze(1)
        filters = self.key_layer(torch.tanh(self.query_layer(query)))
        dynamic = F.conv1d(
            previous.unsqueeze(0),
            filters.view(-1, 1, self.dynamic_kernel_size),
            padding=(self.dynamic_kernel_size - 1) // 2,
            groups=batch,
        )
        dynamic = dynamic.view(batch, self.dynamic_filter_dim, -1).transpose(1, 2)
        static = self.static_filter_conv(previous.unsqueeze(1)).transpose(1, 2)
        energies = self.v(torch.tanh(self.static_filter_layer(static) + self.dynamic_filter_layer(dynamic)))
        weights = F.softmax(energies.squeeze(-1) + prior, dim=-1)
        if mask is not None:
            weights = weights.masked_fill(~mask, self._mask_value)
        self.attention_weights = weights
        return torch.bmm(weights.unsqueeze(1), inputs).squeeze(1)


def init_attn(
    attn_type: str,
    query_dim: int,
    embedding_dim: int,
    attention_dim: int,
    location_attention: bool,
    attention_location_n_filters: int,
    attention_location_kernel_size: int,
    windowing: bool,
    norm: str,
    forward_attn: bool,
    trans_agent: bool,
    forward_attn_mask: bool,
    attn_K: int | None,  # noqa: N803 - upstream's argument name
) -> nn.Module:
    """Build the attention named by ``attn_type``: "original", "graves" or "dynamic_convolution"."""
    if attn_type == "original":
        return OriginalAttention(
            query_dim,
            embedding_dim,
            attention_dim,
            location_attention,
            attention_location_n_filters,
            attention_location_kernel_size,
            windowing,
            norm,
            forward_attn,
            trans_agent,
            forward_attn_mask,
        )
    if attn_type == "graves":
        return GravesAttention(query_dim, int(attn_K or 5))
    if attn_type == "dynamic_convolution":
        return MonotonicDynamicConvolutionAttention(
            query_dim,
            embedding_dim,
            attention_dim,
            static_filter_dim=8,
            static_kernel_size=21,
            dynamic_filter_dim=8,
            dynamic_kernel_size=21,
        )
    raise ValueError(f"Unknown attention_type {attn_type!r}: use 'original', 'graves' or 'dynamic_convolution'.")
