"""Entry points (see pyproject.toml). Kept import-light: LocalStack imports this module while it
discovers plugins, and only calls ``load`` / the factory when the plugin is used."""

from localstack.runtime import hooks
from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin
from localstack.services.plugins import aws_provider


class HostRuntimeExecutorPlugin(RuntimeExecutorPlugin):
    name = "host"

    def load(self, *args, **kwargs):
        from dk_localstack_host.executor import HostRuntimeExecutor

        return HostRuntimeExecutor


@aws_provider(api="sesv2")
def sesv2():
    from localstack.services.plugins import Service

    from dk_localstack_host.sesv2 import SesV2Provider, dispatch_table

    return Service.for_provider(SesV2Provider(), dispatch_table_factory=dispatch_table)


@hooks.on_infra_shutdown(priority=-100)
def dk_exit_after_shutdown():
    """Makes SIGTERM reliably end LocalStack once its services have stopped.

    Runs last among the shutdown hooks (after every service has stopped) and starts a daemon
    watchdog that (1) keeps waking the hypercorn event loop, whose ``shutdown`` calls
    ``loop.stop()`` from another thread without waking it, and (2) ends the process after
    ``DK_LOCALSTACK_EXIT_GRACE_SECONDS`` (default 5) if it is still there: seen when a
    request that LocalStack makes to itself (e.g. a Lambda invocation metric for CloudWatch) is
    in flight at shutdown and its worker thread then blocks interpreter exit forever."""
    import os
    import sys
    import threading
    import time

    grace = float(os.environ.get("DK_LOCALSTACK_EXIT_GRACE_SECONDS", "5"))
    try:
        from localstack.runtime.current import get_current_runtime

        loop = get_current_runtime().components.runtime_server.loop
    except Exception:  # noqa: BLE001 - another server type, or no runtime
        loop = None

    def watchdog():
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if loop is not None and loop.is_running() and not loop.is_closed():
                try:
                    loop.call_soon_threadsafe(lambda: None)
                except RuntimeError:
                    pass
        sys.stderr.write(f"dk-localstack-host: still running {grace:.0f}s after shutdown; exiting\n")
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(0)

    threading.Thread(target=watchdog, name="dk-exit-after-shutdown", daemon=True).start()
