package dev.conveyor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Logs what {@link OpenApiValidationFilter} checked once all tests ran, and writes it to
 * {@code target/openapi-validation.txt} (a service of META-INF/services).
 */
public class ValidationSummary implements TestExecutionListener {

    private static final Logger LOG = Logger.getLogger(ValidationSummary.class);

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String summary = ValidationCounts.summary();
        LOG.info(summary);
        try {
            Files.writeString(Path.of("target", "openapi-validation.txt"), summary + "\n");
        } catch (IOException e) {
            LOG.warn("cannot write target/openapi-validation.txt", e);
        }
    }
}
