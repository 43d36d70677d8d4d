# syntax=docker/dockerfile:1
# The web app (React, built by Vite) and the API docs (Swagger UI, ReDoc, /openapi.json), served by the
# gateway's static server on port 8090, plain HTTP: Envoy is its only client.
# Build from the repository root:  docker build -f deploy/docker/web.Dockerfile -t identity/web .
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY proto/package.json proto/
COPY services/shared/package.json services/shared/
COPY services/auth/package.json services/auth/
COPY services/profile/package.json services/profile/
COPY services/friendship/package.json services/friendship/
COPY gateway/package.json gateway/
COPY web/package.json web/

# The app's build needs Vite and the other development dependencies of the web workspace.
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --workspace=web --include-workspace-root=false
COPY proto/src proto/src
COPY proto/gen/ts proto/gen/ts
COPY web web
RUN cd web && npx vite build --logLevel warn

# The static server's production dependencies (the docs' npm packages among them).
FROM manifests AS deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace=gateway \
 && mkdir -p proto/node_modules services/shared/node_modules gateway/node_modules

FROM ${NODE_IMAGE}
ENV NODE_ENV=production ENVIRONMENT=prod GATEWAY_WEB=0.0.0.0:8090 WEB_DIST=/app/web/dist
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/proto/node_modules proto/node_modules
COPY --from=deps /app/services/shared/node_modules services/shared/node_modules
COPY --from=deps /app/gateway/node_modules gateway/node_modules
COPY proto/package.json proto/
COPY proto/gen/openapi.json proto/gen/
COPY services/shared/package.json services/shared/
COPY services/shared/src services/shared/src
COPY gateway/package.json gateway/
COPY gateway/src/docs gateway/src/docs
COPY --from=build /app/web/dist web/dist
USER node
EXPOSE 8090
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8090/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "gateway/src/docs/static-server-main.ts"]
