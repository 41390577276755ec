package io.leadrouter.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue emptied by its own threads in batches: each thread takes whatever is waiting (up to
 * {@code maxBatch} items) and hands it to the batch writer, so that under load many items share
 * one database round trip. On stop, what is still queued is written before the threads end.
 *
 * <p>A queue built with a lane key gives each thread a lane of its own and puts every item in the
 * lane of its key's hash: items of one key are then written by one thread, in the order they were
 * put, never by two batches at the same time.
 *
 * <p>Its threads are as many as the pool size of its thread pool profile (application.properties).
 * The queue is a service of the context from the moment it is made: the context starts it, and
 * stops it before whatever was added to the context earlier.
 */
public final class BatchingQueue<T> extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingQueue.class);

    private final CamelContext context;
    private final ThreadPoolProfile profile;
    private final int maxBatch;
    private final List<BlockingQueue<T>> lanes = new ArrayList<>();
    private final Function<T, Object> laneKey;
    private final Consumer<List<T>> batchWriter;
    private ExecutorService workers;
    private volatile boolean running;

    private BatchingQueue(CamelContext context, String profileId, int maxBatch, int capacity, Function<T, Object> laneKey,
            Consumer<List<T>> batchWriter) {
        this.context = context;
        this.profile = ThreadPoolProfiles.declared(context, profileId).clone();
        // one drain loop per thread, for the queue's life: the pool is exactly pool-size threads
        this.profile.setMaxPoolSize(profile.getPoolSize());
        this.maxBatch = maxBatch;
        this.laneKey = laneKey;
        this.batchWriter = batchWriter;
        int laneCount = laneKey == null ? 1 : profile.getPoolSize();
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new LinkedBlockingQueue<>(Math.max(1, capacity / laneCount)));
        }
    }

    /**
     * A queue whose threads all take from one shared queue, added to the context.
     *
     * @param profileId   the thread pool profile that sizes its threads (and names them)
     * @param batchWriter writes one batch; it must not throw (a failure is the writer's to report)
     */
    public static <T> BatchingQueue<T> addedTo(CamelContext context, String profileId, int maxBatch, int capacity,
            Consumer<List<T>> batchWriter) {
        return addedTo(context, profileId, maxBatch, capacity, null, batchWriter);
    }

    /**
     * A queue with one lane per thread, added to the context; an item goes to the lane of
     * {@code laneKey}'s hash.
     *
     * @param capacity the room of all lanes together
     */
    public static <T> BatchingQueue<T> addedTo(CamelContext context, String profileId, int maxBatch, int capacity,
            Function<T, Object> laneKey, Consumer<List<T>> batchWriter) {
        BatchingQueue<T> queue = new BatchingQueue<>(context, profileId, maxBatch, capacity, laneKey, batchWriter);
        try {
            context.addService(queue, true, true);
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
        return queue;
    }

    /** Adds an item, waiting for room when the queue (or the item's lane) is full. */
    public void put(T item) throws InterruptedException {
        lanes.get(laneKey == null ? 0 : Math.floorMod(laneKey.apply(item).hashCode(), lanes.size())).put(item);
    }

    @Override
    protected void doStart() {
        running = true;
        workers = context.getExecutorServiceManager().newThreadPool(this, profile.getId(), profile);
        for (int i = 0; i < profile.getPoolSize(); i++) {
            BlockingQueue<T> lane = lanes.get(i % lanes.size());
            workers.execute(() -> drain(lane));
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        // shutdown, not shutdownNow: the workers end by themselves once their lanes are empty
        context.getExecutorServiceManager().shutdown(workers);
        context.getExecutorServiceManager().awaitTermination(workers, TimeUnit.SECONDS.toMillis(10));
    }

    /**
     * A worker ends only when the queue is stopped and its lane is empty: whatever else happens
     * (a batch writer that throws after all, a stray interrupt), the items behind would otherwise
     * wait for ever for a writer that is gone.
     */
    private void drain(BlockingQueue<T> queue) {
        List<T> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                T first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                batchWriter.accept(batch);
            } catch (InterruptedException e) {
                LOG.warn("{}: interrupted while running; goes on", Thread.currentThread().getName());
            } catch (RuntimeException | Error e) {
                LOG.error("{}: a batch of {} failed in its writer; goes on with the next", Thread.currentThread().getName(),
                        batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }
}
