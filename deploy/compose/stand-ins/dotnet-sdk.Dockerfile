# Stand-in for mcr.microsoft.com/dotnet/sdk:10.0 (Debian bookworm + this machine's .NET SDK), built by build.sh only
# when the official image cannot be pulled. Context: dotnet/ (the SDK folder) and ca-certificates.crt (this machine's CAs).
ARG BASE
FROM ${BASE}
COPY dotnet/ /usr/share/dotnet/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && groupadd -g 1654 app && useradd -u 1654 -g app -m app && dotnet --info >/dev/null
# As in the official image; the last line makes NuGet and npm trust this machine's CAs (a TLS-inspecting egress).
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_USE_POLLING_FILE_WATCHER=true \
    NUGET_XMLDOC_MODE=skip DOTNET_NOLOGO=true DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NUGET_CERT_REVOCATION_MODE=offline
