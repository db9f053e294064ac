package dev.conveyor.http;

import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.WitnessServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * With the default configuration (no allowed networks), an {@code http} job cannot reach loopback, private,
 * link-local or otherwise special addresses: a literal one is refused at enqueue, a host name that resolves to one
 * fails the job at once, and the local server that stands for the target sees nothing. Refused jobs are scheduled
 * an hour ahead, so that nothing would be sent even if a check were missing.
 */
@QuarkusTest
class HttpDestinationTest {

    static WitnessServer target;

    @BeforeAll
    static void start() throws IOException {
        target = WitnessServer.start();
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/",
            "http://0177.0.0.1/", "http://127.0.0.1.:8080/", "http://[::ffff:127.0.0.1]/", "http://[::1]/",
            "http://[::]/", "http://0.0.0.0/", "http://0/", "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/", "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://[fc00::1]/",
            "http://[fd00::2]/", "http://100.64.0.1/", "http://224.0.0.1/", "http://255.255.255.255/",
            "http://240.0.0.1/", "http://192.0.2.1/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/",
            "http://[::ffff:a9fe:a9fe]/", "http://[2002:7f00:1::]/", "http://[2001:db8::1]/", "http://[ff02::1]/",
            "https://user:pw@10.1.2.3:8443/x?token=y" })
    void aLiteralBlockedAddressIsRefusedAtEnqueue(String url) {
        assertInvalid(post("/jobs", Map.of("type", "http", "queue", uniqueQueue("ssrf"), "delay", "PT1H",
                "payload", Map.of("method", "GET", "url", url))).then(), "payload.url");
    }

    @Test
    void aPublicLiteralAddressIsAccepted() {
        enqueue(Map.of("type", "http", "queue", uniqueQueue("ssrf"), "delay", "PT1H",
                "payload", Map.of("method", "GET", "url", "https://93.184.215.14/")));
    }

    @Test
    void aHostNameThatResolvesToLoopbackFailsAtOnceAndTheTargetSeesNothing() {
        String id = enqueue(Map.of("type", "http", "queue", uniqueQueue("ssrf"), "maxAttempts", 3,
                "payload", Map.of("method", "GET", "url", "http://user:pa55@localhost:" + target.port() + "/secret?token=t0k3n")));

        JsonPath job = awaitFinished(id, "failed", Jobs.FIRST_PICKUP);

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).contains("destination not allowed").contains("localhost")
                .doesNotContain("pa55").doesNotContain("t0k3n");
        assertThat(target.requests()).isZero();
        assertThat(target.connections()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Host", "content-length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade",
            "TE", "Trailer", "Proxy-Authorization", "Proxy-Connection" })
    void hopByHopAndFramingHeadersAreRefused(String name) {
        assertInvalid(post("/jobs", Map.of("type", "http", "queue", uniqueQueue("ssrf"), "delay", "PT1H",
                "payload", Map.of("method", "GET", "url", "https://example.com/",
                        "headers", Map.of(name, "x")))).then(), "payload.headers." + name);
    }

    @Test
    void aHeaderValueWithALineBreakIsRefused() {
        assertInvalid(post("/jobs", Map.of("type", "http", "queue", uniqueQueue("ssrf"), "delay", "PT1H",
                "payload", Map.of("method", "GET", "url", "https://example.com/",
                        "headers", Map.of("x-a", "b\r\nHost: evil")))).then(), "payload.headers.x-a");
    }
}
