package io.leadrouter.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A queue emptied by its own threads in batches: each thread takes whatever is waiting (up to
 * {@code maxBatch} items) and hands it to the batch writer, so that under load many items share
 * one database round trip. On stop, what is still queued is written before the threads end.
 */
public final class BatchingQueue<T> extends ServiceSupport {

    private final String name;
    private final int threads;
    private final int maxBatch;
    private final BlockingQueue<T> queue;
    private final Consumer<List<T>> batchWriter;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    /** @param batchWriter writes one batch; it must not throw (a failure is the writer's to report) */
    public BatchingQueue(String name, int threads, int maxBatch, int capacity, Consumer<List<T>> batchWriter) {
        this.name = name;
        this.threads = threads;
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.batchWriter = batchWriter;
    }

    /** Adds an item, waiting for room when the queue is full. */
    public void put(T item) throws InterruptedException {
        queue.put(item);
    }

    @Override
    protected void doStart() {
        running = true;
        for (int i = 1; i <= threads; i++) {
            Thread worker = new Thread(this::drain, name + "-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
        workers.clear();
    }

    private void drain() {
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
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }
}
