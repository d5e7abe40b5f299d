package health.careloop.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's SBOM ({@code mvn -Pimages package}, online: target/jib-image.cdx.json) is CycloneDX and names exactly the
 * libraries the image carries in /app/libs: read from the image tar's layers, not from Maven, so a library Jib adds that
 * the SBOM misses (or the reverse) fails here.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImageSbomIT {
    private static final Path IMAGE_TAR = Path.of("target/jib-image.tar");
    private static final Path SBOM = Path.of("target/jib-image.cdx.json");
    private static final Pattern LIB = Pattern.compile("^/?app/libs/([^/]+\\.jar)$");

    @Test
    void theSbomNamesEveryLibraryInTheImageAndNothingElse() throws Exception {
        assertThat(IMAGE_TAR).as("the image tar; build it with mvn -Pimages package").isRegularFile();
        assertThat(SBOM).as("the image's SBOM; mvn -Pimages package writes it when Maven is online").isRegularFile();
        JsonNode bom = new ObjectMapper().readTree(SBOM.toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo("careloop-platform");
        assertThat(bom.path("metadata").path("component").path("type").asText()).isEqualTo("application");

        Set<String> listed = new TreeSet<>();
        for (JsonNode component : bom.path("components")) {
            listed.add(jarName(component));
        }
        Set<String> inImage = librariesInImage();
        assertThat(inImage).as("libraries in the image").isNotEmpty().contains("careloop-common-" + version() + ".jar");
        assertThat(listed).as("SBOM components as jar names").containsExactlyInAnyOrderElementsOf(inImage);
    }

    /** name-version[-classifier].jar, as Jib names a dependency in /app/libs. */
    private static String jarName(JsonNode component) {
        String purl = component.path("purl").asText();
        Matcher classifier = Pattern.compile("[?&]classifier=([^&]+)").matcher(purl);
        return component.path("name").asText() + "-" + component.path("version").asText()
                + (classifier.find() ? "-" + classifier.group(1) : "") + ".jar";
    }

    private static Set<String> librariesInImage() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(run("tar", "-xOf", IMAGE_TAR.toString(), "manifest.json")).get(0);
        Set<String> jars = new TreeSet<>();
        for (JsonNode layer : manifest.path("Layers")) {
            String entries = run("bash", "-c", "tar -xOf \"$0\" \"$1\" | tar -tzf -", IMAGE_TAR.toString(), layer.asText());
            for (String entry : entries.split("\n")) {
                Matcher m = LIB.matcher(entry.trim());
                if (m.matches()) {
                    jars.add(m.group(1));
                }
            }
        }
        return jars;
    }

    private static String version() throws IOException {
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as("platform's pom names its parent's version").isTrue();
        return m.group(1);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
