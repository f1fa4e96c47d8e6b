#!/usr/bin/env bash
# Runs every test: `dotnet test OrderActors.sln`, after installing what the tests need from Debian when it is
# missing — postgresql (a throwaway server is started from it), rabbitmq-server (a throwaway broker for the
# benchmark's RabbitMQ baseline), docker-compose (validates docker-compose.yml), iproute2 (the partition
# drills put nodes in network namespaces of their own), prometheus (a throwaway Prometheus scrapes a cluster;
# promtool checks the metrics and the alert rules), nodejs/npm (the OpenAPI document is linted by Redocly's CLI,
# which the test installs from npm into the temp dir) and chromium/chromium-driver (the operator page is tested in a
# real headless browser). Then checks that the code is formatted as .editorconfig
# says (dotnet format whitespace --verify-no-changes; `dotnet format whitespace OrderActors.sln` fixes it).
set -uo pipefail
cd "$(dirname "$0")"

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || need+=(chromium chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} from Debian ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "the tests need: ${need[*]} (Debian: sudo apt-get install --no-install-recommends ${need[*]})" >&2
  fi
fi

dotnet test OrderActors.sln "$@"
status=$?
if ! dotnet format whitespace OrderActors.sln --verify-no-changes; then
  echo "the code is not formatted as .editorconfig says: run dotnet format whitespace OrderActors.sln" >&2
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
