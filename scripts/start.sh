#!/usr/bin/env bash
# Local server: applies D1 migrations to the local database, then serves on 127.0.0.1:8787.
# Local mode has no authentication unless MLFLARE_AUTH=on (then MLFLARE_ADMIN_TOKEN is the admin's token).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
npx wrangler d1 migrations apply DB --local
port="${PORT:-8787}"
vars=(--var MLFLARE_ENV:local)
if [ "${MLFLARE_AUTH:-}" = "on" ]; then
  if [ -z "${MLFLARE_ADMIN_TOKEN:-}" ]; then
    echo "mlflare: MLFLARE_AUTH=on needs MLFLARE_ADMIN_TOKEN=<token> (the admin's API token)." >&2
    exit 1
  fi
  vars+=(--var MLFLARE_AUTH:on --var "MLFLARE_ADMIN_TOKEN:${MLFLARE_ADMIN_TOKEN}")
  echo "mlflare: local mode WITH authentication; the admin's token is \$MLFLARE_ADMIN_TOKEN."
else
  echo "mlflare: LOCAL MODE, AUTHENTICATION OFF: anyone reaching 127.0.0.1:${port} can do anything."
  echo "mlflare: for authentication run MLFLARE_AUTH=on MLFLARE_ADMIN_TOKEN=<token> npm start."
fi
exec npx wrangler dev --ip 127.0.0.1 --port "$port" "${vars[@]}" "$@"
