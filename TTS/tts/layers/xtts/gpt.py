"""The XTTS GPT: conditioning latents + text tokens -> audio codes and their latents.

Sequence layout (one row per batch item)::

    [cond latents (no position)] [START_T text... STOP_T (+text positions)] [START_A c0 c1 ... (+audio positions)]

The transformer is our :class:`~TTS.tts.layers.xtts.transformer.GPT2Stack`;
its output passes ``final_norm`` and then ``mel_head`` (code logits). The
"GPT latents" that drive the HiFi-GAN decoder are the ``final_norm`` outputs
at the audio positions ``START_A, c0, ..., c_{n-2}`` for ``n`` returned codes.

State-dict keys follow the released checkpoints (``gpt.h.N...``,
``text_embedding``, ``mel_embedding``, ``text_pos_embedding.emb``,
``mel_pos_embedding.emb``, ``final_norm``, ``text_head``, ``mel_head``,
``conditioning_encoder``, ``conditioning_perceiver`` (v2) or
``prompt_embedding``/``prompt_pos_embedding`` (v1)).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.xtts.conditioning import ConditioningEncoder
from TTS.tts.layers.xtts.perceiver_encoder import PerceiverResampler
from TTS.tts.layers.xtts.transformer import GPT2Stack, KVCache

__all__ = ["LearnedPositionEmbeddings", "GPT"]


class LearnedPositionEmbeddings(nn.Module):
    """Absolute learned positions: ``emb`` (seq_len, D). ``forward(x)`` gives positions ``0 .. x.shape[1] - 1``."""

    def __init__(self, seq_len: int, model_dim: int) -> None:
        super().__init__()
        self.emb = nn.Embedding(seq_len, model_dim)
        self.seq_len = seq_len

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, T, ...) -> (T, D)."""
        return self.emb.weight[: x.shape[1]]

    def get_fixed_embedding(self, ind: int, dev: torch.device | None = None) -> torch.Tensor:
        """The embedding of position ``ind`` as (1, 1, D)."""
        return self.emb.weight[ind].view(1, 1, -1)


