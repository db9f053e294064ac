package dev.conveyor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Logs what {@link OpenApiValidationFilter} checked once all tests ran, and writes it to
 * {@code target/openapi-validation.txt}, or {@code -cluster.txt} on a Redis Cluster (a service of META-INF/services).
 */
public class ValidationSummary implements TestExecutionListener {

    private static final Logger LOG = Logger.getLogger(ValidationSummary.class);
    /** A run on a Redis Cluster (the second surefire run of verify) keeps the single-node run's file. */
    private static final String FILE = "cluster".equals(System.getProperty(RedisTestResource.TOPOLOGY))
            ? "openapi-validation-cluster.txt" : "openapi-validation.txt";

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String summary = ValidationCounts.summary();
        LOG.info(summary);
        try {
            Files.writeString(Path.of("target", FILE), summary + "\n");
        } catch (IOException e) {
            LOG.warn("cannot write target/" + FILE, e);
        }
    }
}
