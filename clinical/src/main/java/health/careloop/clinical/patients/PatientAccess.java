package health.careloop.clinical.patients;

import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.RequestBody;
import io.vertx.ext.web.RoutingContext;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

/** The patient named by a request, if the caller may see it: another practice's patient answers 404. Blocking JDBC. */
public final class PatientAccess {
    private final Directory directory;

    public PatientAccess(Directory directory) {
        this.directory = directory;
    }

    public static UUID patientId(RoutingContext ctx) {
        return RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
    }

    public static UUID pathId(RoutingContext ctx, String param) {
        return RequestBody.parseUuid(param, ctx.pathParam(param));
    }

    public Patient visible(Principal principal, UUID patientId) throws SQLException {
        Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
        return patient;
    }

    /** Today in the practice's time zone: a date of consent, enrolment or eligibility is a day there (DESIGN.md, "Practices"). */
    public LocalDate today(UUID practiceId) throws SQLException {
        ZoneId zone = directory.practice(practiceId).map(p -> p.timeZone()).orElse(ZoneId.of("UTC"));
        return LocalDate.now(zone);
    }
}
