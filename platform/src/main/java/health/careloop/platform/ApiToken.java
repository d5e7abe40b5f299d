package health.careloop.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The administrative API token: CARELOOP_API_TOKEN when set; otherwise one generated on first start and kept in
 * {@code <data dir>/admin-token}, readable by its owner only. The log names the file, never the token.
 */
final class ApiToken {
    private static final Logger log = LoggerFactory.getLogger(ApiToken.class);

    private ApiToken() {
    }

    static String resolve(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = dataDir.resolve("admin-token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(dataDir);
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            log.info("Generated an API token in {} (send it as 'Authorization: Bearer <token>')", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the API token file " + file, e);
        }
    }
}
