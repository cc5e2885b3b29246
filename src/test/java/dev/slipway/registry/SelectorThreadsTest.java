package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectorThreadsTest {
    @Test
    void stopsTheSelectorThreadOfARecordedClient() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String id = client.toString().replaceAll(".*\\((\\d+)\\)$", "$1");
        String name = "HttpClient-" + id + "-SelectorManager";
        Thread selector = thread(name).orElseThrow();
        assertThat(selector.isAlive()).isTrue();

        SelectorThreads.stopAtExit(client);
        assertThat(SelectorThreads.stopAll()).isGreaterThanOrEqualTo(1);

        assertThat(selector.isAlive()).isFalse();
        assertThat(thread(name)).isEmpty();
    }

    @Test
    void leavesTheThreadsOfOtherClientsAlone() {
        HttpClient other = HttpClient.newHttpClient();
        String id = other.toString().replaceAll(".*\\((\\d+)\\)$", "$1");
        Thread selector = thread("HttpClient-" + id + "-SelectorManager").orElseThrow();

        SelectorThreads.stopAll();

        assertThat(selector.isAlive()).isTrue();
        java.lang.ref.Reference.reachabilityFence(other);
    }

    private static Optional<Thread> thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .filter(Thread::isAlive).findFirst();
    }
}
