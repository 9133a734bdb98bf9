"""Checks a running host LocalStack (start.sh) end to end, without cargo: a bash custom runtime
stands in for the Rust functions. Run with the LocalStack venv's Python:

    .venv-localstack/bin/python infra/localstack/selftest.py [ENDPOINT]   (default http://127.0.0.1:4566)

Covers: invoke (+ errors, crash, timeout) and CloudWatch Logs; a REST API with an AWS_PROXY
{proxy+} route; Secrets Manager read from inside the function with its own credentials and
AWS_ENDPOINT_URL; a DynamoDB table with a NEW_IMAGE stream, a filtered event source mapping with
ReportBatchItemFailures and an SQS on-failure destination; TTL expiry on demand; SES v2 SendEmail
(raw and simple) listed at /_aws/ses; deleting the function stops its process. Prints one line
per check and "N passed, N failed"; exits non-zero on a failure. Creates resources with a random
suffix and deletes what it created.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import traceback
import urllib.request
import uuid
import zipfile

import boto3

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
REGION = "us-east-1"
SUFFIX = uuid.uuid4().hex[:8]
KW = dict(
    endpoint_url=ENDPOINT,
    region_name=REGION,
    aws_access_key_id="test",
    aws_secret_access_key="test",
)

# A custom runtime in bash: the Runtime API loop with curl. Behaviour by what the event contains.
BOOTSTRAP = r"""#!/bin/bash
set -uo pipefail
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
echo "init $AWS_LAMBDA_FUNCTION_NAME"
respond() { curl -sS -o /dev/null -X POST --data-binary "$2" "$api/invocation/$1/response"; }
while :; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "$api/invocation/next") || exit 1
  id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | cut -d: -f2 | tr -d '[:space:]')
  rm -f "$headers"
  echo "event $id: $event"
  case "$event" in
    *'"crash"'*) echo "crashing"; exit 3 ;;
    *'"sleep"'*) sleep 30 ;;
    *'"fail"'*)
      curl -sS -o /dev/null -X POST -H 'Lambda-Runtime-Function-Error-Type: Unhandled' \
        -d '{"errorType":"Boom","errorMessage":"asked to fail"}' "$api/invocation/$id/error" ;;
    *'"partial"'*)
      seq=$(printf '%s' "$event" | grep -o '"SequenceNumber": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
      respond "$id" "{\"batchItemFailures\":[{\"itemIdentifier\":\"$seq\"}]}" ;;
    *'"env"'*)
      env | sort | sed 's/^\(AWS_SECRET_ACCESS_KEY\|AWS_SESSION_TOKEN\)=.*/\1=***/'
      respond "$id" '{"ok":true}' ;;
    *'"secret"'*)
      value=$(curl -sS --aws-sigv4 "aws:amz:$AWS_REGION:secretsmanager" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "X-Amz-Security-Token: $AWS_SESSION_TOKEN" \
        -H 'X-Amz-Target: secretsmanager.GetSecretValue' -H 'Content-Type: application/x-amz-json-1.1' \
        -d "{\"SecretId\":\"$SECRET_ID\"}" "$AWS_ENDPOINT_URL/")
      respond "$id" "$value" ;;
    *'"httpMethod"'*)
      path=$(printf '%s' "$event" | python3 -c 'import json, sys; print(json.load(sys.stdin)["path"])')
      respond "$id" "{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\"},\"body\":\"hello from bash at $path\"}" ;;
    *) respond "$id" "{\"echo\":$event}" ;;
  esac
