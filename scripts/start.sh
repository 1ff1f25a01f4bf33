#!/usr/bin/env bash
# Local server: applies D1 migrations to the local database, then serves on 127.0.0.1:8787.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
npx wrangler d1 migrations apply DB --local
# A local secret for signed artifact URLs, generated once; .dev.vars is git-ignored.
grep -qs '^MLFLARE_SIGNING_SECRET=' .dev.vars || printf '\nMLFLARE_SIGNING_SECRET=%s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >> .dev.vars
exec npx wrangler dev --ip 127.0.0.1 --port "${PORT:-8787}" "$@"
