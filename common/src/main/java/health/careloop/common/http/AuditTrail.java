package health.careloop.common.http;

import health.careloop.common.db.DatabaseErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Records every authenticated API call (who, what, which patient, outcome) in core.audit_event once the response
 * is sent: access to PHI is audited (HIPAA 164.312(b)), and the record lives in the database, not in logs.
 */
public final class AuditTrail implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final String INSERT = "INSERT INTO core.audit_event (actor, action, resource, practice_id, patient_id, outcome) VALUES (?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addEndHandler(ignored -> {
            String actor = ctx.get(ApiAuthentication.ACTOR);
            if (actor == null) {
                return;
            }
            String action = ctx.request().method().name();
            String resource = ctx.normalizedPath();
            UUID patient = uuidOrNull(ctx.pathParam("patientId"));
            UUID practice = uuidOrNull(ctx.pathParam("practiceId"));
            int outcome = ctx.response().getStatusCode();
            ctx.vertx().executeBlocking(() -> insert(actor, action, resource, practice, patient, outcome), false)
                    .onFailure(e -> log.error("Could not write the audit record for {} {}", action, resource, DatabaseErrors.loggable(e)));
        });
        ctx.next();
    }

    private Void insert(String actor, String action, String resource, UUID practice, UUID patient, int outcome) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, actor);
            ps.setString(2, action);
            ps.setString(3, resource.length() > 500 ? resource.substring(0, 500) : resource);
            ps.setObject(4, practice);
            ps.setObject(5, patient);
            ps.setInt(6, outcome);
            ps.executeUpdate();
        }
        return null;
    }

    private static UUID uuidOrNull(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
