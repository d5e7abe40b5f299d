package health.careloop.embedded;

import health.careloop.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The embedded PostgreSQL's two passwords, generated once and kept beside its data directory, each in a file only its
 * owner may read (mode 600): the superuser's ({@code postgres}, used only to set up the application role at start)
 * and the application role's (what CareLoop connects as). Delete a file and restart to get a new password.
 */
final class EmbeddedCredentials {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedCredentials.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** What we generate (base64url of 32 random bytes); anything else in the file is refused rather than guessed at. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{32,200}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String superuserPassword;
    private final String applicationPassword;
    private final boolean superuserPasswordIsNew;

    private EmbeddedCredentials(String superuserPassword, String applicationPassword, boolean superuserPasswordIsNew) {
        this.superuserPassword = superuserPassword;
        this.applicationPassword = applicationPassword;
        this.superuserPasswordIsNew = superuserPasswordIsNew;
    }

    /** @param directory the PostgreSQL data directory; the files are its siblings ({@code postgres.superuser-password} …) */
    static EmbeddedCredentials loadOrCreate(Path directory) {
        Path superuser = superuserFile(directory);
        boolean created = !Files.exists(superuser);
        return new EmbeddedCredentials(read(superuser), read(applicationFile(directory)), created);
    }

    static Path superuserFile(Path directory) {
        return directory.resolveSibling(directory.getFileName() + ".superuser-password");
    }

    static Path applicationFile(Path directory) {
        return directory.resolveSibling(directory.getFileName() + ".careloop-password");
    }

    String superuserPassword() {
        return superuserPassword;
    }

    String applicationPassword() {
        return applicationPassword;
    }

    /** True when the superuser's password was generated at this start: the cluster does not know it yet. */
    boolean superuserPasswordIsNew() {
        return superuserPasswordIsNew;
    }

    private static String read(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                log.warn("{} could be read by others ({}); made owner-only", file, PosixFilePermissions.toString(permissions));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!SHAPE.matcher(password).matches()) {
                throw new ConfigException(file + " does not hold a password CareLoop generated (32 to 200 of A-Z a-z 0-9 _ -); "
                        + "delete it and start again to generate a new one");
            }
            return password;
        } catch (IOException e) {
            throw new ConfigException("Cannot read or create the database password file " + file + ": " + e.getMessage());
        }
    }

    /** Written owner-only from the first byte, and moved into place whole, so a crash never leaves half a password. */
    private static void create(Path file) throws IOException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".new",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temporary, password + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        log.info("Generated a database password in {} (owner-only)", file);
    }
}
