package dev.conveyor.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The email tests' SMTP server ({@link SmtpTestServer}) and a mounted templates directory: the mailer's mock is turned
 * off and the mailer pointed at the server; the server is handed to the test's {@code SmtpTestServer} field.
 */
public class SmtpServerResource implements QuarkusTestResourceLifecycleManager {

    private SmtpTestServer server;

    @Override
    public Map<String, String> start() {
        server = SmtpTestServer.start(Optional.empty());
        return Map.of("quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(server.port()),
                "quarkus.mailer.start-tls", "DISABLED",
                "conveyor.email.templates-dir", mountedTemplates().toString());
    }

    /** What a ConfigMap would hold: a receipt (text only) and a template that cannot render (a missing value). */
    static Path mountedTemplates() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-email-templates"));
            Files.writeString(dir.resolve("receipt.txt"), "Order {order.id}: {order.total} EUR, {order.items.size} items.\n");
            Files.writeString(dir.resolve("broken.txt"), "Hello {nameThatNobodyGives}\n");
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.MatchesType(SmtpTestServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
