# Stand-in for prom/prometheus:v3.5.0: Debian bookworm's prometheus (2.42, the classic web UI), built by build.sh only
# when the official image cannot be pulled. Like the official image: the binary as entry point, /prometheus as the
# working and data folder (Debian's build defaults to /var/lib/prometheus/metrics2, linked to it), run as nobody.
ARG BASE
FROM ${BASE}
RUN mkdir -p /prometheus /etc/prometheus && chown nobody:nogroup /prometheus \
    && rm -rf /var/lib/prometheus/metrics2 && ln -s /prometheus /var/lib/prometheus/metrics2
WORKDIR /prometheus
USER nobody
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
