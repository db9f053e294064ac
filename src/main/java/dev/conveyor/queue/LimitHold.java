package dev.conveyor.queue;

import java.time.Duration;

/**
 * How a queue's limits held back jobs waiting in it at a claim: {@code rateWait} is how long until its rate lets one
 * more through (null when the rate held none back), {@code slotsFull} says its concurrency limit had no free slot (a
 * slot frees when one of its running jobs ends, which wakes an idle worker).
 */
public record LimitHold(Duration rateWait, boolean slotsFull) {

    public static final LimitHold NONE = new LimitHold(null, false);

    public boolean any() {
        return rateWait != null || slotsFull;
    }
}
