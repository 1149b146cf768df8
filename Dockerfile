# Lantern for production: gunicorn (`lantern serve`) behind the partnership's TLS proxy, with
# PostgreSQL and `lantern work` beside it (compose.yaml). Untested: no base image could be
# pulled where this was written (README.md, "Running in containers").

# --- Front-end assets: GOV.UK Frontend and MoJ Frontend compiled with our settings ----------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets.mjs scripts/
COPY lantern/foundation/assets lantern/foundation/assets
RUN npm run --silent build

# --- The application -------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
# WeasyPrint (PDF minutes and plans) needs Pango and a font (scripts/ensure-system-deps pdf).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 LANTERN_VAR_DIR=/var/lib/lantern
COPY requirements/main.txt requirements/main.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/main.txt
COPY . .
COPY --from=assets /app/lantern/foundation/static/build lantern/foundation/static/build
# Editable, as `make setup` does, so STATIC_ROOT (/app/staticfiles) stays beside the code.
RUN pip install --no-cache-dir --no-deps -e . \
    && SECRET_KEY=collectstatic-only lantern collectstatic --no-input --verbosity 0 \
    && useradd --system --home-dir /var/lib/lantern lantern \
    && mkdir -p /var/lib/lantern && chown lantern /var/lib/lantern
USER lantern
EXPOSE 8000
CMD ["lantern", "serve", "--bind", "0.0.0.0:8000", "--no-collectstatic"]
