package dev.conveyor.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The queues' events streams in Redis: keeping one recorded while someone reads it, and reading what was recorded.
 * Following a stream as it grows is {@link EventTails}'.
 */
@Singleton
public class JobEvents {

    /** Events read from a stream; {@code gap} when the position read from is no longer in it (trimmed, or expired). */
    public record Page(boolean gap, List<QueueEvent> events) {
    }

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;

    JobEvents(RedisCalls redis, KeySpace keys, Scripts scripts) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
    }

    /**
     * Keeps the queue's events recorded for {@code ttl} (call again before it runs out), in a stream of about
     * {@code capacity} entries that lives {@code retention} after the last call. Answers the id of the stream's latest
     * entry: what comes after it is what happens from now on.
     */
    public Uni<String> listen(String queue, int capacity, Duration ttl, Duration retention) {
        QueueKeys k = keys.queue(queue);
        return redis.script(scripts.listen, List.of(k.eventsListening(), k.events()),
                List.of(Integer.toString(capacity), Long.toString(ttl.toMillis()), Long.toString(retention.toMillis())))
                .map(answer -> answer.toString());
    }

    /**
     * Up to {@code count} events after {@code from} and up to {@code until} (both stream entry ids), oldest first;
     * a gap when {@code from} itself is gone from the stream, so events right after it may be lost.
     */
    public Uni<Page> since(String queue, String from, String until, int count) {
        Request range = Request.cmd(Command.XRANGE).arg(keys.queue(queue).events()).arg(from).arg(until)
                .arg("COUNT").arg(count + 1);
        return redis.send(range).map(answer -> {
            List<QueueEvent> events = entries(queue, answer.getDelegate());
            boolean found = !events.isEmpty() && events.get(0).id().equals(from);
            return new Page(!found, found ? events.subList(1, events.size()) : events.subList(0,
                    Math.min(count, events.size())));
        });
    }

    /** A job as it is, and the latest entry of its queue's events stream at that instant (null when empty). */
    public record Snapshot(Job job, String position) {
    }

    /**
     * The job and its queue's stream position, read at one instant (a script): the events after the position are
     * exactly the changes the job's state does not show yet. A null job when it does not exist.
     */
    public Uni<Snapshot> snapshot(JobId id) {
        QueueKeys k = keys.queue(id.queue());
        return redis.script(scripts.snapshot, List.of(k.job(id.ulid()), k.events()), JobCodec.FIELDS).map(answer -> {
            Response latest = answer.get(1).getDelegate();
            return new Snapshot(JobCodec.decode(id, answer.get(0), 0),
                    latest == null || latest.size() == 0 ? null : latest.get(0).get(0).toString());
        });
    }

    /** A stream's entries (XRANGE's answer, or one stream's in XREAD's) as events of {@code queue}. */
    static List<QueueEvent> entries(String queue, Response entries) {
        List<QueueEvent> events = new ArrayList<>(entries == null ? 0 : entries.size());
        if (entries == null) {
            return events;
        }
        for (Response entry : entries) {
            String id = entry.get(0).toString();
            Response fields = entry.get(1);
            String ulid = null;
            String status = null;
            Integer attempt = null;
            String error = null;
            String progress = null;
            List<String> pairs = new ArrayList<>();
            if (fields.isArray()) {
                fields.forEach(field -> pairs.add(field.toString()));
            } else {
                fields.getKeys().forEach(name -> {
                    pairs.add(name);
                    pairs.add(fields.get(name).toString());
                });
            }
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                String value = pairs.get(i + 1);
                switch (pairs.get(i)) {
                    case "job" -> ulid = value;
                    case "status" -> status = value;
                    case "attempt" -> attempt = Integer.valueOf(value);
                    case "error" -> error = value;
                    case "progress" -> progress = value;
                    default -> {
                        // reset entries, and fields of later versions
                    }
                }
            }
            events.add(new QueueEvent(queue, id, ulid == null ? null : new JobId(queue, ulid), status, attempt, error,
                    progress));
        }
        return events;
    }
}
