# syntax=docker/dockerfile:1.7
# The session image: the Skuld broker, Claude Code and Codex (the CLIs it drives), ttyd for the
# browser terminal, code-server 4.100.3 for the browser IDE, git with Volundr's clone helper.
# One image, one non-root user (uid 1000); the pod managers pick the command per container.
#   docker build -f deploy/images/session.Dockerfile -t ghcr.io/volundr/session:0.1.0 .

FROM node:20.20.2-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter @volundr/skuld build \
 && pnpm --filter @volundr/skuld deploy --prod /out/skuld

FROM node:20.20.2-bookworm-slim
ARG TTYD_VERSION=1.7.7
# Set to the digest published with the release to have the download checked (recommended).
ARG TTYD_SHA256=
ARG CODE_SERVER_VERSION=4.100.3
ARG CLAUDE_CODE_VERSION=2.1.197
ARG CODEX_VERSION=0.171.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates curl openssh-client bash ripgrep jq less procps \
      build-essential python3 libkrb5-dev \
 && rm -rf /var/lib/apt/lists/*
# ttyd: a pinned static release (checked against TTYD_SHA256 when given).
RUN curl -fsSL -o /usr/local/bin/ttyd \
      "https://github.com/tsl0922/ttyd/releases/download/${TTYD_VERSION}/ttyd.x86_64" \
 && if [ -n "${TTYD_SHA256}" ]; then echo "${TTYD_SHA256}  /usr/local/bin/ttyd" | sha256sum -c -; fi \
 && chmod 0755 /usr/local/bin/ttyd && /usr/local/bin/ttyd --version
# code-server 4.100.3 is the newest that runs on Node 20 (its native modules build here).
RUN npm_config_unsafe_perm=true npm_config_yes=true JOBS=2 \
      npm install -g --omit=dev "code-server@${CODE_SERVER_VERSION}" \
      "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" "@openai/codex@${CODEX_VERSION}" \
 && npm cache clean --force \
 && apt-get purge -y build-essential libkrb5-dev && apt-get autoremove -y
COPY --from=build /out/skuld /opt/skuld
COPY deploy/images/session/skuld deploy/images/session/volundr-git-clone /usr/local/bin/
RUN chmod 0755 /usr/local/bin/skuld /usr/local/bin/volundr-git-clone \
 # The image's user: uid/gid 1000 as the pod security context expects (node's own user has them).
 && usermod --login volundr --move-home --home /home/volundr node && groupmod --new-name volundr node \
 && mkdir -p /volundr/workspace /volundr/home && chown -R 1000:1000 /volundr
ENV SKULD_CLAUDE_BIN=/usr/local/bin/claude SKULD_CODEX_BIN=/usr/local/bin/codex HOME=/volundr/home
USER 1000:1000
WORKDIR /volundr/workspace
CMD ["skuld"]
