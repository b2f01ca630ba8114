#!/bin/sh
# Brings the database up to date, loads the catalogues, then runs the command (etik serve).
set -eu

etik db upgrade
# `etik catalogue load` is idempotent; a changed version already loaded stops the start.
if etik catalogue --help >/dev/null 2>&1; then
  etik catalogue load
fi

exec "$@"
