package health.careloop.common.audit;

import health.careloop.common.db.DatabaseErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes audit events to core.audit_event off the requests' path: the HTTP layer hands over what it knows when a
 * response ends, one thread completes each event (whose record a refused call named, which account a sign-in was for)
 * and inserts them in batches, one row per request.
 *
 * <p>Never silently lost: an insert that fails is retried with backoff, the events staying in memory and counted in
 * {@value #PENDING_GAUGE}. While more than the backlog limit wait, {@link #saturated()} is true and the API refuses new
 * requests (503) rather than serve data it cannot audit; requests already admitted are always queued. At shutdown the
 * writer gets {@link #CLOSE_BOUND} to finish; what it could not store is logged at ERROR, one line per event (ids only,
 * the query's parameter names without values).
 */
public final class AuditWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    public static final int DEFAULT_BACKLOG = 10_000;
    public static final String PENDING_GAUGE = "careloop.audit.events.pending";
    public static final String FAILURES = "careloop.audit.write.failures";
    public static final String REFUSED = "careloop.audit.requests.refused";
    static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
    private static final int BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final String INSERT = "INSERT INTO core.audit_event (at, actor, staff_id, action, resource, query, outcome, practice_id, "
            + "patient_id, patient_ids, client_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * What the HTTP layer knew when the response ended; the writer completes the event.
     *
     * @param callerPractice the staff caller's practice; null for the API token and strangers
     * @param addressed      ids the request named (path parameters, practiceId/patientId of query and body), by name,
     *                       when the practice must be looked up: refused calls and the API token's
     * @param signInEmail    the e-mail a sign-in was for (never stored; it finds the account)
     */
    public record Recorded(AuditEvent event, UUID callerPractice, Map<String, String> addressed, String signInEmail) {
        public Recorded {
            addressed = addressed == null ? Map.of() : addressed;
        }
    }

    private final DataSource dataSource;
    private final Map<String, RecordOwner> owners;
    private final int backlogLimit;
    private final LinkedBlockingQueue<Recorded> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Counter failures;
    private final Counter refused;
    private volatile int inFlight;
    private volatile boolean stopping;

    /** @param owners who owns the record a path parameter names, by parameter name (patientId, alertId, …) */
    public AuditWriter(DataSource dataSource, Map<String, RecordOwner> owners, int backlogLimit, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.owners = Map.copyOf(owners);
        this.backlogLimit = backlogLimit;
        Gauge.builder(PENDING_GAUGE, this, AuditWriter::pending)
                .description("Audit events not yet stored; above the backlog limit the API answers 503").register(meters);
        this.failures = Counter.builder(FAILURES).description("Failed attempts to store audit events (retried)").register(meters);
        this.refused = Counter.builder(REFUSED).description("API requests refused because the audit trail is behind").register(meters);
        this.thread = new Thread(this::run, "careloop-audit-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an event of a request that was admitted; never refuses, so an admitted request is never lost. */
    public void submit(Recorded recorded) {
        queue.add(recorded);
    }

    /** True while more events wait than the backlog limit: new requests are to be refused. */
    public boolean saturated() {
        return pending() >= backlogLimit;
    }

    /** Counts a request refused because of {@link #saturated()}. */
    public void countRefusal() {
        refused.increment();
    }

    public int pending() {
        return queue.size() + inFlight;
    }

    private void run() {
        List<Recorded> batch = new ArrayList<>();
        Duration backoff = Duration.ZERO;
        while (true) {
            if (batch.isEmpty()) {
                Recorded first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                inFlight = batch.size();
            }
            try {
                write(batch);
                batch.clear();
                inFlight = 0;
                backoff = Duration.ZERO;
            } catch (SQLException | RuntimeException e) {
                failures.increment();
                backoff = backoff.isZero() ? Duration.ofMillis(250) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                // SQLState and names only (DatabaseErrors): a database message can quote row values.
                log.error("Could not store {} audit event(s) ({}); they are kept and retried in {} ms ({} waiting)", batch.size(),
                        DatabaseErrors.describe(e), backoff.toMillis(), pending());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    // Back at the head of the queue, oldest first, for close() to report.
                    List<Recorded> later = new ArrayList<>();
                    queue.drainTo(later);
                    queue.addAll(batch);
                    queue.addAll(later);
                    inFlight = 0;
                    return;
                }
            }
        }
    }

    private void write(List<Recorded> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<AuditEvent> rows = new ArrayList<>(batch.size());
                for (Recorded r : batch) {
                    rows.addAll(complete(c, r));
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (AuditEvent e : rows) {
                        ps.setTimestamp(1, Timestamp.from(e.at()));
                        ps.setString(2, clean(e.actor(), 200));
                        ps.setObject(3, e.staffId());
                        ps.setString(4, clean(e.action(), 20));
                        ps.setString(5, clean(e.resource(), AuditEvent.MAX_RESOURCE));
                        ps.setString(6, e.query() == null || e.query().isEmpty() ? null : clean(e.query(), AuditEvent.MAX_QUERY));
                        ps.setInt(7, e.outcome());
                        ps.setObject(8, e.practiceId());
                        ps.setObject(9, e.patientId());
                        ps.setArray(10, e.patientIds() == null ? null : c.createArrayOf("uuid", e.patientIds().toArray()));
                        ps.setString(11, e.clientAddress() == null ? null : clean(e.clientAddress(), AuditEvent.MAX_ADDRESS));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * The event as stored: a sign-in names its account (and a good one its actor); a refused call or the API token's
     * names the practice of the record it addressed; the API token's list across practices becomes one row per practice.
     */
    private List<AuditEvent> complete(Connection c, Recorded r) throws SQLException {
        AuditEvent e = r.event();
        String actor = e.actor();
        UUID staffId = e.staffId();
        UUID practice = null;
        UUID patient = e.patientId();
        if (r.signInEmail() != null) {
            Optional<Account> account = accountFor(c, r.signInEmail());
            if (account.isPresent()) {
                staffId = account.get().staffId();
                practice = account.get().practiceId();
                if (e.outcome() / 100 == 2) {
                    actor = AuditEvent.staffActor(staffId);
                }
            }
        }
        if (practice == null && (r.callerPractice() == null || e.outcome() / 100 != 2)) {
            Optional<RecordOwner.Target> target = target(c, r.addressed());
            if (target.isPresent()) {
                practice = target.get().practiceId();
                patient = patient != null ? patient : target.get().patientId();
            }
        }
        if (practice == null) {
            practice = r.callerPractice();
        }
        List<UUID> others = e.patientIds() == null ? List.of() : e.patientIds();
        if (practice == null && !others.isEmpty()) {
            return perPractice(c, e, actor, staffId, others);
        }
        return List.of(new AuditEvent(e.at(), actor, staffId, e.action(), e.resource(), e.query(), e.outcome(), practice, patient,
                e.patientIds(), e.clientAddress()));
    }

    /** The practice (and patient) of the first record the request named that someone owns. */
    private Optional<RecordOwner.Target> target(Connection c, Map<String, String> addressed) throws SQLException {
        String practiceId = addressed.get("practiceId");
        if (practiceId != null) {
            Optional<RecordOwner.Target> practice = RecordOwner.byUuid("SELECT id, NULL::uuid FROM core.practice WHERE id = ?").find(c, practiceId);
            if (practice.isPresent()) {
                return practice;
            }
        }
        for (Map.Entry<String, String> id : addressed.entrySet()) {
            RecordOwner owner = owners.get(id.getKey());
            if (owner != null) {
                Optional<RecordOwner.Target> found = owner.find(c, id.getValue());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private record Account(UUID practiceId, UUID staffId) {
    }

    /** The account an e-mail names, active or not (a sign-in to a deactivated account is worth knowing about). */
    private static Optional<Account> accountFor(Connection c, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT practice_id, id FROM core.staff_user WHERE lower(email) = lower(?)")) {
            ps.setString(1, email.trim());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Account(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))) : Optional.empty();
            }
        }
    }

    /** The API token read patients of several practices at once: each practice gets a row naming its own patients. */
    private static List<AuditEvent> perPractice(Connection c, AuditEvent e, String actor, UUID staffId, List<UUID> patients) throws SQLException {
        Map<UUID, List<UUID>> byPractice = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT practice_id, id FROM core.patient WHERE id = ANY(?) ORDER BY practice_id")) {
            ps.setArray(1, c.createArrayOf("uuid", patients.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byPractice.computeIfAbsent(rs.getObject(1, UUID.class), p -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
                }
            }
        }
        if (byPractice.isEmpty()) {
            return List.of(new AuditEvent(e.at(), actor, staffId, e.action(), e.resource(), e.query(), e.outcome(), null, e.patientId(),
                    patients, e.clientAddress()));
        }
        List<AuditEvent> rows = new ArrayList<>();
        byPractice.forEach((practice, ids) -> rows.add(new AuditEvent(e.at(), actor, staffId, e.action(), e.resource(), e.query(),
                e.outcome(), practice, e.patientId(), ids, e.clientAddress())));
        return rows;
    }

    /** PostgreSQL text holds no NUL; control characters have no business in an audit row either. */
    static String clean(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char ch = value.charAt(i);
            out.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
        }
        return out.toString();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops taking more time than {@link #CLOSE_BOUND}: what is queued is written if the database answers; anything
     * left is logged at ERROR, each event on its own line, so no event disappears without a trace.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(CLOSE_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Recorded> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            log.error("{} audit event(s) could not be stored in core.audit_event before shutdown; they follow, one per line", left.size());
            for (Recorded r : left) {
                AuditEvent e = r.event();
                log.error("Audit event not stored: at={} actor={} staff={} {} {} query-parameters={} outcome={} practice={} patient={} patients={} client={}",
                        e.at(), e.actor(), e.staffId(), e.action(), e.resource(), parameterNames(e.query()), e.outcome(),
                        e.practiceId() != null ? e.practiceId() : r.callerPractice(), e.patientId(), e.patientIds(), e.clientAddress());
            }
        }
    }

    /** The names of a query's parameters, without their values (a value may be a typed name). */
    static String parameterNames(String query) {
        if (query == null || query.isEmpty()) {
            return "[]";
        }
        List<String> names = new ArrayList<>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            names.add(clean(eq < 0 ? part : part.substring(0, eq), 40));
        }
        return names.toString();
    }
}
