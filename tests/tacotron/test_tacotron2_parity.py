"""Tacotron2 against upstream coqui-tts 0.28 (references from tools/oracle/make_spectrogram_refs.py).

The full released architecture with deterministic weights, loaded from a checkpoint in
the released layout through ``Tacotron2.load_checkpoint``; the autoregressive decoder runs
free (stop token or ``max_decoder_steps``) and every output must match within 1e-4.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest
import torch

from tests.parity.weights import deterministic_array
from tests.tacotron.fixtures import build_tacotron_folder, decode_input, load_case
from TTS.config import load_config
from TTS.tts.models.tacotron2 import Tacotron2

ATOL = 1e-4
OUTPUTS = ("model_outputs", "decoder_outputs", "alignments", "stop_tokens")


def _load(meta, tmp_path, **kwargs) -> Tacotron2:
    checkpoint, config_path = build_tacotron_folder(meta, tmp_path, **kwargs)
    config = load_config(config_path)
    model = Tacotron2.init_from_config(config)
    assert set(model.state_dict()) == set(meta["manifest"]), "state-dict keys differ from the released layout"
    model.load_checkpoint(config, checkpoint_path=str(checkpoint), eval=True)
    return model


def _run(model: Tacotron2, ids, aux=None, seed=None, salt="spectrogram") -> dict[str, np.ndarray]:
    if seed is not None:
        torch.manual_seed(seed)
    aux = {k: decode_input(v, salt) for k, v in (aux or {}).items()}
    out = model.inference(torch.tensor([ids], dtype=torch.long), aux_input=aux)
    return {k: out[k][0].numpy() for k in OUTPUTS}


def _compare(got: dict[str, np.ndarray], refs: dict[str, np.ndarray], prefix: str) -> None:
    for key in OUTPUTS:
        want = refs[f"{prefix}_{key}"]
        assert got[key].shape == want.shape, (key, got[key].shape, want.shape)
        np.testing.assert_allclose(got[key], want, atol=ATOL, rtol=0, err_msg=f"{prefix} {key}")


def test_ddc_stop_token_and_decoder_bound(tmp_path, caplog):
    meta, refs = load_case("tacotron2_ddc")
    model = _load(meta, tmp_path / "stopped")
    # the checkpoint's r (2) wins over the config's (6); the projection keeps 6 frames
    assert model.decoder.r == 2 and model.decoder.r_init == 6
    assert model.tokenizer.text_to_ids(meta["text"]) == meta["ids"]
    stopped = _run(model, meta["ids"])
    assert stopped["stop_tokens"].shape[0] == meta["stop_step"] + 1
    assert stopped["stop_tokens"][-1, 0] > 0.5 and (stopped["stop_tokens"][1:-1] <= 0.5).all()
    _compare(stopped, refs, "stopped")

    # Same model with the stop net silenced: decoding runs into max_decoder_steps and warns.
    with torch.no_grad():
        for key, value in meta["bounded_overrides"].items():
            model.get_parameter(key).copy_(torch.tensor(value))
        model.decoder.stopnet[1].linear_layer.weight.copy_(
            torch.from_numpy(deterministic_array("decoder.stopnet.1.linear_layer.weight", [1, 1504], meta["salt"]))
        )
    model.decoder.max_decoder_steps = meta["bounded_max_decoder_steps"]
    with caplog.at_level(logging.WARNING):
        bounded = _run(model, meta["ids"])
    assert bounded["stop_tokens"].shape[0] == meta["bounded_max_decoder_steps"]
    assert any("max_decoder_steps" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    _compare(bounded, refs, "bounded")


@pytest.mark.parametrize("case", ["tacotron2_fwd", "tacotron2_dca", "tacotron2_gst", "capacitron"])
def test_attention_and_style_variants(case, tmp_path):
    meta, refs = load_case(case)
    model = _load(meta, tmp_path)
    for run, spec in meta["runs"].items():
        _compare(_run(model, meta["ids"], spec["aux"], spec["seed"], meta["salt"]), refs, run)


def test_checkpoint_r_from_stored_config(tmp_path):
    meta, _ = load_case("tacotron2_fwd")
    assert meta["checkpoint"] == {"config": {"r": 2}}
    config = dict(meta["config"], r=2)
    model = _load(dict(meta, config=config), tmp_path)
    assert model.decoder.r == 2
