# The reference app as a container image, for learners who have Docker.
# (The course's own tests run the same app without Docker: see tests/test_nginx.py.)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml README.md LICENSE ./
COPY reference_app ./reference_app
RUN pip install --no-cache-dir . \
 && useradd --create-home --uid 10001 stagecraft \
 && mkdir /data && chown stagecraft /data

# Never run the app as root inside the container either.
USER stagecraft
ENV STAGECRAFT_DATABASE=/data/stagecraft.db \
    STAGECRAFT_INSTANCE_PATH=/data \
    STAGECRAFT_TRUST_PROXY=true
VOLUME /data
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"

# Inside a container the app must listen on all of the container's interfaces,
# or nginx in the next container cannot reach it. compose.yaml publishes only
# nginx, and only on the host's loopback.
CMD ["reference-app", "serve", "--prod", "--host", "0.0.0.0", "--port", "8000"]
