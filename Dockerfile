# Kaiban backend: slim Python, non-root, migrations then the server. PostgreSQL through DATABASE_URL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8080 \
    VAR_DIR=/var/lib/kaiban \
    MOCK_MODE=false \
    RENDER_PROCESSES=2

# libGL and glib for OpenCV, which rapidocr-onnxruntime (document OCR) imports. Not pinned (DL3008): the base image's
# Debian release fixes their versions, and a pin would refuse that release's security updates.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend ./backend
COPY migrations ./migrations
RUN pip install . \
    && groupadd --system --gid 10001 kaiban \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/kaiban --create-home kaiban

# numeric, so that a runtime refusing root (runAsNonRoot) can tell without reading /etc/passwd
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s \
    CMD ["python", "-c", "import urllib.request,os; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8080'))"]
# DATABASE_URL=postgres://user:password@host:5432/kaiban must be set; secrets through DATA_KEY, LEDGER_SIGNING_SEED, ...
CMD ["sh", "-c", "python -m backend migrate && exec python -m backend serve"]
