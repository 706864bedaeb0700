# Warmline: one image for every node. Build: docker build -t warmline .
# Build stage: all packages, builds the web app (dist/web) and compiles the server to one
# JavaScript file (dist/server.js; npm packages stay external). Final stage: production packages
# only, no TypeScript, no build tools, run as the unprivileged `node` user on the current Node LTS.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches postgres.js (scripts/patch-postgres-js.mjs)
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:server

FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches postgres.js (scripts/patch-postgres-js.mjs)
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The server finds migrations/ and package.json next to dist/ at run time.
COPY migrations ./migrations
COPY --from=build /app/dist ./dist
# Embedded PGlite keeps its files here when DATABASE_URL is unset; owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch does the probe. /api/ready is 503 while the database does
# not answer or is not fully migrated, so a node cut off from PostgreSQL leaves the pool.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `node` directly (not npm): the server is PID 1 and gets `docker stop`'s SIGTERM, so its graceful
# shutdown (finish jobs, drain the pump, close sockets) runs.
CMD ["node", "--enable-source-maps", "dist/server.js"]
