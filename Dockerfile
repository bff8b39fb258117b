# The application image: web, stream, worker, processor, beat and migrate (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

# pg_dump must be the server's major version (compose: postgres:16): bookworm ships 15,
# which refuses to dump a 16 server, so the client comes from PostgreSQL's own repository.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
        https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && apt-get purge -y --auto-remove curl gnupg \
    && rm -rf /var/lib/apt/lists/*

# Runtime requirements only: tests, lint and the browser driver stay out of the image.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# Runs as an unprivileged user; the folders the volumes mount are its own.
RUN useradd --uid 1000 --create-home --shell /usr/sbin/nologin damanat
COPY --chown=damanat:damanat . .
RUN mkdir -p var/media var/static var/logs var/backups certs \
    && DJANGO_DEBUG=true python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R damanat:damanat var certs
USER damanat

EXPOSE 8080 8081
CMD ["gunicorn", "-c", "python:damanat.gunicorn", "damanat.wsgi:application"]
