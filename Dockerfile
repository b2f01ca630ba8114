# syntax=docker/dockerfile:1
# etik – the production image. Build: `docker build -t etik .`; run it with compose.yaml.
# The same set-up as the Makefile: locked Python dependencies, front-end files from the npm
# registry (package-lock.json), plotly.js from the plotly package, compiled translations.

# --- front-end packages -------------------------------------------------------------------
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
 && mkdir -p /vendor/swagger-ui \
 && cp node_modules/htmx.org/dist/htmx.min.js /vendor/htmx.min.js \
 && cp node_modules/swagger-ui-dist/swagger-ui-bundle.js \
       node_modules/swagger-ui-dist/swagger-ui.css /vendor/swagger-ui/

# --- the app ------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY app ./app
COPY migrations ./migrations
COPY catalogue ./catalogue
COPY --from=frontend /vendor ./app/static/vendor
# Editable, as `make setup` does: the app finds alembic.ini, migrations/ and catalogue/
# next to its package (app/config.py PROJECT_ROOT), and var/ for its own files.
RUN pip install --no-deps -e . \
 && python -c 'import pathlib, plotly, shutil; shutil.copy(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js", "app/static/vendor/plotly.min.js")' \
 && pybabel -q compile --use-fuzzy -d app/locale -D messages \
 && python -m compileall -q app migrations

COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin etik \
 && mkdir -p /app/var \
 && chown etik:etik /app/var
USER etik

ENV ETIK_ENV=production
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["etik", "serve", "--host", "0.0.0.0", "--port", "8000"]
