#!/usr/bin/env bash
# Deploys the stack to LocalStack (started with docker-compose.yml in this folder) and prints the
# settings that point the black-box tests at it. Needs: sam and cargo-lambda (pip install aws-sam-cli
# cargo-lambda), the AWS CLI, and the aarch64 Rust target (rustup target add aarch64-unknown-linux-gnu).
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_ENDPOINT_URL=${AWS_ENDPOINT_URL:-http://localhost:4566}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
aws="aws --endpoint-url $AWS_ENDPOINT_URL"

# What the template expects to exist: the master secret and a sender LocalStack accepts.
secret_file=target/localstack-master-secret
mkdir -p target
[ -s "$secret_file" ] || openssl rand -base64 32 > "$secret_file"
master_secret=$(cat "$secret_file")
$aws secretsmanager create-secret --name digital-keys/master-secret --secret-string "$master_secret" >/dev/null 2>&1 \
  || $aws secretsmanager put-secret-value --secret-id digital-keys/master-secret --secret-string "$master_secret" >/dev/null
$aws ses verify-email-identity --email-address no-reply@digital-keys.localstack.cloud >/dev/null

# Same template, same samconfig.toml; only the environment differs. SAM 1.x honours
# AWS_ENDPOINT_URL for CloudFormation, S3 and Lambda, as samlocal does.
sam build --config-env localstack
sam deploy --config-env localstack --no-confirm-changeset

api=$($aws cloudformation describe-stacks --stack-name digital-keys \
  --query "Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue" --output text)
table=$($aws cloudformation describe-stack-resources --stack-name digital-keys \
  --query "StackResources[?LogicalResourceId=='Table'].PhysicalResourceId" --output text)
cat <<SETTINGS

Deployed. The API is at $api

Enrol citizens with a local runner on the same table and secret (leave it running):
  STORE=dynamodb MAILER=ses TABLE_NAME=$table MAIL_FROM=no-reply@digital-keys.localstack.cloud \\
  MASTER_SECRET=$master_secret AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL PORT=3001 cargo run

Then run the black-box journeys against the stack:
  DK_BASE_URL=$api DK_ADMIN_URL=http://127.0.0.1:3001 DK_SES_MAILBOX_URL=$AWS_ENDPOINT_URL/_aws/ses \\
  cargo test -p blackbox --test foundation --test wizard the_whole_journey_by_email_in_every_language
SETTINGS
