FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client gettext \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN mkdir -p var/media var/static var/logs \
    && DJANGO_DEBUG=true python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8080 8081
CMD ["gunicorn", "-c", "python:damanat.gunicorn", "damanat.wsgi:application"]
