# Stand-in for mcr.microsoft.com/dotnet/aspnet:10.0-alpine and runtime:10.0-alpine (Debian bookworm, glibc, instead of
# Alpine, musl; the shared frameworks of this machine's .NET), built by build.sh only when the official image cannot be
# pulled. Context: dotnet/ (host and the shared frameworks the flavour has) and ca-certificates.crt.
ARG BASE
FROM ${BASE}
COPY dotnet/ /usr/share/dotnet/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && groupadd -g 1654 app && useradd -u 1654 -g app -m app && dotnet --list-runtimes
# As in the official Alpine images (no ICU there, hence invariant globalization).
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
