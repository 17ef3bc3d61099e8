"""WavLM feature extraction against upstream coqui-tts 0.28 (tools/oracle/make_wavlm_refs.py).

Features, per-layer results and the padded batch match upstream to atol 1e-5 (measured max abs
difference about 1e-6). Also: strict loading of the released key set, the
``TTS.vc.layers.freevc.wavlm`` import path, ``get_wavlm`` with a file already in place (never
modified) or downloaded, and clear refusals of corrupt or code-running checkpoints.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.parity.weights import deterministic_state_dict
from TTS.core.errors import CheckpointError, DownloadError
from TTS.vc.layers.wavlm import WavLM, WavLMConfig, load_wavlm, parse_conv_layers, wavlm_from_state_dict

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "wavlm"
MANIFEST = json.loads((DATA / "manifest.json").read_text())
CASES = sorted(MANIFEST["cases"])
MID = MANIFEST["mid_layer"]
ATOL = 1e-5


@pytest.fixture(scope="module")
def refs() -> dict[str, np.ndarray]:
    with np.load(DATA / "refs.npz") as data:
        return {k: data[k] for k in data.files}


def released_state(case: str) -> dict[str, torch.Tensor]:
    """The oracle's state dict: upstream's keys, positional conv as legacy weight_g/weight_v."""
    shapes = MANIFEST["cases"][case]["shapes"]
    return {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt=MANIFEST["salt"]).items()}


def released_checkpoint(path: Path, case: str = "large_like") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"cfg": MANIFEST["cases"][case]["cfg"], "model": released_state(case)}, path)
    return path


@pytest.fixture(scope="module")
def models() -> dict[str, WavLM]:
    return {case: wavlm_from_state_dict(MANIFEST["cases"][case]["cfg"], released_state(case)) for case in CASES}


def close(actual: torch.Tensor, expected: np.ndarray) -> None:
    assert tuple(actual.shape) == expected.shape
    np.testing.assert_allclose(actual.detach().numpy(), expected, atol=ATOL, rtol=0)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", ["short", "long"])
def test_features_match_upstream(models, refs, case, name):
    model = models[case]
    wav = torch.from_numpy(refs[f"wav_{name}"])[None]
    features, padding_mask = model.extract_features(wav)
    assert padding_mask is None
    close(features, refs[f"{case}_{name}_final"])
    # kNN-VC's call
    close(model.extract_features(wav, output_layer=MID, ret_layer_results=False)[0], refs[f"{case}_{name}_mid"])


@pytest.mark.parametrize("case", CASES)
def test_layer_results_and_conv_features_match_upstream(models, refs, case):
    wav = torch.from_numpy(refs["wav_short"])[None]
    (mid, layer_results), _ = models[case].extract_features(wav, output_layer=MID, ret_layer_results=True)
    close(mid, refs[f"{case}_short_mid"])
    assert len(layer_results) == MID + 1 and all(z is None for _, z in layer_results)
    close(torch.stack([h for h, _ in layer_results]), refs[f"{case}_short_layers"])  # each (T, B, C)
    (_, no_results), _ = models[case].extract_features(wav, ret_layer_results=True)
    assert no_results == []
    close(models[case].extract_features(wav, ret_conv=True)[0], refs[f"{case}_short_conv"])


@pytest.mark.parametrize("case", CASES)
def test_padded_batch_matches_upstream(models, refs, case):
    wavs = np.stack([np.pad(refs["wav_short"], (0, len(refs["wav_long"]) - len(refs["wav_short"]))), refs["wav_long"]])
    pad = torch.from_numpy(refs["batch_padding_mask"])
    features, frame_mask = models[case].extract_features(torch.from_numpy(wavs), padding_mask=pad)
    close(features, refs[f"{case}_batch_final"])
    assert torch.equal(frame_mask, torch.from_numpy(refs[f"{case}_batch_mask"]))


def test_released_key_set_loads_strictly_in_every_spelling():
    case = "large_like"
    cfg = WavLMConfig(MANIFEST["cases"][case]["cfg"])
    state = released_state(case)
    assert {"encoder.pos_conv.0.weight_g", "encoder.pos_conv.0.weight_v", "mask_emb"} <= set(state)
    expected = wavlm_from_state_dict(cfg, state).state_dict()
    ours = set(expected)
    legacy = {k for k in state if not k.endswith((".weight_g", ".weight_v"))}
    assert ours - legacy == {"encoder.pos_conv.0.weight"} and legacy <= ours
    # A plain load_state_dict (a model holding a WavLM) takes legacy and parametrized weight norm.
    parametrized = {
        k.replace(".weight_g", ".parametrizations.weight.original0").replace(
            ".weight_v", ".parametrizations.weight.original1"
        ): v
        for k, v in state.items()
    }
    for spelling in (state, parametrized):
        model = WavLM(cfg)
        model.load_state_dict(dict(spelling), strict=True)
        for key, value in model.state_dict().items():
            torch.testing.assert_close(value, expected[key], atol=0, rtol=0)
    broken = dict(state)
    del broken["encoder.layers.0.self_attn.relative_attention_bias.weight"]
    with pytest.raises(CheckpointError, match="relative_attention_bias"):
        wavlm_from_state_dict(cfg, broken)


def test_config_reads_released_dicts():
    cfg = WavLMConfig({"encoder_layers": 24, "label_rate": 50})
    assert cfg.encoder_layers == 24 and cfg.label_rate == 50  # unknown keys kept, as upstream
    assert cfg.conv_pos == 128 and cfg.max_distance == 1280 and cfg.extractor_mode == "default"
    assert (
        parse_conv_layers(WavLMConfig().conv_feature_layers) == [(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512, 2, 2)] * 2
    )
    with pytest.raises(ValueError, match="conv_feature_layers"):
        parse_conv_layers("__import__('os').system('true')")


def test_mask_true_is_refused(models, refs):
    with pytest.raises(NotImplementedError, match="mask=False"):
        models["plain"].extract_features(torch.from_numpy(refs["wav_short"])[None], mask=True)


def test_upstream_import_path():
    from TTS.vc.layers.freevc.wavlm import WavLM as FreeVCWavLM
    from TTS.vc.layers.freevc.wavlm import WavLMConfig as FreeVCWavLMConfig
    from TTS.vc.layers.freevc.wavlm import get_wavlm, model_uri
    from TTS.vc.layers.freevc.wavlm.wavlm import WavLM as ModuleWavLM

    assert FreeVCWavLM is WavLM is ModuleWavLM and FreeVCWavLMConfig is WavLMConfig and callable(get_wavlm)
    assert model_uri == "https://github.com/coqui-ai/TTS/releases/download/v0.13.0_models/WavLM-Large.pt"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TTS_HOME", str(tmp_path))
    return tmp_path / "tts" / "wavlm" / "WavLM-Large.pt"


def _no_download(*args, **kwargs):
    raise AssertionError("get_wavlm must not download when the file is there")


def test_get_wavlm_reads_a_placed_file_without_changing_it(data_home, refs, monkeypatch):
    import TTS.utils.download as download
    from TTS.vc.layers.freevc.wavlm import get_wavlm

    monkeypatch.setattr(download, "fetch_url", _no_download)
    path = released_checkpoint(data_home)
    before, mtime = path.read_bytes(), os.stat(path).st_mtime_ns
    model = get_wavlm()
    assert not model.training and next(model.parameters()).device.type == "cpu"
    close(model.extract_features(torch.from_numpy(refs["wav_short"])[None])[0], refs["large_like_short_final"])
    assert path.read_bytes() == before and os.stat(path).st_mtime_ns == mtime


def test_get_wavlm_downloads_once_to_the_upstream_place(data_home, tmp_path, monkeypatch):
    import TTS.utils.download as download
    from TTS.vc.layers.freevc.wavlm import WAVLM_URL, get_wavlm

    source = released_checkpoint(tmp_path / "server" / "WavLM-Large.pt")
    calls = []

    def fake_fetch(url, dest, **kwargs):
        calls.append((url, Path(dest)))
        Path(dest).write_bytes(source.read_bytes())
        return Path(dest)

    monkeypatch.setattr(download, "fetch_url", fake_fetch)
    assert isinstance(get_wavlm(), WavLM)
    assert calls == [(WAVLM_URL, data_home)]
    get_wavlm()
    assert len(calls) == 1

    def failing_fetch(url, dest, **kwargs):
        raise DownloadError(f"Could not download {url} (connection refused).")

    monkeypatch.setattr(download, "fetch_url", failing_fetch)
    data_home.unlink()
    with pytest.raises(DownloadError, match="save it as"):
        get_wavlm()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "not_wavlm"])
def test_corrupt_file_gives_a_clear_error(data_home, monkeypatch, damage):
    import TTS.utils.download as download
    from TTS.vc.layers.freevc.wavlm import get_wavlm

    monkeypatch.setattr(download, "fetch_url", _no_download)
    data_home.parent.mkdir(parents=True)
    if damage == "garbage":
        data_home.write_bytes(b"<html>rate limited</html>")
    elif damage == "truncated":
        full = released_checkpoint(data_home.with_name("full.pt")).read_bytes()
        data_home.write_bytes(full[: len(full) // 2])
    else:
        torch.save({"model": {"w": torch.ones(1)}}, data_home)
    before = data_home.read_bytes()
    with pytest.raises(CheckpointError) as info:
        get_wavlm()
    message = str(info.value)
    assert str(data_home) in message and "get_wavlm() downloads it again" in message
    assert data_home.read_bytes() == before


class _Exploit:
    """Pickles to a call of ``func(*args)``: what a malicious checkpoint does."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def test_code_running_pickle_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "WavLM-Large.pt"
    cfg = MANIFEST["cases"]["plain"]["cfg"]
    torch.save({"cfg": cfg, "model": {"w": torch.ones(1)}, "x": _Exploit(os.system, f"touch {marker}")}, path)
    with pytest.raises(CheckpointError, match="Nothing from the file was run"):
        load_wavlm(path)
    assert not marker.exists()
