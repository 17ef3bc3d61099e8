"""OverFlow configuration (``"model": "Overflow"``).

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model. ``mel_statistics_parameter_path`` names the training
statistics file; inference reads the statistics stored in the checkpoint instead.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass

from TTS.tts.configs.neuralhmm_tts_config import NeuralhmmTTSConfig

__all__ = ["OverflowConfig"]


@dataclass
class OverflowConfig(NeuralhmmTTSConfig):
    """OverFlow settings: the Neural-HMM settings (:class:`NeuralhmmTTSConfig`) with OverFlow's own
    sampling defaults, plus the Glow-TTS-style flow decoder: ``hidden_channels_dec``,
    ``num_flow_blocks_dec``, ``num_block_layers``, ``kernel_size_dec``, ``dilation_rate``,
    ``num_splits``, ``num_squeeze``, ``sigmoid_scale``.
    """

    model: str = "Overflow"

    # HMM defaults that differ from Neural-HMM
    sampling_temp: float = 0.334
    duration_threshold: float = 0.55
    prenet_dropout_at_inference: bool = False
    std_floor: float = 0.01

    # flow decoder
    hidden_channels_dec: int = 150
    kernel_size_dec: int = 5
    dilation_rate: int = 1
    num_flow_blocks_dec: int = 12
    num_block_layers: int = 4
    dropout_p_dec: float = 0.05
    num_splits: int = 4
    num_squeeze: int = 2
    sigmoid_scale: bool = False
    c_in_channels: int = 0
