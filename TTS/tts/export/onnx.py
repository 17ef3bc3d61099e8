"""VITS to ONNX and ONNX inference (the ``onnx`` extra: ``onnx`` + ``onnxruntime``).

The graph has upstream's interface: inputs ``input`` (B, T) int64, ``input_lengths``
(B,) int64, ``scales`` (3,) float32 = [noise scale, length scale, duration noise
scale], optional ``sid`` (B,) and ``langid`` (B,); output ``output`` (B, 1, T_wav).
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from TTS.core.errors import InvalidInputError, MissingDependencyError

if TYPE_CHECKING:
    from TTS.tts.models.vits import Vits

__all__ = ["export_onnx", "load_onnx", "inference_onnx", "example_inputs"]

logger = logging.getLogger(__name__)


class OnnxVits(nn.Module):
    """Positional-argument wrapper around :meth:`Vits.inference` for tracing."""

    def __init__(self, model: Vits) -> None:
        super().__init__()
        self.model = model

    def forward(
        self,
        text: torch.Tensor,
        text_lengths: torch.Tensor,
        scales: torch.Tensor,
        sid: torch.Tensor | None = None,
        langid: torch.Tensor | None = None,
        d_vector: torch.Tensor | None = None,
    ) -> torch.Tensor:
        return self.outputs(text, onnx_aux(text_lengths, scales, sid, langid, d_vector))

    def outputs(self, text: torch.Tensor, aux: dict[str, Any]) -> Any:
        """The graph's outputs: the waveform (B, 1, T_wav)."""
        return self.model.inference.__wrapped__(self.model, text, aux)["model_outputs"]


def onnx_aux(
    text_lengths: torch.Tensor,
    scales: torch.Tensor,
    sid: torch.Tensor | None,
    langid: torch.Tensor | None,
    d_vector: torch.Tensor | None,
) -> dict[str, Any]:
    """The ``aux_input`` of :meth:`Vits.inference` for the graph inputs (``scales`` (3,) = noise, length, dp noise)."""
    return {
        "x_lengths": text_lengths,
        "speaker_ids": sid,
        "d_vectors": d_vector,
        "language_ids": langid,
        "inference_noise_scale": scales[0],
        "length_scale": scales[1],
        "inference_noise_scale_dp": scales[2],
    }


def example_inputs(model: Vits) -> tuple[tuple[torch.Tensor | None, ...], list[str]]:
    """Tracing inputs for :class:`OnnxVits`-style wrappers and their graph input names.

    ``input`` (1, 50), ``input_lengths``, ``scales`` and, where the model takes them, ``sid``,
    ``langid`` and ``d_vector`` (``None`` keeps a later input in position).
    """
    length = 50
    inputs: tuple[torch.Tensor | None, ...] = (
        torch.randint(0, 2, (1, length), dtype=torch.long),
        torch.tensor([length], dtype=torch.long),
        torch.tensor(
            [model.inference_noise_scale, model.length_scale, model.inference_noise_scale_dp], dtype=torch.float32
        ),
    )
    names = ["input", "input_lengths", "scales"]
    optional: list[tuple[str, torch.Tensor | None]] = [("sid", None), ("langid", None), ("d_vector", None)]
    if hasattr(model, "emb_g"):
        optional[0] = ("sid", torch.tensor([0], dtype=torch.long))
    if hasattr(model, "emb_l"):
        optional[1] = ("langid", torch.tensor([0], dtype=torch.long))
    if model.embedded_speaker_dim and not hasattr(model, "emb_g"):  # d-vector models (YourTTS): an extension
        optional[2] = ("d_vector", torch.ones(1, model.embedded_speaker_dim))
    while optional and optional[-1][1] is None:
        optional.pop()
    # None keeps later inputs in position; the traced graph drops unused inputs.
    inputs += tuple(value for _, value in optional)
    names += [name for name, value in optional if value is not None]
    return inputs, names


def require_onnx() -> None:
    try:
        import onnx  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError("ONNX export needs the onnx extra: pip install 'coqui-tts-ng[onnx]'.") from err


def cpu_copy(model: Vits) -> Vits:
    """A CPU copy of ``model`` in eval mode for tracing (without its ONNX session)."""
    onnx_sess, model.onnx_sess = model.onnx_sess, None
    try:
        return copy.deepcopy(model).cpu().eval()
    finally:
        model.onnx_sess = onnx_sess


