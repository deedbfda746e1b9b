# The platform's image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries (Pango, HarfBuzz), fonts covering Latvian, Italian and Spanish letters and
# the euro sign, and gettext to compile the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-noto-core gettext \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 ogp
WORKDIR /app

COPY pyproject.toml README.md ./
COPY ogp_platform ogp_platform
COPY action_plans action_plans
COPY commitments commitments
COPY participation participation
COPY use_cases use_cases
RUN pip install .

COPY . .
# Build-time only: these settings never serve a request (no database, Redis or mail is needed to
# collect static files and compile the translations).
RUN export DJANGO_SECRET_KEY=build-only DJANGO_SINGLE_PROCESS=1 \
      DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
 && DJANGO_STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v0 \
 && python manage.py compilemessages --ignore=.venv -v0 \
 && mkdir -p /app/media && chown ogp:ogp /app/media

USER ogp
EXPOSE 8000
CMD ["gunicorn", "ogp_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
