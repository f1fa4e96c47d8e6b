# OrderActors node image. It packages a self-contained publish, so the image needs no .NET base image:
#
#   dotnet publish src/OrderActors.Node -c Release -r linux-x64 --self-contained -o artifacts/node
#   docker build -t orderactors-node .
#
# Configuration is by environment (ORDERACTORS_JOURNAL, ORDERACTORS_CONNECTION_STRING, ORDERACTORS_SEED_NODES, ...).
ARG RUNTIME_IMAGE=debian:12-slim
FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /var/lib/orderactors --create-home orderactors
COPY artifacts/node/ /opt/orderactors/
USER orderactors
WORKDIR /var/lib/orderactors
# ORDERACTORS_CLUSTER_HOST must be a name other nodes can reach (compose sets each node's service name).
# DOTNET_TC_CallCountingDelayMs=0: hot methods are optimised as soon as they are hot, not only once start-up
# compilation has paused for 100 ms, which under load it does not for ~15 s (see docs/performance.md).
ENV ORDERACTORS_URLS=http://0.0.0.0:5080 \
    ORDERACTORS_DATA_DIR=/var/lib/orderactors/data \
    DOTNET_TC_CallCountingDelayMs=0
EXPOSE 5080 4053
HEALTHCHECK --interval=5s --timeout=3s --retries=12 CMD curl -fsS http://127.0.0.1:5080/healthz/ready || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/orderactors/OrderActors.Node"]
