package io.leadrouter.buyers;

import com.sun.net.httpserver.HttpExchange;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A ping/post buyer's system: {@code /ping} answers a bid, {@code /post} takes the lead; both answers can change. */
final class PingPostBuyer implements Reply {

    private volatile Reply ping;
    private volatile Reply post;

    PingPostBuyer(Reply ping, Reply post) {
        this.ping = ping;
        this.post = post;
    }

    static Reply bid(String amount) {
        return Reply.json(200, "{\"bid\":" + amount + "}");
    }

    void answer(Reply newPing, Reply newPost) {
        this.ping = newPing;
        this.post = newPost;
    }

    @Override
    public void send(HttpExchange exchange, CountDownLatch closing) throws IOException {
        (exchange.getRequestURI().getPath().endsWith("/ping") ? ping : post).send(exchange, closing);
    }

    static List<StubBuyer.ReceivedRequest> to(StubBuyer stub, String path) {
        return stub.requests().stream().filter(r -> r.path().endsWith(path)).toList();
    }
}
