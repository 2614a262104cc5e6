package io.skillquest.worker;

import io.skillquest.core.queue.AwardTask;
import io.skillquest.core.queue.MalformedTaskException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The BRPOP loop. Wakes on a task, drains up to a batch with RPOP, and processes each task in its own
 * transaction. A popped task that is lost (the process dies) is not lost for good: its attempt is
 * still 'submitted' in PostgreSQL and the recovery sweep finds it.
 */
final class QueueConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);

    private final Supplier<Jedis> connect;
    private final JedisPooled redis;
    private final String queue;
    private final int batchSize;
    private final int brpopTimeoutSeconds;
    private final Retrying retrying;
    private final DeadLetters deadLetters;
    private final BooleanSupplier running;
    private final ExecutorService parallel;
    private final OutageBackoff redisBackoff = new OutageBackoff("Redis (award queue)", log);
    private Jedis blocking;

    QueueConsumer(Supplier<Jedis> connect, JedisPooled redis, String queue, int batchSize, int brpopTimeoutSeconds,
                  Retrying retrying, DeadLetters deadLetters, BooleanSupplier running, ExecutorService parallel) {
        this.connect = connect;
        this.redis = redis;
        this.queue = queue;
        this.batchSize = batchSize;
        this.brpopTimeoutSeconds = brpopTimeoutSeconds;
        this.retrying = retrying;
        this.deadLetters = deadLetters;
        this.running = running;
        this.parallel = parallel;
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                List<String> batch;
                try {
                    batch = next();
                    redisBackoff.succeeded();
                } catch (JedisException e) {
                    disconnect();
                    redisBackoff.failed(e);
                    redisBackoff.pause(running);
                    continue;
                }
                // a batch in hand is finished even when stopping: its tasks are already off the queue
                process(batch);
            }
        } finally {
            disconnect();
        }
    }

    private List<String> next() {
        if (blocking == null) blocking = connect.get();
        List<String> popped = blocking.brpop(brpopTimeoutSeconds, queue);
        if (popped == null || popped.size() < 2) return List.of();
        var batch = new ArrayList<String>(batchSize);
        batch.add(popped.get(1));
        if (batchSize > 1) {
            List<String> more = redis.rpop(queue, batchSize - 1);
            if (more != null) batch.addAll(more);
        }
        return batch;
    }

    private void process(List<String> batch) {
        if (parallel == null || batch.size() == 1) {
            batch.forEach(this::handle);
            return;
        }
        var jobs = new ArrayList<Callable<Void>>(batch.size());
        for (String payload : batch) {
            jobs.add(() -> {
                handle(payload);
                return null;
            });
        }
        try {
            for (var done : parallel.invokeAll(jobs)) {
                try {
                    done.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    log.error("award task failed", e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void handle(String payload) {
        AwardTask task;
        try {
            task = AwardTask.parse(payload);
        } catch (MalformedTaskException e) {
            deadLetters.add(payload, DeadLetters.Reason.MALFORMED, e.getMessage());
            return;
        } catch (RuntimeException e) {
            deadLetters.add(payload, DeadLetters.Reason.MALFORMED, e.toString());
            return;
        }
        // stopping mid-outage is fine: the attempt stays 'submitted' and the sweep takes it later
        retrying.process(task.attemptId(), running).ifPresent(outcome -> {
            switch (outcome.result()) {
                case UNKNOWN_ATTEMPT -> deadLetters.add(payload, DeadLetters.Reason.UNKNOWN_ATTEMPT,
                        "no attempt " + task.attemptId());
                case NOT_SUBMITTED -> deadLetters.add(payload, DeadLetters.Reason.NOT_SUBMITTED,
                        "attempt " + task.attemptId() + " was never submitted");
                default -> {
                }
            }
        });
    }

    private void disconnect() {
        if (blocking != null) {
            try {
                blocking.close();
            } catch (RuntimeException ignored) {
                // the socket is already broken; nothing to release
            }
            blocking = null;
        }
    }
}
