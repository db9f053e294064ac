package dev.conveyor.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Schedules in Redis, all under the hash tag {@code {schedules}} (one slot of a cluster, apart from the queues):
 * definitions, the sorted set of next ticks the firing loop reads, paused names, and each schedule's last run. Every
 * change is one script. Definitions are configuration: they stay until deleted.
 */
@Singleton
public class ScheduleStore {

    /** How a save ended. */
    public enum Saved {
        CREATED, REPLACED, NAME_TAKEN, FULL
    }

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;

    ScheduleStore(RedisCalls redis, KeySpace keys, Scripts scripts) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
    }

    /**
     * Writes a definition and its next tick (null: it never fires); {@code create} refuses an existing name. A paused
     * schedule stays paused. At most {@code maxCount} schedules.
     */
    public Uni<Saved> save(String name, String definition, Instant nextTick, boolean create, int maxCount) {
        return redis.script(scripts.scheduleSave, List.of(defs(), due(), paused()),
                List.of(name, definition, millis(nextTick), create ? "create" : "replace", Integer.toString(maxCount)))
                .map(answer -> switch (answer.toInteger()) {
                    case 1 -> Saved.CREATED;
                    case 2 -> Saved.REPLACED;
                    case -1 -> Saved.NAME_TAKEN;
                    default -> Saved.FULL;
                });
    }

    public Uni<Optional<StoredSchedule>> find(String name) {
        return redis.script(scripts.schedulesRead, readKeys(), List.of(name))
                .map(answer -> read(answer).stream().findFirst());
    }

    /** Every schedule, in no particular order. */
    public Uni<List<StoredSchedule>> all() {
        return redis.script(scripts.schedulesRead, readKeys(), List.of()).map(ScheduleStore::read);
    }

    /** Pauses, or resumes with this next tick (null: it never fires); false when there is no such schedule. */
    public Uni<Boolean> pause(String name, boolean pause, Instant nextTick) {
        return redis.script(scripts.schedulePause, List.of(defs(), due(), paused()),
                List.of(name, pause ? "1" : "0", millis(nextTick)))
                .map(answer -> answer.toInteger() == 1);
    }

    /** False when there was no such schedule. */
    public Uni<Boolean> delete(String name) {
        return redis.script(scripts.scheduleDelete, List.of(defs(), due(), paused(), runs(), jobs()), List.of(name))
                .map(answer -> answer.toInteger() == 1);
    }

    /** Up to {@code limit} schedules whose next tick is at or before {@code now}, and the next tick after it. */
    public Uni<DueSchedules> due(Instant now, int limit) {
        return redis.script(scripts.schedulesDue, List.of(defs(), due(), jobs()),
                List.of(Long.toString(now.toEpochMilli()), Integer.toString(limit)))
                .map(answer -> {
                    long next = answer.get(0).toLong();
                    List<DueSchedule> due = new ArrayList<>();
                    for (int i = 1; i + 3 < answer.size(); i += 4) {
                        String lastJob = answer.get(i + 3).toString();
                        due.add(new DueSchedule(answer.get(i).toString(),
                                Instant.ofEpochMilli((long) Double.parseDouble(answer.get(i + 1).toString())),
                                answer.get(i + 2).toString(), lastJob.isEmpty() ? null : lastJob));
                    }
                    return new DueSchedules(due, next < 0 ? null : Instant.ofEpochMilli(next));
                });
    }

    /**
     * Moves the schedule from {@code tick} to {@code nextTick} (null: it never fires again) and records the run, only
     * if its next tick is still {@code tick}: true when this call did it. {@code jobId} is null for a skipped tick.
     */
    public Uni<Boolean> advance(String name, Instant tick, Instant nextTick, String run, String jobId) {
        return redis.script(scripts.scheduleAdvance, List.of(due(), runs(), jobs()),
                List.of(name, millis(tick), millis(nextTick), run, jobId == null ? "" : jobId))
                .map(answer -> answer.toInteger() == 1);
    }

    private static List<StoredSchedule> read(Response answer) {
        List<StoredSchedule> schedules = new ArrayList<>();
        for (int i = 0; i + 5 < answer.size(); i += 6) {
            String next = answer.get(i + 2).toString();
            String run = answer.get(i + 4).toString();
            String job = answer.get(i + 5).toString();
            schedules.add(new StoredSchedule(answer.get(i).toString(), answer.get(i + 1).toString(),
                    next.isEmpty() ? null : Instant.ofEpochMilli((long) Double.parseDouble(next)),
                    answer.get(i + 3).toInteger() == 1, run.isEmpty() ? null : run, job.isEmpty() ? null : job));
        }
        return schedules;
    }

    private List<String> readKeys() {
        return List.of(defs(), due(), paused(), runs(), jobs());
    }

    private static String millis(Instant instant) {
        return instant == null ? "" : Long.toString(instant.toEpochMilli());
    }

    private String defs() {
        return keys.schedules("defs");
    }

    private String due() {
        return keys.schedules("due");
    }

    private String paused() {
        return keys.schedules("paused");
    }

    private String runs() {
        return keys.schedules("runs");
    }

    private String jobs() {
        return keys.schedules("jobs");
    }
}
