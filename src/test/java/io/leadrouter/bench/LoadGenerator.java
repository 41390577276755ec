package io.leadrouter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends the load of a scenario: HTTP requests in a closed loop, or records to a Kafka topic. */
final class LoadGenerator {

    /**
     * What was sent and what came back.
     *
     * @param startNanos  {@link System#nanoTime()} just before the first request
     * @param endNanos    just after the last answer (or broker acknowledgement)
     * @param latencyMs   per accepted request, client-side (empty for Kafka)
     */
    record Result(int requested, int accepted, Map<String, Integer> failures, long startNanos, long endNanos,
            double[] latencyMs) {

        int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private LoadGenerator() {
    }

    /** Holds request i back until its slot of an even pace; a pace, not a wait for other work. */
    private static void paceUntil(long startNanos, int i, double ratePerSecond) {
        if (ratePerSecond <= 0) {
            return;
        }
        long slot = startNanos + (long) (i * 1e9 / ratePerSecond);
        for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    /**
     * POSTs {@code count} requests with at most {@code concurrency} requests in flight (each worker
     * sends its next request when the previous one is answered), over HTTP/1.1 keep-alive connections.
     * With {@code ratePerSecond} > 0, request i is not sent before {@code start + i / rate} (an
     * open-loop pace, as long as the workers keep up); with 0, as fast as answers come (closed loop).
     */
    static Result post(String url, String contentType, String body, Map<String, String> headers, int expectedStatus,
            int count, int concurrency, double ratePerSecond, Duration atMost) throws InterruptedException {
        HttpRequest request = request(url, contentType, body, headers);
        return post(i -> request, expectedStatus, count, concurrency, ratePerSecond, atMost);
    }

    /**
     * {@link #post(String, String, String, Map, int, int, int, double, Duration)} with a body of its own
     * per request ({@code bodies.apply(i)} for request i), all made before the first request is sent, so
     * that the load costs the client what one body for all does.
     */
    static Result post(String url, String contentType, IntFunction<String> bodies, Map<String, String> headers,
            int expectedStatus, int count, int concurrency, double ratePerSecond, Duration atMost) throws InterruptedException {
        HttpRequest[] requests = new HttpRequest[count];
        for (int i = 0; i < count; i++) {
            requests[i] = request(url, contentType, bodies.apply(i), headers);
        }
        return post(i -> requests[i], expectedStatus, count, concurrency, ratePerSecond, atMost);
    }

    private static HttpRequest request(String url, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder template = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(template::header);
        return template.build();
    }

    private static Result post(IntFunction<HttpRequest> requests, int expectedStatus, int count, int concurrency,
            double ratePerSecond, Duration atMost) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        double[] latencies = new double[count];
        Arrays.fill(latencies, Double.NaN);
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1]; // written before the workers are let go
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        for (int w = 0; w < concurrency; w++) {
            workers.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = next.getAndIncrement(); i < count && !Thread.currentThread().isInterrupted(); i = next.getAndIncrement()) {
                    paceUntil(start[0], i, ratePerSecond);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(requests.apply(i), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == expectedStatus) {
                            latencies[i] = (System.nanoTime() - sent) / 1e6;
                            accepted.incrementAndGet();
                        } else {
                            failures.merge("HTTP " + response.statusCode(), 1, Integer::sum);
                        }
                    } catch (IOException e) {
                        failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        start[0] = System.nanoTime();
        go.countDown();
        workers.shutdown();
        if (!workers.awaitTermination(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
            failures.merge("not sent within " + atMost.toSeconds() + " s", Math.max(0, count - next.get()), Integer::sum);
            workers.awaitTermination(30, TimeUnit.SECONDS);
        }
        long end = System.nanoTime();
        double[] answered = Arrays.stream(latencies).filter(l -> !Double.isNaN(l)).toArray();
        return new Result(count, accepted.get(), Map.copyOf(failures), start[0], end, answered);
    }

    /**
     * Produces {@code count} records (no key) with a plain producer, paced as {@link #post} when
     * {@code ratePerSecond} > 0, and waits for the broker's acknowledgements.
     */
    static Result produce(String bootstrapServers, String topic, String value, int count, double ratePerSecond, Duration atMost) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, atMost.toMillis()));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        AtomicInteger acknowledged = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        long start;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                paceUntil(start, i, ratePerSecond);
                producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failures.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                    }
                });
            }
            producer.flush(); // bounded by delivery.timeout.ms
        }
        long end = System.nanoTime();
        return new Result(count, acknowledged.get(), Map.copyOf(failures), start, end, new double[0]);
    }
}
