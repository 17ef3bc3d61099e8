"""``TTS.api`` and the ``tts`` command on a CUDA GPU (marker ``cuda``).

The same model folders as the CPU API tests; with TF32 off and noise-free (or greedy) decoding,
the GPU's audio equals the CPU's within 1e-3.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from tests.api.tiny_models import build_xtts_folder
from tests.gpu.cuda import CUDA_MARKS, exact_fp32, max_abs_err
from TTS.api import TTS
from TTS.bin.synthesize import main

pytestmark = CUDA_MARKS


def _api(folder, **kwargs) -> TTS:
    return TTS(model_path=str(folder / "model.pth"), config_path=str(folder / "config.json"), **kwargs)


def _noise_free(api: TTS) -> TTS:
    model = api.synthesizer.tts_model
    model.inference_noise_scale = 0.0
    model.inference_noise_scale_dp = 0.0
    return api


def test_vits_api_on_cuda_matches_cpu(vits_multi, vits_yourtts):
    for folder, kwargs in ((vits_multi, {"speaker": "p226"}), (vits_yourtts, {"speaker_wav": None})):
        if "speaker_wav" in kwargs:
            kwargs = {"speaker_wav": str(folder / "ref.wav"), "language": "en"}
        cpu = _noise_free(_api(folder)).tts("Hello there, world.", **kwargs)
        api = _noise_free(_api(folder)).to("cuda")
        assert next(api.synthesizer.tts_model.parameters()).device.type == "cuda"
        with exact_fp32():
            gpu = api.tts("Hello there, world.", **kwargs)
        assert max_abs_err(gpu, cpu) < 1e-3, folder.name


def test_gpu_flag_moves_the_model_to_cuda(vits_single):
    with pytest.warns(DeprecationWarning, match="gpu"):
        api = _api(vits_single, gpu=True)
    assert next(api.synthesizer.tts_model.parameters()).device.type == "cuda"
    assert len(api.tts("Hi.")) > 0


@pytest.mark.slow
def test_xtts_api_on_cuda_matches_cpu(tmp_path_factory, tmp_path):
    folder = build_xtts_folder(tmp_path_factory.mktemp("xtts_cuda"))

    def speak(api: TTS, **kwargs):
        return np.asarray(api.tts("Hello there.", language="en", top_k=1, **kwargs), dtype=np.float32)

    cpu_api = TTS(model_path=str(folder), config_path=str(folder / "config.json"), progress_bar=False)
    gpu_api = TTS(model_path=str(folder), config_path=str(folder / "config.json"), progress_bar=False).to("cuda")
    reference = tmp_path / "ref.wav"
    t = np.arange(3 * 22050) / 22050
    sf.write(reference, (0.3 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32), 22050)
    with exact_fp32():
        for kwargs in ({"speaker": "Ana Florence"}, {"speaker_wav": str(reference)}):
            assert max_abs_err(speak(gpu_api, **kwargs), speak(cpu_api, **kwargs)) < 1e-3, kwargs


@pytest.mark.parametrize("flag", [["--device", "cuda"], ["--use_cuda"]])
def test_cli_on_cuda(vits_single, tmp_path, flag):
    out = tmp_path / "out.wav"
    args = ["--text", "Hello.", "--model_path", str(vits_single / "model.pth"),
            "--config_path", str(vits_single / "config.json"), "--out_path", str(out), *flag]  # fmt: skip
    try:
        main(args)
    except SystemExit as done:
        assert done.code in (0, None)
    wav, rate = sf.read(out)
    assert rate > 0 and len(wav) > 0 and np.isfinite(wav).all()
