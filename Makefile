# etik – set-up, run, test. `make run` and `make test` are the whole Quickstart.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := app/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test bench lint format lock messages clean

setup: $(VENV)/.installed $(VENDOR)/.installed app/locale/en/LC_MESSAGES/messages.mo

$(VENV)/.installed: pyproject.toml requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "etik needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Front-end packages come from the npm registry (package-lock.json), plotly.js from the
# plotly Python package; nothing is fetched at run time.
$(VENDOR)/.installed: package.json package-lock.json $(VENV)/.installed
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	$(BIN)/python -c 'import pathlib, plotly, shutil; shutil.copy(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js", "$(VENDOR)/plotly.min.js")'
	touch $@

app/locale/en/LC_MESSAGES/messages.mo: app/locale/en/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -d app/locale -D messages

run: setup
	$(BIN)/etik db upgrade
	$(BIN)/etik catalogue load
	$(BIN)/etik demo --if-empty
	$(BIN)/etik serve --host $(HOST) --port $(PORT)

# The suite runs on one pytest-xdist worker per core; PYTEST_WORKERS=0 runs it in one
# process. PYTEST_ARGS goes last, so `make test PYTEST_ARGS="-k login -n 0"` works too.
PYTEST_WORKERS ?= auto

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# SCALES=50000 measures a hundred times LOS's size (opt-in: seeding takes minutes);
# ETIK_BENCH_DATABASE_URL=postgresql+psycopg://… runs the same pages on PostgreSQL.
SCALES ?= 500,5000

bench: setup
	$(BIN)/python -m bench --scales $(SCALES)

lint: setup
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format app tests

# Re-resolve the locked dependencies after changing pyproject.toml.
lock: $(VENV)/.installed
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev -o requirements-dev.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		-o requirements.lock pyproject.toml

# Extract texts from code and templates and merge them into the English catalogue.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k N_ -k NP_:1,2 -o app/locale/messages.pot app
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale -D messages -l en --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
