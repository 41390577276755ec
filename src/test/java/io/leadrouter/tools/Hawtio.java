package io.leadrouter.tools;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;

/**
 * Starts the Hawtio console (its war, in a Jetty of its own) on 127.0.0.1, for connecting to a
 * running router's Jolokia (README, "Monitoring"):
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.leadrouter.tools.Hawtio</pre>
 * then open {@code http://127.0.0.1:8090/hawtio/connect}. Options: {@code -Dhawtio.port=8090}.
 * The console itself has no login (it listens on this machine only); the router's Jolokia asks for
 * an operate key, given in the connection's password field.
 */
public final class Hawtio {

    private Hawtio() {
    }

    public static void main(String[] args) throws Exception {
        Server server = start(Integer.getInteger("hawtio.port", 8090));
        System.out.println("Hawtio at http://127.0.0.1:" + port(server) + "/hawtio/connect (Ctrl-C stops it)");
        server.join();
    }

    /** Starts Hawtio on 127.0.0.1 at this port (0 for any free one). */
    public static Server start(int port) throws Exception {
        Path war = Path.of("target", "hawtio", "hawtio.war");
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war.toAbsolutePath() + " is missing: run mvn test-compile first (it copies the Hawtio war there)");
        }
        // a console on this machine only: no login of its own; its proxy may reach this machine's management server only
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1");
        System.setProperty("hawtio.localAddressProbing", "false");
        Server server = new Server(new InetSocketAddress("127.0.0.1", port));
        WebAppContext console = new WebAppContext();
        console.setContextPath("/hawtio");
        console.setWar(war.toAbsolutePath().toString());
        server.setHandler(console);
        server.start();
        return server;
    }

    public static int port(Server server) {
        return ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
