package health.careloop.fhir.r4;

import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.common.audit.AuditTrail;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.fhir.r4.ResourceIds.ObservationKey;
import health.careloop.fhir.r4.SearchParameters.DateRange;
import health.careloop.ingest.devices.DeviceRecord;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The read-only FHIR R4 API under {@code /fhir/r4}: read and search of Patient, Observation, Condition, Consent,
 * CarePlan and Device, {@code Patient/{id}/$everything} and the CapabilityStatement. READ_CLINICAL (every staff role
 * and the API token); another practice's record is 404; each answer names its patient to the audit trail.
 */
public final class FhirReadApi {
    private final PatientRecords records;
    private final Date published = new Date();

    public FhirReadApi(PatientRecords records) {
        this.records = records;
    }

    /** The CapabilityStatement: public, as FHIR clients ask for it before they authenticate (it holds no patient data). */
    public void mountPublic(Router r4) {
        r4.get("/metadata").handler(ctx -> FhirResponses.resource(ctx, 200, CapabilityStatements.of(SearchBundles.base(ctx), published)));
    }

    public void mount(Router r4) {
        r4.get("/Patient/:patientId/$everything").handler(ctx -> answer(ctx, () -> new PatientEverything(records)
                .bundle(ctx, Principal.of(ctx), resourceUuid(ctx, "Patient", "patientId"))));
        r4.get("/Patient/:patientId").handler(ctx -> answer(ctx, () -> {
            Patient patient = records.visible(Principal.of(ctx), resourceUuid(ctx, "Patient", "patientId"));
            return new Answer(records.patient(patient), Set.of(patient.id()));
        }));
        r4.get("/Patient").handler(ctx -> answer(ctx, () -> new PatientSearch(records).search(ctx, Principal.of(ctx))));
        r4.get("/Observation/:observationId").handler(this::readObservation);
        r4.get("/Observation").handler(this::searchObservations);
        r4.get("/Condition/:conditionId").handler(ctx -> answer(ctx, () -> {
            UUID id = resourceUuid(ctx, "Condition", "conditionId");
            Condition c = records.conditionStore().findById(id).filter(visibleTo(ctx, Condition::practiceId))
                    .orElseThrow(() -> PatientRecords.notFound("Condition", id.toString()));
            return new Answer(ConditionResources.of(c), Set.of(c.patientId()));
        }));
        r4.get("/Condition").handler(ctx -> searchOfPatient(ctx, Set.of("code", "onset-date"), (patient, params, zone) -> {
            List<SearchParameters.Token> codes = params.tokens("code");
            for (SearchParameters.Token t : codes) {
                if (t.system() != null && !t.system().equals(CodeSystems.ICD10_CM)) {
                    throw new ApiException(400, "unknown_code", "'code' system " + t.system() + " is not one CareLoop uses; conditions are coded in "
                            + "ICD-10-CM (" + CodeSystems.ICD10_CM + ").");
                }
            }
            DateRange onset = params.dateRange("onset-date", zone);
            return records.conditionStore().of(patient).stream()
                    .filter(c -> codes.isEmpty() || codes.stream().anyMatch(t -> t.code().equalsIgnoreCase(c.icd10())))
                    .filter(c -> onset.from() == null && onset.to() == null || c.onset() != null && onset.overlapsDay(c.onset(), c.onset(), zone))
                    .map(ConditionResources::of).map(Resource.class::cast).toList();
        }));
        r4.get("/Consent/:consentId").handler(ctx -> answer(ctx, () -> {
            UUID id = resourceUuid(ctx, "Consent", "consentId");
            ConsentRecord c = records.consentStore().findById(id).filter(visibleTo(ctx, ConsentRecord::practiceId))
                    .orElseThrow(() -> PatientRecords.notFound("Consent", id.toString()));
            return new Answer(ConsentResources.of(c), Set.of(c.patientId()));
        }));
        r4.get("/Consent").handler(ctx -> searchOfPatient(ctx, Set.of("date"), (patient, params, zone) -> {
            DateRange date = params.dateRange("date", zone);
            return records.consentStore().of(patient).stream()
                    .filter(c -> date.overlapsDay(c.obtainedOn(), c.obtainedOn(), zone))
                    .map(ConsentResources::of).map(Resource.class::cast).toList();
        }));
        r4.get("/CarePlan/:carePlanId").handler(ctx -> answer(ctx, () -> {
            UUID id = resourceUuid(ctx, "CarePlan", "carePlanId");
            CarePlanVersion v = records.carePlanStore().findById(id).filter(visibleTo(ctx, CarePlanVersion::practiceId))
                    .orElseThrow(() -> PatientRecords.notFound("CarePlan", id.toString()));
            Resource plan = records.carePlans(v.patientId()).stream().filter(p -> p.getIdElement().getIdPart().equals(id.toString()))
                    .findFirst().orElseThrow(() -> PatientRecords.notFound("CarePlan", id.toString()));
            return new Answer(plan, Set.of(v.patientId()));
        }));
        r4.get("/CarePlan").handler(ctx -> searchOfPatient(ctx, Set.of("date"), (patient, params, zone) -> {
            DateRange date = params.dateRange("date", zone);
            return records.carePlans(patient).stream()
                    .filter(p -> date.overlapsDay(java.time.LocalDate.parse(p.getPeriod().getStartElement().getValueAsString()), null, zone))
                    .map(Resource.class::cast).toList();
        }));
        r4.get("/Device/:deviceId").handler(ctx -> answer(ctx, () -> {
            String fhirId = ctx.pathParam("deviceId");
            DeviceRecord d = ResourceIds.deviceIdOf(fhirId).flatMap(this::findDevice).filter(visibleTo(ctx, DeviceRecord::practiceId))
                    .orElseThrow(() -> PatientRecords.notFound("Device", fhirId));
            var device = DeviceResources.of(d, Instant.now());
            return new Answer(device, device.hasPatient() ? Set.of(UUID.fromString(device.getPatient().getReferenceElement().getIdPart())) : Set.of());
        }));
        r4.get("/Device").handler(ctx -> searchOfPatient(ctx, Set.of(), (patient, params, zone) ->
                records.devices(patient).stream().map(Resource.class::cast).toList()));
    }

