#!/usr/bin/env bash
# A scripted lifecycle through the command line: register -> apply -> audit report -> decision ->
# backdated withdrawal, then the position as known now and as known before the withdrawal, and the
# timeline with recorded and effective times.
#
#   examples/lifecycle.sh                      # on a fresh SQLite file under var/
#   PSO_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mydb examples/lifecycle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PSO="${PSO:-.venv/bin/pso}"
export PSO_DATABASE_URL="${PSO_DATABASE_URL:-sqlite:///var/lifecycle-example.sqlite3}"
KVK="${KVK:-$(printf '%08d' $((RANDOM * 1000 + RANDOM % 1000)))}"
SUB="${SUB:-$(printf '%08d' $(( (10#$KVK + 1) % 100000000 )))}"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

echo "== register organisation $KVK (subsidiary $SUB)"
$PSO org register "$KVK" --name "Voorbeeld Schoonmaak BV" --place Utrecht --subsidiary "$SUB"

echo "== submit the definitive application (handbook version by submission date)"
APP=$($PSO application submit "$KVK" examples/declaration-trede-2.json --ci kiwa --on 2025-03-03 | field application_id)
echo "application $APP"

echo "== the CI plans the audit and files its report"
$PSO application plan-audit "$APP" --on 2025-03-20 --as-auditor kiwa
$PSO application report "$APP" --audit-date 2025-03-20 --advice trede_2 --summary "figures confirmed" --as-auditor kiwa

echo "== PSO-Nederland decides"
CERT=$($PSO application decide "$APP" --on 2025-03-31 | tee /dev/stderr | field certificate)
BEFORE=$(date -u +%Y-%m-%dT%H:%M:%S.%6N+00:00)
sleep 1

echo "== staff withdraw the certificate with effect from a past day"
$PSO certificate withdraw "$CERT" --on 2025-06-01 --reason "false declaration found"

echo "== position on 2025-07-01 as known now (withdrawn) and as known before the withdrawal (certified)"
$PSO query position "$SUB" --on 2025-07-01
$PSO query position "$SUB" --on 2025-07-01 --as-known-at "$BEFORE"

echo "== coverage for a tender from 2025-04-01 to 2025-12-31 at trede_2"
$PSO query coverage "$KVK" --from 2025-04-01 --to 2025-12-31 --min-level trede_2

echo "== timeline: recorded_at is when the register learned it, facts hold effective dates"
$PSO query timeline "$KVK"
