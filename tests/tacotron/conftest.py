"""Tacotron tests run torch single-threaded: the batch-1 decoder is a long chain of tiny ops, and on a
shared 2-core machine intra-op threads mostly wait for each other (10x slower under load)."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def _single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
