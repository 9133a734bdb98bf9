"""LocalStack plugins that let the digital-keys stack run on a host without Docker.

- ``host`` Lambda runtime executor (``LAMBDA_RUNTIME_EXECUTOR=host``): runs a function's
  ``bootstrap`` as a host process and serves it the Lambda Runtime API on loopback.
- ``sesv2:default`` provider: SES v2 on top of LocalStack's SES v1 store, so mails sent with
  ``SendEmail`` are listed at ``GET /_aws/ses``.
"""
