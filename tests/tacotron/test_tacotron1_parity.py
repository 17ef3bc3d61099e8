"""Tacotron (v1) against upstream coqui-tts 0.28 (references from tools/oracle/make_tacotron1_refs.py).

The full architecture with deterministic weights, loaded from a checkpoint in the
released layout through ``Tacotron.load_checkpoint``; the decoder runs free (stop token
or ``max_decoder_steps``) and every output must match within 1e-4, with the same number
of decoder steps. The end-to-end case goes through ``TTS.api.TTS`` and Griffin-Lim.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.parity.weights import deterministic_array
from tests.tacotron.fixtures import build_tacotron_folder, decode_input
from TTS.config import load_config
from TTS.tts.models.tacotron import Tacotron

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "tacotron1"
ATOL = 1e-4
OUTPUTS = ("model_outputs", "decoder_outputs", "alignments", "stop_tokens")
STOP_WEIGHT = "decoder.stopnet.linear.weight"


def load_case(name: str) -> tuple[dict, dict[str, np.ndarray]]:
    meta = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return meta, dict(np.load(DATA / f"{name}.npz"))


def _load(meta: dict, folder: Path) -> Tacotron:
    checkpoint, config_path = build_tacotron_folder(meta, folder)
    config = load_config(config_path)
    model = Tacotron.init_from_config(config)
    assert set(model.state_dict()) == set(meta["manifest"]), "state-dict keys differ from the released layout"
    model.load_checkpoint(config, checkpoint_path=str(checkpoint), eval=True)
    return model


def _run(model: Tacotron, ids: list[int], aux: dict | None = None, seed: int | None = None) -> dict[str, np.ndarray]:
    if seed is not None:
        torch.manual_seed(seed)
    aux = {k: decode_input(v, "tacotron1") for k, v in (aux or {}).items()}
    out = model.inference(torch.tensor([ids], dtype=torch.long), aux_input=aux)
    return {k: out[k][0].numpy() for k in OUTPUTS}


def _compare(got: dict[str, np.ndarray], refs: dict[str, np.ndarray], prefix: str) -> float:
    worst = 0.0
    for key in OUTPUTS:
        want = refs[f"{prefix}_{key}"]
        assert got[key].shape == want.shape, (prefix, key, got[key].shape, want.shape)
        np.testing.assert_allclose(got[key], want, atol=ATOL, rtol=0, err_msg=f"{prefix} {key}")
        worst = max(worst, float(np.abs(got[key] - want).max()))
    return worst


def test_stop_token_and_decoder_bound(tmp_path, caplog):
    meta, refs = load_case("tacotron1_ddc")
    model = _load(meta, tmp_path)
    # the checkpoint's r (2) wins over the config's (3); the projection keeps 3 frames
    assert model.decoder.r == 2 and model.decoder.r_init == 3
    assert model.tokenizer.text_to_ids(meta["text"]) == meta["ids"]
    stopped = _run(model, meta["ids"])
    stops = stopped["stop_tokens"][:, 0]
    assert len(stops) == meta["stop_step"] + 1
    assert stops[-1] > 0.6 and (stops[:-1] <= 0.6).all()
    _compare(stopped, refs, "stopped")

    # Same model with the stop net silenced: decoding runs into max_decoder_steps and warns.
    with torch.no_grad():
        for key, value in meta["bounded_overrides"].items():
            model.get_parameter(key).copy_(torch.tensor(value))
        shape = meta["manifest"][STOP_WEIGHT]
        model.get_parameter(STOP_WEIGHT).copy_(torch.from_numpy(deterministic_array(STOP_WEIGHT, shape, meta["salt"])))
    model.decoder.max_decoder_steps = meta["bounded_max_decoder_steps"]
    with caplog.at_level(logging.WARNING):
        bounded = _run(model, meta["ids"])
    assert bounded["stop_tokens"].shape[0] == meta["bounded_steps"] == meta["bounded_max_decoder_steps"] + 1
    assert any("max_decoder_steps" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    _compare(bounded, refs, "bounded")


@pytest.mark.parametrize("case", ["tacotron1_fwd", "tacotron1_graves", "tacotron1_gst", "tacotron1_capacitron"])
def test_attention_memory_and_style_variants(case, tmp_path):
    meta, refs = load_case(case)
    model = _load(meta, tmp_path)
    for run, spec in meta["runs"].items():
        _compare(_run(model, meta["ids"], spec["aux"], spec["seed"]), refs, run)


def test_text_to_griffin_lim_wav_through_the_api(tmp_path):
    from TTS.api import TTS

    meta, _ = load_case("tacotron1_ddc")
    _, want = load_case("tacotron1_synthesizer")
    checkpoint, config_path = build_tacotron_folder(meta, tmp_path)
    tts = TTS(model_path=str(checkpoint), config_path=str(config_path), progress_bar=False)
    np.random.seed(0)  # Griffin-Lim draws its initial phases from NumPy's global generator, as upstream
    wav = np.asarray(tts.tts(meta["text"]), dtype=np.float32)
    assert wav.shape == want["wav"].shape
    # the wav peaks near 1e-3 (deterministic weights give quiet spectra); upstream is matched to ~1e-8
    np.testing.assert_allclose(wav, want["wav"], atol=1e-6, rtol=0)
