package health.careloop.common.audit;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiResponses;
import health.careloop.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail as a route handler: which patients a response named (JSON patientId fields at any depth, plus those
 * a handler hands over), and failing closed: while the writer is behind its backlog limit, calls get 503 instead of an
 * unaudited answer, and are served again once the events are stored.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuditTrailHandlerTest {
    DatabaseConfig config;
    Database database;
    Vertx vertx;
    HttpServer server;
    AuditWriter writer;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final HttpClient http = HttpClient.newHttpClient();
    UUID a1;
    UUID a2;
    UUID handed;

    @BeforeEach
    void setUp() throws Exception {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        Directory directory = new Directory(database.dataSource());
        UUID practice = directory.createPractice("Handler", ZoneId.of("UTC")).id();
        a1 = directory.createPatient(practice, "A1").id();
        a2 = directory.createPatient(practice, "A2").id();
        handed = directory.createPatient(practice, "A3").id();
        writer = new AuditWriter(database.dataSource(), Directory.auditedRecords(), 1, meters);
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(new AuditTrail(writer));
        router.get("/list").handler(ctx -> {
            AuditTrail.patients(ctx, List.of(handed));
            ApiResponses.json(ctx, 200, new JsonObject().put("items", new JsonArray()
                    .add(new JsonObject().put("patientId", a1.toString()).put("nested", new JsonObject().put("patientId", a2.toString())))
                    .add(new JsonObject().put("patientId", a1.toString()))));
        });
        router.get("/patients/:patientId").handler(ctx -> ApiResponses.json(ctx, 200, new JsonObject().put("patientId", ctx.pathParam("patientId"))));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
        writer.close();
        database.close();
        TestDatabases.drop(config);
    }

    @Test
    void aResponseNamesItsPatientsInOneRow() throws Exception {
        assertThat(get("/list?limit=3").statusCode()).isEqualTo(200);
        // The writer here holds a backlog of one: the next call waits until the first event is stored.
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.pending() == 0);
        assertThat(get("/patients/" + a1).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 2);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE resource = '/list' AND query = 'limit=3' AND patient_id IS NULL AND "
                + "patient_ids @> ARRAY['" + a1 + "', '" + a2 + "', '" + handed + "']::uuid[] AND cardinality(patient_ids) = 3")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE resource = '/patients/" + a1 + "' AND patient_id = '" + a1
                + "' AND patient_ids IS NULL")).isEqualTo(1);
    }

    @Test
    void behindItsBacklogTheApiRefusesCallsUntilTheTrailIsWrittenAgain() throws Exception {
        execute("ALTER TABLE core.audit_event RENAME TO audit_event_away");
        try {
            assertThat(get("/patients/" + a1).statusCode()).as("admitted before the writer fell behind").isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.counter(AuditWriter.FAILURES).count() >= 1);
            HttpResponse<String> refused = get("/patients/" + a2);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("audit_unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(meters.counter(AuditWriter.REFUSED).count()).isEqualTo(1.0);
        } finally {
            execute("ALTER TABLE core.audit_event_away RENAME TO audit_event");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !writer.saturated());
        assertThat(get("/patients/" + a2).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 2);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE patient_id = '" + a1 + "'")).as("the event kept through the outage").isEqualTo(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
