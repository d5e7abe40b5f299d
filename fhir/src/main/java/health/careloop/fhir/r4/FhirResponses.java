package health.careloop.fhir.r4;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.common.http.ApiException;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FHIR answers: a resource as {@code application/fhir+json}, and every refusal as an OperationOutcome whose issue
 * names what was wrong (FHIR R4 http.html: errors SHOULD carry an OperationOutcome). Our error code (the one
 * {@code /api/v1} answers with) is the issue's details text, so clients handle both APIs alike.
 */
public final class FhirResponses {
    private static final Logger log = LoggerFactory.getLogger(FhirResponses.class);

    private FhirResponses() {
    }

    public static void resource(RoutingContext ctx, int status, IBaseResource resource) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", Fhir.JSON_MEDIA_TYPE + "; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(Fhir.json(resource));
    }

    public static OperationOutcome outcome(OperationOutcome.IssueType type, String code, String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type)
                .setDetails(new CodeableConcept().setText(code)).setDiagnostics(message);
        return outcome;
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        resource(ctx, status, outcome(issueType(status), code, message));
    }

    /** Failure handler of the FHIR router: a refusal says why, anything else is a 500 without details. */
    public static void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            error(ctx, api.status(), api.code(), api.getMessage());
        } else if (failure == null) {
            int status = ctx.statusCode();
            error(ctx, status, status == 413 ? "payload_too_large" : "http_" + status, "The request could not be served (HTTP " + status + ").");
        } else {
            log.error("Unexpected FHIR API failure on {} {}", ctx.request().method(), ctx.currentRoute() == null ? "?" : ctx.currentRoute().getPath(),
                    DatabaseErrors.loggable(failure));
            error(ctx, 500, "internal_error", "Something went wrong on our side; the request was not completed.");
        }
    }

    private static OperationOutcome.IssueType issueType(int status) {
        return switch (status) {
            case 400, 422 -> OperationOutcome.IssueType.INVALID;
            case 401 -> OperationOutcome.IssueType.LOGIN;
            case 403 -> OperationOutcome.IssueType.FORBIDDEN;
            case 404 -> OperationOutcome.IssueType.NOTFOUND;
            case 409 -> OperationOutcome.IssueType.CONFLICT;
            case 413 -> OperationOutcome.IssueType.TOOCOSTLY;
            default -> OperationOutcome.IssueType.EXCEPTION;
        };
    }
}
