#!/usr/bin/env bash
# Runs a benchmark suite (Release build) and prints its tables. Loopback only, bounded in time.
# Usage: bench/run.sh [--suite pages|journal|insights|events|groups|soak] [--postgres "<connection string>"]
#        pages (default): [--seconds 10] [--warm-up 10] [--connections 32] [--streams 1000] [--env KEY=VALUE]… [--only PAGE] [--publish DIR]
# Needs wrk (apt-get install wrk). Requests/s are honest only on a quiet machine: each table row
# prints the host's CPU steal and the load average while it was measured.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), .NET $(dotnet --version)"
dotnet run -c Release --project bench/Attune.Bench -- "$@"
