package dev.conveyor.handler.builtin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import dev.conveyor.handler.CrossFieldCheck;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** {@code primes}: how many primes lie in [lowest, highest] and the first of them, by a segmented sieve. CPU work, so it runs off the event loop. */
@Singleton
public class PrimesHandler implements JobHandler<PrimesHandler.Payload, PrimesHandler.Result> {

    static final long MAX_VALUE = 1_000_000_000_000L;
    static final long MAX_RANGE = 1_000_000L;
    /** Most primes one answer lists (about 14 KB of JSON); the count covers them all. */
    static final int MAX_LISTED = 1000;

    @RegisterForReflection
    public record Payload(@NotNull @Min(0) @Max(MAX_VALUE) Long lowest, @NotNull @Min(0) @Max(MAX_VALUE) Long highest)
            implements CrossFieldCheck {

        @Override
        public List<PayloadReader.Violation> crossFieldViolations() {
            if (highest < lowest || highest - lowest > MAX_RANGE) {
                return List.of(new PayloadReader.Violation("highest",
                        "must be >= lowest and at most " + MAX_RANGE + " above it"));
            }
            return List.of();
        }
    }

    /** {@code count} primes in the range; {@code primes} lists the first of them, {@code truncated} when not all. */
    @RegisterForReflection
    public record Result(int count, List<Long> primes, boolean truncated) {
    }

    @Override
    public String type() {
        return "primes";
    }

    @Override
    public Class<Payload> payloadType() {
        return Payload.class;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        return Uni.createFrom().item(() -> {
            List<Long> primes = primesBetween(payload.lowest(), payload.highest());
            boolean truncated = primes.size() > MAX_LISTED;
            return new Result(primes.size(), truncated ? List.copyOf(primes.subList(0, MAX_LISTED)) : primes, truncated);
        });
    }

    static List<Long> primesBetween(long lowest, long highest) {
        long from = Math.max(2, lowest);
        List<Long> primes = new ArrayList<>();
        if (highest < from) {
            return primes;
        }
        int root = (int) Math.sqrt((double) highest) + 1;
        BitSet smallComposite = new BitSet(root + 1);
        BitSet composite = new BitSet((int) (highest - from + 1));
        for (int p = 2; p <= root; p++) {
            if (smallComposite.get(p)) {
                continue;
            }
            for (long m = (long) p * p; m <= root; m += p) {
                smallComposite.set((int) m);
            }
            long first = Math.max((long) p * p, (from + p - 1) / p * p);
            for (long m = first; m <= highest; m += p) {
                composite.set((int) (m - from));
            }
        }
        for (long n = from; n <= highest; n++) {
            if (!composite.get((int) (n - from))) {
                primes.add(n);
            }
        }
        return primes;
    }

    @Override
    public String examplePayload() {
        return "{\"lowest\": 1, \"highest\": 100}";
    }

    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false, "required": ["lowest", "highest"],
                 "description": "highest at least lowest and at most %2$d above it.", "properties": {
                  "lowest": {"type": "integer", "format": "int64", "minimum": 0, "maximum": %1$d},
                  "highest": {"type": "integer", "format": "int64", "minimum": 0, "maximum": %1$d}}}
                """.formatted(MAX_VALUE, MAX_RANGE);
    }

    @Override
    public String resultSchema() {
        return """
                {"type": "object", "required": ["count", "primes", "truncated"], "properties": {
                  "count": {"type": "integer", "format": "int32", "description": "Primes in the range."},
                  "primes": {"type": "array", "maxItems": %d, "items": {"type": "integer", "format": "int64"},
                             "description": "The first of them, in increasing order."},
                  "truncated": {"type": "boolean", "description": "true when primes does not list them all."}}}
                """.formatted(MAX_LISTED);
    }
}
