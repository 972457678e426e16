# Stand-in for redis:7.4-alpine: Debian bookworm's redis-server (7.0), built by build.sh only when the official image
# cannot be pulled. Like the official image: data in /data, run as user redis, protected mode off (the container
# network is the boundary), the command given by compose (redis-server ...) run as is.
ARG BASE
FROM ${BASE}
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN mkdir -p /data && chown redis:redis /data && chmod 755 /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
USER redis
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
