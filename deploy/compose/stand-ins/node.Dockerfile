# Stand-in for node:22-bookworm-slim (Debian bookworm + this machine's node and npm, whatever their version), built by
# build.sh only when the official image cannot be pulled. The project's Dockerfiles copy /usr/local/bin/node and
# /usr/local/lib/node_modules/npm out of it, as from the official image. Context: node, npm/, ca-certificates.crt.
ARG BASE
FROM ${BASE}
COPY node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
