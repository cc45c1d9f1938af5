"""The OCR engine: rapidocr_onnxruntime, whose wheel ships the PP-OCRv4 detection, classification and recognition
ONNX models (nothing is downloaded: `model_files` checks they are in the package before the engine starts)."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PIL import Image

from backend.domain.document_reading.lines import TextLine
from backend.errors import KaibanError


def model_files() -> list[Path]:
    """The ONNX model files inside the installed rapidocr_onnxruntime package (FileNotFoundError if absent)."""
    import rapidocr_onnxruntime

    folder = Path(rapidocr_onnxruntime.__file__).resolve().parent / "models"
    files = sorted(folder.glob("*.onnx"))
    if len(files) < 3:
        raise FileNotFoundError(f"rapidocr_onnxruntime ships no models in {folder}")
    return files


class OcrEngine:
    """Text lines with confidences from an image; one model per process, loaded on first use (about 2 s)."""

    def __init__(self) -> None:
        self._engine = None
        self._lock = threading.Lock()

    def _load(self):
        if self._engine is None:
            try:
                model_files()
                from rapidocr_onnxruntime import RapidOCR

                self._engine = RapidOCR()
            except (ImportError, OSError) as exc:  # a missing wheel, model or system library (OpenCV's libGL)
                raise KaibanError("ocr_unavailable", status=503, reason=type(exc).__name__) from exc
        return self._engine

    def read(self, image: Image.Image) -> list[TextLine]:
        """Every text line the model finds, with its box (x0, y0, x1, y1) and confidence (CPU-bound: use an executor)."""
        with self._lock:
            engine = self._load()
            result, _ = engine(np.asarray(image.convert("RGB")))
        lines = []
        for box, text, confidence in result or []:
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            lines.append(TextLine(text=str(text), confidence=float(confidence),
                                  box=(min(xs), min(ys), max(xs), max(ys))))
        return lines


    def recognise(self, image: Image.Image, box: tuple[float, float, float, float], *, scale: int = 1) -> TextLine | None:
        """Recognition alone on one region (a line the detector missed, or one to read again enlarged `scale`
        times), or None if nothing is read there."""
        x0, y0, x1, y1 = (round(v) for v in box)
        crop = image.convert("RGB").crop((max(0, x0), max(0, y0), min(image.width, x1), min(image.height, y1)))
        if crop.width < 8 or crop.height < 8:
            return None
        if scale > 1:
            crop = crop.resize((crop.width * scale, crop.height * scale), Image.LANCZOS)
        with self._lock:
            engine = self._load()
            result, _ = engine(np.asarray(crop), use_det=False, use_cls=False, use_rec=True)
        if not result or not result[0][0]:
            return None
        text, confidence = result[0][0], float(result[0][1])
        return TextLine(text=str(text), confidence=confidence, box=(float(x0), float(y0), float(x1), float(y1)))


_DEFAULT = OcrEngine()


def default_engine() -> OcrEngine:
    """The process-wide engine."""
    return _DEFAULT
