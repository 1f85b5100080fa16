# opentrain-hiring-bot: docker build -t hiring-bot . &&
#   docker run --init --env-file .env -v hiring-data:/data -p 3000:3000 hiring-bot
# The build stage's RUN lines are the README's production commands; test/e2e/production.test.ts replays them (and
# CMD and HEALTHCHECK) in a fresh copy of the repository, since CI has no Docker engine.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production DATA_FILE=/data/hiring-bot.json PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The store lives on a volume owned by the unprivileged `node` user of the base image. /app/data points there too, so
# an --env-file copied from .env.example (DATA_FILE=./data/…, or left empty: the same default) still uses the volume.
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Alive = the HTTP server answers (/healthz). Orchestrators that route traffic should probe /readyz as well.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node itself as the command (not npm), so SIGTERM from `docker stop` reaches the bot, which flushes the store.
CMD ["node", "dist/main.js"]