def export_onnx(model: Vits, output_path: str = "coqui_vits.onnx", verbose: bool = False) -> None:
    """Trace a CPU copy of ``model`` to ``output_path`` (opset 18, dynamic batch and lengths)."""
    require_onnx()
    wrapper = OnnxVits(cpu_copy(model))
    inputs, names = example_inputs(model)
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            inputs,
            output_path,
            input_names=names,
            output_names=["output"],
            opset_version=18,
            dynamic_axes={
                "input": {0: "batch_size", 1: "phonemes"},
                "input_lengths": {0: "batch_size"},
                "output": {0: "batch_size", 1: "time1", 2: "time2"},
            },
            verbose=verbose,
            dynamo=False,
        )


def load_onnx(
    model_path: str, cuda: bool = False, runtime: str = "onnxruntime", reduced_precision: bool = False
) -> Any:
    """A session for an exported model: one file (:func:`export_onnx`) or a split folder
    (:func:`TTS.tts.export.onnx_split.export_onnx_split`), run by ``runtime`` ("onnxruntime", or
    "openvino" for a split folder). ``reduced_precision`` runs a split folder's decoder in bf16
    with OpenVINO where the CPU has it natively."""
    from pathlib import Path

    from TTS.tts.export.onnx_split import load_onnx_split

    if Path(model_path).is_dir():
        return load_onnx_split(model_path, runtime=runtime, reduced_precision=reduced_precision, cuda=cuda)
    if runtime != "onnxruntime" or reduced_precision:
        raise InvalidInputError(
            f"{model_path} is a single-file export, which runs with onnxruntime in fp32. For runtime='openvino' "
            "or reduced_precision=True, export a split folder: model.export_onnx(folder, split_decoder=True)."
        )
    return ort_session(model_path, cuda)


def ort_session(model_path: Any, cuda: bool = False) -> Any:
    """An onnxruntime session for one graph file (CPU, or CUDA when asked)."""
    try:
        import onnxruntime as ort
    except ImportError as err:
        raise MissingDependencyError("ONNX inference needs onnxruntime: pip install 'coqui-tts-ng[onnx]'.") from err
    providers: list[Any] = ["CPUExecutionProvider"]
    if cuda:
        providers = [("CUDAExecutionProvider", {"cudnn_conv_algo_search": "DEFAULT"}), "CPUExecutionProvider"]
    return ort.InferenceSession(str(model_path), sess_options=ort.SessionOptions(), providers=providers)


def inference_onnx(
    model: Vits,
    x: Any,
    x_lengths: Any = None,
    speaker_id: int | None = None,
    language_id: int | None = None,
    d_vector: Any = None,
) -> np.ndarray:
    """Audio (B, T_wav) float32 from token ids ``x`` (B, T) with the model's current scales.

    ``d_vector`` (D,) or (B, D) conditions d-vector models exported with a ``d_vector`` input.
    """
    if model.onnx_sess is None:
        raise InvalidInputError("No ONNX session: call load_onnx(path) first.")
    x = x.cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    x = x.astype(np.int64).reshape(-1, x.shape[-1])
    if x_lengths is None:
        x_lengths = np.full((x.shape[0],), x.shape[1], dtype=np.int64)
    x_lengths = x_lengths.cpu().numpy() if isinstance(x_lengths, torch.Tensor) else np.asarray(x_lengths)
    scales = np.array(
        [model.inference_noise_scale, model.length_scale, model.inference_noise_scale_dp], dtype=np.float32
    )
    feeds = {"input": x, "input_lengths": x_lengths.astype(np.int64), "scales": scales}
    expected = {i.name for i in model.onnx_sess.get_inputs()}
    if "sid" in expected:
        if speaker_id is None:
            raise InvalidInputError("This multi-speaker ONNX model needs a speaker_id.")
        feeds["sid"] = np.array([speaker_id] * x.shape[0], dtype=np.int64)
    if "langid" in expected:
        if language_id is None:
            raise InvalidInputError("This multilingual ONNX model needs a language_id.")
        feeds["langid"] = np.array([language_id] * x.shape[0], dtype=np.int64)
    if "d_vector" in expected:
        if d_vector is None:
            raise InvalidInputError("This d-vector ONNX model needs a d_vector (speaker embedding).")
        d_vector = np.asarray(d_vector.cpu() if isinstance(d_vector, torch.Tensor) else d_vector, dtype=np.float32)
        feeds["d_vector"] = np.broadcast_to(d_vector.reshape(-1, d_vector.shape[-1]), (x.shape[0], d_vector.shape[-1]))
    return model.onnx_sess.run(["output"], feeds)[0][:, 0]
