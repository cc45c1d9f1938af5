"""Fields of identity documents read from OCR text lines (pure): each with a confidence, checked by id_documents."""