    private java.util.Optional<DeviceRecord> findDevice(String deviceId) {
        try {
            return records.deviceRegistry().find(deviceId);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void readObservation(RoutingContext ctx) {
        answer(ctx, () -> {
            String fhirId = ctx.pathParam("observationId");
            ObservationKey key = ResourceIds.observationKey(fhirId).orElseThrow(() -> PatientRecords.notFound("Observation", fhirId));
            StoredReading reading;
            try (Connection c = records.dataSource().getConnection()) {
                reading = ReadingQueries.reading(c, new ReadingQueries.Identity(key.deviceId(), key.kind().readingType(), key.measuredAt()))
                        .orElseThrow(() -> PatientRecords.notFound("Observation", fhirId));
            }
            if (!Principal.of(ctx).canSee(reading.practiceId()) || key.kind().isHeartRate() && reading.pulse() == null) {
                throw PatientRecords.notFound("Observation", fhirId);
            }
            return new Answer(ReadingObservations.of(reading, key.kind()), Set.of(reading.patientId()));
        });
    }

    private void searchObservations(RoutingContext ctx) {
        answer(ctx, () -> {
            Principal principal = Principal.of(ctx);
            SearchParameters params = SearchParameters.of(ctx, Set.of("patient", "subject", "code", "date"));
            Patient patient = records.visible(principal, params.requiredPatient());
            ZoneId zone = records.zone(patient.practiceId());
            ObservationSearch search = ObservationSearch.of(params.tokens("code"), params.dateRange("date", zone));
            ObservationSearch.Page page;
            try (Connection c = records.dataSource().getConnection()) {
                page = search.page(c, patient.id(), params.count(), params.cursor().orElse(null));
            }
            return new Answer(SearchBundles.searchset(ctx, page.observations(), page.nextCursor()), Set.of(patient.id()));
        });
    }

    @FunctionalInterface
    interface PatientSearchBody {
        List<Resource> find(UUID patientId, SearchParameters params, ZoneId zone) throws Exception;
    }

    /** A search of one patient's small lists (conditions, consents, care plans, devices): all read, then one page cut out. */
    private void searchOfPatient(RoutingContext ctx, Set<String> parameters, PatientSearchBody body) {
        answer(ctx, () -> {
            Set<String> supported = new java.util.HashSet<>(parameters);
            supported.add("patient");
            supported.add("subject");
            SearchParameters params = SearchParameters.of(ctx, supported);
            Patient patient = records.visible(Principal.of(ctx), params.requiredPatient());
            List<Resource> all = body.find(patient.id(), params, records.zone(patient.practiceId()));
            int offset = params.cursor().map(FhirReadApi::offset).orElse(0);
            int end = Math.min(all.size(), offset + params.count());
            List<Resource> page = offset >= all.size() ? List.of() : new ArrayList<>(all.subList(offset, end));
            return new Answer(SearchBundles.searchset(ctx, page, end < all.size() ? Integer.toString(end) : null), Set.of(patient.id()));
        });
    }

    private static int offset(String cursor) {
        try {
            int offset = Integer.parseInt(cursor);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(400, "invalid_cursor", "'_cursor' is not one this server wrote; follow the Bundle's next link as given.");
    }

    /** What a handler answers: the resource (or Bundle) and the patients it holds, for the audit trail. */
    public record Answer(Resource resource, Set<UUID> patients) {
        public Answer(Bundle bundle, List<UUID> patients) {
            this(bundle, Set.copyOf(patients));
        }
    }

    private static void answer(RoutingContext ctx, Callable<Answer> work) {
        Principal principal;
        try {
            principal = Principal.of(ctx);
            principal.require(Permission.READ_CLINICAL);
        } catch (ApiException e) {
            ctx.fail(e);
            return;
        }
        ApiResponses.blocking(ctx, work).onSuccess(a -> {
            AuditTrail.patients(ctx, a.patients());
            FhirResponses.resource(ctx, 200, a.resource());
        }).onFailure(ctx::fail);
    }

    private static <T> Predicate<T> visibleTo(RoutingContext ctx, java.util.function.Function<T, UUID> practiceOf) {
        Principal principal = Principal.of(ctx);
        return record -> principal.canSee(practiceOf.apply(record));
    }

    /** A resource id that is no UUID names no record of ours: 404, as for an unknown one. */
    static UUID resourceUuid(RoutingContext ctx, String type, String param) {
        String id = ctx.pathParam(param);
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw PatientRecords.notFound(type, id);
        }
    }
}
