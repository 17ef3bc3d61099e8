"""``tts-server`` (TTS.server.server) through Flask's test client, on the tiny VITS model folders.

The endpoints answer what the Python API gives (the wav body equals ``tts`` written as 16-bit PCM),
bad requests get 400 with a message, and the streamed wav equals the whole text's audio.
"""

from __future__ import annotations

import io
import json
import threading

import numpy as np
import pytest
import soundfile as sf

from TTS.api import TTS
from TTS.core.audio.io import streaming_wav_header
from TTS.core.audio.io import wav_to_bytes as wav_bytes
from TTS.server.server import build_parser, create_app
from TTS.utils.synthesizer import PAD_SILENCE_SAMPLES

pytest.importorskip("flask")


def _api(folder) -> TTS:
    api = TTS(model_path=str(folder / "model.pth"), config_path=str(folder / "config.json"))
    api.synthesizer.tts_model.inference_noise_scale = 0.0  # deterministic audio to compare
    api.synthesizer.tts_model.inference_noise_scale_dp = 0.0
    return api


@pytest.fixture(scope="module")
def multi(vits_multi):
    api = _api(vits_multi)
    return api, create_app(api, build_parser().parse_args(["--speaker_idx", "p226", "--show_details"])).test_client()


@pytest.fixture(scope="module")
def cloning(vits_yourtts):
    api = _api(vits_yourtts)
    return api, create_app(api, build_parser().parse_args(["--model_path", "x"])).test_client(), vits_yourtts


def _read(body: bytes) -> tuple[np.ndarray, int]:
    wav, rate = sf.read(io.BytesIO(body), dtype="float32")
    return wav, rate


def test_index_lists_speakers_and_details(multi):
    api, client = multi
    page = client.get("/").get_data(as_text=True)
    assert all(f'value="{s}"' in page for s in api.speakers)
    assert 'value="p226" selected' in page and 'href="details"' in page
    details = client.get("/details").get_data(as_text=True)
    assert "Model config" in details and "&#34;model&#34;: &#34;vits&#34;" in details


def test_api_tts_equals_the_python_api(multi):
    api, client = multi
    expected = wav_bytes(api.tts("Hello there. Good day.", speaker="p225"), api.synthesizer.output_sample_rate)
    for reply in (
        client.get("/api/tts", query_string={"text": "Hello there. Good day.", "speaker_id": "p225"}),
        client.post("/api/tts", data={"text": "Hello there. Good day.", "speaker_id": "p225"}),
        client.post("/api/tts", headers={"text": "Hello there. Good day.", "speaker-id": "p225"}),
    ):
        assert reply.status_code == 200 and reply.mimetype == "audio/wav"
        assert reply.get_data() == expected
    default = client.get("/api/tts", query_string={"text": "Hi."}).get_data()  # --speaker_idx p226
    assert default == wav_bytes(api.tts("Hi.", speaker="p226"), api.synthesizer.output_sample_rate)


def test_bad_requests_get_400_with_the_reason(multi):
    _, client = multi
    reply = client.get("/api/tts", query_string={"text": "  "})
    assert reply.status_code == 400 and reply.get_json() == {"error": "Text parameter is required"}
    reply = client.get("/api/tts", query_string={"text": "Hi.", "speaker_id": "nobody"})
    assert reply.status_code == 400 and "Valid speakers: p225, p226, p227" in reply.get_json()["error"]
    reply = client.get("/api/tts", query_string={"text": "Hi.", "style_wav": "{not json"})
    assert reply.status_code == 400 and "style_wav" in reply.get_json()["error"]
    reply = client.get("/api/tts", query_string={"text": "Hi.", "speaker_id": "nobody", "stream": "1"})
    assert reply.status_code == 400  # checked before streaming starts
    assert client.get("/api/tts", query_string={"text": "Hi."}).status_code == 200  # the lock was released


