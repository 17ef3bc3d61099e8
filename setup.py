"""Packaging for coqui-tts-ng. Runtime requirements live in requirements.txt only."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def _requirements(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


setup(
    name="coqui-tts-ng",
    version=(HERE / "TTS" / "VERSION").read_text(encoding="utf-8").strip(),
    description="A maintained drop-in distribution of Coqui TTS: same imports, CLI and model files, on current Python and torch.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MPL-2.0",
    python_requires=">=3.10,<3.15",
    packages=find_packages(include=["TTS", "TTS.*"]),
    package_data={"TTS": ["VERSION", ".models.json", "py.typed", "**/*.json", "**/*.txt"]},
    include_package_data=True,
    install_requires=_requirements("requirements.txt"),
    extras_require={
        "dev": _requirements("requirements-dev.txt"),
        # Optional: only used where a user asks for torchaudio explicitly.
        "torchaudio": ["torchaudio"],
        "onnx": ["onnx>=1.16", "onnxruntime>=1.18"],
        # runs a split ONNX export (export_onnx(folder, split_decoder=True)) with a bf16 decoder on CPUs that have it
        "openvino": ["onnx>=1.16", "openvino>=2024.0"],
        "ja": ["cutlet>=0.4", "fugashi[unidic-lite]>=1.3"],
        "zh": ["pypinyin>=0.50", "spacy-pkuseg>=1.0.1"],
        "ko": ["ko-speech-tools[g2p]>=0.1", "anyascii>=0.3.2"],
        "bn": ["bangla>=0.0.2", "bnnumerizer>=0.0.2", "bnunicodenormalizer>=0.1.0"],
        "gruut": ["gruut[de,es,fr]>=2.4"],
        "server": ["flask>=3.0"],
        # As upstream's `languages` extra: every optional language package at once.
        "languages": [
            "anyascii>=0.3.2",
            "bangla>=0.0.2",
            "bnnumerizer>=0.0.2",
            "bnunicodenormalizer>=0.1.0",
            "cutlet>=0.4",
            "fugashi[unidic-lite]>=1.3",
            "gruut[de,es,fr]>=2.4",
            "ko-speech-tools[g2p]>=0.1",  # mecab-ko has cp314 wheels (upstream's <3.14 marker is stale)
            "pypinyin>=0.50",
            "spacy-pkuseg>=1.0.1",
            "uroman>=1.3.1.1",
        ],
    },
    entry_points={
        "console_scripts": [
            "tts=TTS.bin.synthesize:main",
            "tts-server=TTS.server.server:main",
        ]
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Programming Language :: Python :: 3.14",
        "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)",
        "Topic :: Multimedia :: Sound/Audio :: Speech",
    ],
)
