#!/bin/sh
# Container entrypoint: apply pending Prisma migrations, then run the command
# (default: node apps/api/dist/main.js). `prisma migrate deploy` takes an
# advisory lock, so several replicas starting at once is safe.
set -eu
cd /app
npx --no-install prisma migrate deploy
exec "$@"
