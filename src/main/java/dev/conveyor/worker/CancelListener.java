package dev.conveyor.worker;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.conveyor.job.JobId;
import dev.conveyor.queue.JobStore;
import dev.conveyor.role.WorkerRole;
import io.quarkus.redis.client.RedisClientName;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Hears cancellation requests for running jobs (Redis pub/sub, on its own connection of the blocking client) and
 * stops the job if it runs here. The lease extension also reports requested cancellations, so a message missed
 * while disconnected only delays the cancellation.
 */
@ApplicationScoped
@WorkerRole
class CancelListener {

    private static final Logger LOG = Logger.getLogger(CancelListener.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final Redis blockingClient;
    private final JobStore store;
    private final RunningJobs running;
    private final Vertx vertx;
    private volatile RedisConnection connection;
    private volatile boolean stopped;

    CancelListener(@RedisClientName("blocking") Redis blockingClient, JobStore store, RunningJobs running, Vertx vertx) {
        this.blockingClient = blockingClient;
        this.store = store;
        this.running = running;
        this.vertx = vertx;
    }

    void start() {
        if (stopped) {
            return;
        }
        blockingClient.connect()
                .chain(c -> {
                    connection = c;
                    c.handler(this::onMessage);
                    c.exceptionHandler(failure -> reconnect());
                    c.endHandler(this::reconnect);
                    return c.send(Request.cmd(Command.SUBSCRIBE).arg(store.cancelChannel()));
                })
                .subscribe().with(ok -> { }, failure -> reconnect());
    }

    private void reconnect() {
        close();
        if (!stopped) {
            vertx.setTimer(RECONNECT_DELAY.toMillis(), id -> start());
        }
    }

    private void onMessage(Response message) {
        // a pub/sub message is ["message", channel, payload]
        if (message.size() == 3 && "message".equals(message.get(0).toString())) {
            JobId.parse(message.get(2).toString()).map(running::get).ifPresent(job -> {
                LOG.infof("job %s: cancellation requested; stopping it", job.job().id());
                job.stop(RunningJob.StopReason.CANCELLED);
            });
        }
    }

    void stop() {
        stopped = true;
        close();
    }

    private void close() {
        RedisConnection c = connection;
        connection = null;
        if (c != null) {
            c.close().subscribe().with(ok -> { }, failure -> { });
        }
    }
}
