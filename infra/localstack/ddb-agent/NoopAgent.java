// Stand-in for LocalStack's DynamoDB Local "loader" Java agent, which LocalStack always passes with
// -javaagent but downloads from a host this project cannot reach. Its only job upstream is to lift
// DynamoDB Local's limit of 20 global secondary indexes per table; this one does nothing, so that
// limit stays. setup.sh compiles it into <var_libs>/dynamodb-local/2/ddb-local-loader-0.1.jar.
package dk.localstack;

import java.lang.instrument.Instrumentation;

public final class NoopAgent {
    private NoopAgent() {}

    public static void premain(String args, Instrumentation instrumentation) {}
}