def test_streamed_wav_is_the_whole_texts_audio(multi):
    api, client = multi
    text = "Hello there. How are you today? Fine, thanks."
    expected = np.asarray(api.tts(text, speaker="p227"), dtype=np.float32)
    reply = client.get("/api/tts", query_string={"text": text, "speaker_id": "p227", "stream": "true"})
    assert reply.status_code == 200 and reply.is_streamed
    chunks = list(reply.response)
    assert chunks[0] == streaming_wav_header(api.synthesizer.output_sample_rate)
    assert len(chunks) == 1 + 3  # the header, then one piece per sentence
    pcm = np.frombuffer(b"".join(chunks[1:]), dtype="<i2").astype(np.float32) / 32767
    assert pcm.shape == expected.shape
    assert float(np.abs(pcm - np.clip(expected, -1, 1)).max()) < 1.5 / 32767
    assert np.all(pcm[-PAD_SILENCE_SAMPLES:] == 0)


def test_stream_requests_never_keep_the_lock(multi):
    """HEAD, or a streamed response closed unread (client gone), must not block later requests."""
    _, client = multi
    query = {"text": "One. Two. Three.", "speaker_id": "p225", "stream": "1"}
    head = client.head("/api/tts", query_string=query)
    assert head.status_code == 200 and head.mimetype == "audio/wav"
    client.get("/api/tts", query_string=query).close()  # never read
    done: list[int] = []
    worker = threading.Thread(
        target=lambda: done.append(client.get("/api/tts", query_string={"text": "Hi."}).status_code)
    )
    worker.start()
    worker.join(timeout=60)
    assert done == [200], "a later request must get the lock"


def test_marytts_endpoints(multi):
    api, client = multi
    assert client.get("/locales").get_data(as_text=True) == "en\n"
    assert client.get("/voices").get_data(as_text=True) == "p225 en u\np226 en u\np227 en u\n"
    got = client.get("/process", query_string={"INPUT_TEXT": "Hi there.", "VOICE": "p225"}).get_data()
    assert got == wav_bytes(api.tts("Hi there.", speaker="p225"), api.synthesizer.output_sample_rate)
    posted = client.post("/process", data="INPUT_TEXT=Hi+there.&VOICE=p225",
                         content_type="application/x-www-form-urlencoded").get_data()  # fmt: skip
    assert posted == got
    assert client.get("/process").status_code == 400


def test_openai_speech_endpoint(multi):
    api, client = multi
    rate = api.synthesizer.output_sample_rate
    wav = api.tts("Hello.", speaker="p225")
    reply = client.post("/v1/audio/speech", json={"input": "Hello.", "voice": "p225", "response_format": "wav"})
    assert reply.mimetype == "audio/wav" and reply.get_data() == wav_bytes(wav, rate)
    reply = client.post("/v1/audio/speech", json={"input": "Hello.", "voice": "p225", "response_format": "pcm"})
    assert reply.mimetype == "audio/L16" and reply.get_data() == wav_bytes(wav, rate)[44:]
    reply = client.post("/v1/audio/speech", json={"input": "Hello.", "voice": "p225", "response_format": "flac"})
    decoded, got_rate = _read(reply.get_data())
    assert got_rate == rate and decoded.shape == (len(wav),)
    for fmt, expected_rate in (("ogg", rate), ("opus", 48000)):  # Opus has no 22050 Hz: resampled
        reply = client.post("/v1/audio/speech", json={"input": "Hello.", "voice": "p225", "response_format": fmt})
        assert reply.status_code == 200 and reply.mimetype == "audio/ogg"
        decoded, got_rate = _read(reply.get_data())
        assert got_rate == expected_rate and abs(len(decoded) - len(wav) * expected_rate / rate) < expected_rate * 0.1
    for body, message in (
        ({"input": "Hello.", "response_format": "mp3"}, "not supported"),
        ({"input": "Hello.", "voice": 123}, "'voice'"),
        ({"input": "Hello.", "voice": "p225", "speed": "fast"}, "'speed'"),
        ({"voice": "p225"}, "'input'"),
        ([1, 2], "JSON object"),
    ):
        reply = client.post("/v1/audio/speech", data=json.dumps(body), content_type="application/json")
        assert reply.status_code == 400 and message in reply.get_json()["error"]


