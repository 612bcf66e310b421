# One image for the five subgraphs and the gateway; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10
COPY . .
# the web dashboard is built too (web/dist, served by the gateway at /app/)
RUN pnpm install --frozen-lockfile && pnpm build && pnpm build:web && pnpm prune --prod

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1 BIND_HOST=0.0.0.0
COPY --from=build /app /app
RUN mkdir -p /app/.data/dev-issuer && chown -R node:node /app/.data
USER node
