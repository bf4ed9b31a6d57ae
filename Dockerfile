# syntax=docker/dockerfile:1.7
# Billflow API + workers. Build: `docker build -t billflow-api .`
# Run: see docker-compose.yml; the container applies pending migrations
# (`prisma migrate deploy`) and then starts `node apps/api/dist/main.js`.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: every dependency (dev included), cached on the lockfile only -------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV CI=true \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false
# One line per workspace: COPY cannot keep directories with a glob.
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY packages/extraction/package.json packages/extraction/
COPY packages/benchmarks/package.json packages/benchmarks/
RUN --mount=type=cache,target=/root/.npm npm ci

# --- build: generate the Prisma client, compile, drop dev dependencies --------
FROM deps AS build
ENV TURBO_TELEMETRY_DISABLED=1
COPY . .
# `npm run build` = prisma generate (into apps/api/src/generated/prisma) + turbo
# build (tsc → apps/api/dist, packages/extraction/dist; the generated client
# is compiled into apps/api/dist/generated/prisma).
RUN npm run build \
 && test -f apps/api/dist/main.js \
 && test -d apps/api/dist/generated/prisma
# Production dependencies only. The prisma CLI (a root devDependency) survives
# the prune: it is also an optional peer of @prisma/client, so the lockfile
# marks it devOptional, and `--omit=dev` keeps devOptional packages. The
# runtime needs it for `prisma migrate deploy`; fail the build if that changes.
RUN npm prune --omit=dev \
 && test -f node_modules/prisma/build/index.js \
 && test -f node_modules/@prisma/adapter-pg/package.json \
 && rm -rf apps/*/src apps/*/test packages/*/src packages/*/test

# --- runtime ---------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    npm_config_update_notifier=false
WORKDIR /app
# Native OCR engine (OCR_ENGINE=auto picks it when `tesseract --version` runs): Debian's tesseract
# 5.3 with English, German and French data, about 2× faster per page than tesseract.js. Without
# it the extractor falls back to tesseract.js (WASM, language data from npm), so this layer is
# optional for correctness but not for speed. The extractor runs it with OMP_THREAD_LIMIT=1.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra \
 && rm -rf /var/lib/apt/lists/* \
 && tesseract --version \
 && tesseract --list-langs | grep -qx deu \
 && tesseract --list-langs | grep -qx fra
# Files stay owned by root (read-only for the app user); only $HOME is writable.
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
# Workspaces without their sources: package.json + dist (+ any nested node_modules);
# node_modules/@billflow/* are symlinks to them.
COPY --from=build /app/apps ./apps
COPY --from=build /app/packages ./packages
COPY --chmod=0755 docker-entrypoint.sh /usr/local/bin/billflow-entrypoint
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch. Port follows $PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["billflow-entrypoint"]
CMD ["node", "apps/api/dist/main.js"]
