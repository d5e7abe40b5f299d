package health.careloop.simulator.registration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the API token comes from: the option, else the environment, else the token file CareLoop writes. */
public final class ApiToken {
    public static final String ENV = "CARELOOP_API_TOKEN";

    private ApiToken() {
    }

    public static Optional<String> resolve(String option, String environment, Path file) throws IOException {
        if (option != null && !option.isBlank()) {
            return Optional.of(option.trim());
        }
        if (environment != null && !environment.isBlank()) {
            return Optional.of(environment.trim());
        }
        if (file != null && Files.isRegularFile(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }
}
