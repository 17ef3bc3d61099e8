"""Inverse of the monotonic rational-quadratic spline used by the stochastic duration predictor.

The spline maps ``[-B, B]`` to itself with ``K`` bins (widths, heights and interior
knot derivatives come from a network); outside the interval it is the identity
(linear tails, boundary derivative 1). Written without boolean indexing so it
exports to ONNX as a static graph.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

__all__ = ["inverse_rq_spline"]

MIN_BIN_WIDTH = 1e-3
MIN_BIN_HEIGHT = 1e-3
MIN_DERIVATIVE = 1e-3


def _knots(unnormalized: torch.Tensor, bound: float, min_size: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Knot positions ``(..., K+1)`` spanning ``[-bound, bound]`` and bin sizes ``(..., K)``."""
    k = unnormalized.shape[-1]
    sizes = min_size + (1 - min_size * k) * F.softmax(unnormalized, dim=-1)
    cum = F.pad(torch.cumsum(sizes, dim=-1), (1, 0))
    cum = 2 * bound * cum - bound
    # Pin the ends exactly (cumsum rounding), then recompute sizes from the knots.
    cum = torch.cat([torch.full_like(cum[..., :1], -bound), cum[..., 1:-1], torch.full_like(cum[..., :1], bound)], -1)
    return cum, cum[..., 1:] - cum[..., :-1]


def inverse_rq_spline(
    y: torch.Tensor,
    widths_logits: torch.Tensor,
    heights_logits: torch.Tensor,
    derivs_logits: torch.Tensor,
    tail_bound: float,
) -> torch.Tensor:
    """Solve ``spline(x) = y`` for ``x``.

    ``y``: (...,); ``widths_logits``/``heights_logits``: (..., K);
    ``derivs_logits``: (..., K-1) (interior knots). Returns ``x`` with ``y``'s shape.
    """
    inside = (y >= -tail_bound) & (y <= tail_bound)
    yc = y.clamp(-tail_bound, tail_bound)
    # Boundary derivatives are fixed so that softplus gives exactly 1 - MIN_DERIVATIVE (+ MIN_DERIVATIVE).
    edge = math.log(math.expm1(1 - MIN_DERIVATIVE))
    derivs_logits = F.pad(derivs_logits, (1, 1), value=edge)
    derivs = MIN_DERIVATIVE + F.softplus(derivs_logits)

    cumw, widths = _knots(widths_logits, tail_bound, MIN_BIN_WIDTH)
    cumh, heights = _knots(heights_logits, tail_bound, MIN_BIN_HEIGHT)

    # Bin of y among the height knots: count interior knots at or below it.
    bin_idx = (yc[..., None] >= cumh[..., 1:-1]).sum(dim=-1, keepdim=True)

    def pick(t: torch.Tensor) -> torch.Tensor:
        return t.gather(-1, bin_idx)[..., 0]

    x0, w = pick(cumw), pick(widths)
    y0, h = pick(cumh), pick(heights)
    slope = h / w
    d0, d1 = pick(derivs), derivs[..., 1:].gather(-1, bin_idx)[..., 0]

    # theta in [0, 1] solves a quadratic a*theta^2 + b*theta + c = 0; the stable root is 2c / (-b - sqrt(disc)).
    dy = yc - y0
    curv = d0 + d1 - 2 * slope
    a = dy * curv + h * (slope - d0)
    b = h * d0 - dy * curv
    c = -slope * dy
    disc = (b * b - 4 * a * c).clamp_min(0)
    theta = (2 * c) / (-b - torch.sqrt(disc))
    x = theta * w + x0
    return torch.where(inside, x, y)
