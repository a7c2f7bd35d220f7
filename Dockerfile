# The app for a shared server: `docker compose up -d` (see compose.yaml), then http://HOST:8501.
# The workspace (datasets, trained runs) lives on a volume at $ECOM_ANALYTICS_HOME; the access
# password or single sign-on comes from a secrets file mounted at /app/.streamlit/secrets.toml.
FROM python:3.11-slim

# Chinese glyphs for the charts and the PDF report (matplotlib finds them through fontconfig).
# Not pinned: the base image's Debian release fixes them, and its security updates should come in.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig \
    && rm -rf /var/lib/apt/lists/* \
    && fc-cache -f

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=3 \
    ECOM_ANALYTICS_HOME=/data/workspace

WORKDIR /app
# the pinned dependencies first, so a code change does not reinstall them
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# the package itself too, for the `ecom-analytics` command (docker compose exec app ecom-analytics --help)
RUN pip install --no-deps . \
    && useradd --create-home --uid 1000 --shell /usr/sbin/nologin analyst \
    && mkdir -p "$ECOM_ANALYTICS_HOME" \
    && chown -R analyst:analyst "$ECOM_ANALYTICS_HOME"

# analyst (uid 1000): a numeric user, so Kubernetes or a host can check it is not root
USER 1000:1000
VOLUME ["/data/workspace"]
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
