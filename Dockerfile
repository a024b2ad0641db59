# One image for the web (gunicorn), worker and beat services of docker-compose.yml.
# Dependencies come from requirements.lock with their hashes (the same lock `make install` uses).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint (rapport PDFs) loads Pango and HarfBuzz at run time; DejaVu covers Cyrillic, Kyrgyz letters included.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv "$VIRTUAL_ENV"
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-deps --require-hashes -r /tmp/requirements.lock && rm /tmp/requirements.lock

RUN useradd --system --create-home --home-dir /home/app --uid 10001 app
WORKDIR /app
COPY --chown=app:app . .

# Translations are compiled into the image (pure Python, no gettext); the directories the services write to
# exist and belong to the app user, so the named media volume starts with the right owner.
RUN DEMO_MODE=1 python manage.py compilemessages_py \
    && mkdir -p /app/var/media /app/var/static /app/var/beat \
    && chown -R app:app /app/var

USER app
ENV MEDIA_ROOT=/app/var/media \
    DJANGO_DEBUG=0
EXPOSE 8000

# docker-compose.yml sets the command of each service; this default serves the web application.
CMD ["gunicorn", "trafficking_cms.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)s"]
