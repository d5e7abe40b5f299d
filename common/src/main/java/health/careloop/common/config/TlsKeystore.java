package health.careloop.common.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PKCS#12 file and its password: a server's key and certificate (CARELOOP_TLS_KEYSTORE) or the certificates a
 * client trusts (CARELOOP_MQTT_TLS_TRUSTSTORE). Checked at start-up so a wrong path fails before anything listens.
 */
public record TlsKeystore(Path path, String password) {
    public static TlsKeystore read(Settings s, String pathName, String passwordName) {
        Path path = Path.of(s.optional(pathName).orElseThrow()).toAbsolutePath();
        if (!Files.isReadable(path)) {
            throw new ConfigException(pathName + " names " + path + ", which is not a readable file");
        }
        return new TlsKeystore(path, s.optional(passwordName).orElseThrow(() ->
                new ConfigException(passwordName + " is required with " + pathName)));
    }

    @Override
    public String toString() {
        return "TlsKeystore[" + path + "]";
    }
}
