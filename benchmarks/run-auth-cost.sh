#!/usr/bin/env bash
# Server CPU per 1,000 messages with auth off, and with SigV4 keys plus a queue Policy that every request is
# evaluated against (issue 16: the cost of authentication and the access check). Same load as the SQS comparison.
#
#   benchmarks/run-auth-cost.sh --sluice-jar broker/target/sluice.jar [--runs 2] [--seconds 15] [--warmup-seconds 5]
#
# Each run starts a fresh single-node Sluice (auth off / auth on), alternating, and prints the load generator's line.
# With auth on the queue is created first (boto3) with a Policy of two statements: an Allow for the key's account and
# a Deny with a NotIpAddress condition the loopback client never meets, so both are evaluated on every request.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/peers/common.sh"
die() { echo "run-auth-cost: $*" >&2; exit 1; }

sluice_jar="" runs=2 seconds=15 warmup_seconds=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --sluice-jar) sluice_jar=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
load_jar=$here/target/benchmarks.jar
[[ -f $load_jar ]] || die "missing $load_jar; build it with: mvn -B -q -pl broker,benchmarks -am package -DskipTests"
[[ -f $sluice_jar ]] || die "no such Sluice jar: $sluice_jar"
log_dir=$here/target/auth-cost
mkdir -p "$log_dir"
key=AKIDBENCHAPP secret=bench-app-secret-1234
sluice_pid="" sluice_data=""
cleanup() {
  if [[ -n $sluice_pid ]] && kill -0 "$sluice_pid" 2>/dev/null; then kill "$sluice_pid"; wait "$sluice_pid" || true; fi
  [[ -z $sluice_data ]] || rm -rf "$sluice_data"
  sluice_pid="" sluice_data=""
}
trap cleanup EXIT

policy() {
  local arn=arn:aws:sqs:us-east-1:000000000000:bench-e2e
  printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sqs:*","Resource":"%s"},{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"%s","Condition":{"NotIpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}]}' "$arn" "$arn"
}

one_run() {
  local mode=$1 port
  port=$(free_port)
  sluice_data=$log_dir/data-$$
  rm -rf "$sluice_data"
  if [[ $mode == auth-policy ]]; then
    SLUICE_ACCESS_KEYS="$key:$secret,admin=AKIDBENCHOPS:bench-ops-secret-1234" java -jar "$sluice_jar" --port "$port" \
      --raft-port "$(free_port)" --data-dir "$sluice_data" </dev/null >"$log_dir/server-$mode.log" 2>&1 &
  else
    java -jar "$sluice_jar" --port "$port" --raft-port "$(free_port)" --data-dir "$sluice_data" \
      </dev/null >"$log_dir/server-$mode.log" 2>&1 &
  fi
  sluice_pid=$!
  for _ in $(seq 1 120); do answers_sqs_json "$port" && break; sleep 0.5; done
  if [[ $mode == auth-policy ]]; then
    AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret python3 - "$port" "$(policy)" <<'EOF'
import sys, boto3
sqs = boto3.client("sqs", endpoint_url="http://127.0.0.1:" + sys.argv[1], region_name="us-east-1")
sqs.create_queue(QueueName="bench-e2e", Attributes={"Policy": sys.argv[2]})
EOF
  fi
  echo "== $mode: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret java -cp "$load_jar" dev.sluice.benchmarks.SqsLoadGenerator \
    --endpoint "http://127.0.0.1:$port" --queue bench-e2e --server-pid "$sluice_pid" --producers 2 --consumers 4 \
    --seconds "$seconds" --warmup-seconds "$warmup_seconds" --drain-seconds 5 --body-bytes 200 --wait-seconds 1 \
    >"$log_dir/load-$mode.log" 2>&1 || { cat "$log_dir/load-$mode.log" >&2; die "load failed ($mode)"; }
  echo "$mode $(grep -m1 '^{"benchmark":"sqs-e2e"' "$log_dir/load-$mode.log")"
  cleanup
}

for (( run = 1; run <= runs; run++ )); do
  one_run auth-off
  one_run auth-policy
done
