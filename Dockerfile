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
# The `funnel` command (node bin/funnel.js ...), e.g. for docker compose exec.
COPY --from=build /app/bin ./bin
# The dashboard's static files (GET /) are served from the source tree, found the same way.
COPY --from=build /app/apps/reporting-api/src/dashboard/public ./apps/reporting-api/src/dashboard/public
# The fact tables' migrations are read at start; the repository root is found by package.json.
COPY --from=build /app/libs/facts/migrations ./libs/facts/migrations
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/apps/standalone/src/main.js"]
