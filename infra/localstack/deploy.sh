#!/usr/bin/env bash
# Deploys the stack to a running LocalStack (AWS_ENDPOINT_URL, default http://localhost:4566: the
# Docker path's docker-compose.yml, or start.sh on the host) and prints the settings that point the
# black-box tests at it; with DK_STACK_OUTPUTS=FILE it also writes api_id=, stage=, table= and mail_dlq= there
# (tests/localstack.sh reads them). Build the functions first for the architecture LocalStack runs
# them on (README.md).
# Needs: the SAM CLI (.venv/bin/sam after tests/venv.sh, or pip install aws-sam-cli) and boto3.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_ENDPOINT_URL=${AWS_ENDPOINT_URL:-http://localhost:4566}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
bash tests/venv.sh
py=.venv/bin/python
sam=.venv/bin/sam

# What the template expects to exist: the master secret and a sender LocalStack accepts.
"$py" - <<'PY'
import base64, os, boto3
sm = boto3.client("secretsmanager")
secret = base64.b64encode(os.urandom(32)).decode()
try:
    sm.create_secret(Name="digital-keys/master-secret", SecretString=secret)
except sm.exceptions.ResourceExistsException:
    pass
boto3.client("ses").verify_domain_identity(Domain="digital-keys.localstack.cloud")
PY

# The API's id is chosen (LocalStack's _custom_id_ tag), so its address, the OpenID Connect
# issuer, is known before the deploy.
port=${AWS_ENDPOINT_URL##*:}
api_custom_id=digitalkeys
issuer="http://$api_custom_id.execute-api.localhost.localstack.cloud:$port/prod"
overrides=$("$py" -c 'import tomllib; print(tomllib.load(open("samconfig.toml", "rb"))["localstack"]["deploy"]["parameters"]["parameter_overrides"])')
"$sam" deploy --config-env localstack --no-confirm-changeset --no-progressbar \
  --parameter-overrides "$overrides OidcIssuer=$issuer ApiCustomId=$api_custom_id"

eval "$("$py" - <<'PY'
import boto3
outputs = {o["OutputKey"]: o["OutputValue"] for o in
           boto3.client("cloudformation").describe_stacks(StackName="digital-keys")["Stacks"][0]["Outputs"]}
print(f'api_id={outputs["ApiId"]} stage={outputs["StageName"]} table={outputs["TableName"]} mail_dlq={outputs["MailDeadLetterQueueUrl"]}')
PY
)"
if [ "$api_id" != "$api_custom_id" ]; then
  echo "the API's id is $api_id, not $api_custom_id: the issuer $issuer is wrong" >&2
  exit 1
fi

# The template's gateway responses (the retry page for API Gateway's own 5xx and throttling) reach
# AWS inside the API's OpenAPI body, which LocalStack's community edition does not read them from:
# put them as AWS would have imported them, and deploy the stage again so that it serves them.
# (LocalStack then answers with their status code; their headers and bodies it does not apply yet.)
API_ID="$api_id" STAGE="$stage" "$py" - <<'PY'
import json, os, boto3
processed = boto3.client("cloudformation").get_template(
    StackName="digital-keys", TemplateStage="Processed")["TemplateBody"]
if isinstance(processed, str):
    processed = json.loads(processed)
body = processed["Resources"]["Api"]["Properties"].get("Body", {})
responses = body.get("x-amazon-apigateway-gateway-responses", {})
apigateway = boto3.client("apigateway")
for kind, response in responses.items():
    put = {"restApiId": os.environ["API_ID"], "responseType": kind,
           "responseParameters": response.get("responseParameters", {}),
           "responseTemplates": response.get("responseTemplates", {})}
    if response.get("statusCode"):
        put["statusCode"] = str(response["statusCode"])
    apigateway.put_gateway_response(**put)
if responses:
    apigateway.create_deployment(restApiId=os.environ["API_ID"], stageName=os.environ["STAGE"],
                                 description="gateway responses")
print(f"gateway responses put: {', '.join(sorted(responses)) or 'none'}")
PY
if [ -n "${DK_STACK_OUTPUTS:-}" ]; then
  printf 'api_id=%s\nstage=%s\ntable=%s\nmail_dlq=%s\n' "$api_id" "$stage" "$table" "$mail_dlq" > "$DK_STACK_OUTPUTS"
fi
cat <<SETTINGS

Deployed. The service: http://$api_id.execute-api.localhost.localstack.cloud:$port/$stage/login

Enrol citizens with a local runner on the same table and secret (leave it running):
  STORE=dynamodb MAILER=ses TABLE_NAME=$table MAIL_FROM=no-reply@digital-keys.localstack.cloud \\
  MASTER_SECRET_ID=digital-keys/master-secret LOCAL_REDELIVERY=off AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL \\
  PORT=3001 cargo run

Then run the journeys against the stack:
  DK_BASE_URL=http://$api_id.execute-api.localhost.localstack.cloud:$port/$stage \\
  DK_ADMIN_URL=http://127.0.0.1:3001 DK_SES_MAILBOX_URL=$AWS_ENDPOINT_URL/_aws/ses \\
  DK_REGISTRATION_CODE_TTL_SECONDS=30 cargo test -p blackbox --test stack --test foundation
SETTINGS
