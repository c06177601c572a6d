# One image for every app: docker-compose.yml picks the entry point per service
# (dist/apps/<app>/src/main.js); without a command it runs embedded mode (`npm start`).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
# npm install, not npm ci: the lock cannot list chdb's optional binaries for other platforms.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# glibc (bookworm, not alpine): chdb, the embedded ClickHouse, is a glibc build.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# ClickHouse migrations are read at start; the repository root is found by package.json.
COPY --from=build /app/infra/clickhouse ./infra/clickhouse
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/apps/standalone/src/main.js"]
