package dev.conveyor.it;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Bounded waits for the process tests that report their figures even when a wait times out. */
final class Waiting {

    private Waiting() {
    }

    /** Waits until the condition holds; false when it did not within {@code max} (its failures still fail). */
    static boolean awaitQuietly(Duration max, Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(max).pollInterval(Duration.ofMillis(250)).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
