"""Capacitron: a variational prosody embedding from a reference mel (and optionally its text).

At inference with a reference the embedding is a sample of the posterior; without
one it is a sample of the standard normal prior. Either way ``(B, 1, D)``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.distributions.multivariate_normal import MultivariateNormal

from TTS.tts.layers.generic.decoder_blocks import calculate_post_conv_height

__all__ = ["CapacitronVAE", "PostEncoderMLP", "ReferenceEncoder", "TextSummary"]

_FILTERS = (32, 32, 64, 64, 128, 128)


class ReferenceEncoder(nn.Module):
    """Strided 3x3 convs (padding 2) with length masking, then an LSTM: ``(B, T, C_mel)``, lengths -> ``(B, out_dim)``."""

    def __init__(self, num_mel: int, out_dim: int) -> None:
        super().__init__()
        self.num_mel = num_mel
        channels = (1, *_FILTERS)
        self.convs = nn.ModuleList(
            nn.Conv2d(channels[i], channels[i + 1], kernel_size=3, stride=2, padding=2) for i in range(len(_FILTERS))
        )
        self.bns = nn.ModuleList(nn.BatchNorm2d(c) for c in _FILTERS)
        height = calculate_post_conv_height(num_mel, 3, 2, 2, len(_FILTERS))
        self.recurrence = nn.LSTM(_FILTERS[-1] * height, out_dim, batch_first=True)

    def forward(self, inputs: torch.Tensor, input_lengths: torch.Tensor) -> torch.Tensor:
        batch = inputs.size(0)
        x = inputs.reshape(batch, 1, -1, self.num_mel)
        lengths = input_lengths.float()
        for conv, bn in zip(self.convs, self.bns):
            x = F.relu(bn(conv(x)))
            # valid frames after a stride-2, padding-2 conv: ceil(n / 2) + 1
            lengths = torch.ceil(lengths / 2).to(torch.int64) + 1
            frames = torch.arange(x.size(2), device=inputs.device)
            x = x * (frames.unsqueeze(0) < lengths.unsqueeze(1))[:, None, :, None]
        x = x.transpose(1, 2).reshape(batch, x.size(2), -1)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.tolist(), batch_first=True, enforce_sorted=False)
        _, (last, _) = self.recurrence(packed)
        return last[-1]


class TextSummary(nn.Module):
    """Last LSTM state over the text embeddings: ``(B, T, D_in)``, lengths -> ``(B, embedding_dim)``."""

    def __init__(self, embedding_dim: int, encoder_output_dim: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(encoder_output_dim, embedding_dim, batch_first=True)

    def forward(self, inputs: torch.Tensor, input_lengths: torch.Tensor) -> torch.Tensor:
        packed = nn.utils.rnn.pack_padded_sequence(
            inputs, input_lengths.tolist(), batch_first=True, enforce_sorted=False
        )
        _, (last, _) = self.lstm(packed)
        return last[-1]


class PostEncoderMLP(nn.Module):
    """Mean and (softplus) scale of the posterior: ``(B, D_in)`` -> two ``(B, hidden_size)``."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.net = nn.Sequential(nn.Linear(input_size, hidden_size), nn.Tanh(), nn.Linear(hidden_size, hidden_size * 2))
        self.softplus = nn.Softplus()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.net(x)
        return out[:, : self.hidden_size], self.softplus(out[:, self.hidden_size :])


class CapacitronVAE(nn.Module):
    """Prosody VAE (keys ``encoder``, ``text_summary_net``, ``post_encoder_mlp``, ``beta``)."""

    def __init__(
        self,
        num_mel: int,
        capacitron_VAE_embedding_dim: int,  # noqa: N803 - upstream's argument name
        encoder_output_dim: int = 256,
        reference_encoder_out_dim: int = 128,
        speaker_embedding_dim: int | None = None,
        text_summary_embedding_dim: int | None = None,
    ) -> None:
        super().__init__()
        self.embedding_dim = capacitron_VAE_embedding_dim
        self.encoder = ReferenceEncoder(num_mel, out_dim=reference_encoder_out_dim)
        # softplus^-1(1): the KL weight starts at 1 in training.
        self.beta = nn.Parameter(torch.log(torch.exp(torch.ones(1)) - 1))
        mlp_in = reference_encoder_out_dim
        if text_summary_embedding_dim is not None:
            self.text_summary_net = TextSummary(text_summary_embedding_dim, encoder_output_dim=encoder_output_dim)
            mlp_in += text_summary_embedding_dim
        if speaker_embedding_dim is not None:
            mlp_in += speaker_embedding_dim
        self.post_encoder_mlp = PostEncoderMLP(mlp_in, capacitron_VAE_embedding_dim)
        self.approximate_posterior_distribution: MultivariateNormal | None = None

    @property
    def prior_distribution(self) -> MultivariateNormal:
        """Standard normal over the embedding."""
        dim = self.embedding_dim
        return MultivariateNormal(torch.zeros(dim), torch.eye(dim))

    def forward(
        self,
        reference_mel_info: tuple[torch.Tensor, torch.Tensor] | list[torch.Tensor] | None = None,
        text_info: tuple[torch.Tensor, torch.Tensor] | list[torch.Tensor] | None = None,
        speaker_embedding: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, MultivariateNormal | None, MultivariateNormal, torch.Tensor]:
        """``reference_mel_info`` = (mel (B, T, C_mel), lengths (B,)); ``text_info`` = (embeddings, lengths).

        Returns (embedding (B, 1, D), posterior or None, prior, beta).
        """
        prior = self.prior_distribution
        if reference_mel_info is None:
            return prior.sample().unsqueeze(0).unsqueeze(1), self.approximate_posterior_distribution, prior, self.beta
        mels, mel_lengths = reference_mel_info[0], reference_mel_info[1]
        encoding = self.encoder(mels, mel_lengths)
        if text_info is not None:
            summary = self.text_summary_net(text_info[0], text_info[1]).to(mels.device)
            encoding = torch.cat([encoding, summary], dim=-1)
        if speaker_embedding is not None:
            encoding = torch.cat([encoding, torch.squeeze(speaker_embedding)], dim=-1)
        mu, sigma = self.post_encoder_mlp(encoding)
        # Sampled on the CPU, as the released models did, so seeded runs agree across devices.
        posterior = MultivariateNormal(mu.cpu(), torch.diag_embed(sigma.cpu()))
        self.approximate_posterior_distribution = posterior
        return posterior.rsample().unsqueeze(1), posterior, prior, self.beta
