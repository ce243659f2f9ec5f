#!/usr/bin/env bash
# Runs the Today-page benchmark (Release build) and prints its table. Loopback only, bounded in time.
# Usage: bench/run.sh [--seconds 10] [--connections 32]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), .NET $(dotnet --version)"
dotnet run -c Release --project bench/Attune.Bench -- "$@"
