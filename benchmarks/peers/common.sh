# Shared by the peer and comparison scripts; source it, do not run it.

# True once an SQS server on 127.0.0.1:PORT answers an SQS JSON 1.0 ListQueues (the AWS SDK v2's
# protocol) with a JSON body.
answers_sqs_json() {
  local port=$1 body
  body=$(curl -sS --max-time 2 -X POST "http://127.0.0.1:$port/" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: AmazonSQS.ListQueues' \
    -d '{}' 2>/dev/null) || return 1
  [[ $body == \{* ]]
}

# A TCP port on 127.0.0.1 that nothing listens on right now (racy by nature; bounded tries).
free_port() {
  local port tries
  for (( tries = 0; tries < 50; tries++ )); do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Stops the Sluice started as $sluice_pid (if it runs) and deletes its $data_dir; clears both. For the scripts that
# start one fresh single-node Sluice per run (trap it on EXIT).
stop_sluice() {
  if [[ -n ${sluice_pid:-} ]] && kill -0 "$sluice_pid" 2>/dev/null; then
    kill "$sluice_pid" 2>/dev/null || true
    wait "$sluice_pid" 2>/dev/null || true
  fi
  sluice_pid=""
  if [[ -n ${data_dir:-} ]]; then
    rm -rf "$data_dir"
  fi
  data_dir=""
}

# Copies the run-time dependencies a peer's pom names into LIB_DIR (mvn dependency:copy-dependencies), unless the
# copy there is complete: the pom's checksum marks it, so an interrupted or outdated fetch is redone. Fails unless
# a file matching GLOB (a shell pattern inside LIB_DIR) is there afterwards.
fetch_dependencies() {
  local pom=$1 lib_dir=$2 glob=$3 stamp=$2/.fetched want
  want=$(sha256sum "$pom" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    return 0
  fi
  rm -rf "$lib_dir"
  mkdir -p "$lib_dir"
  echo "fetching $(basename "$(dirname "$pom")")'s dependencies into $lib_dir" >&2
  mvn -B -q -f "$pom" dependency:copy-dependencies >&2
  # shellcheck disable=SC2086 # the pattern is meant to expand
  ls "$lib_dir"/$glob >/dev/null 2>&1 || { echo "the fetch into $lib_dir did not produce $glob" >&2; return 1; }
  echo "$want" >"$stamp"
}

# Starts the HTTP floor (SqsFloorServer in benchmarks.jar JAR: an in-memory SQS behind Sluice's own HTTP stack, issue
# 17) on 127.0.0.1:PORT, logging to LOG, with any further arguments as JVM options; sets floor_pid and returns once it
# answers SQS JSON 1.0. Run it in the calling shell (not in $(...)), so that the caller can kill and wait for it.
start_floor() {
  local jar=$1 port=$2 log=$3 waited
  shift 3
  java "$@" -cp "$jar" dev.sluice.benchmarks.floor.SqsFloorServer --port "$port" </dev/null >"$log" 2>&1 &
  floor_pid=$!
  for (( waited = 0; waited < 60 * 4; waited++ )); do
    kill -0 "$floor_pid" 2>/dev/null || { tail -n 20 "$log" >&2; echo "the HTTP floor exited during start-up" >&2; return 1; }
    answers_sqs_json "$port" && return 0
    sleep 0.25
  done
  echo "the HTTP floor did not answer SQS JSON 1.0 within 60s (log: $log)" >&2
  return 1
}
