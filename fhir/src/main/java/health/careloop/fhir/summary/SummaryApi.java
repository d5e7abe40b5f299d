package health.careloop.fhir.summary;

import health.careloop.billing.claims.MonthClose;
import health.careloop.common.audit.AuditTrail;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import health.careloop.fhir.r4.FhirResponses;
import health.careloop.fhir.r4.PatientRecords;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Monthly summaries: {@code GET /api/v1/patients/{id}/monthly-summary.pdf?month=} (the chart's download),
 * {@code GET /api/v1/practices/{id}/monthly-summaries.zip?month=} (one PDF a patient, for filing a practice-month;
 * BILLING), and {@code GET /fhir/r4/Patient/{id}/$monthly-summary?month=} (the DocumentReference with the PDF inline).
 */
public final class SummaryApi {
    private final MonthlySummaries summaries;
    private final PatientRecords records;
    private final MonthClose monthClose;

    public SummaryApi(MonthlySummaries summaries, PatientRecords records, MonthClose monthClose) {
        this.summaries = summaries;
        this.records = records;
        this.monthClose = monthClose;
    }

    public void mount(Router api) {
        api.get("/patients/:patientId/monthly-summary.pdf").handler(this::pdf);
        api.get("/practices/:practiceId/monthly-summaries.zip").handler(this::zip);
    }

    public void mountR4(Router r4) {
        r4.get("/Patient/:patientId/$monthly-summary").handler(this::documentReference);
    }

    private void pdf(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        YearMonth month = month(ctx);
        ApiResponses.blocking(ctx, () -> {
            Patient patient = visible(principal, patientId);
            MonthlySummary s = summaries.build(patient, month);
            return new Named(s, SummaryPdf.render(s));
        }).onSuccess(n -> file(ctx, "application/pdf", "careloop-summary-" + n.summary().mrn().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + month + ".pdf",
                n.bytes(), List.of(patientId))).onFailure(ctx::fail);
    }

    private void documentReference(RoutingContext ctx) {
        Principal principal;
        UUID patientId;
        YearMonth month;
        try {
            principal = Principal.of(ctx);
            principal.require(Permission.READ_CLINICAL);
            patientId = UUID.fromString(ctx.pathParam("patientId"));
            month = month(ctx);
        } catch (IllegalArgumentException e) {
            ctx.fail(PatientRecords.notFound("Patient", ctx.pathParam("patientId")));
            return;
        } catch (ApiException e) {
            ctx.fail(e);
            return;
        }
        ApiResponses.blocking(ctx, () -> {
            Patient patient = records.visible(principal, patientId);
            MonthlySummary s = summaries.build(patient, month);
            return SummaryDocuments.of(s, SummaryPdf.render(s));
        }).onSuccess(d -> {
            AuditTrail.patients(ctx, Set.of(patientId));
            FhirResponses.resource(ctx, 200, d);
        }).onFailure(ctx::fail);
    }

    private void zip(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        UUID practiceId = RequestBody.parseUuid("practiceId", ctx.pathParam("practiceId"));
        principal.requirePractice(practiceId, "practice " + practiceId);
        YearMonth month = month(ctx);
        List<UUID> named = new ArrayList<>();
        ApiResponses.blocking(ctx, () -> {
            Directory directory = records.directory();
            directory.practice(practiceId).orElseThrow(() -> ApiException.notFound("No practice " + practiceId + "."));
            List<UUID> ids;
            try (Connection c = records.dataSource().getConnection()) {
                ids = Directory.patientIds(c, practiceId);
            }
            MonthClose.Closed closed = monthClose.stored(practiceId, month).orElse(null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (UUID id : ids) {
                    Patient patient = directory.patient(id).orElseThrow();
                    MonthlySummary s = summaries.build(patient, month, closed);
                    zip.putNextEntry(new ZipEntry("careloop-summary-" + patient.externalRef().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + id + "-" + month + ".pdf"));
                    zip.write(SummaryPdf.render(s));
                    zip.closeEntry();
                    named.add(id);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }).onSuccess(bytes -> file(ctx, "application/zip", "careloop-summaries-" + month + ".zip", bytes, named)).onFailure(ctx::fail);
    }

    private record Named(MonthlySummary summary, byte[] bytes) {
    }

    private Patient visible(Principal principal, UUID patientId) throws Exception {
        Patient patient = records.directory().patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
        return patient;
    }

    private static void file(RoutingContext ctx, String type, String name, byte[] bytes, List<UUID> patients) {
        AuditTrail.patients(ctx, patients);
        ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-store")
                .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"").end(Buffer.buffer(bytes));
    }

    /** {@code month=YYYY-MM}, not after the current month. */
    static YearMonth month(RoutingContext ctx) {
        String value = QueryParams.string(ctx, "month").orElseThrow(() -> ApiException.badRequest("'month' (YYYY-MM) is required."));
        YearMonth month;
        try {
            month = YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'month' must be a month as YYYY-MM.");
        }
        if (month.isAfter(YearMonth.from(LocalDate.now().plusDays(1)))) {
            throw ApiException.badRequest("'month' is in the future.");
        }
        return month;
    }
}