class GPT(nn.Module):
    """XTTS autoregressive model (constructor arguments as upstream's).

    ``speculative_draft``: the int8 draft of :mod:`TTS.tts.layers.xtts.speculative` when
    speculative decoding is on. It is not a submodule (no state-dict keys, not pickled) and is
    dropped when the weights are loaded again or the model leaves fp32 on the CPU.
    """

    speculative_draft: Any = None

    def __init__(
        self,
        start_text_token: int = 261,
        stop_text_token: int = 0,
        layers: int = 8,
        model_dim: int = 512,
        heads: int = 8,
        max_text_tokens: int = 120,
        max_mel_tokens: int = 250,
        max_prompt_tokens: int = 70,
        max_conditioning_inputs: int = 1,
        code_stride_len: int = 1024,
        number_text_tokens: int = 256,
        num_audio_tokens: int = 8194,
        start_audio_token: int = 8192,
        stop_audio_token: int = 8193,
        train_solo_embeddings: bool = False,
        checkpointing: bool = False,
        average_conditioning_embeddings: bool = False,
        label_smoothing: float = 0.0,
        use_perceiver_resampler: bool = False,
        perceiver_cond_length_compression: int = 256,
    ) -> None:
        super().__init__()
        self.number_text_tokens = number_text_tokens
        self.start_text_token = start_text_token
        self.stop_text_token = stop_text_token
        self.num_audio_tokens = num_audio_tokens
        self.start_audio_token = start_audio_token
        self.stop_audio_token = stop_audio_token
        self.layers = layers
        self.heads = heads
        self.model_dim = model_dim
        self.max_conditioning_inputs = max_conditioning_inputs
        #: most codes one generation may return (the stop code included)
        self.max_gen_mel_tokens = max_mel_tokens - max_conditioning_inputs - 2
        self.max_mel_tokens = -1 if max_mel_tokens == -1 else max_mel_tokens + 2 + max_conditioning_inputs
        self.max_text_tokens = -1 if max_text_tokens == -1 else max_text_tokens + 2
        self.max_prompt_tokens = max_prompt_tokens
        self.code_stride_len = code_stride_len
        self.use_perceiver_resampler = use_perceiver_resampler
        self.perceiver_cond_length_compression = perceiver_cond_length_compression

        self.conditioning_encoder = ConditioningEncoder(80, model_dim, num_attn_heads=heads)
        self.text_embedding = nn.Embedding(number_text_tokens, model_dim)
        self.mel_embedding = nn.Embedding(num_audio_tokens, model_dim)
        self.gpt = GPT2Stack(layers, model_dim, heads)
        self.mel_pos_embedding = LearnedPositionEmbeddings(self.max_mel_tokens, model_dim)
        self.text_pos_embedding = LearnedPositionEmbeddings(self.max_text_tokens, model_dim)
        if train_solo_embeddings:
            self.mel_solo_embedding = nn.Parameter(torch.zeros(1, 1, model_dim))
            self.text_solo_embedding = nn.Parameter(torch.zeros(1, 1, model_dim))
        self.final_norm = nn.LayerNorm(model_dim)
        self.text_head = nn.Linear(model_dim, number_text_tokens)
        self.mel_head = nn.Linear(model_dim, num_audio_tokens)

        if use_perceiver_resampler:  # v2: 32 latents
            self.conditioning_perceiver = PerceiverResampler(
                dim=model_dim, depth=2, dim_context=model_dim, num_latents=32, dim_head=64, heads=8, ff_mult=4
            )
        else:  # v1: the whole encoded reference is the prompt
            self.prompt_embedding = nn.Embedding(num_audio_tokens, model_dim)
            self.prompt_pos_embedding = LearnedPositionEmbeddings(24 * 9, model_dim)

    # ----------------------------------------------------------------- the speculative draft
    def _apply(self, fn: Any, recurse: bool = True) -> GPT:
        moved = super()._apply(fn, recurse)
        weight = self.final_norm.weight
        if weight.device.type != "cpu" or weight.dtype != torch.float32:
            self.speculative_draft = None  # a CPU fp32 mode: free the draft's weights
        return moved

    def _load_from_state_dict(self, *args: Any, **kwargs: Any) -> None:
        self.speculative_draft = None  # made from the old weights
        super()._load_from_state_dict(*args, **kwargs)

    def __getstate__(self) -> dict:
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        state.pop("speculative_draft", None)
        return state

    # ----------------------------------------------------------------- conditioning
    def get_style_emb(self, cond_input: torch.Tensor, return_latent: bool = False) -> torch.Tensor:
        """Reference mel (B, 80, S) or (B, 1, 80, S) -> conditioning (B, D, 32) with the perceiver, else (B, D, S)."""
        if return_latent:
            return cond_input.unsqueeze(1)
        if cond_input.ndim == 4:
            cond_input = cond_input.squeeze(1)
        conds = self.conditioning_encoder(cond_input)
        if self.use_perceiver_resampler:
            conds = self.conditioning_perceiver(conds.transpose(1, 2)).transpose(1, 2)
        return conds

    # ----------------------------------------------------------------- embeddings
    def text_embeddings(self, text_tokens: torch.Tensor) -> torch.Tensor:
        """Text ids (B, T) -> embeddings (B, T + 2, D) of ``[START_T, ids..., STOP_T]`` with positions."""
        padded = F.pad(F.pad(text_tokens, (0, 1), value=self.stop_text_token), (1, 0), value=self.start_text_token)
        return self.text_embedding(padded) + self.text_pos_embedding(padded)

    def prefix_embeddings(self, cond_latents: torch.Tensor, text_tokens: torch.Tensor) -> torch.Tensor:
        """Conditioning (B, N, D) and text ids (B, T) -> the fixed prefix (B, N + T + 2, D)."""
        text = self.text_embeddings(text_tokens)
        if cond_latents.shape[0] != text.shape[0]:
            cond_latents = cond_latents.expand(text.shape[0], -1, -1)
        return torch.cat([cond_latents.to(text.dtype), text], dim=1)

    def audio_embeddings(self, codes: torch.Tensor, start_position: int = 0) -> torch.Tensor:
        """Audio codes (B, T) at positions ``start_position ..`` -> (B, T, D)."""
        positions = self.mel_pos_embedding.emb.weight[start_position : start_position + codes.shape[1]]
        return self.mel_embedding(codes) + positions

    # ----------------------------------------------------------------- running the stack
    def new_cache(self, batch: int, max_len: int, dtype: torch.dtype | None = None) -> KVCache:
        """An empty key/value cache on this model's device."""
        weight = self.final_norm.weight
        return self.gpt.new_cache(batch, max_len, dtype or weight.dtype, weight.device)

    def step(self, embeds: torch.Tensor, cache: KVCache | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Run embeddings (B, T, D) through the stack; return (latents (B, T, D), code logits of the last position (B, V))."""
        latents = self.final_norm(self.gpt(embeds, cache))
        logits = self.mel_head(latents[:, -1])
        return latents, logits

    @torch.inference_mode()
    def latents_from_codes(
        self, cond_latents: torch.Tensor, text_tokens: torch.Tensor, codes: torch.Tensor
    ) -> torch.Tensor:
        """Recompute GPT latents for given codes (B, n) in one pass -> (B, n, D) (see the module docstring)."""
        start = torch.full_like(codes[:, :1], self.start_audio_token)
        audio = self.audio_embeddings(torch.cat([start, codes[:, :-1]], dim=1))
        prefix = self.prefix_embeddings(cond_latents, text_tokens)
        hidden = self.final_norm(self.gpt(torch.cat([prefix, audio], dim=1)))
        return hidden[:, prefix.shape[1] :]
