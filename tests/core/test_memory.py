"""Returning freed heap memory to the OS after weight conversions."""

from __future__ import annotations

import ctypes
import os
import sys

import pytest
import torch

from TTS.core import memory


def _rss_bytes() -> int:
    with open("/proc/self/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or memory._malloc_trim() is None
    or any(name in os.environ.get("LD_PRELOAD", "") for name in ("jemalloc", "tcmalloc", "mimalloc")),
    reason="glibc's malloc only",
)
def test_freed_heap_blocks_go_back_to_the_os():
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    size = 64 << 10  # below glibc's mmap threshold: served from the heap
    blocks = [libc.malloc(size) for _ in range(2048)]  # 128 MiB
    for block in blocks:
        ctypes.memset(block, 1, size)  # resident
    for block in blocks[:-1]:
        libc.free(block)  # the last block pins the heap top: free() alone returns nothing
    try:
        before = _rss_bytes()
        assert memory.release_free_heap()
        assert before - _rss_bytes() > 64 << 20  # most of the 128 MiB came back
    finally:
        libc.free(blocks[-1])


def test_a_no_op_elsewhere(monkeypatch):
    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(sys, "platform", "darwin")
    try:
        assert memory.release_free_heap() is False
    finally:
        memory._malloc_trim.cache_clear()


def test_packing_the_gpt_does_not_keep_the_plain_copies(monkeypatch):
    from TTS.tts.layers.xtts.transformer import GPT2Stack

    calls = []
    monkeypatch.setattr("TTS.tts.layers.xtts.transformer.release_free_heap", lambda: calls.append(1))
    stack = GPT2Stack(2, 64, 4).eval()
    with torch.inference_mode():
        stack(torch.randn(1, 3, 64))
        if not calls:
            pytest.skip("no oneDNN packing in this torch build")
        assert len(calls) == 2  # once per block, right after its projections packed
        stack(torch.randn(1, 3, 64))
    assert len(calls) == 2  # packed once only
