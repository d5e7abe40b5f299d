package health.careloop.fhir.r4;

import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Patient;
import health.careloop.fhir.r4.SearchParameters.DateRange;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Patient/{id}/$everything}: one searchset Bundle with the Patient, their Conditions, Consents, CarePlan
 * versions, Devices and their readings' Observations measured from {@code start} to {@code end} (days in the
 * practice's zone; default the last 90 days), at most {@code _count} (default 1,000) Observations: a {@code next} link
 * continues with the Observation search when there are more.
 */
final class PatientEverything {
    static final int DEFAULT_DAYS = 90;
    static final int DEFAULT_OBSERVATIONS = 1000;

    private final PatientRecords records;

    PatientEverything(PatientRecords records) {
        this.records = records;
    }

    FhirReadApi.Answer bundle(RoutingContext ctx, Principal principal, UUID patientId) throws Exception {
        SearchParameters params = SearchParameters.of(ctx, Set.of("start", "end"));
        Patient patient = records.visible(principal, patientId);
        ZoneId zone = records.zone(patient.practiceId());
        LocalDate end = params.string("end").map(v -> health.careloop.common.http.RequestBody.parseDate("end", v)).orElse(LocalDate.now(zone));
        LocalDate start = params.string("start").map(v -> health.careloop.common.http.RequestBody.parseDate("start", v))
                .orElse(end.minusDays(DEFAULT_DAYS - 1));
        DateRange window = new DateRange(start.atStartOfDay(zone).toInstant(), end.plusDays(1).atStartOfDay(zone).toInstant());
        List<Resource> resources = new ArrayList<>();
        resources.add(records.patient(patient));
        resources.addAll(records.conditions(patientId));
        resources.addAll(records.consents(patientId));
        resources.addAll(records.carePlans(patientId));
        resources.addAll(records.devices(patientId));
        ObservationSearch.Page observations;
        try (Connection c = records.dataSource().getConnection()) {
            observations = ObservationSearch.of(List.of(), window).page(c, patientId, params.count(DEFAULT_OBSERVATIONS), null);
        }
        resources.addAll(observations.observations());
        Bundle bundle = SearchBundles.searchset(ctx, resources, null);
        if (observations.nextCursor() != null) {
            bundle.setTotalElement(null);
            bundle.addLink().setRelation("next").setUrl(SearchBundles.base(ctx) + "/Observation?patient=" + patientId + "&date=ge" + start
                    + "&date=le" + end + "&_count=" + params.count(DEFAULT_OBSERVATIONS) + "&_cursor=" + observations.nextCursor());
        }
        return new FhirReadApi.Answer(bundle, List.of(patientId));
    }
}
