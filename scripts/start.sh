#!/usr/bin/env bash
# Local server: applies D1 migrations to the local database, bundles the Worker as
# `wrangler deploy` would, then serves it with Miniflare on 127.0.0.1:${PORT:-8787}.
# Local mode has no authentication unless MLFLARE_AUTH=on (then MLFLARE_ADMIN_TOKEN is the admin's token).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
port="${PORT:-8787}"
if [ "${MLFLARE_AUTH:-}" = "on" ]; then
  if [ -z "${MLFLARE_ADMIN_TOKEN:-}" ]; then
    echo "mlflare: MLFLARE_AUTH=on needs MLFLARE_ADMIN_TOKEN=<token> (the admin's API token)." >&2
    exit 1
  fi
  echo "mlflare: local mode WITH authentication; the admin's token is \$MLFLARE_ADMIN_TOKEN."
else
  echo "mlflare: LOCAL MODE, AUTHENTICATION OFF: anyone reaching 127.0.0.1:${port} can do anything."
  echo "mlflare: for authentication run MLFLARE_AUTH=on MLFLARE_ADMIN_TOKEN=<token> npm start."
fi
npx wrangler d1 migrations apply DB --local
npx wrangler deploy --dry-run --outdir .wrangler/bundle > /dev/null
PORT="$port" exec npx tsx scripts/serve.ts .wrangler/bundle/index.js
