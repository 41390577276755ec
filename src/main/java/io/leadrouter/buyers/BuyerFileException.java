package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import java.nio.file.Path;
import java.util.List;

/**
 * A buyer file that cannot become a {@link Buyer}, with every problem found in it. The message
 * names the file as operators see it and lists the problems, for example
 * {@code buyers/acme.yaml: endpoint.url: must match ^(http|https)://.*; price: is required}.
 */
public class BuyerFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String displayName;
    private final List<String> problems;

    /**
     * @param problems one or more problems, each {@code "<field path>: <what is wrong>"}, or a
     *                 bare description for the file as a whole (for example {@code "is empty"})
     */
    public BuyerFileException(Path file, List<String> problems) {
        this(file, problems, null);
    }

    public BuyerFileException(Path file, List<String> problems, Throwable cause) {
        super(message(file, problems), cause);
        this.file = file;
        this.displayName = displayName(file);
        this.problems = List.copyOf(problems);
    }

    /** The file as given to the parser. */
    public Path file() {
        return file;
    }

    /** The file as named in messages: {@code "<parent dir>/<file name>"}, for example {@code buyers/acme.yaml}. */
    public String displayName() {
        return displayName;
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(Path file, List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a BuyerFileException needs at least one problem");
        }
        return displayName(file) + ": " + String.join("; ", problems);
    }

    private static String displayName(Path file) {
        Path name = file.getFileName();
        Path parent = file.getParent() == null ? null : file.getParent().getFileName();
        if (name == null) {
            return file.toString();
        }
        return parent == null ? name.toString() : parent + "/" + name;
    }
}
