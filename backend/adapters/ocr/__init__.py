"""Reading photos of identity documents: upload checks (images) and the offline OCR engine (RapidOCR, PP-OCR ONNX)."""
