# DigitalMarkt web, worker and beat image (one image, three commands; see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    DIGITALMARKT_VAR_DIR=/app/var

WORKDIR /app

# gettext compiles the translations; nothing else is needed at runtime (psycopg ships binaries).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY requirements.lock ./
RUN pip install -r requirements.lock

# Includes the reference data (geo/data/de), the default DIGITALMARKT_DATA_DIR.
COPY . .

# Collected, hashed static files are baked into the image (whitenoise serves them). The key and
# host here exist only for this build step; the running containers get theirs from the env.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    sh -c "python manage.py compilemessages --ignore=.venv >/dev/null \
        && python manage.py collectstatic --noinput >/dev/null"

RUN useradd --create-home --uid 1000 digitalmarkt \
    && mkdir -p /app/var/uploads /app/var/celery \
    && chown -R digitalmarkt:digitalmarkt /app/var
USER digitalmarkt

EXPOSE 8000
CMD ["gunicorn", "digitalmarkt.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
