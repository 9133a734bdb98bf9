"""moto's server, handling one request at a time: DynamoDB's conditional writes are atomic, moto's
are not when two of its threads race (and its state dump can fail mid-write), so the suite's
concurrency tests need requests served in turn. Same arguments as `moto_server`."""

import threading

import moto.server as server
from werkzeug import serving

_lock = threading.Lock()
_run_simple = serving.run_simple


def _one_at_a_time(app):
    def serve(environ, start_response):
        with _lock:
            return list(app(environ, start_response))

    return serve


def run_simple(host, port, app, **kwargs):
    return _run_simple(host, port, _one_at_a_time(app), **kwargs)


server.run_simple = run_simple

if __name__ == "__main__":
    server.main()
