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
