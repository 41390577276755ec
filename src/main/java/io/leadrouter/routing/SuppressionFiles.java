package io.leadrouter.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code load-suppression-file} of route suppression-files: a buyer's suppression file
 * ({@code <buyer id>.txt} in the suppressions folder, one e-mail address or phone number a line,
 * {@code #} comments) becomes its list, hashed on arrival. A line that is neither is skipped and
 * logged by its number, never its text.
 */
public final class SuppressionFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionFiles.class);

    private final SuppressionLists lists;
    private final Path folder;

    public SuppressionFiles(SuppressionLists lists, Path folder) {
        this.lists = lists;
        this.folder = folder;
    }

    /** Step {@code forget-removed-suppression-files} of the rules' sweep: a buyer whose file is gone has no list from it. */
    public void forgetRemovedFiles() throws SQLException {
        for (String buyerId : lists.buyersWithFileLists()) {
            if (!Files.exists(folder.resolve(buyerId + ".txt"))) {
                lists.replaceFileList(buyerId, List.of());
                LOG.info("Suppression file {}.txt removed: buyer {} has no list from a file now", buyerId, buyerId);
            }
        }
    }

    public void load(Exchange exchange) throws SQLException {
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String buyerId = fileName.substring(0, fileName.length() - ".txt".length());
        String text = exchange.getMessage().getBody(String.class);
        List<byte[]> identities = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String kind = kindOf(line);
            if (kind == null) {
                skipped.add(i + 1);
            } else {
                identities.add(ConsumerIdentities.of(kind, line));
            }
        }
        int added = lists.replaceFileList(buyerId, identities);
        LOG.info("Suppression file {}: {} consumer(s) for buyer {}, {} new", fileName, identities.size(), buyerId, added);
        if (!skipped.isEmpty()) {
            LOG.warn("Suppression file {}: line(s) {} are neither an e-mail address nor a phone number, skipped",
                    fileName, skipped.size() > 20 ? skipped.subList(0, 20) + " and " + (skipped.size() - 20) + " more" : skipped);
        }
    }

    /** email for an address, phone for 7 to 15 digits (with any punctuation), else null. */
    public static String kindOf(String value) {
        if (value.indexOf('@') > 0 && value.indexOf('@') < value.length() - 1) {
            return "email";
        }
        long digits = value.chars().filter(Character::isDigit).count();
        boolean phoneLike = value.chars().allMatch(ch -> Character.isDigit(ch) || " +-().".indexOf(ch) >= 0);
        return phoneLike && digits >= 7 && digits <= 15 ? "phone" : null;
    }
}