done
"""

RESULTS: list[tuple[str, bool, str]] = []
CLEANUP: list = []


def client(name):
    return boto3.client(name, **KW)


def check(name):
    def wrap(fn):
        started = time.time()
        try:
            detail = fn() or ""
            RESULTS.append((name, True, detail))
            print(f"ok    {name} ({time.time() - started:.1f}s) {detail}", flush=True)
        except Exception as e:  # noqa: BLE001 - report and go on
            RESULTS.append((name, False, str(e)))
            print(f"FAIL  {name}: {e}", flush=True)
            traceback.print_exc()
        return fn

    return wrap


def wait_for(what, fn, timeout=60, interval=0.5):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


def http(method, path, data=None):
    request = urllib.request.Request(ENDPOINT + path, method=method, data=data)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode()


def log_text(function_name):
    logs = client("logs")
    group = f"/aws/lambda/{function_name}"
    try:
        streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    except logs.exceptions.ResourceNotFoundException:
        return ""
    return "".join(
        e["message"]
        for s in streams
        for e in logs.get_log_events(logGroupName=group, logStreamName=s["logStreamName"])["events"]
    )


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o100755 << 16
        archive.writestr(info, BOOTSTRAP)
    return buffer.getvalue()


lam = client("lambda")
fn_name = f"dk-selftest-{SUFFIX}"
state: dict = {}


@check("create function (provided.al2023, bash bootstrap)")
def _():
    secret = client("secretsmanager").create_secret(Name=f"dk-selftest/{SUFFIX}", SecretString="s3cr3t")
    state["secret_arn"] = secret["ARN"]
    role = client("iam").create_role(
        RoleName=f"dk-selftest-{SUFFIX}",
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        ),
    )["Role"]["Arn"]
    state["role"] = role
    fn = lam.create_function(
        FunctionName=fn_name,
        Runtime="provided.al2023",
        Handler="bootstrap",
        Role=role,
        Code={"ZipFile": zip_bytes()},
        Timeout=3,
        MemorySize=256,
        Architectures=["x86_64"],
        Environment={"Variables": {"SECRET_ID": f"dk-selftest/{SUFFIX}", "GREETING": "hi"}},
    )
    state["fn_arn"] = fn["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName=fn_name)
    return lam.get_function(FunctionName=fn_name)["Configuration"]["State"]


@check("invoke; logs in CloudWatch Logs")
def _():
    t = time.time()
    r = lam.invoke(FunctionName=fn_name, Payload=json.dumps({"hello": "world"}))
    cold = time.time() - t
    body = json.loads(r["Payload"].read())
    assert "FunctionError" not in r and body == {"echo": {"hello": "world"}}, body
    t = time.time()
    lam.invoke(FunctionName=fn_name, Payload=json.dumps({"env": 1}))
    warm = time.time() - t
    text = wait_for("logs", lambda: (t := log_text(fn_name)) and "END RequestId" in t and "GREETING=hi" in t and t)
    for needle in ("init " + fn_name, '"hello": "world"', "START RequestId", "REPORT RequestId", "AWS_LAMBDA_RUNTIME_API=127.0.0.1:"):
        assert needle in text, f"{needle!r} not in logs"
    state["env"] = sorted(line for line in text.splitlines() if "=" in line and not line.startswith(("event", "START", "END", "REPORT")))
    return f"cold {cold:.2f}s, warm {warm:.2f}s"


@check("function error, crash and timeout")
def _():
    r = lam.invoke(FunctionName=fn_name, Payload=json.dumps({"fail": 1}))
    assert r.get("FunctionError") == "Unhandled" and json.loads(r["Payload"].read())["errorType"] == "Boom"
    r = lam.invoke(FunctionName=fn_name, Payload=json.dumps({"crash": 1}))
    assert json.loads(r["Payload"].read())["errorType"] == "Runtime.ExitError"
    t = time.time()
    r = lam.invoke(FunctionName=fn_name, Payload=json.dumps({"sleep": 1}))
    took = time.time() - t
    assert json.loads(r["Payload"].read())["errorType"] == "Sandbox.Timedout" and 2.9 < took < 10, took
    r = lam.invoke(FunctionName=fn_name, Payload=json.dumps({"again": 1}))
    assert json.loads(r["Payload"].read()) == {"echo": {"again": 1}}
    return f"timeout after {took:.1f}s, then re-initialised"


@check("Secrets Manager from inside the function (its credentials, AWS_ENDPOINT_URL)")
def _():
    r = lam.invoke(FunctionName=fn_name, Payload=json.dumps({"secret": 1}))
    body = json.loads(r["Payload"].read())
    assert body.get("SecretString") == "s3cr3t", body


@check("REST API (v1) AWS_PROXY {proxy+} -> function")
def _():
    apigw = client("apigateway")
    api = apigw.create_rest_api(name=f"dk-selftest-{SUFFIX}")["id"]
    state["api"] = api
    root = next(r["id"] for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/")
    proxy = apigw.create_resource(restApiId=api, parentId=root, pathPart="{proxy+}")["id"]
    uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{state['fn_arn']}/invocations"
    for resource in (root, proxy):
        apigw.put_method(restApiId=api, resourceId=resource, httpMethod="ANY", authorizationType="NONE")
        apigw.put_integration(restApiId=api, resourceId=resource, httpMethod="ANY", type="AWS_PROXY", integrationHttpMethod="POST", uri=uri)
    apigw.create_deployment(restApiId=api, stageName="test")
    status, body = http("GET", f"/_aws/execute-api/{api}/test/hello/world?x=1")
    assert status == 200 and body == "hello from bash at /hello/world", (status, body)
    status, root_body = http("POST", f"/_aws/execute-api/{api}/test/", data=b"{}")
    assert status == 200 and root_body == "hello from bash at /", (status, root_body)
    return f"/_aws/execute-api/{api}/test/hello/world -> {body!r}"


@check("DynamoDB stream -> filtered event source mapping; failures -> SQS on-failure destination")
def _():
    ddb = client("dynamodb")
    sqs = client("sqs")
    table = f"dk-selftest-{SUFFIX}"
    t = time.time()
    desc = ddb.create_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    state["table"] = table
    ddb.get_waiter("table_exists").wait(TableName=table)
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    created = time.time() - t
    queue_url = sqs.create_queue(QueueName=f"dk-selftest-dlq-{SUFFIX}")["QueueUrl"]
    state["queue"] = queue_url
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    esm = lam.create_event_source_mapping(
        FunctionName=fn_name,
        EventSourceArn=desc["LatestStreamArn"],
        StartingPosition="LATEST",
        BatchSize=10,
        MaximumRetryAttempts=1,
        MaximumBatchingWindowInSeconds=0,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["mail"]}}}})}]},
    )["UUID"]
    state["esm"] = esm
    wait_for("mapping enabled", lambda: lam.get_event_source_mapping(UUID=esm)["State"] == "Enabled")
    time.sleep(2)  # LATEST: let the poller take its position before writing
    t = time.time()
    ddb.put_item(TableName=table, Item={"pk": {"S": "other-1"}, "kind": {"S": "other"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "mail-1"}, "kind": {"S": "mail"}})
    wait_for("stream record in function logs", lambda: '"mail-1"' in log_text(fn_name), timeout=60)
    delivered = time.time() - t
    ddb.put_item(TableName=table, Item={"pk": {"S": "mail-fail"}, "kind": {"S": "mail"}, "fail": {"BOOL": True}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "mail-partial"}, "kind": {"S": "mail"}, "partial": {"BOOL": True}})

    failed = []

    def dlq():
        for m in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            failed.append(json.loads(m["Body"]))
        return len(failed) >= 2 and failed

    wait_for("two on-failure records in the SQS queue", dlq, timeout=120, interval=0)
    assert '"other-1"' not in log_text(fn_name), "filtered record reached the function"
    conditions = sorted(f.get("requestContext", {}).get("condition", "?") for f in failed)
    return f"table+TTL {created:.1f}s, first delivery {delivered:.1f}s, on-failure: {conditions}"


@check("TTL: expired item removed by DELETE /_aws/dynamodb/expired")
def _():
    ddb = client("dynamodb")
    table = state["table"]
    ddb.put_item(TableName=table, Item={"pk": {"S": "old"}, "kind": {"S": "other"}, "expires": {"N": str(int(time.time()) - 60)}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "new"}, "kind": {"S": "other"}, "expires": {"N": str(int(time.time()) + 3600)}})
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "old"}})
    status, body = http("DELETE", "/_aws/dynamodb/expired")
    assert status == 200, (status, body)
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "old"}}), "expired item still there"
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "new"}})
    return body.strip()


@check("SES v2 SendEmail (raw, simple) listed at /_aws/ses; unverified sender rejected")
def _():
    ses = client("sesv2")
    sender = f"no-reply-{SUFFIX}@example.com"
    ses.create_email_identity(EmailIdentity=sender)
    raw = (
        f"From: {sender}\r\nTo: citizen@example.org\r\nSubject: Selftest {SUFFIX}\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour code is 123456\r\n"
    ).encode()
    raw_id = ses.send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": ["citizen@example.org"]},
        Content={"Raw": {"Data": raw}},
        ConfigurationSetName="whatever",
    )["MessageId"]
    simple_id = ses.send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": ["citizen@example.org"]},
        Content={"Simple": {"Subject": {"Data": "Simple"}, "Body": {"Text": {"Data": "plain body"}}}},
    )["MessageId"]
    _, body = http("GET", f"/_aws/ses?email={sender}")
    messages = {m["Id"]: m for m in json.loads(body)["messages"]}
    assert f"Subject: Selftest {SUFFIX}" in messages[raw_id]["RawData"], messages
    assert messages[simple_id]["Body"]["text_part"] == "plain body", messages
    try:
        ses.send_email(
            FromEmailAddress="stranger@nowhere.example",
            Destination={"ToAddresses": ["citizen@example.org"]},
            Content={"Raw": {"Data": raw}},
        )
        raise AssertionError("unverified sender accepted")
    except ses.exceptions.MessageRejected:
        pass
    account = ses.get_account()
    assert account["SendingEnabled"]


@check("delete function stops its process")
def _():
    pid_dir = os.environ.get("DK_LAMBDA_PID_DIR")
    default_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../target/localstack/lambda-pids")
    if not pid_dir and os.path.isdir(default_dir):
        pid_dir = default_dir
    if state.get("esm"):
        lam.delete_event_source_mapping(UUID=state.pop("esm"))
    lam.delete_function(FunctionName=fn_name)
    state.pop("fn_arn", None)
    if pid_dir:
        wait_for("no Lambda pid files", lambda: not os.listdir(pid_dir), timeout=30)
        return "pid files gone"
    return "(no pid file directory to check; set DK_LAMBDA_PID_DIR)"


def cleanup():
    try:
        if state.get("esm"):
            lam.delete_event_source_mapping(UUID=state["esm"])
        if state.get("fn_arn"):
            lam.delete_function(FunctionName=fn_name)
        if state.get("api"):
            client("apigateway").delete_rest_api(restApiId=state["api"])
        if state.get("table"):
            client("dynamodb").delete_table(TableName=state["table"])
        if state.get("queue"):
            client("sqs").delete_queue(QueueUrl=state["queue"])
        if state.get("secret_arn"):
            client("secretsmanager").delete_secret(SecretId=state["secret_arn"], ForceDeleteWithoutRecovery=True)
        if state.get("role"):
            client("iam").delete_role(RoleName=f"dk-selftest-{SUFFIX}")
    except Exception as e:  # noqa: BLE001
        print(f"cleanup: {e}")


cleanup()
if os.environ.get("SELFTEST_SHOW_ENV") and state.get("env"):
    print("function environment (from the env check):")
    for line in state["env"]:
        print("   ", line)
passed = sum(ok for _, ok, _ in RESULTS)
failed = len(RESULTS) - passed
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
