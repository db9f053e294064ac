package dev.conveyor.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.conveyor.job.QueueName;

/**
 * Queues with weights, parsed from {@code critical:3,default:1}. Each claim round visits them in a random order in
 * which a queue comes first with a probability proportional to its weight (as Asynq does), so a busy heavy queue
 * cannot starve a light one.
 */
record WeightedQueues(Map<String, Integer> weights) {

    /** Keeps the sum of weights far from overflowing. */
    static final int MAX_WEIGHT = 1000;

    static WeightedQueues parse(String spec) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String name = colon < 0 ? item : item.substring(0, colon).trim();
            int weight = 1;
            if (colon >= 0) {
                try {
                    weight = Integer.parseInt(item.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    weight = 0;
                }
            }
            if (!QueueName.isValid(name) || weight < 1 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException("conveyor.worker.queues: '" + item
                        + "' is not <queue>[:<weight>] with a queue name matching " + QueueName.RULE
                        + " and a weight from 1 to " + MAX_WEIGHT);
            }
            weights.put(name, weight);
        }
        // in the configured order, which the worker registry shows
        return new WeightedQueues(Collections.unmodifiableMap(weights));
    }

    static WeightedQueues equal(List<String> queues) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        queues.forEach(queue -> weights.put(queue, 1));
        return new WeightedQueues(Collections.unmodifiableMap(weights));
    }

    List<String> names() {
        return List.copyOf(weights.keySet());
    }

    /**
     * A weighted random order, as if each next queue were drawn from the remaining ones with probability weight /
     * total: each queue gets an exponential random key of rate {@code weight}, and the smallest key comes first
     * (Efraimidis and Spirakis). Sorting makes it O(n log n), so a worker serving many idle queues stays cheap.
     */
    List<String> drawOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Map.Entry<String, Double>> keyed = new ArrayList<>(weights.size());
        weights.forEach((queue, weight) -> keyed.add(Map.entry(queue, -Math.log(1.0 - random.nextDouble()) / weight)));
        keyed.sort(Map.Entry.comparingByValue());
        List<String> order = new ArrayList<>(keyed.size());
        keyed.forEach(entry -> order.add(entry.getKey()));
        return order;
    }
}
