"""Creates one IAM user per function on moto's server, each with one inline policy of the given
actions, plus an operator with every right; prints their access keys as JSON. Used by tests/iam.rs
(the Rust SDK crate for IAM would only be compiled for this). Input on stdin:
{"endpoint": URL, "functions": {"login": ["dynamodb:GetItem", ...], ...}}"""
import json
import sys

import boto3

request = json.load(sys.stdin)
iam = boto3.client("iam", endpoint_url=request["endpoint"], region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
users = dict(request["functions"])
users["operator"] = ["*"]
keys = {}
for name, actions in users.items():
    iam.create_user(UserName=name)
    # moto matches a statement's Resource against "*" only, so the test grants the role's actions
    # on every resource; the resources themselves are checked in infra/local/tests/template_routes.rs.
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    iam.put_user_policy(UserName=name, PolicyName="role", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    keys[name] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
json.dump(keys, sys.stdout)
