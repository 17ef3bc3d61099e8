"""``reduced_precision``: from ``TTS(...)``, ``Synthesizer(...)`` and ``tts --reduced_precision`` to the models.

Each family's mode must track its fp32 output (relative L2 of the waveform) within a
stated tolerance, the default must stay exactly fp32, and a model without a mode
logs one warning instead of failing. Tiny released-layout folders, nothing downloaded.
"""

from __future__ import annotations

import inspect
import logging

import numpy as np
import pytest
import torch

from tests.api.tiny_models import build_glow_tts_and_hifigan
from TTS.api import TTS
from TTS.core.int8 import Int8Linear, int8_supported
from TTS.core.precision import native_bf16
from TTS.utils.synthesizer import Synthesizer

BF16 = native_bf16("cpu")
#: Relative L2 of the waveform, reduced precision vs fp32, for the tiny test models (bf16 decoders
#: round every conv to 8 mantissa bits; int8 decoder LSTMs change Tacotron2's mel slightly).
WAV_TOLERANCE = 0.05


def _rel_l2(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    n = min(len(a), len(b))
    return float(np.linalg.norm(a[:n] - b[:n]) / np.linalg.norm(b[:n]))


def _tts(synth: Synthesizer, text: str = "Hello world.", **kwargs) -> np.ndarray:
    torch.manual_seed(0)
    return np.asarray(synth.tts(text, **kwargs), dtype=np.float32)


def test_signatures_keep_upstream_arguments():
    params = list(inspect.signature(TTS.__init__).parameters.values())[1:]
    assert [p.name for p in params[:7]] == [
        "model_name",
        "model_path",
        "config_path",
        "vocoder_path",
        "vocoder_config_path",
        "progress_bar",
        "gpu",
    ]
    for cls in (TTS, Synthesizer):
        param = inspect.signature(cls.__init__).parameters["reduced_precision"]
        assert param.default is False and param.kind is inspect.Parameter.KEYWORD_ONLY


def test_vits_mode_tracks_fp32_and_default_is_exact(vits_single):
    files = {"tts_checkpoint": vits_single / "model.pth", "tts_config_path": vits_single / "config.json"}
    default = Synthesizer(**files)
    again = Synthesizer(**files, reduced_precision=False)
    fast = Synthesizer(**files, reduced_precision=True)
    assert default.tts_model._decoder_bf16 is False and fast.tts_model._decoder_bf16 is True
    assert all(p.dtype == torch.float32 for p in default.tts_model.parameters())
    ref = _tts(default)
    np.testing.assert_array_equal(ref, _tts(again))  # the default is untouched fp32
    wav = _tts(fast)
    assert wav.shape == ref.shape
    if BF16:
        assert 0 < _rel_l2(wav, ref) < WAV_TOLERANCE
    else:  # no native bf16: the mode keeps fp32
        np.testing.assert_array_equal(wav, ref)


def test_api_keyword_reaches_the_model(vits_single):
    api = TTS(model_path=str(vits_single / "model.pth"), config_path=str(vits_single / "config.json"),
              progress_bar=False, reduced_precision=True)  # fmt: skip
    assert api.synthesizer.reduced_precision and api.synthesizer.tts_model._decoder_bf16
    assert (
        TTS(model_path=str(vits_single / "model.pth"), progress_bar=False).synthesizer.tts_model._decoder_bf16 is False
    )


def test_tacotron2_and_vocoder_modes(tmp_path):
    from tests.tacotron.fixtures import build_tacotron_folder, build_vocoder_folder, load_case
    from TTS.tts.layers.tacotron.quantized import Int8LSTMCell

    meta, _ = load_case("tacotron2_ddc")
    checkpoint, config = build_tacotron_folder(meta, tmp_path / "tts", stats=True)
    voc_checkpoint, voc_config = build_vocoder_folder(tmp_path / "voc")
    files = {"tts_checkpoint": checkpoint, "tts_config_path": config}
    files.update(vocoder_checkpoint=voc_checkpoint, vocoder_config=voc_config)
    default = Synthesizer(**files)
    fast = Synthesizer(**files, reduced_precision=True)
    model = fast.tts_model
    assert model.enable_reduced_precision == model.enable_int8_decoder  # one mode, the old name is an alias
    if int8_supported():
        assert isinstance(model.decoder.decoder_rnn, Int8LSTMCell)
        assert isinstance(model.decoder.attention_rnn.gates, Int8Linear)
    assert fast.vocoder_model._generator_bf16 is True
    assert type(default.tts_model.decoder.decoder_rnn) is torch.nn.LSTMCell
    assert default.vocoder_model._generator_bf16 is False
    ref, wav = _tts(default), _tts(fast)
    assert abs(len(wav) - len(ref)) <= 0.1 * len(ref)
    assert _rel_l2(wav, ref) < WAV_TOLERANCE


def test_tacotron_v1_has_no_mode():
    from TTS.tts.configs.tacotron_config import TacotronConfig
    from TTS.tts.models.tacotron import Tacotron

    assert not hasattr(Tacotron(TacotronConfig(text_cleaner="english_cleaners")), "enable_reduced_precision")


def test_warning_when_no_model_has_a_mode(tmp_path, caplog):
    tts_dir, voc_dir = build_glow_tts_and_hifigan(tmp_path)
    files = {"tts_checkpoint": tts_dir / "model.pth", "tts_config_path": tts_dir / "config.json"}
    with caplog.at_level(logging.WARNING, logger="TTS"):
        alone = Synthesizer(**files, reduced_precision=True)  # Griffin-Lim: nothing to switch
    warnings = [r for r in caplog.records if "reduced_precision has no effect" in r.getMessage()]
    assert len(warnings) == 1 and "GlowTTS" in warnings[0].getMessage()
    assert len(_tts(alone)) > 0  # still synthesises, in fp32
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="TTS"):
        paired = Synthesizer(
            **files,
            vocoder_checkpoint=voc_dir / "model.pth",
            vocoder_config=voc_dir / "config.json",
            reduced_precision=True,
        )
    assert not [r for r in caplog.records if "no effect" in r.getMessage()]
    assert paired.vocoder_model._generator_bf16 is True


