# Production image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN pip install --no-cache-dir "uv==0.13.8" \
    && useradd --system --create-home --home-dir /srv/councilcase councilcase

WORKDIR /srv/councilcase/app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .

# collectstatic needs settings but no database or broker.
RUN DJANGO_SECRET_KEY=collectstatic DATABASE_URL=postgres://build/none REDIS_URL=redis://build \
    DJANGO_STATIC_ROOT=/srv/councilcase/static python manage.py collectstatic --noinput -v0

# Complaint evidence lives on a volume mounted here (docker-compose.yml), owned by the app user.
RUN mkdir -p /var/lib/councilcase/private && chown councilcase /var/lib/councilcase/private

USER councilcase
ENV DJANGO_STATIC_ROOT=/srv/councilcase/static
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
