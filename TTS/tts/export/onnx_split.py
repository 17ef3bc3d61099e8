"""VITS exported as two ONNX graphs, front end and waveform decoder, and the runtimes for them.

``frontend.onnx`` takes the inputs of the single-file export (``input``, ``input_lengths``,
``scales``, optional ``sid``/``langid``/``d_vector``) and gives the decoder's input ``z``
(B, C, T_frames) and, for models with speaker conditioning, ``g`` (B, C_g, 1).
``decoder.onnx`` (the HiFi-GAN generator) turns them into ``output`` (B, 1, T_wav).

The split lets each part run at its own precision: the decoder holds nearly all the work and
tolerates bf16, while durations and the flow stay fp32 (in bf16 they change the length).
OpenVINO runs the decoder in bf16 on CPUs that compute it natively (AVX-512 BF16 or AMX):
about twice as fast as fp32. onnxruntime has no bf16 convolutions on CPU, so with it both
parts run in fp32 (same audio as the single file).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from TTS.core.errors import InvalidInputError, MissingDependencyError
from TTS.tts.export.onnx import OnnxVits, cpu_copy, example_inputs, ort_session, require_onnx

if TYPE_CHECKING:
    from TTS.tts.models.vits import Vits

__all__ = ["FRONTEND_FILE", "DECODER_FILE", "export_onnx_split", "load_onnx_split", "SplitOnnxSession"]

logger = logging.getLogger(__name__)

FRONTEND_FILE = "frontend.onnx"
DECODER_FILE = "decoder.onnx"
RUNTIMES = ("onnxruntime", "openvino")


class _DecoderInput(nn.Module):
    """Stands in for the waveform decoder while tracing the front end: returns the decoder's input."""

    def forward(self, z: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return z


class _OnnxFrontend(OnnxVits):
    """:meth:`Vits.inference` up to the decoder: (z (B, C, T), g (B, C_g, 1)) for tracing."""

    def __init__(self, model: Vits) -> None:
        super().__init__(model)
        self.model.waveform_decoder = _DecoderInput()

    def outputs(self, text: torch.Tensor, aux: dict[str, Any]) -> tuple[torch.Tensor, ...]:
        z = self.model.inference.__wrapped__(self.model, text, aux)["model_outputs"]
        g = self.model._speaker_conditioning(aux)
        return (z,) if g is None else (z, g)


class _OnnxDecoder(nn.Module):
    def __init__(self, decoder: nn.Module) -> None:
        super().__init__()
        self.decoder = decoder

    def forward(self, z: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return self.decoder(z, g=g)


def export_onnx_split(model: Vits, output_dir: str | Path, verbose: bool = False) -> Path:
    """Write ``frontend.onnx`` and ``decoder.onnx`` into ``output_dir`` (created); returns the folder."""
    require_onnx()
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    front = _OnnxFrontend(cpu_copy(model))
    decoder = _OnnxDecoder(cpu_copy(model).waveform_decoder)
    inputs, names = example_inputs(model)
    with torch.no_grad():
        outputs = front(*inputs)
    out_names = ["z", "g"][: len(outputs)]
    with torch.no_grad():
        torch.onnx.export(
            front,
            inputs,
            str(folder / FRONTEND_FILE),
            input_names=names,
            output_names=out_names,
            opset_version=18,
            dynamic_axes={
                "input": {0: "batch_size", 1: "phonemes"},
                "input_lengths": {0: "batch_size"},
                "z": {0: "batch_size", 2: "frames"},
                "g": {0: "batch_size"},
            },  # fmt: skip
            verbose=verbose,
            dynamo=False,
        )
        torch.onnx.export(
            decoder,
            outputs,
            str(folder / DECODER_FILE),
            input_names=out_names,
            output_names=["output"],
            opset_version=18,
            dynamic_axes={
                "z": {0: "batch_size", 2: "frames"},
                "g": {0: "batch_size"},
                "output": {0: "batch_size", 2: "samples"},
            },  # fmt: skip
            verbose=verbose,
            dynamo=False,
        )
    return folder


class _Input:
    def __init__(self, name: str) -> None:
        self.name = name


class _OrtGraph:
    def __init__(self, path: Path, cuda: bool) -> None:
        self.session = ort_session(path, cuda)
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.precision = "f32"

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        return self.session.run(None, feeds)


class _OpenVinoGraph:
    def __init__(self, path: Path, precision: str) -> None:
        core = _openvino().Core()
        threads = torch.get_num_threads()
        config = {
            "INFERENCE_PRECISION_HINT": precision,
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_NUM_THREADS": threads,
        }
        self.compiled = core.compile_model(str(path), "CPU", config)
        self.request = self.compiled.create_infer_request()
        # a port can carry several tensor names; the graph's own input names have no "/"
        self.input_names = [min(port.get_names(), key=lambda n: ("/" in n, n)) for port in self.compiled.inputs]
        self.precision = precision

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        result = self.request.infer({port: feeds[name] for port, name in zip(self.compiled.inputs, self.input_names)})
        return [np.array(result[out]) for out in self.compiled.outputs]


def _openvino() -> Any:
    try:
        import openvino
    except ImportError as err:
        raise MissingDependencyError(
            "runtime='openvino' needs OpenVINO: pip install 'coqui-tts-ng[openvino]'."
        ) from err
    return openvino


def openvino_has_bf16() -> bool:
    """Whether OpenVINO computes bf16 natively on this machine's CPU."""
    return "BF16" in _openvino().Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


class SplitOnnxSession:
    """Runs a split export like an onnxruntime session: ``get_inputs()`` and ``run(["output"], feeds)``."""

    def __init__(self, frontend: Any, decoder: Any) -> None:
        self.frontend, self.decoder = frontend, decoder

    @property
    def decoder_precision(self) -> str:
        """``"f32"`` or ``"bf16"``: the precision the decoder runs at."""
        return self.decoder.precision

    def get_inputs(self) -> list[_Input]:
        return [_Input(name) for name in self.frontend.input_names]

    def run(self, output_names: Any, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        """``feeds`` as for the single-file graph; returns ``[output (B, 1, T_wav)]``."""
        values = self.frontend.run(feeds)
        return self.decoder.run(dict(zip(["z", "g"], values)))[:1]


def load_onnx_split(
    folder: str | Path, runtime: str = "onnxruntime", reduced_precision: bool = False, cuda: bool = False
) -> SplitOnnxSession:
    """Open a folder written by :func:`export_onnx_split` with ``runtime`` ("onnxruntime" or "openvino").

    ``reduced_precision`` runs the decoder in bf16 (OpenVINO on a CPU with native bf16; otherwise it
    stays fp32 and a message says why).
    """
    folder = Path(folder)
    missing = [name for name in (FRONTEND_FILE, DECODER_FILE) if not (folder / name).is_file()]
    if missing:
        raise InvalidInputError(
            f"{folder} is not a split ONNX export ({', '.join(missing)} missing): write one with "
            "model.export_onnx(folder, split_decoder=True)."
        )
    if runtime not in RUNTIMES:
        raise InvalidInputError(f"Unknown ONNX runtime {runtime!r}: use one of {', '.join(RUNTIMES)}.")
    if runtime == "onnxruntime":
        if reduced_precision:
            logger.warning(
                "onnxruntime has no bf16 convolutions on CPU: the decoder runs in fp32 (use runtime='openvino')."
            )
        return SplitOnnxSession(_OrtGraph(folder / FRONTEND_FILE, cuda), _OrtGraph(folder / DECODER_FILE, cuda))
    if cuda:
        raise InvalidInputError("runtime='openvino' runs on the CPU here: use runtime='onnxruntime' for CUDA.")
    precision = "f32"
    if reduced_precision:
        if openvino_has_bf16():
            precision = "bf16"
        else:
            logger.warning("This CPU has no native bf16: the decoder runs in fp32.")
    return SplitOnnxSession(
        _OpenVinoGraph(folder / FRONTEND_FILE, "f32"), _OpenVinoGraph(folder / DECODER_FILE, precision)
    )
