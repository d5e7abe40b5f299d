package health.careloop.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import health.careloop.ingest.payload.DecodedMessage;
import health.careloop.ingest.payload.ReadingDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * Ingest's per-message work before the database: decode, validate and normalise a payload (one reading, or a
 * store-and-forward array of 50), against the bare cost of parsing the same bytes into a Jackson tree in the same run,
 * with and without duplicate-key detection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PayloadDecodeBenchmark {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The same parse with duplicate keys refused, as ReadingDecoder parses since issue 14. */
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Param({"blood_pressure", "blood_glucose", "array_of_50"})
    public String payload;

    private byte[] bytes;
    private ReadingDecoder decoder;

    @Setup
    public void setUp() {
        decoder = new ReadingDecoder(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(2557), 256 * 1024);
        String bp = "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-27T11:58:00-06:00\",\"systolic\":132,\"diastolic\":84,\"pulse\":71,\"readingId\":\"r-1\"}";
        String glucose = "{\"type\":\"blood_glucose\",\"measuredAt\":\"2026-11-27T11:58:00Z\",\"glucose\":6.4,\"unit\":\"mmol/L\",\"mealContext\":\"fasting\"}";
        String text = switch (payload) {
            case "blood_pressure" -> bp.replace("-06:00", "Z");
            case "blood_glucose" -> glucose;
            default -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = 0; i < 50; i++) {
                    array.append(i == 0 ? "" : ",").append(bp.replace("11:58:00-06:00", String.format("%02d:%02d:00Z", 10 + i / 60, i % 60))
                            .replace("r-1", "r-" + i));
                }
                yield array.append(']').toString();
            }
        };
        bytes = text.getBytes(StandardCharsets.UTF_8);
        DecodedMessage check = decoder.decode("cuff-1", bytes);
        if (!check.rejections().isEmpty()) {
            throw new IllegalStateException("benchmark payload is not valid: " + check.rejections());
        }
    }

    @Benchmark
    public DecodedMessage decodeAndValidate() {
        return decoder.decode("cuff-1", bytes);
    }

    /** Reference: only parsing the same bytes (no validation, no normalisation, no objects of ours). */
    @Benchmark
    public JsonNode referenceJacksonTree() throws IOException {
        return JSON.readTree(bytes);
    }

    /** The reference parse with STRICT_DUPLICATE_DETECTION: the cost of refusing repeated keys, in the same run. */
    @Benchmark
    public JsonNode referenceJacksonTreeStrictDuplicates() throws IOException {
        return STRICT_JSON.readTree(bytes);
    }
}
