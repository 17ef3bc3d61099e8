"""OverFlow / Neural-HMM text encoder and output-parameter network.

Keys: ``Encoder`` -> ``emb``, ``convolutions.i.{convolution1d,batch_normalization}``, ``lstm``;
``Outputnet`` -> ``parametermodel.layers.i.linear_layer``, ``parametermodel.last_layer``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.decoder_blocks import ConvBNBlock, Linear

__all__ = ["Encoder", "ParameterModel", "Outputnet"]


class Encoder(nn.Module):
    """Tokens (B, T) -> ``state_per_phone`` HMM states per token: (B, T * S, C), lengths (B,) * S.

    Embedding -> ``n_convolutions`` conv-BN-ReLU blocks -> bidirectional LSTM whose output
    (2 x C/2 x S channels) is cut into S state vectors of C channels.
    """

    def __init__(
        self, num_chars: int, state_per_phone: int, in_out_channels: int = 512, n_convolutions: int = 3
    ) -> None:
        super().__init__()
        self.state_per_phone = state_per_phone
        self.in_out_channels = in_out_channels
        self.emb = nn.Embedding(num_chars, in_out_channels)
        self.convolutions = nn.ModuleList(
            ConvBNBlock(in_out_channels, in_out_channels, 5, "relu") for _ in range(n_convolutions)
        )
        self.lstm = nn.LSTM(
            in_out_channels,
            (in_out_channels // 2) * state_per_phone,
            num_layers=1,
            batch_first=True,
            bias=True,
            bidirectional=True,
        )

    def inference(self, x: torch.Tensor, x_len: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Unpacked pass (every sequence at full length), as the reference's inference does."""
        b, t = x.shape
        h = self.emb(x).transpose(1, 2)
        for conv in self.convolutions:
            h = conv(h)
        h, _ = self.lstm(h.transpose(1, 2))
        return h.reshape(b, t * self.state_per_phone, self.in_out_channels), x_len * self.state_per_phone


class ParameterModel(nn.Module):
    """MLP (ReLU after each hidden layer) -> ``output_size`` values: (..., C_in) -> (..., C_out)."""

    def __init__(self, outputnet_size: list[int], input_size: int, output_size: int) -> None:
        super().__init__()
        sizes = list(outputnet_size)
        self.layers = nn.ModuleList(Linear(i, o) for i, o in zip([input_size, *sizes[:-1]], sizes))
        self.last_layer = nn.Linear(sizes[-1], output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = F.relu(layer(x))
        return self.last_layer(x)


class Outputnet(nn.Module):
    """From the AR memory (B, H) and state vectors (B, N, E): emission mean and std (B, N, C)
    (std = softplus, floored at ``std_floor``) and the transition logit (B, N)."""

    def __init__(
        self,
        encoder_dim: int,
        memory_rnn_dim: int,
        frame_channels: int,
        outputnet_size: list[int],
        std_floor: float = 1e-2,
    ) -> None:
        super().__init__()
        self.frame_channels = frame_channels
        self.std_floor = std_floor
        self.parametermodel = ParameterModel(outputnet_size, memory_rnn_dim + encoder_dim, 2 * frame_channels + 1)

    def forward(self, memory: torch.Tensor, states: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        b, n = states.shape[0], states.shape[1]
        params = self.parametermodel(torch.cat((memory.unsqueeze(1).expand(b, n, memory.shape[1]), states), dim=2))
        c = self.frame_channels
        mean = params[:, :, :c]
        std = torch.clamp(F.softplus(params[:, :, c : 2 * c]), min=self.std_floor)
        return mean, std, params[:, :, 2 * c :].squeeze(2)
