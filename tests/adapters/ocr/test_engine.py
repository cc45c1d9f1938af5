"""The OCR engine runs from the models inside its wheel, with no network, and reads a rendered card."""
from __future__ import annotations

import socket

import pytest

from backend.adapters.ocr.engine import OcrEngine, model_files
from backend.adapters.ocr.images import decode
from tests.synthetic_documents import samples


def test_the_package_ships_its_models() -> None:
    names = {path.name for path in model_files()}
    assert any("det" in n for n in names) and any("rec" in n for n in names) and any("cls" in n for n in names)
    assert all(path.stat().st_size > 100_000 for path in model_files())


def test_reads_a_card_without_any_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the OCR engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    sample = samples("hk_id", seed=3, degraded=False)[0]
    lines = OcrEngine().read(decode(sample.image, part="image"))
    texts = " ".join(line.text for line in lines)
    assert sample.truth["number"].replace("(", "").replace(")", "") in texts.replace("(", "").replace(")", "")
    assert all(0.0 <= line.confidence <= 1.0 for line in lines)


def test_missing_models_are_a_clear_503_not_a_crash(monkeypatch) -> None:
    from backend.adapters.ocr import engine as engine_module
    from backend.errors import KaibanError

    def gone() -> list:
        raise FileNotFoundError("no models")

    monkeypatch.setattr(engine_module, "model_files", gone)
    sample = samples("hk_id", seed=3, degraded=False)[0]
    with pytest.raises(KaibanError) as caught:
        OcrEngine().read(decode(sample.image, part="image"))
    assert caught.value.status == 503 and caught.value.code == "ocr_unavailable"
