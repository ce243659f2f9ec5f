#!/usr/bin/env bash
# Backs up Attune's database while it runs (docs/operations.md, "Backup and restore").
#
#   deploy/backup.sh sqlite   /var/lib/attune/attune.db          /var/backups/attune
#   deploy/backup.sh postgres "host=127.0.0.1 dbname=attune user=attune" /var/backups/attune
#
# SQLite: sqlite3's .backup (the online backup API: a consistent copy while the app writes).
# PostgreSQL: pg_dump in its custom format (password from ~/.pgpass or PGPASSWORD, never argv).
# Prints the backup's path. The file is checked before it is kept, and readable only by its owner.
# The master key is NOT in it, on purpose: back it up separately (see the guide).
set -euo pipefail
umask 077
[ $# -eq 3 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
engine=$1 source=$2 dest=$3
mkdir -p "$dest"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

case "$engine" in
  sqlite)
    [ -f "$source" ] || { echo "No database at $source" >&2; exit 1; }
    out="$dest/attune-$stamp.db"
    sqlite3 "$source" ".timeout 30000" ".backup '$out.partial'"
    check=$(sqlite3 "$out.partial" "PRAGMA integrity_check;")
    [ "$check" = "ok" ] || { rm -f "$out.partial"; echo "The copy failed its integrity check: $check" >&2; exit 1; }
    ;;
  postgres)
    out="$dest/attune-$stamp.dump"
    pg_dump --format=custom --no-owner --no-privileges --dbname="$source" --file="$out.partial"
    pg_restore --list "$out.partial" >/dev/null || { rm -f "$out.partial"; echo "pg_restore cannot read the dump" >&2; exit 1; }
    ;;
  *) echo "engine must be sqlite or postgres" >&2; exit 2 ;;
esac
mv "$out.partial" "$out"
echo "$out"
