package health.careloop.fhir.r4;

import health.careloop.clinical.patients.Mbi;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.fhir.r4.SearchParameters.Token;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /fhir/r4/Patient}: the caller's practice's patients by id (keyset paging), or those with an identifier
 * ({@code identifier=<MRN>}, {@code identifier=http://hl7.org/fhir/sid/us-mbi|<MBI>}), or by {@code _id}.
 */
final class PatientSearch {
    private final PatientRecords records;

    PatientSearch(PatientRecords records) {
        this.records = records;
    }

    FhirReadApi.Answer search(RoutingContext ctx, Principal principal) throws Exception {
        SearchParameters params = SearchParameters.of(ctx, Set.of("identifier", "_id"));
        List<Patient> found = new ArrayList<>();
        String next = null;
        Optional<String> id = params.string("_id");
        List<Token> identifiers = params.tokens("identifier");
        if (id.isPresent()) {
            try {
                records.directory().patient(UUID.fromString(id.get())).filter(p -> principal.canSee(p.practiceId())).ifPresent(found::add);
            } catch (IllegalArgumentException notOurs) {
                // no patient has it
            }
        } else {
            UUID practice = practiceOf(principal);
            if (!identifiers.isEmpty()) {
                for (Token t : identifiers) {
                    found.addAll(byIdentifier(practice, t));
                }
            } else {
                int count = params.count();
                UUID after = params.cursor().map(c -> {
                    try {
                        return UUID.fromString(c);
                    } catch (IllegalArgumentException e) {
                        throw new ApiException(400, "invalid_cursor", "'_cursor' is not one this server wrote; follow the Bundle's next link as given.");
                    }
                }).orElse(null);
                List<UUID> ids;
                try (Connection c = records.dataSource().getConnection()) {
                    ids = Directory.patientIds(c, practice, after, count + 1);
                }
                if (ids.size() > count) {
                    ids = ids.subList(0, count);
                    next = ids.get(count - 1).toString();
                }
                for (UUID patientId : ids) {
                    records.directory().patient(patientId).ifPresent(found::add);
                }
            }
        }
        List<Resource> resources = new ArrayList<>();
        Set<UUID> patients = new LinkedHashSet<>();
        for (Patient p : found) {
            if (patients.add(p.id())) {
                resources.add(records.patient(p));
            }
        }
        return new FhirReadApi.Answer(SearchBundles.searchset(ctx, resources, next), List.copyOf(patients));
    }

    private List<Patient> byIdentifier(UUID practice, Token t) throws Exception {
        boolean mbi = CodeSystems.MBI.equals(t.system());
        boolean mrn = t.system() == null || t.system().equals(CodeSystems.mrnSystem(practice));
        if (!mbi && !mrn) {
            throw new ApiException(400, "unknown_identifier_system", "'identifier' system " + t.system() + " is not one CareLoop keeps; use "
                    + CodeSystems.MBI + " or the practice's MRN system " + CodeSystems.mrnSystem(practice) + ", or no system.");
        }
        List<Patient> result = new ArrayList<>();
        if (mrn) {
            records.directory().patientByExternalRef(practice, t.code()).ifPresent(result::add);
        }
        if (mbi || t.system() == null) {
            String value = Mbi.normalise(t.code());
            for (PatientProfiles.Listed listed : records.profiles().list(practice, value, 10)) {
                if (listed.profile() != null && value.equals(listed.profile().mbi())) {
                    records.directory().patient(listed.patientId()).ifPresent(result::add);
                }
            }
        }
        return result;
    }

    private static UUID practiceOf(Principal principal) {
        if (principal.isSystem()) {
            throw new ApiException(400, "practice_required", "The API token spans practices: read a patient by id (Patient/<id>) or search "
                    + "with _id; lists are a staff member's practice.");
        }
        return principal.practiceId();
    }
}
