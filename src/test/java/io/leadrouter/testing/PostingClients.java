package io.leadrouter.testing;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Clients posting leads to a router one after another, as fast as it answers, until stopped: load. */
public final class PostingClients implements AutoCloseable {

    private final ExecutorService threads;
    private final AtomicBoolean posting = new AtomicBoolean(true);
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();

    private PostingClients(RouterUnderTest router, int clients, String lead) {
        threads = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            threads.submit(() -> {
                while (posting.get()) {
                    try {
                        HttpResponse<String> response = router.post("/leads", "application/json", lead);
                        if (response.statusCode() == 202) {
                            accepted.add(RouterUnderTest.read(response.body()).path("lead_id").asText());
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        refused.incrementAndGet();
                    }
                }
            });
        }
    }

    public static PostingClients start(RouterUnderTest router, int clients, String lead) {
        return new PostingClients(router, clients, lead);
    }

    /** The ids of the leads answered 202 so far. */
    public Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** How many posts were not answered 202 (503 in an outage). */
    public int refused() {
        return refused.get();
    }

    /** Stops posting and waits for the posts under way to be answered. */
    @Override
    public void close() {
        posting.set(false);
        threads.shutdown();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
