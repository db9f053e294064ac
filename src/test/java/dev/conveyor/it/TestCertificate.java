package dev.conveyor.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and key for 127.0.0.1 (PEM files), made by the test with openssl: what a TLS redis-server
 * serves and what the application trusts. It names the IP address, so a client that checks host names accepts it.
 */
record TestCertificate(Path certificate, Path key) {

    static TestCertificate create(Path dir) throws IOException, InterruptedException {
        if (!Manifests.onPath("openssl")) {
            throw new IllegalStateException("openssl is not on PATH: the TLS process tests make their certificates");
        }
        TestCertificate made = new TestCertificate(dir.resolve("redis.crt"), dir.resolve("redis.key"));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", made.key().toString(), "-out", made.certificate().toString())
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make a certificate: " + output);
        }
        return made;
    }
}
