"""An independent OpenID Connect relying party built on Authlib, driven by tests/oidc.rs.

It reads one JSON command a line on standard input and answers one JSON line on standard output:
discover the provider, make keys, set up clients, build authorization requests (code + PKCE S256,
state, nonce), finish them from the redirect the citizen's browser reached (Authlib checks the
state, exchanges the code, and validates the ID token against the provider's JWKS with its own
OpenID Connect rules), call userinfo, build RP-initiated logout requests, and validate the
back-channel logout tokens the provider posts. An error answers
{"error": "..."} instead, so the Rust side can assert on failures too.
"""

import json
import os
import sys
import traceback
from urllib.parse import urlencode

# The in-process runner serves plain http on loopback.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

# LocalStack's API hosts (ID.execute-api.localhost.localstack.cloud) are the loopback LocalStack
# listens on; resolve them so with no DNS, as the Rust test clients do.
import socket  # noqa: E402

_getaddrinfo = socket.getaddrinfo


def _loopback_for_localstack(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".localhost.localstack.cloud"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_for_localstack

import requests  # noqa: E402
from authlib.common.security import generate_token  # noqa: E402
from authlib.integrations.requests_client import OAuth2Session  # noqa: E402
from authlib.jose import JsonWebKey, jwt  # noqa: E402
from authlib.oauth2.rfc7523 import PrivateKeyJWT  # noqa: E402
from authlib.oidc.core import CodeIDToken  # noqa: E402


class RelyingParty:
    def __init__(self):
        self.metadata = None
        self.jwks = None
        self.keys = {}
        self.clients = {}

    def discover(self, issuer):
        answer = requests.get(issuer + "/.well-known/openid-configuration", timeout=30)
        answer.raise_for_status()
        self.metadata = answer.json()
        if self.metadata["issuer"] != issuer:
            raise ValueError("the issuer in the metadata is not the one discovered")
        keys = requests.get(self.metadata["jwks_uri"], timeout=30)
        keys.raise_for_status()
        self.jwks = keys.json()
        return {"metadata": self.metadata, "jwks": self.jwks}

    def keygen(self, name):
        key = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": name})
        self.keys[name] = key
        return {"jwk": key.as_dict(is_private=False)}

    def client(self, name, client_id, redirect_uri, secret=None, auth="client_secret_basic"):
        if auth == "private_key_jwt":
            session = OAuth2Session(
                client_id,
                self.keys[name].as_pem(is_private=True),
                token_endpoint_auth_method="private_key_jwt",
                redirect_uri=redirect_uri,
                scope="openid email",
                code_challenge_method="S256",
            )
            session.register_client_auth_method(PrivateKeyJWT(self.metadata["token_endpoint"]))
        else:
            session = OAuth2Session(
                client_id,
                secret,
                token_endpoint_auth_method="client_secret_basic",
                redirect_uri=redirect_uri,
                scope="openid email",
                code_challenge_method="S256",
            )
        self.clients[name] = {"session": session, "client_id": client_id}
        return {"ok": True}

    def authorize(self, name, extra=None):
        client = self.clients[name]
        verifier = generate_token(64)
        nonce = generate_token(24)
        url, state = client["session"].create_authorization_url(
            self.metadata["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            **(extra or {}),
        )
        client.update(verifier=verifier, nonce=nonce, state=state, extra=extra or {})
        return {"url": url, "state": state, "nonce": nonce}

    def callback(self, name, url, now):
        client = self.clients[name]
        session = client["session"]
        token = session.fetch_token(
            self.metadata["token_endpoint"],
            authorization_response=url,
            state=client["state"],
            code_verifier=client["verifier"],
        )
        params = {"nonce": client["nonce"], "client_id": client["client_id"]}
        if "max_age" in client["extra"]:
            params["max_age"] = int(client["extra"]["max_age"])
        claims = jwt.decode(
            token["id_token"],
            JsonWebKey.import_key_set(self.jwks),
            claims_cls=CodeIDToken,
            claims_options={
                "iss": {"essential": True, "value": self.metadata["issuer"]},
                "acr": {"essential": True, "values": self.metadata["acr_values_supported"]},
                "auth_time": {"essential": True},
            },
            claims_params=params,
        )
        claims.validate(now=now, leeway=5)
        userinfo = session.get(self.metadata["userinfo_endpoint"], timeout=30)
        return {
            "claims": dict(claims),
            "header": dict(claims.header),
            "userinfo_status": userinfo.status_code,
            "userinfo": userinfo.json(),
            "id_token": token["id_token"],
            "access_token": token["access_token"],
        }

    def logout_token(self, name, token, now):
        """Validates a back-channel logout token as Back-Channel Logout 1.0 §2.6 asks."""
        client = self.clients[name]
        claims = jwt.decode(
            token,
            JsonWebKey.import_key_set(self.jwks),
            claims_options={
                "iss": {"essential": True, "value": self.metadata["issuer"]},
                "aud": {"essential": True, "value": client["client_id"]},
                "iat": {"essential": True},
                "exp": {"essential": True},
                "jti": {"essential": True},
                "events": {"essential": True},
            },
        )
        claims.validate(now=now, leeway=5)
        if claims.header.get("typ") != "logout+jwt":
            raise ValueError("typ is not logout+jwt")
        event = "http://schemas.openid.net/event/backchannel-logout"
        if claims["events"].get(event) != {}:
            raise ValueError("the back-channel logout event is missing")
        if "nonce" in claims:
            raise ValueError("a logout token carries no nonce")
        if "sid" not in claims and "sub" not in claims:
            raise ValueError("neither sid nor sub")
        if claims["exp"] - claims["iat"] > 120:
            raise ValueError("lives longer than two minutes")
        return {"claims": dict(claims), "header": dict(claims.header)}

    def logout(self, name, id_token, post_logout_redirect_uri, state):
        query = {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "state": state,
            "client_id": self.clients[name]["client_id"],
        }
        return {"url": self.metadata["end_session_endpoint"] + "?" + urlencode(query)}


def main():
    rp = RelyingParty()
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        op = command.pop("op")
        try:
            answer = getattr(rp, op)(**command)
        except Exception as err:  # every failure goes back to the test, which decides
            answer = {"error": f"{type(err).__name__}: {err}", "trace": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
