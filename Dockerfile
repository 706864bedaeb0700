# Warmline: one image for every node. Build: docker build -t warmline .
# Two stages: the first has the dev tools to build the web app, the second only what runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches postgres.js (scripts/patch-postgres-js.mjs)
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches postgres.js (scripts/patch-postgres-js.mjs)
COPY scripts ./scripts
# Runtime dependencies only (tsx runs the TypeScript server; vite is a dependency but unused here).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY server ./server
COPY shared ./shared
# Exports label codes with the UI's own words (server/exports/labels.ts).
COPY web/src/i18n/locales ./web/src/i18n/locales
COPY migrations ./migrations
COPY --from=build /app/dist ./dist
# Embedded PGlite keeps its files here when DATABASE_URL is unset; owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch does the probe. /api/health answers ok:false (and we
# exit 1) when the database does not answer, so a node cut off from PostgreSQL leaves the pool.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>r.json()).then(b=>process.exit(b.ok?0:1),()=>process.exit(1))"]
# node --import tsx rather than npx tsx: npx and the tsx CLI each add a parent process, while this
# way the server itself is PID 1 and gets `docker stop`'s SIGTERM (it installs its own handler,
# which PID 1 needs), so its graceful shutdown (finish jobs, drain the pump, close sockets) runs.
CMD ["node", "--import", "tsx", "server/index.ts"]
