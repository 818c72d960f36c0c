# syntax=docker/dockerfile:1.7
# Volundr's API (with the `volundr` CLI, which runs migrations) and its web UI, from the
# repository root:
#   docker build -f deploy/images/api.Dockerfile --target api -t ghcr.io/volundr/api:0.1.0 .
#   docker build -f deploy/images/api.Dockerfile --target web -t ghcr.io/volundr/web:0.1.0 .
# Node 20.20 and pnpm 10.34.9 as in ../shared/TOOLCHAIN.md (newer releases need Node 22).

FROM node:20.20.2-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /src
# Manifests first: dependency layers are reused until a lockfile or package.json changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY apps/api/package.json apps/api/
COPY apps/cli/package.json apps/cli/
COPY apps/web/package.json apps/web/
COPY packages/ packages/
RUN pnpm fetch --frozen-lockfile
COPY . .
RUN pnpm install --frozen-lockfile --offline \
 && pnpm --filter @volundr/api build \
 && pnpm --filter @volundr/cli build \
 && pnpm --filter @volundr/web build \
 # Self-contained production trees: the bundles plus only their runtime dependencies.
 && pnpm --filter @volundr/api deploy --prod /out/api \
 && pnpm --filter @volundr/cli deploy --prod /out/cli

FROM node:20.20.2-bookworm-slim AS api
RUN groupadd --gid 10001 volundr && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin volundr
COPY --from=build /out/api /app/api
COPY --from=build /out/cli /app/cli
COPY migrations /app/migrations
COPY deploy/images/volundr /usr/local/bin/volundr
ENV NODE_ENV=production VOLUNDR_MIGRATIONS_DIR=/app/migrations VOLUNDR_API_ENTRY=/app/api/dist/api.mjs
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["node", "/app/api/dist/api.mjs"]

# The web UI: static files behind an unprivileged nginx, every unknown path answered with the SPA.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS web
COPY --from=build /src/apps/web/dist /usr/share/nginx/html
COPY deploy/images/web-nginx.conf /etc/nginx/conf.d/default.conf
USER 101
EXPOSE 8080
