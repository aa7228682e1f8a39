# syntax=docker/dockerfile:1
# The edge: nginx serving the SPA (built here from frontend/) and proxying the API to the gateway
# replicas, with the configuration of nginx/ (nginx/README.md lists its template variables;
# docker-compose.yml sets them). Build from the repository root:
#   docker build -f deploy/frontend.Dockerfile -t federated-platform-edge .

# --- build: the SPA with npm -------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- runtime: nginx as an unprivileged user (uid 101), listening on 8080 ------------------------
FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
# The image renders /etc/nginx/templates/*.template into conf.d/ from the environment at start.
USER root
RUN rm -f /etc/nginx/conf.d/default.conf \
    && mkdir -p /var/cache/nginx/shop \
    && chown -R 101:101 /var/cache/nginx /etc/nginx/conf.d
COPY nginx/templates/shop.conf.template /etc/nginx/templates/shop.conf.template
COPY nginx/snippets/ /etc/nginx/snippets/
COPY --from=build /src/frontend/dist/ /usr/share/nginx/html/
USER 101
# The template variables that do not change between deployments (nginx/README.md); compose or
# Kubernetes sets GATEWAY_UPSTREAMS and may change the rate limits.
ENV NGINX_LISTEN=8080 \
    FRONTEND_ROOT=/usr/share/nginx/html \
    NGINX_SNIPPETS=/etc/nginx/snippets \
    NGINX_CACHE_DIR=/var/cache/nginx/shop \
    NGINX_RATE_LIMIT=50r/s \
    NGINX_RATE_BURST=100 \
    SHOP_CONTENT_SECURITY_POLICY="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'" \
    NGINX_ENVSUBST_FILTER="^(NGINX|GATEWAY|FRONTEND|SHOP)_"
EXPOSE 8080
