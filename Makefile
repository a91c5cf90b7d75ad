# MiitWiki: `make run` sets everything up and serves the site; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

export DJANGO_SETTINGS_MODULE := miitwiki.settings

.PHONY: run setup test lint format docs messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The interface in Simplified Chinese (docs/languages.md): the catalogue is committed,
# its compiled form is built here. msgfmt is Debian's gettext.
# Two catalogues: `django` (templates and Python) and `djangojs` (the editor's script).
CATALOGUES := locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/djangojs.mo
$(CATALOGUES): %.mo: %.po
	command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	msgfmt --check -o $@ $<

# After changing interface strings: new msgids join the catalogue with empty
# translations (tests/test_i18n.py lists them until they are translated).
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-wrap --add-location file \
		--ignore 'tests/*' --ignore 'bench/*' --ignore 'docs/*' --ignore 'node_modules/*' \
		--ignore '.venv/*' --ignore '.cache/*' --ignore 'staticfiles/*' --ignore 'media/*'
	DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs -l zh_Hans --no-obsolete --no-wrap \
		--add-location file --ignore 'node_modules/*' --ignore '.venv/*' --ignore 'staticfiles/*'

# Local SQLite site with the seed articles (Miit, and the Chinese Wikipedia article on
# MIIT, whose sources join the library miit.json loads) and an admin login.
setup: $(STAMP) $(CATALOGUES)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py loaddata miit
	DEBUG=1 $(BIN)/python manage.py loaddata miit_zh
	DEBUG=1 $(BIN)/python manage.py createinitialrevisions --comment "Initial version from fixtures"
	DEBUG=1 $(BIN)/python manage.py ensure_admin

run: setup
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# axe-core for the accessibility checks of the browser tests.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# CommonMark's spec examples, as packaged with the pinned markdown-it-py (its source
# distribution on PyPI), for tests/test_commonmark_spec.py; fetched, never committed.
MARKDOWN_IT := $(shell sed -n 's/^markdown-it-py==//p' requirements.txt)
COMMONMARK_SPEC := .cache/commonmark/commonmark-$(MARKDOWN_IT).json
$(COMMONMARK_SPEC): | $(STAMP)
	rm -rf $(@D)/sdist
	$(BIN)/pip download --quiet --no-binary :all: --no-deps markdown-it-py==$(MARKDOWN_IT) -d $(@D)/sdist
	tar -xzOf $(@D)/sdist/markdown_it_py-$(MARKDOWN_IT).tar.gz \
		markdown_it_py-$(MARKDOWN_IT)/tests/test_cmark_spec/commonmark.json > $@.tmp
	mv $@.tmp $@
	rm -rf $(@D)/sdist

# SQLite by default; set DATABASE_URL=postgres://… to run on PostgreSQL.
test: $(STAMP) $(CATALOGUES) node_modules/axe-core/axe.min.js $(COMMONMARK_SPEC)
	SECRET_KEY=test-only-not-secret STATIC_MANIFEST=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# docs/layers.svg, the layers picture of docs/architecture.md, drawn from the imports.
docs:
	$(PYTHON) docs/layers.py

# Benchmarks (docs/benchmarks.md): gunicorn on PostgreSQL and Redis, in a database
# of their own; wrk (Debian) drives the load, matplotlib draws the curves.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(BENCH_STAMP)
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-artifacts .cache
