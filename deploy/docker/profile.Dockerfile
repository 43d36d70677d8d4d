# syntax=docker/dockerfile:1
# The profile service. Node 24 runs the TypeScript sources directly (no build step), so the image is the sources
# of three workspaces (proto, services/shared, services/profile) plus their production dependencies.
# Build from the repository root:  docker build -f deploy/docker/profile.Dockerfile -t identity/profile .
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Every workspace's package.json: npm ci checks the whole lock file, then installs only this workspace's tree.
COPY package.json package-lock.json ./
COPY proto/package.json proto/
COPY services/shared/package.json services/shared/
COPY services/auth/package.json services/auth/
COPY services/profile/package.json services/profile/
COPY services/friendship/package.json services/friendship/
COPY gateway/package.json gateway/
COPY web/package.json web/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace=services/profile \
 && mkdir -p proto/node_modules services/shared/node_modules services/profile/node_modules

FROM ${NODE_IMAGE}
ENV NODE_ENV=production ENVIRONMENT=prod RPC_PORT=50052 OPS_PORT=9102
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/proto/node_modules proto/node_modules
COPY --from=deps /app/services/shared/node_modules services/shared/node_modules
COPY --from=deps /app/services/profile/node_modules services/profile/node_modules
COPY proto/package.json proto/
COPY proto/src proto/src
COPY proto/gen/ts proto/gen/ts
COPY proto/gen/descriptor.binpb proto/gen/
COPY services/shared/package.json services/shared/
COPY services/shared/src services/shared/src
COPY services/profile/package.json services/profile/
COPY services/profile/src services/profile/src
# Root owns the code; the service runs as the image's unprivileged user and can write nothing in /app.
USER node
EXPOSE 50052 9102
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.OPS_PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# V8 heap sized to what the service needs (docs/benchmarks.md).
CMD ["node", "--max-old-space-size=96", "--max-semi-space-size=8", "--v8-pool-size=1", "services/profile/src/main.ts"]
