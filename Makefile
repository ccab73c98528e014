# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
export FLASK_APP := wsgi.py

.PHONY: run test lint translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUNTIME): requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(DEV): requirements-dev.txt $(RUNTIME)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

translations: $(RUNTIME)
	$(BIN)/pybabel compile -d app/translations

## run: install, migrate, load the demo city on first run, serve on http://127.0.0.1:5000
run: $(RUNTIME) translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## test: lint and format check (ruff), then the whole test suite (pytest)
test: $(DEV) translations lint
	$(BIN)/pytest

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## extract-messages: refresh the catalogue after changing UI text
extract-messages: $(RUNTIME)
	$(BIN)/pybabel extract -F babel.cfg -k _l -w 100 -o app/translations/messages.pot app
	$(BIN)/pybabel update -w 100 -i app/translations/messages.pot -d app/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
