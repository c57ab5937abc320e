package dev.userapi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.local.dynamodb.DynamoDbLocal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A port the stack picked can be taken by another socket between the check and the service's bind (CI saw DynamoDB
 * Local fail "Failed to bind" on such a port): {@link Ports#startOn} then tries a fresh one, and only then.
 */
class PortsTest {
    @Test
    void aPickedPortTakenBeforeTheBind_isReplacedByAFreshOne() {
        List<Integer> tried = new ArrayList<>();
        int started = Ports.startOn(0, "the service", "pass --port", port -> {
            tried.add(port);
            if (tried.size() < 3) {
                throw StartupException.portTaken("taken: " + port, null);
            }
            return port;
        });
        assertThat(tried).hasSize(3);
        assertThat(started).isEqualTo(tried.get(2));
    }

    @Test
    void anExplicitPort_isNeverChanged() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress("127.0.0.1", 0));
            List<Integer> tried = new ArrayList<>();
            assertThatThrownBy(() -> Ports.startOn(held.getLocalPort(), "the service", "pass --port <free port>", port -> {
                tried.add(port);
                return port;
            })).isInstanceOf(StartupException.class).hasMessageContaining("pass --port <free port>");
            assertThat(tried).isEmpty();

            int free = Ports.free();
            assertThatThrownBy(() -> Ports.startOn(free, "the service", "pass --port", port -> {
                tried.add(port);
                throw StartupException.portTaken("taken: " + port, null);
            })).isInstanceOf(StartupException.class).hasMessage("taken: " + free);
            assertThat(tried).containsExactly(free);
        }
    }

    @Test
    void anyOtherFailure_isNotRetried() {
        List<Integer> tried = new ArrayList<>();
        assertThatThrownBy(() -> Ports.startOn(0, "the service", "pass --port", port -> {
            tried.add(port);
            throw new StartupException("broken");
        })).hasMessage("broken");
        assertThat(tried).hasSize(1);
    }

    @Test
    void aPortTakenEveryTime_failsAfterTheLastAttempt() {
        List<Integer> tried = new ArrayList<>();
        assertThatThrownBy(() -> Ports.startOn(0, "the service", "pass --port", port -> {
            tried.add(port);
            throw StartupException.portTaken("taken: " + port, null);
        })).isInstanceOf(StartupException.class).matches(e -> ((StartupException) e).portTaken());
        assertThat(tried).hasSize(Ports.ATTEMPTS);
    }

    @Test
    void dynamoDbLocalOnATakenPort_saysThePortWasTaken() throws Exception {
        ProjectLayout layout = new ProjectLayout(ProjectLayout.findRoot());
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress("0.0.0.0", 0));
            assertThatThrownBy(() -> DynamoDbLocal.start(held.getLocalPort(), Optional.empty(), layout.nativeLibraries()).close())
                    .isInstanceOf(StartupException.class).matches(e -> ((StartupException) e).portTaken(), "port taken");
        }
    }
}
