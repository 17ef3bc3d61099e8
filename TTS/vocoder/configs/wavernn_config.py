"""WaveRNN vocoder config (``"model": "wavernn"``) and its network sizes (``WavernnArgs``).

``mode`` picks the output distribution: ``"mold"`` (mixture of 10 discretised
logistics), ``"gauss"`` (one Gaussian) or a number of bits (an int, e.g. 9, for a
``2**bits``-way softmax over mu-law levels when ``mulaw``). ``batched``,
``target_samples`` and ``overlap_samples`` describe folded (batched) generation.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.config.shared_configs import ModelArgs
from TTS.vocoder.configs.shared_configs import BaseVocoderConfig

__all__ = ["WavernnArgs", "WavernnConfig"]


@dataclass
class WavernnArgs(ModelArgs):
    """WaveRNN sizes: two GRUs of ``rnn_dims``, two dense layers of ``fc_dims``; a mel ResNet of
    ``num_res_blocks`` x ``compute_dims`` giving ``res_out_dims`` auxiliary features (``use_aux_net``);
    ``upsample_factors`` (product = hop length) for the conv upsampler (``use_upsample_net``) or linear
    interpolation; ``pad`` mel frames of context each side; ``feat_dims`` mel channels."""

    rnn_dims: int = 512
    fc_dims: int = 512
    compute_dims: int = 128
    res_out_dims: int = 128
    num_res_blocks: int = 10
    use_aux_net: bool = True
    use_upsample_net: bool = True
    upsample_factors: list[int] = field(default_factory=lambda: [4, 8, 8])
    mode: str = "mold"
    mulaw: bool = True
    pad: int = 2
    feat_dims: int = 80


@dataclass
class WavernnConfig(BaseVocoderConfig):
    """WaveRNN: ``model_args`` holds the network sizes; the rest is generation and training settings."""

    model: str = "wavernn"
    model_args: WavernnArgs = field(default_factory=WavernnArgs)
    target_loss: str = "loss"
    batched: bool = True
    target_samples: int = 11000
    overlap_samples: int = 550
    epochs: int = 10000
    batch_size: int = 256
    seq_len: int = 1280
    use_noise_augment: bool = False
    use_cache: bool = True
    mixed_precision: bool = True
    eval_split_size: int = 50
    num_epochs_before_test: int = 10
    grad_clip: float = 4.0
    lr: float = 1e-4
    lr_scheduler: str = "MultiStepLR"
    lr_scheduler_params: dict = field(default_factory=lambda: {"gamma": 0.5, "milestones": [200000, 400000, 600000]})
