package health.careloop.platform;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.platform.config.HttpSettings;
import health.careloop.common.config.MqttConfig;
import health.careloop.common.db.Database;
import health.careloop.common.audit.AuditWriter;
import health.careloop.common.audit.RecordOwner;
import health.careloop.common.directory.CoreSchema;
import health.careloop.common.directory.Directory;
import health.careloop.common.setup.FirstRunSetup;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.embedded.EmbeddedDatabase;
import health.careloop.billing.BillingTier;
import health.careloop.clinical.ClinicalTier;
import health.careloop.fhir.FhirTier;
import health.careloop.ingest.IngestTier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import health.careloop.common.db.PracticeIsolation;
import health.careloop.embedded.BrokerAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running CareLoop process: the embedded services it was asked to start, the database pool, Vert.x, the tiers its
 * role names, and the HTTP server. {@link #start} returns once everything is listening; {@link #close} undoes it in reverse.
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CareLoopConfig config;
    private Vertx vertx;
    private HttpServer server;
    private HttpServer metricsServer;
    private Router router;
    private IngestTier ingest;
    private EmbeddedBroker embeddedBroker;
    private ClinicalTier clinical;
    private BillingTier billing;
    private String apiToken;
    private String jdbcUrl;
    private String consumerDeployment;
    private String evaluatorDeployment;

    private Platform(CareLoopConfig config) {
        this.config = config;
    }

    public static Platform start(CareLoopConfig config) throws Exception {
        Platform platform = new Platform(config);
        try {
            platform.startAll();
            return platform;
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        log.info("Starting CareLoop: {}", config);
        DatabaseConfig dbConfig = config.database().orElseGet(() -> {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir().resolve("postgres"), config.embeddedDatabasePort());
            resources.add(embedded);
            return embedded.config(8);
        });
        jdbcUrl = dbConfig.jdbcUrl() + (dbConfig.jdbcUrl().contains("?") ? "&" : "?") + "user=" + dbConfig.user()
                + (dbConfig.password() == null || dbConfig.password().isEmpty() ? ""
                : "&password=" + java.net.URLEncoder.encode(dbConfig.password(), java.nio.charset.StandardCharsets.UTF_8));
        Database database = Database.connect(dbConfig);
        resources.add(database);
        log.info("Database: {}", database.description());
        CoreSchema.migrate(database.dataSource());
        ingest = IngestTier.open(database, config.ingest(), config.storageMode());
        clinical = ClinicalTier.open(database);
        billing = BillingTier.open(database);
        FhirTier fhir = FhirTier.open(database, billing);
        PracticeIsolation.apply(database.dataSource());
        // After the migrations: the embedded broker checks devices' passwords in the database.
        MqttConfig mqtt = config.mqtt().orElseGet(() -> {
            BrokerAccounts accounts = config.embeddedMqttAccess().deviceCredentials()
                    ? new BrokerAccounts(ingest.deviceCredentials()::matches, config.ingest().clientId(), config.embeddedMqttAccess().simulatorPassword()) : null;
            EmbeddedBroker.TlsListener tls = config.tls().map(k -> new EmbeddedBroker.TlsListener(config.embeddedMqttTlsPort(), k)).orElse(null);
            embeddedBroker = EmbeddedBroker.start(config.dataDir().resolve("hivemq"), config.embeddedMqttPort(), true, accounts, tls);
            resources.add(embeddedBroker);
            return embeddedBroker.config().asSoleSubscriber();
        });

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        if (embeddedBroker != null) {
            EmbeddedBroker broker = embeddedBroker;
            Gauge.builder("careloop.embedded.broker.messages.dropped", broker::droppedMessages)
                    .description("Messages the embedded broker discarded; anything above 0 is data lost").register(meters);
        }
        vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(meters))
                .build();
        resources.add(() -> vertx.close().await());
        Map<String, RecordOwner> auditedRecords = new HashMap<>(Directory.auditedRecords());
        auditedRecords.putAll(IngestTier.auditedRecords());
        auditedRecords.putAll(ClinicalTier.auditedRecords());
        auditedRecords.putAll(BillingTier.auditedRecords());
        auditedRecords.putAll(FhirTier.auditedRecords());
        // Closed after the HTTP server and Vert.x (resources close in reverse), before the pool: it flushes what is left.
        AuditWriter audit = new AuditWriter(database.dataSource(), auditedRecords, AuditWriter.DEFAULT_BACKLOG, meters);
        resources.add(resources.size() - 1, audit);

        IngestTier.Consumer consumer = null;
        if (config.role().runsIngest()) {
            consumer = ingest.consumer(mqtt, meters, Clock.systemUTC());
            consumerDeployment = vertx.deployVerticle(consumer).await();
        }
        if (config.role().runsClinical()) {
            evaluatorDeployment = vertx.deployVerticle(clinical.evaluator(meters, Clock.systemUTC(), config.escalateCriticalAfter())).await();
        }
        IngestTier.Consumer readyConsumer = consumer;
        apiToken = ApiToken.resolve(config.apiToken(), config.dataDir());
        resources.add(clinical.queueChanges(vertx));
        router = HttpApi.create(vertx, database, apiToken, meters, audit,
                () -> readyConsumer == null ? "" : readyConsumer.notReadyBecause(), ingest, clinical, billing, fhir);
        HttpSettings http = config.http();
        HttpServerOptions httpOptions = new HttpServerOptions()
                .setIdleTimeout((int) http.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        config.tls().ifPresent(k -> httpOptions.setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(k.path().toString()).setPassword(k.password())));
        server = vertx.createHttpServer(httpOptions)
                .invalidRequestHandler(HttpApi::invalidRequest)
                .requestHandler(router)
                .listen(config.httpPort(), http.apiBind())
                .await();
        metricsServer = vertx.createHttpServer(new HttpServerOptions()
                        .setIdleTimeout((int) http.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS))
                .requestHandler(HttpApi.metrics(vertx, meters))
                .listen(http.metricsPort(), http.metricsBind())
                .await();
        if (config.tls().isEmpty() && !http.apiOnLoopbackOnly()) {
            log.warn("The API serves plain HTTP on {} (CARELOOP_HTTP_BIND), reachable from other machines: passwords and patient data "
                    + "cross the network unencrypted unless only a TLS-terminating proxy can reach this address", http.apiBind());
        }
        log.info("CareLoop is up: role {}, {} on {}:{}, metrics on {}:{}, storage {}, broker {}", config.role(),
                config.tls().isPresent() ? "HTTPS" : "HTTP", http.apiBind(), server.actualPort(), http.metricsBind(),
                metricsServer.actualPort(), ingest.storageMode(), mqtt.url());
        if (new FirstRunSetup(database.dataSource()).needed()) {
            // As Jupyter does: the log points to the secret (never prints it); whoever can read it sets the install up.
            log.info("No staff account exists yet: open {}://{}:{}/ and choose \"Set up CareLoop\"; it asks for {}",
                    config.tls().isPresent() ? "https" : "http", http.apiBind(), server.actualPort(), config.apiToken().isPresent()
                            ? "the value of CARELOOP_API_TOKEN" : "the token in " + config.dataDir().resolve("admin-token").toAbsolutePath());
        }
    }

    public int httpPort() {
        return server.actualPort();
    }

    /** The metrics listener's port (CARELOOP_METRICS_PORT, or the one chosen for 0). */
    public int metricsPort() {
        return metricsServer.actualPort();
    }

    public String apiToken() {
        return apiToken;
    }

    /** The HTTP routes, for the test that checks every route has an access rule. */
    Router routerForTests() {
        return router;
    }

    /** The database this process uses, as this process connects (its role and password), for tests that check what it wrote. */
    String jdbcUrlForTests() {
        return jdbcUrl;
    }

    public IngestTier ingest() {
        return ingest;
    }

    /**
     * Stops in dependency order: ingest stops taking messages and commits and acknowledges what it holds (bounded by
     * {@link IngestTier#DRAIN_BOUND}), then the clinical evaluator finishes its batch, then the HTTP server, Vert.x,
     * the pool, the embedded broker and the embedded PostgreSQL. Each step is bounded so a stuck one cannot hold the
     * rest; what is not acknowledged is redelivered by the broker.
     */
    @Override
    public void close() {
        if (vertx != null) {
            stopStep("ingest consumer", () -> undeploy(consumerDeployment), IngestTier.DRAIN_BOUND.toSeconds() + 2);
            stopStep("clinical evaluator", () -> undeploy(evaluatorDeployment), 5);
            stopStep("HTTP server", () -> server == null ? Future.succeededFuture() : server.close(), 3);
            stopStep("metrics listener", () -> metricsServer == null ? Future.succeededFuture() : metricsServer.close(), 3);
        }
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        resources.clear();
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Error while shutting down: {}", DatabaseErrors.describe(e));
            }
        }
    }

    private Future<?> undeploy(String deploymentId) {
        return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    }

    private static void stopStep(String what, java.util.function.Supplier<Future<?>> step, long boundSeconds) {
        long started = System.nanoTime();
        try {
            step.get().await(boundSeconds, TimeUnit.SECONDS);
            log.info("Stopped {} in {} ms", what, (System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            log.warn("Stopping {} took longer than {} s; going on", what, boundSeconds);
        } catch (Exception e) {
            log.warn("Error while stopping {}: {}", what, DatabaseErrors.describe(e));
        }
    }
}
