"""A GPT-2 style decoder-only transformer with a preallocated key/value cache.

Our own small implementation (no ``transformers`` model classes), laid out so
that the released XTTS state-dict keys load unchanged: ``h.N.ln_1``,
``h.N.attn.c_attn`` / ``c_proj``, ``h.N.ln_2``, ``h.N.mlp.c_fc`` / ``c_proj``,
``ln_f``. The projections keep GPT-2's "Conv1D" layout, i.e. ``weight`` is
``(in_features, out_features)`` and ``y = x @ weight + bias``.

There are no built-in token or position embeddings: XTTS adds its own
embeddings before calling :meth:`GPT2Stack.forward`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core import packed_linear
from TTS.core.memory import release_free_heap

__all__ = ["Conv1DLinear", "KVCache", "continuation_mask", "GPT2Attention", "GPT2MLP", "GPT2Block", "GPT2Stack"]


class Conv1DLinear(nn.Module):
    """Affine map with GPT-2's weight layout: ``weight`` (in, out), ``bias`` (out,). ``(..., in) -> (..., out)``.

    On CPU at inference the weight is packed once for oneDNN (:mod:`TTS.core.packed_linear`)
    at the first call, and the plain copy is released so memory does not grow. The module
    unpacks itself for anything that needs the plain tensor: ``state_dict``, loading,
    ``.to()``/``.float()``, copying and pickling, and :meth:`dense_weight`.
    """

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        nn.init.normal_(self.weight, std=0.02)
        self._packed: torch.Tensor | None = None

    #: set when a layer packed its weight, until the block around it has released the plain copy
    packed_since_trim = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(-1, self.in_features)
        if self._packed is not None or packed_linear.applies(x, self.weight):
            if self._packed is None:
                self._pack()
            out = packed_linear.packed_linear(flat, self._packed, self.bias)
        else:
            out = torch.addmm(self.bias, flat, self.weight)
        return out.view(*x.shape[:-1], self.out_features)

    def dense_weight(self) -> torch.Tensor:
        """The (in, out) weight as a plain tensor, packed or not."""
        if self._packed is None:
            return self.weight
        return packed_linear.unpack(self._packed).t()

    def _pack(self) -> None:
        with torch.inference_mode(False), torch.no_grad():
            self._packed = packed_linear.pack(self.weight.t())
            self.weight.data = self.weight.data.new_empty(0)  # the packed copy is the only one now
        Conv1DLinear.packed_since_trim = True  # the block hands the plain copies back (GPT2Block.forward)

    def _unpack(self) -> None:
        if self._packed is not None:
            with torch.inference_mode(False), torch.no_grad():
                self.weight.data = self.dense_weight().contiguous()
            self._packed = None

    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        super()._save_to_state_dict(destination, prefix, keep_vars)
        if self._packed is not None:
            destination[prefix + "weight"] = self.dense_weight().contiguous()

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args: object, **kwargs: object) -> None:
        self._unpack()  # repacked at the next CPU inference call
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def _apply(self, fn, recurse=True):  # noqa: ANN001, ANN202 - nn.Module's signature
        self._unpack()
        return super()._apply(fn, recurse)

    def __getstate__(self) -> dict:
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        if self._packed is not None:  # opaque tensors cannot be copied or pickled: store the plain weight
            params = dict(state["_parameters"])
            params["weight"] = nn.Parameter(self.dense_weight().contiguous(), requires_grad=self.weight.requires_grad)
            state["_parameters"] = params
            state["_packed"] = None
        return state


class KVCache:
    """Keys and values of every layer, preallocated to ``max_len`` positions.

    ``keys[i]`` / ``values[i]``: (B, H, max_len, head_dim); positions ``0 ..
    length - 1`` are filled. Appending writes in place, so a decoding step costs
    no copy of the past.
    """

    def __init__(
        self,
        num_layers: int,
        batch: int,
        heads: int,
        head_dim: int,
        max_len: int,
        dtype: torch.dtype,
        device: torch.device,
    ) -> None:
        shape = (batch, heads, max_len, head_dim)
        self.keys = [torch.empty(shape, dtype=dtype, device=device) for _ in range(num_layers)]
        self.values = [torch.empty(shape, dtype=dtype, device=device) for _ in range(num_layers)]
        self.max_len = max_len
        self.length = 0

    def prefix(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Copies of the filled keys and values of every layer, (B, H, length, hd) each."""
        n = self.length
        return [k[:, :, :n].clone() for k in self.keys], [v[:, :, :n].clone() for v in self.values]

    def load_prefix(self, keys: list[torch.Tensor], values: list[torch.Tensor]) -> None:
        """Fill the first positions from :meth:`prefix` output (broadcast over the batch)."""
        n = keys[0].shape[2]
        for dst_k, dst_v, k, v in zip(self.keys, self.values, keys, values):
            dst_k[:, :, :n] = k
            dst_v[:, :, :n] = v
        self.length = n

    def append(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Store ``k``/``v`` (B, H, T, hd) after the filled positions; return all keys/values so far."""
        start, end = self.length, self.length + k.shape[2]
        if end > self.max_len:
            raise RuntimeError(f"KV cache full: {end} positions needed, {self.max_len} allocated")
        self.keys[layer][:, :, start:end] = k
        self.values[layer][:, :, start:end] = v
        return self.keys[layer][:, :, :end], self.values[layer][:, :, :end]


def continuation_mask(new: int, past: int, device: torch.device) -> torch.Tensor:
    """(new, past + new) bool: queries at positions ``past .. past + new - 1`` see keys up to their own."""
    return torch.ones(new, past + new, dtype=torch.bool, device=device).tril(past)


class GPT2Attention(nn.Module):
    """Causal multi-head self-attention, optionally reading and extending a :class:`KVCache`."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(f"model dim {dim} is not divisible by {heads} heads")
        self.heads = heads
        self.head_dim = dim // heads
        self.c_attn = Conv1DLinear(dim, 3 * dim)
        self.c_proj = Conv1DLinear(dim, dim)

    def forward(
        self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """``x``: (B, T, D) -> (B, T, D). With a cache, ``x`` continues the cached sequence.

        ``mask`` (T, past + T) bool, optional: :func:`continuation_mask`, built once per stack call.
        """
        b, t, d = x.shape
        q, k, v = self.c_attn(x).view(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        past = 0
        if cache is not None:
            past = cache.length
            k, v = cache.append(layer, k, v)
        if t == 1:
            out = F.scaled_dot_product_attention(q, k, v)  # one new query sees every position
        elif past == 0:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            if mask is None:
                mask = continuation_mask(t, past, x.device)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.c_proj(out.transpose(1, 2).reshape(b, t, d))


class GPT2MLP(nn.Module):
    """Position-wise feed-forward: ``c_proj(gelu_tanh(c_fc(x)))``, hidden size ``4 * dim``."""

    def __init__(self, dim: int, hidden: int | None = None) -> None:
        super().__init__()
        hidden = hidden or 4 * dim
        self.c_fc = Conv1DLinear(dim, hidden)
        self.c_proj = Conv1DLinear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class GPT2Block(nn.Module):
    """Pre-norm transformer block: ``x + attn(ln_1(x))`` then ``x + mlp(ln_2(x))``."""

    def __init__(self, dim: int, heads: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, eps=eps)
        self.attn = GPT2Attention(dim, heads)
        self.ln_2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = GPT2MLP(dim)

    def forward(
        self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), cache, layer, mask)
        x = x + self.mlp(self.ln_2(x))
        if Conv1DLinear.packed_since_trim:  # first CPU pass: give the block's plain weights back to the OS
            Conv1DLinear.packed_since_trim = False  # (per block: packing a whole GPT would pile up ~0.5 GB)
            release_free_heap()
        return x


class GPT2Stack(nn.Module):
    """``layers`` blocks and a final LayerNorm ``ln_f``: embeddings (B, T, D) -> hidden states (B, T, D)."""

    def __init__(self, layers: int, dim: int, heads: int) -> None:
        super().__init__()
        self.dim = dim
        self.heads = heads
        self.h = nn.ModuleList(GPT2Block(dim, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim, eps=1e-5)

    def new_cache(self, batch: int, max_len: int, dtype: torch.dtype, device: torch.device) -> KVCache:
        """An empty cache for ``batch`` sequences of up to ``max_len`` positions."""
        return KVCache(len(self.h), batch, self.heads, self.dim // self.heads, max_len, dtype, device)

    def forward(self, embeds: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
        """``embeds``: (B, T, D). With ``cache``, continues the cached positions and extends the cache."""
        x = embeds
        t, past = embeds.shape[1], cache.length if cache is not None else 0
        mask = continuation_mask(t, past, embeds.device) if t > 1 and past > 0 else None
        for i, block in enumerate(self.h):
            x = block(x, cache, i, mask)
        if cache is not None:
            cache.length += embeds.shape[1]
        return self.ln_f(x)