def test_cloning_from_a_reference_on_the_server(cloning):
    api, client, folder = cloning
    ref = str(folder / "ref.wav")
    reply = client.get("/api/tts", query_string={"text": "Hello.", "speaker_wav": ref, "language_id": "en"})
    assert reply.status_code == 200
    assert reply.get_data() == wav_bytes(
        api.tts("Hello.", speaker_wav=ref, language="en"), api.synthesizer.output_sample_rate
    )
    assert "(clone the reference below)" in client.get("/").get_data(as_text=True)
    reply = client.post("/v1/audio/speech", json={"input": "Hello.", "voice": ref, "response_format": "wav"})
    assert reply.status_code == 200
    reply = client.get("/api/tts", query_string={"text": "Hello.", "speaker_wav": str(folder / "missing.wav")})
    assert reply.status_code == 400 and "missing.wav" in reply.get_json()["error"]


@pytest.mark.slow
def test_xtts_streams_within_a_sentence(tmp_path_factory):
    from tests.api.tiny_models import build_xtts_folder

    folder = build_xtts_folder(tmp_path_factory.mktemp("xtts_server"))
    api = TTS(model_path=str(folder), config_path=str(folder / "config.json"), progress_bar=False)
    api.synthesizer.tts_model.config.top_k = 1  # greedy: streamed and whole audio come from the same codes
    client = create_app(api, build_parser().parse_args(["--model_path", str(folder)])).test_client()
    query = {"text": "Hello there.", "speaker_id": "Ana Florence", "language_id": "en"}
    whole = np.asarray(api.tts("Hello there.", speaker="Ana Florence", language="en"), dtype=np.float32)
    reply = client.get("/api/tts", query_string={**query, "stream": "1", "stream_chunk_size": "4"})
    assert reply.status_code == 200
    chunks = list(reply.response)
    assert len(chunks) >= 4, "header, several chunks of one sentence, the pause"
    pcm = np.frombuffer(b"".join(chunks[1:]), dtype="<i2").astype(np.float32) / 32767
    assert pcm.shape == whole.shape
    speech = slice(None, len(whole) - PAD_SILENCE_SAMPLES)
    # the same codes: the audio differs only around the cross-faded joins
    assert np.corrcoef(pcm[speech], np.clip(whole[speech], -1, 1))[0, 1] > 0.9
    np.testing.assert_allclose(pcm[len(whole) - PAD_SILENCE_SAMPLES - 512 : len(whole) - PAD_SILENCE_SAMPLES],
                               np.clip(whole, -1, 1)[len(whole) - PAD_SILENCE_SAMPLES - 512 : -PAD_SILENCE_SAMPLES],
                               atol=2e-3)  # fmt: skip
    for bad in ("0", "x", "\u00b2"):
        reply = client.get("/api/tts", query_string={**query, "stream": "1", "stream_chunk_size": bad})
        assert reply.status_code == 400 and "stream_chunk_size" in reply.get_json()["error"]
    reply = client.get("/api/tts", query_string={**query, "stream": "1", "speaker_id": "Nobody"})
    assert reply.status_code == 400 and "Nobody" in reply.get_json()["error"]
    # cloning from a reference with a speaker name: XTTS would save the voice under that name (for every
    # later request of that speaker); the server clones without saving
    ref = tmp_path_factory.mktemp("xtts_ref") / "ref.wav"
    t = np.arange(3 * 22050) / 22050
    sf.write(ref, (0.3 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32), 22050)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    reply = client.get("/api/tts", query_string={**query, "speaker_wav": str(ref), "speaker_id": "Ana Florence"})
    assert reply.status_code == 200
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before, "a request must not save voices"
