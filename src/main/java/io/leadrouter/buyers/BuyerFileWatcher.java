package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import io.leadrouter.support.AddressPolicy;
import io.leadrouter.support.WebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the buyers folder (called by the {@code buyer-files} timer route) and applies what
 * changed, one file at a time: a new or changed valid file installs or updates its buyer, a
 * removed file removes its buyer, and a broken file is reported with its problems while the
 * buyer it last described (if any) and every other buyer keep working.
 */
public final class BuyerFileWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(BuyerFileWatcher.class);

    /** What the watcher knows of one file: its content hash, the buyer it declares, or its problem. */
    public record FileState(String hash, String buyerId, String problem) {
    }

    private final Path directory;
    private final BuyerFileParser parser;
    private final BuyerCatalog catalog;
    private final BuyerRouteInstaller routes;
    private final SecretResolver secrets;
    private final Map<Path, FileState> files = new HashMap<>();
    /** The route file each buyer file with integration: route names: its content is part of the buyer file's hash. */
    private final Map<Path, Path> routeFiles = new HashMap<>();
    private final BuyerRouteFileReader routeFileReader;
    private final BuyerRouteFileInstaller routeFileRoutes;

    private final AddressPolicy addresses;
    private final BuyerFileChanges changes;

    /**
     * @param addresses which addresses inside this network buyer URLs may reach
     * @param changes   told of every file that took effect (the audit log)
     */
    public BuyerFileWatcher(Path directory, BuyerFileParser parser, BuyerCatalog catalog, BuyerRouteInstaller routes,
            SecretResolver secrets, AddressPolicy addresses, BuyerFileChanges changes) {
        this(directory, parser, catalog, routes, secrets, addresses, changes, null, null);
    }

    /** @param routeFileReader and {@code routeFileRoutes}: for buyers whose own route file calls them ({@code integration: route}) */
    public BuyerFileWatcher(Path directory, BuyerFileParser parser, BuyerCatalog catalog, BuyerRouteInstaller routes,
            SecretResolver secrets, AddressPolicy addresses, BuyerFileChanges changes, BuyerRouteFileReader routeFileReader,
            BuyerRouteFileInstaller routeFileRoutes) {
        this.routeFileReader = routeFileReader;
        this.routeFileRoutes = routeFileRoutes;
        this.directory = directory;
        this.parser = parser;
        this.catalog = catalog;
        this.routes = routes;
        this.secrets = secrets;
        this.addresses = addresses;
        this.changes = changes;
    }

    public synchronized void scan() throws IOException {
        Map<Path, String> present = listFiles();
        for (Path gone : files.keySet().stream().filter(p -> !present.containsKey(p)).toList()) {
            FileState state = files.remove(gone);
            routeFiles.remove(gone);
            if (state.buyerId() != null) {
                removeBuyer(state.buyerId(), gone);
            }
        }
        // in name order, so that when two files declare one id, the first by name wins, every time
        for (Map.Entry<Path, String> file : new java.util.TreeMap<>(present).entrySet()) {
            FileState known = files.get(file.getKey());
            if (known == null || !known.hash().equals(effectiveHash(file.getKey(), file.getValue(), null))) {
                load(file.getKey(), file.getValue(), known);
            }
        }
    }

    /** Every file seen and what became of it, for {@code GET /buyers}. */
    public synchronized Map<Path, FileState> fileStates() {
        return new LinkedHashMap<>(files);
    }

    /**
     * The buyer file's hash, and for a buyer with its own route file, that file's too: a changed route file
     * loads the buyer again.
     *
     * @param routeFileHash the route file's hash as loaded, or null to read it now
     */
    private String effectiveHash(Path file, String ownHash, String routeFileHash) {
        Path routeFile = routeFiles.get(file);
        if (routeFile == null) {
            return ownHash;
        }
        String routeHash = routeFileHash != null ? routeFileHash : BuyerRouteFileReader.hashOf(routeFile);
        return sha256((ownHash + ":" + routeHash).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void load(Path file, String ownHash, FileState known) {
        String previousId = known == null ? null : known.buyerId();
        String hash = effectiveHash(file, ownHash, null);
        try {
            Buyer buyer = parser.parse(file);
            noteRouteFile(file, buyer);
            hash = effectiveHash(file, ownHash, null);
            checkUnique(buyer, file);
            checkSecrets(buyer, file);
            checkAddress(buyer, file);
            BuyerRoutes ownRoutes = readRouteFile(buyer);
            if (ownRoutes != null) {
                hash = effectiveHash(file, ownHash, ownRoutes.hash());
            }
            Buyer previous = catalog.find(buyer.id()).orElse(null);
            if (previousId != null && !previousId.equals(buyer.id())) {
                removeBuyer(previousId, file);
            }
            // a removal of this id still under way ends first: it takes the buyer's route file routes down too
            routes.awaitRemoval(buyer.id());
            if (ownRoutes != null) {
                routeFileRoutes.install(ownRoutes);
            }
            routes.install(buyer, previous);
            catalog.put(buyer, hash);
            if (ownRoutes == null && routeFileRoutes != null) {
                routeFileRoutes.remove(buyer.id()); // the buyer is called over plain HTTP from now on
            }
            files.put(file, new FileState(hash, buyer.id(), null));
            changes.changed(file, hash, previous, buyer);
            LOG.info("Buyer {} ({}) {} from {}", buyer.id(), buyer.name(), previous == null ? "added" : "updated", name(file));
        } catch (BuyerFileException e) {
            files.put(file, new FileState(hash, previousId, e.getMessage()));
            LOG.error("Buyer file rejected: {}{}", e.getMessage(),
                    previousId == null ? "" : " (buyer " + previousId + " keeps its previous settings)");
        } catch (Exception e) {
            files.put(file, new FileState(hash, previousId, name(file) + ": " + e.getMessage()));
            LOG.error("Buyer file {} could not be applied: {}", name(file), e.getMessage(), e);
        }
    }

    private void noteRouteFile(Path file, Buyer buyer) {
        if (buyer.route() == null) {
            routeFiles.remove(file);
        } else {
            routeFiles.put(file, buyer.route().file());
        }
    }

    private BuyerRoutes readRouteFile(Buyer buyer) throws BuyerFileException {
        if (buyer.route() == null) {
            return null;
        }
        if (routeFileReader == null) {
            throw new BuyerFileException(buyer.sourceFile(), List.of("integration: route is not available here"));
        }
        return routeFileReader.read(buyer);
    }

    private void checkUnique(Buyer buyer, Path file) throws BuyerFileException {
        Optional<Path> other = files.entrySet().stream()
                .filter(e -> !e.getKey().equals(file) && buyer.id().equals(e.getValue().buyerId()))
                .map(Map.Entry::getKey).findFirst();
        if (other.isPresent()) {
            throw new BuyerFileException(file, java.util.List.of("id: " + buyer.id() + " is already declared by " + name(other.get())));
        }
    }

    private void checkSecrets(Buyer buyer, Path file) throws BuyerFileException {
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (int i = 0; i < buyer.credentials().size(); i++) {
            String env = buyer.credentials().get(i).env();
            if (secrets.resolve(env).isEmpty()) {
                problems.add("credentials[" + i + "].env: environment variable " + env + " is not set");
            }
        }
        if (buyer.signing() != null) {
            String env = buyer.signing().secretEnv();
            Optional<String> secret = secrets.resolve(env);
            if (secret.isEmpty()) {
                problems.add("signing.secret_env: environment variable " + env + " is not set");
            } else {
                try {
                    WebhookSignature.key(secret.get());
                } catch (IllegalArgumentException e) {
                    problems.add("signing.secret_env: environment variable " + env + " does not hold a signing secret"
                            + " (whsec_ and base64): it " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BuyerFileException(file, problems);
        }
    }

    /**
     * A URL whose host resolves inside this network is refused now (and its connections are refused
     * again when made, see delivery's BuyerConnections). A name that does not resolve now is left to
     * the connection: DNS may be away for a moment.
     */
    private void checkAddress(Buyer buyer, Path file) throws BuyerFileException {
        String host = java.net.URI.create(buyer.endpoint().url()).getHost();
        if (host == null) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                Optional<String> refusal = addresses.refusal(address);
                if (refusal.isPresent()) {
                    throw new BuyerFileException(file, java.util.List.of("endpoint.url: host " + host + " resolves to " + refusal.get()));
                }
            }
        } catch (UnknownHostException e) {
            LOG.warn("{}: host {} does not resolve now; deliveries will try it", name(file), host);
        }
    }

    private void removeBuyer(String buyerId, Path file) {
        try {
            Buyer removed = catalog.find(buyerId).orElse(null);
            catalog.remove(buyerId);
            // the buyer's own route file routes go once its delivery route is down: nothing calls them then
            routes.remove(buyerId, routeFileRoutes == null ? () -> { } : () -> routeFileRoutes.remove(buyerId));
            if (removed != null) {
                changes.changed(file, null, removed, null);
            }
            LOG.info("Buyer {} removed ({} is gone or now declares another buyer)", buyerId, name(file));
            // a file refused while this id was taken (a renamed buyer file) is tried again, now that the id is free
            files.replaceAll((path, state) -> state.problem() == null ? state : new FileState("", state.buyerId(), state.problem()));
        } catch (Exception e) {
            LOG.error("Buyer {} could not be removed: {}", buyerId, e.getMessage(), e);
        }
    }

    private Map<Path, String> listFiles() throws IOException {
        Map<Path, String> found = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(BuyerFileWatcher::isBuyerFile).toList()) {
                try {
                    found.put(file, sha256(Files.readAllBytes(file)));
                } catch (IOException e) {
                    LOG.warn("Buyer file {} could not be read: {}", name(file), e.getMessage());
                }
            }
        }
        return found;
    }

    private static boolean isBuyerFile(Path file) {
        String name = file.getFileName().toString();
        // a buyer's route file (name.camel.yaml) is read with the buyer file that names it
        return Files.isRegularFile(file) && !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"))
                && !name.endsWith(".camel.yaml");
    }

    private static String name(Path file) {
        Path parent = file.getParent();
        return (parent == null ? "" : parent.getFileName() + "/") + file.getFileName();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
