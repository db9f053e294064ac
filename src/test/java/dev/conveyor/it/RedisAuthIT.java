package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The packaged API and worker against a redis-server that demands a password (requirepass), as in Kubernetes: the
 * operator sets the password once, apart from the address (quarkus.redis.password, from a Secret), and both of the
 * application's Redis clients use it, the shared one and the worker's blocking one. Over TLS too: a redis-server
 * that serves TLS with a certificate the test makes, the application on rediss:// with that certificate as its trust
 * store and host names checked. With a wrong or missing password the application is not ready and its log says why,
 * without the password.
 */
class RedisAuthIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String QUEUE = "auth";

    @RegisterExtension
    final Processes processes = new Processes();

    private final String password = randomPassword();

    @Test
    void jobsRunEndToEndWithThePassword() throws Exception {
        RedisProcess redis = processes.startRedisWithPassword(password);

        runOneJobEndToEnd(redis);
    }

    @Test
    void jobsRunEndToEndOverTls() throws Exception {
        TestCertificate certificate = TestCertificate.create(processes.dir());
        RedisProcess redis = processes.startRedisWithTls(password, certificate);
        assertThat(redis.url()).startsWith("rediss://");

        runOneJobEndToEnd(redis);
    }

    @Test
    void overTlsTheAppRefusesAServerWhoseCertificateItDoesNotTrust() throws Exception {
        RedisProcess redis = processes.startRedisWithTls(password, TestCertificate.create(processes.dir()));
        // the application trusts another certificate only (as jobsRunEndToEndOverTls, but for the trust store)
        Path other = Files.createDirectories(processes.dir().resolve("other-ca"));
        AppProcess api = processes.startApi("api", redis, env("QUARKUS_TLS_REDIS_TRUST_STORE_PEM_CERTS",
                TestCertificate.create(other).certificate().toString()));

        // the Redis client reports no more than that the handshake failed
        Awaitility.await("api says in its readiness why Redis is unusable").atMost(START)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast(() -> !api.isAlive())
                .untilAsserted(() -> assertThat(redisCheckError(api)).contains("Failed to create SSL connection"));
        assertThat(api.readiness()).isEqualTo(503);
    }

    /** How an operator can get the password wrong. */
    enum WrongPassword {
        MISSING, WRONG, WRONG_IN_THE_URL
    }

    @ParameterizedTest
    @EnumSource(WrongPassword.class)
    void withoutTheRightPasswordTheAppIsNotReadyAndItsLogSaysWhyWithoutThePassword(WrongPassword how)
            throws Exception {
        RedisProcess redis = processes.startRedisWithPassword(password);
        String wrong = randomPassword();
        Map<String, String> settings = switch (how) {
            // an empty variable is an unset property: no password at all
            case MISSING -> env("QUARKUS_REDIS_PASSWORD", "");
            case WRONG -> env("QUARKUS_REDIS_PASSWORD", wrong);
            case WRONG_IN_THE_URL -> env("QUARKUS_REDIS_PASSWORD", "",
                    "QUARKUS_REDIS_HOSTS", redis.url().replace("//", "//:" + wrong + "@"),
                    "QUARKUS_REDIS_BLOCKING_HOSTS", redis.url().replace("//", "//:" + wrong + "@"));
        };
        String reason = how == WrongPassword.MISSING ? "NOAUTH" : "WRONGPASS";
        List<AppProcess> apps = List.of(processes.startApi("api", redis, settings),
                processes.startWorker("worker", redis, settings));

        for (AppProcess app : apps) {
            Awaitility.await(app.name() + " says in its readiness why Redis is unusable").atMost(START)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .failFast(() -> !app.isAlive())
                    .untilAsserted(() -> assertThat(redisCheckError(app)).contains(reason));
            assertThat(app.readiness()).as(app.name() + " readiness").isEqualTo(503);
            Awaitility.await(app.name() + " logs why").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(log(app)).contains(reason));
            assertThat(log(app)).as(app.name() + " log").doesNotContain(password, wrong);
            assertThat(readinessBody(app)).doesNotContain(password, wrong);
        }
    }

    /** An idle worker waits for work on its blocking client, so the job also shows that client authenticated. */
    private void runOneJobEndToEnd(RedisProcess redis) throws Exception {
        AppProcess api = processes.startApi("api", redis, Map.of());
        AppProcess worker = processes.startWorker("worker", redis, env("CONVEYOR_WORKER_QUEUES", QUEUE));
        api.awaitReady(START);
        worker.awaitReady(START);

        Processes.Answer created = Processes.post(api, "/jobs",
                "{\"type\":\"echo\",\"queue\":\"" + QUEUE + "\",\"payload\":{\"auth\":true}}", Duration.ofSeconds(10));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String id = created.body().path("id").asText();
        Awaitility.await("job " + id + " succeeded").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(Processes.get(api, "/jobs/" + id).body().path("status").asText())
                        .isEqualTo("succeeded"));

        for (AppProcess app : List.of(api, worker)) {
            // NOAUTH: a client that never authenticated (the worker's blocking wait and cancel subscription)
            assertThat(log(app)).as(app.name() + " log").doesNotContain("NOAUTH", "WRONGPASS", "Uncaught exception",
                    "Redis is unreachable", password);
        }
    }

    private static String redisCheckError(AppProcess app) throws IOException, InterruptedException {
        JsonNode health = Processes.JSON.readTree(readinessBody(app));
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("redis")) {
                return check.path("data").path("error").asText();
            }
        }
        return "";
    }

    private static String readinessBody(AppProcess app) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(app.management("/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return Processes.HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String log(AppProcess app) throws IOException {
        return Files.readString(app.log(), StandardCharsets.UTF_8);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