def test_cli_flag_reaches_the_models(vits_single, tmp_path, monkeypatch):
    from TTS.bin.synthesize import main
    from TTS.tts.models.vits import Vits

    calls = []
    real = Vits.enable_reduced_precision
    monkeypatch.setattr(Vits, "enable_reduced_precision", lambda self: calls.append(self) or real(self))
    out = tmp_path / "x.wav"
    argv = ["--model_path", str(vits_single / "model.pth"), "--text", "Hi.", "--out_path", str(out)]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--reduced_precision", "--no-progress_bar"])
    assert exit_info.value.code in (0, None) and out.stat().st_size > 1000
    assert len(calls) == 1 and calls[0]._decoder_bf16
    with pytest.raises(SystemExit):
        main([*argv, "--no-progress_bar"])
    assert len(calls) == 1  # off by default
    logging.getLogger("TTS").handlers.clear()


@pytest.mark.slow
def test_xtts_through_the_api(tmp_path):
    from tests.api.tiny_models import build_xtts_folder

    folder = build_xtts_folder(tmp_path)
    api = TTS(model_path=str(folder), config_path=str(folder / "config.json"), progress_bar=False,
              reduced_precision=True)  # fmt: skip
    model = api.synthesizer.tts_model
    if int8_supported():
        assert isinstance(model.gpt.mel_head, Int8Linear)
    assert model._decoder_bf16 is True
    torch.manual_seed(0)
    latents = torch.randn(1, 12, model.args.gpt_n_model_channels)
    speaker = torch.randn(1, model.args.d_vector_dim, 1)
    with torch.inference_mode():
        wav = model._decode(latents, speaker)
        model._decoder_bf16 = False
        ref = model._decode(latents, speaker)
    assert wav.dtype == ref.dtype == torch.float32
    assert _rel_l2(wav.flatten(), ref.flatten()) < WAV_TOLERANCE
